"""Exact-boundary cases of the thresholds in the kernels and stage drivers (issue 15): every
comparison is tested at the threshold itself and one ulp beyond it, so a `<` that became `<=`
(or the reverse) fails. Plus the learning-rate bisection against a synthetic window whose edges
are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xornet import gates
from xornet import kernels as K
from xornet import landscape as LS
from xornet import lrwindow as LW
from xornet import model as M
from xornet import perturb as PT
from xornet import train as T

XB = gates.bits("xor")  # the paper's targets, as the kernels take them


UP = np.inf


def _v2():
    return M.pack([[10.0, 10.0], [10.0, 10.0]], [-5.0, -15.0], [20.0, -20.0], -10.0)


def _xnor(c=100.0):
    """XNOR with saturated outputs: every case wrong with certainty, loss exactly 1.0."""
    return np.array([c, c, c, c, -c / 2, -1.5 * c, -c, c, c / 2])


def _full_loss(v, nh):
    A, DA, res, dout = np.empty((nh, 4)), np.empty((nh, 4)), np.empty(4), np.empty(4)
    return K.full_loss(np.asarray(v, float), nh, A, DA, res, dout, XB)


# --------------------------------------------------------------------------- kernels


def test_gd_target_is_strict():
    """Convergence means loss < target: at target == loss the epoch is done, one ulp above it
    the run stops before updating (gd_single and gd_ensemble agree)."""
    v = _v2()
    L0 = _full_loss(v, 2)
    for target, conv in ((L0, False), (np.nextafter(L0, UP), True)):
        vv = v.copy()
        _, done, _, _, _, st = K.gd_single(vv, 2, 0.1, 1, True, 5, np.ones(9), target, XB)
        assert (st == K.STATUS_CONVERGED) == conv and done == (0 if conv else 1)
        assert np.array_equal(vv, v) == conv
        V = np.tile(v, (3, 1))
        status = np.zeros(3, np.int64)
        ep = np.zeros(3, np.int64)
        K.gd_ensemble(V, 2, np.full(3, 0.1), 1, True, np.arange(3, dtype=np.uint64), status,
                      ep, np.full(3, np.nan), np.full(3, np.nan), target, XB)
        assert np.all((status == K.STATUS_CONVERGED) == conv) and np.all(ep == (0 if conv else 1))


def test_loss_of_exactly_one_is_not_divergence():
    """The divergence guard is `not (L <= 1)` (NaN or inf): the largest finite loss, exactly 1,
    is a legitimate (if hopeless) state, in every kernel."""
    v = _xnor()
    assert _full_loss(v, 2) == 1.0 and M.loss(v, 2) == pytest.approx(1.0)
    vv = v.copy()
    _, done, _, _, lf, st = K.gd_single(vv, 2, 0.1, 5, True, 1, np.ones(9), 0.0, XB)
    assert st == K.STATUS_RUNNING and done == 5 and lf == 1.0
    V = np.tile(v, (2, 1))
    status = np.zeros(2, np.int64)
    ep = np.zeros(2, np.int64)
    K.gd_ensemble(V, 2, np.full(2, 0.1), 5, False, np.zeros(2, np.uint64), status, ep,
                  np.full(2, np.nan), np.full(2, np.nan), 0.0, XB)
    assert np.all(status == K.STATUS_RUNNING) and np.all(ep == 5)
    vv = v.copy()
    out = K.adam_single(vv, 2, 1e-3, 0.9, 0.999, 1e-8, 5, False, 1, np.zeros(9), np.zeros(9), 0, XB)
    assert out[-1] == K.STATUS_RUNNING and out[1] == 5
    for kernel in ("aos", "soa"):
        o = PT.run_points(v[None], 2, ["t"], n_replicas=4, eta=0.1, max_epochs=3,
                          threshold=0.005, seed=1, kernel=kernel, progress_seconds=1e9)
        assert np.all(o["status"] == PT.ALIVE), kernel


def test_mc_accepts_equal_loss_and_target_is_strict():
    """Zero-temperature MC keeps a move that does not increase the loss (<=): with the output
    hidden unit saturated far beyond the sigmoid clamp (a = 1.0 exactly) its three parameters
    do not change the loss at all, so at least ~3/5 of the proposals are accepted although
    the loss never decreases through them."""
    v = np.array([1.0, -2.0, 100.0, 0.7, 0.3])
    L0 = _full_loss(v, 1)
    vv = v.copy()
    _, sweeps, L, acc = K.mc_zero_t(vv, 1, 0.5, 200, np.uint64(3), 0.0, XB)
    assert sweeps == 200 and L <= L0
    assert acc > 0.55 * 200 * 5
    _, sweeps, _, _ = K.mc_zero_t(v.copy(), 1, 0.5, 10, np.uint64(3), L0, XB)
    assert sweeps >= 1  # L0 < L0 is false: the first sweep is done
    _, sweeps, _, acc = K.mc_zero_t(v.copy(), 1, 0.5, 10, np.uint64(3), np.nextafter(L0, UP), XB)
    assert sweeps == 0 and acc == 0


# --------------------------------------------------------------------------- perturbation


def test_replica_convergence_threshold_is_strict():
    """A replica converges at epoch t if its full-batch loss at t is < threshold: at the
    start's own loss it has not converged at epoch 0, one ulp above it has (forward4 kernel,
    whose loss is full_loss bit for bit)."""
    v = M.PAPER_TABLE2[0]
    L0 = _full_loss(v, 2)
    o = PT.run_points(v[None], 2, ["t"], n_replicas=4, eta=0.1, max_epochs=2, threshold=L0,
                      seed=1, kernel="aos", progress_seconds=1e9)
    assert np.all(o["conv"][0] != 0)
    o = PT.run_points(v[None], 2, ["t"], n_replicas=4, eta=0.1, max_epochs=2,
                      threshold=np.nextafter(L0, UP), seed=1, kernel="aos",
                      progress_seconds=1e9)
    assert np.all(o["conv"][0] == 0)


def test_tau_conv_needs_both_averages_below_threshold():
    """tau_conv needs the mean randomized-batch loss AND the mean full-batch loss below the
    threshold. At a threshold between the two means at epoch 0 neither alone suffices."""
    v = M.PAPER_TABLE2[0]
    L0 = _full_loss(v, 2)
    R, st = 16, None
    from xornet import rng

    st = rng.replica_states(1, R, "t")
    w = np.empty(4)
    lb = []
    A, DA, res, dout = np.empty((2, 4)), np.empty((2, 4)), np.empty(4), np.empty(4)
    for r in range(R):
        K.draw_batch(st[r], w)
        K.forward4(v, 2, A, DA, res, dout, XB)
        lb.append(float(np.dot(w, res**2)))
    mb = float(np.mean(lb))
    assert mb != L0
    thr = 0.5 * (mb + L0)  # one mean below, the other above
    for kernel in ("aos", "soa"):
        o = PT.run_points(v[None], 2, ["t"], n_replicas=R, eta=0.1, max_epochs=1, threshold=thr,
                          seed=1, kernel=kernel, progress_seconds=1e9)
        assert o["tau"][0] != 0, kernel
        o = PT.run_points(v[None], 2, ["t"], n_replicas=R, eta=0.1, max_epochs=1,
                          threshold=max(mb, L0) * 1.000001, seed=1, kernel=kernel,
                          progress_seconds=1e9)
        assert o["tau"][0] == 0, kernel


# --------------------------------------------------------------------------- lr window


def test_lr_window_bisection_against_a_known_window(monkeypatch):
    """With a synthetic convergence rule (converges iff 0.0137 <= eta <= 3.3) the scan and the
    bisection must bracket exactly these edges: low = (failing, converging) around 0.0137,
    high = (converging, failing) around 3.3, each narrower than the resolution."""
    lo_true, hi_true = 0.0137, 3.3
    calls = []

    def fake_run(etas, v0, n_h, max_epochs, randomized, state, threshold, logger, label, gate):
        e = np.asarray(etas, float)
        calls.append(e.size)
        c = (e >= lo_true) & (e <= hi_true)
        return pd.DataFrame({"eta": e, "converged": c, "epochs": np.where(c, 10, max_epochs),
                             "final_full_loss": np.where(c, 1e-3, 0.25), "diverged": False})

    monkeypatch.setattr(LW, "_run", fake_run)
    rows, s = LW.find_window(np.zeros(9), 2, eta_min=1e-3, eta_max=100.0, n=11, max_epochs=100,
                             rel_resolution=0.01, threshold=0.005, randomized=False, state=1)
    (a, b), (c, d) = s["low_bracket"], s["high_bracket"]
    assert a < lo_true <= b and (b - a) / b < 0.01
    assert c <= hi_true < d and (d - c) / d < 0.01
    assert s["window"] == [b, c]
    assert s["transitions_in_scan"] == 2 and not s["low_open"] and not s["high_open"]
    assert set(rows["phase"]) == {"scan", "bisect_low", "bisect_high"}
    # every scanned rate converges: both edges open, the window is the scanned range
    lo_true, hi_true = 0.0, np.inf
    _, s2 = LW.find_window(np.zeros(9), 2, eta_min=1e-3, eta_max=100.0, n=5, max_epochs=100,
                           rel_resolution=0.01, threshold=0.005, randomized=False, state=1)
    assert s2["low_open"] and s2["high_open"] and s2["window"] == [1e-3, 100.0]


# --------------------------------------------------------------------------- landscape levels


def test_grid_feature_levels_at_their_boundaries():
    """Colour classes: well L < 0.125 <= turquoise < 0.375 <= yellow < 0.625 <= red."""
    d = np.linspace(-1.0, 1.0, 5)
    vals = [np.nextafter(0.125, 0), 0.125, np.nextafter(0.375, 0), 0.375,
            np.nextafter(0.625, 0), 0.625, 0.9]
    G = np.full((5, 5), 0.5)
    G[2, 2] = 0.0  # the optimum
    for k, x in enumerate(vals):
        G.flat[k] = x
    f = LS.grid_features(d, G, flank=0.5, margin=0.01, disk=0.5)
    n = 25.0
    assert f["well_frac"] == 2 / n  # 0.0 and 0.125-ulp
    assert f["turquoise_frac"] == 2 / n  # 0.125 and 0.375-ulp
    assert f["yellow_frac"] == (25 - 2 - 2 - 2) / n
    assert f["red_frac"] == 2 / n  # 0.625 and 0.9
    assert f["centre_loss"] == 0.0 and f["well_isolated"]


# --------------------------------------------------------------------------- training analysis


def test_fit_range_inclusive_and_first_below_strict():
    t = np.array([1.0, 10.0, 100.0, 1000.0, 10000.0])
    y = 3.0 * t**-1.25
    g, se, n = T.fit_powerlaw(t, y, 10.0, 1000.0)
    assert n == 3 and g == pytest.approx(1.25, rel=1e-12) and se < 1e-10
    assert T.fit_powerlaw(t, y, 10.0, 999.0)[2] == 2
    assert T.fit_powerlaw(t, y, 10.000001, 1000.0)[2] == 2
    loss = np.array([0.3, 0.2, 0.005, 0.004, 0.001])
    assert T.first_below(t, loss, 0.005) == 1000.0
    assert T.first_below(t, loss, np.nextafter(0.005, 1)) == 100.0
    assert np.isnan(T.first_below(t, loss, 0.001))


def test_fit_standard_error_matches_linregress():
    """Noisy power law: exponent and its standard error equal scipy's ordinary least squares
    (linregress) of log L on log tau; the error is that of the slope, not of the mean."""
    from scipy.stats import linregress

    rng = np.random.default_rng(8)
    t = np.geomspace(10, 1e5, 40)
    y = 2.0 * t**-1.1 * np.exp(rng.normal(0, 0.2, t.size))
    g, se, n = T.fit_powerlaw(t, y, 10.0, 1e5)
    r = linregress(np.log(t), np.log(y))
    assert n == 40
    assert g == pytest.approx(-r.slope, rel=1e-12)
    assert se == pytest.approx(r.stderr, rel=1e-10)
    assert 0.01 < se < 0.05


def test_separation_epoch_interpolation():
    """The crossing epoch is interpolated linearly in the distance moved (in log epoch between
    records after 0): crossing 0.25 halfway between epochs 0 and 10 -> 5; crossing 0.75
    halfway between 10 and 100 in distance -> sqrt(10 * 100)."""
    names = M.param_names(2)
    df = pd.DataFrame({"epoch": [0, 10, 100], **{n: [0.0, 0.0, 0.0] for n in names}})
    df["b1_1"] = [0.0, 0.5, 1.0]
    o = T.separation_order(df, 2, 0.25).set_index("param")
    assert o.loc["b1_1", "separation_epoch"] == pytest.approx(5.0, rel=1e-12)
    o = T.separation_order(df, 2, 0.75).set_index("param")
    assert o.loc["b1_1", "separation_epoch"] == pytest.approx(np.sqrt(1000.0), rel=1e-12)
    assert o.loc["b1_1", "rank"] == 1 and np.isnan(o.loc["b2_1", "separation_epoch"])
