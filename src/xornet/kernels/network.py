"""The network of the kernels (Eqs. 1-6): forward pass, loss, gradient and one epoch of descent.

One network, the four cases of Table I in the four lanes of a vector (:func:`forward4`,
:func:`backward4`, :func:`_step`); :mod:`.lanes` does the same operations in the same order on
four replicas of a network, one per lane.

Targets: every function that evaluates the loss takes ``yb``, the gate's target bit mask
(bit m = y_m for case m of Table I, :func:`xornet.gates.bits`; XOR = 6) as an argument, never a
global (numba's cache would keep a stale one). The residual yhat - y is s for y = 0 and
-c = -(1 - s) for y = 1 (no cancellation), selected per case from the bits.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .. import gates
from .simd import _INL, JIT, fma, sig4

__all__ = [
    "STATUS_CONVERGED", "STATUS_DIVERGED", "STATUS_RUNNING", "_forward", "_hidden_into",
    "_loss_from_hidden", "_step", "XOR_BITS", "backward4", "forward4", "full_loss", "scratch",
]

#: Target bits of XOR, the paper's gate. Kernel entry points compile their loop twice, once with
#: ``yb`` = this constant (the per-case residual selects fold away, as when XOR was hard-coded)
#: and once for any other gate; the results are the same bits either way.
XOR_BITS = gates.bits("xor")

STATUS_RUNNING = 0
STATUS_DIVERGED = 1
STATUS_CONVERGED = 2


# ----------------------------------------------------------------- one network, cases in lanes
@njit(**_INL)
def _hidden(v, nh, i):
    """sig4 of hidden neuron i's pre-activations for the four cases: ((a_m), (1 - a_m))."""
    w0 = v[2 * i]
    w1 = v[2 * i + 1]
    b = v[2 * nh + i]
    z2 = b + w0
    return sig4((b, b + w1, z2, z2 + w1))


@njit(**_INL)
def _residuals(o0, o1, o2, o3, yb):
    """From the output pre-activations: (yhat_m - y_m for m = 0..3, yhat_m (1 - yhat_m))."""
    (s0, s1, s2, s3), (c0, c1, c2, c3) = sig4((o0, o1, o2, o3))
    # yhat - y = s for y = 0 and -(1 - s) = -c for y = 1, no cancellation (XOR: s0, -c1, -c2, s3)
    r0 = -c0 if yb & 1 else s0
    r1 = -c1 if yb & 2 else s1
    r2 = -c2 if yb & 4 else s2
    r3 = -c3 if yb & 8 else s3
    return r0, r1, r2, r3, s0 * c0, s1 * c1, s2 * c2, s3 * c3


@njit(**_INL)
def _forward(v, nh, A, DA, yb):
    """Forward pass (Eqs. 1-3), the four cases as one vector; fills A, DA (see forward4).

    ``yb``: target bit mask (bit m = y_m, :func:`xornet.gates.bits`; XOR = 6).
    Returns (yhat_m - y_m for m = 0..3, yhat_m (1 - yhat_m) for m = 0..3).
    """
    b2 = v[4 * nh]
    o0 = o1 = o2 = o3 = b2
    for i in range(nh):
        (s0, s1, s2, s3), (c0, c1, c2, c3) = _hidden(v, nh, i)
        A[i, 0] = s0
        A[i, 1] = s1
        A[i, 2] = s2
        A[i, 3] = s3
        DA[i, 0] = s0 * c0
        DA[i, 1] = s1 * c1
        DA[i, 2] = s2 * c2
        DA[i, 3] = s3 * c3
        wo = v[3 * nh + i]
        o0 = fma(wo, s0, o0)
        o1 = fma(wo, s1, o1)
        o2 = fma(wo, s2, o2)
        o3 = fma(wo, s3, o3)
    return _residuals(o0, o1, o2, o3, yb)


@njit(**_INL)
def _hidden_grads(v, nh, i, d0, d1, d2, d3, A, DA):
    """Back-propagation through hidden neuron i (output deltas d_m = 2 w_m r_m u_m): returns
    (w_i^(2), its pre-activation deltas e_m for m = 0..3, the gradient of w_i^(2))."""
    wo = v[3 * nh + i]
    e0 = d0 * wo * DA[i, 0]
    e1 = d1 * wo * DA[i, 1]
    e2 = d2 * wo * DA[i, 2]
    e3 = d3 * wo * DA[i, 3]
    return wo, e0, e1, e2, e3, fma(d3, A[i, 3], fma(d2, A[i, 2], fma(d1, A[i, 1], d0 * A[i, 0])))


@njit(**_INL)
def _step(v, nh, em, w0, w1, w2, w3, A, DA, target, yb):
    """One epoch of gradient descent on one network, in place (Eq. 6).

    ``em[k]`` = -(eta mask_k); case weights w_m. Returns (full loss, batch loss, status) at
    the parameters before the update; the update v_k <- v_k + em_k g_k (one rounding, fma)
    is done only while the status stays ``STATUS_RUNNING``.
    """
    r0, r1, r2, r3, u0, u1, u2, u3 = _forward(v, nh, A, DA, yb)
    l0 = r0 * r0
    l1 = r1 * r1
    l2 = r2 * r2
    l3 = r3 * r3
    lf = 0.25 * (l0 + l1 + l2 + l3)
    lb = w0 * l0 + w1 * l1 + w2 * l2 + w3 * l3
    if not (lf <= 1.0):  # NaN or inf
        return lf, lb, STATUS_DIVERGED
    if lf < target:
        return lf, lb, STATUS_CONVERGED
    d0 = 2.0 * w0 * r0 * u0
    d1 = 2.0 * w1 * r1 * u1
    d2 = 2.0 * w2 * r2 * u2
    d3 = 2.0 * w3 * r3 * u3
    for i in range(nh):
        wo, e0, e1, e2, e3, gw = _hidden_grads(v, nh, i, d0, d1, d2, d3, A, DA)
        v[2 * i] = fma(em[2 * i], e2 + e3, v[2 * i])
        v[2 * i + 1] = fma(em[2 * i + 1], e1 + e3, v[2 * i + 1])
        v[2 * nh + i] = fma(em[2 * nh + i], e0 + e1 + e2 + e3, v[2 * nh + i])
        v[3 * nh + i] = fma(em[3 * nh + i], gw, wo)
    v[4 * nh] = fma(em[4 * nh], d0 + d1 + d2 + d3, v[4 * nh])
    return lf, lb, STATUS_RUNNING


@njit(**JIT)
def forward4(v, nh, A, DA, res, dout, yb):
    """Forward pass for all four cases of Table I.

    Fills ``A[i, m]`` = a_i^(1) and ``DA[i, m]`` = a(1-a) for hidden neuron i and case m,
    ``res[m]`` = yhat_m - y_m (computed without cancellation) and ``dout[m]`` = yhat(1-yhat).
    Same arithmetic as the training kernels (so :func:`full_loss` equals their loss).
    """
    res[0], res[1], res[2], res[3], dout[0], dout[1], dout[2], dout[3] = _forward(v, nh, A, DA,
                                                                                  yb)


@njit(**JIT)
def backward4(v, nh, w, A, DA, res, dout, g):
    """Gradient of sum_m w[m] * (yhat_m - y_m)^2 into ``g`` (Eq. 6 with case weights w)."""
    d0 = 2.0 * w[0] * res[0] * dout[0]
    d1 = 2.0 * w[1] * res[1] * dout[1]
    d2 = 2.0 * w[2] * res[2] * dout[2]
    d3 = 2.0 * w[3] * res[3] * dout[3]
    for i in range(nh):
        _, e0, e1, e2, e3, gw = _hidden_grads(v, nh, i, d0, d1, d2, d3, A, DA)
        g[2 * i] = e2 + e3
        g[2 * i + 1] = e1 + e3
        g[2 * nh + i] = e0 + e1 + e2 + e3
        g[3 * nh + i] = gw
    g[4 * nh] = d0 + d1 + d2 + d3


@njit(**_INL)
def scratch(nh):
    """Work arrays of one forward pass (A, DA: hidden activations and derivatives per case;
    res, dout: output residuals and derivatives), for kernels that evaluate many points."""
    return np.empty((nh, 4)), np.empty((nh, 4)), np.empty(4), np.empty(4)


@njit(**JIT)
def full_loss(v, nh, A, DA, res, dout, yb):
    """Full-batch loss (Eq. 4, M = 4, nonrandomized) for targets ``yb`` (bit mask)."""
    forward4(v, nh, A, DA, res, dout, yb)
    return 0.25 * (res[0] * res[0] + res[1] * res[1] + res[2] * res[2] + res[3] * res[3])


@njit(**_INL)
def _hidden_into(v, nh, i, A):
    """A[i, m] = a_i^(1) for the four cases (the same evaluation as :func:`_forward`)."""
    (s0, s1, s2, s3), _ = _hidden(v, nh, i)
    A[i, 0] = s0
    A[i, 1] = s1
    A[i, 2] = s2
    A[i, 3] = s3


@njit(**_INL)
def _loss_from_hidden(v, nh, A, yb):
    """Full-batch loss from the hidden activations ``A`` (the output half of :func:`_forward`;
    same operations in the same order, so it equals :func:`full_loss` bit for bit)."""
    b2 = v[4 * nh]
    o0 = o1 = o2 = o3 = b2
    for i in range(nh):
        wo = v[3 * nh + i]
        o0 = fma(wo, A[i, 0], o0)
        o1 = fma(wo, A[i, 1], o1)
        o2 = fma(wo, A[i, 2], o2)
        o3 = fma(wo, A[i, 3], o3)
    r0, r1, r2, r3, _, _, _, _ = _residuals(o0, o1, o2, o3, yb)
    return 0.25 * (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3)
