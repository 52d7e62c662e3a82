"""Compiled kernels (xornet.kernels) against the NumPy reference model and exact values:
sigmoid accuracy, gradients, randomized batches, optimisers, ensembles (bitwise equal to
the single-network kernel, thread-count invariant), divergence handling, recording."""

import itertools
import math
import warnings

import numba
import numpy as np
import pytest
from numba import njit
from scipy import stats

from xornet import gates, train
from xornet import kernels as K
from xornet import model as M

XB = gates.bits("xor")  # the paper's targets (Table I), as the kernels take them


# ----------------------------------------------------------------------------- helpers


@njit(error_model="numpy", cache=True)
def _sig_both(z, s1, c1, s4, c4):
    """Scalar sig and the vector sig4 on the same values (len(z) a multiple of 4)."""
    for i in range(0, z.size, 4):
        (a0, a1, a2, a3), (b0, b1, b2, b3) = K.sig4((z[i], z[i + 1], z[i + 2], z[i + 3]))
        s4[i], s4[i + 1], s4[i + 2], s4[i + 3] = a0, a1, a2, a3
        c4[i], c4[i + 1], c4[i + 2], c4[i + 3] = b0, b1, b2, b3
        for k in range(4):
            s1[i + k], c1[i + k] = K.sig(z[i + k])


@njit(error_model="numpy", cache=True)
def _exp_neg_many(a, out):
    for i in range(a.size):
        out[i] = K.exp_neg(a[i])


def sig_all(z):
    z = np.ascontiguousarray(z, dtype=np.float64)
    n = (z.size + 3) // 4 * 4
    zz = np.zeros(n)
    zz[: z.size] = z
    out = [np.empty(n) for _ in range(4)]
    _sig_both(zz, *out)
    return [o[: z.size] for o in out]


def u64(x):
    """A kernel's returned state (int64 bits) as the uint64 it stands for."""
    return np.array([x], dtype=np.int64).view(np.uint64)[0] if x < 2**63 else np.uint64(x)


def scratch(nh):
    return np.empty((nh, 4)), np.empty((nh, 4)), np.empty(4), np.empty(4)


def kernel_grad(v, nh, counts):
    A, DA, res, dout = scratch(nh)
    g = np.empty_like(v)
    K.forward4(v, nh, A, DA, res, dout, XB)
    K.backward4(v, nh, np.asarray(counts, float) / 4.0, A, DA, res, dout, g)
    return g


def counts_of(state):
    """Case counts of the randomized batch drawn from ``state`` (and the next state)."""
    w = np.empty(4)
    s = K.draw_batch(np.uint64(state), w)
    return np.uint64(s), np.rint(4 * w).astype(int)


def ens_arrays(V0, states):
    R = V0.shape[0]
    return dict(V=V0.copy(), states=np.array(states, dtype=np.uint64).copy(),
                status=np.zeros(R, np.int64), epochs=np.zeros(R, np.int64),
                fb=np.full(R, np.nan), lf=np.full(R, np.nan))


def run_ens(a, nh, etas, n, randomized, target):
    K.gd_ensemble(a["V"], nh, etas, n, randomized, a["states"], a["status"], a["epochs"],
                  a["fb"], a["lf"], target, XB)


# ----------------------------------------------------------------------------- sigmoid / exp


def test_exp_neg_vs_numpy_over_whole_range():
    a = np.concatenate([np.linspace(0.0, 45.0, 200_001), [0.0, 5e-324, 1e-300, 1e-17, 1e-8],
                        np.random.default_rng(0).uniform(0, 700, 100_000)])
    out = np.empty_like(a)
    _exp_neg_many(a, out)
    rel = np.abs(out / np.exp(-a) - 1.0)
    assert rel.max() <= 4.5e-16  # within 2 ulp of np.exp (itself < 1 ulp)
    nan = np.empty(1)
    _exp_neg_many(np.array([np.nan]), nan)
    assert np.isnan(nan[0])


def test_sigmoid_relative_accuracy_and_vector_equals_scalar():
    rng = np.random.default_rng(1)
    z = np.concatenate([
        [0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-17, -1e-17, 1e-8, -1e-8],
        rng.normal(0.0, 1.0, 50_000), rng.uniform(-40.0, 40.0, 200_000),
        np.linspace(-40.0, 40.0, 80_001), [39.999999, -39.999999, 40.0, -40.0],
    ])
    s1, c1, s4, c4 = sig_all(z)
    # the vector form (used by the kernels) is bit-for-bit the scalar form
    np.testing.assert_array_equal(s1, s4)
    np.testing.assert_array_equal(c1, c4)
    zl = z.astype(np.longdouble)
    exact_s = 1.0 / (1.0 + np.exp(-zl))
    exact_c = 1.0 / (1.0 + np.exp(zl))  # 1 - sigma(z) without cancellation
    assert np.max(np.abs(s1 / exact_s - 1.0)) < 1e-15
    assert np.max(np.abs(c1 / exact_c - 1.0)) < 1e-15
    # sigma(z) + (1 - sigma(z)) = 1 to rounding
    assert np.max(np.abs(s1 + c1 - 1.0)) <= 2.3e-16


def test_sigmoid_clamp_and_huge_arguments():
    z = np.array([40.0, 41.0, 100.0, 709.0, 1e300, np.finfo(float).max,
                  -40.0, -41.0, -100.0, -709.0, -1e300, -np.finfo(float).max])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, c, _, _ = sig_all(z)
    e40 = math.exp(-40.0)
    pos = z > 0
    # beyond |z| = 40 the result is frozen at sigma(+-40): sigma = 1 exactly on the right,
    # and on the left sigma = 4.2e-18 instead of ~0: absolute change below 4.3e-18 (CLAMP doc)
    assert np.all(s[pos] == 1.0) and np.all(c[~pos] == 1.0)
    np.testing.assert_allclose(c[pos], e40 / (1 + e40), rtol=1e-15)
    np.testing.assert_allclose(s[~pos], e40 / (1 + e40), rtol=1e-15)
    exact = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
    assert np.max(np.abs(s - exact)) < 4.3e-18
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(c))


def test_sigmoid_nan_and_inf_give_nan():
    # +-inf only arises from diverged parameters: NaN, so the loss flags the run
    s, c, s4, c4 = sig_all(np.array([np.nan, 1.0, -np.nan, np.inf, -np.inf, 0.0]))
    for k in (0, 2, 3, 4):
        assert np.isnan(s[k]) and np.isnan(c[k]) and np.isnan(s4[k]) and np.isnan(c4[k])
    assert s[1] == pytest.approx(1 / (1 + math.exp(-1.0)), rel=1e-15)
    assert K.sig(np.nan) != K.sig(np.nan)  # tuples of NaN


# ----------------------------------------------------------------------------- forward / grad


@pytest.mark.parametrize("nh", [1, 2, 5, 18])
def test_kernel_loss_and_gradient_vs_model(nh):
    rng = np.random.default_rng(20 + nh)
    A, DA, res, dout = scratch(nh)
    for trial in range(30):
        v = rng.normal(0.0, 2.5, M.n_params(nh))
        c = np.ones(4, int) if trial < 10 else rng.multinomial(4, [0.25] * 4)
        L = K.full_loss(v, nh, A, DA, res, dout, XB)
        assert L == pytest.approx(M.loss(v, nh), rel=1e-14, abs=1e-300)
        a1, yhat = M.forward(v, nh)
        # pre-activations are summed in another order: relative error ~ |z| eps (|z| < 15)
        np.testing.assert_allclose(A, a1.T, rtol=4e-15)
        # the model's yhat - y cancels for y = 1 (absolute error ~ ulp(1)); the kernel's does not
        np.testing.assert_allclose(res, yhat - M.Y, rtol=1e-14, atol=4.5e-16)
        g = kernel_grad(v, nh, c)
        gm = M.grad(v, nh, c)
        np.testing.assert_allclose(g, gm, rtol=1e-12, atol=1e-16)


def test_kernel_loss_vs_plain_numpy_forward():
    """Loss of the kernels against a forward pass written out independently with np.exp."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([0.0, 1.0, 1.0, 0.0])
    rng = np.random.default_rng(15)
    for nh in (1, 2, 5, 18):
        A, DA, res, dout = scratch(nh)
        for _ in range(20):
            v = rng.normal(0.0, 2.0, 4 * nh + 1)
            W1 = v[: 2 * nh].reshape(nh, 2)
            h = 1.0 / (1.0 + np.exp(-(X @ W1.T + v[2 * nh: 3 * nh])))
            yhat = 1.0 / (1.0 + np.exp(-(h @ v[3 * nh: 4 * nh] + v[4 * nh])))
            ref = np.mean((yhat - Y) ** 2)
            assert K.full_loss(v, nh, A, DA, res, dout, XB) == pytest.approx(ref, rel=1e-13,
                                                                          abs=1e-15)


def test_losses_many_matches_model():
    rng = np.random.default_rng(5)
    V = rng.normal(0.0, 2.0, (101, M.n_params(3)))
    out = np.empty(101)
    K.losses_many(V, 3, out, XB)
    np.testing.assert_allclose(out, M.loss(V, 3), rtol=1e-14)


@pytest.mark.parametrize("randomized", [False, True])
def test_one_gd_epoch_is_eta_times_model_grad(randomized):
    rng = np.random.default_rng(6)
    nh = 2
    for _ in range(20):
        v = rng.normal(0.0, 2.0, M.n_params(nh))
        state = rng.integers(0, 2**63, dtype=np.uint64)
        _, c = counts_of(state) if randomized else (None, np.ones(4, int))
        mask = np.ones_like(v)
        mask[3] = 0.0
        vv = v.copy()
        s, done, fb, ff, lf, st = K.gd_single(vv, nh, 0.7, 1, randomized, state, mask, 0.0, XB)
        assert done == 1 and st == K.STATUS_RUNNING
        np.testing.assert_allclose(vv, v - 0.7 * mask * M.grad(v, nh, c), rtol=1e-13,
                                   atol=1e-15)
        assert vv[3] == v[3]  # frozen
        # the model's loss carries its yhat - 1 cancellation: absolute error <~ 1e-15
        assert fb == pytest.approx(M.loss(v, nh, c), rel=1e-14, abs=1e-15)
        assert ff == pytest.approx(M.loss(v, nh), rel=1e-14, abs=1e-15) and lf == ff


def test_gd_trajectory_vs_numpy_loop():
    """200 epochs (randomized batches) against a NumPy loop using the same batch draws."""
    nh = 2
    v0 = 0.1 * np.random.default_rng(7).uniform(size=M.n_params(nh))
    state = np.uint64(12345)
    v = v0.copy()
    s = state
    for _ in range(200):
        s, c = counts_of(s)
        v = v - 0.5 * M.grad(v, nh, c)
    vk = v0.copy()
    sk, done, *_ = K.gd_single(vk, nh, 0.5, 200, True, state, np.ones_like(vk), 0.0, XB)
    assert done == 200 and u64(sk) == s
    np.testing.assert_allclose(vk, v, rtol=1e-11, atol=1e-13)


# ----------------------------------------------------------------------------- random batches


def test_randomized_batch_counts_are_multinomial():
    n = 40_000
    s = np.uint64(2024)
    seen = {}
    for _ in range(n):
        s, c = counts_of(s)
        seen[tuple(c)] = seen.get(tuple(c), 0) + 1
    cells = [c for c in itertools.product(range(5), repeat=4) if sum(c) == 4]
    assert set(seen) <= set(cells)
    probs = np.array([stats.multinomial.pmf(c, 4, [0.25] * 4) for c in cells])
    obs = np.array([seen.get(c, 0) for c in cells])
    chi2, p = stats.chisquare(obs, probs * n)
    assert p > 1e-3, (chi2, p)
    # and each case appears with frequency 1/4 per draw
    per_case = np.array([sum(k * seen.get(c, 0) for c in cells for k in [c[m]]) for m in range(4)])
    np.testing.assert_allclose(per_case / (4 * n), 0.25, atol=0.005)


def test_state_typed_int64_gives_same_stream():
    """A state handed back to Python as int (< 2^63) must not change the stream."""
    v = np.full(9, 0.1)
    mask = np.ones(9)
    r1 = K.gd_single(v.copy(), 2, 0.1, 5, True, np.uint64(7), mask, 0.0, XB)
    r2 = K.gd_single(v.copy(), 2, 0.1, 5, True, 7, mask, 0.0, XB)
    assert r1 == r2
    # the returned state always fits int64, so it can be passed back, whatever its bits
    s = np.uint64(2**64 - 3)
    for _ in range(50):
        s, *_ = K.gd_single(v.copy(), 2, 0.1, 1, True, s, mask, 0.0, XB)
        assert -(2**63) <= s < 2**63
    s1, b1 = K.splitmix64(np.uint64(7))
    s2, b2 = K.splitmix64(7)
    assert (s1, b1) == (s2, b2)


# ----------------------------------------------------------------------------- ensembles


@pytest.mark.parametrize("nh", [1, 2, 5])
@pytest.mark.parametrize("randomized", [False, True])
def test_gd_ensemble_equals_gd_single_bitwise(nh, randomized):
    rng = np.random.default_rng(30 + nh)
    R, P = 21, M.n_params(nh)
    V0 = rng.normal(0.0, 1.5, (R, P))
    V0[4] = np.nan  # diverges at once
    V0[6, 0] = 1e300
    etas = rng.uniform(0.01, 15.0, R)
    states = rng.integers(0, 2**64 - 1, R, dtype=np.uint64)
    target = 0.15
    a = ens_arrays(V0, states)
    for _ in range(3):
        run_ens(a, nh, etas, 400, randomized, target)
    for r in range(R):
        v = V0[r].copy()
        s = states[r]
        ep, st = 0, K.STATUS_RUNNING
        for _ in range(3):
            if st != K.STATUS_RUNNING:
                break
            s, done, fb, _, lf, st = K.gd_single(v, nh, etas[r], 400, randomized, s,
                                                 np.ones(P), target, XB)
            ep += done
        np.testing.assert_array_equal(a["V"][r], v)
        assert a["states"][r] == u64(s) and a["epochs"][r] == ep and a["status"][r] == st
        np.testing.assert_array_equal(a["lf"][r], lf)
        np.testing.assert_array_equal(a["fb"][r], fb)
    assert a["status"][4] == K.STATUS_DIVERGED and a["epochs"][4] == 0
    if nh > 1:  # a 2-1-1 network cannot get below 1/6 (it cannot represent XOR)
        assert np.any(a["status"] == K.STATUS_CONVERGED)


def test_ensemble_of_one_equals_single():
    v0 = 0.1 * np.random.default_rng(8).uniform(size=9)
    a = ens_arrays(v0[None, :], [99])
    run_ens(a, 2, np.array([0.1]), 5000, True, 0.0)
    v = v0.copy()
    s, *_ = K.gd_single(v, 2, 0.1, 5000, True, np.uint64(99), np.ones(9), 0.0, XB)
    np.testing.assert_array_equal(a["V"][0], v)
    assert a["states"][0] == u64(s)


def test_thread_count_invariance():
    rng = np.random.default_rng(9)
    nh, R = 2, 53
    V0 = 0.1 * rng.uniform(size=(R, M.n_params(nh)))
    etas = rng.uniform(0.05, 5.0, R)
    states = rng.integers(0, 2**64 - 1, R, dtype=np.uint64)
    out = []
    n0 = numba.get_num_threads()
    try:
        for nt in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(nt)
            a = ens_arrays(V0, states)
            run_ens(a, nh, etas, 2000, True, 1e-3)
            Vm = V0.copy()
            sm = states.copy()
            loss = np.empty(R)
            sweeps = np.zeros(R, np.int64)
            K.mc_ensemble(Vm, nh, 0.3, 20, sm, 0.0, loss, sweeps, XB)
            out.append((a, Vm, sm, loss))
    finally:
        numba.set_num_threads(n0)
    (a1, V1, s1, l1), (a2, V2, s2, l2) = out
    for k in a1:
        np.testing.assert_array_equal(a1[k], a2[k])
    np.testing.assert_array_equal(V1, V2)
    np.testing.assert_array_equal(s1, s2)
    np.testing.assert_array_equal(l1, l2)


# ----------------------------------------------------------------------------- divergence


def test_divergence_recorded_without_exception_or_warning():
    nh, P = 2, 9
    mask = np.ones(P)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            for bad in (np.nan, np.inf, -np.inf):
                for k in range(P):  # a non-finite value in any parameter
                    v = np.full(P, 0.1)
                    v[k] = bad
                    s, done, fb, ff, lf, st = K.gd_single(v, nh, 0.1, 100, True, 1, mask, 0.0, XB)
                    assert st == K.STATUS_DIVERGED and done == 0 and np.isnan(lf)
            # a learning rate so large that the parameters overflow
            v = np.full(P, 0.1)
            s, done, fb, ff, lf, st = K.gd_single(v, nh, 1e300, 1000, False, 1, mask, 0.0, XB)
            assert st == K.STATUS_DIVERGED and 0 < done < 1000
            a = ens_arrays(np.array([np.full(P, 0.1), np.full(P, np.nan)]), [1, 2])
            run_ens(a, nh, np.array([1e300, 0.1]), 1000, True, 0.0)
            assert list(a["status"]) == [K.STATUS_DIVERGED, K.STATUS_DIVERGED]
            m1, m2 = np.zeros(P), np.zeros(P)
            v = np.full(P, np.nan)
            r = K.adam_single(v, nh, 0.01, 0.9, 0.999, 1e-8, 10, True, 1, m1, m2, 0, XB)
            assert r[-1] == K.STATUS_DIVERGED
            df = train.train_gd(np.full(P, np.nan), nh, 0.1, 1000, randomized=True, state=3,
                                record_epochs=[0, 10, 100])
            assert df["status"].iloc[-1] == "diverged"


def test_target_stops_before_update():
    nh, P = 2, 9
    v = M.pack([[10.0, 10.0], [10.0, 10.0]], [-5.0, -15.0], [20.0, -20.0], -10.0)
    L0 = M.loss(v, nh)
    vv = v.copy()
    s, done, fb, ff, lf, st = K.gd_single(vv, nh, 0.1, 100, True, 5, np.ones(P), 2 * L0, XB)
    assert st == K.STATUS_CONVERGED and done == 0
    np.testing.assert_array_equal(vv, v)
    assert lf == pytest.approx(L0, rel=1e-14)


# ----------------------------------------------------------------------------- Adam, MC


@pytest.mark.parametrize("randomized", [False, True])
def test_adam_vs_numpy_reference(randomized):
    nh = 2
    v0 = 0.1 * np.random.default_rng(11).uniform(size=M.n_params(nh))
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    n = 60
    v, m, u = v0.copy(), np.zeros_like(v0), np.zeros_like(v0)
    s = np.uint64(77)
    for t in range(1, n + 1):
        if randomized:
            s, c = counts_of(s)
        else:
            c = None
        g = M.grad(v, nh, c)
        m = b1 * m + (1 - b1) * g
        u = b2 * u + (1 - b2) * g * g
        mhat = m / (1 - b1**t)
        uhat = u / (1 - b2**t)
        v = v - lr * mhat / (np.sqrt(uhat) + eps)
    # the kernel in two chunks (moments and step count carried over)
    vk, m1, m2 = v0.copy(), np.zeros_like(v0), np.zeros_like(v0)
    sk, done, _, _, st = K.adam_single(vk, nh, lr, b1, b2, eps, 25, randomized, 77, m1, m2, 0, XB)
    sk, done, _, lf, st = K.adam_single(vk, nh, lr, b1, b2, eps, n - 25, randomized, sk, m1, m2,
                                        25, XB)
    assert st == K.STATUS_RUNNING and done == n - 25
    np.testing.assert_allclose(vk, v, rtol=1e-10, atol=1e-12)
    if randomized:
        assert u64(sk) == s


@njit(error_model="numpy", cache=True)
def _mc_naive(v, nh, step, n_sweeps, state, target):
    """Reference zero-T MC: full forward pass per proposal, same random stream."""
    P = 4 * nh + 1
    rs = np.uint64(state)
    A = np.empty((nh, 4))
    DA = np.empty((nh, 4))
    res = np.empty(4)
    dout = np.empty(4)
    L = K.full_loss(v, nh, A, DA, res, dout, XB)
    acc = 0
    for s in range(n_sweeps):
        if L < target:
            return s, L, acc
        for _ in range(P):
            rs, b1 = K.splitmix64(rs)
            rs, b2 = K.splitmix64(rs)
            k = int(K.uniform01(b1) * P)
            old = v[k]
            v[k] = old + step * (2.0 * K.uniform01(b2) - 1.0)
            Ln = K.full_loss(v, nh, A, DA, res, dout, XB)
            if Ln <= L:
                L = Ln
                acc += 1
            else:
                v[k] = old
    return n_sweeps, L, acc


@pytest.mark.parametrize("nh", [1, 2, 5])
def test_mc_incremental_equals_full_evaluation(nh):
    rng = np.random.default_rng(40 + nh)
    for target in (0.0, 0.01):
        v0 = rng.normal(0.0, 1.0, M.n_params(nh))
        va, vb = v0.copy(), v0.copy()
        _, done, L, acc = K.mc_zero_t(va, nh, 0.7, 3000, 99, target, XB)
        done_n, L_n, acc_n = _mc_naive(vb, nh, 0.7, 3000, 99, target)
        np.testing.assert_array_equal(va, vb)
        assert (done, L, acc) == (done_n, L_n, acc_n)


def test_mc_zero_t_never_increases_loss():
    nh = 2
    v = 0.1 * np.random.default_rng(12).uniform(size=M.n_params(nh))
    A, DA, res, dout = scratch(nh)
    L = K.full_loss(v, nh, A, DA, res, dout, XB)
    s = np.uint64(5)
    total_acc = 0
    for _ in range(200):
        s, done, Ln, acc = K.mc_zero_t(v, nh, 0.5, 1, s, 0.0, XB)
        assert done == 1 and Ln <= L
        assert Ln == K.full_loss(v, nh, A, DA, res, dout, XB)  # the returned loss is v's loss
        L = Ln
        total_acc += acc
    assert 0 < total_acc < 200 * 9
    assert L < 0.25  # it makes progress from the plateau
    # target: stops at once when already below it
    s2, done, L2, acc = K.mc_zero_t(v, nh, 0.5, 10, s, 1.0, XB)
    assert done == 0 and acc == 0 and L2 == L


# ----------------------------------------------------------------------------- recording


def test_train_gd_records():
    nh = 2
    v0 = 0.1 * np.random.default_rng(13).uniform(size=M.n_params(nh))
    rec = train.log_epochs(3000, 5)
    df = train.train_gd(v0, nh, 0.5, 3000, randomized=True, state=42, record_epochs=rec)
    assert df["epoch"].iloc[0] == 0 and list(df["epoch"]) == sorted(set(rec))
    names = M.param_names(nh)
    np.testing.assert_array_equal(df[names].iloc[0].to_numpy(float), v0)
    for _, row in df.iterrows():
        v = row[names].to_numpy(float)
        assert row["full_loss"] == pytest.approx(M.loss(v, nh), rel=1e-13)
    # batch loss at epoch 0 is the loss of the first drawn batch
    _, c = counts_of(42)
    assert df["batch_loss"].iloc[0] == pytest.approx(M.loss(v0, nh, c), rel=1e-14)
    # the recorded run is the same trajectory as one uninterrupted kernel call
    v = v0.copy()
    K.gd_single(v, nh, 0.5, 3000, True, 42, np.ones_like(v), 0.0, XB)
    np.testing.assert_array_equal(df[names].iloc[-1].to_numpy(float), v)


# ----------------------------------------------------------------------------- gate specialisation


def test_xor_specialisation_equals_the_general_loop():
    """Kernel entry points compile their loop apart for XOR (yb = XOR_BITS folded in); the
    general loop, called directly with the same yb as a runtime value, gives the same bits."""
    from xornet.kernels import optimizers as O

    assert K.XOR_BITS == gates.bits("xor") == XB
    rng = np.random.default_rng(41)
    for nh, randomized in ((2, True), (3, False)):
        v0 = rng.normal(0.0, 1.5, M.n_params(nh))
        mask = np.ones_like(v0)
        a, b = v0.copy(), v0.copy()
        ra = K.gd_single(a, nh, 0.3, 3000, randomized, np.uint64(5), mask, 0.0, XB)
        rb = O._gd_epochs_loop(b, nh, 0.3, 3000, randomized, np.uint64(5), mask, 0.0, XB)
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(np.array(ra, dtype=float), np.array(rb, dtype=float))
        a, b = v0.copy(), v0.copy()
        ra = K.mc_zero_t(a, nh, 0.2, 300, np.uint64(7), 0.0, XB)
        rb = O._mc_loop(b, nh, 0.2, 300, np.uint64(7), 0.0, XB)
        np.testing.assert_array_equal(a, b)
        assert ra == rb
    R, nh = 11, 2
    V0 = rng.normal(0.0, 1.5, (R, M.n_params(nh)))
    out = []
    for fn in (K._gd_block, O._gd_block_loop):
        a = ens_arrays(V0, np.arange(R))
        fn(a["V"], 0, 8, nh, np.full(R, 0.3), 2000, True, a["states"], a["status"],
           a["epochs"], a["fb"], a["lf"], 0.0, XB)
        out.append(a)
    for k in out[0]:
        np.testing.assert_array_equal(out[0][k], out[1][k])
