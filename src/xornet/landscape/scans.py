"""Randomized-batch scans of one cross-section and their RMS vs the number of scans (Fig. 7,
rule ``landscape_randomized``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit, prange

from .. import gates, rng
from .. import kernels as K
from .. import model as M


@njit(parallel=True, **K.JIT)
def _random_scans_kernel(v0, nh, ix, iy, d, states, n_scans, one, mean, sqdev, L0, yb):
    """Randomized-batch scans of cross-section (ix, iy) (Fig. 7).

    Point (j, i) owns stream ``states[j*n + i]``; its s-th scan value is the loss of the
    s-th randomized batch (four cases with replacement, :func:`xornet.kernels.draw_batch`)
    at that point. Fills ``one`` (scan 0), ``mean`` (average of n_scans), ``L0`` (the
    nonrandomized loss) and ``sqdev[j, k-1]`` = sum over the line j of
    (k-scan average - nonrandomized loss)^2, summed in i order (thread independent).
    """
    n = d.shape[0]
    for j in prange(n):
        v = v0.copy()
        A, DA, res, dout = K.scratch(nh)
        w = np.empty(4)
        acc = np.zeros(n_scans)
        v[iy] = v0[iy] + d[j]
        for i in range(n):
            v[ix] = v0[ix] + d[i]
            K.forward4(v, nh, A, DA, res, dout, yb)
            l0 = res[0] * res[0]
            l1 = res[1] * res[1]
            l2 = res[2] * res[2]
            l3 = res[3] * res[3]
            full = 0.25 * (l0 + l1 + l2 + l3)
            L0[j, i] = full
            st = states[j * n + i]
            tot = 0.0
            for s in range(n_scans):
                st = K.draw_batch(st, w)
                val = w[0] * l0 + w[1] * l1 + w[2] * l2 + w[3] * l3
                if s == 0:
                    one[j, i] = val
                tot += val
                dev = tot / (s + 1) - full
                acc[s] += dev * dev
            mean[j, i] = tot / n_scans
        for s in range(n_scans):
            sqdev[j, s] = acc[s]



def randomized_scans(v_ref, n_h: int, x: str, y: str, d, n_scans: int, seed: int,
                     gate: str = "xor"):
    """Fig. 7 for cross-section (x, y): returns dict with ``one`` (a single randomized scan),
    ``mean`` (average of ``n_scans``), ``full`` (the nonrandomized grid), all ``[j, i]``,
    and ``rms`` frame (dataset ``landscape_rms``): k, RMS over the grid of
    (k-scan average - nonrandomized loss), and the expected RMS sqrt(<Var>/k), where Var is
    the variance of one randomized-batch loss at a point, (1/4) Var_m(l_m) (multinomial
    counts of four draws: Var(c_m/4 . l) = Var_m(l)/4 for the per-case losses l_m)."""
    ix, iy = M.param_index(x, n_h), M.param_index(y, n_h)
    d = np.ascontiguousarray(d, dtype=np.float64)
    n = d.size
    states = rng.replica_states(seed, n * n, f"landscape/randomized/{x},{y}")
    one = np.empty((n, n))
    mean = np.empty((n, n))
    full = np.empty((n, n))
    sqdev = np.empty((n, n_scans))
    _random_scans_kernel(np.ascontiguousarray(v_ref, dtype=np.float64), n_h, ix, iy, d,
                         states, int(n_scans), one, mean, sqdev, full, gates.bits(gate))
    k = np.arange(1, n_scans + 1)
    rms = np.sqrt(sqdev.sum(axis=0) / (n * n))
    # expected: per-point variance of one randomized-batch loss
    X, Y = np.meshgrid(d, d, indexing="xy")
    V = np.broadcast_to(np.asarray(v_ref, float), (n, n, M.n_params(n_h))).copy()
    V[..., ix] += X
    V[..., iy] += Y
    lm = M.case_losses(V, n_h, gate)
    var1 = lm.var(axis=-1) / 4.0
    rms_exp = np.sqrt(var1.mean() / k)
    frame = pd.DataFrame({"k": k.astype(np.int64), "rms": rms, "rms_expected": rms_exp})
    return {"one": one, "mean": mean, "full": full, "rms": frame}


def scan_frame(d, grids: dict) -> pd.DataFrame:
    """Dataset ``landscape_randomized``: one row per grid point with the single scan, the
    average of all scans and the nonrandomized loss."""
    n = d.size
    jj, ii = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return pd.DataFrame({
        "i": ii.ravel().astype(np.int64), "j": jj.ravel().astype(np.int64),
        "dx": d[ii.ravel()], "dy": d[jj.ravel()],
        "loss_one": grids["one"].ravel(), "loss_mean": grids["mean"].ravel(),
        "loss_full": grids["full"].ravel(),
    })
