"""Claims beyond the paper: the checkable statements of the related energy-landscape study of
the same network (D. Mehta, X. Zhao, E. A. Bernal, D. J. Wales, "The loss surface of XOR
artificial neural networks", Phys. Rev. E 97, 052307 (2018)), read from our census
(xornet.census, docs/census.md). Their loss and regularisation differ in detail from ours
(Eq. 4 + lam |v|^2), so only trends are compared, not counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import Claim, Result, _nh_range, declare
from .inputs import Data, NotCheckable

MEHTA = "Mehta et al. 2018"

CLAIMS: list[Claim] = []
claim = declare(CLAIMS)


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


@claim("M1", MEHTA, "abstract", "qualitative", statement=f"{MEHTA}: the number of local minima "
       "grows rapidly with the number of hidden nodes", paper_value="grows",
       inputs=("census_summary",), tolerance="non-decreasing in n_h and larger at the largest "
       "than at the smallest n_h, at every lambda", figure="census")
def c_m_minima_grow(d):
    return _grows(d, "n_minima")


@claim("M2", MEHTA, "abstract", "qualitative", statement=f"{MEHTA}: the number of transition "
       "states grows rapidly with the number of hidden nodes", paper_value="grows",
       inputs=("census_summary",), tolerance="as M1", figure="census")
def c_m_ts_grow(d):
    r = _grows(d, "n_ts")
    r.note = ("our transition states come from double-ended searches between nearby minima, a "
              "lower bound on the true number")
    return r


@claim("M3", MEHTA, "abstract", "qualitative", statement=f"{MEHTA}: the ratio of transition states "
       "to minima grows with the number of hidden nodes", paper_value="grows",
       inputs=("census_summary",),
       tolerance="ratio at the largest n_h above that at n_h = 1, at every lambda", figure="census")
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


@claim("M4", MEHTA, "abstract", "qualitative", statement=f"{MEHTA}: the landscape becomes more "
       "convex (fewer minima) as the regularisation grows", paper_value="fewer minima",
       inputs=("census_summary",),
       tolerance="fewer minima at the largest than at the smallest lambda for every n_h >= 2",
       figure="census")
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


@claim("M5", MEHTA, "abstract", "qualitative", statement=f"{MEHTA}: stationary points of N_h "
       "hidden nodes stay stationary for N_h + 1 nodes when the extra node's weights are zero",
       paper_value="embedded", inputs=("census_embedding",), tolerance="every padded point has "
       "max |gradient| < 1e-8, with lambda = 0 and with L2 on the weights only (their "
       "formulation)", figure="census", scale_free=True)
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
