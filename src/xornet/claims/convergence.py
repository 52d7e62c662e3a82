"""Claims of Sec. III.B, "Convergence Dynamics": parameter drift and separation order (Fig. 3,
GD and Adam), activations (Fig. 4), plateaus of the epoch of convergence (Fig. 5)."""

from __future__ import annotations

import math

import numpy as np

from .. import model as M
from .. import paper as P
from .core import Claim, Result, _fmt, _within_factor, declare
from .inputs import NotCheckable, _tau_conv_ref


def separation_sequence_ok(order):
    """:func:`xornet.train.separation_sequence_ok`, imported when a check runs: the scorecard's
    rendering jobs import this package and must not load numba (``train`` does)."""
    from ..train import separation_sequence_ok as check

    return check(order)


CLAIMS: list[Claim] = []
claim = declare(CLAIMS)


def _order(d, opt):
    o = d.frame("separation")
    o = o[o["optimizer"] == opt]
    if o.empty:
        raise NotCheckable(f"optimizer {opt} not run")
    return o


def _after_convergence(d, factor: float):
    """Records of the reference run from ``factor`` x tau_conv on, and the parameter columns."""
    df = d.frame("run_ref")
    names = [c for c in df.columns if c.startswith(("w1_", "b1_", "w2_", "b2_"))]
    tau = _tau_conv_ref(d)
    late = df[df["epoch"] >= factor * tau] if math.isfinite(tau) else df.iloc[0:0]
    if len(late) < 3:
        raise NotCheckable("run too short after convergence")
    return late, names


def _activations(df, layer: int, neuron: int) -> np.ndarray:
    """Activation a_neuron^(layer) of the four input cases at every record, shape (records, 4)
    (columns ``a{layer}_{neuron}_c{m}`` of a training run)."""
    return df[[f"a{layer}_{neuron}_c{m}" for m in range(4)]].to_numpy(float)


def _plateau(d, param):
    p = d.frame("plateaus").set_index("param")
    if param not in p.index:
        raise NotCheckable(f"{param} not perturbed in this config")
    return p.loc[param]


@claim("B1", "III.B", "Fig. 3", "qualitative",
       statement="Zero loss is not reached in finite time; weights and biases keep drifting",
       paper_value="drift, L > 0", inputs=("run_ref",),
       tolerance="|v| grows by > 1 % after 10 tau_conv and L > 0", figure="fig3")
def c_drift(d):
    late, names = _after_convergence(d, 10)
    n0 = float(np.linalg.norm(late[names].iloc[0]))
    n1 = float(np.linalg.norm(late[names].iloc[-1]))
    last = float(late["full_loss"].iloc[-1])
    ok = n1 > n0 * 1.01 and last > 0
    return Result(f"|v| grows {n0:.2f} -> {n1:.2f} between tau={int(late['epoch'].iloc[0]):,} and "
                  f"{int(late['epoch'].iloc[-1]):,}; final L={last:.2g} > 0", ok, n1 / n0)


@claim("B2", "III.B", "Fig. 3 text", "qualitative",
       statement="After convergence the parameters keep changing monotonously",
       paper_value="monotone", inputs=("run_ref",),
       tolerance="every parameter monotone over the log-spaced records after 2 tau_conv",
       figure="fig3")
def c_monotone(d):
    late, names = _after_convergence(d, 2)
    dv = np.diff(late[names].to_numpy(float), axis=0)
    mono = [bool((dv[:, i] >= 0).all() or (dv[:, i] <= 0).all()) for i in range(len(names))]
    bad = [n for n, m in zip(names, mono, strict=True) if not m]
    return Result(f"{sum(mono)}/{len(names)} parameters monotone over the records after "
                  f"2 tau_conv" + (f" (not: {', '.join(bad)})" if bad else ""), not bad,
                  float(np.mean(mono)))


@claim("B3", "III.B", "Fig. 3 caption", "qualitative",
       statement="w11, w12 and w21, w22 are indistinguishable in solution #1",
       paper_value="pairs equal", inputs=("run_ref",),
       tolerance="relative difference < 1 % at the end of the run", figure="fig3")
def c_pairs(d):
    df = d.frame("run_ref")
    last = df.iloc[-1]
    r1 = abs(last["w1_1_1"] - last["w1_1_2"]) / max(abs(last["w1_1_1"]), 1e-12)
    r2 = abs(last["w1_2_1"] - last["w1_2_2"]) / max(abs(last["w1_2_1"]), 1e-12)
    m = float(max(r1, r2))
    return Result(f"relative difference w11/w12: {r1:.1e}, w21/w22: {r2:.1e} (epoch "
                  f"{int(last['epoch']):,})", m < 0.01, m)


@claim("B4", "III.B", "Fig. 3 text", "qualitative", statement="Separation order (GD): weights of "
       "one hidden neuron k, then w_1k^(2) and b_k^(1), then the rest", paper_value="sequence",
       inputs=("separation",), tolerance="ordering of the separation epochs (|v - v0| > 0.5) by "
       "these three groups; the order of w_1k^(2) and b_k^(1) is not tested (the text: 'in "
       "consequence, also')", figure="optimizers")
def c_gd_sequence(d):
    ok, txt = separation_sequence_ok(_order(d, "gd"))
    return Result(txt, ok, float(ok))


@claim("B5", "III.B", "Fig. 3 text", "qualitative",
       statement="Adam gives the identical separation sequence", paper_value="identical",
       inputs=("separation",), tolerance="same ordering test as B4", figure="optimizers")
def c_adam_sequence(d):
    ok, txt = separation_sequence_ok(_order(d, "adam"))
    kt = d.extra("separation").get("kendall_tau_gd_adam")
    return Result(txt + (f"; Kendall tau vs GD {kt:.2f}" if kt is not None else ""), ok,
                  float(kt) if kt is not None else float("nan"))


@claim("B6", "III.B", "Fig. 3 text", "qualitative", statement="Adam converges much faster than GD",
       paper_value="faster", inputs=("separation",), tolerance="Adam reaches L < 0.005 first",
       figure="optimizers")
def c_adam_faster(d):
    ex = d.extra("separation")
    ta, tg = ex.get("tau_below_threshold_adam"), ex.get("tau_below_threshold_gd")
    if ta is None or tg is None:
        raise NotCheckable("convergence epochs not recorded")
    ta, tg = float(ta), float(tg)
    if not math.isfinite(tg):
        raise NotCheckable("GD did not converge within this run")
    ok = math.isfinite(ta) and ta < tg
    return Result(f"first record below 0.005: Adam {_fmt(ta)}, GD {_fmt(tg)}", ok,
                  ta / tg if math.isfinite(ta) else float("nan"))


@claim("B7", "III.B", "Fig. 4", "qualitative",
       statement="The output activation converges to the XOR target in all four cases",
       paper_value="converges", inputs=("run_ref",), tolerance="max |yhat - y| < 0.05 at the end",
       figure="fig4")
def c_outputs_converge(d):
    df = d.frame("run_ref")
    err = float(np.max(np.abs(_activations(df, 2, 1)[-1] - M.Y)))
    return Result(f"max |a_1^(2) - y| over the four cases = {err:.2g} at epoch "
                  f"{int(df['epoch'].iloc[-1]):,}", err < 0.05, err)


@claim("B8", "III.B", "Fig. 4 text", "qualitative",
       statement="In early epochs all outputs are about 0.5 (small initial parameters)",
       paper_value="~0.5", inputs=("run_ref",), tolerance="max |yhat - 0.5| < 0.1 for tau <= 1000",
       figure="fig4")
def c_early_half(d):
    df = d.frame("run_ref")
    early = (df["epoch"] <= 1000).to_numpy()
    dev = float(np.max(np.abs(_activations(df, 2, 1)[early] - P.EARLY_OUTPUT)))
    return Result(f"max |a_1^(2) - 0.5| for tau <= 1000: {dev:.3f}", dev < 0.1, dev)


@claim("B9", "III.B", "Fig. 4 text", "qualitative",
       statement=f"Hidden activations desync (symmetry breaking) at tau ~ {P.TAU_DESYNC:.0f}",
       paper_value=f"~{P.TAU_DESYNC:.0f}", inputs=("run_ref",),
       tolerance="|a_1^(1) - a_2^(1)| < 0.05 early, > 0.5 at the end, first > 0.2 within a factor "
       f"2 of {P.TAU_DESYNC:.0f}", paper_number=P.TAU_DESYNC, figure="fig4")
def c_desync(d):
    df = d.frame("run_ref")
    diff = np.max(np.abs(_activations(df, 1, 1) - _activations(df, 1, 2)), axis=1)
    early = float(diff[df["epoch"].to_numpy() <= 1000].max())
    late = float(diff[-1])
    idx = np.flatnonzero(diff > 0.2)
    t = float(df["epoch"].iloc[idx[0]]) if idx.size else float("nan")
    ok = early < 0.05 and late > 0.5 and _within_factor(t, P.TAU_DESYNC, 2.0)
    return Result(f"max_m |a_1^(1) - a_2^(1)|: {early:.3f} (tau <= 1000), {late:.2f} (end); "
                  f"exceeds 0.2 at tau = {_fmt(t)}", ok, t)


@claim("B15", "III.B", "Fig. 4 text", "qualitative",
       statement="Case (1,1): the output first enters the wrong channel, then corrects toward 0",
       paper_value="wrong channel, then 0", inputs=("run_ref",),
       tolerance="yhat(1,1) > 0.55 at a record of the drop (L < 0.245 up to tau_conv) and < 0.05 "
       "at the end", figure="fig4")
def c_case11(d):
    df = d.frame("run_ref")
    tau = _tau_conv_ref(d)
    start = df.loc[df["full_loss"] < 0.245, "epoch"]
    if start.empty or not math.isfinite(tau):
        raise NotCheckable("the reference run does not leave the initial plateau")
    win = df[(df["epoch"] >= float(start.iloc[0])) & (df["epoch"] <= tau)]
    peak = float(win["a2_1_c3"].max()) if len(win) else float("nan")
    end = float(df["a2_1_c3"].iloc[-1])
    return Result(f"a_1^(2) for (1,1): up to {peak:.3f} during the drop ({len(win)} records "
                  f"between tau={int(start.iloc[0]):,} and tau_conv), {end:.3g} at the end",
                  peak > 0.55 and end < 0.05, peak,
                  "resolution limited by the log-spaced records of the run")


def _plateau_edge(param: str):
    """The check of the paper's upper plateau edge of ``param`` (Fig. 5(a) text): +-0.1."""
    paper = P.PLATEAU_UPPER[param]

    def check(d):
        r = _plateau(d, param)
        up = float(r["upper_in"])
        return Result(f"plateau {float(r['lower_in']):.2f} .. {up:.2f} "
                      f"({'open' if r['lower_open'] else 'closed'} below)",
                      abs(up - paper) <= 0.1, up)
    return check


for _id, _param, _name, _tolerance in (
        ("B10", "w1_1_1", "w11^(1)", "+-0.1 (the paper quotes two digits read off Fig. 5)"),
        ("B11", "w1_1_2", "w12^(1)", "+-0.1 (as B10)"),
        ("B12", "w2_1_1", "w11^(2)", "+-0.1 (as B10)")):
    claim(_id, "III.B", "Fig. 5(a) text", "threshold",
          statement=f"Convergence unaltered if Delta {_name} < {P.PLATEAU_UPPER[_param]:g}",
          paper_value=f"{P.PLATEAU_UPPER[_param]:g}", inputs=("plateaus",), tolerance=_tolerance,
          paper_number=P.PLATEAU_UPPER[_param], figure="fig5")(_plateau_edge(_param))


@claim("B13", "III.B", "Fig. 5 text", "qualitative", statement="Only w11^(1), w12^(1), w11^(2) "
       "are unaffected below a threshold (plateau open to negative shifts)",
       paper_value="these three", inputs=("plateaus",),
       tolerance="exactly these three plateaus reach the lower end of the Delta grid",
       figure="fig5")
def c_plateau_open(d):
    p = d.frame("plateaus")
    open_ = set(p.loc[p["lower_open"].astype(bool), "param"])
    want = set(P.PLATEAU_UPPER)
    lo = float(p["lower_in"].min())
    return Result(f"open below (up to Delta = {lo:g}): {', '.join(sorted(open_)) or 'none'}",
                  open_ == want, float(len(open_)))


@claim("B14", "III.B", "Fig. 5 text", "qualitative",
       statement="All curves have a plateau about the optimum", paper_value="plateau for all nine",
       inputs=("plateaus",),
       tolerance="plateau contains Delta < 0 and Delta > 0 for every parameter", figure="fig5")
def c_plateau_all(d):
    p = d.frame("plateaus")
    w = (p["upper_in"] - p["lower_in"]).astype(float)
    ok = bool(((p["upper_in"] > 0) & (p["lower_in"] < 0)).all())
    return Result(f"every parameter has a plateau about 0; narrowest width {w.min():.2f} "
                  f"({p.loc[w.idxmin(), 'param']})", ok, float(w.min()))
