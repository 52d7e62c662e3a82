"""Compiled (numba) hot loops: one kernel call runs many epochs or MC steps.

Conventions shared by every kernel in the project
-------------------------------------------------
* Parameters: the flat vector of :mod:`xornet.model` (``4*n_h+1`` entries); an ensemble
  is a C-contiguous ``(R, P)`` array, one row per replica.
* Random numbers: every replica owns one ``uint64`` splitmix64 state (``states[r]``),
  seeded by :func:`xornet.rng.replica_states`. Nothing else draws random numbers, so a
  result depends only on the seed, never on thread count or chunking.
* One epoch (Eq. 6) evaluates all four cases of Table I once. A randomized batch (four
  cases drawn uniformly *with replacement*) is the same computation with case weights
  ``c_m/4``, where ``c_m`` counts how often case m was drawn; the nonrandomized batch has
  weights 1/4. So the batch loss and the full-batch loss both come out of every epoch.
* Divergence: a non-finite loss stops that replica and sets ``STATUS_DIVERGED``; kernels
  never raise and never warn.
* The sigmoid uses :func:`sig`, a vectorisable, overflow-free evaluation (PyPI numba has no
  SVML, so ``math.exp`` would not vectorise).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

JIT = dict(cache=True, nogil=True, error_model="numpy")

STATUS_RUNNING = 0
STATUS_DIVERGED = 1
STATUS_CONVERGED = 2

#: |z| is clamped here before exponentiation. sigma(40) rounds to 1.0 in double precision and
#: sigma(-40) = 4.2e-18, so the clamp changes sigma by less than 4.3e-18 absolute.
CLAMP = 40.0

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TWO_M53 = 1.0 / 9007199254740992.0
_X0 = np.array([0.0, 0.0, 1.0, 1.0])
_X1 = np.array([0.0, 1.0, 0.0, 1.0])
_YA = np.array([0.0, 1.0, 1.0, 0.0])


@njit(**JIT)
def splitmix64(s):
    """One splitmix64 step: returns (new state, 64 random bits)."""
    s = s + _GOLDEN
    z = s
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return s, z ^ (z >> _S31)


@njit(**JIT)
def uniform01(bits):
    """Top 53 bits of a uint64 as a float in [0, 1)."""
    return np.float64(bits >> _S11) * _TWO_M53


@njit(**JIT)
def expm1_pos(x):
    """exp(x) - 1 for 0 <= x <= CLAMP by scaling and squaring (vectorisable).

    y = x/256 <= 0.157; q = expm1(y) from its Taylor series to degree 10 (truncation
    < 3e-17 relative); then 8 doublings q <- q(2+q), which is expm1(2y). Keeping expm1
    rather than exp avoids cancellation; relative error stays within a few 1e-15.
    """
    y = x * 0.00390625
    q = y * (1.0 + y * (0.5 + y * (1.0 / 6.0 + y * (1.0 / 24.0 + y * (1.0 / 120.0 + y * (
        1.0 / 720.0 + y * (1.0 / 5040.0 + y * (1.0 / 40320.0 + y * (1.0 / 362880.0 + y * (
            1.0 / 3628800.0))))))))))
    for _ in range(8):
        q = q * (2.0 + q)
    return q


@njit(**JIT)
def sig(z):
    """(sigma(z), 1 - sigma(z)), both to relative precision, for any finite z (Eq. 3).

    With E = exp(|z|) and inv = 1/(1+E): sigma(|z|) = E*inv and 1-sigma(|z|) = inv.
    NaN in gives NaN out (so divergence is detectable), never an exception or a warning.
    """
    az = abs(z)
    if az > CLAMP:
        az = CLAMP
    E = 1.0 + expm1_pos(az)
    inv = 1.0 / (1.0 + E)
    big = E * inv
    if z >= 0.0:
        return big, inv
    return inv, big


@njit(**JIT)
def forward4(v, nh, A, DA, res, dout):
    """Forward pass for all four cases of Table I.

    Fills ``A[i, m]`` = a_i^(1) and ``DA[i, m]`` = a(1-a) for hidden neuron i and case m,
    ``res[m]`` = yhat_m - y_m (computed without cancellation) and ``dout[m]`` = yhat(1-yhat).
    The case index is innermost so the four cases form one SIMD vector.
    """
    for i in range(nh):
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        b = v[2 * nh + i]
        for m in range(4):
            s, c = sig(b + _X0[m] * w0 + _X1[m] * w1)
            A[i, m] = s
            DA[i, m] = s * c
    b2 = v[4 * nh]
    for m in range(4):
        res[m] = b2
    for i in range(nh):
        w2 = v[3 * nh + i]
        for m in range(4):
            res[m] += w2 * A[i, m]
    for m in range(4):
        s, c = sig(res[m])
        res[m] = s if _YA[m] == 0.0 else -c
        dout[m] = s * c


@njit(**JIT)
def backward4(v, nh, w, A, DA, res, dout, g):
    """Gradient of sum_m w[m] * (yhat_m - y_m)^2 into ``g`` (Eq. 6 with case weights w)."""
    d0 = 2.0 * w[0] * res[0] * dout[0]
    d1 = 2.0 * w[1] * res[1] * dout[1]
    d2 = 2.0 * w[2] * res[2] * dout[2]
    d3 = 2.0 * w[3] * res[3] * dout[3]
    for i in range(nh):
        w2 = v[3 * nh + i]
        e0 = d0 * w2 * DA[i, 0]
        e1 = d1 * w2 * DA[i, 1]
        e2 = d2 * w2 * DA[i, 2]
        e3 = d3 * w2 * DA[i, 3]
        g[2 * i] = e2 + e3
        g[2 * i + 1] = e1 + e3
        g[2 * nh + i] = e0 + e1 + e2 + e3
        g[3 * nh + i] = d0 * A[i, 0] + d1 * A[i, 1] + d2 * A[i, 2] + d3 * A[i, 3]
    g[4 * nh] = d0 + d1 + d2 + d3


@njit(**JIT)
def draw_batch(state, w):
    """Randomized batch (Sec. II): four cases uniformly with replacement -> weights c_m/4."""
    state, bits = splitmix64(state)
    w[0] = 0.0
    w[1] = 0.0
    w[2] = 0.0
    w[3] = 0.0
    for k in range(4):
        w[(bits >> np.uint64(2 * k)) & np.uint64(3)] += 0.25
    return state


@njit(**JIT)
def full_loss(v, nh, A, DA, res, dout):
    """Full-batch loss (Eq. 4, M = 4, nonrandomized)."""
    forward4(v, nh, A, DA, res, dout)
    return 0.25 * (res[0] * res[0] + res[1] * res[1] + res[2] * res[2] + res[3] * res[3])


@njit(**JIT)
def _gd_epochs(v, nh, eta, n_epochs, randomized, state, mask, target):
    """``n_epochs`` of gradient descent (Eq. 6) on one network, in place.

    ``mask[k]`` = 0 freezes parameter k (landscape trajectories, Fig. 6). If the full-batch
    loss at the current parameters is below ``target`` the run stops *before* that epoch's
    update with ``STATUS_CONVERGED`` (pass 0.0 to never stop). Returns (state, epochs done,
    batch loss of the first epoch, full loss of the first epoch, full loss at the last
    parameters evaluated, status).
    """
    P = 4 * nh + 1
    A = np.empty((nh, 4))
    DA = np.empty((nh, 4))
    res = np.empty(4)
    dout = np.empty(4)
    w = np.full(4, 0.25)
    g = np.empty(P)
    first_batch = np.nan
    first_full = np.nan
    lf = np.nan
    for t in range(n_epochs):
        if randomized:
            state = draw_batch(state, w)
        forward4(v, nh, A, DA, res, dout)
        l0 = res[0] * res[0]
        l1 = res[1] * res[1]
        l2 = res[2] * res[2]
        l3 = res[3] * res[3]
        lf = 0.25 * (l0 + l1 + l2 + l3)
        if t == 0:
            first_batch = w[0] * l0 + w[1] * l1 + w[2] * l2 + w[3] * l3
            first_full = lf
        if not (lf <= 1.0):  # NaN or inf
            return state, t, first_batch, first_full, lf, STATUS_DIVERGED
        if lf < target:
            return state, t, first_batch, first_full, lf, STATUS_CONVERGED
        backward4(v, nh, w, A, DA, res, dout, g)
        for k in range(P):
            v[k] -= eta * mask[k] * g[k]
    return state, n_epochs, first_batch, first_full, lf, STATUS_RUNNING


@njit(**JIT)
def gd_single(v, nh, eta, n_epochs, randomized, state, mask, target):
    """Gradient descent on one network (see :func:`_gd_epochs`)."""
    return _gd_epochs(v, nh, eta, n_epochs, randomized, state, mask, target)


@njit(parallel=True, **JIT)
def gd_ensemble(V, nh, etas, n_epochs, randomized, states, status, epochs, first_batch,
                last_full, target):
    """``n_epochs`` of gradient descent on every replica ``V[r]`` still running.

    Replica r has learning rate ``etas[r]`` and its own stream ``states[r]``, so the result
    does not depend on the number of threads. Updates ``V``, ``states``, ``status`` and adds
    the epochs done to ``epochs``; writes the batch loss of this call's first epoch and the
    last full-batch loss evaluated.
    """
    R = V.shape[0]
    mask = np.ones(V.shape[1])
    for r in prange(R):
        if status[r] != STATUS_RUNNING:
            continue
        s, done, fb, _, lf, st = _gd_epochs(V[r], nh, etas[r], n_epochs, randomized, states[r],
                                            mask, target)
        states[r] = s
        status[r] = st
        epochs[r] += done
        first_batch[r] = fb
        last_full[r] = lf


@njit(**JIT)
def adam_single(v, nh, lr, beta1, beta2, eps, n_epochs, randomized, state, m1, m2, t0):
    """Adam (Kingma & Ba 2015) on one network; ``m1``, ``m2`` moments, ``t0`` steps done.

    Returns (state, epochs done, batch loss of the first epoch, full loss of the last, status).
    """
    P = 4 * nh + 1
    A = np.empty((nh, 4))
    DA = np.empty((nh, 4))
    res = np.empty(4)
    dout = np.empty(4)
    w = np.full(4, 0.25)
    g = np.empty(P)
    first_batch = np.nan
    lf = np.nan
    for t in range(n_epochs):
        if randomized:
            state = draw_batch(state, w)
        forward4(v, nh, A, DA, res, dout)
        lf = 0.25 * (res[0] ** 2 + res[1] ** 2 + res[2] ** 2 + res[3] ** 2)
        if not (lf <= 1.0):
            return state, t, first_batch, lf, STATUS_DIVERGED
        if t == 0:
            first_batch = (w[0] * res[0] ** 2 + w[1] * res[1] ** 2
                           + w[2] * res[2] ** 2 + w[3] * res[3] ** 2)
        backward4(v, nh, w, A, DA, res, dout, g)
        step = t0 + t + 1
        c1 = 1.0 / (1.0 - beta1**step)
        c2 = 1.0 / (1.0 - beta2**step)
        for k in range(P):
            m1[k] = beta1 * m1[k] + (1.0 - beta1) * g[k]
            m2[k] = beta2 * m2[k] + (1.0 - beta2) * g[k] * g[k]
            v[k] -= lr * (m1[k] * c1) / (np.sqrt(m2[k] * c2) + eps)
    return state, n_epochs, first_batch, lf, STATUS_RUNNING


@njit(**JIT)
def mc_zero_t(v, nh, step, n_sweeps, state, target):
    """Zero-temperature Monte Carlo (Sec. II, ref. [21]) on one network, in place.

    One sweep = P proposals; each changes one uniformly chosen parameter by a uniform
    amount in [-step, step] and is kept only if the full-batch loss does not increase.
    Stops early once the loss is below ``target``. Returns (state, sweeps done, loss, accepted).
    """
    P = 4 * nh + 1
    A = np.empty((nh, 4))
    DA = np.empty((nh, 4))
    res = np.empty(4)
    dout = np.empty(4)
    L = full_loss(v, nh, A, DA, res, dout)
    acc = 0
    for s in range(n_sweeps):
        if L < target:
            return state, s, L, acc
        for _ in range(P):
            state, b1 = splitmix64(state)
            state, b2 = splitmix64(state)
            k = int(uniform01(b1) * P)
            old = v[k]
            v[k] = old + step * (2.0 * uniform01(b2) - 1.0)
            Ln = full_loss(v, nh, A, DA, res, dout)
            if Ln <= L:
                L = Ln
                acc += 1
            else:
                v[k] = old
    return state, n_sweeps, L, acc


@njit(parallel=True, **JIT)
def mc_ensemble(V, nh, step, n_sweeps, states, target, loss, sweeps):
    """:func:`mc_zero_t` on every row of ``V`` (independent streams); fills loss, sweeps."""
    for r in prange(V.shape[0]):
        s, done, L, _ = mc_zero_t(V[r], nh, step, n_sweeps, states[r], target)
        states[r] = s
        loss[r] = L
        sweeps[r] += done


@njit(parallel=True, **JIT)
def losses_many(V, nh, out):
    """Full-batch loss of every row of ``V`` (R, P) into ``out`` (R,)."""
    for r in prange(V.shape[0]):
        A = np.empty((nh, 4))
        DA = np.empty((nh, 4))
        res = np.empty(4)
        dout = np.empty(4)
        out[r] = full_loss(V[r], nh, A, DA, res, dout)
