"""Claims of Sec. III.A, "Dependence of Network Performance on the Learning Rate": Fig. 2, the
window of convergence, the power law (Eq. 7), Table II (and n_h = 1 cannot solve XOR)."""

from __future__ import annotations

import math

import numpy as np

from .. import paper as P
from .core import Claim, Result, _fmt, _within_factor, declare
from .inputs import ENT, NotCheckable, _fit_row, _lowest_losses, _tau_conv_ref


def converging_intervals(df):
    """:func:`xornet.lrwindow.converging_intervals`, imported when a check runs (rendering jobs
    import this package and must not load numba)."""
    from ..lrwindow import converging_intervals as f

    return f(df)


def main_interval(df):
    """:func:`xornet.lrwindow.main_interval`, imported when a check runs (see above)."""
    from ..lrwindow import main_interval as f

    return f(df)


CLAIMS: list[Claim] = []
claim = declare(CLAIMS)


def _iv_text(iv) -> str:
    return " U ".join(f"[{a:.4g}, {b:.4g}]" for a, b, _, _ in iv) or "none"


def _window_edge(d, edge: int, paper: float):
    main, iv = main_interval(d.frame("lr_randomized"))
    if main is None:
        return Result("no learning rate converges", False)
    x = float(main[edge])
    txt = f"{x:.4g} (randomized; converging set {_iv_text(iv)})"
    note = ("randomized batches as in Fig. 2, our initialization v_k = 0.1 r_k (the paper's r_k "
            "are not given); edge of the interval that contains eta = 0.1")
    if d.available("lr_full"):
        mf, ivf = main_interval(d.frame("lr_full"))
        if mf is not None:
            xf = float(mf[edge])
            txt += f"; {xf:.4g} (nonrandomized; {_iv_text(ivf)})"
            if abs(xf / paper - 1) <= 0.25:
                note += "; the nonrandomized batch does agree within the tolerance"
    return Result(txt, abs(x / paper - 1) <= 0.25, x, note)


def _window_text() -> str:
    return f"[{P.ETA_WINDOW[0]:g}, {P.ETA_WINDOW[1]:g}]"


def _printed(d, labels):
    s = d.frame("solutions")
    p = s[(s["source"] == "paper") & s["label"].isin(labels)].set_index("label")
    if len(p) != len(labels):
        raise NotCheckable("printed solutions missing")
    return p


@claim("A1", "III.A", "text before Table II", "qualitative",
       statement="A network with a single hidden neuron (n_h = 1) cannot solve XOR",
       paper_value="no solution", inputs=("entropy",),
       tolerance="lowest loss reached must stay above the 0.005 convergence threshold",
       figure="fig8", scale_inputs=ENT)
def c_nh1_no_solution(d):
    lows = _lowest_losses(d, P.NO_ZERO_LOSS_N_H)
    if not lows:
        raise NotCheckable("no n_h = 1 sampler runs in this config")
    lo = float(min(lows))
    inf = d.extra("entropy").get("nh1_infimum_unbounded")
    ok = lo > P.CONV_THRESHOLD
    return Result(f"lowest loss of any n_h=1 run {lo:.4f}; exact infimum {_fmt(inf, 4)}", ok, lo,
                  "the single-hidden-neuron network cannot get below L = 1/6 (exact infimum: "
                  "xornet.microcanonical)")


@claim("A2", "III.A", "Fig. 2", "qualitative",
       statement="n_h = 2 suffices: GD at eta = 0.1 converges", paper_value="converges",
       inputs=("fits",), tolerance="full-batch loss < 0.005 at the end", figure="fig2",
       scale_inputs=("run_ref",))
def c_nh2_solves(d):
    r = _fit_row(d, P.REFERENCE_N_H, P.REFERENCE_ETA)
    return Result(f"converged={bool(r['converged'])}, final L={r['final_full_loss']:.2g}",
                  bool(r["converged"]), float(r["final_full_loss"]))


@claim("A3", "III.A", "Fig. 2 text", "value", statement=f"Convergence (eta = {P.REFERENCE_ETA:g}, "
       f"n_h = {P.REFERENCE_N_H}) sets in after about {P.TAU_CONV:.0f} epochs",
       paper_value=f"~{P.TAU_CONV:.0f}", inputs=("run_ref",),
       tolerance=f"factor 2 ({P.TAU_CONV / 2:.0f}-{P.TAU_CONV * 2:.0f}): the plateau length "
       "depends on the random initialization v_k = 0.1 r_k, which the paper does not give",
       paper_number=P.TAU_CONV, figure="fig2")
def c_conv_epoch(d):
    tau = _tau_conv_ref(d)
    ok = _within_factor(tau, P.TAU_CONV, 2.0)
    return Result(f"tau_conv = {tau:,.0f}", ok, tau,
                  "first epoch with full-batch loss < 0.005 of the reference run")


@claim("A4", "III.A", "Fig. 2 text", "value",
       statement=f"In the initial phase the loss fluctuates about {P.INITIAL_LOSS:g}",
       paper_value=f"{P.INITIAL_LOSS:g}", inputs=("run_ref",),
       tolerance=f"+-0.02 on the median (outputs near 0.5 give exactly {P.INITIAL_LOSS:g})",
       paper_number=P.INITIAL_LOSS, figure="fig2")
def c_initial_plateau(d):
    df = d.frame("run_ref")
    tau = _tau_conv_ref(d)
    m = (df["epoch"] >= 10) & (df["epoch"] <= 0.5 * tau)
    if not m.any():
        raise NotCheckable("no records in the initial phase")
    med = float(df.loc[m, "full_loss"].median())
    return Result(f"median full-batch loss for 10 <= tau <= tau_conv/2: {med:.4f}",
                  abs(med - P.INITIAL_LOSS) <= 0.02, med)


@claim("A5", "III.A", "Fig. 2 text", "qualitative",
       statement="After the initial phase there is a sudden drop into the attraction basin",
       paper_value="sudden drop", inputs=("run_ref",),
       tolerance="drop from L < 0.2 to L < 0.005 takes fewer epochs than the plateau before it",
       figure="fig2")
def c_sudden_drop(d):
    df = d.frame("run_ref")
    t02 = df.loc[df["full_loss"] < 0.2, "epoch"]
    t_c = _tau_conv_ref(d)
    if t02.empty or not math.isfinite(t_c):
        return Result("loss never drops", False)
    plateau, drop = float(t02.iloc[0]), t_c - float(t02.iloc[0])
    return Result(f"plateau until tau={plateau:,.0f}; drop to 0.005 takes {drop:,.0f} epochs",
                  drop < plateau, drop / plateau if plateau else float("nan"))


@claim("A6", "III.A", "Fig. 2 text", "threshold",
       statement="Lower edge of the learning-rate window of convergence",
       paper_value=f"{P.ETA_WINDOW[0]:g}", inputs=("lr_randomized",),
       tolerance="+-25 %: both are edges for a single random initialization (ours and the paper's "
       f"differ; the epoch cap {P.ETA_WINDOW_MAX_EPOCHS / 1e6:g}e6 is the paper's)",
       paper_number=P.ETA_WINDOW[0], figure="lr_window", scale_inputs=("lr_full",))
def c_window_low(d):
    return _window_edge(d, 0, P.ETA_WINDOW[0])


@claim("A7", "III.A", "Fig. 2 text", "threshold",
       statement="Upper edge of the learning-rate window of convergence",
       paper_value=f"{P.ETA_WINDOW[1]:g}", inputs=("lr_randomized",), tolerance="+-25 % (as A6)",
       paper_number=P.ETA_WINDOW[1], figure="lr_window", scale_inputs=("lr_full",))
def c_window_high(d):
    return _window_edge(d, 1, P.ETA_WINDOW[1])


@claim("A8", "III.A", "Fig. 2", "qualitative", statement="Every Fig. 2 learning rate inside "
       f"{_window_text()} converges (n_h = {P.REFERENCE_N_H})", paper_value="all converge",
       inputs=("fits",), tolerance="all runs with eta in the window reach L < 0.005", figure="fig2",
       scale_inputs=("run_ref",))
def c_fig2_all_converge(d):
    f = d.frame("fits")
    lo, hi = P.ETA_WINDOW
    f = f[(f["n_h"] == P.REFERENCE_N_H) & (f["eta"] >= lo) & (f["eta"] <= hi)]
    if f.empty:
        raise NotCheckable("no n_h = 2 runs inside the window")
    bad = f.loc[~f["converged"].astype(bool), "eta"].tolist()
    txt = (f"{int(f['converged'].sum())}/{len(f)} converge"
           + (f"; not: eta = {', '.join(f'{e:g}' for e in bad)}" if bad else ""))
    return Result(txt, not bad, float(f["converged"].mean()))


@claim("A18", "III.A", "Fig. 2 text", "qualitative",
       statement="The learning rates that converge form one interval",
       paper_value=f"one interval {_window_text()}", inputs=("lr_randomized",),
       tolerance="exactly one run of converging eta in the scan (randomized batches, as in Fig. 2)",
       figure="lr_window", scale_inputs=("lr_full",))
def c_window_interval(d):
    iv = converging_intervals(d.frame("lr_randomized"))
    txt = f"randomized: {_iv_text(iv)}"
    if d.available("lr_full"):
        txt += f"; nonrandomized: {_iv_text(converging_intervals(d.frame('lr_full')))}"
    return Result(txt, len(iv) == 1, float(len(iv)),
                  "with randomized batches the converging learning rates form more than one "
                  "interval (islands of convergence above the main window)" if len(iv) > 1 else "")


def _gamma(n_h: int, run: str):
    """The check of the paper's exponent gamma for ``n_h`` (Eq. 7) at eta = 0.1: +-0.1."""

    def check(d):
        r = _fit_row(d, n_h, P.REFERENCE_ETA)
        g = float(r["gamma"])
        if not math.isfinite(g):
            raise NotCheckable(f"no power-law fit for {run} (tail too short)")
        return Result(f"gamma = {g:.3f} +- {float(r['gamma_err']):.3f}",
                      abs(g - P.GAMMA[n_h]) <= 0.1, g)
    return check


for _id, _n_h, _run, _tolerance in (
        ("A9", P.REFERENCE_N_H, f"n_h = {P.REFERENCE_N_H}, eta = {P.REFERENCE_ETA:g}",
         "+-0.1: the paper quotes one decimal read off reference lines"),
        ("A10", P.LARGE_N_H, f"n_h = {P.LARGE_N_H}", "+-0.1 (as A9)")):
    claim(_id, "III.A", "Eq. (7), Fig. 2", "value",
          statement=f"Power-law exponent for n_h = {_n_h}",
          paper_value=f"gamma ~ {P.GAMMA[_n_h]:.1f}", inputs=("fits",), tolerance=_tolerance,
          paper_number=P.GAMMA[_n_h], figure="fig2", scale_inputs=("run_ref",))(_gamma(_n_h, _run))


def _fits_small_large(d):
    """The power-law fits of n_h = 2 and n_h = 18 at eta = 0.1 (Fig. 2)."""
    return tuple(_fit_row(d, n_h, P.REFERENCE_ETA) for n_h in (P.REFERENCE_N_H, P.LARGE_N_H))


@claim("A11", "III.A", "Fig. 2 text", "qualitative",
       statement="gamma does not depend on the learning rate", paper_value="independent of eta",
       inputs=("fits",),
       tolerance="spread of gamma over eta <= 0.1 (the resolution of the paper's statement)",
       figure="fig2", scale_inputs=("run_ref",))
def c_gamma_indep_eta(d):
    f = d.frame("fits")
    f = f[(f["n_h"] == P.REFERENCE_N_H) & np.isfinite(f["gamma"])]
    if len(f) < 2:
        raise NotCheckable("fewer than two n_h = 2 runs with a power-law fit")
    g = f["gamma"].to_numpy(float)
    spread = float(g.max() - g.min())
    pairs = ", ".join(f"{e:g}: {x:.3f}" for e, x in zip(f["eta"], g, strict=True))
    err = float(np.max(f["gamma_err"]))
    note = (f"spread {spread:.3f} exceeds the fit errors (<= {err:.3f}): a weak systematic trend "
            "with eta" if spread > 3 * err else "")
    return Result(f"gamma by eta = {pairs}; spread {spread:.3f}", spread <= 0.1, spread, note)


@claim("A12", "III.A", "Fig. 2 text", "qualitative",
       statement="gamma depends on the number of hidden neurons",
       paper_value=f"{P.GAMMA[P.REFERENCE_N_H]:.1f} vs {P.GAMMA[P.LARGE_N_H]:.1f}",
       inputs=("fits",), tolerance="gamma(18) > gamma(2) by more than 3 standard errors",
       figure="fig2", scale_inputs=("run_ref",))
def c_gamma_nh_dep(d):
    a, b = _fits_small_large(d)
    diff = float(b["gamma"] - a["gamma"])
    err = math.hypot(float(a["gamma_err"]), float(b["gamma_err"]))
    if not math.isfinite(diff):
        raise NotCheckable("a power-law fit is missing")
    return Result(f"gamma(18) - gamma(2) = {diff:.3f} +- {err:.3f}", diff > 3 * err, diff)


@claim("A13", "III.A/D", "Fig. 2 text; Sec. III.D", "qualitative",
       statement="n_h = 18 converges faster only in the long-term phase (larger exponent)",
       paper_value="later phase only", inputs=("fits",),
       tolerance="lower final loss, and threshold not reached more than 2x earlier", figure="fig2",
       scale_inputs=("run_ref",))
def c_nh18_longterm(d):
    a, b = _fits_small_large(d)
    ta, tb = float(a.get("tau_conv", np.nan)), float(b.get("tau_conv", np.nan))
    la, lb = float(a["final_full_loss"]), float(b["final_full_loss"])
    if not (math.isfinite(ta) and math.isfinite(tb)):
        raise NotCheckable("tau_conv not recorded in the fits")
    ok = lb < la and tb >= 0.5 * ta
    return Result(f"tau_conv n_h=2: {ta:,.0f}, n_h=18: {tb:,.0f}; final L {la:.2g} vs {lb:.2g}",
                  ok, tb / ta, "faster = lower final loss; 'only in the long-term phase' = "
                  "n_h = 18 does not reach the threshold much (> 2x) earlier")


@claim("A14", "III.A", "Table II #1", "value",
       statement="Solution #1 from GD (eta = 0.1) from the Fig. 2 initialization",
       paper_value="#1 as printed", inputs=("solutions",), tolerance="same hidden-neuron logic "
       "(symmetry class); values not compared (initialization unknown)", figure="table2",
       scale_inputs=("run_ref",))
def c_table2_1(d):
    s = d.frame("solutions")
    ours = s[(s["source"] == "ours") & (s["label"] == "#1")]
    paper = s[(s["source"] == "paper") & (s["label"] == "#1")]
    if ours.empty or paper.empty:
        raise NotCheckable("solution #1 missing")
    o, p = ours.iloc[0], paper.iloc[0]
    ex = d.extra("solutions").get("closest_to_paper_1") or {}
    dist = ex.get("distance", ex.get("min_distance"))
    ok = bool(o["is_solution"]) and o["logic"] == p["logic"]
    return Result(f"ours: L={o['full_loss']:.2g}, hidden logic {o['logic']} (paper {p['logic']})"
                  + (f"; closest approach to the printed #1: {_fmt(dist)}" if dist is not None else ""),
                  ok, float(o["full_loss"]), "same symmetry class; the values depend on the "
                  "random initialization, which the paper does not give")


@claim("A15", "III.A", "Table II", "value", statement="Printed sets #1, #2, #5 are solutions",
       paper_value="solutions", inputs=("solutions",),
       tolerance="loss < 0.005 and every output on the right side of 0.5", figure="table2",
       scale_free=True)
def c_table2_printed_ok(d):
    p = _printed(d, ["#1", "#2", "#5"])
    txt = "; ".join(f"{k}: L={r['full_loss']:.2g}" for k, r in p.iterrows())
    return Result(txt, bool(p["is_solution"].all()), float(p["full_loss"].max()))


@claim("A16", "III.A", "Table II", "value", statement="Printed sets #3, #4 are solutions",
       paper_value="solutions", inputs=("solutions",), tolerance="as A15", figure="table2",
       scale_free=True)
def c_table2_printed_34(d):
    p = _printed(d, ["#3", "#4"])
    txt = "; ".join(f"{k}: L={r['full_loss']:.3f}, outputs "
                    + "/".join(f"{r[f'yhat_c{m}']:.2f}" for m in range(4)) for k, r in p.iterrows())
    return Result(txt, bool(p["is_solution"].all()), float(p["full_loss"].max()),
                  "as printed, #3 gets case (1,1) wrong (L ~ 0.25) and #4 cases (0,1), (1,0) "
                  "(L ~ 0.5): probably misprinted digits or signs")


@claim("A17", "III.A", "Table II text", "qualitative",
       statement="Zero-T Monte Carlo finds further, different solutions", paper_value=">= 4 others",
       inputs=("solutions",), tolerance=">= 4 distinct solutions besides #1",
       paper_number=float(len(P.TABLE2) - 1), figure="table2")
def c_mc_solutions(d):
    ex = d.extra("solutions")
    n = ex.get("mc_distinct_found")
    if n is None:
        s = d.frame("solutions")
        n = int(((s["source"] == "ours") & (s["label"] != "#1") & s["is_solution"]).sum())
    return Result(f"{n} distinct solutions (symmetry classes / canonical forms) from zero-T MC",
                  int(n) >= 4, float(n))
