"""Full-batch loss on the cross-section grids of Fig. 6 (rule ``landscape_grid``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit, prange

from .. import gates
from .. import kernels as K
from .. import model as M
from .sections import deltas


@njit(parallel=True, **K.JIT)
def _grids_kernel(v0, nh, ix, iy, d, out, yb):
    """out[p, j, i] = full-batch loss with v[ix[p]] += d[i], v[iy[p]] += d[j] (Eq. 4).

    ``prange`` over the (pair, grid line) index; each line writes only its own row, so the
    result does not depend on the number of threads.
    """
    n = d.shape[0]
    npairs = ix.shape[0]
    for q in prange(npairs * n):
        p = q // n
        j = q - p * n
        v = v0.copy()
        A, DA, res, dout = K.scratch(nh)
        v[iy[p]] = v0[iy[p]] + d[j]
        a = ix[p]
        for i in range(n):
            v[a] = v0[a] + d[i]
            out[p, j, i] = K.full_loss(v, nh, A, DA, res, dout, yb)


def loss_grids(v_ref, n_h: int, pairs, d, gate: str = "xor") -> np.ndarray:
    """Loss grids (n_pairs, len(d), len(d)); ``[p, j, i]``: x = d[i], y = d[j]."""
    v0 = np.ascontiguousarray(v_ref, dtype=np.float64)
    ix = np.array([M.param_index(x, n_h) for x, _ in pairs], dtype=np.int64)
    iy = np.array([M.param_index(y, n_h) for _, y in pairs], dtype=np.int64)
    d = np.ascontiguousarray(d, dtype=np.float64)
    out = np.empty((len(pairs), d.size, d.size))
    _grids_kernel(v0, n_h, ix, iy, d, out, gates.bits(gate))
    return out


def grids_frame(grids: np.ndarray, pairs, d) -> pd.DataFrame:
    """Long format (dataset ``landscape_grid``): one row per grid point."""
    n = d.size
    P = len(pairs)
    jj, ii = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    names = sorted({*(x for x, _ in pairs), *(y for _, y in pairs)})
    cx = np.repeat([names.index(x) for x, _ in pairs], n * n)
    cy = np.repeat([names.index(y) for _, y in pairs], n * n)
    return pd.DataFrame({
        "x": pd.Categorical.from_codes(cx, names),
        "y": pd.Categorical.from_codes(cy, names),
        "i": np.tile(ii.ravel(), P).astype(np.int64),
        "j": np.tile(jj.ravel(), P).astype(np.int64),
        "dx": np.tile(d[ii.ravel()], P),
        "dy": np.tile(d[jj.ravel()], P),
        "loss": grids.reshape(-1),
    })


def compute_grids(v_ref, n_h: int, pairs, half_range: float, n_points: int,
                  gate: str = "xor") -> pd.DataFrame:
    """Nonrandomized full-batch loss on the ``n_points``^2 grid of every pair (Fig. 6)."""
    d = deltas(half_range, n_points)
    return grids_frame(loss_grids(v_ref, n_h, pairs, d, gate), pairs, d)
