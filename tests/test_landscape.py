"""Landscape stage (Sec. III.C, Figs. 6-7): grids, panel selection, trajectories, randomized scans."""

import numba
import numpy as np
import pandas as pd
import pytest

from xornet import gates, rng
from xornet import kernels as K
from xornet import landscape as L
from xornet import model as M
from xornet.starts import resolve_starts, start_jobs

V_REF = M.PAPER_TABLE2[0]
PAIRS = L.all_pairs(2)


@pytest.fixture
def threads():
    """Restore numba's thread count after a test changes it."""
    n = numba.get_num_threads()
    yield
    numba.set_num_threads(n)


def test_pairs_and_named_panels():
    assert len(PAIRS) == 36 and len(set(PAIRS)) == 36
    # the text's symbols map onto stored pairs (possibly transposed)
    for x, y in L.NAMED_PANELS.values():
        assert L.pair_key(x, y, 2) in PAIRS
    assert L.NAMED_PANELS["a"] == ("b1_1", "b2_1")
    chunks = L.chunk_pairs(PAIRS, 4)
    assert [len(c) for c in chunks] == [9, 9, 9, 9]
    assert sum(chunks, []) == PAIRS


def test_grid_centre_is_reference_loss():
    df = L.compute_grids(V_REF, 2, PAIRS, 5.0, 21)
    centre = df[(df["dx"] == 0.0) & (df["dy"] == 0.0)]
    assert len(centre) == 36
    np.testing.assert_allclose(centre["loss"], M.loss(V_REF, 2), rtol=1e-13, atol=0)


def test_grid_matches_numpy_model_and_orientation():
    d = L.deltas(20.0, 41)
    df = L.compute_grids(V_REF, 2, [("b1_1", "b2_1"), ("w1_2_2", "b1_1")], 20.0, 41)
    grids = L.grids_by_pair(df)
    for x, y in (("b1_1", "b2_1"), ("b1_1", "w1_2_2")):  # second: transposed (stored w1_2_2, b1_1)
        dd, G = L.section(grids, x, y)
        np.testing.assert_array_equal(dd, d)
        V = np.broadcast_to(V_REF, (41, 41, 9)).copy()
        V[..., M.param_index(x, 2)] += d[None, :]  # x varies along axis 1 (i)
        V[..., M.param_index(y, 2)] += d[:, None]
        np.testing.assert_allclose(G, M.loss(V, 2), rtol=1e-12, atol=1e-15)
        _, _, G2 = L.grid_array(df, x, y)
        np.testing.assert_array_equal(G, G2)
    # the stored data decide the orientation (no n_h needed); a missing or degenerate pair fails
    with pytest.raises(KeyError, match="no grid"):
        L.section(grids, "b1_1", "w1_1_1")
    with pytest.raises(KeyError, match="no grid"):
        L.grid_array(df, "w1_1_1", "b1_1")
    with pytest.raises(ValueError, match="twice"):
        L.section(grids, "b1_1", "b1_1")


def test_grids_thread_invariant(threads):
    d = L.deltas(20.0, 31)
    numba.set_num_threads(1)
    a = L.loss_grids(V_REF, 2, PAIRS, d)
    numba.set_num_threads(2)
    b = L.loss_grids(V_REF, 2, PAIRS, d)
    np.testing.assert_array_equal(a, b)


def test_reference_switch():
    names = M.param_names(2)
    sol = pd.DataFrame([{"source": "ours", "label": "#1", **dict(zip(names, V_REF + 1, strict=True))},
                        {"source": "paper", "label": "#1", **dict(zip(names, V_REF, strict=True))}])
    np.testing.assert_array_equal(L.reference("ours", sol), V_REF + 1)
    np.testing.assert_array_equal(L.reference("paper"), V_REF)
    with pytest.raises(ValueError):
        L.reference("ours", sol[sol["source"] == "paper"])
    # n_h comes from the data; a caller expecting another network is told
    np.testing.assert_array_equal(L.reference("ours", sol, n_h=2), V_REF + 1)
    with pytest.raises(ValueError, match="n_h = 2"):
        L.reference("ours", sol, n_h=1)
    with pytest.raises(ValueError, match="n_h = 2 only"):
        L.reference("paper", n_h=18)
    v1 = np.arange(5.0)  # an n_h = 1 solution: 5 parameters
    sol1 = pd.DataFrame([{"source": "ours", "label": "#1",
                          **dict(zip(M.param_names(1), v1, strict=True))}])
    np.testing.assert_array_equal(L.reference("ours", sol1), v1)


# ----------------------------------------------------------------------------- features

def _synthetic(d, kind):
    X, Y = np.meshgrid(d, d, indexing="xy")
    if kind == "well":  # isolated well in a 0.5 plateau
        return 0.5 * (1 - np.exp(-(X**2 + Y**2) / 4.0))
    if kind == "trench":  # well plus a 0.25 trench along y = 0, x > 0, running into it
        G = 0.5 * (1 - np.exp(-(X**2 + Y**2) / 4.0))
        T = np.where(X > 0, 0.25 + 0.25 * (1 - np.exp(-(Y**2) / 0.25)), 0.5)
        return np.minimum(G, T)
    if kind == "corner":  # low plateau x < 0, y > 0 (origin at its corner), red elsewhere
        return np.where((X < 0.5) & (Y > -0.5), 0.0, 0.75)
    raise ValueError(kind)


def test_grid_features_on_synthetic_shapes():
    d = L.deltas(20.0, 161)
    well = L.grid_features(d, _synthetic(d, "well"))
    assert well["well_isolated"] and well["red_frac"] == 0.0 and well["trench_025"] == 0.0
    assert well["well_offset"] < 0.05
    tr = L.grid_features(d, _synthetic(d, "trench"))
    assert tr["well_isolated"] and tr["trench_025"] > 0.001
    corner = L.grid_features(d, _synthetic(d, "corner"))
    assert not corner["well_isolated"] and corner["red_frac"] > 0.5
    assert corner["well_inscribed"] > 9.0 and corner["well_disk_frac"] < 0.35


def test_panel_selection_paper_reference():
    """At a coarse grid the documented rules pick the same (d)-(f) as at 401 x 401."""
    df = L.compute_grids(V_REF, 2, PAIRS, 20.0, 81)
    sel = L.select_panels(L.features_frame(df))
    got = {r["panel"]: (r["panel_x"], r["panel_y"]) for _, r in sel[sel["panel"] != ""].iterrows()}
    assert got == {"a": ("b1_1", "b2_1"), "b": ("w2_1_2", "b1_2"), "c": ("w1_2_2", "b1_1"),
                   "d": ("w2_1_1", "w2_1_2"), "e": ("w1_2_1", "w1_2_2"), "f": ("b1_2", "b2_1")}
    # the text: isolated wells in all panels but (d); red rims only in (b)-(d)
    p = sel.set_index("panel")
    assert p.loc[["a", "b", "c", "e", "f"], "well_isolated"].all()
    assert not p.loc["d", "well_isolated"]
    assert (p.loc[["b", "c", "d"], "red_frac"] > 0).all()
    assert (p.loc[["a", "e", "f"], "red_frac"] == 0).all()


# ----------------------------------------------------------------------------- trajectories

def _start(dx, dy, x="b1_1", y="b2_1", label="t"):
    return {"label": label, "panel": "", "x": x, "y": y, "dx": dx, "dy": dy, "eta": 0.1}


def test_trajectory_from_reference_stays_there():
    # converged already at epoch 0 (L(ref) = 1.3e-3 < 0.005): no step taken
    tr = L.descend(V_REF, 2, [_start(0.0, 0.0)], max_epochs=1000, points_per_decade=5,
                   converged_loss=0.005, stall_tol=0.0, stall_min_epochs=10**9)
    assert tr["status"].iloc[-1] == "converged" and tr["epoch"].iloc[-1] == 0
    assert tr["dx"].iloc[-1] == 0.0 and tr["dy"].iloc[-1] == 0.0
    # forced to keep descending: it only creeps (slowly lowering the loss), never leaves
    tr = L.descend(V_REF, 2, [_start(0.0, 0.0)], max_epochs=100000, points_per_decade=5,
                   converged_loss=0.0, stall_tol=0.0, stall_min_epochs=10**9)
    assert tr["epoch"].iloc[-1] == 100000
    assert np.hypot(tr["dx"], tr["dy"]).max() < 0.5
    assert np.all(np.diff(tr["loss"]) <= 1e-15)
    assert tr["loss"].iloc[-1] < M.loss(V_REF, 2)


def test_trajectory_only_moves_the_free_parameters():
    starts = [_start(-7.4, 8.9, label="a1"), _start(-3.0, 10.0, "w1_2_2", "b1_1", label="c2")]
    V, masks = L.start_vectors(V_REF, 2, starts)
    Vc = V.copy()
    status = np.zeros(2, dtype=np.int64)
    epochs = np.zeros(2, dtype=np.int64)
    L._descend_chunk(Vc, 2, np.array([0.1, 0.1]), 2000, masks, status, epochs, 0.0,
                     gates.bits("xor"))
    moved = Vc != V
    np.testing.assert_array_equal(moved, masks.astype(bool))
    # same as plain gradient descent with the two-parameter gradient (Eq. 6), step by step
    v = V[0].copy()
    for _ in range(2000):
        v -= 0.1 * masks[0] * M.grad(v, 2)
    np.testing.assert_allclose(Vc[0], v, rtol=1e-9, atol=1e-9)


def test_trajectory_outcomes_and_thread_invariance(threads):
    starts = [_start(-7.4, 8.9, label="a1"), _start(15.0, -2.0, label="a2")]
    kw = dict(max_epochs=200000, points_per_decade=10, converged_loss=0.005, stall_tol=1e-9,
              stall_min_epochs=10000)
    numba.set_num_threads(1)
    a = L.descend(V_REF, 2, starts, **kw)
    numba.set_num_threads(2)
    b = L.descend(V_REF, 2, starts, **kw)
    pd.testing.assert_frame_equal(a, b)
    s = L.trajectory_summary(a, [dict(st, panel="a") for st in starts], V_REF, 2, 20.0, 0.005)
    s = s.set_index("label")
    assert s.loc["a1", "outcome"] == "converged" and s.loc["a1", "final_loss"] < 0.005
    assert s.loc["a1", "levels_visited"] == "0.50 > 0.25 > 0.00"
    assert s.loc["a2", "outcome"] != "converged" and s.loc["a2", "level"] == "0.25"
    assert s["agrees"].all()


def test_resolve_starts():
    cfg = {"eta": 0.1, "starts": [{"panel": "a", "dx": -7.4, "dy": 8.9}],
           "extra_starts": [{"x": "w1_1_1", "y": "b2_1", "dx": 1, "dy": 2, "eta": 0.5}]}
    s = resolve_starts(cfg, L.NAMED_PANELS)
    assert s[0] == {"label": "a:-7.4,8.9", "panel": "a", "x": "b1_1", "y": "b2_1", "dx": -7.4,
                    "dy": 8.9, "eta": 0.1}
    assert s[1]["label"] == "w1_1_1/b2_1:1,2" and s[1]["eta"] == 0.5
    with pytest.raises(KeyError):
        resolve_starts({"eta": 0.1, "starts": [{"panel": "d", "dx": 0, "dy": 0}]},
                       L.NAMED_PANELS)


def test_start_jobs_labels_are_stable_and_file_safe():
    a = {"eta": 0.1, "starts": [{"panel": "a", "dx": -7.4, "dy": 8.9}]}
    b = dict(a, extra_starts=[{"x": "w1_1_1", "y": "b2_1", "dx": 1, "dy": 2, "eta": 0.5}])
    ja, jb = start_jobs(a, L.NAMED_PANELS), start_jobs(b, L.NAMED_PANELS)
    assert list(ja) == ["a_dx-7.4_dy8.9"]
    # adding a start keeps the first job's label (its finished output stays valid)
    assert list(jb) == ["a_dx-7.4_dy8.9", "w1_1_1-b2_1_dx1_dy2_eta0.5"]
    assert jb["a_dx-7.4_dy8.9"] == ja["a_dx-7.4_dy8.9"]
    assert all("/" not in k and " " not in k for k in jb)
    # labels differ whenever the values differ, even below :g's six digits
    c = {"eta": 0.1, "starts": [{"panel": "a", "dx": 1.0000001, "dy": 0},
                                {"panel": "a", "dx": 1.0000002, "dy": 0}]}
    assert list(start_jobs(c, L.NAMED_PANELS)) == ["a_dx1.0000001_dy0", "a_dx1.0000002_dy0"]
    with pytest.raises(ValueError, match="same values"):
        start_jobs({"eta": 0.1, "starts": [{"panel": "a", "dx": 1, "dy": 0, "label": "p"},
                                           {"panel": "a", "dx": 1, "dy": 0, "label": "q"}]},
                   L.NAMED_PANELS)


# ----------------------------------------------------------------------------- randomized

def test_randomized_scan_is_the_drawn_batch_loss():
    d = L.deltas(20.0, 9)
    res = L.randomized_scans(V_REF, 2, "b1_1", "b2_1", d, 3, seed=7)
    states = rng.replica_states(7, 81, "landscape/randomized/b1_1,b2_1")
    j, i = 2, 6
    v = V_REF.copy()
    v[M.param_index("b1_1", 2)] += d[i]
    v[M.param_index("b2_1", 2)] += d[j]
    w = np.empty(4)
    st = states[j * 9 + i]
    vals = []
    for _ in range(3):
        st = K.draw_batch(st, w)
        vals.append(M.loss(v, 2, counts=4 * w))
    assert res["one"][j, i] == pytest.approx(vals[0], rel=1e-12)
    assert res["mean"][j, i] == pytest.approx(np.mean(vals), rel=1e-12)
    assert res["full"][j, i] == pytest.approx(M.loss(v, 2), rel=1e-12)


def test_randomized_average_converges_to_nonrandomized():
    d = L.deltas(20.0, 41)
    res = L.randomized_scans(V_REF, 2, "b1_1", "b2_1", d, 400, seed=3)
    rms = res["rms"]
    # RMS(k) follows sqrt(<Var>/k): within 5 % at every k >= 10 (1681 points per k)
    sel = rms["k"] >= 10
    np.testing.assert_allclose(rms.loc[sel, "rms"], rms.loc[sel, "rms_expected"], rtol=0.05)
    # k^-1/2: log-log slope over k = 10..400
    k = rms.loc[sel, "k"].to_numpy(float)
    slope = np.polyfit(np.log(k), np.log(rms.loc[sel, "rms"]), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.03)
    # the average is unbiased: mean over the grid of (avg - full) ~ 0 within 4 standard errors
    diff = res["mean"] - res["full"]
    assert abs(diff.mean()) < 4 * rms["rms"].iloc[-1] / np.sqrt(diff.size)
    assert rms["rms"].iloc[-1] < 0.15 * rms["rms"].iloc[0]


def test_randomized_thread_invariant(threads):
    d = L.deltas(20.0, 25)
    numba.set_num_threads(1)
    a = L.randomized_scans(V_REF, 2, "b1_1", "b2_1", d, 20, seed=5)
    numba.set_num_threads(2)
    b = L.randomized_scans(V_REF, 2, "b1_1", "b2_1", d, 20, seed=5)
    for key in ("one", "mean", "full"):
        np.testing.assert_array_equal(a[key], b[key])
    pd.testing.assert_frame_equal(a["rms"], b["rms"])
