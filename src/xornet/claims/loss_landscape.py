"""Claims of Sec. III.C, "Analysis of the Loss Landscape": Fig. 6 (cross-sections and
trajectories, nonrandomized batch), Fig. 7 (randomized batches)."""

from __future__ import annotations

import numpy as np

from .. import paper as P
from ..landscape.features import duplicate_sections
from .core import Claim, Result, declare
from .inputs import Data, NotCheckable

CLAIMS: list[Claim] = []
claim = declare(CLAIMS)


def _panels(d):
    f = d.frame("features")
    p = f[f["panel"].astype(str) != ""].set_index("panel")
    if p.empty:
        raise NotCheckable("no Fig. 6 panels chosen")
    return f, p


#: The Fig. 6 paths the text describes, in its order: (panel, Delta x, Delta y).
TRAJ_A1, TRAJ_A2, TRAJ_B, TRAJ_C1, TRAJ_C2 = P.TRAJECTORIES


def _xy(key) -> str:
    return f"({key[1]:g}, {key[2]:g})"


def _tl(key, what="loss") -> str:
    return f"{P.TRAJECTORIES[key][what]:g}"


def _traj(d: Data, panel: str, dx0: float, dy0: float):
    t = d.frame("trajectories")
    r = t[(t["panel"] == panel) & np.isclose(t["dx0"], dx0) & np.isclose(t["dy0"], dy0)]
    if r.empty:
        raise NotCheckable(f"no trajectory from ({dx0:g}, {dy0:g}) in panel {panel}")
    return r.iloc[0]


def _traj_text(r) -> str:
    return (f"start L={r['start_loss']:.3f}, {r['outcome']} after {int(r['epochs']):,} epochs at "
            f"L={r['final_loss']:.3g} (levels {r['levels_visited']})")


@claim("C1", "III.C.1", "Fig. 6", "qualitative",
       statement="An isolated well surrounds the optimum in all panels except (d)",
       paper_value="all but (d)", inputs=("features",),
       tolerance="well = connected region L < 0.125 about (0, 0) not touching the window edge",
       figure="fig6")
def c_well(d):
    _, p = _panels(d)
    named = [k for k in sorted(P.NAMED_PANELS) if k in p.index]
    iso = {k: bool(p.loc[k, "well_isolated"]) for k in p.index}
    txt = ", ".join(f"({k}) {'isolated' if v else 'not isolated'}" for k, v in sorted(iso.items()))
    ok = all(iso[k] for k in named) and all(not iso[k] for k in P.PANELS_WITHOUT_WELL if k in iso)
    return Result(txt, ok, float(sum(iso.values())),
                  "panels (d)-(f) are chosen by xornet.landscape rules; (d) requires no "
                  "isolated well, so only (a)-(c) test the claim independently")


@claim("C2", "III.C.1", "Fig. 6 text", "qualitative",
       statement="Yellow plateaus (L ~ 0.5) dominate in all figures", paper_value="all panels",
       inputs=("features",),
       tolerance="0.375 <= L < 0.625 is the largest of the four colour classes in every panel",
       figure="fig6")
def c_yellow(d):
    f, p = _panels(d)
    cols = ["well_frac", "turquoise_frac", "yellow_frac", "red_frac"]
    dom = f[cols].idxmax(axis=1) == "yellow_frac"
    domp = p[cols].idxmax(axis=1) == "yellow_frac"
    bad = [k for k, v in domp.items() if not v]
    return Result(f"L ~ 0.5 is the largest area in {int(domp.sum())}/{len(domp)} panels"
                  + (f" (not {', '.join(sorted(bad))})" if bad else "")
                  + f", {int(dom.sum())}/{len(f)} of all cross-sections",
                  bool(domp.all()), float(dom.mean()),
                  "where it fails, the L ~ 0.25 (turquoise) area is the largest; panels (d)-(f) are "
                  "our choice among the 36 sections (the paper does not name their parameters)")


@claim("C3", "III.C.1", "Fig. 6 text", "qualitative",
       statement="Red rims (L ~ 0.75) appear only in panels (b)-(d)", paper_value="(b)-(d)",
       inputs=("features",), tolerance="area with L >= 0.625 nonzero in (b)-(d), zero in (a)",
       figure="fig6")
def c_red(d):
    _, p = _panels(d)
    red = {k: float(p.loc[k, "red_frac"]) for k in p.index}
    has = sorted(k for k, v in red.items() if v > 0)
    ok = (all(red.get(k, 1) > 0 for k in P.PANELS_WITH_RED_RIMS if k in red)
          and all(red.get(k, 0) == 0 for k in sorted(P.NAMED_PANELS)
                  if k not in P.PANELS_WITH_RED_RIMS))
    return Result(f"red (L ~ 0.75) area in panels: {', '.join(has) or 'none'}", ok,
                  float(len(has)), "(e), (f) are chosen without red rims, (a)-(c) are named")


@claim("C4", "III.C.1", "Fig. 6 text", "qualitative",
       statement="No loss values above ~0.75 in the plotted ranges", paper_value="none > 0.75",
       inputs=("features",),
       tolerance="highest loss on every cross-section < 0.875 (midway to the next level)",
       figure="fig6")
def c_no_higher(d):
    f = d.frame("features")
    m = float(f["max_loss"].max())
    return Result(f"highest loss on all {P.N_CROSS_SECTIONS} cross-sections: {m:.3f}",
                  m < 0.875, m)


@claim("C5", "III.C.1", "Fig. 6 text", "qualitative",
       statement=f"All {P.N_CROSS_SECTIONS} cross-sections significantly differ from each other",
       paper_value="all differ", inputs=("features",),
       tolerance="no two sections with colour-area fractions and max loss within 0.005",
       figure="landscape_all")
def c_36_differ(d):
    f = d.frame("features")
    dup = duplicate_sections(f)
    return Result(f"{len(f)} cross-sections; {len(dup)} near-identical pairs (area fractions "
                  "within 0.005)", len(f) == P.N_CROSS_SECTIONS and not dup, float(len(dup)),
                  "the x1 <-> x2 input symmetry with w11 = w12 in solution #1 makes sections "
                  "with w11 and w12 exchanged almost identical (e.g. "
                  + (", ".join("~".join(p) for p in dup[:2]) if dup else "none") + ")")


@claim("C6", "III.C.1", "Fig. 6(a)", "qualitative", statement=f"Path from {_xy(TRAJ_A1)}, L ~ "
       f"{_tl(TRAJ_A1, 'start_loss')}, drops to L ~ {P.LOSS_LEVELS[1]:g}, then converges",
       paper_value=f"converges via {P.LOSS_LEVELS[1]:g}", inputs=("trajectories",),
       tolerance="outcome converged and the 0.25 level visited", figure="fig6")
def c_traj_a1(d):
    r = _traj(d, *TRAJ_A1)
    lv = str(r["levels_visited"])
    ok = (r["outcome"] == "converged" and f"{P.LOSS_LEVELS[1]:g}" in lv
          and abs(r["start_loss"] - P.TRAJECTORIES[TRAJ_A1]["start_loss"]) < 0.05)
    return Result(_traj_text(r), ok, float(r["final_loss"]))


@claim("C7", "III.C.1", "Fig. 6(a)", "qualitative",
       statement=f"Path from {_xy(TRAJ_A2)} gets stuck in a trench at L ~ {_tl(TRAJ_A2)}",
       paper_value=f"stuck at {_tl(TRAJ_A2)}", inputs=("trajectories",),
       tolerance=f"not converged; final loss within 0.05 of {_tl(TRAJ_A2)}",
       paper_number=P.TRAJECTORIES[TRAJ_A2]["loss"], figure="fig6")
def c_traj_a2(d):
    r = _traj(d, *TRAJ_A2)
    ok = (r["outcome"] != "converged"
          and abs(float(r["final_loss"]) - P.TRAJECTORIES[TRAJ_A2]["loss"]) < 0.05)
    return Result(_traj_text(r), ok, float(r["final_loss"]))


@claim("C8", "III.C.1", "Fig. 6(b)", "qualitative", statement=f"Path from {_xy(TRAJ_B)}, L ~ "
       f"{_tl(TRAJ_B, 'start_loss')}, passes the ridge and converges",
       paper_value=f"L0 ~ {_tl(TRAJ_B, 'start_loss')}, converges", inputs=("trajectories",),
       tolerance=f"converged; start loss within 0.01 of {_tl(TRAJ_B, 'start_loss')}", figure="fig6")
def c_traj_b(d):
    r = _traj(d, *TRAJ_B)
    ok = (r["outcome"] == "converged"
          and abs(r["start_loss"] - P.TRAJECTORIES[TRAJ_B]["start_loss"]) < 0.01)
    return Result(_traj_text(r), ok, float(r["start_loss"]))


@claim("C9", "III.C.1", "Fig. 6(c)", "qualitative", statement=f"From {_xy(TRAJ_C1)} the path "
       f"converges; from {_xy(TRAJ_C2)} it is trapped just below L = {_tl(TRAJ_C2)}",
       paper_value="diverging fates", inputs=("trajectories",),
       tolerance=f"first converged; second not converged with 0.4 < L < {_tl(TRAJ_C2)} at the cap",
       figure="fig6")
def c_traj_c(d):
    r1, r2 = _traj(d, *TRAJ_C1), _traj(d, *TRAJ_C2)
    ok = (r1["outcome"] == "converged" and r2["outcome"] != "converged"
          and 0.4 < float(r2["final_loss"]) < P.TRAJECTORIES[TRAJ_C2]["loss"])
    return Result(f"{_xy(TRAJ_C1)}: {_traj_text(r1)}; {_xy(TRAJ_C2)}: {_traj_text(r2)}", ok,
                  float(r2["final_loss"]))


@claim("C10", "III.C.2", "Fig. 7", "qualitative", statement="A single randomized scan is fuzzy; "
       f"the average of {P.FIG7_N_SCANS} converges to the nonrandomized landscape",
       paper_value="converges", inputs=("randomized_rms",),
       tolerance="RMS > 0.1 for one scan, < 0.05 for all scans, within 20 % of the 1/sqrt(k) law",
       figure="fig7")
def c_fig7(d):
    r = d.frame("randomized_rms").sort_values("k")
    first, last = r.iloc[0], r.iloc[-1]
    ratio = float(last["rms"] / last["rms_expected"])
    ok = float(first["rms"]) > 0.1 and float(last["rms"]) < 0.05 and abs(ratio - 1) < 0.2
    return Result(f"RMS to the nonrandomized landscape: {first['rms']:.3f} (1 scan), "
                  f"{last['rms']:.3f} ({int(last['k'])} scans; 1/sqrt(k) expects "
                  f"{last['rms_expected']:.3f})", ok, float(last["rms"]))
