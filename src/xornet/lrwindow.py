"""The learning-rate window of convergence (Sec. III.A: eta in ``xornet.paper.ETA_WINDOW`` for
the Fig. 2 initialization, 'in extensive tests with up to five million epochs').

A run *converges* if its nonrandomized full-batch loss falls below the threshold within
``max_epochs``. All runs share the initialization and the stream of randomized batches, so
eta is the only thing that varies. A log-spaced scan brackets both edges; bisection (several
points per edge per round, run as one ensemble) narrows each bracket until
``(hi - lo) / hi < rel_resolution``. A non-monotonic scan (converging and failing learning
rates interleaved) is reported, not hidden: the window is then the outermost converging
learning rates and the scan rows show the gaps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import kernels as K
from .paper import REFERENCE_ETA
from .train import Progress, converge_ensemble

POINTS_PER_ROUND = 4


def _run(etas, v0, n_h, max_epochs, randomized, state, threshold, logger, label, gate):
    """Converge runs at ``etas`` from ``v0`` (one point, or one row per eta) with batch
    stream(s) ``state`` (one, or one per eta)."""
    etas = np.asarray(etas, float)
    R = etas.size
    v0 = np.asarray(v0, float)
    V = np.tile(v0, (R, 1)) if v0.ndim == 1 else v0
    S = np.broadcast_to(np.asarray(state, dtype=np.uint64), (R,)).copy()
    prog = Progress(max_epochs, label, every=20.0, logger=logger) if logger else None
    out = converge_ensemble(V, n_h, etas, max_epochs, randomized=randomized, states=S,
                            target=threshold, progress=prog, gate=gate)
    return pd.DataFrame({
        "eta": etas,
        "converged": out["status"] == K.STATUS_CONVERGED,
        "epochs": out["epochs"].astype(np.int64),
        "final_full_loss": out["final_full_loss"],
        "diverged": out["status"] == K.STATUS_DIVERGED,
    })


def find_window(v0, n_h: int, *, eta_min: float, eta_max: float, n: int, max_epochs: int,
                rel_resolution: float, threshold: float, randomized: bool, state,
                logger=None, max_rounds: int = 40, gate: str = "xor"):
    """Scan + bisection; returns (rows for schema ``lr_window``, summary dict)."""
    scan = _run(np.geomspace(eta_min, eta_max, n), v0, n_h, max_epochs, randomized, state,
                threshold, logger, "lr scan", gate)
    scan["phase"] = "scan"
    frames = [scan]
    conv = scan["converged"].to_numpy()
    etas = scan["eta"].to_numpy()
    summary = {"n_scan": int(n), "max_epochs": int(max_epochs), "threshold": threshold,
               "transitions_in_scan": int(np.count_nonzero(np.diff(conv.astype(int)))),
               "eta_min_scanned": eta_min, "eta_max_scanned": eta_max}
    if not conv.any():
        summary.update(window=None, note="no learning rate in the scan converged")
        return scan, summary
    i0, i1 = np.flatnonzero(conv)[[0, -1]]
    # brackets: low = (non-converging lo, converging hi); high = (converging lo, failing hi)
    low = (etas[i0 - 1], etas[i0]) if i0 > 0 else None
    high = (etas[i1], etas[i1 + 1]) if i1 < n - 1 else None
    for rnd in range(max_rounds):
        active = [(name, br) for name, br in (("low", low), ("high", high))
                  if br is not None and (br[1] - br[0]) / br[1] >= rel_resolution]
        if not active:
            break
        pts, owner = [], []
        for name, (lo, hi) in active:
            inner = np.geomspace(lo, hi, POINTS_PER_ROUND + 2)[1:-1]
            pts += list(inner)
            owner += [name] * len(inner)
        res = _run(pts, v0, n_h, max_epochs, randomized, state, threshold, logger,
                   f"bisection round {rnd + 1}", gate)
        res["phase"] = [f"bisect_{o}" for o in owner]
        frames.append(res)
        for name, (lo, hi) in active:
            sub = res[res["phase"] == f"bisect_{name}"]
            e = np.concatenate([[lo], sub["eta"].to_numpy(), [hi]])
            c = np.concatenate([[name == "high"], sub["converged"].to_numpy(), [name == "low"]])
            if name == "low":  # smallest converging, and the failing one just below it
                j = int(np.flatnonzero(c)[0])
                low = (e[j - 1], e[j])
            else:  # largest converging, and the failing one just above it
                j = int(np.flatnonzero(c)[-1])
                high = (e[j], e[j + 1])
    rows = pd.concat(frames, ignore_index=True)
    summary.update(
        window=[float(low[1]) if low else float(etas[i0]), float(high[0]) if high else float(etas[i1])],
        low_bracket=[float(x) for x in low] if low else None,
        high_bracket=[float(x) for x in high] if high else None,
        low_open=low is None, high_open=high is None,
    )
    return rows, summary


def scan_inits(v0s, n_h: int, etas, *, max_epochs: int, threshold: float, randomized: bool,
               states, logger=None, gate: str = "xor") -> pd.DataFrame:
    """Convergence of every (initialization, eta) pair in one ensemble call.

    ``v0s[k]`` and ``states[k]`` are initialization k and its batch stream. Shows how much the
    window depends on the random initialization (the paper reports it for one start).
    """
    v0s = np.asarray(v0s, float)
    etas = np.asarray(etas, float)
    n_i, n_e = v0s.shape[0], etas.size
    V = np.repeat(v0s, n_e, axis=0)
    E = np.tile(etas, n_i)
    S = np.repeat(np.asarray(states, dtype=np.uint64), n_e)
    df = _run(E, V, n_h, max_epochs, randomized, S, threshold, logger, "init scan", gate)
    df.insert(0, "init", np.repeat(np.arange(n_i, dtype=np.int64), n_e))
    return df


def converging_intervals(df: pd.DataFrame) -> list[tuple[float, float, float, float]]:
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


def main_interval(df: pd.DataFrame, eta0: float = REFERENCE_ETA):
    """The interval of converging learning rates containing (or nearest to) eta0 (the paper's
    eta = 0.1), and all intervals (:func:`converging_intervals`)."""
    iv = converging_intervals(df)
    if not iv:
        return None, iv
    k = min(range(len(iv)), key=lambda i: 0 if iv[i][0] <= eta0 <= iv[i][1]
            else min(abs(np.log(iv[i][0] / eta0)), abs(np.log(iv[i][1] / eta0))))
    return iv[k], iv
