"""The Fig. 8 sampler (xornet.entropy.wl_kernel / run_sampler) at a resolution that sees small
biases, and every safeguard exercised by injecting the fault it guards against (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from xornet import entropy as E
from xornet import gates
from xornet.rng import replica_states

XY = gates.targets("xor")


_X0 = np.array([0.0, 0.0, 1.0, 1.0])
_X1 = np.array([0.0, 1.0, 0.0, 1.0])
_Y = np.array([0.0, 1.0, 1.0, 0.0])


def _u64(s):
    return np.uint64(int(s) & 0xFFFFFFFFFFFFFFFF)


def _losses_nh1(V):
    """Plain NumPy loss of n_h = 1 networks (rows w11, w12, b1, w2, b2): independent of the
    package."""
    w0, w1, b, w2, b2 = V.T
    a = expit(b[:, None] + _X0 * w0[:, None] + _X1 * w1[:, None])
    y = expit(b2[:, None] + w2[:, None] * a)
    return ((y - _Y) ** 2).mean(axis=1)


def _walker(v, n_h, delta, nb):
    A = np.empty((n_h, 4))
    z2 = np.empty(4)
    sc = np.zeros(E.N_SC)
    sc[E.SC_L] = E.full_state(v, n_h, A, z2, XY)
    sc[E.SC_LNF] = 1.0
    sc[E.SC_DELTA] = delta
    sc[E.SC_MINL] = sc[E.SC_MAXL] = sc[E.SC_L]
    return dict(v=v, A=A, z2=z2, sc=sc, ic=np.zeros(E.N_IC, dtype=np.int64),
                H=np.zeros(nb, dtype=np.int64), vis=np.zeros(nb, dtype=np.int8), vmin=v.copy())


def _run(w, n_h, R, lng, state, n, mode, check_every=1000, recompute_every=1000):
    return _u64(E.wl_kernel(w["v"], n_h, R, w["A"], w["z2"], lng, w["H"], w["vis"], w["sc"],
                            w["ic"], state, n, mode, check_every, recompute_every, w["vmin"], XY))


# --------------------------------------------------------------------------- detailed balance


def test_muca_detailed_balance_with_frozen_tilted_weights():
    """Frozen weights ln g(b) = ln g_hat(b) + t(b) with a non-flat tilt t: the stationary
    distribution of the walker over the bins is proportional to g(b) e^{-ln g(b)}, i.e. to
    e^{-t(b)} up to the error of g_hat. g_hat comes from 4e6 plain-NumPy uniform draws
    (independent of the package). 32 independent walkers x 220k steps give the bin fractions
    to ~0.5 %; max |z| < 4 and mean z^2 < 3 over the 6 test bins. A bias of 0.02 in the log
    acceptance ratio (exp(dl + 0.02)) gives max |z| ~ 6, mean z^2 ~ 10."""
    R, nb, n_h = 5.0, 20, 1
    rng = np.random.default_rng(1)
    cnt = np.zeros(nb)
    for _ in range(4):
        L = _losses_nh1(rng.uniform(-R, R, (10**6, 5)))
        cnt += np.bincount(np.minimum((L * nb).astype(int), nb - 1), minlength=nb)
    idx = np.flatnonzero(cnt >= 20000)
    assert idx.size == 6
    tilt = np.zeros(nb)
    tilt[idx] = 1.5 * np.cos(np.arange(idx.size) * 2.0)  # +-1.5: weights far from flat
    lng = np.zeros(nb)
    seen = cnt > 0
    lng[seen] = np.log(cnt[seen]) + tilt[seen]
    lng[~seen] = lng[seen].max() + 10.0
    n_w = 32
    states = replica_states(5, n_w, "test/detailed-balance")
    fr = []
    for k in range(n_w):
        w = _walker(np.random.default_rng(k).uniform(-R, R, 5), n_h, 2.0, nb)
        s = _run(w, n_h, R, lng.copy(), states[k], 20_000, E.MODE_MUCA)  # equilibrate
        w["H"][:] = 0
        _run(w, n_h, R, lng.copy(), s, 200_000, E.MODE_MUCA)
        assert w["H"].sum() == 200_000
        fr.append(w["H"][idx] / w["H"][idx].sum())
    fr = np.array(fr)
    m = fr.mean(axis=0)
    se = fr.std(axis=0, ddof=1) / np.sqrt(n_w)
    p = np.exp(-tilt[idx])
    p /= p.sum()
    z = (m - p) / np.sqrt(se**2 + (p / np.sqrt(cnt[idx])) ** 2)
    assert np.max(se / m) < 0.012  # the resolution claimed above
    assert np.max(np.abs(z)) < 4.0, (m, p, z)
    assert np.mean(z**2) < 3.0, (m, p, z)


# --------------------------------------------------------------------------- WL schedule


def _schedule_reference(n, check_every):
    """1/t Wang-Landau schedule (Belardinelli & Pereyra 2007) for a walker that never leaves
    its single bin: ln f halves at every check (the histogram is always flat) until it is
    <= 1/t, then ln f = 1/t. Returns (ln g, ln f, halvings, stage)."""
    lng, lnf, nh, stage = 0.0, 1.0, 0, 0
    for t in range(1, n + 1):
        lng += lnf
        if stage:
            lnf = 1.0 / t
        elif t % check_every == 0:
            lnf *= 0.5
            nh += 1
            if lnf <= 1.0 / t:
                stage, lnf = 1, 1.0 / t
    return lng, lnf, nh, stage


@pytest.mark.parametrize("n,check_every", [(59, 10), (60, 10), (1000, 10), (5000, 7), (10, 2)])
def test_wl_one_bin_schedule_exact(n, check_every):
    v = np.random.default_rng(0).uniform(-3, 3, 9)
    w = _walker(v, 2, 0.5, 1)
    lng = np.zeros(1)
    _run(w, 2, 3.0, lng, np.uint64(3), n, E.MODE_WL, check_every, 1 << 40)
    ref_lng, ref_lnf, ref_nh, ref_stage = _schedule_reference(n, check_every)
    assert w["ic"][E.IC_NHALF] == ref_nh
    assert w["ic"][E.IC_STAGE] == ref_stage
    assert w["sc"][E.SC_LNF] == pytest.approx(ref_lnf, rel=1e-15)
    assert lng[0] == pytest.approx(ref_lng, rel=1e-13)
    assert w["ic"][E.IC_STEPS] == n and w["ic"][E.IC_NVIS] == 1 and w["H"].sum() <= n
    if (n, check_every) == (60, 10):  # 1/64 <= 1/60: the switch happens at step 60
        assert ref_stage == 1 and ref_nh == 6 and w["sc"][E.SC_LNF] == 1 / 60
    if (n, check_every) == (10, 2):  # ln f = 1/2 = 1/t exactly at step 2: switch (<=)
        assert ref_stage == 1 and ref_nh == 1


def test_one_over_t_stage_uses_visited_bins():
    """In the 1/t stage ln f = (visited bins) / (WL steps) (Belardinelli & Pereyra 2007: t is
    the MC time per bin), read at the end of a whole run, where the production run leaves it."""
    res = E.run_sampler(2, 30.0, _sampler_cfg(wl_steps=400_000, n_bins=40), 3, 0)
    assert res["n_visited"] > 10
    assert res["lnf_final"] == pytest.approx(res["n_visited"] / res["wl_steps_total"], rel=1e-14)


def test_wl_no_halving_while_a_visited_bin_is_empty():
    """A bin visited before but not hit since the last halving blocks the halving: with the
    walker confined to bin 0 and bin 1 marked visited, ln f stays 1 for 100 checks."""
    v = np.random.default_rng(0).uniform(-3, 3, 9)
    w = _walker(v, 2, 1e-9, 2)
    assert w["sc"][E.SC_L] < 0.5  # bin 0 of 2
    w["vis"][1] = 1
    w["ic"][E.IC_NVIS] = 1
    lng = np.zeros(2)
    _run(w, 2, 3.0, lng, np.uint64(3), 1000, E.MODE_WL, 10, 1 << 40)
    assert w["ic"][E.IC_NHALF] == 0 and w["sc"][E.SC_LNF] == 1.0
    assert lng[0] == 1000.0 and lng[1] == 0.0 and w["H"][0] == 1000
    assert w["ic"][E.IC_NVIS] == 2 and w["vis"][0] == 1


# --------------------------------------------------------------------------- safeguards


def test_recomputation_corrects_an_injected_drift_exactly_on_schedule():
    """z2 corrupted by 1e-3: after recompute_every - 1 steps the error is still there and no
    drift is recorded; after exactly recompute_every steps z2, A and L are a fresh evaluation
    again and the drift is recorded at its injected size."""
    n_h, R, k = 2, 30.0, 500
    v = np.random.default_rng(4).uniform(-R, R, 9)
    w = _walker(v, n_h, 5.0, 50)
    w["z2"][0] += 1e-3
    lng = np.zeros(50)
    s = _run(w, n_h, R, lng, np.uint64(9), k - 1, E.MODE_MUCA, 1000, k)
    A2, z2f = np.empty((n_h, 4)), np.empty(4)
    Lf = E.full_state(w["v"], n_h, A2, z2f, XY)
    assert w["ic"][E.IC_ACC] > 10
    assert abs(abs(w["z2"][0] - z2f[0]) - 1e-3) < 1e-9
    assert w["sc"][E.SC_MAXDRIFT] == 0.0
    assert w["sc"][E.SC_L] != Lf
    _run(w, n_h, R, lng, s, 1, E.MODE_MUCA, 1000, k)
    Lf = E.full_state(w["v"], n_h, A2, z2f, XY)
    assert np.array_equal(w["z2"], z2f) and np.array_equal(w["A"], A2)
    assert w["sc"][E.SC_L] == Lf
    assert abs(w["sc"][E.SC_MAXDRIFT] - 1e-3) < 1e-9
    assert w["ic"][E.IC_SINCE_FULL] == 0
    assert w["H"][min(int(Lf * 50), 49)] >= 1  # the last step is counted in the fresh bin


def _xnor(c=100.0):
    """n_h = 2 network computing XNOR with every output saturated beyond the sigmoid clamp:
    every case is wrong with certainty, the loss is exactly 1.0 (the top edge of the axis)."""
    # hidden 1 ~ OR, hidden 2 ~ AND; z2 = c (AND - OR) + c/2
    return np.array([c, c, c, c, -c / 2, -1.5 * c, -c, c, c / 2])


def test_loss_of_exactly_one_lands_in_the_last_bin():
    v = _xnor()
    assert E.loss_of(v, 2, XY) == 1.0
    nb = 10
    w = _walker(v, 2, 1e-3, nb)
    lng = np.zeros(nb)
    _run(w, 2, 200.0, lng, np.uint64(1), 3000, E.MODE_WL, 100, 700)
    assert w["ic"][E.IC_ACC] == 3000  # every tiny move keeps L = 1: all accepted
    assert w["H"][nb - 1] == w["H"].sum() and w["vis"].tolist() == [0] * (nb - 1) + [1]
    assert lng[nb - 1] > 0 and np.all(lng[:-1] == 0)
    assert w["sc"][E.SC_MAXL] == 1.0


def _sampler_cfg(**kw):
    cfg = dict(n_bins=50, wl_steps=20_000, muca_steps=20_000, muca_blocks=2, tune_steps=20_000,
               target_acceptance=0.5, delta0=5.0, check_every=1000, recompute_every=1000,
               chunk_steps=20_000)
    cfg.update(kw)
    return cfg


def test_step_size_adaptation_is_clipped_and_moves_the_right_way():
    """Tuning: delta <- clip(delta exp(acc - target), 1e-3 R, 2 R) after every tuning chunk.
    A huge start is clipped to 2 R at once, a tiny one (acceptance ~1) to 1e-3 R; from a
    small step (acceptance > target) delta grows, from a large one (acceptance < target) it
    shrinks."""
    R = 30.0
    hist = {}
    for d0 in (1e6, 1e-9, 0.3, 55.0):
        hist[d0] = _delta_hist(_sampler_cfg(delta0=d0), R)
    assert hist[1e6][0] == 2 * R
    assert hist[1e-9][0] == pytest.approx(1e-3 * R, rel=1e-15)
    for h in hist.values():
        assert len(h) == 10 and np.all((h >= 1e-3 * R) & (h <= 2 * R))
    assert hist[0.3][0] > 0.3 and hist[55.0][0] < 55.0


def _delta_hist(cfg, R):
    """delta after each tuning chunk, read from a checkpoint written at the end of tuning."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        ck = Path(d) / "ck.npz"
        E.run_sampler(2, R, cfg, 3, 0, checkpoint=ck, stop_after_chunks=10)
        with np.load(ck) as z:
            assert int(z["phase"][0]) == 0 and int(z["phase_done"][0]) == cfg["tune_steps"]
            return z["delta_hist"].copy()
