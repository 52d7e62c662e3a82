"""Cross-section geometry (Sec. III.C): the 36 parameter pairs, the Delta axis, job chunks, and
reading stored grids back (no numba: plotting jobs import only this)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import model as M
from ..paper import NAMED_PANELS  # noqa: F401  (Fig. 6 panels named in the text)


def all_pairs(n_h: int) -> list[tuple[str, str]]:
    """All (x, y) pairs with x before y in parameter order: 36 for n_h = 2."""
    names = M.param_names(n_h)
    return [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))]


def pair_key(x: str, y: str, n_h: int) -> tuple[str, str]:
    """The stored (parameter-ordered) form of an unordered pair."""
    ix, iy = M.param_index(x, n_h), M.param_index(y, n_h)
    if ix == iy:
        raise ValueError(f"a cross-section needs two different parameters, got {x!r} twice")
    return (x, y) if ix < iy else (y, x)


def chunk_pairs(pairs, n_chunks: int) -> list[list[tuple[str, str]]]:
    """Split ``pairs`` into ``n_chunks`` contiguous near-equal chunks (job fan-out)."""
    n_chunks = max(1, min(int(n_chunks), len(pairs)))
    bounds = np.linspace(0, len(pairs), n_chunks + 1).round().astype(int)
    return [list(pairs[bounds[k]:bounds[k + 1]]) for k in range(n_chunks)]


def deltas(half_range: float, n_points: int) -> np.ndarray:
    """Grid axis: ``n_points`` equally spaced deviations in [-half_range, half_range]
    (odd ``n_points`` puts Delta = 0 exactly on the grid)."""
    if n_points < 2:
        raise ValueError("n_points must be >= 2")
    d = np.linspace(-half_range, half_range, n_points)
    if n_points % 2:
        d[n_points // 2] = 0.0
    return d


def chunk_of(cfg: dict, n_h: int) -> list[list[tuple[str, str]]]:
    """The pairs of each grid job (``grid_jobs`` contiguous chunks of :func:`all_pairs`)."""
    return chunk_pairs(all_pairs(n_h), int(cfg["grid_jobs"]))


def _stored(x: str, y: str, has) -> tuple[str, str]:
    """The form, (x, y) or (y, x), in which pair (x, y) is stored (``has(pair)`` says whether
    it is): grids are stored in parameter order only, so the data decides the order."""
    if x == y:
        raise ValueError(f"a cross-section needs two different parameters, got {x!r} twice")
    for key in ((x, y), (y, x)):
        if has(key):
            return key
    raise KeyError(f"no grid for pair ({x}, {y})")


def grid_array(df: pd.DataFrame, x: str, y: str):
    """(dx, dy, L) of cross-section (x, y) with ``L[j, i]`` at (dx[i], dy[j]); transposes a
    stored (y, x) grid when x comes after y in parameter order."""
    sx, sy = _stored(x, y, lambda k: bool(((df["x"] == k[0]) & (df["y"] == k[1])).any()))
    sub = df[(df["x"] == sx) & (df["y"] == sy)]
    n = int(sub["i"].max()) + 1
    L = np.full((n, n), np.nan)
    L[sub["j"].to_numpy(), sub["i"].to_numpy()] = sub["loss"].to_numpy()
    d = np.sort(sub.loc[sub["j"] == 0, "dx"].to_numpy())
    if (sx, sy) != (x, y):
        L = L.T
    return d, d.copy(), L


def grids_by_pair(df: pd.DataFrame) -> dict:
    """``{(x, y): (d, L)}`` for every stored pair of a ``landscape_grid`` frame, ``L[j, i]``."""
    out = {}
    for (x, y), sub in df.groupby(["x", "y"], observed=True, sort=False):
        n = int(sub["i"].max()) + 1
        L = np.full((n, n), np.nan)
        L[sub["j"].to_numpy(), sub["i"].to_numpy()] = sub["loss"].to_numpy()
        d = np.empty(n)
        d[sub["i"].to_numpy()] = sub["dx"].to_numpy()
        out[(str(x), str(y))] = (d, L)
    return out


def section(grids: dict, x: str, y: str):
    """(d, L) of cross-section (x, y) from :func:`grids_by_pair` output, transposed if the
    pair is stored as (y, x); ``L[j, i]`` is the loss at (Delta x = d[i], Delta y = d[j])."""
    sx, sy = _stored(x, y, grids.__contains__)
    d, L = grids[(sx, sy)]
    return (d, L) if (sx, sy) == (x, y) else (d, L.T)


def read_grids(paths) -> tuple[dict, int]:
    """All stored grids of the ``landscape_grid`` files ``paths`` as :func:`grids_by_pair`,
    and the n_h they were made for (every chunk must be of the same network)."""
    from ..io import read_parquet

    grids, n_h = {}, set()
    for p in paths:
        df, meta = read_parquet(p, "landscape_grid")
        grids.update(grids_by_pair(df))
        n_h.add(int(meta["extra"]["n_h"]))
    if len(n_h) != 1:
        raise ValueError(f"grid files of different networks (n_h = {sorted(n_h)}): {list(paths)}")
    return grids, n_h.pop()
