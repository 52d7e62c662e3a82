"""The gate is config (issue 10, item 5): names and truth-table columns, and every kernel family
(training, perturbation, sampler, census) against the plain NumPy loss of the same gate."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from xornet import claims, gates, microcanonical
from xornet import config as C
from xornet import entropy as E
from xornet import kernels as K
from xornet import model as M
from xornet import perturb as PT
from xornet.census import potential as CP

ALL = sorted(gates.GATES)


def test_sixteen_distinct_columns_in_the_papers_case_order():
    cols = {gates.GATES[g] for g in ALL}
    assert len(ALL) == 16 and len(cols) == 16
    assert gates.GATES["xor"] == (0, 1, 1, 0)  # Table I
    assert gates.GATES["and"] == (0, 0, 0, 1) and gates.GATES["or"] == (0, 1, 1, 1)
    assert gates.GATES["nimply"] == (0, 0, 1, 0)  # x1 AND NOT x2: only (1,0) is true
    assert gates.GATES["imply"] == (1, 1, 0, 1)  # x1 -> x2: false only at (1,0)
    np.testing.assert_array_equal(gates.targets("xor"), M.Y)


@pytest.mark.parametrize("g", ALL)
def test_parse_name_and_column_round_trip(g):
    assert gates.parse(g) == g
    assert gates.parse(g.upper()) == g
    assert gates.parse(list(gates.GATES[g])) == g
    assert gates.bits(g) == sum(y << m for m, y in enumerate(gates.GATES[g]))


def test_bits_of_xor_and_bad_specs():
    assert gates.bits("xor") == 6 and gates.bits([0, 0, 0, 1]) == 8
    for bad in ("xand", [0, 1, 1], [0, 1, 2, 0], [0.5, 1, 1, 0], None):
        with pytest.raises(ValueError, match="gate"):
            gates.parse(bad)
    assert not gates.linearly_separable("xor") and not gates.linearly_separable("xnor")
    assert all(gates.linearly_separable(g) for g in ALL if g not in ("xor", "xnor"))


def _scratch(nh):
    return np.empty((nh, 4)), np.empty((nh, 4)), np.empty(4), np.empty(4)


@pytest.mark.parametrize("g", ALL)
def test_kernel_loss_of_every_gate_matches_numpy(g):
    rng = np.random.default_rng(3)
    yb, y = gates.bits(g), gates.targets(g)
    for nh in (1, 2, 5):
        V = rng.uniform(-6, 6, (20, M.n_params(nh)))
        ref = M.loss(V, nh, gate=g)
        out = np.empty(len(V))
        K.losses_many(V, nh, out, yb)
        np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-16)
        for v, r in zip(V, ref, strict=True):
            assert E.loss_of(v, nh, y) == pytest.approx(r, rel=1e-12, abs=1e-15)
            A, DA, res, dout = _scratch(nh)
            K.forward4(v, nh, A, DA, res, dout, yb)
            _, yhat = M.forward(v, nh)
            np.testing.assert_allclose(res, yhat - y, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("g", ["and", "or", "nand", "x1"])
def test_gd_ensemble_is_gd_single_bitwise_and_learns_the_gate(g):
    yb = gates.bits(g)
    rng = np.random.default_rng(5)
    R, nh, n = 6, 2, 3000
    V0 = 0.1 * rng.uniform(size=(R, M.n_params(nh)))
    etas = np.full(R, 0.5)
    states = np.arange(1, R + 1, dtype=np.uint64)
    V = V0.copy()
    st = states.copy()
    status = np.zeros(R, np.int64)
    ep = np.zeros(R, np.int64)
    K.gd_ensemble(V, nh, etas, n, True, st, status, ep, np.zeros(R), np.zeros(R), 0.0, yb)
    for r in range(R):
        v = V0[r].copy()
        K.gd_single(v, nh, 0.5, n, True, states[r], np.ones_like(v), 0.0, yb)
        assert v.tobytes() == V[r].tobytes()
        assert M.loss(V[r], nh, gate=g) < 0.5 * M.loss(V0[r], nh, gate=g)


@pytest.mark.parametrize("g", ["and", "xor"])
def test_mc_zero_t_reports_the_loss_of_its_gate(g):
    yb = gates.bits(g)
    v = np.random.default_rng(1).uniform(-2, 2, 9)
    _, _, L, _ = K.mc_zero_t(v, 2, 0.5, 50, np.uint64(4), 0.0, yb)
    assert L == pytest.approx(M.loss(v, 2, gate=g), rel=1e-12)


def test_perturbation_kernels_agree_for_another_gate():
    # the production (lanes) and the reference (aos) Fig. 5 kernels, gate AND
    v_ref = M.PAPER_TABLE2[0]
    deltas = [-2.0, 0.0, 3.0]
    V0 = PT.start_networks(v_ref, "b2_1", deltas, 2)
    labels = [PT.stream_label("t", "b2_1", d) for d in deltas]
    kw = dict(n_replicas=5, eta=0.5, max_epochs=3000, threshold=0.05, seed=2, gate="and")
    a = PT.run_points(V0, 2, labels, kernel="aos", chunk_epochs=500, **kw)
    b = PT.run_points(V0, 2, labels, kernel="lanes", **kw)
    for key in ("tau", "conv", "status"):
        np.testing.assert_array_equal(a[key], b[key])
    assert (a["tau"] >= 0).any()  # the XOR solution is retrained to AND within the cap
    x = PT.run_points(V0, 2, labels, kernel="lanes", **{**kw, "gate": "xor"})
    assert not np.array_equal(x["conv"], b["conv"])


@pytest.mark.parametrize("g", ["xor", "and", "nor"])
def test_census_energy_and_gradient_of_the_gate(g):
    rng = np.random.default_rng(7)
    n_h, lam = 2, 1e-3
    reg = CP.reg_vector(n_h, lam, "all", g)
    assert reg.size == M.n_params(n_h) + 4
    for _ in range(5):
        v = rng.uniform(-3, 3, M.n_params(n_h))
        Eg, grad, H = CP.egh(v, n_h, reg, True)
        assert Eg == pytest.approx(M.loss(v, n_h, gate=g) + lam * np.sum(v * v), rel=1e-12)
        np.testing.assert_allclose(grad, M.grad(v, n_h, gate=g) + 2 * lam * v, rtol=1e-9,
                                   atol=1e-12)
    assert CP.reg_vector(n_h, lam, "none", g)[-4:].tolist() == list(gates.GATES[g])


def test_nh1_infimum_is_an_xor_fact():
    assert microcanonical.infimum_nh1_unbounded("xor") == pytest.approx(1 / 6)
    assert microcanonical.infimum_nh1_unbounded("xnor") == pytest.approx(1 / 6)
    assert microcanonical.infimum_nh1_unbounded("and") == 0.0
    low, _ = microcanonical.infimum_nh1_box(30.0, n_starts=4, gate="and")
    assert low < 1e-6
    low, _ = microcanonical.infimum_nh1_box(30.0, n_starts=4, gate="xor")
    assert low > 0.16


def _cfg():
    return copy.deepcopy(C.load(C.DEFAULT_CONFIG))


def test_config_gate_by_column_is_canonical_and_paper_reference_refused():
    cfg = _cfg()
    cfg["gate"] = [0, 1, 1, 0]
    assert C.validate(cfg)["gate"] == "xor"
    cfg = _cfg()
    cfg["gate"] = "and"
    with pytest.raises(C.ConfigError, match="perturbation.reference"):
        C.validate(cfg)
    cfg["perturbation"]["reference"] = cfg["landscape"]["reference"] = "ours"
    assert C.validate(cfg)["gate"] == "and"
    cfg["gate"] = "xand"
    with pytest.raises(C.ConfigError, match="gate"):
        C.validate(cfg)


def test_claims_about_xor_are_not_applicable_to_another_gate():
    df = claims.evaluate({}, {}, gate="and")
    assert (df["verdict"] == "not applicable").all()
    assert df["reason"].str.contains("this run learns AND").all()
    md = claims.markdown(df)
    assert "not applicable" in md and "## Not applicable" in md
    assert claims.summary(df)["not applicable"] == len(df)
    xor = claims.evaluate({}, {}, gate="xor")
    assert not (xor["verdict"] == "not applicable").any()
