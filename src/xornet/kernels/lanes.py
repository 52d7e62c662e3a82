"""Four replicas of a network at once, one per SIMD lane: the ensemble kernels' blocks.

A block of replicas is stored lane-major: parameter k of the replica in lane q of 4-lane group
g at ``Vb[(g P + k) 4 + q]``; a_i for case m at ``Ab[g nh 16 + 16 i + 4 m + q]`` (``DAb``
alike); case weights at ``Wb[16 g + 4 m + q]``. Each function does, per lane, the operations of
its single-network counterpart in :mod:`.network` in the same order (4-lane helpers of
:mod:`.simd`), so each lane is bit-for-bit the single-network result. Used as ``lanes.forward``
etc. by :func:`xornet.kernels.optimizers.gd_ensemble` and the Fig. 5 kernel
(:mod:`xornet.perturb`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .simd import _INL, sig4, vadd, vfma, vld, vmul, vneg, vsel, vst, vsub
from .streams import _weights, splitmix64


@njit(**_INL)
def draw(st, out, act, Wb, g):
    """Randomized batches of the running lanes (``act[4g+q] != 0``) of 4-lane group ``g``.

    Lane q draws from ``st[4g+q]`` and its new state goes to ``out[4g+q]`` (``out`` may be
    ``st``); its weights to ``Wb[16g + 4m + q]``, m = 0..3 (read them with :func:`weights`;
    stopped lanes keep their last weights).
    """
    for q in range(4):
        L = 4 * g + q
        if act[L] != 0.0:
            s, bits = splitmix64(st[L])
            out[L] = s
            x0, x1, x2, x3 = _weights(bits)
            Wb[16 * g + q] = x0
            Wb[16 * g + 4 + q] = x1
            Wb[16 * g + 8 + q] = x2
            Wb[16 * g + 12 + q] = x3


@njit(**_INL)
def weights(Wb, g):
    """The four case-weight vectors of 4-lane group ``g`` (see :func:`draw`)."""
    return vld(Wb, 16 * g), vld(Wb, 16 * g + 4), vld(Wb, 16 * g + 8), vld(Wb, 16 * g + 12)


@njit(**_INL)
def arrays(G, nh):
    """Work arrays of a block of ``G`` 4-lane groups: parameters ``Vb`` [g, k, lane] (zeros:
    idle lanes compute on zeros), activations ``Ab``, ``DAb`` [g, i, case, lane] and case
    weights ``Wb`` [g, case, lane] (1/4: the nonrandomized batch)."""
    P = 4 * nh + 1
    return (np.zeros(G * P * 4), np.empty(G * nh * 16), np.empty(G * nh * 16),
            np.full(G * 16, 0.25))


@njit(**_INL)
def get(Vb, P, j, row):
    """``row`` = the parameters of the replica in lane ``j`` of a block."""
    g = j // 4
    q = j - 4 * g
    for k in range(P):
        row[k] = Vb[(g * P + k) * 4 + q]


@njit(**_INL)
def put(Vb, P, j, row):
    """The parameters of the replica in lane ``j`` of a block = ``row``."""
    g = j // 4
    q = j - 4 * g
    for k in range(P):
        Vb[(g * P + k) * 4 + q] = row[k]


@njit(**_INL)
def forward(Vb, vb, nh, Ab, DAb, ab, fused, yb):
    """:func:`.network._forward` of the four replicas of a lane group (parameters from ``Vb[vb:]``,
    activations into ``Ab[ab:]``, ``DAb[ab:]``).

    ``fused``: output pre-activations summed with fma (as :func:`.network.forward4`) or with a rounded
    product and sum (as the structure-of-arrays loop of :mod:`xornet.perturb`). Returns
    ((yhat_m - y_m), (yhat_m (1 - yhat_m))) for m = 0..3, each a vector over the lanes.
    """
    b2 = vld(Vb, vb + 16 * nh)
    o0 = o1 = o2 = o3 = b2
    for i in range(nh):
        x0 = vld(Vb, vb + 8 * i)
        x1 = vld(Vb, vb + 8 * i + 4)
        bb = vld(Vb, vb + 4 * (2 * nh + i))
        z2 = vadd(bb, x0)
        s0, c0 = sig4(bb)
        s1, c1 = sig4(vadd(bb, x1))
        s2, c2 = sig4(z2)
        s3, c3 = sig4(vadd(z2, x1))
        a = ab + 16 * i
        vst(Ab, a, s0)
        vst(Ab, a + 4, s1)
        vst(Ab, a + 8, s2)
        vst(Ab, a + 12, s3)
        vst(DAb, a, vmul(s0, c0))
        vst(DAb, a + 4, vmul(s1, c1))
        vst(DAb, a + 8, vmul(s2, c2))
        vst(DAb, a + 12, vmul(s3, c3))
        wo = vld(Vb, vb + 4 * (3 * nh + i))
        if fused:
            o0 = vfma(wo, s0, o0)
            o1 = vfma(wo, s1, o1)
            o2 = vfma(wo, s2, o2)
            o3 = vfma(wo, s3, o3)
        else:
            o0 = vadd(o0, vmul(wo, s0))
            o1 = vadd(o1, vmul(wo, s1))
            o2 = vadd(o2, vmul(wo, s2))
            o3 = vadd(o3, vmul(wo, s3))
    s0, c0 = sig4(o0)
    s1, c1 = sig4(o1)
    s2, c2 = sig4(o2)
    s3, c3 = sig4(o3)
    r0 = vneg(c0) if yb & 1 else s0
    r1 = vneg(c1) if yb & 2 else s1
    r2 = vneg(c2) if yb & 4 else s2
    r3 = vneg(c3) if yb & 8 else s3
    return (r0, r1, r2, r3), (vmul(s0, c0), vmul(s1, c1), vmul(s2, c2), vmul(s3, c3))


@njit(**_INL)
def losses(r, w):
    """(full-batch loss, batch loss with case weights ``w``) of the lanes, as :func:`.network._step`."""
    r0, r1, r2, r3 = r
    w0, w1, w2, w3 = w
    l0 = vmul(r0, r0)
    l1 = vmul(r1, r1)
    l2 = vmul(r2, r2)
    l3 = vmul(r3, r3)
    lf = vmul((0.25, 0.25, 0.25, 0.25), vadd(vadd(vadd(l0, l1), l2), l3))
    lb = vadd(vadd(vadd(vmul(w0, l0), vmul(w1, l1)), vmul(w2, l2)), vmul(w3, l3))
    return lf, lb


@njit(**_INL)
def _update(Vb, k, x, grad, on, k4, fma_update):
    """Vb[k:k+4] (= ``x``) <- x + k4 grad (one rounding, ``fma_update``) or x - k4 grad (two
    roundings), in the lanes where ``on`` != 0."""
    y = vfma(k4, grad, x) if fma_update else vsub(x, vmul(k4, grad))
    vst(Vb, k, vsel(on, y, x))


@njit(**_INL)
def backward(Vb, vb, nh, Ab, DAb, ab, r, u, w, on, k4, fused, fma_update):
    """Gradient step of the four replicas of a lane group after :func:`forward`.

    ``r``, ``u``: what :func:`forward` returned; ``w``: case weights; ``on``: lanes to
    update. ``fused``: the gradient of w^(2) by fma (as :func:`.network.backward4`) or by
    rounded products and sums; the update is :func:`_update` with ``k4`` (-eta for ``fma_update``, as
    :func:`.network._step`; eta otherwise, v - eta g).
    """
    two = (2.0, 2.0, 2.0, 2.0)
    d0 = vmul(vmul(vmul(two, w[0]), r[0]), u[0])
    d1 = vmul(vmul(vmul(two, w[1]), r[1]), u[1])
    d2 = vmul(vmul(vmul(two, w[2]), r[2]), u[2])
    d3 = vmul(vmul(vmul(two, w[3]), r[3]), u[3])
    for i in range(nh):
        wo = vld(Vb, vb + 4 * (3 * nh + i))
        a = ab + 16 * i
        e0 = vmul(vmul(d0, wo), vld(DAb, a))
        e1 = vmul(vmul(d1, wo), vld(DAb, a + 4))
        e2 = vmul(vmul(d2, wo), vld(DAb, a + 8))
        e3 = vmul(vmul(d3, wo), vld(DAb, a + 12))
        if fused:
            gw = vfma(d3, vld(Ab, a + 12), vfma(d2, vld(Ab, a + 8),
                                                 vfma(d1, vld(Ab, a + 4), vmul(d0, vld(Ab, a)))))
        else:
            gw = vadd(vadd(vadd(vmul(d0, vld(Ab, a)), vmul(d1, vld(Ab, a + 4))),
                           vmul(d2, vld(Ab, a + 8))), vmul(d3, vld(Ab, a + 12)))
        k = vb + 8 * i
        _update(Vb, k, vld(Vb, k), vadd(e2, e3), on, k4, fma_update)
        _update(Vb, k + 4, vld(Vb, k + 4), vadd(e1, e3), on, k4, fma_update)
        k = vb + 4 * (2 * nh + i)
        _update(Vb, k, vld(Vb, k), vadd(vadd(vadd(e0, e1), e2), e3), on, k4, fma_update)
        _update(Vb, vb + 4 * (3 * nh + i), wo, gw, on, k4, fma_update)
    k = vb + 16 * nh
    _update(Vb, k, vld(Vb, k), vadd(vadd(vadd(d0, d1), d2), d3), on, k4, fma_update)
