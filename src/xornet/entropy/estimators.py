"""S(L) = ln g(L) from the samplers' histograms (Sec. III.D, Eqs. 8-9): the loss bins, the
simple-sampling estimate with Poisson errors, the normalisation of ln g and the
multicanonical estimate with its jackknife error. Plain numpy (no numba)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "bin_edges", "simple_sampling_entropy", "normalise_lng", "muca_entropy"
]


def bin_edges(n_bins: int) -> np.ndarray:
    """Edges of the ``n_bins`` equal bins of the loss axis [0, 1]."""
    return np.linspace(0.0, 1.0, n_bins + 1)



def simple_sampling_entropy(counts: np.ndarray, n_draws: int):
    """S = ln g with g = counts / (N * bin width); Poisson error of S is 1/sqrt(counts)."""
    counts = np.asarray(counts, dtype=np.float64)
    nb = counts.size
    width = 1.0 / nb
    with np.errstate(divide="ignore"):
        S = np.where(counts > 0, np.log(counts / (n_draws * width)), np.nan)
        err = np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1.0)), np.nan)
    return S, err


def normalise_lng(lng: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """ln g shifted so that sum(g * width) = 1 over the bins in ``mask``; NaN elsewhere."""
    nb = lng.size
    width = 1.0 / nb
    out = np.full(nb, np.nan)
    x = lng[mask]
    mx = x.max()
    out[mask] = x - (mx + np.log(np.sum(np.exp(x - mx)) * width))
    return out


def muca_entropy(lnw_inv: np.ndarray, H_blocks: np.ndarray):
    """Normalised S = ln g = ln W^-1 + ln H from the production histograms and its jackknife
    error over the blocks (leave one block out, renormalise, (B-1)/B * sum of squares).

    Bins with H = 0 are NaN; a bin empty in every block but one gets no error (NaN).
    """
    H_blocks = np.asarray(H_blocks, dtype=np.float64)
    B = H_blocks.shape[0]
    H = H_blocks.sum(axis=0)

    def est(h):
        m = h > 0
        return (
            normalise_lng(np.where(m, lnw_inv + np.log(np.where(m, h, 1.0)), 0.0), m)
            if m.any()
            else np.full(h.size, np.nan)
        )

    S = est(H)
    if B < 2:
        return S, np.full(S.size, np.nan)
    jk = np.array([est(H - H_blocks[j]) for j in range(B)])
    ok = np.all(np.isfinite(jk), axis=0) & np.isfinite(S)
    var = np.full(S.size, np.nan)
    if ok.any():
        d = jk[:, ok] - jk[:, ok].mean(axis=0)
        var[ok] = (B - 1) / B * np.sum(d * d, axis=0)
    return S, np.sqrt(var)
