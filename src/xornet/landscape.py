"""Cross-sections of the loss landscape, descent trajectories and randomized scans (Sec. III.C).

Paper Figs. 6 and 7. Everything is expressed in deviations Delta from a reference optimum
``v_ref`` (solution #1 of Table II): a cross-section ``(x, y)`` varies parameters x and y
by ``Delta`` on a square grid and keeps the other ``4*n_h - 1`` at their reference values.

Grids
    :func:`compute_grids` evaluates the nonrandomized full-batch loss (Eq. 4) of many
    pairs in one compiled call (:func:`_grids_kernel`, ``prange`` over grid lines, one
    :func:`xornet.kernels.full_loss` per point). Rows of dataset ``landscape_grid`` (long
    format: one row per grid point). A grid of pair (x, y) with x after y in parameter order
    is the transpose of the stored (y, x) grid (:func:`grid_array`).
Panel selection
    :func:`grid_features` measures every grid (well around the origin, red rims, trenches);
    :func:`select_panels` picks Fig. 6(d)-(f) from them by the documented rules below.
Trajectories
    :func:`descend` runs steepest descent (Eq. 6, nonrandomized batch) on the two free
    parameters of several starts at once (:func:`_descend_chunk`, ``prange`` over starts,
    each calling :func:`xornet.kernels._gd_epochs` with a 0/1 mask), recorded at log-spaced
    epochs, stopping a start once converged or stalled (:data:`OUTCOMES`).
Randomized scans (Fig. 7)
    :func:`randomized_scans`: every grid point owns a splitmix64 stream; scan s at that
    point uses the s-th randomized batch (four cases drawn with replacement) of its stream,
    so the result is independent of the thread count. Returns one scan, the average of
    ``n_scans`` scans and the RMS deviation of the k-scan average from the nonrandomized
    grid for every k (reduced in a fixed order).
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
from numba import njit, prange

from . import kernels as K
from . import model as M
from . import rng

log = logging.getLogger("xornet")

#: Fig. 6 panels named in the text (Sec. III.C.1), paper symbols -> our names:
#: b_1^(1) = b1_1, b_1^(2) = b2_1, w_12^(2) = w2_1_2, b_2^(1) = b1_2, w_22^(1) = w1_2_2.
NAMED_PANELS = {"a": ("b1_1", "b2_1"), "b": ("w2_1_2", "b1_2"), "c": ("w1_2_2", "b1_1")}

#: Loss levels of the landscape features (one, two, three cases wrong: 0.25, 0.5, 0.75).
#: A grid point is "in the well" below 0.125, "turquoise" in [0.125, 0.375),
#: "red" at or above 0.625 (half-way between the levels).
WELL_MAX = 0.125
RED_MIN = 0.625

#: What the paper says about each trajectory of Fig. 6 (Sec. III.C.1), keyed by
#: (panel, Delta x, Delta y). ``outcome`` is the paper's verdict, ``loss`` the loss level
#: at which it ends (0 = the zero-loss point).
PAPER_TRAJECTORIES = {
    ("a", -7.4, 8.9): dict(
        outcome="converged", start_loss=0.5, loss=0.0,
        text="starts at L~0.5, drops off the cliff to L~0.25, resides there, then descends "
             "into the well and converges to the zero-loss point"),
    ("a", 15.0, -2.0): dict(
        outcome="stuck", start_loss=0.5, loss=0.25,
        text="starts at L~0.5, drops into a trench at L~0.25; a barrier separates it from "
             "the well: stuck at a local minimum"),
    ("b", 12.5, -12.5): dict(
        outcome="converged", start_loss=0.48, loss=0.0,
        text="starts behind a barrier at L~0.48, passes by the ridge and drops directly "
             "into the basin: converges to zero loss"),
    ("c", -5.0, 10.0): dict(
        outcome="converged", start_loss=0.5, loss=0.0,
        text="starts at L~0.5, rapidly converges to the optimum"),
    ("c", -3.0, 10.0): dict(
        outcome="stuck", start_loss=0.5, loss=0.5,
        text="starts at L~0.5, turns, hits a barrier, is diverted from the basin; not "
             "converged after millions of epochs: trapped just below L~0.5"),
}

#: Trajectory outcomes: ``converged`` (full loss below the convergence threshold),
#: ``stuck`` (stalled: loss decreased by less than the tolerance over the last decade of
#: epochs), ``running`` (epoch cap reached while still descending), ``diverged``.
OUTCOMES = ("converged", "stuck", "running", "diverged")


# ----------------------------------------------------------------------------- reference

def reference(source: str = "paper", solutions: pd.DataFrame | None = None,
              label: str = "#1", n_h: int = 2) -> np.ndarray:
    """The optimum the cross-sections are taken about.

    ``source="paper"``: solution ``label`` of Table II as printed (``PAPER_TABLE2``, n_h = 2);
    ``source="ours"``: row (source == "ours", label == ``label``) of dataset ``solutions``.
    """
    names = M.param_names(n_h)
    if source == "paper":
        if n_h != 2:
            raise ValueError("the paper prints solutions for n_h = 2 only")
        return M.PAPER_TABLE2[int(label.lstrip("#")) - 1].copy()
    if source == "ours":
        if solutions is None:
            raise ValueError("source='ours' needs the solutions dataset")
        row = solutions[(solutions["source"] == "ours") & (solutions["label"] == label)]
        if len(row) != 1:
            raise ValueError(f"expected one row source=='ours', label=={label!r}, got {len(row)}")
        return row[names].to_numpy(float)[0]
    raise ValueError(f"unknown reference source {source!r} (paper | ours)")


def all_pairs(n_h: int = 2) -> list[tuple[str, str]]:
    """All (x, y) pairs with x before y in parameter order: 36 for n_h = 2."""
    names = M.param_names(n_h)
    return [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))]


def pair_key(x: str, y: str, n_h: int = 2) -> tuple[str, str]:
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


# ----------------------------------------------------------------------------- grid kernel

@njit(parallel=True, **K.JIT)
def _grids_kernel(v0, nh, ix, iy, d, out):
    """out[p, j, i] = full-batch loss with v[ix[p]] += d[i], v[iy[p]] += d[j] (Eq. 4).

    ``prange`` over the (pair, grid line) index; each line writes only its own row, so the
    result does not depend on the number of threads.
    """
    n = d.shape[0]
    npairs = ix.shape[0]
    P = v0.shape[0]
    for q in prange(npairs * n):
        p = q // n
        j = q - p * n
        v = np.empty(P)
        for k in range(P):
            v[k] = v0[k]
        A = np.empty((nh, 4))
        DA = np.empty((nh, 4))
        res = np.empty(4)
        dout = np.empty(4)
        v[iy[p]] = v0[iy[p]] + d[j]
        a = ix[p]
        for i in range(n):
            v[a] = v0[a] + d[i]
            out[p, j, i] = K.full_loss(v, nh, A, DA, res, dout)


def loss_grids(v_ref, n_h: int, pairs, d) -> np.ndarray:
    """Loss grids (n_pairs, len(d), len(d)); ``[p, j, i]``: x = d[i], y = d[j]."""
    v0 = np.ascontiguousarray(v_ref, dtype=np.float64)
    ix = np.array([M.param_index(x, n_h) for x, _ in pairs], dtype=np.int64)
    iy = np.array([M.param_index(y, n_h) for _, y in pairs], dtype=np.int64)
    d = np.ascontiguousarray(d, dtype=np.float64)
    out = np.empty((len(pairs), d.size, d.size))
    _grids_kernel(v0, n_h, ix, iy, d, out)
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


def compute_grids(v_ref, n_h: int, pairs, half_range: float, n_points: int) -> pd.DataFrame:
    """Nonrandomized full-batch loss on the ``n_points``^2 grid of every pair (Fig. 6)."""
    d = deltas(half_range, n_points)
    return grids_frame(loss_grids(v_ref, n_h, pairs, d), pairs, d)


def grid_array(df: pd.DataFrame, x: str, y: str, n_h: int = 2):
    """(dx, dy, L) of cross-section (x, y) with ``L[j, i]`` at (dx[i], dy[j]); transposes a
    stored (y, x) grid when x comes after y in parameter order."""
    sx, sy = pair_key(x, y, n_h)
    sub = df[(df["x"] == sx) & (df["y"] == sy)]
    if sub.empty:
        raise KeyError(f"no grid for pair ({sx}, {sy})")
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


def section(grids: dict, x: str, y: str, n_h: int = 2):
    """(d, L) of cross-section (x, y) from :func:`grids_by_pair` output, transposed if the
    pair is stored as (y, x); ``L[j, i]`` is the loss at (Delta x = d[i], Delta y = d[j])."""
    sx, sy = pair_key(x, y, n_h)
    d, L = grids[(sx, sy)]
    return (d, L) if (sx, sy) == (x, y) else (d, L.T)


# ----------------------------------------------------------------------------- features

def _offsets_shift(G: np.ndarray, di: int, dj: int) -> np.ndarray:
    """G shifted by (dj, di) grid steps with edge padding: out[j, i] = G[j+dj, i+di]."""
    s = max(abs(di), abs(dj))
    if s == 0:
        return G
    n1, n0 = G.shape
    P = np.pad(G, s, mode="edge")
    return P[s + dj:s + dj + n1, s + di:s + di + n0]


def valley_mask(G: np.ndarray, step: float, flank: float, margin: float) -> np.ndarray:
    """Points at the bottom of a trench: lower by more than ``margin`` than both points at
    distance ``flank`` (Delta units) across one of the directions x, y, x+y, x-y, while along
    the perpendicular direction (the trench axis) the points ``flank`` away on either side
    differ from it by less than ``margin`` (so neither the bottom of a round well, which
    rises in every direction, nor its flanks, which fall steeply along the radius, count)."""
    s = max(1, int(round(flank / step)))
    out = np.zeros(G.shape, dtype=bool)
    for (ei, ej), (pi, pj) in (((1, 0), (0, 1)), ((0, 1), (1, 0)), ((1, 1), (1, -1)),
                               ((1, -1), (1, 1))):
        a = _offsets_shift(G, ei * s, ej * s)
        b = _offsets_shift(G, -ei * s, -ej * s)
        fa = np.abs(_offsets_shift(G, pi * s, pj * s) - G)
        fb = np.abs(_offsets_shift(G, -pi * s, -pj * s) - G)
        out |= (G + margin < a) & (G + margin < b) & (fa < margin) & (fb < margin)
    return out


def grid_features(d: np.ndarray, G: np.ndarray, *, flank: float = 2.0, margin: float = 0.1,
                  disk: float = 3.0) -> dict:
    """Shape features of one cross-section ``G[j, i]`` (x = d[i], y = d[j]) used to pick
    Fig. 6(d)-(f). Levels: well L < 0.125, turquoise 0.125 <= L < 0.375, yellow
    0.375 <= L < 0.625, red L >= 0.625.

    well_*       the connected region {L < 0.125} containing the origin (the optimum):
                 area (Delta^2), isolated (does not reach the window edge, i.e. a well rather
                 than a channel or plateau), inscribed radius (largest disc inside it, Delta;
                 large = plateau-like), centroid offset from the origin / equivalent radius,
                 disk fraction (share of the disc of radius ``disk`` about the origin inside it)
    *_frac       area fractions of the window at each level
    trench_025   area fraction of trench-bottom points (:func:`valley_mask`) at the 0.25 level
                 in trenches that reach to within 1.5 ``flank`` of the well ("a trench,
                 albeit at higher loss", converging to the zero-loss point, Fig. 6(f))
    trench_0     area fraction of trench-bottom points inside the well level (deep trenches)
    """
    from scipy import ndimage as ndi

    step = float(d[1] - d[0])
    c = int(np.argmin(np.abs(d)))
    low = G < WELL_MAX
    lab, _ = ndi.label(low)
    well = lab == lab[c, c] if low[c, c] else np.zeros_like(low)
    edge = bool(well[0].any() or well[-1].any() or well[:, 0].any() or well[:, -1].any())
    area = float(well.sum()) * step * step
    if well.any():
        inscribed = float(ndi.distance_transform_edt(np.pad(well, 1)).max()) * step
        jj, ii = np.nonzero(well)
        off = math.hypot(d[ii].mean(), d[jj].mean()) / math.sqrt(area / math.pi)
    else:
        inscribed, off = 0.0, float("nan")
    X, Y = np.meshgrid(d, d, indexing="xy")
    dsk = np.hypot(X, Y) <= disk
    turq = (G >= WELL_MAX) & (G < 0.375)
    V = valley_mask(G, step, flank, margin)
    vt = V & turq
    lab2, _ = ndi.label(vt, structure=np.ones((3, 3)))
    # joined to the well: within 1.5 flank of it (the along-axis test of valley_mask stops a
    # trench's detected bottom about one flank before it drops into the well)
    near = ndi.binary_dilation(well, iterations=max(1, int(round(1.5 * flank / step)))) \
        if well.any() else np.zeros_like(well)
    ids = np.unique(lab2[near & vt])
    ids = ids[ids > 0]
    return {
        "centre_loss": float(G[c, c]),
        "min_loss": float(G.min()),
        "max_loss": float(G.max()),
        "well_area": area,
        "well_isolated": not edge,
        "well_inscribed": inscribed,
        "well_offset": float(off),
        "well_disk_frac": float(well[dsk].mean()),
        "well_frac": float(low.mean()),
        "turquoise_frac": float(turq.mean()),
        "yellow_frac": float(((G >= 0.375) & (G < RED_MIN)).mean()),
        "red_frac": float((G >= RED_MIN).mean()),
        "trench_025": float(np.isin(lab2, ids).mean()) if ids.size else 0.0,
        "trench_0": float((V & low).mean()),
    }


#: Rules for the panels the text only describes (Sec. III.C.1). Each: (panel, candidate
#: filter, score to maximise, explanation). Candidates exclude panels already chosen.
SELECTION_RULES = (
    ("d", "red_frac > 0 and not well_isolated", "well_inscribed",
     "no isolated well: the optimum lies in a large plateau-like low-loss region reaching the "
     "window edge (largest inscribed radius), with red rims as the text says for (b)-(d)"),
    ("f", "red_frac == 0 and well_isolated", "trench_025",
     "isolated well, no red rims (only (b)-(d) have them), the longest trench at the 0.25 "
     "level connected to the well"),
    ("e", "red_frac == 0 and well_isolated", "turquoise_frac",
     "isolated well, no red rims, the largest turquoise (0.25) plateau area"),
)


def select_panels(features: pd.DataFrame, named=None) -> pd.DataFrame:
    """Assign Fig. 6 panel letters: (a)-(c) as named in the text, (d)-(f) by
    :data:`SELECTION_RULES` (ties: first in parameter order). If no grid passes a rule's
    filter, the filter is dropped (recorded in ``rule``). Adds columns panel, rule, panel_x,
    panel_y (the axis order drawn: the text's order for named panels)."""
    named = dict(NAMED_PANELS if named is None else named)
    f = features.reset_index(drop=True).copy()
    f["panel"] = ""
    f["rule"] = ""
    f["panel_x"] = f["x"].astype(str)
    f["panel_y"] = f["y"].astype(str)
    for letter, (px, py) in sorted(named.items()):
        hit = ((f["x"] == px) & (f["y"] == py)) | ((f["x"] == py) & (f["y"] == px))
        if hit.sum() != 1:
            raise KeyError(f"panel ({letter}): no grid for pair ({px}, {py})")
        k = int(np.flatnonzero(hit.to_numpy())[0])
        f.loc[k, ["panel", "rule", "panel_x", "panel_y"]] = [letter, "named in the text", px, py]
    for letter, cond, score, why in SELECTION_RULES:
        if letter in named:
            continue
        free = f["panel"] == ""
        cand = free & f.eval(cond)
        rule = f"max {score} where {cond}: {why}"
        if not cand.any():
            cand = free
            rule = f"max {score} (no grid satisfies {cond}; filter dropped)"
        k = int(f.loc[cand, score].idxmax())
        f.loc[k, ["panel", "rule"]] = [letter, rule]
    return f


def features_frame(df: pd.DataFrame, n_h: int = 2, **kw) -> pd.DataFrame:
    """:func:`grid_features` of every grid in a ``landscape_grid`` frame, in stored order."""
    rows = []
    for (x, y), (d, G) in grids_by_pair(df).items():
        rows.append({"x": x, "y": y, **grid_features(d, G, **kw)})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- trajectories

@njit(parallel=True, **K.JIT)
def _descend_chunk(V, nh, etas, n_epochs, masks, status, epochs, target):
    """``n_epochs`` of nonrandomized steepest descent (Eq. 6) on every running row of ``V``;
    only parameters with ``masks[r, k] = 1`` move. Stops a row once its full-batch loss is
    below ``target`` (status converged). ``prange`` over rows: thread-count independent."""
    for r in prange(V.shape[0]):
        if status[r] != K.STATUS_RUNNING:
            continue
        _, done, _, _, _, st = K._gd_epochs(V[r], nh, etas[r], n_epochs, False, np.uint64(0),
                                            masks[r], target)
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
            max_chunk: int = 1 << 22, progress=None) -> pd.DataFrame:
    """Steepest descent of every start on its two free parameters (Fig. 6 trajectories).

    Stopping (per start): ``converged`` once the full-batch loss is below ``converged_loss``
    (checked every epoch, in the kernel); ``stuck`` at a record epoch e >= stall_min_epochs
    if the loss decreased by less than ``stall_tol`` since the record at or before e/10 (a
    whole decade of epochs without progress); ``running`` if ``max_epochs`` is reached;
    ``diverged`` if the loss becomes non-finite. Returns dataset ``landscape_trajectory``:
    the path at log-spaced epochs (:func:`xornet.train.log_epochs`) plus the final point.
    """
    from .train import log_epochs

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
        lval = float(M.loss(V[r], n_h))
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
            _descend_chunk(V, n_h, etas, n, masks, st_in, epochs, converged_loss)
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
            lval = float(M.loss(V[r], n_h))
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


# ----------------------------------------------------------------------------- randomized scans

@njit(parallel=True, **K.JIT)
def _random_scans_kernel(v0, nh, ix, iy, d, states, n_scans, one, mean, sqdev, L0):
    """Randomized-batch scans of cross-section (ix, iy) (Fig. 7).

    Point (j, i) owns stream ``states[j*n + i]``; its s-th scan value is the loss of the
    s-th randomized batch (four cases with replacement, :func:`xornet.kernels.draw_batch`)
    at that point. Fills ``one`` (scan 0), ``mean`` (average of n_scans), ``L0`` (the
    nonrandomized loss) and ``sqdev[j, k-1]`` = sum over the line j of
    (k-scan average - nonrandomized loss)^2, summed in i order (thread independent).
    """
    n = d.shape[0]
    P = v0.shape[0]
    for j in prange(n):
        v = np.empty(P)
        for k in range(P):
            v[k] = v0[k]
        A = np.empty((nh, 4))
        DA = np.empty((nh, 4))
        res = np.empty(4)
        dout = np.empty(4)
        w = np.empty(4)
        acc = np.zeros(n_scans)
        v[iy] = v0[iy] + d[j]
        for i in range(n):
            v[ix] = v0[ix] + d[i]
            K.forward4(v, nh, A, DA, res, dout)
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



def randomized_scans(v_ref, n_h: int, x: str, y: str, d, n_scans: int, seed: int):
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
                         states, int(n_scans), one, mean, sqdev, full)
    k = np.arange(1, n_scans + 1)
    rms = np.sqrt(sqdev.sum(axis=0) / (n * n))
    # expected: per-point variance of one randomized-batch loss
    X, Y = np.meshgrid(d, d, indexing="xy")
    V = np.broadcast_to(np.asarray(v_ref, float), (n, n, M.n_params(n_h))).copy()
    V[..., ix] += X
    V[..., iy] += Y
    lm = M.case_losses(V, n_h)
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


# ----------------------------------------------------------------------------- config glue

def reference_for(cfg: dict, inputs=None, n_h: int = 2) -> np.ndarray:
    """The reference optimum of config section ``landscape`` (``inputs.solutions``: path of
    dataset ``solutions`` when ``reference`` is ``ours``)."""
    if cfg["reference"] == "ours":
        from .io import read_frame

        return reference("ours", read_frame(inputs["solutions"]), "#1", n_h)
    return reference("paper", None, "#1", n_h)


def chunk_of(cfg: dict, n_h: int = 2) -> list[list[tuple[str, str]]]:
    """The pairs of each grid job (``grid_jobs`` contiguous chunks of :func:`all_pairs`)."""
    return chunk_pairs(all_pairs(n_h), int(cfg["grid_jobs"]))
