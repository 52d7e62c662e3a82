"""Stationary-point census (xornet.census): potential, symmetries, local searches, the census of
a small case, checkpoints, barriers, disconnectivity graph, embedding."""

import itertools
import logging

import numpy as np
import pytest

from xornet import model
from xornet.census import embedding, graph, optim, search, tables
from xornet.census import potential as P

CFG = {
    "bh": {"walkers": 2, "init_range": 6.0, "step": 4.0, "temperature": 0.05, "min_steps": 60,
           "max_steps": 300},
    "quench": {"max_iter": 3000, "max_step": 1.0, "escape": 0.01},
    "connect": {"neighbours": 2, "rounds": 4, "join_density": 3, "max_attempts": 40,
                "delta": 0.01, "sd_max": 100000, "sd_step": 0.02, "newton_radius": 0.05,
                "ef_max_iter": 300, "ef_max_step": 0.2,
                "neb": {"images": 12, "k_spring": 1.0, "max_iter": 500, "climb_after": 50,
                        "ftol": 1e-3, "dt": 0.1, "max_move": 0.1}},
}


def run_small(seed=1, **kw):
    return search.run_census(2, 1e-3, CFG, np.random.default_rng(seed), **kw)


@pytest.fixture(scope="module")
def small():
    return run_small()


# --------------------------------------------------------------------------- potential
@pytest.mark.parametrize("n_h", [1, 2, 3])
def test_energy_gradient_hessian_match_references(n_h):
    rng = np.random.default_rng(n_h)
    n_p = 4 * n_h + 1
    reg = P.reg_vector(n_h, 0.0)  # the kernel's coefficient vector (its first n_p entries)
    reg[:n_p] = rng.uniform(0, 1e-2, n_p)
    lam = reg[:n_p]
    for _ in range(3):
        v = rng.normal(scale=3.0, size=n_p)
        E, g, H = P.egh(v, n_h, reg, True)
        assert E == pytest.approx(model.loss(v, n_h) + lam @ v**2, abs=1e-14)
        np.testing.assert_allclose(g, model.grad(v, n_h) + 2 * lam * v, atol=1e-14)
        h = 1e-5
        Hfd = np.array([(P.gradient(v + h * e, n_h, reg) - P.gradient(v - h * e, n_h, reg))
                        / (2 * h) for e in np.eye(len(v))])
        np.testing.assert_allclose(H, Hfd, atol=1e-8)
        np.testing.assert_array_equal(H, H.T)


def test_symmetries_exact_and_sign_flip_only_without_output_bias_penalty():
    n_h = 3
    rng = np.random.default_rng(0)
    v = rng.normal(scale=2.0, size=13)
    perms = P.symmetry_perms(n_h)
    assert perms.shape == (2 * 6, 13) and (perms[0] == np.arange(13)).all()
    assert len({tuple(p) for p in perms}) == len(perms)
    reg = P.reg_vector(n_h, 1e-3, "all")
    for p in perms:
        assert P.energy(v[p], n_h, reg) == pytest.approx(P.energy(v, n_h, reg), abs=1e-15)
    w = P.sign_flip(v, n_h, 1)
    assert model.loss(w, n_h) == pytest.approx(model.loss(v, n_h), abs=1e-15)
    assert abs(P.energy(w, n_h, reg) - P.energy(v, n_h, reg)) > 1e-6  # b2^2 changes
    no_b2 = reg.copy()
    no_b2[4 * n_h] = 0.0  # L2 on everything but the output bias: the flip is exact again
    assert P.energy(w, n_h, no_b2) == pytest.approx(P.energy(v, n_h, no_b2), abs=1e-15)
    # x1 <-> x2 swaps cases (0,1) and (1,0): the outputs are permuted
    sw = v[perms[len(perms) // 2]]
    np.testing.assert_allclose(P.outputs(sw, n_h), P.outputs(v, n_h)[[0, 2, 1, 3]], atol=1e-15)


def test_quench_reaches_polished_minima():
    n_h, reg = 2, P.reg_vector(2, 1e-4)
    rng = np.random.default_rng(3)
    for _ in range(5):
        v, E, st, _ = optim.quench(rng.uniform(-6, 6, 9), n_h, reg, 3000, P.TOL["grad_rms"],
                                   1.0, P.TOL["eig_floor"])
        assert st == 0
        idx, w0, _ = P.index_of(v, n_h, reg)
        assert idx == 0 and w0 > 0
        assert np.sqrt(np.mean(P.gradient(v, n_h, reg) ** 2)) < P.TOL["grad_rms"]


def test_origin_is_a_minimum_for_every_lambda():
    for n_h, lam in itertools.product([1, 2, 3], [1e-5, 1e-3]):
        reg = P.reg_vector(n_h, lam)
        v = np.zeros(4 * n_h + 1)
        assert np.abs(P.gradient(v, n_h, reg)).max() == 0.0
        assert P.index_of(v, n_h, reg)[0] == 0


# --------------------------------------------------------------------------- the census
def test_small_census_minima_and_transition_states(small):
    mins, tss, reg = small["mins"], small["tss"], small["reg"]
    n_h = 2
    assert len(mins) >= 5 and len(tss) >= 4
    for v in mins.X:
        idx, w0, _ = P.index_of(v, n_h, reg)
        assert idx == 0 and w0 > 0
        assert np.sqrt(np.mean(P.gradient(v, n_h, reg) ** 2)) < P.TOL["grad_rms"]
    stats = dict.fromkeys(["descent_fail"], 0)
    for k, v in enumerate(tss.X):
        w = np.linalg.eigvalsh(P.hessian(v, n_h, reg))
        assert (w < -P.TOL["eig_zero"]).sum() == 1 and w[0] < 0 < w[1]  # exactly one negative
        assert np.sqrt(np.mean(P.gradient(v, n_h, reg) ** 2)) < P.TOL["grad_rms"]
        m1, m2 = tss.info["min1"][k], tss.info["min2"][k]
        assert 0 <= m1 <= m2 < len(mins)
        # independently: descent from TS +- delta * negative mode reaches the listed minima
        u = np.linalg.eigh(P.hessian(v, n_h, reg))[1][:, 0]
        ends = sorted(mins.find(*search.descend_to_minimum(v + s * 0.01 * u, n_h, reg, CFG,
                                                           stats)) for s in (1, -1))
        assert ends == [m1, m2]
        assert tss.E[k] > max(mins.E[m1], mins.E[m2])


def test_small_census_frames_and_dedup(small):
    fr = tables.job_frames(small, 2, 1e-3)
    m, t = fr["minima"], fr["ts"]
    assert (m["index"] == 0).all() and (t["index"] == 1).all()
    assert m["energy"].is_monotonic_increasing and m["connected"].iloc[0]
    assert t["min1"].between(0, len(m) - 1).all() and t["min2"].between(0, len(m) - 1).all()
    assert m["solves"].any() and (~m["solves"]).any()
    assert (m.loc[m["solves"], "barrier"] == 0).all()
    # a symmetry image of every stored minimum is recognised as the same minimum
    store = small["mins"]
    perms = P.symmetry_perms(2)
    for k, v in enumerate(store.X):
        for p in perms:
            assert store.find(v[p], store.E[k]) == k
    # and no two stored minima are images of each other
    for a, b in itertools.combinations(range(len(store)), 2):
        same_e = abs(store.E[a] - store.E[b]) < P.TOL["same_energy"]
        assert not (same_e and P.aligned_distance(store.X[a], store.X[b], perms)[0]
                    < P.TOL["same_point"])
    assert fr["progress"]["n_minima"].is_monotonic_increasing


def test_census_is_deterministic_and_resumes_from_a_checkpoint(tmp_path, small):
    ck = tmp_path / "job.npz"
    with pytest.raises(KeyboardInterrupt):
        run_small(checkpoint=ck, key="k", stop_after=25)
    assert ck.exists()
    resumed = run_small(checkpoint=ck, key="k")
    assert resumed["state"]["step"] == small["state"]["step"]
    np.testing.assert_array_equal(resumed["mins"].E, small["mins"].E)
    np.testing.assert_array_equal(resumed["mins"].X, small["mins"].X)
    np.testing.assert_array_equal(resumed["tss"].X, small["tss"].X)


def test_broken_checkpoint_is_logged_and_discarded(tmp_path, small, caplog):
    ck = tmp_path / "job.npz"
    ck.write_bytes(b"not an npz file")
    with caplog.at_level(logging.WARNING, logger="xornet"):
        res = run_small(checkpoint=ck, key="k")
    assert "broken checkpoint" in caplog.text
    np.testing.assert_array_equal(res["mins"].E, small["mins"].E)
    # a checkpoint of another configuration is not resumed either
    ck.unlink()
    with pytest.raises(KeyboardInterrupt):
        run_small(checkpoint=ck, key="k", stop_after=10)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="xornet"):
        other = run_small(checkpoint=ck, key="other")
    assert "another configuration" in caplog.text
    np.testing.assert_array_equal(other["mins"].E, small["mins"].E)


# --------------------------------------------------------------------------- graph
def _naive_cols(E, Et, edges, target):
    """Minimax path by brute force: smallest threshold at which m reaches a target."""
    out = []
    for m in range(len(E)):
        if target[m]:
            out.append(E[m])
            continue
        best = np.nan
        for thr in sorted(Et):
            lab = search.components(len(E), [e for e, t in zip(edges, Et, strict=True) if t <= thr])
            if any(lab[m] == lab[j] for j in np.flatnonzero(target)):
                best = thr
                break
        out.append(best)
    return np.array(out)


def test_cols_match_brute_force():
    rng = np.random.default_rng(5)
    for _ in range(20):
        n = 7
        E = rng.uniform(0, 1, n)
        edges = [tuple(sorted(rng.choice(n, 2, replace=False))) for _ in range(6)]
        Et = np.array([max(E[a], E[b]) + rng.uniform(0, 1) for a, b in edges])
        target = rng.uniform(size=n) < 0.3
        col, _ = graph.cols(E, Et, edges, target)
        np.testing.assert_allclose(col, _naive_cols(E, Et, edges, target))


def test_disconnectivity_keeps_every_minimum():
    E = np.array([0.0, 0.1, 0.3, 0.2, 0.5])
    edges = [(0, 1), (1, 2)]  # minima 3 and 4 have no TS
    lay = graph.disconnectivity(E, np.array([0.4, 0.6]), edges, 10)
    assert np.isfinite(lay["x"]).all() and len(set(lay["x"])) == len(E)
    assert lay["n_trees"] == 3
    ends = {s[4] for s in lay["segments"] if s[4] >= 0}
    assert ends == set(range(len(E)))


# --------------------------------------------------------------------------- embedding
def test_embedding_holds_without_output_bias_penalty_only(small):
    pts = [(2, "minimum", k, v) for k, v in enumerate(small["mins"].X)]
    pts += [(2, "ts", k, v) for k, v in enumerate(small["tss"].X)]
    df = embedding.check(pts, 1e-3)
    f = df[df["found"]]
    for variant in ("none", "weights"):
        g = f[f["variant"] == variant]
        assert len(g) and g["stationary_padded"].all(), variant
    a = f[f["variant"] == "all"]
    assert len(a) == len(pts) + 1
    np.testing.assert_allclose(a["grad_padded"], a["predicted_grad"], rtol=1e-6, atol=1e-12)
    assert not a.loc[a["b2"].abs() > 1e-3, "stationary_padded"].any()
    padded = embedding.pad(small["mins"].X[0], 2)
    assert model.loss(padded, 3) == pytest.approx(model.loss(small["mins"].X[0], 2), abs=1e-15)
