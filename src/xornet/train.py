"""Training drivers (Sec. III.A-B): gradient descent, Adam and zero-temperature Monte Carlo.

The drivers call the compiled kernels of :mod:`xornet.kernels` in chunks (between record
epochs, and at most ``max_chunk`` epochs at a time so progress can be reported); there is
no Python work per epoch.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd

from . import gates
from . import kernels as K
from . import model as M
from .paper import SEPARATION_ORDER

log = logging.getLogger("xornet")


def u64(x) -> np.uint64:
    """A kernel RNG state as np.uint64, whether numba handed it back signed or unsigned."""
    return np.uint64(int(x) & 0xFFFFFFFFFFFFFFFF)


def log_epochs(n_epochs: int, points_per_decade: int, extra=()) -> np.ndarray:
    """Record epochs: 0, round(10^(k/ppd)) for k >= 0 up to ``n_epochs``, ``n_epochs``, extras."""
    if n_epochs < 0:
        raise ValueError("n_epochs must be >= 0")
    if n_epochs == 0:
        return np.array([0], dtype=np.int64)
    kmax = int(np.floor(np.log10(n_epochs) * points_per_decade + 1e-9))
    pts = np.round(10.0 ** (np.arange(kmax + 1) / points_per_decade)).astype(np.int64)
    allp = np.concatenate([[0], pts, [n_epochs], np.asarray(extra, dtype=np.int64)])
    allp = allp[(allp >= 0) & (allp <= n_epochs)]
    return np.unique(allp)


class Progress:
    """Rate-limited progress lines: epochs done, current loss, rate and ETA."""

    def __init__(self, total: int, label: str = "", every: float = 20.0, logger=None):
        self.total = max(int(total), 1)
        self.label = label
        self.every = every
        self.log = logger or log
        self.t0 = time.perf_counter()
        self.last = self.t0

    def update(self, done: int, loss: float, force: bool = False, note: str = ""):
        now = time.perf_counter()
        if not force and now - self.last < self.every:
            return
        self.last = now
        el = now - self.t0
        rate = done / el if el > 0 else float("nan")
        eta = (self.total - done) / rate if rate > 0 else float("nan")
        self.log.info(
            "%s %d/%d epochs (%.1f%%), loss %.3e%s, %.3g epochs/s, elapsed %.0f s, ETA %.0f s",
            self.label, done, self.total, 100.0 * done / self.total, loss,
            f", {note}" if note else "", rate, el, eta,
        )


def activations_row(v: np.ndarray, n_h: int) -> dict:
    """Parameters and activations (Fig. 3, 4) of one network as a flat dict of columns."""
    a1, yhat = M.forward(v, n_h)
    row = dict(zip(M.param_names(n_h), map(float, v), strict=True))
    for m in range(4):
        for i in range(n_h):
            row[f"a1_{i + 1}_c{m}"] = float(a1[m, i])
        row[f"a2_1_c{m}"] = float(yhat[m])
    return row


def train_gd(v0, n_h: int, eta: float, n_epochs: int, *, randomized: bool, state,
             record_epochs, max_chunk: int = 1 << 21, progress: Progress | None = None,
             target: float = 0.0, gate: str = "xor") -> pd.DataFrame:
    """Gradient descent from ``v0`` recorded at ``record_epochs`` (schema ``training_run``),
    learning ``gate`` (:mod:`xornet.gates`).

    Each row holds the parameters v(tau), their activations, the full-batch loss at v(tau)
    and the loss of the batch used at epoch tau. Stops early when diverged (recorded) or
    when the full-batch loss falls below ``target`` (0: never).
    """
    v = np.array(v0, dtype=np.float64)
    if v.shape != (M.n_params(n_h),):
        raise ValueError(f"v0 must have {M.n_params(n_h)} entries for n_h={n_h}")
    rec = np.unique(np.asarray(record_epochs, dtype=np.int64))
    rec = rec[(rec >= 0) & (rec <= n_epochs)]
    if rec.size == 0 or rec[0] != 0:
        rec = np.concatenate([[0], rec])
    mask = np.ones_like(v)
    yb = gates.bits(gate)
    state = u64(state)
    rows = []
    epoch = 0
    status = K.STATUS_RUNNING
    for _k, e in enumerate(rec):
        # run up to record epoch e (from the previous record)
        while epoch < e and status == K.STATUS_RUNNING:
            n = int(min(e - epoch, max_chunk))
            state, done, _, _, lf, status = K.gd_single(v, n_h, eta, n, randomized, state, mask, target,
                                                        yb)
            state = u64(state)  # numba returns the state as a Python int
            epoch += done
            if progress is not None:
                progress.update(epoch, lf)
        if status != K.STATUS_RUNNING and epoch < e:
            break
        # the batch loss at epoch e: one epoch on a copy, same stream
        vc = v.copy()
        _, _, fb, ff, _, st1 = K.gd_single(vc, n_h, eta, 1, randomized, state, mask, 0.0, yb)
        row = {"epoch": int(epoch), "batch_loss": float(fb), "full_loss": float(ff),
               "status": "diverged" if st1 == K.STATUS_DIVERGED else "running"}
        row.update(activations_row(v, n_h))
        rows.append(row)
        if st1 == K.STATUS_DIVERGED:
            status = K.STATUS_DIVERGED
            break
    if status == K.STATUS_DIVERGED and rows and rows[-1]["status"] != "diverged":
        row = {"epoch": int(epoch), "batch_loss": float("nan"), "full_loss": float("nan"),
               "status": "diverged"}
        row.update(activations_row(v, n_h))
        rows.append(row)
    if progress is not None:
        progress.update(epoch, rows[-1]["full_loss"], force=True)
    df = pd.DataFrame(rows)
    df["epoch"] = df["epoch"].astype(np.int64)
    return df


def converge_ensemble(v0s, n_h: int, etas, max_epochs: int, *, randomized: bool, states,
                      target: float, chunk: int = 1 << 18, progress: Progress | None = None,
                      gate: str = "xor"):
    """Run replicas (rows of ``v0s``, learning rates ``etas``) until converged, diverged or
    ``max_epochs``. Returns a dict of arrays: status, epochs, final_full_loss, params."""
    V = np.array(v0s, dtype=np.float64, order="C")
    R = V.shape[0]
    etas = np.broadcast_to(np.asarray(etas, float), (R,)).copy()
    states = np.array(states, dtype=np.uint64).copy()
    status = np.zeros(R, dtype=np.int64)
    epochs = np.zeros(R, dtype=np.int64)
    fb = np.full(R, np.nan)
    lf = np.full(R, np.nan)
    yb = gates.bits(gate)
    done = 0
    while done < max_epochs and np.any(status == K.STATUS_RUNNING):
        n = int(min(chunk, max_epochs - done))
        K.gd_ensemble(V, n_h, etas, n, randomized, states, status, epochs, fb, lf, target, yb)
        done += n
        if progress is not None:
            run = status == K.STATUS_RUNNING
            med = float(np.median(lf[run])) if run.any() else float("nan")
            progress.update(done, med, note=(
                f"median over {int(run.sum())} running; {int(np.sum(status == K.STATUS_CONVERGED))} "
                f"converged, {int(np.sum(status == K.STATUS_DIVERGED))} diverged"))
    return {"status": status, "epochs": epochs, "final_full_loss": lf, "params": V}


def fit_powerlaw(epochs, loss, tau_min: float, tau_max: float, min_points: int = 3):
    """Least-squares fit of log L = c - gamma log tau (Eq. 7) on tau_min <= tau <= tau_max.

    Returns (gamma, standard error, number of points); NaNs if too few finite points.
    """
    t = np.asarray(epochs, float)
    y = np.asarray(loss, float)
    sel = (t >= tau_min) & (t <= tau_max) & np.isfinite(y) & (y > 0)
    n = int(sel.sum())
    if n < max(min_points, 3):
        return float("nan"), float("nan"), n
    x = np.log(t[sel])
    ly = np.log(y[sel])
    A = np.vstack([x, np.ones_like(x)]).T
    coef, resid, *_ = np.linalg.lstsq(A, ly, rcond=None)
    slope = coef[0]
    r = ly - A @ coef
    s2 = float(r @ r) / max(n - 2, 1)
    se = np.sqrt(s2 / float(((x - x.mean()) ** 2).sum()))
    return float(-slope), float(se), n


def gamma_eff(epochs, loss, halfwidth_decades: float) -> np.ndarray:
    """Running exponent gamma_eff(tau) = -d ln L / d ln tau: slope of a local least-squares
    line over |log10 tau' - log10 tau| <= halfwidth (smoothing the batch fluctuations)."""
    t = np.asarray(epochs, float)
    y = np.asarray(loss, float)
    out = np.full(t.shape, np.nan)
    ok = (t > 0) & np.isfinite(y) & (y > 0)
    lt = np.log10(np.where(ok, t, 1.0))
    ly = np.log10(np.where(ok, y, 1.0))
    for k in np.flatnonzero(ok):
        sel = ok & (np.abs(lt - lt[k]) <= halfwidth_decades)
        if sel.sum() >= 3:
            x = lt[sel]
            out[k] = -np.polyfit(x, ly[sel], 1)[0]
    return out


def value_at(epochs, values, tau: float) -> float:
    """``values`` at the record epoch closest to ``tau`` in log tau (NaN if tau is beyond the run
    by more than a factor 1.5 or the value is undefined)."""
    t = np.asarray(epochs, float)
    ok = t > 0
    if not np.isfinite(tau) or tau <= 0 or not ok.any():
        return float("nan")
    lt = np.log(t[ok])
    k = int(np.argmin(np.abs(lt - np.log(tau))))
    if abs(lt[k] - np.log(tau)) > np.log(1.5):
        return float("nan")
    return float(np.asarray(values, float)[ok][k])


def powerlaw_analysis(df: pd.DataFrame, tau_conv, fit: dict, halfwidth: float,
                      threshold: float) -> tuple[dict, np.ndarray]:
    """Eq. (7) for one recorded run (Fig. 2): the fit of L ~ tau^-gamma on the window
    [max(tau_min, conv_factor * tau_conv), last epoch] and the running exponent gamma_eff.

    ``tau_conv``: exact first epoch below the convergence threshold (None: never converged,
    then no window and gamma is NaN). Returns (one row of dataset ``powerlaw_fits`` without
    the run's identity columns, gamma_eff at every record).
    """
    tau_conv = float(tau_conv) if tau_conv is not None else float("nan")
    tau_max = float(df["epoch"].iloc[-1])
    tau_min = (max(fit["tau_min"], fit["conv_factor"] * tau_conv) if np.isfinite(tau_conv)
               else float("nan"))
    g, ge, npts = (fit_powerlaw(df["epoch"], df["full_loss"], tau_min, tau_max, fit["min_points"])
                   if np.isfinite(tau_min) else (np.nan, np.nan, 0))
    geff = gamma_eff(df["epoch"], df["full_loss"], halfwidth)
    g30 = value_at(df["epoch"], geff, 30.0 * tau_conv) if np.isfinite(tau_conv) else np.nan
    final = float(df["full_loss"].iloc[-1])
    row = {"tau_conv": tau_conv, "tau_min": float(tau_min), "tau_max": tau_max, "gamma": g,
           "gamma_err": ge, "n_points": int(npts), "gamma_eff_30": g30,
           "final_full_loss": final, "converged": bool(final < threshold)}
    return row, geff


def first_below(epochs, loss, threshold: float) -> float:
    """First record epoch whose loss is below ``threshold`` (NaN if never)."""
    e = np.asarray(epochs)
    idx = np.flatnonzero(np.asarray(loss) < threshold)
    return float(e[idx[0]]) if idx.size else float("nan")


def train_adam(v0, n_h: int, n_epochs: int, *, lr, beta1, beta2, eps, randomized: bool,
               state, record_epochs, max_chunk: int = 1 << 20, gate: str = "xor") -> pd.DataFrame:
    """Adam from ``v0``; rows (epoch, full_loss, parameters) at ``record_epochs``."""
    yb = gates.bits(gate)
    v = np.array(v0, dtype=np.float64)
    m1 = np.zeros_like(v)
    m2 = np.zeros_like(v)
    state = u64(state)
    rows, epoch = [], 0
    for e in np.unique(np.asarray(record_epochs, dtype=np.int64)):
        while epoch < e:
            n = int(min(e - epoch, max_chunk))
            state, done, _, _, st = K.adam_single(v, n_h, lr, beta1, beta2, eps, n, randomized,
                                                  state, m1, m2, epoch, yb)
            state = u64(state)
            epoch += done
            if st != K.STATUS_RUNNING:
                break
        rows.append({"epoch": int(epoch), "full_loss": float(M.loss(v, n_h, gate=gate)),
                     **dict(zip(M.param_names(n_h), map(float, v), strict=True))})
        if epoch < e:
            break
    return pd.DataFrame(rows)


def train_mc(v0, n_h: int, n_sweeps: int, *, step: float, state, record_epochs,
             gate: str = "xor") -> pd.DataFrame:
    """Zero-temperature MC from ``v0``; rows at ``record_epochs`` (1 epoch = 1 sweep)."""
    yb = gates.bits(gate)
    v = np.array(v0, dtype=np.float64)
    state = u64(state)
    rows, epoch = [], 0
    for e in np.unique(np.asarray(record_epochs, dtype=np.int64)):
        if e > epoch:
            state, done, _, _ = K.mc_zero_t(v, n_h, step, int(e - epoch), state, 0.0, yb)
            state = u64(state)
            epoch += done
        rows.append({"epoch": int(epoch), "full_loss": float(M.loss(v, n_h, gate=gate)),
                     **dict(zip(M.param_names(n_h), map(float, v), strict=True))})
    return pd.DataFrame(rows)


def separation_order(df: pd.DataFrame, n_h: int, threshold: float) -> pd.DataFrame:
    """Epoch at which each parameter first moves more than ``threshold`` from its initial
    value (interpolated in log tau between records), and the resulting order (Fig. 3
    discussion: which parameters move first)."""
    names = M.param_names(n_h)
    t = df["epoch"].to_numpy(float)
    out = []
    for name in names:
        d = np.abs(df[name].to_numpy(float) - df[name].iloc[0])
        idx = np.flatnonzero(d > threshold)
        if idx.size == 0:
            sep = np.nan
        else:
            k = idx[0]
            if k == 0:
                sep = t[0]
            else:
                f = (threshold - d[k - 1]) / (d[k] - d[k - 1])
                if t[k - 1] > 0:
                    sep = float(np.exp(np.log(t[k - 1]) + f * (np.log(t[k]) - np.log(t[k - 1]))))
                else:
                    sep = float(t[k - 1] + f * (t[k] - t[k - 1]))
        out.append({"param": name, "separation_epoch": sep})
    res = pd.DataFrame(out)
    res["rank"] = res["separation_epoch"].rank(method="min", na_option="bottom").astype(np.int64)
    return res


def order_agreement(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Kendall's tau between two separation orders (1: identical order, -1: reversed)."""
    from scipy.stats import kendalltau

    m = a.set_index("param")["separation_epoch"].to_frame("a").join(
        b.set_index("param")["separation_epoch"].to_frame("b"))
    m = m.dropna()
    if len(m) < 2:
        return float("nan")
    return float(kendalltau(m["a"], m["b"]).statistic)


def separation_sequence_ok(order: pd.DataFrame) -> tuple[bool, str]:
    """Fig. 3 text (``xornet.paper.SEPARATION_ORDER``): first the input weights of one hidden
    neuron k separate, which triggers w_1k^(2) and, 'in consequence, also' b_k^(1); only then
    all the rest (the hidden neurons may be labelled either way). The order within the second
    group is not tested. ``order``: one row per parameter with its ``separation_epoch`` (NaN:
    never separates), as :func:`separation_order`. Returns (agrees, description)."""
    sep = order.set_index("param")["separation_epoch"].astype(float)
    firsts = sep[[p for p in sep.index if p.startswith("w1_")]]
    if firsts.isna().all():
        return False, "no first-layer weight separates"
    k = int(firsts.idxmin().split("_")[1])
    a, b = ([p.format(k=k) for p in group] for group in SEPARATION_ORDER)
    rest = [p for p in sep.index if p not in (*a, *b)]
    s = sep.fillna(np.inf)
    ok = (s[a].max() <= s[b].min()) and (s[b].max() <= s[rest].min())
    seq = " < ".join(f"{p}" for p in s.sort_values().index)
    return bool(ok), f"hidden neuron {k}; order {seq}"
