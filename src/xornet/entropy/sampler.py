"""The Fig. 8 samplers: compiled numba kernels (Sec. II last paragraph, Sec. III.D).

State space: the box [-R, R]^P of all P = 4 n_h + 1 weights and biases with the uniform
measure; the loss axis [0, 1] is cut into ``nb`` equal bins.

* :func:`simple_sampling_kernel` - uniform draws from the box, per-stream loss histograms.
* :func:`wl_kernel` in mode ``MODE_WL`` - Wang-Landau with the 1/t refinement of Belardinelli
  & Pereyra (J. Chem. Phys. 127, 184105, 2007): ln f is halved each time every bin visited so
  far has been hit since the last halving, until ln f <= 1/t (t = MC steps / visited bins);
  from then on ln f = 1/t.
* :func:`wl_kernel` in mode ``MODE_MUCA`` - multicanonical production run with the frozen WL
  weights W(L) = 1/g_WL(L); ln g = ln g_WL + ln H.

The walker moves one uniformly chosen parameter by a uniform amount in [-delta, delta]
(symmetric); proposals leaving the box are rejected. The loss is updated incrementally: the
walker keeps the hidden activations a_i^(1) of all four cases and the four output
pre-activations z^(2); a move of a hidden-unit parameter recomputes that unit only, a move of
w_1i^(2) or b^(2) only shifts z^(2). z^(2) is recomputed from scratch every
``recompute_every`` steps so rounding drift cannot accumulate (tested).

The whole state of a walker is a handful of arrays; its scalars live in ``sc`` (float64,
indices ``SC_*``) and ``ic`` (int64, indices ``IC_*``). The driver (:mod:`.driver`) runs the
kernels in chunks, checkpoints and turns the histograms into S(L) (:mod:`.estimators`).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..kernels import JIT, sig, splitmix64, uniform01

__all__ = [
    "MODE_WL", "MODE_MUCA", "SC_L", "SC_LNF", "SC_DELTA", "SC_MINL", "SC_MAXL", "SC_MAXDRIFT",
    "N_SC", "IC_STAGE", "IC_STEPS", "IC_ACC", "IC_PROP", "IC_NVIS", "IC_NHALF", "IC_SINCE",
    "IC_SINCE_FULL", "N_IC", "full_state", "loss_of", "simple_sampling_kernel", "wl_kernel"
]

MODE_WL = 0
MODE_MUCA = 1

_X0 = np.array([0.0, 0.0, 1.0, 1.0])
_X1 = np.array([0.0, 1.0, 0.0, 1.0])
# targets y (4,) are an argument of every kernel (xornet.gates.targets; never a global: numba's
# cache would keep a stale gate)

# Layout of the scalar state vectors (so the whole sampler state is four arrays).
# float64 sc[]
SC_L = 0  # current loss
SC_LNF = 1  # Wang-Landau modification factor ln f
SC_DELTA = 2  # proposal half-width
SC_MINL = 3  # lowest loss seen
SC_MAXL = 4  # highest loss seen
SC_MAXDRIFT = 5  # largest |z2_incremental - z2_fresh| found at a recomputation
N_SC = 6
# int64 ic[]
IC_STAGE = 0  # 0: halving stage, 1: 1/t stage
IC_STEPS = 1  # WL steps done (defines t)
IC_ACC = 2  # accepted proposals (counter, reset by the driver)
IC_PROP = 3  # proposals (counter, reset by the driver)
IC_NVIS = 4  # bins visited at least once
IC_NHALF = 5  # number of ln f halvings
IC_SINCE = 6  # steps since the last flatness check
IC_SINCE_FULL = 7  # steps since the last full recomputation
N_IC = 8


@njit(**JIT)
def _resid(z, y):
    """(sigma(z) - y) for y in {0, 1}, without cancellation."""
    s, c = sig(z)
    if y == 0.0:
        return s
    return -c


@njit(**JIT)
def _loss_from_z2(z2, y):
    acc = 0.0
    for m in range(4):
        r = _resid(z2[m], y[m])
        acc += r * r
    return 0.25 * acc


@njit(**JIT)
def full_state(v, nh, A, z2, y):
    """Hidden activations A[i, m] and output pre-activations z2[m] from scratch; returns L
    for targets ``y`` (4,)."""
    b2 = v[4 * nh]
    for m in range(4):
        z2[m] = b2
    for i in range(nh):
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        b = v[2 * nh + i]
        w2 = v[3 * nh + i]
        for m in range(4):
            a, _ = sig(b + _X0[m] * w0 + _X1[m] * w1)
            A[i, m] = a
            z2[m] += w2 * a
    return _loss_from_z2(z2, y)


@njit(**JIT)
def loss_of(v, nh, y):
    """Full-batch loss (Eq. 4) of one parameter vector (reference for the kernels)."""
    A = np.empty((nh, 4))
    z2 = np.empty(4)
    return full_state(v, nh, A, z2, y)


@njit(parallel=True, **JIT)
def simple_sampling_kernel(nh, R, n_per_stream, states, counts, minL, vmin, y):
    """Uniform draws from [-R, R]^P: per-stream histograms ``counts[s]`` of the loss.

    Each stream s has its own RNG state, histogram row, lowest loss ``minL[s]`` and its
    parameters ``vmin[s]``; the caller sums the integer rows, so the result does not depend on
    the number of threads.
    """
    nb = counts.shape[1]
    P = 4 * nh + 1
    for s in prange(states.shape[0]):
        st = states[s]
        v = np.empty(P)
        A = np.empty((nh, 4))
        z2 = np.empty(4)
        lo = minL[s]
        for _ in range(n_per_stream):
            for k in range(P):
                st, bits = splitmix64(st)
                v[k] = R * (2.0 * uniform01(bits) - 1.0)
            L = full_state(v, nh, A, z2, y)
            b = int(L * nb)
            if b >= nb:
                b = nb - 1
            counts[s, b] += 1
            if L < lo:
                lo = L
                for k in range(P):
                    vmin[s, k] = v[k]
        minL[s] = lo
        states[s] = st


@njit(**JIT)
def _propose_loss(v, nh, k, new, A, z2, anew, z2new, y):
    """Loss after setting v[k] = new, computed incrementally into anew (4,), z2new (4,).

    Returns (L_new, unit) where unit is the hidden unit whose activations changed (-1: none).
    """
    old = v[k]
    unit = -1
    if k < 3 * nh:  # w1_i_j or b1_i: hidden unit i is recomputed
        i = k // 2 if k < 2 * nh else k - 2 * nh
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        b = v[2 * nh + i]
        if k >= 2 * nh:
            b = new
        elif k % 2 == 0:
            w0 = new
        else:
            w1 = new
        w2 = v[3 * nh + i]
        for m in range(4):
            a, _ = sig(b + _X0[m] * w0 + _X1[m] * w1)
            anew[m] = a
            z2new[m] = z2[m] + w2 * (a - A[i, m])
        unit = i
    elif k < 4 * nh:  # w2_1_i
        i = k - 3 * nh
        d = new - old
        for m in range(4):
            z2new[m] = z2[m] + d * A[i, m]
    else:  # b2_1
        d = new - old
        for m in range(4):
            z2new[m] = z2[m] + d
    return _loss_from_z2(z2new, y), unit


@njit(**JIT)
def wl_kernel(
    v,
    nh,
    R,
    A,
    z2,
    lng,
    H,
    visited,
    sc,
    ic,
    state,
    n_steps,
    mode,
    check_every,
    recompute_every,
    vmin,
    y,
):
    """``n_steps`` Wang-Landau (mode 0) or multicanonical (mode 1) steps of one walker.

    Walker: parameters ``v`` (in the box), hidden activations ``A`` (n_h, 4), output
    pre-activations ``z2`` (4,), current loss ``sc[SC_L]``. Acceptance
    min(1, g(L_old)/g(L_new)) with ln g = ``lng``; the histogram ``H`` counts the bin after
    every step. In WL mode ``lng[bin] += ln f`` after every step and ln f follows the 1/t
    schedule (see module docstring); in MUCA mode ``lng`` is frozen. ``visited`` marks bins
    ever visited (WL: they define the flatness check and t). ``vmin`` receives the
    parameters of the lowest loss seen; ``y``: targets (4,). Returns the RNG state.
    """
    nb = lng.shape[0]
    P = 4 * nh + 1
    anew = np.empty(4)
    z2new = np.empty(4)
    z2f = np.empty(4)
    Af = np.empty((nh, 4))
    L = sc[SC_L]
    lnf = sc[SC_LNF]
    delta = sc[SC_DELTA]
    b = int(L * nb)
    if b >= nb:
        b = nb - 1
    for _ in range(n_steps):
        state, b1 = splitmix64(state)
        state, b2 = splitmix64(state)
        state, b3 = splitmix64(state)
        k = int(uniform01(b1) * P)
        new = v[k] + delta * (2.0 * uniform01(b2) - 1.0)
        ic[IC_PROP] += 1
        if -R <= new <= R:
            Ln, unit = _propose_loss(v, nh, k, new, A, z2, anew, z2new, y)
            bn = int(Ln * nb)
            if bn >= nb:
                bn = nb - 1
            dl = lng[b] - lng[bn]
            if dl >= 0.0 or uniform01(b3) < np.exp(dl):
                v[k] = new
                if unit >= 0:
                    for m in range(4):
                        A[unit, m] = anew[m]
                for m in range(4):
                    z2[m] = z2new[m]
                L = Ln
                b = bn
                ic[IC_ACC] += 1
                if L < sc[SC_MINL]:
                    sc[SC_MINL] = L
                    for q in range(P):
                        vmin[q] = v[q]
                if L > sc[SC_MAXL]:
                    sc[SC_MAXL] = L
        # periodic full recomputation (guards the incremental z2 against drift)
        ic[IC_SINCE_FULL] += 1
        if ic[IC_SINCE_FULL] >= recompute_every:
            ic[IC_SINCE_FULL] = 0
            Lf = full_state(v, nh, Af, z2f, y)
            for m in range(4):
                d = abs(z2f[m] - z2[m])
                if d > sc[SC_MAXDRIFT]:
                    sc[SC_MAXDRIFT] = d
                z2[m] = z2f[m]
                for i in range(nh):
                    A[i, m] = Af[i, m]
            L = Lf
            b = int(L * nb)
            if b >= nb:
                b = nb - 1
        H[b] += 1
        if mode == MODE_WL:
            if visited[b] == 0:
                visited[b] = 1
                ic[IC_NVIS] += 1
            lng[b] += lnf
            ic[IC_STEPS] += 1
            if ic[IC_STAGE] == 1:
                lnf = ic[IC_NVIS] / ic[IC_STEPS]
            else:
                ic[IC_SINCE] += 1
                if ic[IC_SINCE] >= check_every:
                    ic[IC_SINCE] = 0
                    flat = True
                    for q in range(nb):
                        if visited[q] != 0 and H[q] == 0:
                            flat = False
                            break
                    if flat:
                        lnf = 0.5 * lnf
                        ic[IC_NHALF] += 1
                        for q in range(nb):
                            H[q] = 0
                    tinv = ic[IC_NVIS] / ic[IC_STEPS]
                    if lnf <= tinv:
                        ic[IC_STAGE] = 1
                        lnf = tinv
    sc[SC_L] = L
    sc[SC_LNF] = lnf
    return state
