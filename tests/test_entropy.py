"""Tests of the density-of-loss stage (Sec. III.D, Fig. 8): kernels, samplers, checkpoints,
checks against simple sampling, the n_h = 1 infimum and the microcanonical analysis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numba
import numpy as np
import pandas as pd
import pytest

from xornet import entropy as E
from xornet import gates
from xornet import microcanonical as C
from xornet import model as M

XY = gates.targets("xor")  # the paper's targets, as the sampler kernels take them


R = 30.0
CFG = dict(
    n_bins=200,
    wl_steps=2_000_000,
    muca_steps=2_000_000,
    muca_blocks=10,
    tune_steps=200_000,
    target_acceptance=0.5,
    delta0=5.0,
    check_every=1000,
    recompute_every=10000,
    chunk_steps=500_000,
)
SEED = 12345


@pytest.mark.parametrize("n_h", [1, 2, 5, 18])
def test_kernel_loss_matches_model(n_h):
    rng = np.random.default_rng(n_h)
    for scale in (0.5, 5.0, 30.0):
        V = rng.uniform(-scale, scale, (20, 4 * n_h + 1))
        for v in V:
            assert E.loss_of(v, n_h, XY) == pytest.approx(float(M.loss(v, n_h)), rel=1e-12, abs=1e-15)


def _walker(n_h, seed=1):
    v = np.random.default_rng(seed).uniform(-R, R, 4 * n_h + 1)
    A = np.empty((n_h, 4))
    z2 = np.empty(4)
    sc = np.zeros(E.N_SC)
    sc[E.SC_L] = E.full_state(v, n_h, A, z2, XY)
    sc[E.SC_LNF] = 1.0
    sc[E.SC_DELTA] = 10.0
    sc[E.SC_MINL] = sc[E.SC_L]
    return v, A, z2, sc, np.zeros(E.N_IC, dtype=np.int64)


@pytest.mark.parametrize("n_h", [2, 18])
def test_incremental_update_drift(n_h):
    """Without recomputation the incremental z2 stays within 1e-9 of a fresh computation
    after 10^6 accepted-or-rejected steps, the loss matches, and the walker stays in the box;
    with recomputation the recorded drift is at rounding level."""
    nb = 100
    v, A, z2, sc, ic = _walker(n_h)
    lng = np.zeros(nb)
    H = np.zeros(nb, dtype=np.int64)
    vis = np.zeros(nb, dtype=np.int8)
    vmin = v.copy()
    st = E.wl_kernel(
        v,
        n_h,
        R,
        A,
        z2,
        lng,
        H,
        vis,
        sc,
        ic,
        np.uint64(7),
        1_000_000,
        E.MODE_WL,
        1000,
        1 << 62,
        vmin,
        XY,
    )
    A2 = np.empty((n_h, 4))
    z2f = np.empty(4)
    Lf = E.full_state(v, n_h, A2, z2f, XY)
    assert ic[E.IC_ACC] > 100_000
    assert np.max(np.abs(z2 - z2f)) < 1e-9
    assert np.array_equal(A, A2)
    assert sc[E.SC_L] == pytest.approx(Lf, abs=1e-12)
    assert np.all(np.abs(v) <= R)
    assert ic[E.IC_STEPS] == 1_000_000 and ic[E.IC_PROP] == 1_000_000
    assert E.loss_of(vmin, n_h, XY) == pytest.approx(sc[E.SC_MINL], abs=1e-12)
    # with periodic recomputation
    v, A, z2, sc, ic = _walker(n_h, 2)
    E.wl_kernel(v, n_h, R, A, z2, lng, H, vis, sc, ic, st, 500_000, E.MODE_WL, 1000, 1000, vmin, XY)
    assert 0.0 <= sc[E.SC_MAXDRIFT] < 1e-10


def test_simple_sampling_independent_of_threads():
    a = E.simple_sampling(3, R, 200_000, 100, SEED)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        b = E.simple_sampling(3, R, 200_000, 100, SEED)
    finally:
        numba.set_num_threads(old)
    assert np.array_equal(a["counts"], b["counts"])
    assert a["counts"].sum() == a["n_draws"]
    S, err = E.simple_sampling_entropy(a["counts"], a["n_draws"])
    ok = np.isfinite(S)
    assert np.sum(np.exp(S[ok]) / 100) == pytest.approx(1.0, rel=1e-12)


def test_normalisation_and_jackknife():
    rng = np.random.default_rng(0)
    lnw = rng.normal(0, 3, 50)
    Hb = rng.poisson(200, (10, 50))
    Hb[:, :3] = 0  # never visited
    S, err = E.muca_entropy(lnw, Hb)
    assert np.all(np.isnan(S[:3]))
    assert np.nansum(np.exp(S) / 50) == pytest.approx(1.0, rel=1e-12)
    # ln H of a Poisson count of 2000 has error ~ 1/sqrt(2000), minus the normalisation part
    assert np.all((err[3:] > 0.3 / np.sqrt(2000)) & (err[3:] < 3.0 / np.sqrt(2000)))


#: the checks need runs long enough for the jackknife blocks (2e5 steps at CI scale) to be
#: longer than the walker's correlation time: at 2e6 + 2e6 steps the runs of n_h = 1 scatter
#: by more than their jackknife errors (mean z^2 ~ 2-3); at 1e7 + 1e7 they do not (~0.4).
CHECK_CFG = dict(CFG, wl_steps=8_000_000, muca_steps=8_000_000, chunk_steps=1_000_000)


@pytest.fixture(scope="module")
def nh_runs():
    """Samples for n_h = 1 and 2: three WL + muca runs and simple sampling."""
    out = {}
    for n_h in (1, 2):
        runs = [E.run_sampler(n_h, R, CHECK_CFG, SEED, k) for k in range(3)]
        ss = E.simple_sampling(n_h, R, 1_000_000, CFG["n_bins"], SEED)
        out[n_h] = (runs, ss)
    return out


@pytest.mark.parametrize("n_h", [1, 2])
def test_wl_muca_agrees_with_simple_sampling(nh_runs, n_h):
    """Checks of the issue: WL/muca vs simple sampling in every bin with >= 100 counts, and
    the independent runs with each other, with the jackknife errors: |z| < 4.5 in every bin
    (Gaussian tail 7e-6 per bin). The z of different bins are strongly correlated through
    the normalisation of S (a common offset of each run), so mean z^2 over the bins has only
    a few effective degrees of freedom; the bound 4 is about the 99th percentile of
    chi^2_3 / 3."""
    runs, ss = nh_runs[n_h]
    S_ss, e_ss = E.simple_sampling_entropy(ss["counts"], ss["n_draws"])
    Sr = np.array([r["S"] for r in runs])
    Er = np.array([r["S_err"] for r in runs])
    m = C.merge_runs(Sr, Er, S_ss, e_ss, ss["counts"], min_counts=100)
    s = C.check_summary(m["z"], m["checked"])
    assert s["n_checked"] >= 100
    assert s["max_abs_z"] < 4.5, s
    assert s["chi2_per_bin"] < 4.0, s
    rc = C.runs_consistency(Sr, Er)
    assert rc["runs_max_abs_z"] < 4.5, rc
    assert rc["runs_chi2_per_bin"] < 4.0, rc
    for r in runs:  # every run reaches the whole accessible range
        ok = np.isfinite(r["S"])
        assert np.sum(np.exp(r["S"][ok]) / CFG["n_bins"]) == pytest.approx(1.0, rel=1e-9)
        assert r["max_drift"] < 1e-10
        if n_h == 2:
            assert r["visited"].all()
            assert r["min_loss"] < 1e-6 and r["max_loss"] > 1 - 1e-4


def test_nh1_lowest_loss_is_the_infimum(nh_runs):
    """n_h = 1: no state below the exact infimum (1/6 up to e^-R corrections in the box);
    the walkers reach it within 1e-3, the bins below it stay empty."""
    inf_box, v = C.infimum_nh1_box(R)
    assert M.loss(v, 1) == pytest.approx(inf_box, abs=1e-15)
    assert 1 / 6 <= inf_box < 1 / 6 + 1e-9
    runs, ss = nh_runs[1]
    assert ss["min_loss"] >= inf_box - 1e-12
    nb = CFG["n_bins"]
    first = int(inf_box * nb)
    assert ss["counts"][:first].sum() == 0
    for r in runs:
        assert inf_box - 1e-12 <= r["min_loss"] < inf_box + 1e-3
        assert not r["visited"][:first].any()
        assert r["visited"][first]


def test_infimum_depends_on_box():
    """The bounded box raises the infimum above 1/6; visible at R = 10, not at R = 100."""
    assert C.infimum_nh1_unbounded() == 1 / 6
    b10, _ = C.infimum_nh1_box(10.0)
    b100, _ = C.infimum_nh1_box(100.0)
    assert b10 > 1 / 6 + 1e-5
    assert abs(b100 - 1 / 6) < 1e-14
    # what the merge stores: only when n_h = 1 was sampled, the same numbers
    assert C.nh1_infimum_extra([2, 18], 10.0) == {}
    ex = C.nh1_infimum_extra(np.array([1, 2]), 10.0)
    assert list(ex) == ["nh1_infimum_unbounded", "nh1_infimum_box", "nh1_infimum_box_params"]
    assert ex["nh1_infimum_unbounded"] == 1 / 6 and ex["nh1_infimum_box"] == b10
    assert C.nh1_infimum_extra([1], 10.0, "and")["nh1_infimum_unbounded"] == 0.0


def test_checkpoint_resume_is_bit_identical(tmp_path):
    cfg = dict(CFG, wl_steps=600_000, muca_steps=600_000, chunk_steps=100_000, tune_steps=100_000)
    ref = E.run_sampler(2, R, cfg, SEED, 0)
    ck = tmp_path / "ck.npz"
    part = E.run_sampler(2, R, cfg, SEED, 0, checkpoint=ck, stop_after_chunks=12)
    assert part == {"stopped": True} and ck.exists()
    res = E.run_sampler(2, R, cfg, SEED, 0, checkpoint=ck)
    for k in ("lng_wl", "H_muca", "S", "S_wl", "v_min"):
        assert np.array_equal(ref[k], res[k], equal_nan=True), k
    # a checkpoint of another configuration is ignored (fresh start, same result as ref)
    E.run_sampler(2, R, dict(cfg, delta0=1.0), SEED, 0, checkpoint=ck, stop_after_chunks=3)
    res2 = E.run_sampler(2, R, cfg, SEED, 0, checkpoint=ck)
    assert np.array_equal(ref["S"], res2["S"], equal_nan=True)


def test_kill_and_resume(tmp_path):
    """A sampler process killed (SIGKILL) after writing a checkpoint resumes from it and gives
    exactly the uninterrupted result."""
    cfg = dict(CFG, wl_steps=20_000_000, muca_steps=4_000_000, chunk_steps=200_000)
    ck = tmp_path / "ck.npz"
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent(f"""
        from xornet import entropy as E
        E.run_sampler(2, {R}, {cfg!r}, {SEED}, 1, checkpoint={str(ck)!r},
                      checkpoint_seconds=0.2)
    """)
    )
    proc = subprocess.Popen([sys.executable, str(script)])
    try:
        t0 = time.time()
        while not ck.exists() and time.time() - t0 < 120:
            time.sleep(0.05)
        assert ck.exists(), "no checkpoint written"
        time.sleep(0.5)
        assert proc.poll() is None, "run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with np.load(ck) as z:
        assert int(z["phase"][0]) in (0, 1, 2)
    resumed = E.run_sampler(2, R, cfg, SEED, 1, checkpoint=ck)
    ref = E.run_sampler(2, R, cfg, SEED, 1)
    for k in ("lng_wl", "H_muca", "S", "v_min"):
        assert np.array_equal(ref[k], resumed[k], equal_nan=True), k
    assert resumed["visited"].all()


# ----------------------------------------------------------------------------- analysis


def _scipy_upper_hull(x, y):
    """Independent reference: upper hull from scipy's Qhull (vertices above every chord)."""
    from scipy.spatial import ConvexHull

    pts = np.c_[x, np.r_[y]]
    # close the polygon far below so the upper chain is the hull's top side
    lo = np.min(y) - 10.0
    pts = np.r_[pts, [[x[0], lo], [x[-1], lo]]]
    v = np.unique(ConvexHull(pts).vertices)
    v = v[v < len(x)]
    return np.interp(x, x[v], y[v])


def test_hull_and_intruders():
    L = np.linspace(0.0025, 0.9975, 200)
    concave = -((L - 0.5) ** 2) * 20
    assert C.convex_intruders(L, concave, np.zeros_like(L), min_depth=0.05, nsigma=3).empty
    # two narrow peaks on a concave background: three intruders ([0, 1/4], [1/4, 3/4], [3/4, 1])
    S = (
        concave
        + 3.0 * np.exp(-(((L - 0.25) / 0.01) ** 2))
        + 3.0 * np.exp(-(((L - 0.75) / 0.01) ** 2))
    )
    hull = C.concave_hull(L, S)
    ref = _scipy_upper_hull(L, S)
    assert np.allclose(hull, ref, atol=1e-12)
    assert np.all(hull >= S - 1e-12)
    intr = C.convex_intruders(L, S, np.full_like(L, 0.01), min_depth=0.05, nsigma=3)
    sig = intr[intr["significant"]]
    assert len(sig) == 3
    assert sig["depth"].max() == pytest.approx(np.max(ref - S), rel=1e-12)
    mid = sig[(sig["L_left"] - 0.25).abs() < 0.01]
    assert len(mid) == 1
    assert mid["L_right"].iloc[0] == pytest.approx(0.75, abs=0.01)
    inside = (L > 0.25) & (L < 0.75)
    assert mid["depth"].iloc[0] == pytest.approx(np.max((ref - S)[inside]), rel=1e-12)
    # a symmetric dip in a concave background: one intruder centred on the dip
    S2 = concave - 1.0 * np.exp(-(((L - 0.5) / 0.05) ** 2))
    i2 = C.convex_intruders(L, S2, np.full_like(L, 0.01), min_depth=0.05, nsigma=3)
    s2 = i2[i2["significant"]]
    assert len(s2) == 1
    assert s2["L_max"].iloc[0] == pytest.approx(0.5, abs=0.005)
    assert s2["depth"].iloc[0] == pytest.approx(np.max(_scipy_upper_hull(L, S2) - S2), rel=1e-9)
    assert 0.3 < s2["depth"].iloc[0] < 1.0
    summ = C.barrier_summary(intr.assign(n_h=2))
    assert set(summ["region"]) == {"0-0.25", "0.25-0.5", "0.5-0.75", "0.75-1"}


def test_minor_peaks():
    """A small bump on the flank of a valley is a minor peak with the right prominence; the
    main peaks are not minor peaks."""
    L = np.linspace(0.0025, 0.9975, 200)
    S = 20 * (L - 0.5) ** 2 + 2.0 * np.exp(-(((L - 0.25) / 0.005) ** 2))
    S += 0.5 * np.exp(-(((L - 0.35) / 0.01) ** 2))
    mp = C.minor_peaks(L, S, np.full_like(L, 0.01), main_halfwidth=0.01, min_depth=0.05, nsigma=3)
    sig = mp[mp["significant"]]
    assert len(sig) == 1
    assert sig["L"].iloc[0] == pytest.approx(0.35, abs=0.006)
    assert 0.3 < sig["prominence"].iloc[0] < 0.55
    ms = C.minor_summary(mp.assign(n_h=2), [2, 3])
    assert list(ms["n_minor"]) == [1, 0]


def test_inflection_points_find_convex_region():
    """S with a convex intruder around L = 0.5 gives a positive gamma peak there."""
    L = np.linspace(0.001, 0.999, 500)
    S = -10 * (L - 0.5) ** 2 - 0.3 * np.exp(-(((L - 0.5) / 0.04) ** 2))
    d = C.derivatives(L, S, 0.03, 3)
    assert np.nanmax(np.abs(d["beta"] - np.gradient(S, L))) < 0.5
    ip = C.inflection_points(d, 0.05, 0.01)
    pos = ip[ip["gamma"] > 0]
    assert len(pos) == 1
    assert pos["L"].iloc[0] == pytest.approx(0.5, abs=0.01)
    assert pos["kind"].iloc[0] == "first-order-like"


def test_frames_match_schemas(nh_runs):
    from xornet.schemas import check_frame

    runs, ss = nh_runs[2]
    fr = [E.run_frame(2, R, k, r) for k, r in enumerate(runs)]
    sf = E.simple_frame(2, R, ss)
    for f in fr:
        check_frame(f, "entropy_run")
    check_frame(sf, "entropy_simple")
    gf = E.gate_frame("xor", 2, runs[0])  # one (gate, n_h) of the supplementary figure
    check_frame(gf, "entropy_gates")
    cols = ["n_h", "bin", "L_lo", "L_hi", "visited", "S", "S_err"]
    pd.testing.assert_frame_equal(gf[cols], fr[0][cols])
    ent, summ = C.merge_frames(fr, [sf], min_counts=100)
    check_frame(ent, "entropy")
    assert summ["nh2_R30"]["n_checked"] > 0
    der, infl, intr, minor = C.analyse(
        ent,
        dict(
            smooth_window=0.03,
            smooth_polyorder=3,
            gamma_prominence=0.05,
            edge=0.01,
            intruder_min_depth=0.05,
            intruder_nsigma=3.0,
            main_peak_halfwidth=0.01,
        ),
    )
    check_frame(der, "entropy_derivatives")
    check_frame(minor, "entropy_minor_peaks")
    check_frame(infl, "entropy_inflection")
    check_frame(intr, "entropy_intruders")
    assert isinstance(ent, pd.DataFrame) and len(infl) > 0 and intr["significant"].any()
