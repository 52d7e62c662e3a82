"""Shape features of each cross-section and the choice of Fig. 6(d)-(f) (rule
``landscape_features``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .sections import NAMED_PANELS, grids_by_pair

#: Loss levels of the landscape features (one, two, three cases wrong: 0.25, 0.5, 0.75).
#: A grid point is "in the well" below 0.125, "turquoise" in [0.125, 0.375),
#: "red" at or above 0.625 (half-way between the levels).
WELL_MAX = 0.125
RED_MIN = 0.625


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


def features_frame(df: pd.DataFrame, **kw) -> pd.DataFrame:
    """:func:`grid_features` of every grid in a ``landscape_grid`` frame, in stored order."""
    rows = []
    for (x, y), (d, G) in grids_by_pair(df).items():
        rows.append({"x": x, "y": y, **grid_features(d, G, **kw)})
    return pd.DataFrame(rows)


def duplicate_sections(features: pd.DataFrame, tol: float = 0.005) -> list[tuple[str, str]]:
    """Pairs of cross-sections whose colour-class area fractions and highest loss agree within
    ``tol`` (near-duplicates, e.g. by the x1 <-> x2 input symmetry of solution #1)."""
    cols = ["well_frac", "turquoise_frac", "yellow_frac", "red_frac", "max_loss"]
    X = features[cols].to_numpy(float)
    names = [f"{a}/{b}" for a, b in zip(features["x"], features["y"], strict=True)]
    out = []
    for i in range(len(X)):
        for j in range(i + 1, len(X)):
            if np.max(np.abs(X[i] - X[j])) < tol:
                out.append((names[i], names[j]))
    return out
