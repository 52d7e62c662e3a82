"""Steepest descent on two parameters from the Fig. 6 starts, and the summary of each path
beside the paper's words (rules ``landscape_trajectory``, ``landscape_trajectories``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit, prange

from .. import gates
from .. import kernels as K
from .. import model as M
from ..paper import TRAJECTORIES as PAPER_TRAJECTORIES

#: Trajectory outcomes: ``converged`` (full loss below the convergence threshold),
#: ``stuck`` (stalled: loss decreased by less than the tolerance over the last decade of
#: epochs), ``running`` (epoch cap reached while still descending), ``diverged``.
OUTCOMES = ("converged", "stuck", "running", "diverged")


@njit(parallel=True, **K.JIT)
def _descend_chunk(V, nh, etas, n_epochs, masks, status, epochs, target, yb):
    """``n_epochs`` of nonrandomized steepest descent (Eq. 6) on every running row of ``V``;
    only parameters with ``masks[r, k] = 1`` move. Stops a row once its full-batch loss is
    below ``target`` (status converged). ``prange`` over rows: thread-count independent."""
    for r in prange(V.shape[0]):
        if status[r] != K.STATUS_RUNNING:
            continue
        _, done, _, _, _, st = K._gd_epochs(V[r], nh, etas[r], n_epochs, False, np.uint64(0),
                                            masks[r], target, yb)
        status[r] = st
        epochs[r] += done


def start_vectors(v_ref, n_h: int, starts):
    """Initial parameter vectors and 0/1 masks of trajectories ``starts`` (dicts with x, y,
    dx, dy): the two free parameters shifted by (dx, dy), the rest at the reference."""
    P = M.n_params(n_h)
    V = np.tile(np.asarray(v_ref, float), (len(starts), 1))
    masks = np.zeros((len(starts), P))
    for r, s in enumerate(starts):
        ix, iy = M.param_index(s["x"], n_h), M.param_index(s["y"], n_h)
        if ix == iy:
            raise ValueError(f"start {s}: x and y must differ")
        V[r, ix] += float(s["dx"])
        V[r, iy] += float(s["dy"])
        masks[r, ix] = masks[r, iy] = 1.0
    return np.ascontiguousarray(V), masks


def descend(v_ref, n_h: int, starts, *, max_epochs: int, points_per_decade: int,
            converged_loss: float, stall_tol: float, stall_min_epochs: int,
            max_chunk: int = 1 << 22, progress=None, gate: str = "xor") -> pd.DataFrame:
    """Steepest descent of every start on its two free parameters (Fig. 6 trajectories).

    Stopping (per start): ``converged`` once the full-batch loss is below ``converged_loss``
    (checked every epoch, in the kernel); ``stuck`` at a record epoch e >= stall_min_epochs
    if the loss decreased by less than ``stall_tol`` since the record at or before e/10 (a
    whole decade of epochs without progress); ``running`` if ``max_epochs`` is reached;
    ``diverged`` if the loss becomes non-finite. Returns dataset ``landscape_trajectory``:
    the path at log-spaced epochs (:func:`xornet.train.log_epochs`) plus the final point.
    """
    from ..train import log_epochs

    V, masks = start_vectors(v_ref, n_h, starts)
    v_ref = np.asarray(v_ref, float)
    R = len(starts)
    etas = np.array([float(s["eta"]) for s in starts])
    status = np.zeros(R, dtype=np.int64)
    epochs = np.zeros(R, dtype=np.int64)
    stuck = np.zeros(R, dtype=bool)
    rec = log_epochs(int(max_epochs), int(points_per_decade))
    ix = [M.param_index(s["x"], n_h) for s in starts]
    iy = [M.param_index(s["y"], n_h) for s in starts]
    hist: list[list[tuple[int, float]]] = [[] for _ in range(R)]
    rows = []

    def record(r, final=False):
        lval = float(M.loss(V[r], n_h, gate=gate))
        hist[r].append((int(epochs[r]), lval))
        if final:
            st = "stuck" if stuck[r] else {K.STATUS_CONVERGED: "converged",
                                           K.STATUS_DIVERGED: "diverged"}.get(int(status[r]),
                                                                              "running")
        else:
            st = "running"
        rows.append({"label": str(starts[r]["label"]), "x": starts[r]["x"], "y": starts[r]["y"],
                     "epoch": int(epochs[r]), "dx": float(V[r, ix[r]] - v_ref[ix[r]]),
                     "dy": float(V[r, iy[r]] - v_ref[iy[r]]), "loss": lval, "status": st})

    epoch = 0
    for e in rec:
        while epoch < e:
            active = (status == K.STATUS_RUNNING) & ~stuck
            if not active.any():
                break
            n = int(min(e - epoch, max_chunk))
            st_in = status.copy()
            st_in[~active] = -1  # frozen: the kernel skips rows not running
            _descend_chunk(V, n_h, etas, n, masks, st_in, epochs, converged_loss, gates.bits(gate))
            status[active] = st_in[active]
            epoch += n
            for r in np.flatnonzero(active & (status != K.STATUS_RUNNING)):
                record(r, final=True)
            if progress is not None:  # highest current loss among the starts still running
                run = [hist[r][-1][1] for r in np.flatnonzero(active & (status == K.STATUS_RUNNING)) if hist[r]]
                progress.update(epoch, max(run) if run else float("nan"))
        active = (status == K.STATUS_RUNNING) & ~stuck
        if not active.any():
            break
        for r in np.flatnonzero(active):
            lval = float(M.loss(V[r], n_h, gate=gate))
            if e >= stall_min_epochs:
                back = [lv for ep, lv in hist[r] if ep <= e // 10]
                if back and back[-1] - lval < stall_tol:
                    stuck[r] = True
            record(r, final=bool(stuck[r]) or e == rec[-1])
    df = pd.DataFrame(rows)
    df["epoch"] = df["epoch"].astype(np.int64)
    return df.sort_values(["label", "epoch"], kind="stable").reset_index(drop=True)


def level_name(loss: float) -> str:
    """Which landscape level a loss value belongs to (0, 0.25, 0.5, 0.75, 1 by nearest)."""
    return f"{round(loss * 4) / 4:.2f}"


def trajectory_summary(traj: pd.DataFrame, starts, v_ref, n_h: int, half_range: float,
                       converged_loss: float) -> pd.DataFrame:
    """One row per start (dataset ``landscape_trajectory_summary``): start and end point,
    loss, epochs, outcome, gradient norm on the two free parameters at the end, the nearest
    loss level, and the paper's description (:data:`PAPER_TRAJECTORIES`) where it has one."""
    out = []
    v_ref = np.asarray(v_ref, float)
    for s in starts:
        t = traj[traj["label"] == str(s["label"])].sort_values("epoch")
        first, last = t.iloc[0], t.iloc[-1]
        lev = [level_name(v) for v in t["loss"]]
        visited = [lev[0]]
        for a, b in zip(lev[:-1], lev[1:], strict=True):
            if a == b and visited[-1] != a:  # a level held for two consecutive records
                visited.append(a)
        ix, iy = M.param_index(s["x"], n_h), M.param_index(s["y"], n_h)
        v = v_ref.copy()
        v[ix] += last["dx"]
        v[iy] += last["dy"]
        g = M.grad(v, n_h)
        key = (str(s.get("panel", "")), round(float(s["dx"]), 6), round(float(s["dy"]), 6))
        paper = PAPER_TRAJECTORIES.get(key)
        outcome = str(last["status"])
        out.append({
            "label": str(s["label"]), "panel": str(s.get("panel", "")), "x": s["x"], "y": s["y"],
            "eta": float(s["eta"]), "dx0": float(first["dx"]), "dy0": float(first["dy"]),
            "start_loss": float(first["loss"]), "epochs": int(last["epoch"]),
            "final_loss": float(last["loss"]), "dx_end": float(last["dx"]),
            "dy_end": float(last["dy"]),
            "min_loss": float(t["loss"].min()),
            "grad_norm": float(np.hypot(g[ix], g[iy])),
            "outside_window": bool(max(abs(last["dx"]), abs(last["dy"])) > half_range),
            "level": level_name(float(last["loss"])),
            "levels_visited": " > ".join(visited + ([lev[-1]] if visited[-1] != lev[-1] else [])),
            "outcome": outcome,
            "paper_outcome": paper["outcome"] if paper else "",
            "paper_start_loss": float(paper["start_loss"]) if paper else float("nan"),
            "paper_loss": float(paper["loss"]) if paper else float("nan"),
            "paper_text": paper["text"] if paper else "",
            "agrees": bool(paper is not None and (
                (paper["outcome"] == "converged") == (outcome == "converged")
                and (outcome == "converged" or abs(float(last["loss"]) - paper["loss"]) < 0.125))),
        })
    return pd.DataFrame(out)
