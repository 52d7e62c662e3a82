"""The optimizers: gradient descent on one network and on ensembles, Adam, zero-temperature
Monte Carlo, and the loss of many networks; each one compiled kernel call runs many epochs or
MC steps.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from . import lanes
from .network import (
    STATUS_CONVERGED,
    STATUS_DIVERGED,
    STATUS_RUNNING,
    XOR_BITS,
    _hidden_into,
    _loss_from_hidden,
    _step,
    backward4,
    forward4,
    full_loss,
    scratch,
)
from .simd import _INL, JIT, vld
from .streams import _weights, draw_batch, splitmix64, uniform01

__all__ = [
    "LANES", "_gd_block", "_gd_epochs", "adam_single", "gd_ensemble", "gd_single", "losses_many",
    "mc_ensemble", "mc_zero_t",
]

#: Replicas per lockstep block in :func:`gd_ensemble` (two AVX2 vectors of doubles).
LANES = 8


@njit(**JIT)
def _gd_epochs(v, nh, eta, n_epochs, randomized, state, mask, target, yb):
    """Gradient descent on one network, in place (:func:`_gd_epochs_loop`; for XOR,
    :data:`XOR_BITS`, the loop compiled with the targets folded in, in a function of its own)."""
    if yb == XOR_BITS:
        return _gd_epochs_xor(v, nh, eta, n_epochs, randomized, state, mask, target)
    return _gd_epochs_loop(v, nh, eta, n_epochs, randomized, state, mask, target, yb)


@njit(**JIT)
def _gd_epochs_xor(v, nh, eta, n_epochs, randomized, state, mask, target):
    return _gd_epochs_loop(v, nh, eta, n_epochs, randomized, state, mask, target, XOR_BITS)


@njit(**_INL)
def _gd_epochs_loop(v, nh, eta, n_epochs, randomized, state, mask, target, yb):
    """``n_epochs`` of gradient descent (Eq. 6) on one network, in place.

    ``mask[k]`` = 0 freezes parameter k (landscape trajectories, Fig. 6). If the full-batch
    loss at the current parameters is below ``target`` the run stops *before* that epoch's
    update with ``STATUS_CONVERGED`` (pass 0.0 to never stop). Returns (state, epochs done,
    batch loss of the first epoch, full loss of the first epoch, full loss at the last
    parameters evaluated, status).

    The update is v_k <- v_k - (eta mask_k) g_k with one rounding (fma); the epoch is the
    same inlined code (:func:`_step`) as one lane of :func:`_gd_block`.
    """
    P = 4 * nh + 1
    rs = np.uint64(state)  # see splitmix64: the state may arrive typed int64
    A = np.empty((nh, 4))
    DA = np.empty((nh, 4))
    em = np.empty(P)
    for k in range(P):
        em[k] = -(eta * mask[k])
    w0 = 0.25
    w1 = 0.25
    w2 = 0.25
    w3 = 0.25
    first_batch = np.nan
    first_full = np.nan
    lf = np.nan
    for t in range(n_epochs):
        if randomized:
            rs, bits = splitmix64(rs)
            w0, w1, w2, w3 = _weights(bits)
        lf, lb, st = _step(v, nh, em, w0, w1, w2, w3, A, DA, target, yb)
        if t == 0:
            first_batch = lb
            first_full = lf
        if st != STATUS_RUNNING:
            return np.int64(rs), t, first_batch, first_full, lf, st
    return np.int64(rs), n_epochs, first_batch, first_full, lf, STATUS_RUNNING


@njit(**JIT)
def gd_single(v, nh, eta, n_epochs, randomized, state, mask, target, yb):
    """Gradient descent on one network towards targets ``yb`` (see :func:`_gd_epochs`)."""
    return _gd_epochs(v, nh, eta, n_epochs, randomized, state, mask, target, yb)


@njit(**JIT)
def _gd_block(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs, first_batch,
              last_full, target, yb):
    """:func:`_gd_block_loop` (for XOR, :data:`XOR_BITS`, compiled with the targets folded in,
    in a function of its own)."""
    if yb == XOR_BITS:
        _gd_block_xor(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs,
                      first_batch, last_full, target)
    else:
        _gd_block_loop(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs,
                       first_batch, last_full, target, yb)


@njit(**JIT)
def _gd_block_xor(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs,
                  first_batch, last_full, target):
    _gd_block_loop(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs,
                   first_batch, last_full, target, XOR_BITS)


@njit(**_INL)
def _gd_block_loop(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs,
                   first_batch, last_full, target, yb):
    """:func:`_gd_epochs` (mask 1) on rows ``r0 .. r0+nb-1`` of ``V`` (nb <= LANES) in lockstep.

    Replica r0+j is lane j % 4 of vector group j // 4: every operation of :func:`_step` is
    done on 4 replicas at once (:func:`.lanes.forward` and
    :func:`.lanes.backward`), in the same order, so each lane is bit-for-bit :func:`gd_single`. A
    replica that stops (diverged, converged) keeps its parameters and stream from then on
    (``vsel``); idle lanes compute on zeros.
    """
    G = LANES // 4
    P = 4 * nh + 1
    Vb, Ab, DAb, Wb = lanes.arrays(G, nh)
    EM = np.zeros(G * 4)
    act = np.zeros(G * 4)  # 1.0 while the lane's replica runs
    st = np.zeros(G * 4, dtype=np.uint64)
    done = np.full(G * 4, n_epochs, dtype=np.int64)
    stat = np.zeros(G * 4, dtype=np.int64)
    fb = np.full(G * 4, np.nan)
    lfs = np.full(G * 4, np.nan)
    gact = np.zeros(G, dtype=np.int64)  # running lanes per group
    nact = 0
    for j in range(nb):
        r = r0 + j
        if status[r] == STATUS_RUNNING:
            lanes.put(Vb, P, j, V[r])
            EM[j] = -(etas[r] * 1.0)
            st[j] = states[r]
            act[j] = 1.0
            gact[j // 4] += 1
            nact += 1
    for t in range(n_epochs):
        if nact == 0:
            break
        for g in range(G):
            if gact[g] == 0:
                continue
            vb = g * P * 4
            ab = g * nh * 16
            if randomized:
                lanes.draw(st, st, act, Wb, g)
            w = lanes.weights(Wb, g)
            r, u = lanes.forward(Vb, vb, nh, Ab, DAb, ab, True, yb)
            lf, lb = lanes.losses(r, w)
            # per-lane status (as _step)
            for q in range(4):
                L = 4 * g + q
                if act[L] != 0.0:
                    lq = lf[q]
                    lfs[L] = lq
                    if t == 0:
                        fb[L] = lb[q]
                    if not (lq <= 1.0):
                        act[L] = 0.0
                        stat[L] = STATUS_DIVERGED
                    elif lq < target:
                        act[L] = 0.0
                        stat[L] = STATUS_CONVERGED
                    if act[L] == 0.0:
                        done[L] = t
                        gact[g] -= 1
                        nact -= 1
            if gact[g] == 0:
                continue
            # backward and update (as _step), only on running lanes
            lanes.backward(Vb, vb, nh, Ab, DAb, ab, r, u, w, vld(act, 4 * g), vld(EM, 4 * g),
                           True, True)
    for j in range(nb):
        r = r0 + j
        if status[r] == STATUS_RUNNING:
            lanes.get(Vb, P, j, V[r])
            states[r] = st[j]
            status[r] = stat[j]
            epochs[r] += done[j]
            first_batch[r] = fb[j]
            last_full[r] = lfs[j]


@njit(**JIT)
def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


@njit(parallel=True, **JIT)
def gd_ensemble(V, nh, etas, n_epochs, randomized, states, status, epochs, first_batch,
                last_full, target, yb):
    """``n_epochs`` of gradient descent on every replica ``V[r]`` still running.

    Replica r has learning rate ``etas[r]`` and its own stream ``states[r]``, so the result
    does not depend on the number of threads. Updates ``V``, ``states``, ``status`` and adds
    the epochs done to ``epochs``; writes the batch loss of this call's first epoch and the
    last full-batch loss evaluated. Runs blocks of :data:`LANES` replicas in lockstep
    (:func:`_gd_block`); each replica is bit-for-bit what :func:`gd_single` gives.
    """
    R = V.shape[0]
    nblocks = (R + LANES - 1) // LANES
    # prange hands each thread a contiguous range; visiting the blocks in a scattered order
    # (q -> q*a mod nblocks, a coprime to nblocks) spreads replicas that stop early (e.g. a
    # sorted learning-rate scan) over the threads. Results do not depend on the order.
    a = 40503 % nblocks if nblocks > 1 else 1
    while _gcd(a, nblocks) != 1:
        a += 1
    for q in prange(nblocks):
        blk = (q * a) % nblocks
        r0 = blk * LANES
        nb = min(LANES, R - r0)
        _gd_block(V, r0, nb, nh, etas, n_epochs, randomized, states, status, epochs,
                  first_batch, last_full, target, yb)


@njit(**JIT)
def adam_single(v, nh, lr, beta1, beta2, eps, n_epochs, randomized, state, m1, m2, t0, yb):
    """Adam (Kingma & Ba 2015) on one network; ``m1``, ``m2`` moments, ``t0`` steps done.

    Returns (state, epochs done, batch loss of the first epoch, full loss of the last, status).
    """
    P = 4 * nh + 1
    rs = np.uint64(state)
    A, DA, res, dout = scratch(nh)
    w = np.full(4, 0.25)
    g = np.empty(P)
    first_batch = np.nan
    lf = np.nan
    for t in range(n_epochs):
        if randomized:
            rs = draw_batch(rs, w)
        forward4(v, nh, A, DA, res, dout, yb)
        lf = 0.25 * (res[0] ** 2 + res[1] ** 2 + res[2] ** 2 + res[3] ** 2)
        if not (lf <= 1.0):
            return np.int64(rs), t, first_batch, lf, STATUS_DIVERGED
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
    return np.int64(rs), n_epochs, first_batch, lf, STATUS_RUNNING


@njit(**JIT)
def mc_zero_t(v, nh, step, n_sweeps, state, target, yb):
    """Zero-temperature Monte Carlo on one network, in place (:func:`_mc_loop`; for XOR,
    :data:`XOR_BITS`, the loop compiled with the targets folded in, in a function of its own).
    Returns (state, sweeps done, loss, accepted).
    """
    if yb == XOR_BITS:
        return _mc_xor(v, nh, step, n_sweeps, state, target)
    return _mc_loop(v, nh, step, n_sweeps, state, target, yb)


@njit(**JIT)
def _mc_xor(v, nh, step, n_sweeps, state, target):
    return _mc_loop(v, nh, step, n_sweeps, state, target, XOR_BITS)


@njit(**_INL)
def _mc_loop(v, nh, step, n_sweeps, state, target, yb):
    """Zero-temperature Monte Carlo (Sec. II, ref. [21]) on one network, in place.

    One sweep = P proposals; each changes one uniformly chosen parameter by a uniform
    amount in [-step, step] and is kept only if the full-batch loss does not increase.
    Stops early once the loss is below ``target``. Returns (state, sweeps done, loss, accepted).

    The hidden activations are cached: a proposal re-evaluates only the hidden neuron whose
    parameter changed (none for an output-layer parameter) and the output; the loss is
    bit-for-bit :func:`full_loss` of the proposed parameters (tested).
    """
    P = 4 * nh + 1
    rs = np.uint64(state)
    A, DA, res, dout = scratch(nh)
    L = full_loss(v, nh, A, DA, res, dout, yb)
    acc = 0
    a0 = a1 = a2 = a3 = 0.0
    for s in range(n_sweeps):
        if L < target:
            return np.int64(rs), s, L, acc
        for _ in range(P):
            rs, b1 = splitmix64(rs)
            rs, b2 = splitmix64(rs)
            k = int(uniform01(b1) * P)
            old = v[k]
            v[k] = old + step * (2.0 * uniform01(b2) - 1.0)
            if k < 2 * nh:
                i = k // 2
            elif k < 3 * nh:
                i = k - 2 * nh
            else:
                i = -1
            if i >= 0:
                a0 = A[i, 0]
                a1 = A[i, 1]
                a2 = A[i, 2]
                a3 = A[i, 3]
                _hidden_into(v, nh, i, A)
            Ln = _loss_from_hidden(v, nh, A, yb)
            if Ln <= L:
                L = Ln
                acc += 1
            else:
                v[k] = old
                if i >= 0:
                    A[i, 0] = a0
                    A[i, 1] = a1
                    A[i, 2] = a2
                    A[i, 3] = a3
    return np.int64(rs), n_sweeps, L, acc


@njit(parallel=True, **JIT)
def mc_ensemble(V, nh, step, n_sweeps, states, target, loss, sweeps, yb):
    """:func:`mc_zero_t` on every row of ``V`` (independent streams); fills loss, sweeps."""
    for r in prange(V.shape[0]):
        s, done, L, _ = mc_zero_t(V[r], nh, step, n_sweeps, states[r], target, yb)
        states[r] = s
        loss[r] = L
        sweeps[r] += done


@njit(parallel=True, **JIT)
def losses_many(V, nh, out, yb):
    """Full-batch loss of every row of ``V`` (R, P) into ``out`` (R,)."""
    for r in prange(V.shape[0]):
        A, DA, res, dout = scratch(nh)
        out[r] = full_loss(V[r], nh, A, DA, res, dout, yb)
