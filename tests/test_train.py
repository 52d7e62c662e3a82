import numpy as np
import pandas as pd
import pytest

from xornet import gates, lrwindow, model, rng, solutions, train
from xornet import kernels as K

XB = gates.bits("xor")


def test_log_epochs():
    e = train.log_epochs(10_000, 10, extra=[1234])
    assert e[0] == 0 and e[-1] == 10_000 and 1234 in e
    assert np.all(np.diff(e) > 0)
    assert 10 in e and 100 in e and 1000 in e
    assert list(train.log_epochs(0, 5)) == [0]


def test_fit_powerlaw_recovers_exponent():
    t = np.geomspace(1e3, 1e7, 60)
    y = 3.0 * t ** -1.2 * np.exp(np.random.default_rng(0).normal(0, 0.01, t.size))
    g, se, n = train.fit_powerlaw(t, y, 1e4, 1e7)
    assert abs(g - 1.2) < 3 * se + 1e-3 and se < 0.01 and n == np.sum(t >= 1e4)
    g2, _, n2 = train.fit_powerlaw(t, y, 1e8, 1e9, min_points=3)
    assert np.isnan(g2) and n2 == 0


def test_gamma_eff_of_exact_power_law():
    t = np.geomspace(1, 1e6, 121)
    ge = train.gamma_eff(t, t ** -0.8, 0.3)
    assert np.allclose(ge[np.isfinite(ge)], 0.8)


def test_train_gd_records_consistent_rows():
    n_h = 2
    v0 = model.init_uniform(n_h, rng.generator(1, "t"))
    rec = train.log_epochs(5000, 5)
    df = train.train_gd(v0, n_h, 0.5, 5000, randomized=True, state=rng.replica_states(1, 1, "b")[0],
                        record_epochs=rec, max_chunk=333)
    assert list(df["epoch"]) == list(rec)
    names = model.param_names(n_h)
    assert np.allclose(df.iloc[0][names].to_numpy(float), v0)
    full = model.loss(df[names].to_numpy(float), n_h)
    assert np.allclose(df["full_loss"], full, rtol=1e-12, atol=1e-15)
    a1, yhat = model.forward(df[names].to_numpy(float), n_h)
    assert np.allclose(df["a2_1_c3"], yhat[:, 3]) and np.allclose(df["a1_2_c1"], a1[:, 1, 1])
    # chunking must not change the trajectory
    df2 = train.train_gd(v0, n_h, 0.5, 5000, randomized=True, state=rng.replica_states(1, 1, "b")[0],
                         record_epochs=rec, max_chunk=1 << 20)
    pd.testing.assert_frame_equal(df, df2)
    # the batch loss is a valid randomized-batch loss of the recorded parameters
    lm = model.case_losses(df[names].to_numpy(float), n_h)
    counts = [np.array(c) for c in np.ndindex(5, 5, 5, 5) if sum(c) == 4]
    for bl, l in zip(df["batch_loss"], lm, strict=True):
        assert min(abs(bl - (c * l).sum() / 4) for c in counts) < 1e-12


def test_train_gd_reports_divergence():
    v0 = np.full(9, np.nan)
    df = train.train_gd(v0, 2, 0.1, 100, randomized=False, state=1, record_epochs=[0, 10, 100])
    assert df["status"].iloc[-1] == "diverged"
    assert len(df) == 1


def test_converge_ensemble_matches_single_runs():
    n_h = 2
    v0 = model.init_uniform(n_h, rng.generator(3, "t"))
    etas = np.array([0.5, 1.0, 2.0])
    st = rng.replica_states(3, 1, "b")[0]
    out = train.converge_ensemble(np.tile(v0, (3, 1)), n_h, etas, 40_000, randomized=True,
                                  states=np.full(3, st), target=0.005, chunk=1000)
    for r, eta in enumerate(etas):
        v = v0.copy()
        s, done, *_ , status = K.gd_single(v, n_h, eta, 40_000, True, st, np.ones(9), 0.005, XB)
        assert out["epochs"][r] == done and out["status"][r] == status
        assert np.array_equal(out["params"][r], v)


def test_lr_window_brackets_are_consistent():
    n_h = 2
    v0 = model.init_uniform(n_h, rng.generator(5, "t"))
    rows, s = lrwindow.find_window(v0, n_h, eta_min=0.05, eta_max=200.0, n=7, max_epochs=20_000,
                                   rel_resolution=0.05, threshold=0.005, randomized=False, state=1)
    lo, hi = s["low_bracket"], s["high_bracket"]
    assert s["window"] is not None
    for (a, b), conv_side in ((lo, "hi"), (hi, "lo")):
        assert (b - a) / b < 0.05
        ra = rows[np.isclose(rows["eta"], a)]["converged"].iloc[0]
        rb = rows[np.isclose(rows["eta"], b)]["converged"].iloc[0]
        assert (ra, rb) == ((False, True) if conv_side == "hi" else (True, False))
    assert s["window"] == [lo[1], hi[0]]


def test_canonical_and_dedup():
    v = model.PAPER_TABLE2[0]
    W1, b1, W2, b2 = (np.array(x) for x in model.unpack(v, 2))
    perm = model.pack(W1[::-1], b1[::-1], W2[::-1], b2)
    assert solutions.canonical_distance(v, perm, 2) < 1e-12
    assert np.allclose(model.forward(perm, 2)[1], model.forward(v, 2)[1])
    row = solutions.evaluate(v, 2, 0.005)
    assert row["is_solution"] and row["full_loss"] == pytest.approx(0.001306, abs=1e-6)
    V = np.vstack([v, perm, model.PAPER_TABLE2[1]])
    assert solutions.pick_distinct(V, None, 2, 5, 0.005, [], 1.0) == [0, 2]


def test_paper_table2_printed_values():
    """The paper's printed #3 and #4 are not solutions (reported in Table II's notes)."""
    ok = [solutions.evaluate(v, 2, 0.005)["is_solution"] for v in model.PAPER_TABLE2]
    assert ok == [True, True, False, False, True]


def test_separation_order():
    df = pd.DataFrame({"epoch": [0, 10, 100], **{n: [0.0, 0.0, 0.0] for n in model.param_names(2)}})
    df["b1_1"] = [0.0, 1.0, 2.0]
    df["w2_1_1"] = [0.0, 0.1, 2.0]
    o = train.separation_order(df, 2, 0.5).set_index("param")
    assert o.loc["b1_1", "rank"] == 1 and o.loc["w2_1_1", "rank"] == 2
    assert np.isnan(o.loc["w1_1_1", "separation_epoch"]) and o.loc["w1_1_1", "rank"] == 3


def test_value_at():
    t = np.array([0, 10, 100, 1000])
    v = np.array([9.0, 1.0, 2.0, 3.0])
    assert train.value_at(t, v, 120) == 2.0
    assert np.isnan(train.value_at(t, v, 5000))
    assert np.isnan(train.value_at(t, v, np.nan))
