"""Reproduction scorecard: the paper's checkable claims and how each is read from the pipeline.

Every :class:`Claim` names where it is made in the paper (section, figure/table), what the paper
says (``statement``, ``paper_value``), which pipeline datasets it reads (``inputs``: keys of
:data:`INPUTS`), a small ``check`` function that turns those datasets into a reproduced value
and a pass/fail, and the tolerance with the reason for it.

:func:`evaluate` runs every claim against a dict ``{input key: Parquet path}`` and returns one
row per claim (dataset ``claims`` in :mod:`xornet.schemas`). The verdict is

* ``reproduced`` / ``differs``: the check ran on inputs made at paper scale;
* ``not applicable``: the claim is about another gate than the one the run learned (config
  ``gate``; every claim of the paper, and of Mehta et al., is about XOR: :attr:`Claim.gates`);
* ``not checkable``: an input is missing (stage not built), the data cannot answer the question
  (``reason`` says why), or an input was made at reduced (CI) scale. In the last case
  ``ci_scale`` is True, the check still runs and ``outcome`` holds what it would say, so the
  machinery is exercised in CI without over-claiming.

Scale detection reads each input's provenance (``xornet.io.read_parquet(path)[1]["config"]``)
and compares the size keys listed in :data:`INPUTS` with the paper-fidelity defaults of
``config.yaml``: an input is at paper scale if every size key is at least as large (or, for
resolutions, at most as large) as the default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import io, labels
from . import model as M
from . import paper as P

PAPER = P.CITATION

VERDICTS = ("reproduced", "differs", "not checkable", "not applicable")


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class InputSpec:
    """A pipeline dataset a claim may read; ``scale``: (provenance key path, config.yaml key
    path, ">=" | "<=") triples deciding whether the file was made at paper scale."""

    path: str
    description: str
    scale: tuple = ()
    derived: tuple = ()  # (label, frame -> number, config.yaml key path, op): sizes read from data


INPUTS: dict[str, InputSpec] = {
    "truth_table": InputSpec("results/training/truth_table.parquet", "Table I"),
    "run_ref": InputSpec("results/training/runs/{ref_run}.parquet",
                         "reference GD run (n_h = 2, eta = 0.1)",
                         (("n_epochs", "training.n_epochs", ">="),)),
    "fits": InputSpec("results/training/powerlaw_fits.parquet", "power-law fits of Fig. 2",
                      (("fit.tau_min", "training.fit.tau_min", ">="),)),
    "lr_randomized": InputSpec("results/training/lr_window_randomized.parquet",
                               "learning-rate window, randomized batches",
                               (("max_epochs", "lr_window.max_epochs", ">="),
                                ("scan.n", "lr_window.scan.n", ">="),
                                ("rel_resolution", "lr_window.rel_resolution", "<="))),
    "lr_full": InputSpec("results/training/lr_window_full.parquet",
                         "learning-rate window, nonrandomized batch",
                         (("max_epochs", "lr_window.max_epochs", ">="),
                          ("scan.n", "lr_window.scan.n", ">="),
                          ("rel_resolution", "lr_window.rel_resolution", "<="))),
    "solutions": InputSpec("results/training/solutions.parquet", "Table II",
                           (("mc.max_runs", "table2.mc.max_runs", ">="),
                            ("mc.max_sweeps", "table2.mc.max_sweeps", ">="))),
    "separation": InputSpec("results/training/separation_order.parquet",
                            "separation order GD / Adam / MC",
                            (("n_epochs", "optimizers.n_epochs", ">="),)),
    "plateaus": InputSpec("results/perturbation/plateaus.parquet", "Fig. 5 plateaus",
                          (("n_replicas", "perturbation.n_replicas", ">="),
                           ("max_epochs", "perturbation.max_epochs", ">="),
                           ("delta.step", "perturbation.delta.step", "<="))),
    "features": InputSpec("results/landscape/features.parquet", "Fig. 6 cross-section features",
                          (("n_points", "landscape.n_points", ">="),)),
    "trajectories": InputSpec("results/landscape/trajectory_summary.parquet",
                              "Fig. 6 trajectories",
                              (("trajectories.max_epochs", "landscape.trajectories.max_epochs",
                                ">="),)),
    "randomized_rms": InputSpec("results/landscape/randomized_rms.parquet", "Fig. 7 RMS",
                                (("randomized.n_scans", "landscape.randomized.n_scans", ">="),
                                 ("randomized.n_points", "landscape.randomized.n_points",
                                  ">="))),
    "entropy": InputSpec("results/entropy/entropy_R{R}.parquet", "Fig. 8 S(L)", (),
                         (("bins per n_h", lambda f: f.groupby("n_h").size().min(),
                           "entropy.n_bins", ">="),
                          ("runs merged", lambda f: f["n_runs"].min(), "entropy.n_runs", ">="))),
    "entropy_run": InputSpec("results/entropy/runs/R{R}/nh2_run0.parquet",
                             "one Fig. 8 sampler run (decides the scale of the entropy stage)",
                             (("wl_steps", "entropy.sampler.wl_steps", ">="),
                              ("muca_steps", "entropy.sampler.muca_steps", ">="),
                              ("n_bins", "entropy.n_bins", ">="))),
    "intruders": InputSpec("results/entropy/intruders.parquet", "convex intruders of S(L)"),
    "minor_peaks": InputSpec("results/entropy/minor_peaks.parquet", "minor peaks of S(L)"),
    # beyond the paper: stationary-point census (Mehta et al. 2018), xornet.census
    "census_summary": InputSpec("results/census/summary.parquet",
                                "stationary-point census counts per (n_h, lam)",
                                (("bh.min_steps", "census.bh.min_steps", ">="),
                                 ("bh.max_steps", "census.bh.max_steps", ">="),
                                 ("connect.max_attempts", "census.connect.max_attempts", ">="))),
    "census_embedding": InputSpec("results/census/embedding.parquet",
                                  "embedding test (zero node added)"),
}


def input_paths(config: dict) -> dict[str, str]:
    """Paths of every input for a workflow config (the reference run label and the entropy R)."""
    ref = config["training"]["reference"]
    ref_run = labels.run_label(ref["n_h"], ref["eta"])
    R = labels.r_label(config["entropy"]["R"])
    return {k: s.path.format(ref_run=ref_run, R=R) for k, s in INPUTS.items()}


def _get(d, dotted: str):
    for part in dotted.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def scale_issues(key: str, prov: dict, defaults: dict, frame=None) -> list[str]:
    """Size keys of input ``key`` whose provenance value (or, for ``derived`` sizes, the value
    read from the data ``frame``) is below paper scale (empty: paper scale). A size key missing
    from the provenance counts as not paper scale."""
    out = []
    cfg = prov.get("config") or {}
    checks = [(pkey, _get(cfg, pkey), dkey, op) for pkey, dkey, op in INPUTS[key].scale]
    if frame is not None:
        checks += [(label, float(fn(frame)), dkey, op) for label, fn, dkey, op in INPUTS[key].derived]
    for pkey, have, dkey, op in checks:
        want = _get(defaults, dkey)
        if want is None:
            continue
        if have is None:
            out.append(f"{pkey} not recorded")
        elif (op == ">=" and float(have) < float(want)) or (op == "<=" and float(have) > float(want)):
            out.append(f"{pkey} {have:g} {'<' if op == '>=' else '>'} {want:g}")
    return [f"{key} ({', '.join(out)})"] if out else []


# --------------------------------------------------------------------------- data access
class NotCheckable(Exception):
    """The data cannot answer this claim; the message says why."""


class Data:
    """Lazy access to the inputs: ``data.frame(key)``, ``data.extra(key)``."""

    def __init__(self, paths: dict[str, str]):
        self.paths = dict(paths)
        self._cache: dict[str, tuple] = {}

    def available(self, key: str) -> bool:
        p = self.paths.get(key)
        return bool(p) and Path(p).exists()

    def _load(self, key):
        if key not in self._cache:
            if not self.available(key):
                raise NotCheckable(f"input {key} ({self.paths.get(key, 'no path')}) not built")
            self._cache[key] = io.read_parquet(self.paths[key])
        return self._cache[key]

    def frame(self, key) -> pd.DataFrame:
        return self._load(key)[0]

    def prov(self, key) -> dict:
        return self._load(key)[1]

    def extra(self, key) -> dict:
        return self._load(key)[1].get("extra") or {}


@dataclass
class Result:
    """What a check found: ``value`` (text), ``ok`` (True: agrees within tolerance),
    ``number`` (the headline reproduced number, NaN if none), ``note`` (explanation)."""

    value: str
    ok: bool
    number: float = float("nan")
    note: str = ""


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    location: str
    kind: str  # value | threshold | qualitative
    statement: str
    paper_value: str
    inputs: tuple
    check: Callable[[Data], Result]
    tolerance: str
    paper_number: float = float("nan")
    figure: str = ""  # the figure/table file it belongs to (for the gallery summary)
    scale_inputs: tuple = field(default=())  # further inputs that decide the scale only
    scale_free: bool = False  # the check does not depend on run sizes (e.g. printed values)
    gates: tuple = ("xor",)  # gates (xornet.gates) the claim is about; others: not applicable


# --------------------------------------------------------------------------- helpers
def _fmt(x, digits=3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:.{digits}g}"


def _fit_row(d: Data, n_h: int, eta: float):
    f = d.frame("fits")
    r = f[(f["n_h"] == n_h) & np.isclose(f["eta"], eta)]
    if r.empty:
        raise NotCheckable(f"no training run n_h={n_h}, eta={eta:g} in this config")
    return r.iloc[0]


def _tau_conv_ref(d: Data) -> float:
    """Exact convergence epoch of the reference run (extra), else first record below the
    threshold."""
    ex = d.extra("run_ref")
    if ex.get("tau_conv") is not None and math.isfinite(float(ex["tau_conv"])):
        return float(ex["tau_conv"])
    df = d.frame("run_ref")
    thr = float(ex.get("threshold", P.CONV_THRESHOLD))
    below = df.loc[df["full_loss"] < thr, "epoch"]
    return float(below.iloc[0]) if len(below) else float("nan")


def _within_factor(x, ref, factor):
    return math.isfinite(x) and ref / factor <= x <= ref * factor


#: The Fig. 6 paths the text describes, in its order: (panel, Delta x, Delta y).
TRAJ_A1, TRAJ_A2, TRAJ_B, TRAJ_C1, TRAJ_C2 = P.TRAJECTORIES


def _xy(key) -> str:
    return f"({key[1]:g}, {key[2]:g})"


def _traj(d: Data, panel: str, dx0: float, dy0: float):
    t = d.frame("trajectories")
    r = t[(t["panel"] == panel) & np.isclose(t["dx0"], dx0) & np.isclose(t["dy0"], dy0)]
    if r.empty:
        raise NotCheckable(f"no trajectory from ({dx0:g}, {dy0:g}) in panel {panel}")
    return r.iloc[0]


def _traj_text(r) -> str:
    return (f"start L={r['start_loss']:.3f}, {r['outcome']} after {int(r['epochs']):,} epochs at "
            f"L={r['final_loss']:.3g} (levels {r['levels_visited']})")


def _entropy_curves(d: Data) -> dict[int, pd.DataFrame]:
    e = d.frame("entropy")
    return {int(k): g.sort_values("L")[["L", "S"]].reset_index(drop=True)
            for k, g in e.groupby("n_h")}


def peak_height(L: np.ndarray, S: np.ndarray, L0: float, narrow: float = 0.02,
                side: float = 0.125, gap: float = 0.03) -> float:
    """Height of a peak of S near ``L0``: the highest S within ``narrow`` of L0 minus the higher
    of the lowest S on each side (``gap`` .. ``side`` away; one side at the ends of [0, 1]).
    Positive: S has a local maximum there. NaN if S is undefined near L0."""
    L, S = np.asarray(L, float), np.asarray(S, float)
    ok = np.isfinite(S)
    near = ok & (np.abs(L - L0) <= narrow)
    if not near.any():
        return float("nan")
    top = S[near].max()
    mins = []
    for sgn in (-1, 1):
        m = ok & (sgn * (L - L0) >= gap) & (sgn * (L - L0) <= side)
        if m.any():
            mins.append(S[m].min())
    if not mins:
        return float("nan")
    return float(top - max(mins))


def duplicate_sections(features: pd.DataFrame, tol: float = 0.005) -> list[tuple[str, str]]:
    """Pairs of cross-sections whose colour-class area fractions agree within ``tol``
    (near-duplicates, e.g. by the x1 <-> x2 input symmetry of solution #1)."""
    cols = ["well_frac", "turquoise_frac", "yellow_frac", "red_frac", "max_loss"]
    X = features[cols].to_numpy(float)
    names = [f"{a}/{b}" for a, b in zip(features["x"], features["y"], strict=True)]
    out = []
    for i in range(len(X)):
        for j in range(i + 1, len(X)):
            if np.max(np.abs(X[i] - X[j])) < tol:
                out.append((names[i], names[j]))
    return out


def _sequence_ok(order: pd.DataFrame, n_h: int = 2) -> tuple[bool, str]:
    """Fig. 3 text: first the input weights of one hidden neuron k separate, which triggers
    w_1k^(2) and, 'in consequence, also' b_k^(1); only then all the rest (the hidden neurons
    may be labelled either way). The order within the second group is not tested."""
    sep = order.set_index("param")["separation_epoch"].astype(float)
    firsts = sep[[p for p in sep.index if p.startswith("w1_")]]
    if firsts.isna().all():
        return False, "no first-layer weight separates"
    k = int(firsts.idxmin().split("_")[1])
    a, b = ([p.format(k=k) for p in group] for group in P.SEPARATION_ORDER)
    rest = [p for p in sep.index if p not in (*a, *b)]
    s = sep.fillna(np.inf)
    ok = (s[a].max() <= s[b].min()) and (s[b].max() <= s[rest].min())
    seq = " < ".join(f"{p}" for p in s.sort_values().index)
    return bool(ok), f"hidden neuron {k}; order {seq}"


# --------------------------------------------------------------------------- checks
def c_truth_table(d):
    t = d.frame("truth_table")
    ok = bool(((t["x1"] ^ t["x2"]) == t["y"]).all()) and len(t) == 4
    return Result(f"{len(t)} rows, y = x1 XOR x2: {ok}", ok, float(ok))


def c_nh1_no_solution(d):
    ex = d.extra("entropy")
    lows = [v for k, v in (ex.get("min_loss_runs") or {}).items() if k.startswith(f"nh{P.NO_ZERO_LOSS_N_H}_")]
    if not lows:
        raise NotCheckable("no n_h = 1 sampler runs in this config")
    lo = float(min(lows))
    inf = ex.get("nh1_infimum_unbounded")
    ok = lo > P.CONV_THRESHOLD
    return Result(f"lowest loss of any n_h=1 run {lo:.4f}; exact infimum {_fmt(inf, 4)}", ok, lo,
                  "the single-hidden-neuron network cannot get below L = 1/6 (exact infimum: "
                  "xornet.microcanonical)")


def c_nh2_solves(d):
    r = _fit_row(d, P.REFERENCE_N_H, P.REFERENCE_ETA)
    return Result(f"converged={bool(r['converged'])}, final L={r['final_full_loss']:.2g}",
                  bool(r["converged"]), float(r["final_full_loss"]))


def c_conv_epoch(d):
    tau = _tau_conv_ref(d)
    ok = _within_factor(tau, P.TAU_CONV, 2.0)
    return Result(f"tau_conv = {tau:,.0f}", ok, tau,
                  "first epoch with full-batch loss < 0.005 of the reference run")


def c_initial_plateau(d):
    df = d.frame("run_ref")
    tau = _tau_conv_ref(d)
    m = (df["epoch"] >= 10) & (df["epoch"] <= 0.5 * tau)
    if not m.any():
        raise NotCheckable("no records in the initial phase")
    med = float(df.loc[m, "full_loss"].median())
    return Result(f"median full-batch loss for 10 <= tau <= tau_conv/2: {med:.4f}",
                  abs(med - P.INITIAL_LOSS) <= 0.02, med)


def c_sudden_drop(d):
    df = d.frame("run_ref")
    t02 = df.loc[df["full_loss"] < 0.2, "epoch"]
    t_c = _tau_conv_ref(d)
    if t02.empty or not math.isfinite(t_c):
        return Result("loss never drops", False)
    plateau, drop = float(t02.iloc[0]), t_c - float(t02.iloc[0])
    return Result(f"plateau until tau={plateau:,.0f}; drop to 0.005 takes {drop:,.0f} epochs",
                  drop < plateau, drop / plateau if plateau else float("nan"))


def lr_intervals(df: pd.DataFrame) -> list[tuple[float, float, float, float]]:
    """Runs of consecutive converging learning rates in a scan (sorted by eta): (lowest
    converging, highest converging, nearest failing below, nearest failing above; NaN at the
    ends of the scan)."""
    d = df.sort_values("eta")
    eta, conv = d["eta"].to_numpy(float), d["converged"].to_numpy(bool)
    out, i = [], 0
    while i < len(eta):
        if conv[i]:
            j = i
            while j + 1 < len(eta) and conv[j + 1]:
                j += 1
            out.append((eta[i], eta[j], eta[i - 1] if i > 0 else np.nan,
                        eta[j + 1] if j + 1 < len(eta) else np.nan))
            i = j + 1
        else:
            i += 1
    return out


def _main_interval(df: pd.DataFrame, eta0: float = 0.1):
    """The interval of converging learning rates containing (or nearest to) eta0 = 0.1."""
    iv = lr_intervals(df)
    if not iv:
        return None, iv
    k = min(range(len(iv)), key=lambda i: 0 if iv[i][0] <= eta0 <= iv[i][1]
            else min(abs(np.log(iv[i][0] / eta0)), abs(np.log(iv[i][1] / eta0))))
    return iv[k], iv


def _iv_text(iv) -> str:
    return " U ".join(f"[{a:.4g}, {b:.4g}]" for a, b, _, _ in iv) or "none"


def _window_edge(d, edge: int, paper: float):
    main, iv = _main_interval(d.frame("lr_randomized"))
    if main is None:
        return Result("no learning rate converges", False)
    x = float(main[edge])
    txt = f"{x:.4g} (randomized; converging set {_iv_text(iv)})"
    note = ("randomized batches as in Fig. 2, our initialization v_k = 0.1 r_k (the paper's r_k "
            "are not given); edge of the interval that contains eta = 0.1")
    if d.available("lr_full"):
        mf, ivf = _main_interval(d.frame("lr_full"))
        if mf is not None:
            xf = float(mf[edge])
            txt += f"; {xf:.4g} (nonrandomized; {_iv_text(ivf)})"
            if abs(xf / paper - 1) <= 0.25:
                note += "; the nonrandomized batch does agree within the tolerance"
    return Result(txt, abs(x / paper - 1) <= 0.25, x, note)


def c_window_low(d):
    return _window_edge(d, 0, P.ETA_WINDOW[0])


def c_window_high(d):
    return _window_edge(d, 1, P.ETA_WINDOW[1])


def c_window_interval(d):
    iv = lr_intervals(d.frame("lr_randomized"))
    txt = f"randomized: {_iv_text(iv)}"
    if d.available("lr_full"):
        txt += f"; nonrandomized: {_iv_text(lr_intervals(d.frame('lr_full')))}"
    return Result(txt, len(iv) == 1, float(len(iv)),
                  "with randomized batches the converging learning rates form more than one "
                  "interval (islands of convergence above the main window)" if len(iv) > 1 else "")


def c_fig2_all_converge(d):
    f = d.frame("fits")
    lo, hi = P.ETA_WINDOW
    f = f[(f["n_h"] == P.REFERENCE_N_H) & (f["eta"] >= lo) & (f["eta"] <= hi)]
    if f.empty:
        raise NotCheckable("no n_h = 2 runs inside the window")
    bad = f.loc[~f["converged"].astype(bool), "eta"].tolist()
    txt = (f"{int(f['converged'].sum())}/{len(f)} converge"
           + (f"; not: eta = {', '.join(f'{e:g}' for e in bad)}" if bad else ""))
    return Result(txt, not bad, float(f["converged"].mean()))


def c_gamma_nh2(d):
    r = _fit_row(d, P.REFERENCE_N_H, P.REFERENCE_ETA)
    g = float(r["gamma"])
    if not math.isfinite(g):
        raise NotCheckable("no power-law fit for n_h = 2, eta = 0.1 (tail too short)")
    return Result(f"gamma = {g:.3f} +- {float(r['gamma_err']):.3f}", abs(g - P.GAMMA[P.REFERENCE_N_H]) <= 0.1, g)


def c_gamma_nh18(d):
    r = _fit_row(d, P.LARGE_N_H, P.REFERENCE_ETA)
    g = float(r["gamma"])
    if not math.isfinite(g):
        raise NotCheckable("no power-law fit for n_h = 18 (tail too short)")
    return Result(f"gamma = {g:.3f} +- {float(r['gamma_err']):.3f}", abs(g - P.GAMMA[P.LARGE_N_H]) <= 0.1, g)


def c_gamma_indep_eta(d):
    f = d.frame("fits")
    f = f[(f["n_h"] == P.REFERENCE_N_H) & np.isfinite(f["gamma"])]
    if len(f) < 2:
        raise NotCheckable("fewer than two n_h = 2 runs with a power-law fit")
    g = f["gamma"].to_numpy(float)
    spread = float(g.max() - g.min())
    pairs = ", ".join(f"{e:g}: {x:.3f}" for e, x in zip(f["eta"], g, strict=True))
    err = float(np.max(f["gamma_err"]))
    note = (f"spread {spread:.3f} exceeds the fit errors (<= {err:.3f}): a weak systematic trend "
            "with eta" if spread > 3 * err else "")
    return Result(f"gamma by eta = {pairs}; spread {spread:.3f}", spread <= 0.1, spread, note)


def c_gamma_nh_dep(d):
    a, b = _fit_row(d, P.REFERENCE_N_H, P.REFERENCE_ETA), _fit_row(d, P.LARGE_N_H, P.REFERENCE_ETA)
    diff = float(b["gamma"] - a["gamma"])
    err = math.hypot(float(a["gamma_err"]), float(b["gamma_err"]))
    if not math.isfinite(diff):
        raise NotCheckable("a power-law fit is missing")
    return Result(f"gamma(18) - gamma(2) = {diff:.3f} +- {err:.3f}", diff > 3 * err, diff)


def c_nh18_longterm(d):
    a, b = _fit_row(d, P.REFERENCE_N_H, P.REFERENCE_ETA), _fit_row(d, P.LARGE_N_H, P.REFERENCE_ETA)
    ta, tb = float(a.get("tau_conv", np.nan)), float(b.get("tau_conv", np.nan))
    la, lb = float(a["final_full_loss"]), float(b["final_full_loss"])
    if not (math.isfinite(ta) and math.isfinite(tb)):
        raise NotCheckable("tau_conv not recorded in the fits")
    ok = lb < la and tb >= 0.5 * ta
    return Result(f"tau_conv n_h=2: {ta:,.0f}, n_h=18: {tb:,.0f}; final L {la:.2g} vs {lb:.2g}",
                  ok, tb / ta, "faster = lower final loss; 'only in the long-term phase' = "
                  "n_h = 18 does not reach the threshold much (> 2x) earlier")


def c_table2_1(d):
    s = d.frame("solutions")
    ours = s[(s["source"] == "ours") & (s["label"] == "#1")]
    paper = s[(s["source"] == "paper") & (s["label"] == "#1")]
    if ours.empty or paper.empty:
        raise NotCheckable("solution #1 missing")
    o, p = ours.iloc[0], paper.iloc[0]
    ex = d.extra("solutions").get("closest_to_paper_1") or {}
    dist = ex.get("distance", ex.get("min_distance"))
    ok = bool(o["is_solution"]) and o["logic"] == p["logic"]
    return Result(f"ours: L={o['full_loss']:.2g}, hidden logic {o['logic']} (paper {p['logic']})"
                  + (f"; closest approach to the printed #1: {_fmt(dist)}" if dist is not None else ""),
                  ok, float(o["full_loss"]), "same symmetry class; the values depend on the "
                  "random initialization, which the paper does not give")


def _printed(d, labels):
    s = d.frame("solutions")
    p = s[(s["source"] == "paper") & s["label"].isin(labels)].set_index("label")
    if len(p) != len(labels):
        raise NotCheckable("printed solutions missing")
    return p


def c_table2_printed_ok(d):
    p = _printed(d, ["#1", "#2", "#5"])
    txt = "; ".join(f"{k}: L={r['full_loss']:.2g}" for k, r in p.iterrows())
    return Result(txt, bool(p["is_solution"].all()), float(p["full_loss"].max()))


def c_table2_printed_34(d):
    p = _printed(d, ["#3", "#4"])
    txt = "; ".join(f"{k}: L={r['full_loss']:.3f}, outputs "
                    + "/".join(f"{r[f'yhat_c{m}']:.2f}" for m in range(4)) for k, r in p.iterrows())
    return Result(txt, bool(p["is_solution"].all()), float(p["full_loss"].max()),
                  "as printed, #3 gets case (1,1) wrong (L ~ 0.25) and #4 cases (0,1), (1,0) "
                  "(L ~ 0.5): probably misprinted digits or signs")


def c_mc_solutions(d):
    ex = d.extra("solutions")
    n = ex.get("mc_distinct_found")
    if n is None:
        s = d.frame("solutions")
        n = int(((s["source"] == "ours") & (s["label"] != "#1") & s["is_solution"]).sum())
    return Result(f"{n} distinct solutions (symmetry classes / canonical forms) from zero-T MC",
                  int(n) >= 4, float(n))


def c_drift(d):
    df = d.frame("run_ref")
    names = [c for c in df.columns if c.startswith(("w1_", "b1_", "w2_", "b2_"))]
    tau = _tau_conv_ref(d)
    late = df[df["epoch"] >= 10 * tau] if math.isfinite(tau) else df.iloc[0:0]
    if len(late) < 3:
        raise NotCheckable("run too short after convergence")
    n0 = float(np.linalg.norm(late[names].iloc[0]))
    n1 = float(np.linalg.norm(late[names].iloc[-1]))
    last = float(late["full_loss"].iloc[-1])
    ok = n1 > n0 * 1.01 and last > 0
    return Result(f"|v| grows {n0:.2f} -> {n1:.2f} between tau={int(late['epoch'].iloc[0]):,} and "
                  f"{int(late['epoch'].iloc[-1]):,}; final L={last:.2g} > 0", ok, n1 / n0)


def c_monotone(d):
    df = d.frame("run_ref")
    names = [c for c in df.columns if c.startswith(("w1_", "b1_", "w2_", "b2_"))]
    tau = _tau_conv_ref(d)
    late = df[df["epoch"] >= 2 * tau] if math.isfinite(tau) else df.iloc[0:0]
    if len(late) < 3:
        raise NotCheckable("run too short after convergence")
    dv = np.diff(late[names].to_numpy(float), axis=0)
    mono = [bool((dv[:, i] >= 0).all() or (dv[:, i] <= 0).all()) for i in range(len(names))]
    bad = [n for n, m in zip(names, mono, strict=True) if not m]
    return Result(f"{sum(mono)}/{len(names)} parameters monotone over the records after "
                  f"2 tau_conv" + (f" (not: {', '.join(bad)})" if bad else ""), not bad,
                  float(np.mean(mono)))


def c_pairs(d):
    df = d.frame("run_ref")
    last = df.iloc[-1]
    r1 = abs(last["w1_1_1"] - last["w1_1_2"]) / max(abs(last["w1_1_1"]), 1e-12)
    r2 = abs(last["w1_2_1"] - last["w1_2_2"]) / max(abs(last["w1_2_1"]), 1e-12)
    m = float(max(r1, r2))
    return Result(f"relative difference w11/w12: {r1:.1e}, w21/w22: {r2:.1e} (epoch "
                  f"{int(last['epoch']):,})", m < 0.01, m)


def _order(d, opt):
    o = d.frame("separation")
    o = o[o["optimizer"] == opt]
    if o.empty:
        raise NotCheckable(f"optimizer {opt} not run")
    return o


def c_gd_sequence(d):
    ok, txt = _sequence_ok(_order(d, "gd"))
    return Result(txt, ok, float(ok))


def c_adam_sequence(d):
    ok, txt = _sequence_ok(_order(d, "adam"))
    kt = d.extra("separation").get("kendall_tau_gd_adam")
    return Result(txt + (f"; Kendall tau vs GD {kt:.2f}" if kt is not None else ""), ok,
                  float(kt) if kt is not None else float("nan"))


def c_adam_faster(d):
    ex = d.extra("separation")
    ta, tg = ex.get("tau_below_threshold_adam"), ex.get("tau_below_threshold_gd")
    if ta is None or tg is None:
        raise NotCheckable("convergence epochs not recorded")
    ta, tg = float(ta), float(tg)
    if not math.isfinite(tg):
        raise NotCheckable("GD did not converge within this run")
    ok = math.isfinite(ta) and ta < tg
    return Result(f"first record below 0.005: Adam {_fmt(ta)}, GD {_fmt(tg)}", ok,
                  ta / tg if math.isfinite(ta) else float("nan"))


def c_outputs_converge(d):
    df = d.frame("run_ref")
    last = df.iloc[-1]
    y = M.Y
    err = max(abs(float(last[f"a2_1_c{m}"]) - y[m]) for m in range(4))
    return Result(f"max |a_1^(2) - y| over the four cases = {err:.2g} at epoch "
                  f"{int(last['epoch']):,}", err < 0.05, err)


def c_early_half(d):
    df = d.frame("run_ref")
    early = df[df["epoch"] <= 1000]
    dev = float(np.max(np.abs(early[[f"a2_1_c{m}" for m in range(4)]].to_numpy(float)
                              - P.EARLY_OUTPUT)))
    return Result(f"max |a_1^(2) - 0.5| for tau <= 1000: {dev:.3f}", dev < 0.1, dev)


def c_desync(d):
    df = d.frame("run_ref")
    diff = np.max(np.abs(np.stack([df[f"a1_1_c{m}"] - df[f"a1_2_c{m}"] for m in range(4)])), axis=0)
    early = float(diff[df["epoch"].to_numpy() <= 1000].max())
    late = float(diff[-1])
    idx = np.flatnonzero(diff > 0.2)
    t = float(df["epoch"].iloc[idx[0]]) if idx.size else float("nan")
    ok = early < 0.05 and late > 0.5 and _within_factor(t, P.TAU_DESYNC, 2.0)
    return Result(f"max_m |a_1^(1) - a_2^(1)|: {early:.3f} (tau <= 1000), {late:.2f} (end); "
                  f"exceeds 0.2 at tau = {_fmt(t)}", ok, t)


def c_case11(d):
    df = d.frame("run_ref")
    tau = _tau_conv_ref(d)
    start = df.loc[df["full_loss"] < 0.245, "epoch"]
    if start.empty or not math.isfinite(tau):
        raise NotCheckable("the reference run does not leave the initial plateau")
    win = df[(df["epoch"] >= float(start.iloc[0])) & (df["epoch"] <= tau)]
    peak = float(win["a2_1_c3"].max()) if len(win) else float("nan")
    end = float(df["a2_1_c3"].iloc[-1])
    return Result(f"a_1^(2) for (1,1): up to {peak:.3f} during the drop ({len(win)} records "
                  f"between tau={int(start.iloc[0]):,} and tau_conv), {end:.3g} at the end",
                  peak > 0.55 and end < 0.05, peak,
                  "resolution limited by the log-spaced records of the run")


def _plateau(d, param):
    p = d.frame("plateaus").set_index("param")
    if param not in p.index:
        raise NotCheckable(f"{param} not perturbed in this config")
    return p.loc[param]


def _plateau_edge(paper):
    def check(d, param=None):
        r = _plateau(d, param)
        up = float(r["upper_in"])
        return Result(f"plateau {float(r['lower_in']):.2f} .. {up:.2f} "
                      f"({'open' if r['lower_open'] else 'closed'} below)",
                      abs(up - paper) <= 0.1, up)
    return check


def c_plateau_w11(d):
    return _plateau_edge(P.PLATEAU_UPPER["w1_1_1"])(d, "w1_1_1")


def c_plateau_w12(d):
    return _plateau_edge(P.PLATEAU_UPPER["w1_1_2"])(d, "w1_1_2")


def c_plateau_w2(d):
    return _plateau_edge(P.PLATEAU_UPPER["w2_1_1"])(d, "w2_1_1")


def c_plateau_open(d):
    p = d.frame("plateaus")
    open_ = set(p.loc[p["lower_open"].astype(bool), "param"])
    want = set(P.PLATEAU_UPPER)
    lo = float(p["lower_in"].min())
    return Result(f"open below (up to Delta = {lo:g}): {', '.join(sorted(open_)) or 'none'}",
                  open_ == want, float(len(open_)))


def c_plateau_all(d):
    p = d.frame("plateaus")
    w = (p["upper_in"] - p["lower_in"]).astype(float)
    ok = bool(((p["upper_in"] > 0) & (p["lower_in"] < 0)).all())
    return Result(f"every parameter has a plateau about 0; narrowest width {w.min():.2f} "
                  f"({p.loc[w.idxmin(), 'param']})", ok, float(w.min()))


def _panels(d):
    f = d.frame("features")
    p = f[f["panel"].astype(str) != ""].set_index("panel")
    if p.empty:
        raise NotCheckable("no Fig. 6 panels chosen")
    return f, p


def c_well(d):
    _, p = _panels(d)
    named = [k for k in sorted(P.NAMED_PANELS) if k in p.index]
    iso = {k: bool(p.loc[k, "well_isolated"]) for k in p.index}
    txt = ", ".join(f"({k}) {'isolated' if v else 'not isolated'}" for k, v in sorted(iso.items()))
    ok = all(iso[k] for k in named) and all(not iso[k] for k in P.PANELS_WITHOUT_WELL if k in iso)
    return Result(txt, ok, float(sum(iso.values())),
                  "panels (d)-(f) are chosen by xornet.landscape rules; (d) requires no "
                  "isolated well, so only (a)-(c) test the claim independently")


def c_yellow(d):
    f, p = _panels(d)
    cols = ["well_frac", "turquoise_frac", "yellow_frac", "red_frac"]
    dom = f[cols].idxmax(axis=1) == "yellow_frac"
    domp = p[cols].idxmax(axis=1) == "yellow_frac"
    bad = [k for k, v in domp.items() if not v]
    return Result(f"L ~ 0.5 is the largest area in {int(domp.sum())}/{len(domp)} panels"
                  + (f" (not {', '.join(sorted(bad))})" if bad else "")
                  + f", {int(dom.sum())}/{len(f)} of all cross-sections",
                  bool(domp.all()), float(dom.mean()),
                  "where it fails, the L ~ 0.25 (turquoise) area is the largest; panels (d)-(f) are "
                  "our choice among the 36 sections (the paper does not name their parameters)")


def c_red(d):
    _, p = _panels(d)
    red = {k: float(p.loc[k, "red_frac"]) for k in p.index}
    has = sorted(k for k, v in red.items() if v > 0)
    ok = (all(red.get(k, 1) > 0 for k in P.PANELS_WITH_RED_RIMS if k in red)
          and all(red.get(k, 0) == 0 for k in sorted(P.NAMED_PANELS)
                  if k not in P.PANELS_WITH_RED_RIMS))
    return Result(f"red (L ~ 0.75) area in panels: {', '.join(has) or 'none'}", ok,
                  float(len(has)), "(e), (f) are chosen without red rims, (a)-(c) are named")


def c_no_higher(d):
    f = d.frame("features")
    m = float(f["max_loss"].max())
    return Result(f"highest loss on all {P.N_CROSS_SECTIONS} cross-sections: {m:.3f}", m < 0.875, m)


def c_36_differ(d):
    f = d.frame("features")
    dup = duplicate_sections(f)
    return Result(f"{len(f)} cross-sections; {len(dup)} near-identical pairs (area fractions "
                  "within 0.005)", len(f) == P.N_CROSS_SECTIONS and not dup, float(len(dup)),
                  "the x1 <-> x2 input symmetry with w11 = w12 in solution #1 makes sections "
                  "with w11 and w12 exchanged almost identical (e.g. "
                  + (", ".join("~".join(p) for p in dup[:2]) if dup else "none") + ")")


def c_traj_a1(d):
    r = _traj(d, *TRAJ_A1)
    lv = str(r["levels_visited"])
    ok = (r["outcome"] == "converged" and f"{P.LOSS_LEVELS[1]:g}" in lv
          and abs(r["start_loss"] - P.TRAJECTORIES[TRAJ_A1]["start_loss"]) < 0.05)
    return Result(_traj_text(r), ok, float(r["final_loss"]))


def c_traj_a2(d):
    r = _traj(d, *TRAJ_A2)
    ok = (r["outcome"] != "converged"
          and abs(float(r["final_loss"]) - P.TRAJECTORIES[TRAJ_A2]["loss"]) < 0.05)
    return Result(_traj_text(r), ok, float(r["final_loss"]))


def c_traj_b(d):
    r = _traj(d, *TRAJ_B)
    ok = (r["outcome"] == "converged"
          and abs(r["start_loss"] - P.TRAJECTORIES[TRAJ_B]["start_loss"]) < 0.01)
    return Result(_traj_text(r), ok, float(r["start_loss"]))


def c_traj_c(d):
    r1, r2 = _traj(d, *TRAJ_C1), _traj(d, *TRAJ_C2)
    ok = (r1["outcome"] == "converged" and r2["outcome"] != "converged"
          and 0.4 < float(r2["final_loss"]) < P.TRAJECTORIES[TRAJ_C2]["loss"])
    return Result(f"{_xy(TRAJ_C1)}: {_traj_text(r1)}; {_xy(TRAJ_C2)}: {_traj_text(r2)}", ok,
                  float(r2["final_loss"]))


def c_fig7(d):
    r = d.frame("randomized_rms").sort_values("k")
    first, last = r.iloc[0], r.iloc[-1]
    ratio = float(last["rms"] / last["rms_expected"])
    ok = float(first["rms"]) > 0.1 and float(last["rms"]) < 0.05 and abs(ratio - 1) < 0.2
    return Result(f"RMS to the nonrandomized landscape: {first['rms']:.3f} (1 scan), "
                  f"{last['rms']:.3f} ({int(last['k'])} scans; 1/sqrt(k) expects "
                  f"{last['rms_expected']:.3f})", ok, float(last["rms"]))


def c_nh1_no_zero(d):
    c = _entropy_curves(d)
    if P.NO_ZERO_LOSS_N_H not in c:
        raise NotCheckable("n_h = 1 not sampled in this config")
    g = c[P.NO_ZERO_LOSS_N_H]
    lmin = float(g.loc[np.isfinite(g["S"]), "L"].min())
    return Result(f"lowest loss bin with states for n_h=1: L = {lmin:.4f}", lmin > 0.1, lmin)


def _nh_range(nhs) -> str:
    nhs = sorted(nhs)
    return f"n_h = {nhs[0]}" if len(nhs) == 1 else f"n_h = {nhs[0]}-{nhs[-1]} ({len(nhs)} values)"


def c_zero_loss_states(d):
    c = _entropy_curves(d)
    ex = d.extra("entropy").get("min_loss_runs") or {}
    nhs = [k for k in c if k >= 2]
    if not nhs:
        raise NotCheckable("no n_h >= 2 sampled")
    lmins, los, bad = [], [], []
    for k in nhs:
        lmin = float(c[k].loc[np.isfinite(c[k]["S"]), "L"].min())
        lows = [v for kk, v in ex.items() if kk.startswith(f"nh{k}_")]
        lo = min(lows) if lows else float("nan")
        lmins.append(lmin)
        los.append(lo)
        if not (lmin < 0.01 and (not lows or lo < 0.005)):
            bad.append(k)
    return Result(f"{_nh_range(nhs)}: lowest occupied bin at L <= {max(lmins):.4f}, lowest sampled "
                  f"loss <= {_fmt(np.nanmax(los))}" + (f"; not for n_h = {bad}" if bad else ""),
                  not bad, float(max(lmins)))


def c_max_half(d):
    c = _entropy_curves(d)
    Lm = {k: float(g.loc[g["S"].idxmax(), "L"]) for k, g in c.items()}
    bad = [k for k, v in Lm.items() if abs(v - P.ENTROPY_MAX_AT) > 0.02]
    return Result(f"{_nh_range(Lm)}: argmax S(L) in [{min(Lm.values()):.4f}, "
                  f"{max(Lm.values()):.4f}]" + (f"; off for n_h = {bad}" if bad else ""), not bad)


def c_peaks(d):
    c = _entropy_curves(d)
    levels = P.FIG8_PEAKS
    nhs = [k for k in c if k >= 2]
    if not nhs:
        raise NotCheckable("no n_h >= 2 sampled")
    out, low = [], []
    for k in nhs:
        h = [peak_height(c[k]["L"], c[k]["S"], L0) for L0 in levels]
        low.append(min(h))
        miss = [L0 for L0, x in zip(levels, h, strict=True) if not (x > 0.5)]
        if miss:
            out.append(f"n_h={k} missing " + ", ".join(f"{m:g}" for m in miss))
    return Result(f"{_nh_range(nhs)}: " + ("; ".join(out) if out else "all five peaks")
                  + f" (smallest peak height {np.nanmin(low):.2f})", not out,
                  note="peak: S within 0.02 of the level exceeds the minima 0.03-0.125 away on "
                  "each side by > 0.5")


def c_suppression(d):
    i = d.frame("intruders")
    i = i[(i["n_h"] >= 2) & i["significant"].astype(bool)]
    if i.empty:
        return Result("no significant convex intruders", False)
    m = float(i["depth"].min())
    return Result(f"{len(i)} significant convex intruders for n_h >= 2; shallowest {m:.2f}, "
                  f"deepest {float(i['depth'].max()):.2f} (ln g units)", m >= 2.0, m)


def c_minor_small(d):
    m = d.frame("minor_peaks")
    nhs = sorted(int(k) for k in m["n_h"].unique() if k >= 2)
    if not nhs:
        raise NotCheckable("no n_h >= 2 analysed")
    k = nhs[0]
    n = int(m[(m["n_h"] == k) & m["significant"].astype(bool)].shape[0])
    return Result(f"significant minor peaks for n_h={k}: {n}", n > 0, float(n))


def c_minor_vanish(d):
    m = d.frame("minor_peaks")
    nhs = sorted(int(k) for k in m["n_h"].unique() if k >= 2)
    if len(nhs) < 2:
        raise NotCheckable("fewer than two n_h >= 2 analysed")
    cnt = {k: int(m[(m["n_h"] == k) & m["significant"].astype(bool)].shape[0]) for k in nhs}
    if cnt[nhs[0]] == 0:
        raise NotCheckable(f"no significant minor peaks at n_h = {nhs[0]}: nothing to "
                           "disappear (see D6)")
    ok = cnt[nhs[-1]] < cnt[nhs[0]]
    return Result("significant minor peaks by n_h: " + ", ".join(f"{k}: {v}" for k, v in cnt.items()),
                  ok, float(cnt[nhs[-1]]))


# --------------------------------------------------------------------------- registry
def _window_text() -> str:
    return f"[{P.ETA_WINDOW[0]:g}, {P.ETA_WINDOW[1]:g}]"


def _up(param) -> str:
    return f"{P.PLATEAU_UPPER[param]:g}"


def _tl(key, what="loss") -> str:
    return f"{P.TRAJECTORIES[key][what]:g}"


def _c(id, section, location, kind, statement, paper_value, inputs, check, tolerance,
       paper_number=float("nan"), figure="", scale_inputs=(), scale_free=False):
    return Claim(id, section, location, kind, statement, paper_value, tuple(inputs), check,
                 tolerance, paper_number, figure, tuple(scale_inputs), scale_free)


# the merged entropy files carry no size keys: a sampler run and the merged S(L) (bins, runs)
ENT = ("entropy_run", "entropy")

CLAIMS: list[Claim] = [
    _c("T1", "II", "Table I", "value", "XOR truth table", "y = x1 XOR x2", ["truth_table"],
       c_truth_table, "exact", figure="table1"),
    _c("A1", "III.A", "text before Table II", "qualitative",
       "A network with a single hidden neuron (n_h = 1) cannot solve XOR", "no solution",
       ["entropy"], c_nh1_no_solution, "lowest loss reached must stay above the 0.005 "
       "convergence threshold", figure="fig8", scale_inputs=ENT),
    _c("A2", "III.A", "Fig. 2", "qualitative", "n_h = 2 suffices: GD at eta = 0.1 converges",
       "converges", ["fits"], c_nh2_solves, "full-batch loss < 0.005 at the end", figure="fig2",
       scale_inputs=("run_ref",)),
    _c("A3", "III.A", "Fig. 2 text", "value",
       f"Convergence (eta = {P.REFERENCE_ETA:g}, n_h = {P.REFERENCE_N_H}) sets in after about "
       f"{P.TAU_CONV:.0f} epochs", f"~{P.TAU_CONV:.0f}",
       ["run_ref"], c_conv_epoch, f"factor 2 ({P.TAU_CONV / 2:.0f}-{P.TAU_CONV * 2:.0f}): the "
       "plateau length depends on the random initialization v_k = 0.1 r_k, which the paper does "
       "not give", P.TAU_CONV, "fig2"),
    _c("A4", "III.A", "Fig. 2 text", "value",
       f"In the initial phase the loss fluctuates about {P.INITIAL_LOSS:g}",
       f"{P.INITIAL_LOSS:g}", ["run_ref"], c_initial_plateau, "+-0.02 on the median (outputs "
       f"near 0.5 give exactly {P.INITIAL_LOSS:g})", P.INITIAL_LOSS, "fig2"),
    _c("A5", "III.A", "Fig. 2 text", "qualitative",
       "After the initial phase there is a sudden drop into the attraction basin",
       "sudden drop", ["run_ref"], c_sudden_drop, "drop from L < 0.2 to L < 0.005 takes fewer "
       "epochs than the plateau before it", figure="fig2"),
    _c("A6", "III.A", "Fig. 2 text", "threshold",
       "Lower edge of the learning-rate window of convergence", f"{P.ETA_WINDOW[0]:g}",
       ["lr_randomized"], c_window_low, "+-25 %: both are edges for a single random "
       "initialization (ours and the paper's differ; the epoch cap "
       f"{P.ETA_WINDOW_MAX_EPOCHS / 1e6:g}e6 is the paper's)", P.ETA_WINDOW[0], "lr_window",
       scale_inputs=("lr_full",)),
    _c("A7", "III.A", "Fig. 2 text", "threshold",
       "Upper edge of the learning-rate window of convergence", f"{P.ETA_WINDOW[1]:g}",
       ["lr_randomized"], c_window_high, "+-25 % (as A6)", P.ETA_WINDOW[1], "lr_window",
       scale_inputs=("lr_full",)),
    _c("A8", "III.A", "Fig. 2", "qualitative",
       f"Every Fig. 2 learning rate inside {_window_text()} converges (n_h = "
       f"{P.REFERENCE_N_H})", "all converge",
       ["fits"], c_fig2_all_converge, "all runs with eta in the window reach L < 0.005",
       figure="fig2", scale_inputs=("run_ref",)),
    _c("A18", "III.A", "Fig. 2 text", "qualitative",
       "The learning rates that converge form one interval", f"one interval {_window_text()}",
       ["lr_randomized"], c_window_interval, "exactly one run of converging eta in the scan "
       "(randomized batches, as in Fig. 2)", figure="lr_window", scale_inputs=("lr_full",)),
    _c("A9", "III.A", "Eq. (7), Fig. 2", "value", f"Power-law exponent for n_h = {P.REFERENCE_N_H}",
       f"gamma ~ {P.GAMMA[P.REFERENCE_N_H]:.1f}", ["fits"], c_gamma_nh2, "+-0.1: the paper "
       "quotes one decimal read off reference lines", P.GAMMA[P.REFERENCE_N_H], "fig2",
       scale_inputs=("run_ref",)),
    _c("A10", "III.A", "Eq. (7), Fig. 2", "value", f"Power-law exponent for n_h = {P.LARGE_N_H}",
       f"gamma ~ {P.GAMMA[P.LARGE_N_H]:.1f}", ["fits"], c_gamma_nh18, "+-0.1 (as A9)",
       P.GAMMA[P.LARGE_N_H], "fig2", scale_inputs=("run_ref",)),
    _c("A11", "III.A", "Fig. 2 text", "qualitative", "gamma does not depend on the learning rate",
       "independent of eta", ["fits"], c_gamma_indep_eta, "spread of gamma over eta <= 0.1 "
       "(the resolution of the paper's statement)", figure="fig2", scale_inputs=("run_ref",)),
    _c("A12", "III.A", "Fig. 2 text", "qualitative", "gamma depends on the number of hidden neurons",
       f"{P.GAMMA[P.REFERENCE_N_H]:.1f} vs {P.GAMMA[P.LARGE_N_H]:.1f}", ["fits"], c_gamma_nh_dep, "gamma(18) > gamma(2) by more than 3 standard "
       "errors", figure="fig2", scale_inputs=("run_ref",)),
    _c("A13", "III.A/D", "Fig. 2 text; Sec. III.D", "qualitative",
       "n_h = 18 converges faster only in the long-term phase (larger exponent)",
       "later phase only", ["fits"], c_nh18_longterm, "lower final loss, and threshold not "
       "reached more than 2x earlier", figure="fig2", scale_inputs=("run_ref",)),
    _c("A14", "III.A", "Table II #1", "value",
       "Solution #1 from GD (eta = 0.1) from the Fig. 2 initialization", "#1 as printed",
       ["solutions"], c_table2_1, "same hidden-neuron logic (symmetry class); values not "
       "compared (initialization unknown)", figure="table2", scale_inputs=("run_ref",)),
    _c("A15", "III.A", "Table II", "value", "Printed sets #1, #2, #5 are solutions",
       "solutions", ["solutions"], c_table2_printed_ok, "loss < 0.005 and every output on the "
       "right side of 0.5", figure="table2", scale_free=True),
    _c("A16", "III.A", "Table II", "value", "Printed sets #3, #4 are solutions", "solutions",
       ["solutions"], c_table2_printed_34, "as A15", figure="table2", scale_free=True),
    _c("A17", "III.A", "Table II text", "qualitative",
       "Zero-T Monte Carlo finds further, different solutions", ">= 4 others", ["solutions"],
       c_mc_solutions, ">= 4 distinct solutions besides #1", float(len(P.TABLE2) - 1), "table2"),
    _c("B1", "III.B", "Fig. 3", "qualitative",
       "Zero loss is not reached in finite time; weights and biases keep drifting",
       "drift, L > 0", ["run_ref"], c_drift, "|v| grows by > 1 % after 10 tau_conv and L > 0",
       figure="fig3"),
    _c("B2", "III.B", "Fig. 3 text", "qualitative",
       "After convergence the parameters keep changing monotonously", "monotone",
       ["run_ref"], c_monotone, "every parameter monotone over the log-spaced records after "
       "2 tau_conv", figure="fig3"),
    _c("B3", "III.B", "Fig. 3 caption", "qualitative",
       "w11, w12 and w21, w22 are indistinguishable in solution #1", "pairs equal",
       ["run_ref"], c_pairs, "relative difference < 1 % at the end of the run", figure="fig3"),
    _c("B4", "III.B", "Fig. 3 text", "qualitative",
       "Separation order (GD): weights of one hidden neuron k, then w_1k^(2) and b_k^(1), "
       "then the rest", "sequence", ["separation"], c_gd_sequence,
       "ordering of the separation epochs (|v - v0| > 0.5) by these three groups; the order "
       "of w_1k^(2) and b_k^(1) is not tested (the text: 'in consequence, also')", figure="optimizers"),
    _c("B5", "III.B", "Fig. 3 text", "qualitative",
       "Adam gives the identical separation sequence", "identical", ["separation"],
       c_adam_sequence, "same ordering test as B4", figure="optimizers"),
    _c("B6", "III.B", "Fig. 3 text", "qualitative", "Adam converges much faster than GD",
       "faster", ["separation"], c_adam_faster, "Adam reaches L < 0.005 first",
       figure="optimizers"),
    _c("B7", "III.B", "Fig. 4", "qualitative",
       "The output activation converges to the XOR target in all four cases", "converges",
       ["run_ref"], c_outputs_converge, "max |yhat - y| < 0.05 at the end", figure="fig4"),
    _c("B8", "III.B", "Fig. 4 text", "qualitative",
       "In early epochs all outputs are about 0.5 (small initial parameters)", "~0.5",
       ["run_ref"], c_early_half, "max |yhat - 0.5| < 0.1 for tau <= 1000", figure="fig4"),
    _c("B9", "III.B", "Fig. 4 text", "qualitative",
       f"Hidden activations desync (symmetry breaking) at tau ~ {P.TAU_DESYNC:.0f}",
       f"~{P.TAU_DESYNC:.0f}", ["run_ref"], c_desync, "|a_1^(1) - a_2^(1)| < 0.05 early, > 0.5 "
       f"at the end, first > 0.2 within a factor 2 of {P.TAU_DESYNC:.0f}", P.TAU_DESYNC, "fig4"),
    _c("B15", "III.B", "Fig. 4 text", "qualitative",
       "Case (1,1): the output first enters the wrong channel, then corrects toward 0",
       "wrong channel, then 0", ["run_ref"], c_case11, "yhat(1,1) > 0.55 at a record of the "
       "drop (L < 0.245 up to tau_conv) and < 0.05 at the end", figure="fig4"),
    _c("B10", "III.B", "Fig. 5(a) text", "threshold",
       f"Convergence unaltered if Delta w11^(1) < {_up('w1_1_1')}", _up("w1_1_1"), ["plateaus"],
       c_plateau_w11, "+-0.1 (the paper quotes two digits read off Fig. 5)",
       P.PLATEAU_UPPER["w1_1_1"], "fig5"),
    _c("B11", "III.B", "Fig. 5(a) text", "threshold",
       f"Convergence unaltered if Delta w12^(1) < {_up('w1_1_2')}", _up("w1_1_2"), ["plateaus"],
       c_plateau_w12, "+-0.1 (as B10)", P.PLATEAU_UPPER["w1_1_2"], "fig5"),
    _c("B12", "III.B", "Fig. 5(a) text", "threshold",
       f"Convergence unaltered if Delta w11^(2) < {_up('w2_1_1')}", _up("w2_1_1"), ["plateaus"],
       c_plateau_w2, "+-0.1 (as B10)", P.PLATEAU_UPPER["w2_1_1"], "fig5"),
    _c("B13", "III.B", "Fig. 5 text", "qualitative",
       "Only w11^(1), w12^(1), w11^(2) are unaffected below a threshold (plateau open to "
       "negative shifts)", "these three", ["plateaus"], c_plateau_open,
       "exactly these three plateaus reach the lower end of the Delta grid", figure="fig5"),
    _c("B14", "III.B", "Fig. 5 text", "qualitative",
       "All curves have a plateau about the optimum", "plateau for all nine", ["plateaus"],
       c_plateau_all, "plateau contains Delta < 0 and Delta > 0 for every parameter",
       figure="fig5"),
    _c("C1", "III.C.1", "Fig. 6", "qualitative",
       "An isolated well surrounds the optimum in all panels except (d)", "all but (d)",
       ["features"], c_well, "well = connected region L < 0.125 about (0, 0) not touching the "
       "window edge", figure="fig6"),
    _c("C2", "III.C.1", "Fig. 6 text", "qualitative",
       "Yellow plateaus (L ~ 0.5) dominate in all figures", "all panels", ["features"], c_yellow,
       "0.375 <= L < 0.625 is the largest of the four colour classes in every panel",
       figure="fig6"),
    _c("C3", "III.C.1", "Fig. 6 text", "qualitative",
       "Red rims (L ~ 0.75) appear only in panels (b)-(d)", "(b)-(d)", ["features"], c_red,
       "area with L >= 0.625 nonzero in (b)-(d), zero in (a)", figure="fig6"),
    _c("C4", "III.C.1", "Fig. 6 text", "qualitative",
       "No loss values above ~0.75 in the plotted ranges", "none > 0.75", ["features"],
       c_no_higher, "highest loss on every cross-section < 0.875 (midway to the next level)",
       figure="fig6"),
    _c("C5", "III.C.1", "Fig. 6 text", "qualitative",
       f"All {P.N_CROSS_SECTIONS} cross-sections significantly differ from each other",
       "all differ",
       ["features"], c_36_differ, "no two sections with colour-area fractions and max loss "
       "within 0.005", figure="landscape_all"),
    _c("C6", "III.C.1", "Fig. 6(a)", "qualitative",
       f"Path from {_xy(TRAJ_A1)}, L ~ {P.TRAJECTORIES[TRAJ_A1]['start_loss']:g}, drops to "
       f"L ~ {P.LOSS_LEVELS[1]:g}, then converges", f"converges via {P.LOSS_LEVELS[1]:g}",
       ["trajectories"], c_traj_a1, "outcome converged and the 0.25 level visited",
       figure="fig6"),
    _c("C7", "III.C.1", "Fig. 6(a)", "qualitative",
       f"Path from {_xy(TRAJ_A2)} gets stuck in a trench at L ~ {_tl(TRAJ_A2)}",
       f"stuck at {_tl(TRAJ_A2)}", ["trajectories"], c_traj_a2,
       f"not converged; final loss within 0.05 of {_tl(TRAJ_A2)}",
       P.TRAJECTORIES[TRAJ_A2]["loss"], "fig6"),
    _c("C8", "III.C.1", "Fig. 6(b)", "qualitative",
       f"Path from {_xy(TRAJ_B)}, L ~ {_tl(TRAJ_B, 'start_loss')}, passes the ridge and "
       "converges", f"L0 ~ {_tl(TRAJ_B, 'start_loss')}, converges",
       ["trajectories"], c_traj_b, f"converged; start loss within 0.01 of "
       f"{_tl(TRAJ_B, 'start_loss')}", figure="fig6"),
    _c("C9", "III.C.1", "Fig. 6(c)", "qualitative",
       f"From {_xy(TRAJ_C1)} the path converges; from {_xy(TRAJ_C2)} it is trapped just below "
       f"L = {_tl(TRAJ_C2)}",
       "diverging fates", ["trajectories"], c_traj_c, "first converged; second not converged "
       f"with 0.4 < L < {_tl(TRAJ_C2)} at the cap", figure="fig6"),
    _c("C10", "III.C.2", "Fig. 7", "qualitative",
       f"A single randomized scan is fuzzy; the average of {P.FIG7_N_SCANS} converges to the "
       "nonrandomized "
       "landscape", "converges", ["randomized_rms"], c_fig7, "RMS > 0.1 for one scan, < 0.05 "
       "for all scans, within 20 % of the 1/sqrt(k) law", figure="fig7"),
    _c("D1", "III.D", "Fig. 8", "qualitative", f"No zero-loss states for n_h = {P.NO_ZERO_LOSS_N_H}",
       "none", ["entropy"], c_nh1_no_zero, "lowest loss bin with states > 0.1",
       figure="fig8", scale_inputs=ENT),
    _c("D2", "III.D", "Fig. 8", "qualitative", f"Zero-loss states exist for n_h >= {P.ZERO_LOSS_MIN_N_H}",
       "exist", ["entropy"], c_zero_loss_states, "a state in the lowest bins (L < 0.01) and a "
       "sampled loss < 0.005", figure="fig8", scale_inputs=ENT),
    _c("D3", "III.D", "Fig. 8", "value", f"The entropy is largest around L = {P.ENTROPY_MAX_AT:g}",
       f"{P.ENTROPY_MAX_AT:g}", ["entropy"], c_max_half,
       f"argmax within 0.02 of {P.ENTROPY_MAX_AT:g} for every n_h", P.ENTROPY_MAX_AT, "fig8",
       scale_inputs=ENT),
    _c("D4", "III.D", "Fig. 8", "qualitative",
       "Peaks of S(L) at L = " + ", ".join(f"{x:g}" for x in P.FIG8_PEAKS[:-1])
       + f" and {P.FIG8_PEAKS[-1]:g}", "five peaks", ["entropy"], c_peaks,
       "peak height > 0.5 (ln g units) at every level for every n_h >= 2", figure="fig8",
       scale_inputs=ENT),
    _c("D5", "III.D", "Fig. 8", "qualitative",
       "Loss values between the levels are very strongly suppressed", "strong",
       ["intruders"], c_suppression, "every significant convex intruder deeper than 2 "
       "(ln g units, i.e. a factor e^2 in g)", figure="fig8_barriers", scale_inputs=ENT),
    _c("D6", "III.D", "Fig. 8", "qualitative",
       "Small hidden layers show additional minor peaks", "present", ["minor_peaks"],
       c_minor_small, "at least one significant minor peak for the smallest n_h >= 2",
       figure="fig8_barriers", scale_inputs=ENT),
    _c("D7", "III.D", "Fig. 8", "qualitative",
       "The minor peaks (finite-size barriers) disappear as n_h grows", "disappear",
       ["minor_peaks"], c_minor_vanish, "fewer significant minor peaks at the largest n_h than "
       "at n_h = 2", figure="fig8_barriers", scale_inputs=ENT),
]


# --------------------------------------------------------------------------- Mehta et al. 2018
# Beyond the paper: the checkable statements of the related energy-landscape study of the same
# network (D. Mehta, X. Zhao, E. A. Bernal, D. J. Wales, "The loss surface of XOR artificial
# neural networks", Phys. Rev. E 97, 052307 (2018)), read from our census (xornet.census,
# docs/census.md). Their loss and regularisation differ in detail from ours (Eq. 4 + lam |v|^2),
# so only trends are compared, not counts.
MEHTA = "Mehta et al. 2018"


def _census(d: Data) -> pd.DataFrame:
    s = d.frame("census_summary")
    if s["n_h"].nunique() < 2:
        raise NotCheckable("fewer than two n_h in the census")
    return s.sort_values(["lam", "n_h"])


def _grows(d: Data, col: str) -> Result:
    s = _census(d)
    parts, ok = [], True
    for lam, g in s.groupby("lam"):
        vals = g[col].to_numpy(float)
        ok &= bool(np.all(np.diff(vals) >= 0) and vals[-1] > vals[0])
        parts.append(f"lam={lam:g}: " + ", ".join(f"{v:.3g}" for v in vals))
    nhs = sorted(s["n_h"].unique())
    return Result(f"{col} for {_nh_range(nhs)}: " + "; ".join(parts), ok,
                  float(s[col].iloc[-1]))


def c_m_minima_grow(d):
    return _grows(d, "n_minima")


def c_m_ts_grow(d):
    r = _grows(d, "n_ts")
    r.note = ("our transition states come from double-ended searches between nearby minima, a "
              "lower bound on the true number")
    return r


def c_m_ratio_grows(d):
    s = _census(d)
    parts, ok = [], True
    for lam, g in s.groupby("lam"):
        v = g["ts_per_minimum"].to_numpy(float)
        ok &= bool(v[-1] > v[0])
        parts.append(f"lam={lam:g}: " + ", ".join(f"{x:.2f}" for x in v))
    return Result("TS per minimum: " + "; ".join(parts), ok, float(s["ts_per_minimum"].iloc[-1]),
                  "our transition states are a lower bound (connections to the 3 nearest minima "
                  "and joins of components only)")


def c_m_lambda(d):
    s = _census(d)
    if s["lam"].nunique() < 2:
        raise NotCheckable("a single lambda in the census")
    parts, ok = [], True
    for n_h, g in s.sort_values("lam").groupby("n_h"):
        v = g["n_minima"].to_numpy(int)
        if n_h >= 2:
            ok &= bool(v[-1] < v[0])
        parts.append(f"n_h={n_h}: " + ", ".join(str(x) for x in v))
    lams = ", ".join(f"{x:g}" for x in sorted(s["lam"].unique()))
    return Result(f"minima at lam = {lams}: " + "; ".join(parts), ok,
                  note="n_h = 1 is not required to follow the trend (a handful of minima)")


def c_m_embedding(d):
    e = d.frame("census_embedding")
    f = e[e["found"]]
    by = {v: g for v, g in f.groupby("variant")}
    if not {"none", "weights", "all"} <= set(by):
        raise NotCheckable("embedding test lacks a regularisation variant")
    held = {v: (int(g["stationary_padded"].sum()), len(g)) for v, g in by.items()}
    ok = all(held[v][0] == held[v][1] > 0 for v in ("none", "weights"))
    txt = "; ".join(f"{v}: {a}/{b} stay stationary" for v, (a, b) in held.items())
    g = by["all"]
    return Result(txt, ok, float(held["none"][0]),
                  "with L2 on every parameter the padded gradient is -lam b2 (max "
                  f"{g['grad_padded'].max():.2g}): the statement needs the output bias "
                  "unregularised")


CLAIMS += [
    _c("M1", MEHTA, "abstract", "qualitative",
       f"{MEHTA}: the number of local minima grows rapidly with the number of hidden nodes",
       "grows", ["census_summary"], c_m_minima_grow, "non-decreasing in n_h and larger at the "
       "largest than at the smallest n_h, at every lambda", figure="census"),
    _c("M2", MEHTA, "abstract", "qualitative",
       f"{MEHTA}: the number of transition states grows rapidly with the number of hidden nodes",
       "grows", ["census_summary"], c_m_ts_grow, "as M1", figure="census"),
    _c("M3", MEHTA, "abstract", "qualitative",
       f"{MEHTA}: the ratio of transition states to minima grows with the number of hidden nodes",
       "grows", ["census_summary"], c_m_ratio_grows, "ratio at the largest n_h above that at "
       "n_h = 1, at every lambda", figure="census"),
    _c("M4", MEHTA, "abstract", "qualitative",
       f"{MEHTA}: the landscape becomes more convex (fewer minima) as the regularisation grows",
       "fewer minima", ["census_summary"], c_m_lambda, "fewer minima at the largest than at the "
       "smallest lambda for every n_h >= 2", figure="census"),
    _c("M5", MEHTA, "abstract", "qualitative",
       f"{MEHTA}: stationary points of N_h hidden nodes stay stationary for N_h + 1 nodes when "
       "the extra node's weights are zero", "embedded", ["census_embedding"], c_m_embedding,
       "every padded point has max |gradient| < 1e-8, with lambda = 0 and with L2 on the "
       "weights only (their formulation)", figure="census", scale_free=True),
]


# --------------------------------------------------------------------------- evaluation
COLUMNS = ["id", "section", "location", "kind", "statement", "paper_value", "paper_number",
           "reproduced_value", "reproduced_number", "tolerance", "outcome", "verdict", "reason",
           "ci_scale", "note", "figure", "inputs"]


def evaluate_claim(claim: Claim, data: Data, defaults: dict, gate: str = "xor") -> dict:
    row = {"id": claim.id, "section": claim.section, "location": claim.location,
           "kind": claim.kind, "statement": claim.statement, "paper_value": claim.paper_value,
           "paper_number": float(claim.paper_number), "tolerance": claim.tolerance,
           "figure": claim.figure, "inputs": ", ".join(data.paths.get(k, k) for k in claim.inputs),
           "reproduced_value": "", "reproduced_number": float("nan"), "outcome": "",
           "verdict": "not checkable", "reason": "", "ci_scale": False, "note": ""}
    if gate not in claim.gates:
        row.update(verdict="not applicable",
                   reason=f"the claim is about {' / '.join(g.upper() for g in claim.gates)}; "
                          f"this run learns {gate.upper()} (config gate)")
        return row
    missing = [k for k in claim.inputs if not data.available(k)]
    if missing:
        row["reason"] = "stage not built: " + ", ".join(
            f"{k} ({data.paths.get(k, 'no path')})" for k in missing)
        return row
    try:
        res = claim.check(data)
    except NotCheckable as exc:
        row["reason"] = str(exc)
        return row
    except Exception as exc:  # never crash the scorecard; tests assert this does not happen
        row["reason"] = f"check failed: {type(exc).__name__}: {exc}"
        return row
    row.update(reproduced_value=res.value, reproduced_number=float(res.number), note=res.note,
               outcome="reproduced" if res.ok else "differs")
    issues, unknown = [], []
    for k in () if claim.scale_free else dict.fromkeys((*claim.inputs, *claim.scale_inputs)):
        if data.available(k):
            issues += scale_issues(k, data.prov(k), defaults,
                                   data.frame(k) if INPUTS[k].derived else None)
        else:
            unknown.append(f"{k} ({data.paths.get(k, 'no path')}) not built")
    if unknown and not issues:
        row["reason"] = "scale of the inputs unknown: " + "; ".join(unknown)
    elif issues:
        row.update(ci_scale=True, verdict="not checkable",
                   reason="not checkable at CI scale: " + "; ".join(issues))
    else:
        row["verdict"] = row["outcome"]
    return row


def evaluate(paths: dict[str, str], defaults: dict, claims=None,
             gate: str = "xor") -> pd.DataFrame:
    """One row per claim (dataset ``claims``). ``defaults``: the paper-fidelity config;
    ``gate``: the gate the run learned (config ``gate``)."""
    data = Data(paths)
    rows = [evaluate_claim(c, data, defaults, gate) for c in (claims or CLAIMS)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["ci_scale"] = df["ci_scale"].astype(bool)
    df["paper_number"] = df["paper_number"].astype(float)
    df["reproduced_number"] = df["reproduced_number"].astype(float)
    return df


def summary(df: pd.DataFrame) -> dict:
    """Counts of verdicts (and of would-be outcomes at CI scale)."""
    out = {v: int((df["verdict"] == v).sum()) for v in VERDICTS}
    out["total"] = len(df)
    out["ci_scale"] = int(df["ci_scale"].sum())
    out["outcome_reproduced"] = int((df["outcome"] == "reproduced").sum())
    out["outcome_differs"] = int((df["outcome"] == "differs").sum())
    return out


FIGURE_TITLES = {
    "table1": "Table I", "fig1": "Fig. 1", "fig2": "Fig. 2", "fig3": "Fig. 3", "fig4": "Fig. 4",
    "table2": "Table II", "lr_window": "learning-rate window (Sec. III.A)",
    "optimizers": "GD vs Adam (Sec. III.B)", "fig5": "Fig. 5", "fig6": "Fig. 6",
    "landscape_all": "all 36 cross-sections", "fig7": "Fig. 7", "fig8": "Fig. 8",
    "fig8_barriers": "Fig. 8 barriers / minor peaks",
    "census": "stationary-point census (Mehta et al. 2018)",
}


def by_figure(df: pd.DataFrame) -> pd.DataFrame:
    """Verdict counts per figure/table (the README's one-line agreement summary)."""
    rows = []
    order = {k: i for i, k in enumerate(FIGURE_TITLES)}
    figs = sorted(df["figure"].unique(), key=lambda f: order.get(f, len(order)))
    for fig in figs:
        g = df[df["figure"] == fig]
        rows.append({"figure": fig, "title": FIGURE_TITLES.get(fig, fig), "claims": len(g),
                     "reproduced": int((g["verdict"] == "reproduced").sum()),
                     "differs": int((g["verdict"] == "differs").sum()),
                     "not_checkable": int((g["verdict"] == "not checkable").sum()),
                     "not_applicable": int((g["verdict"] == "not applicable").sum()),
                     "differing_ids": ", ".join(g.loc[g["verdict"] == "differs", "id"]),
                     "ci_scale": int(g["ci_scale"].sum())})
    return pd.DataFrame(rows)


def _md_escape(s) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def markdown(df: pd.DataFrame, extra_columns: dict[str, dict] | None = None) -> str:
    """The scorecard as Markdown: summary line, the table, then every difference explained.
    ``extra_columns``: header -> {claim id: cell} appended to the table (xornet.robustness)."""
    s = summary(df)
    extra = extra_columns or {}
    lines = ["# Reproduction scorecard", "",
             f"Paper: {PAPER}.", "",
             f"{s['total']} claims: **{s['reproduced']} reproduced**, **{s['differs']} differ**, "
             f"{s['not checkable']} not checkable"
             + (f", {s['not applicable']} not applicable (another gate)"
                if s["not applicable"] else "")
             + (f" ({s['ci_scale']} only because the inputs are at CI scale; at that scale "
                f"{s['outcome_reproduced']} checks pass and {s['outcome_differs']} fail)"
                if s["ci_scale"] else "") + ".", "",
             "| id | where | paper says | paper | reproduced | tolerance | verdict |"
             + "".join(f" {h} |" for h in extra),
             "|---|---|---|---|---|---|---|" + "---|" * len(extra)]
    mark = {"reproduced": "✅ reproduced", "differs": "❌ differs",
            "not applicable": "⊘ not applicable"}
    for _, r in df.iterrows():
        v = mark.get(r["verdict"], "➖ not checkable")
        if r["verdict"] == "not checkable" and r["ci_scale"]:
            v += f" (CI scale; would be: {r['outcome']})"
        lines.append("| " + " | ".join(_md_escape(x) for x in (
            r["id"], f"Sec. {r['section']}, {r['location']}", r["statement"], r["paper_value"],
            r["reproduced_value"] or "—", r["tolerance"], v,
            *(c.get(r["id"], "") for c in extra.values()))) + " |")
    lines += ["", "## Agreement by figure", "",
              "| figure / table | claims | reproduced | differ | not checkable |",
              "|---|---|---|---|---|"]
    for _, r in by_figure(df).iterrows():
        lines.append(f"| {r['title']} | {r['claims']} | {r['reproduced']} | {r['differs']}"
                     + (f" ({r['differing_ids']})" if r["differing_ids"] else "")
                     + f" | {r['not_checkable']}"
                     + (f" ({r['ci_scale']} at CI scale)" if r["ci_scale"] else "")
                     + (f"; {r['not_applicable']} not applicable" if r["not_applicable"] else "")
                     + " |")
    diff = df[(df["verdict"] == "differs") | (df["outcome"] == "differs")]
    lines += ["", "## Differences from the paper", ""]
    if diff.empty:
        lines.append("None.")
    for _, r in diff.iterrows():
        ci = " (at CI scale)" if r["ci_scale"] else ""
        lines.append(f"- **{r['id']}** ({r['location']}){ci}: paper: {r['statement']} "
                     f"({r['paper_value']}); here: {r['reproduced_value']}."
                     + (f" {r['note'][:1].upper()}{r['note'][1:]}." if r["note"] else ""))
    na = df[df["verdict"] == "not applicable"]
    if len(na):
        lines += ["", "## Not applicable", ""]
        lines += [f"- **{r['id']}** ({r['statement']}): {r['reason']}" for _, r in na.iterrows()]
    nc = df[(df["verdict"] == "not checkable") & ~df["ci_scale"]]
    lines += ["", "## Not checkable", ""]
    if nc.empty:
        lines.append("None.")
    for _, r in nc.iterrows():
        lines.append(f"- **{r['id']}** ({r['statement']}): {r['reason']}")
    if s["ci_scale"]:
        lines += ["", "Inputs at CI scale (verdicts withheld): "
                  + "; ".join(sorted({x for r in df.loc[df["ci_scale"], "reason"]
                                      for x in r.split(": ", 1)[1].split("; ")}))]
    return "\n".join(lines) + "\n"


_COLOURS = {"reproduced": "#d8f0d8", "differs": "#f6d5d5", "not checkable": "#eeeeee",
            "not applicable": "#e4e4f4"}


def html(df: pd.DataFrame) -> str:
    """The scorecard as a standalone HTML page (embedded in the Snakemake report)."""
    import html as _h

    s = summary(df)
    e = _h.escape
    rows = []
    for _, r in df.iterrows():
        v = r["verdict"] + (f" (CI scale; would be: {r['outcome']})" if r["ci_scale"] else "")
        detail = "; ".join(x for x in (r["note"], r["reason"]) if x)
        rows.append(
            f"<tr style='background:{_COLOURS.get(r['verdict'], '#fff')}'>"
            + "".join(f"<td>{e(str(x))}</td>" for x in (
                r["id"], f"Sec. {r['section']}, {r['location']}", r["statement"], r["paper_value"],
                r["reproduced_value"] or "—", r["tolerance"], v, detail))
            + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("id", "where", "paper says", "paper", "reproduced",
                                               "tolerance", "verdict", "note / reason"))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Reproduction scorecard"
            "</title><style>body{font-family:sans-serif;font-size:13px}table{border-collapse:"
            "collapse}td,th{border:1px solid #bbb;padding:3px 5px;vertical-align:top}"
            "th{background:#ddd}</style></head><body>"
            f"<h2>Reproduction scorecard</h2><p>{e(PAPER)}</p>"
            f"<p>{s['total']} claims: <b>{s['reproduced']} reproduced</b>, <b>{s['differs']} "
            f"differ</b>, {s['not checkable']} not checkable ({s['ci_scale']} because of "
            f"CI-scale inputs), {s['not applicable']} not applicable (another gate).</p><table><tr>{head}</tr>{''.join(rows)}</table></body></html>\n")
