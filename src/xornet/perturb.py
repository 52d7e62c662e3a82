"""Epoch of convergence after shifting one parameter of solution #1 (Sec. III.B, Fig. 5).

Paper, Sec. III.B: "Epoch of convergence tau_conv is defined as the number of epochs it takes
for the network to converge to solution #1 in Tab. II if one specific parameter is initialized
at [v]_init = [v]_opt + Delta ... Convergence is achieved once the loss, averaged over up to
100 backpropagation runs with the same parameter initializations (different seeds of the random
number generator generate different random batches, though), falls below the threshold value
0.005, and a test with the nonrandomized batch also yields a loss value below this threshold."

What exactly is tested (our reading, documented here once)
----------------------------------------------------------
R replicas start from the same shifted network and run gradient descent (Eq. 6, eta = 0.1)
in lockstep, each with its own randomized batches (own splitmix64 stream). At epoch tau (the
parameters after tau updates) every replica r draws the batch it will learn from and we get
from the same forward pass its randomized-batch loss Lb_r(tau) (Eq. 4 with case counts) and
its nonrandomized full-batch loss Lf_r(tau). Then

    tau_conv = min { tau :  mean_r Lb_r(tau) < threshold  and  mean_r Lf_r(tau) < threshold }.

* "the loss, averaged over ... runs" is the mean over replicas of the loss of the batches they
  actually train on, i.e. of the randomized-batch losses ``Lb_r``.
* "a test with the nonrandomized batch also yields a loss value below this threshold": the
  same replica average, with the full (nonrandomized) batch in place of the random one. We
  average the *losses*, not the parameters: the mean network of replicas has no meaning in
  general, and averaging the same quantity in both tests is the natural reading of "also".
  The full-batch test removes the batch noise from the first test (a lucky set of batches
  cannot fake convergence), which is what "This ensures that the network has indeed
  converged" asks for.
* Note what this implies: a replica stuck with one case wrong has loss ~0.25, so the replica
  mean is below 0.005 only once fewer than ~2 % of the replicas are still unconverged;
  tau_conv is close to the ~98th percentile of the single-replica convergence epochs, not to
  their mean.

Per replica we also keep ``tau_r`` = the first epoch at which its own full-batch loss is below
the threshold (replicas whose own test has not passed keep running after tau_conv until it
passes or the cap is reached). Their median, with a bootstrap confidence interval
(``scipy.stats.bootstrap``), is the band of Fig. 5; their mean (censored at the cap) is kept too.

Runs that never pass the test within ``max_epochs`` updates are recorded with
``converged = False`` and ``tau_conv = max_epochs``; they are never dropped. A replica whose loss
becomes non-finite (divergence; never observed with sigmoids) stops and counts as loss 1 (the
largest loss of Eq. 4) in both averages.

Reproducibility: the replicas of one (parameter, Delta) point advance together inside one
compiled call; the replica sums are accumulated in replica order, and points are independent
(``prange`` over points), so results do not depend on the number of threads or on how the run
is cut into chunks of epochs.
"""

from __future__ import annotations

import logging
import time

import numba
import numpy as np
import pandas as pd
from numba import njit, prange
from scipy import stats as _stats

from . import gates, rng
from . import model as M
from .kernels import (
    _INL,
    JIT,
    XOR_BITS,
    atomic_next,
    backward4,
    draw_batch,
    forward4,
    lanes,
    scratch,
    sig,
    splitmix64,
    vld,
)

log = logging.getLogger("xornet")

ALIVE = 0
DIVERGED = 1


# --------------------------------------------------------------------------- kernels
@njit(**_INL)
def _replica_scratch(nh, P):
    """Work arrays of :func:`_tested_epoch`: those of one forward pass, case weights, gradient."""
    A, DA, res, dout = scratch(nh)
    return A, DA, res, dout, np.empty(4), np.empty(P)


@njit(**_INL)
def _tested_epoch(v, nh, state, S, eta, update, yb):
    """One epoch of one replica (``kernels.forward4``/``backward4``): draws its randomized batch
    from ``state``, evaluates the full-batch and the batch loss of the current parameters and,
    if ``update`` and the loss is finite, steps v <- v - eta g. ``S``: :func:`_replica_scratch`.
    Returns (next state, full-batch loss, batch loss)."""
    A, DA, res, dout, w, g = S
    s = draw_batch(state, w)
    forward4(v, nh, A, DA, res, dout, yb)
    l0 = res[0] * res[0]
    l1 = res[1] * res[1]
    l2 = res[2] * res[2]
    l3 = res[3] * res[3]
    lf = 0.25 * (l0 + l1 + l2 + l3)
    lb = w[0] * l0 + w[1] * l1 + w[2] * l2 + w[3] * l3
    if update and lf <= 1.0:
        backward4(v, nh, w, A, DA, res, dout, g)
        for k in range(v.size):
            v[k] -= eta * g[k]
    return s, lf, lb


@njit(**_INL)
def _test_replica(conv, status, r, t, lf, lb, thr):
    """Replica r in the ensemble test of epoch t, given its full-batch and batch losses: flags
    it diverged if ``lf`` is not finite (or it already was; it then counts as loss 1 in both
    averages) and records its own convergence epoch. Returns its (batch, full-batch) terms."""
    if status[r] == DIVERGED or not (lf <= 1.0):  # NaN or inf
        status[r] = DIVERGED
        return 1.0, 1.0
    if conv[r] < 0 and lf < thr:
        conv[r] = t
    return lb, lf


@njit(**JIT)
def _advance_point(V, states, conv, status, t0, tau, n_epochs, cap, thr, eta, nh, work, yb):
    """Advance the R replicas ``V`` (R, P) of one point by up to ``n_epochs`` epochs.

    ``t0``: epoch of the current parameters; ``tau``: tau_conv so far (-1: not yet);
    ``conv[r]``: replica r's own convergence epoch (-1: not yet). Epochs ``t <= cap`` are
    tested; updates happen only for ``t < cap``. ``work[0]`` counts network-epochs (forward
    passes) done. Returns (epoch reached, tau, still active).
    """
    R = V.shape[0]
    S = _replica_scratch(nh, V.shape[1])
    t = t0
    cnt = 0
    t_stop = min(t0 + n_epochs, cap + 1)
    while t < t_stop:
        need_mean = tau < 0
        sb = 0.0
        sf = 0.0
        for r in range(R):
            if status[r] == DIVERGED:
                sb += 1.0
                sf += 1.0
                continue
            if conv[r] >= 0 and not need_mean:
                continue  # converged and no longer needed for the ensemble average
            cnt += 1
            s, lf, lb = _tested_epoch(V[r], nh, states[r], S, eta, t < cap, yb)
            xb, xf = _test_replica(conv, status, r, t, lf, lb, thr)
            sb += xb
            sf += xf
            if status[r] != DIVERGED:
                states[r] = s
        if need_mean and sb / R < thr and sf / R < thr:
            tau = t
        t += 1
        if tau >= 0:
            done = True
            for r in range(R):
                if conv[r] < 0 and status[r] != DIVERGED:
                    done = False
                    break
            if done:
                work[0] += cnt
                return t, tau, False
    work[0] += cnt
    return t, tau, t <= cap


_THREE = np.uint64(3)
_B2 = np.uint64(2)
_B4 = np.uint64(4)
_B6 = np.uint64(6)


@njit(**JIT)
def _lockstep_soa(V, states, conv, status, t0, n_epochs, cap, thr, eta, nh, S, yb):
    """Lockstep epochs of all R replicas while tau_conv is not reached: the SIMD path.

    ``V`` is (P, R) (structure of arrays), so every stage below is a loop over replicas that
    LLVM vectorises (AVX2: four replicas per instruction); the formulas and their order are
    those of ``kernels.forward4``/``backward4``/``draw_batch`` and the sigmoid is
    ``kernels.sig``. Numba lets LLVM contract a*b+c into FMAs, differently in vector and
    scalar code, so parameters agree with :func:`_advance_point` to rounding (~1e-16), not
    bitwise; convergence epochs agree (tested). ``S`` is scratch (4*nh + 16, R). The replica sums of the
    test are taken in replica order in a separate scalar loop. Returns (epoch, tau, count).
    """
    R = V.shape[1]
    A = S[0:4 * nh]          # a_i for case m at row 4i+m
    DA = S[4 * nh:8 * nh]    # a_i(1-a_i)
    Z = S[8 * nh:8 * nh + 4]  # output pre-activation, then res
    D = S[8 * nh + 4:8 * nh + 8]  # 2 w_m res_m dout_m
    Wc = S[8 * nh + 8:8 * nh + 12]  # case weights c_m / 4
    LF = S[8 * nh + 12]
    LB = S[8 * nh + 13]
    t = t0
    t_stop = min(t0 + n_epochs, cap + 1)
    cnt = 0
    while t < t_stop:
        for r in range(R):
            s, bits = splitmix64(states[r])
            states[r] = s
            k0 = bits & _THREE
            k1 = (bits >> _B2) & _THREE
            k2 = (bits >> _B4) & _THREE
            k3 = (bits >> _B6) & _THREE
            for m in range(4):
                um = np.uint64(m)
                c = 0.0
                if k0 == um:
                    c += 0.25
                if k1 == um:
                    c += 0.25
                if k2 == um:
                    c += 0.25
                if k3 == um:
                    c += 0.25
                Wc[m, r] = c
            b2 = V[4 * nh, r]
            for m in range(4):
                Z[m, r] = b2
        for i in range(nh):
            for r in range(R):
                w0 = V[2 * i, r]
                w1 = V[2 * i + 1, r]
                b = V[2 * nh + i, r]
                w2 = V[3 * nh + i, r]
                s0, c0 = sig(b + 0.0 * w0 + 0.0 * w1)
                s1, c1 = sig(b + 0.0 * w0 + 1.0 * w1)
                s2, c2 = sig(b + 1.0 * w0 + 0.0 * w1)
                s3, c3 = sig(b + 1.0 * w0 + 1.0 * w1)
                A[4 * i, r] = s0
                A[4 * i + 1, r] = s1
                A[4 * i + 2, r] = s2
                A[4 * i + 3, r] = s3
                DA[4 * i, r] = s0 * c0
                DA[4 * i + 1, r] = s1 * c1
                DA[4 * i + 2, r] = s2 * c2
                DA[4 * i + 3, r] = s3 * c3
        for i in range(nh):
            for r in range(R):
                w2 = V[3 * nh + i, r]
                for m in range(4):
                    Z[m, r] += w2 * A[4 * i + m, r]
        for r in range(R):
            s0, c0 = sig(Z[0, r])
            s1, c1 = sig(Z[1, r])
            s2, c2 = sig(Z[2, r])
            s3, c3 = sig(Z[3, r])
            # yhat - y: s for y = 0, -c for y = 1 (bit m of yb; XOR: s0, -c1, -c2, s3)
            e0 = -c0 if yb & 1 else s0
            e1 = -c1 if yb & 2 else s1
            e2 = -c2 if yb & 4 else s2
            e3 = -c3 if yb & 8 else s3
            l0 = e0 * e0
            l1 = e1 * e1
            l2 = e2 * e2
            l3 = e3 * e3
            LF[r] = 0.25 * (l0 + l1 + l2 + l3)
            LB[r] = Wc[0, r] * l0 + Wc[1, r] * l1 + Wc[2, r] * l2 + Wc[3, r] * l3
            D[0, r] = 2.0 * Wc[0, r] * e0 * (s0 * c0)
            D[1, r] = 2.0 * Wc[1, r] * e1 * (s1 * c1)
            D[2, r] = 2.0 * Wc[2, r] * e2 * (s2 * c2)
            D[3, r] = 2.0 * Wc[3, r] * e3 * (s3 * c3)
        # the test of epoch t, in replica order (thread-count independent)
        sb = 0.0
        sf = 0.0
        for r in range(R):
            xb, xf = _test_replica(conv, status, r, t, LF[r], LB[r], thr)
            sb += xb
            sf += xf
        cnt += R
        if t < cap:
            for i in range(nh):
                for r in range(R):
                    w2 = V[3 * nh + i, r]
                    e0 = D[0, r] * w2 * DA[4 * i, r]
                    e1 = D[1, r] * w2 * DA[4 * i + 1, r]
                    e2 = D[2, r] * w2 * DA[4 * i + 2, r]
                    e3 = D[3, r] * w2 * DA[4 * i + 3, r]
                    V[2 * i, r] -= eta * (e2 + e3)
                    V[2 * i + 1, r] -= eta * (e1 + e3)
                    V[2 * nh + i, r] -= eta * (e0 + e1 + e2 + e3)
                    V[3 * nh + i, r] -= eta * (D[0, r] * A[4 * i, r] + D[1, r] * A[4 * i + 1, r]
                                               + D[2, r] * A[4 * i + 2, r]
                                               + D[3, r] * A[4 * i + 3, r])
            for r in range(R):
                V[4 * nh, r] -= eta * (D[0, r] + D[1, r] + D[2, r] + D[3, r])
        tc = t
        t += 1
        if sb / R < thr and sf / R < thr:
            return t, tc, cnt
    return t, -1, cnt


@njit(**JIT)
def _tail(V, states, conv, status, t0, t_stop, cap, thr, eta, nh, yb):
    """After tau_conv: replicas are independent; run each unconverged one alone (forward4 /
    backward4) until its own full-batch loss is below ``thr`` or epoch ``t_stop``."""
    R = V.shape[1]
    P = V.shape[0]
    S = _replica_scratch(nh, P)
    v = np.empty(P)
    cnt = 0
    t_end = t0
    for r in range(R):
        if conv[r] >= 0 or status[r] == DIVERGED:
            continue
        for k in range(P):
            v[k] = V[k, r]
        st = states[r]
        t = t0
        while t < t_stop:
            # the update of epoch t is made in the pass that tests epoch t
            s, lf, _ = _tested_epoch(v, nh, st, S, eta, t < cap, yb)
            cnt += 1
            if not (lf <= 1.0):
                status[r] = DIVERGED
                break
            st = s
            t += 1
            if lf < thr:
                conv[r] = t - 1
                break
        t_end = max(t_end, t)
        states[r] = st
        for k in range(P):
            V[k, r] = v[k]
    return cnt, t_end


@njit(**JIT)
def _advance_point_soa(V, states, conv, status, t0, tau, n_epochs, cap, thr, eta, nh, S,
                       work, yb):
    """Same contract as :func:`_advance_point` with ``V`` as (P, R): SIMD lockstep until
    tau_conv, then each unconverged replica alone."""
    t = t0
    t_stop = min(t0 + n_epochs, cap + 1)
    if tau < 0:
        t, tau, cnt = _lockstep_soa(V, states, conv, status, t, t_stop - t, cap, thr, eta, nh, S,
                                       yb)
        work[0] += cnt
    if tau >= 0:
        if t < t_stop:
            cnt, t_end = _tail(V, states, conv, status, t, t_stop, cap, thr, eta, nh, yb)
            work[0] += cnt
            t = max(t, t_end)
        for r in range(V.shape[1]):
            if conv[r] < 0 and status[r] != DIVERGED:
                return t, tau, t <= cap
        return t, tau, False
    return t, tau, t <= cap


@njit(parallel=True, **JIT)
def advance_points_soa(V, states, conv, status, t_now, tau, active, n_epochs, cap, thr, eta,
                       nh, work, yb):
    """:func:`_advance_point_soa` for every active point; ``V`` is (N, P, R)."""
    R = V.shape[2]
    for p in prange(V.shape[0]):
        if not active[p]:
            continue
        S = np.empty((8 * nh + 14, R))
        t, tc, act = _advance_point_soa(V[p], states[p], conv[p], status[p], t_now[p], tau[p],
                                        n_epochs, cap, thr, eta, nh, S, work[p], yb)
        t_now[p] = t
        tau[p] = tc
        active[p] = act


@njit(parallel=True, **JIT)
def advance_points(V, states, conv, status, t_now, tau, active, n_epochs, cap, thr, eta, nh,
                   work, yb):
    """:func:`_advance_point` for every active point ``p`` (arrays indexed [p, replica, ...]).

    Points are independent, so ``prange`` over them is thread-count invariant.
    """
    for p in prange(V.shape[0]):
        if not active[p]:
            continue
        t, tc, act = _advance_point(V[p], states[p], conv[p], status[p], t_now[p], tau[p],
                                    n_epochs, cap, thr, eta, nh, work[p], yb)
        t_now[p] = t
        tau[p] = tc
        active[p] = act


# ------------------------------------------------------------------ 4-lane production kernel
#: Replicas per work unit of the production kernel (two AVX2 vectors, as kernels.LANES).
BLOCK = 8
#: Epochs of the first lockstep call of a point; later calls grow with the epoch reached.
K_MIN = 64
#: Cap on the per-epoch loss buffers of the lockstep test (float64 values per buffer: 8 MB,
#: kept in cache and reused from call to call).
BUF_VALUES = 1 << 20


@njit(inline="always", **JIT)
def _lane_block(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, lockstep,
                LF, LB, slot, yb):
    """Epochs ``t0 .. t_stop-1`` of replicas ``r0 .. r0+nb-1`` (nb <= BLOCK) of point ``p``,
    one replica per SIMD lane (``kernels.sig4`` and the 4-lane helpers).

    ``lockstep``: every replica is tested and updated each epoch; its full-batch and batch
    losses go to ``LF[slot, t - t0, r]``, ``LB[...]`` (1.0 for a diverged replica) for the
    replica-ordered ensemble test (:func:`_first_tau`); the arithmetic is exactly that of
    :func:`_lockstep_soa` (unfused output sum and gradient of w^(2)). Otherwise (after
    tau_conv): only replicas not yet converged run, each until its own full-batch loss is
    below ``thr``; the arithmetic is exactly that of :func:`_tail` (``kernels.forward4`` /
    ``backward4``: fused). Each lane thus does bit for bit what those scalar loops do, for
    finite parameters. Returns (network-epochs done, largest epoch reached by a lane).
    """
    G = BLOCK // 4
    P = 4 * nh + 1
    Vb, Ab, DAb, Wb = lanes.arrays(G, nh)
    act = np.zeros(G * 4)
    upd = np.zeros(G * 4)
    st = np.zeros(G * 4, dtype=np.uint64)
    sn = np.zeros(G * 4, dtype=np.uint64)
    tend = np.full(G * 4, t0, dtype=np.int64)
    cv = np.full(G * 4, -1, dtype=np.int64)  # conv and status of the lanes (local copies)
    stt = np.zeros(G * 4, dtype=np.int64)
    gact = np.zeros(G, dtype=np.int64)
    nact = 0
    for j in range(nb):
        r = r0 + j
        lanes.put(Vb, P, j, V[p, r])
        st[j] = states[p, r]
        cv[j] = conv[p, r]
        stt[j] = status[p, r]
        if lockstep or (cv[j] < 0 and stt[j] != DIVERGED):
            act[j] = 1.0
            upd[j] = 1.0
            gact[j // 4] += 1
            nact += 1
    e4 = (eta, eta, eta, eta)
    cnt = 0
    t = t0
    while t < t_stop and nact > 0:
        for g in range(G):
            if gact[g] == 0:
                continue
            vb = g * P * 4
            ab = g * nh * 16
            lanes.draw(st, sn, act, Wb, g)
            w = lanes.weights(Wb, g)
            # as _lockstep_soa (output sum and w^(2) gradient unfused) or as _tail (fused)
            res, u = lanes.forward(Vb, vb, nh, Ab, DAb, ab, not lockstep, yb)
            lf, lb = lanes.losses(res, w)
            if lockstep:
                k_row = t - t0
                for q in range(4):
                    L = 4 * g + q
                    if L < nb:
                        r = r0 + L
                        lq = lf[q]  # (as _test_replica, written out: 25 % faster here)
                        if stt[L] == DIVERGED or not (lq <= 1.0):
                            stt[L] = DIVERGED
                            LF[slot, k_row, r] = 1.0
                            LB[slot, k_row, r] = 1.0
                        else:
                            if cv[L] < 0 and lq < thr:
                                cv[L] = t
                            LF[slot, k_row, r] = lq
                            LB[slot, k_row, r] = lb[q]
                        st[L] = sn[L]
                        cnt += 1
            else:
                for q in range(4):
                    L = 4 * g + q
                    upd[L] = 0.0
                    if act[L] != 0.0:
                        cnt += 1
                        lq = lf[q]
                        if not (lq <= 1.0):
                            stt[L] = DIVERGED
                            act[L] = 0.0
                            tend[L] = t
                            gact[g] -= 1
                            nact -= 1
                        else:
                            st[L] = sn[L]
                            upd[L] = 1.0
                            if lq < thr:
                                cv[L] = t
                if gact[g] == 0 and upd[4 * g] + upd[4 * g + 1] + upd[4 * g + 2] \
                        + upd[4 * g + 3] == 0.0:
                    continue
            if t < cap:
                lanes.backward(Vb, vb, nh, Ab, DAb, ab, res, u, w, vld(upd, 4 * g), e4,
                               not lockstep, False)
            if not lockstep:
                for q in range(4):
                    L = 4 * g + q
                    if act[L] != 0.0 and cv[L] >= 0:
                        act[L] = 0.0
                        tend[L] = t + 1
                        gact[g] -= 1
                        nact -= 1
        t += 1
    t_max = t0
    for j in range(nb):
        if act[j] != 0.0:
            tend[j] = t
        if tend[j] > t_max:
            t_max = tend[j]
        r = r0 + j
        lanes.get(Vb, P, j, V[p, r])
        states[p, r] = st[j]
        conv[p, r] = cv[j]
        status[p, r] = stt[j]
    return cnt, t_max


@njit(**JIT)
def _lane_lockstep(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, LF, LB,
                   slot, yb):
    """:func:`_lane_block` before tau_conv (compiled with the lockstep branches folded; for XOR,
    ``kernels.XOR_BITS``, with the targets folded in, in a function of its own)."""
    if yb == XOR_BITS:
        return _lane_lockstep_xor(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta,
                                  nh, LF, LB, slot)
    return _lane_block(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, True,
                       LF, LB, slot, yb)


@njit(**JIT)
def _lane_lockstep_xor(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, LF,
                       LB, slot):
    return _lane_block(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, True,
                       LF, LB, slot, XOR_BITS)


@njit(**JIT)
def _lane_tail(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, LF, LB, yb):
    """:func:`_lane_block` after tau_conv (XOR in a function of its own, as
    :func:`_lane_lockstep`)."""
    if yb == XOR_BITS:
        return _lane_tail_xor(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh,
                              LF, LB)
    return _lane_block(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, False,
                       LF, LB, 0, yb)


@njit(**JIT)
def _lane_tail_xor(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, LF, LB):
    return _lane_block(V, states, conv, status, p, r0, nb, t0, t_stop, cap, thr, eta, nh, False,
                       LF, LB, 0, XOR_BITS)


@njit(parallel=True, **JIT)
def advance_units(V, states, conv, status, U, cap, thr, eta, nh, LF, LB, out, counter,
                  n_workers, yb):
    """Run the work units ``U`` (rows: point, first replica, replicas, t0, t_stop, slot;
    slot >= 0: lockstep, buffer slot; -1: after tau_conv) with :func:`_lane_block`.

    ``n_workers`` threads pull units from one queue (``counter``, atomic), so both cores stay
    busy to the last unit whatever the threading layer; units touch disjoint replicas, so the
    result does not depend on which thread ran which. ``out[u]`` = (network-epochs, epoch
    reached).
    """
    n = U.shape[0]
    for _w in prange(n_workers):
        while True:
            u = atomic_next(counter)
            if u >= n:
                break
            if U[u, 5] >= 0:
                cnt, te = _lane_lockstep(V, states, conv, status, U[u, 0], U[u, 1], U[u, 2],
                                         U[u, 3], U[u, 4], cap, thr, eta, nh, LF, LB, U[u, 5], yb)
            else:
                cnt, te = _lane_tail(V, states, conv, status, U[u, 0], U[u, 1], U[u, 2],
                                     U[u, 3], U[u, 4], cap, thr, eta, nh, LF, LB, yb)
            out[u, 0] = cnt
            out[u, 1] = te


@njit(parallel=True, **JIT)
def first_tau(LF, LB, n_ep, R, thr, kstar):
    """Per buffer slot s: the first row k < n_ep[s] at which the replica means of the batch and
    full-batch losses (summed in replica order, as :func:`_lockstep_soa`) are both below
    ``thr``; -1 if none."""
    for s in prange(LF.shape[0]):
        kstar[s] = -1
        for k in range(n_ep[s]):
            sb = 0.0
            sf = 0.0
            for r in range(R):
                sb += LB[s, k, r]
                sf += LF[s, k, r]
            if sb / R < thr and sf / R < thr:
                kstar[s] = k
                break


# --------------------------------------------------------------------------- drivers
def delta_grid(dmin: float, dmax: float, step: float) -> np.ndarray:
    """dmin, dmin+step, ..., dmax (rounded to 1e-9, so 0 is exactly 0 when on the grid)."""
    n = int(round((dmax - dmin) / step)) + 1
    if n < 1:
        raise ValueError("empty Delta grid")
    return np.round(dmin + step * np.arange(n), 9) + 0.0


def stream_label(reference: str, param: str, delta: float) -> str:
    """RNG stream of one (parameter, Delta) point: same point, same batches, in any run."""
    return f"perturbation/{reference}/{param}/{delta:+.6f}"


def start_networks(v_ref, param: str, deltas, n_h: int) -> np.ndarray:
    """Networks (len(deltas), P): v_ref with parameter ``param`` shifted by each Delta."""
    k = M.param_index(param, n_h)
    V0 = np.repeat(np.asarray(v_ref, float)[None, :], len(deltas), axis=0)
    V0[:, k] += np.asarray(deltas, float)
    return V0


def _log_progress(name, N, active, tau, t_now, max_epochs, R, net_epochs, t0, now):
    el = now - t0
    rate = net_epochs / el if el > 0 else float("nan")
    act = int(active.sum())
    worst = float(((max_epochs + 1 - t_now[active]) * R).sum()) if act else 0.0
    log.info("%s points %d/%d finished (%d converged), epoch max %d/%d, %.3g network-"
             "epochs/s, elapsed %.0f s, ETA <= %.0f s", name, N - act, N,
             int((tau >= 0).sum()), int(t_now.max(initial=0)), max_epochs, rate, el,
             worst / rate if rate > 0 else float("nan"))


def _point_arrays(N, R, seed, labels):
    """Per point and replica: streams, own convergence epoch (-1: not yet), status; per point:
    epoch reached, tau_conv (-1: not yet), still running."""
    states = np.stack([rng.replica_states(seed, R, lab) for lab in labels]) if N else \
        np.zeros((0, R), np.uint64)
    return (states, np.full((N, R), -1, np.int64), np.zeros((N, R), np.int8),
            np.zeros(N, np.int64), np.full(N, -1, np.int64), np.ones(N, np.bool_))


def _run_points_lanes(V0, n_h, labels, R, eta, max_epochs, threshold, seed, chunk_epochs,
                      progress_seconds, name, on_finished, gate="xor"):
    """:func:`run_points` on the production kernel: work units of :data:`BLOCK` replicas
    (:func:`advance_units`) shared by all threads, so a job keeps every thread busy until its
    last point, also when one point is left.

    Before tau_conv a point's blocks run ``K`` epochs ahead of the ensemble test, which then
    scans the buffered losses in replica order (:func:`first_tau`); if tau_conv falls inside
    those ``K`` epochs, the point is restored to its state before them and rerun exactly to
    tau_conv (at most ``K`` <= epochs so far / 4 + :data:`K_MIN` extra epochs; not counted in
    ``net_epochs``). Every replica follows its own stream and its own arithmetic, so all
    results equal :func:`advance_points_soa`'s bit for bit, whatever the threads, chunks or
    ``K``.
    """
    N, P = V0.shape
    cap = int(max_epochs)
    thr = float(threshold)
    chunk = max(int(chunk_epochs), 1)
    V = np.ascontiguousarray(np.repeat(V0[:, None, :], R, axis=1))  # (N, R, P)
    states, conv, status, t_now, tau, active = _point_arrays(N, R, seed, labels)
    work = np.zeros(N, np.int64)
    blocks = [(b, min(BLOCK, R - b)) for b in range(0, R, BLOCK)]
    n_workers = numba.get_num_threads()
    yb = gates.bits(gate)
    t0 = time.perf_counter()
    last = t0
    bufs = [np.empty(0), np.empty(0)]

    def buffers(n_slots, kmax):
        need = n_slots * kmax * R
        if bufs[0].size < need:
            bufs[0], bufs[1] = np.empty(need), np.empty(need)
        return (bufs[0][:need].reshape(n_slots, kmax, R), bufs[1][:need].reshape(n_slots, kmax, R))

    def running(p):
        return (conv[p] < 0) & (status[p] != DIVERGED)

    def launch(U, LF, LB):
        U = np.asarray(U, np.int64).reshape(-1, 6)
        cost = np.array([u[2] * (u[4] - u[3]) for u in U]) if len(U) else np.zeros(0)
        order = np.argsort(-cost, kind="stable")  # longest first, then pulled dynamically
        U = np.ascontiguousarray(U[order])
        out = np.zeros((len(U), 2), np.int64)
        if len(U):
            advance_units(V, states, conv, status, U, cap, thr, float(eta), int(n_h), LF, LB,
                          out, np.zeros(1, np.int64), n_workers, yb)
        res = np.empty_like(out)
        res[order] = out
        return res

    while active.any():
        lock = np.flatnonzero(active & (tau < 0))
        tail = np.flatnonzero(active & (tau >= 0))
        K = np.zeros(0, np.int64)
        units = []
        if lock.size:
            K = np.maximum(t_now[lock] // 4, K_MIN)
            K = np.minimum(K, chunk)
            K = np.minimum(K, max(BUF_VALUES // (R * lock.size), 1))
            K = np.maximum(np.minimum(K, cap + 1 - t_now[lock]), 1)
            snap = (V[lock].copy(), states[lock].copy(), conv[lock].copy(), status[lock].copy())
            for s, p in enumerate(lock):
                units += [(p, b, nb, t_now[p], t_now[p] + K[s], s) for b, nb in blocks]
        tail_units = []
        for p in tail:
            run = running(p)
            t_stop = min(int(t_now[p]) + chunk, cap + 1)
            tail_units += [(p, b, nb, t_now[p], t_stop, -1) for b, nb in blocks
                           if run[b:b + nb].any()]
        kmax = int(K.max()) if K.size else 1
        LF, LB = buffers(max(lock.size, 1), kmax)
        res = launch(units + tail_units, LF, LB)
        was_active = active.copy()
        if lock.size:
            kstar = np.empty(lock.size, np.int64)
            first_tau(LF, LB, K, R, thr, kstar)
            found = np.flatnonzero(kstar >= 0)
            for s in np.flatnonzero(kstar < 0):
                p = lock[s]
                t_now[p] += K[s]
                work[p] += R * K[s]
                active[p] = t_now[p] <= cap
            if found.size:  # back to the state before this call, then exactly to tau_conv
                pts = lock[found]
                V[pts], states[pts] = snap[0][found], snap[1][found]
                conv[pts], status[pts] = snap[2][found], snap[3][found]
                rerun = []
                for s in found:
                    p = lock[s]
                    rerun += [(p, b, nb, t_now[p], t_now[p] + kstar[s] + 1, s) for b, nb in blocks]
                launch(rerun, LF, LB)
                for s in found:
                    p = lock[s]
                    tau[p] = t_now[p] + kstar[s]
                    work[p] += R * (kstar[s] + 1)
                    t_now[p] += kstar[s] + 1
                    active[p] = t_now[p] <= cap and running(p).any()
        if tail.size:
            tres = res[len(units):]
            t_end = t_now.copy()
            for (p, *_), (cnt, te) in zip(tail_units, tres, strict=True):
                work[p] += cnt
                t_end[p] = max(t_end[p], te)
            for p in tail:
                t_now[p] = t_end[p]
                active[p] = t_now[p] <= cap and running(p).any()
        newly = np.flatnonzero(was_active & ~active)
        if on_finished is not None and newly.size:
            on_finished(newly, tau, t_now, conv, status, V, work)
        now = time.perf_counter()
        if now - last >= progress_seconds or not active.any():
            last = now
            _log_progress(name, N, active, tau, t_now, max_epochs, R, int(work.sum()), t0, now)
    return {"tau": tau, "epochs": t_now - 1, "conv": conv, "status": status, "V": V,
            "net_epochs": int(work.sum()), "work": work, "seconds": time.perf_counter() - t0}


def run_points(V0, n_h: int, labels, *, n_replicas: int, eta: float, max_epochs: int,
               threshold: float, seed: int, chunk_epochs: int = 1 << 16,
               progress_seconds: float = 20.0, name: str = "", kernel: str = "lanes",
               on_finished=None, gate: str = "xor"):
    """Run the lockstep replica ensembles of several points (rows of ``V0``) to the end.

    Returns a dict: ``tau`` (-1 = not converged), ``epochs`` (last epoch tested),
    ``conv`` (R per point; -1 = not converged), ``status``, ``V`` (final replicas, (N, R, P)),
    ``net_epochs`` (network-epochs computed), ``work`` (per point), ``seconds``. ``kernel``:
    ``lanes`` (production: blocks of replicas in SIMD lanes shared by all threads,
    :func:`_run_points_lanes`), ``soa`` (:func:`advance_points_soa`, SIMD over replicas by
    LLVM's loop vectoriser, one point per thread; same results bit for bit) or ``aos``
    (:func:`advance_points`, one replica at a time through ``kernels.forward4/backward4``; the
    reference). ``on_finished(idx, tau, t_now, conv, status, V, work)`` (``lanes`` only) is
    called whenever points ``idx`` have finished (checkpoints).
    """
    V0 = np.asarray(V0, float)
    N, P = V0.shape
    R = int(n_replicas)
    if kernel == "lanes":
        return _run_points_lanes(V0, n_h, labels, R, eta, max_epochs, threshold, seed,
                                 chunk_epochs, progress_seconds, name, on_finished, gate)
    V = np.ascontiguousarray(np.repeat(V0[:, :, None], R, axis=2))  # (N, P, R)
    states, conv, status, t_now, tau, active = _point_arrays(N, R, seed, labels)
    work = np.zeros((N, 1), np.int64)
    if kernel not in ("soa", "aos"):
        raise ValueError(f"kernel must be lanes, soa or aos, got {kernel!r}")
    Vaos = np.ascontiguousarray(V.transpose(0, 2, 1)) if kernel == "aos" else None
    t0 = time.perf_counter()
    last = t0
    while active.any():
        with numba.parallel_chunksize(1):  # dynamic scheduling: points differ wildly in cost
            args = (states, conv, status, t_now, tau, active, int(chunk_epochs), int(max_epochs),
                    float(threshold), float(eta), int(n_h), work, gates.bits(gate))
            if kernel == "soa":
                advance_points_soa(V, *args)
            else:
                advance_points(Vaos, *args)
        net_epochs = int(work.sum())
        now = time.perf_counter()
        if now - last >= progress_seconds or not active.any():
            last = now
            _log_progress(name, N, active, tau, t_now, max_epochs, R, net_epochs, t0, now)
    V = np.ascontiguousarray(V.transpose(0, 2, 1)) if kernel == "soa" else Vaos  # (N, R, P)
    return {"tau": tau, "epochs": t_now - 1, "conv": conv, "status": status, "V": V,
            "net_epochs": int(work.sum()), "work": work[:, 0], "seconds": time.perf_counter() - t0}


def logic_codes(V, n_h: int) -> np.ndarray:
    """Symmetry class of each network in ``V`` (..., P), as sorted hidden-neuron truth tables.

    Vectorised equivalent of :func:`xornet.model.hidden_logic`: neurons with negative output
    weight are flipped (bits complemented) and the 4-bit codes are sorted.
    """
    V = np.asarray(V, float)
    a1, _ = M.forward(V, n_h)  # (..., 4, n_h)
    bits = a1 >= 0.5
    flip = M.unpack(V, n_h)[2] < 0  # (..., n_h)
    bits = bits ^ flip[..., None, :]
    weights = (1 << np.arange(3, -1, -1))[:, None]  # case (0,0) is the most significant bit
    codes = (bits * weights).sum(axis=-2)
    return np.sort(codes, axis=-1)


def bootstrap_ci(x, statistic, *, n_resamples: int, confidence: float, seed: int,
                 label: str):
    """(estimate, low, high) of ``statistic`` of ``x`` with a percentile bootstrap.

    Uses ``scipy.stats.bootstrap`` with its own stream ``label``; constant data give a
    zero-width interval (the bootstrap distribution is degenerate).
    """
    x = np.asarray(x, float)
    est = float(statistic(x, axis=-1))
    if x.size < 2 or np.all(x == x[0]):
        return est, est, est
    res = _stats.bootstrap((x,), statistic, n_resamples=int(n_resamples),
                           confidence_level=float(confidence), method="percentile",
                           vectorized=True, rng=rng.generator(seed, label))
    return est, float(res.confidence_interval.low), float(res.confidence_interval.high)


def summarise(param: str, deltas, out: dict, v_start, ref_codes, n_h: int, *, phase: str,
              max_epochs: int, bootstrap: dict, seed: int, reference: str, gate: str = "xor"):
    """Rows of datasets ``perturb_points`` and ``perturb_replicas`` for run_points output."""
    R = out["conv"].shape[1]
    codes = logic_codes(out["V"], n_h)  # (N, R, n_h)
    same = np.all(codes == np.asarray(ref_codes)[None, None, :], axis=-1)
    full0 = M.loss(np.asarray(v_start, float), n_h, gate=gate)
    pts, reps = [], []
    for i, d in enumerate(deltas):
        conv = out["conv"][i]
        ok = conv >= 0
        ep = np.where(ok, conv, max_epochs).astype(float)
        lab = stream_label(reference, param, float(d))
        med = bootstrap_ci(ep, np.median, n_resamples=bootstrap["n_resamples"],
                           confidence=bootstrap["confidence"], seed=seed, label=lab + "/median")
        mean = bootstrap_ci(ep, np.mean, n_resamples=bootstrap["n_resamples"],
                            confidence=bootstrap["confidence"], seed=seed, label=lab + "/mean")
        tau = int(out["tau"][i])
        pts.append({
            "param": param, "delta": float(d), "phase": phase,
            "tau_conv": tau if tau >= 0 else int(max_epochs), "converged": tau >= 0,
            "epochs_run": int(out["epochs"][i]), "n_replicas": int(R),
            "n_replicas_converged": int(ok.sum()),
            "n_replicas_diverged": int((out["status"][i] == DIVERGED).sum()),
            "frac_same_class": float(same[i][ok].mean()) if ok.any() else float("nan"),
            "initial_full_loss": float(full0[i]),
            "median_replica_epoch": med[0], "median_ci_low": med[1], "median_ci_high": med[2],
            "mean_replica_epoch": mean[0], "mean_ci_low": mean[1], "mean_ci_high": mean[2],
        })
        for r in range(R):
            reps.append({"param": param, "delta": float(d), "phase": phase, "replica": r,
                         "conv_epoch": int(conv[r]) if ok[r] else int(max_epochs),
                         "converged": bool(ok[r]), "same_class": bool(same[i, r])})
    return pts, reps


def plateau_brackets(deltas, tau, converged, tau0: int):
    """Grid brackets of the plateau around Delta = 0 where tau_conv == tau0 (converged).

    Returns ((lo_in, lo_out), (hi_in, hi_out)): for each side the last grid Delta still on the
    plateau and the first one off it (None when the plateau reaches the end of the grid).
    """
    d = np.asarray(deltas, float)
    on = (np.asarray(tau) == tau0) & np.asarray(converged, bool)
    order = np.argsort(d)
    d, on = d[order], on[order]
    i0 = int(np.argmin(np.abs(d)))
    if d[i0] != 0.0 or not on[i0]:
        raise ValueError("the Delta grid must contain 0 with tau_conv(0) = tau0")
    out = []
    for step in (-1, +1):
        i = i0
        while 0 <= i + step < d.size and on[i + step]:
            i += step
        j = i + step
        out.append((float(d[i]), float(d[j]) if 0 <= j < d.size else None))
    return tuple(out)


#: Config keys of section ``perturbation`` that determine a Fig. 5 result (with ``threshold``
#: and ``seed``); the others (chunk_epochs, grid_parts, checkpoint_seconds, threads, runtime)
#: are operational and never reach an output file.
OUTPUT_KEYS = ("reference", "delta", "n_replicas", "eta", "max_epochs", "plateau_resolution",
               "bootstrap")


def output_config(cfg: dict, threshold: float) -> dict:
    """The part of the perturbation config stored as provenance (output-determining only)."""
    return {**{k: cfg[k] for k in OUTPUT_KEYS}, "threshold": float(threshold)}


def grid_deltas(cfg: dict) -> np.ndarray:
    """The Delta grid of config ``cfg`` (``delta``: min, max, step), with 0 added if missed."""
    g = cfg["delta"]
    deltas = delta_grid(g["min"], g["max"], g["step"])
    if not np.any(deltas == 0.0):
        deltas = np.sort(np.append(deltas, 0.0))
    return deltas


def part_indices(n: int, part: int, parts: int) -> np.ndarray:
    """Grid indices of job ``part`` of ``parts``: every ``parts``-th point (interleaved, so
    the costly non-converging points at large |Delta| are shared evenly among the parts)."""
    if not (0 <= part < parts):
        raise ValueError(f"part {part} out of range for {parts} parts")
    return np.arange(part, n, parts)


_RESULT_KEYS = ("tau", "epochs", "conv", "status", "V", "work")


class PointCheckpoint:
    """Finished (parameter, Delta) points of one job, kept in an ``.npz`` file so a killed job
    resumes where it was (issue 13).

    A point's result depends only on its stream label and the run constants (``key``), never
    on which other points ran beside it, so resuming with the stored points and computing the
    rest gives outputs identical to an uninterrupted run. Written atomically (temporary file,
    fsync, rename) at most every ``seconds`` and by :meth:`flush`; a file that cannot be read,
    has the wrong shapes or belongs to other run constants is logged and discarded.
    """

    def __init__(self, path, key: dict, *, seconds: float = 30.0, logger=None):
        from pathlib import Path

        self.path = Path(path) if path else None
        self.key = _key_hash(key)
        self.seconds = float(seconds)
        self.log = logger or log
        self.points: dict[str, dict] = {}
        self._last = time.perf_counter()
        self._dirty = False
        if self.path is not None:
            self._load()

    def _load(self):
        import zipfile

        if not self.path.exists():
            return
        try:
            with np.load(self.path, allow_pickle=False) as z:
                if str(z["key"]) != self.key:
                    self.log.warning("checkpoint %s belongs to other run constants; discarded",
                                     self.path)
                    self.path.unlink(missing_ok=True)
                    return
                labels = [str(x) for x in z["labels"]]
                arrs = {k: z[k] for k in _RESULT_KEYS}
            n = len(labels)
            if any(a.shape[0] != n for a in arrs.values()) or arrs["conv"].ndim != 2 \
                    or arrs["V"].ndim != 3 or len(set(labels)) != n:
                raise ValueError("inconsistent arrays")
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
            self.log.warning("unreadable checkpoint %s (%s); discarded, starting afresh",
                             self.path, err)
            self.path.unlink(missing_ok=True)
            return
        for i, lab in enumerate(labels):
            self.points[lab] = {k: arrs[k][i] for k in _RESULT_KEYS}
        self.log.info("checkpoint %s: %d finished points resumed", self.path, n)

    def add(self, label: str, res: dict):
        self.points[label] = {k: np.array(res[k]) for k in _RESULT_KEYS}
        self._dirty = True
        if time.perf_counter() - self._last >= self.seconds:
            self.flush()

    def flush(self):
        import os

        self._last = time.perf_counter()
        if self.path is None or not self._dirty or not self.points:
            return
        labels = list(self.points)
        arrs = {k: np.stack([self.points[lab][k] for lab in labels]) for k in _RESULT_KEYS}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, key=np.array(self.key), labels=np.array(labels), **arrs)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self._dirty = False

    def remove(self):
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _key_hash(obj) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=float).encode()).hexdigest()


def run_constants(v_ref, param: str, n_h: int, cfg: dict, *, threshold: float, seed: int,
                  reference: str, gate: str = "xor") -> dict:
    """Everything a point's result depends on besides its Delta (the checkpoint key)."""
    return {"gate": gate, "v_ref": [float(x) for x in np.asarray(v_ref, float)], "param": param, "n_h": n_h,
            "n_replicas": int(cfg["n_replicas"]), "eta": float(cfg["eta"]),
            "max_epochs": int(cfg["max_epochs"]), "threshold": float(threshold),
            "seed": int(seed), "reference": reference, "results": "perturb-points-v1"}


def run_labelled(v_ref, param: str, deltas, n_h: int, cfg: dict, *, threshold: float,
                 seed: int, reference: str, name: str, checkpoint: PointCheckpoint | None = None,
                 progress_seconds: float = 20.0, gate: str = "xor"):
    """:func:`run_points` for the points ``deltas`` of ``param``, skipping those already in
    ``checkpoint`` and adding each point to it when it finishes. Returns run_points' dict
    (``seconds``: this call's time) for all ``deltas`` in order."""
    deltas = np.asarray(deltas, float)
    labels = [stream_label(reference, param, float(d)) for d in deltas]
    # checkpoint keys: the stream label and the exact Delta (labels print 6 decimals, a fine
    # bisection can put two points on one label)
    keys = [f"{lab} {float(d)!r}" for lab, d in zip(labels, deltas, strict=True)]
    have = checkpoint.points if checkpoint is not None else {}
    todo = [i for i, key in enumerate(keys) if key not in have]
    R = int(cfg["n_replicas"])
    out = {"seconds": 0.0}
    res = None
    if todo:
        V0 = start_networks(v_ref, param, deltas[todo], n_h)
        todo_labels = [labels[i] for i in todo]

        def on_finished(idx, tau, t_now, conv, status, V, work):
            if checkpoint is None:
                return
            for i in idx:
                checkpoint.add(keys[todo[i]], {"tau": tau[i], "epochs": t_now[i] - 1,
                                                "conv": conv[i], "status": status[i],
                                                "V": V[i], "work": work[i]})

        res = run_points(V0, n_h, todo_labels, n_replicas=R, eta=cfg["eta"],
                         max_epochs=cfg["max_epochs"], threshold=threshold, seed=seed,
                         chunk_epochs=cfg.get("chunk_epochs", 1 << 16),
                         progress_seconds=progress_seconds, name=name, on_finished=on_finished,
                         gate=gate)
        out["seconds"] = res["seconds"]
        if checkpoint is not None:
            checkpoint.flush()
    pos = {i: j for j, i in enumerate(todo)}
    for k in _RESULT_KEYS:
        rows = [res[k][pos[i]] if i in pos else have[keys[i]][k] for i in range(len(labels))]
        out[k] = np.stack(rows) if rows else np.zeros(0)
    out["net_epochs"] = int(np.sum(out["work"])) if len(labels) else 0
    return out


def sweep_grid(v_ref, param: str, n_h: int, cfg: dict, *, threshold: float, seed: int,
               reference: str, part: int = 0, parts: int = 1,
               checkpoint: PointCheckpoint | None = None, progress_seconds: float = 20.0,
               gate: str = "xor"):
    """Grid points of job ``part`` of ``parts`` (:func:`part_indices`) of the Fig. 5 Delta
    grid of ``param``. Returns (points frame, replicas frame, cost dict)."""
    deltas = grid_deltas(cfg)[part_indices(len(grid_deltas(cfg)), part, parts)]
    if deltas.size == 0:
        raise ValueError(f"{param}: grid part {part} of {parts} is empty; perturbation.grid_parts "
                         f"must not exceed the {len(grid_deltas(cfg))} grid points")
    out = run_labelled(v_ref, param, deltas, n_h, cfg, threshold=threshold, seed=seed,
                       reference=reference, name=f"{param} grid {part + 1}/{parts}:",
                       checkpoint=checkpoint, progress_seconds=progress_seconds, gate=gate)
    V0 = start_networks(v_ref, param, deltas, n_h)
    pts, reps = summarise(param, deltas, out, V0, logic_codes(np.asarray(v_ref, float), n_h),
                          n_h, phase="grid", max_epochs=cfg["max_epochs"],
                          bootstrap=cfg["bootstrap"], seed=seed, reference=reference, gate=gate)
    return (pd.DataFrame(pts), pd.DataFrame(reps),
            {"net_epochs": out["net_epochs"], "seconds": out["seconds"]})


def merge_grid_parts(points: list, replicas: list):
    """The grid frames of all parts in grid order (as one unsplit job writes them)."""
    pts = pd.concat(points, ignore_index=True)
    reps = pd.concat(replicas, ignore_index=True)
    pts = pts.sort_values("delta", kind="stable").reset_index(drop=True)
    reps = reps.sort_values(["delta", "replica"], kind="stable").reset_index(drop=True)
    if pts["delta"].duplicated().any():
        raise ValueError("grid parts overlap: a Delta point appears twice")
    return pts, reps


def bisect_plateau(v_ref, param: str, n_h: int, cfg: dict, grid_points: pd.DataFrame, *,
                   threshold: float, seed: int, reference: str,
                   checkpoint: PointCheckpoint | None = None, progress_seconds: float = 20.0,
                   gate: str = "xor"):
    """Plateau-edge bisection from the grid results: both sides at once (two points per
    kernel call) until each bracket is narrower than ``plateau_resolution``.

    Returns (bisection points frame, replicas frame, plateau frame, cost dict).
    """
    deltas = grid_points["delta"].to_numpy(float)
    tau = np.where(grid_points["converged"].to_numpy(bool),
                   grid_points["tau_conv"].to_numpy(np.int64), -1)
    i0 = np.flatnonzero(deltas == 0.0)
    if i0.size != 1:
        raise ValueError(f"{param}: the Delta grid must contain 0 exactly once")
    tau0 = int(tau[i0[0]])
    if tau0 < 0:
        raise RuntimeError(f"{param}: the unshifted reference does not converge within the cap")
    ref_codes = logic_codes(np.asarray(v_ref, float), n_h)
    summ = dict(max_epochs=cfg["max_epochs"], bootstrap=cfg["bootstrap"], seed=seed,
                reference=reference, gate=gate)
    (lo_in, lo_out), (hi_in, hi_out) = plateau_brackets(deltas, tau, tau >= 0, tau0)
    brackets = [[lo_in, lo_out], [hi_in, hi_out]]
    res = float(cfg["plateau_resolution"])
    pts, reps = [], []
    cost = {"net_epochs": 0, "seconds": 0.0}
    n_bis = 0
    while True:
        # bound (issue 13): a bracket whose rounded midpoint is an end cannot shrink any more
        todo = [k for k, (a, b) in enumerate(brackets) if b is not None and abs(b - a) > res
                and round(0.5 * (a + b), 9) not in (a, b)]
        if not todo:
            break
        mids = np.array([round(0.5 * (brackets[k][0] + brackets[k][1]), 9) for k in todo])
        ob = run_labelled(v_ref, param, mids, n_h, cfg, threshold=threshold, seed=seed,
                          reference=reference, name=f"{param} bisect:", checkpoint=checkpoint,
                          progress_seconds=progress_seconds, gate=gate)
        Vb = start_networks(v_ref, param, mids, n_h)
        p2, r2 = summarise(param, mids, ob, Vb, ref_codes, n_h, phase="bisect", **summ)
        pts += p2
        reps += r2
        cost["net_epochs"] += ob["net_epochs"]
        cost["seconds"] += ob["seconds"]
        for k, m, t in zip(todo, mids, ob["tau"], strict=True):
            if t == tau0:
                brackets[k][0] = float(m)
            else:
                brackets[k][1] = float(m)
        n_bis += 1
    plateau = pd.DataFrame([{
        "param": param, "tau0": tau0, "resolution": res,
        "lower_in": brackets[0][0],
        "lower_out": np.nan if brackets[0][1] is None else brackets[0][1],
        "upper_in": brackets[1][0],
        "upper_out": np.nan if brackets[1][1] is None else brackets[1][1],
        "lower_open": brackets[0][1] is None, "upper_open": brackets[1][1] is None,
        "bisection_steps": n_bis,
    }])
    return pd.DataFrame(pts), pd.DataFrame(reps), plateau, cost


def sweep_parameter(v_ref, param: str, n_h: int, cfg: dict, *, threshold: float, seed: int,
                    reference: str, progress_seconds: float = 20.0,
                    checkpoint: PointCheckpoint | None = None, grid_parts=None,
                    gate: str = "xor"):
    """The full Fig. 5 job for one parameter: Delta grid, then plateau-edge bisection.

    ``grid_parts``: (points, replicas) frames of the grid computed by separate jobs
    (:func:`sweep_grid` with ``parts`` > 1), merged here; None: the grid is run here.
    Returns (points frame, replicas frame, plateau frame, cost dict).
    """
    common = dict(threshold=threshold, seed=seed, reference=reference, checkpoint=checkpoint,
                  progress_seconds=progress_seconds, gate=gate)
    if grid_parts is None:
        gp, gr, cost = sweep_grid(v_ref, param, n_h, cfg, **common)
    else:
        gp, gr = merge_grid_parts(*grid_parts)
        cost = {"net_epochs": 0, "seconds": 0.0}
    bp, br, plateau, bc = bisect_plateau(v_ref, param, n_h, cfg, gp, **common)
    points = pd.concat([gp, bp], ignore_index=True) if len(bp) else gp
    replicas = pd.concat([gr, br], ignore_index=True) if len(br) else gr
    cost = {"net_epochs": cost["net_epochs"] + bc["net_epochs"],
            "seconds": cost["seconds"] + bc["seconds"]}
    return points, replicas, plateau, cost


def reference_vector(source: str, n_h: int, solutions: pd.DataFrame | None = None):
    """Solution #1: the paper's printed Table II row (``paper``) or ours (``ours``);
    :func:`xornet.solutions.reference` decides for every stage."""
    from .solutions import reference

    return reference(source, solutions, "#1", n_h)


#: Plateau edges stated in the paper's Sec. III.B (upper edges only; None: not stated).
