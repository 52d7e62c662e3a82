"""Claims of Sec. III.D, "Density of Loss and Microcanonical Entropy": S(L) of Fig. 8, its peaks,
the suppressed losses between them and the minor (finite-size) peaks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import paper as P
from ..microcanonical import peak_height
from .core import Claim, Result, _fmt, _nh_range, declare
from .inputs import ENT, Data, NotCheckable, _lowest_losses

CLAIMS: list[Claim] = []
claim = declare(CLAIMS)


def _entropy_curves(d: Data) -> dict[int, pd.DataFrame]:
    e = d.frame("entropy")
    return {int(k): g.sort_values("L")[["L", "S"]].reset_index(drop=True)
            for k, g in e.groupby("n_h")}


def _solving_curves(d: Data) -> dict[int, pd.DataFrame]:
    """S(L) of every sampled n_h that can solve XOR (n_h >= 2, Fig. 8), n_h ascending."""
    c = {k: g for k, g in _entropy_curves(d).items() if k >= P.ZERO_LOSS_MIN_N_H}
    if not c:
        raise NotCheckable("no n_h >= 2 sampled")
    return c


def _minor_counts(d: Data) -> dict[int, int]:
    """Significant minor peaks of every analysed n_h >= 2, n_h ascending."""
    m = d.frame("minor_peaks")
    sig = m[m["significant"].astype(bool)]
    return {k: int((sig["n_h"] == k).sum())
            for k in sorted(int(k) for k in m["n_h"].unique() if k >= P.ZERO_LOSS_MIN_N_H)}


@claim("D1", "III.D", "Fig. 8", "qualitative",
       statement=f"No zero-loss states for n_h = {P.NO_ZERO_LOSS_N_H}", paper_value="none",
       inputs=("entropy",), tolerance="lowest loss bin with states > 0.1", figure="fig8",
       scale_inputs=ENT)
def c_nh1_no_zero(d):
    c = _entropy_curves(d)
    if P.NO_ZERO_LOSS_N_H not in c:
        raise NotCheckable("n_h = 1 not sampled in this config")
    g = c[P.NO_ZERO_LOSS_N_H]
    lmin = float(g.loc[np.isfinite(g["S"]), "L"].min())
    return Result(f"lowest loss bin with states for n_h=1: L = {lmin:.4f}", lmin > 0.1, lmin)


@claim("D2", "III.D", "Fig. 8", "qualitative",
       statement=f"Zero-loss states exist for n_h >= {P.ZERO_LOSS_MIN_N_H}", paper_value="exist",
       inputs=("entropy",),
       tolerance="a state in the lowest bins (L < 0.01) and a sampled loss < 0.005", figure="fig8",
       scale_inputs=ENT)
def c_zero_loss_states(d):
    c = _solving_curves(d)
    lmins, los, bad = [], [], []
    for k in c:
        lmin = float(c[k].loc[np.isfinite(c[k]["S"]), "L"].min())
        lows = _lowest_losses(d, k)
        lo = min(lows) if lows else float("nan")
        lmins.append(lmin)
        los.append(lo)
        if not (lmin < 0.01 and (not lows or lo < 0.005)):
            bad.append(k)
    return Result(f"{_nh_range(c)}: lowest occupied bin at L <= {max(lmins):.4f}, lowest sampled "
                  f"loss <= {_fmt(np.nanmax(los))}" + (f"; not for n_h = {bad}" if bad else ""),
                  not bad, float(max(lmins)))


@claim("D3", "III.D", "Fig. 8", "value",
       statement=f"The entropy is largest around L = {P.ENTROPY_MAX_AT:g}",
       paper_value=f"{P.ENTROPY_MAX_AT:g}", inputs=("entropy",),
       tolerance=f"argmax within 0.02 of {P.ENTROPY_MAX_AT:g} for every n_h",
       paper_number=P.ENTROPY_MAX_AT, figure="fig8", scale_inputs=ENT)
def c_max_half(d):
    c = _entropy_curves(d)
    Lm = {k: float(g.loc[g["S"].idxmax(), "L"]) for k, g in c.items()}
    bad = [k for k, v in Lm.items() if abs(v - P.ENTROPY_MAX_AT) > 0.02]
    return Result(f"{_nh_range(Lm)}: argmax S(L) in [{min(Lm.values()):.4f}, "
                  f"{max(Lm.values()):.4f}]" + (f"; off for n_h = {bad}" if bad else ""), not bad)


@claim("D4", "III.D", "Fig. 8", "qualitative",
       statement="Peaks of S(L) at L = " + ", ".join(f"{x:g}" for x in P.FIG8_PEAKS[:-1])
       + f" and {P.FIG8_PEAKS[-1]:g}",
       paper_value="five peaks", inputs=("entropy",),
       tolerance="peak height > 0.5 (ln g units) at every level for every n_h >= 2", figure="fig8",
       scale_inputs=ENT)
def c_peaks(d):
    c = _solving_curves(d)
    levels = P.FIG8_PEAKS
    out, low = [], []
    for k in c:
        h = [peak_height(c[k]["L"], c[k]["S"], L0) for L0 in levels]
        low.append(min(h))
        miss = [L0 for L0, x in zip(levels, h, strict=True) if not (x > 0.5)]
        if miss:
            out.append(f"n_h={k} missing " + ", ".join(f"{m:g}" for m in miss))
    return Result(f"{_nh_range(c)}: " + ("; ".join(out) if out else "all five peaks")
                  + f" (smallest peak height {np.nanmin(low):.2f})", not out,
                  note="peak: S within 0.02 of the level exceeds the minima 0.03-0.125 away on "
                  "each side by > 0.5")


@claim("D5", "III.D", "Fig. 8", "qualitative",
       statement="Loss values between the levels are very strongly suppressed",
       paper_value="strong", inputs=("intruders",), tolerance="every significant convex intruder "
       "deeper than 2 (ln g units, i.e. a factor e^2 in g)", figure="fig8_barriers",
       scale_inputs=ENT)
def c_suppression(d):
    i = d.frame("intruders")
    i = i[(i["n_h"] >= 2) & i["significant"].astype(bool)]
    if i.empty:
        return Result("no significant convex intruders", False)
    m = float(i["depth"].min())
    return Result(f"{len(i)} significant convex intruders for n_h >= 2; shallowest {m:.2f}, "
                  f"deepest {float(i['depth'].max()):.2f} (ln g units)", m >= 2.0, m)


@claim("D6", "III.D", "Fig. 8", "qualitative",
       statement="Small hidden layers show additional minor peaks", paper_value="present",
       inputs=("minor_peaks",),
       tolerance="at least one significant minor peak for the smallest n_h >= 2",
       figure="fig8_barriers", scale_inputs=ENT)
def c_minor_small(d):
    cnt = _minor_counts(d)
    if not cnt:
        raise NotCheckable("no n_h >= 2 analysed")
    k = min(cnt)
    n = cnt[k]
    return Result(f"significant minor peaks for n_h={k}: {n}", n > 0, float(n))


@claim("D7", "III.D", "Fig. 8", "qualitative",
       statement="The minor peaks (finite-size barriers) disappear as n_h grows",
       paper_value="disappear", inputs=("minor_peaks",),
       tolerance="fewer significant minor peaks at the largest n_h than at n_h = 2",
       figure="fig8_barriers", scale_inputs=ENT)
def c_minor_vanish(d):
    cnt = _minor_counts(d)
    if len(cnt) < 2:
        raise NotCheckable("fewer than two n_h >= 2 analysed")
    nhs = list(cnt)
    if cnt[nhs[0]] == 0:
        raise NotCheckable(f"no significant minor peaks at n_h = {nhs[0]}: nothing to "
                           "disappear (see D6)")
    ok = cnt[nhs[-1]] < cnt[nhs[0]]
    return Result("significant minor peaks by n_h: " + ", ".join(f"{k}: {v}" for k, v in cnt.items()),
                  ok, float(cnt[nhs[-1]]))
