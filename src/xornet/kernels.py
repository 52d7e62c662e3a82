"""Compiled (numba) hot loops: one kernel call runs many epochs or MC steps.

Conventions shared by every kernel in the project
-------------------------------------------------
* Parameters: the flat vector of :mod:`xornet.model` (``4*n_h+1`` entries); an ensemble
  is a C-contiguous ``(R, P)`` array, one row per replica.
* Random numbers: every replica owns one ``uint64`` splitmix64 state (``states[r]``),
  seeded by :func:`xornet.rng.replica_states`. Nothing else draws random numbers, so a
  result depends only on the seed, never on thread count or chunking. Kernels accept a
  state of any 64-bit integer type (only its bits matter) and single-network kernels
  *return* it as int64 with the same bits, so the Python ``int`` they hand back can always
  be passed in again (numba refuses an ``int`` >= 2^63 once an int64 specialisation of the
  kernel exists).
* One epoch (Eq. 6) evaluates all four cases of Table I once. A randomized batch (four
  cases drawn uniformly *with replacement*, one splitmix64 draw per epoch) is the same
  computation with case weights ``c_m/4``, where ``c_m`` counts how often case m was drawn;
  the nonrandomized batch has weights 1/4. So the batch loss and the full-batch loss both
  come out of every epoch.
* Targets: every kernel that evaluates the loss takes ``yb``, the gate's target bit mask
  (bit m = y_m for case m of Table I, :func:`xornet.gates.bits`; XOR = 6) as an argument,
  never a global (numba's cache would keep a stale one). The residual yhat - y is s for
  y = 0 and -c = -(1 - s) for y = 1 (no cancellation), selected per case from the bits.
* Divergence: a non-finite loss stops that replica and sets ``STATUS_DIVERGED``; kernels
  never raise and never warn.
* The sigmoid uses :func:`sig` / :func:`sig4`, a branch-free, overflow-free evaluation
  (:func:`exp_neg`: Cody-Waite range reduction, degree-13 polynomial, exponent bits; within
  2 ulp of ``np.exp``). PyPI numba has no SVML, so ``math.exp`` would not vectorise.

Performance layout and bitwise reproducibility
----------------------------------------------
PyPI numba runs LLVM's loop vectoriser but not its SLP vectoriser, so the SIMD code is
explicit: :func:`sig4` and the 4-lane helpers (``vadd``, ``vmul``, ``vfma``, ``vsel``,
``vld``, ``vst``) are LLVM-IR intrinsics on ``UniTuple(float64, 4)`` = one AVX2 register.
The single-network epoch (:func:`_step`, used by :func:`gd_single`) puts the four cases of
Table I in the four lanes. Ensembles (:func:`gd_ensemble`) run blocks of :data:`LANES`
replicas in lockstep (:func:`_gd_block`), one replica per lane, with the same operations in
the same order. Every vector operation is one IEEE operation per lane, fused multiply-adds
are explicit (``llvm.fma``, always fused, also in scalar code via :func:`fma`) and no
fastmath flag is used, so the compiler cannot contract or reassociate differently in the two
layouts: an ensemble replica is bit-for-bit :func:`gd_single` on the same start, learning
rate and stream, whatever the thread count or its position in a block (tested).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, prange
from numba.core import cgutils, types
from numba.extending import intrinsic

JIT = dict(cache=True, nogil=True, error_model="numpy")
_INL = dict(inline="always", **JIT)

STATUS_RUNNING = 0
STATUS_DIVERGED = 1
STATUS_CONVERGED = 2

#: |z| is clamped here before exponentiation. sigma(40) rounds to 1.0 in double precision and
#: sigma(-40) = 4.2e-18, so the clamp changes sigma by less than 4.3e-18 absolute.
CLAMP = 40.0

#: Replicas per lockstep block in :func:`gd_ensemble` (two AVX2 vectors of doubles).
LANES = 8

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_U3 = np.uint64(3)
_TWO_M53 = 1.0 / 9007199254740992.0

# exp(-a): Cody-Waite reduction a = k ln2 - r, |r| <= ln2/2, exp(r) by its Taylor polynomial
# of degree 13 (truncation < 5e-18 relative) in Estrin form, then 2^k from exponent bits.
_SHIFT = 6755399441055744.0  # 1.5 * 2^52: x + _SHIFT rounds x to an integer in the low bits
_LOG2E = 1.4426950408889634
_LN2HI = 6.93147180369123816490e-01
_LN2LO = 1.90821492927058770002e-10
_C2 = 1.0 / 2.0
_C3 = 1.0 / 6.0
_C4 = 1.0 / 24.0
_C5 = 1.0 / 120.0
_C6 = 1.0 / 720.0
_C7 = 1.0 / 5040.0
_C8 = 1.0 / 40320.0
_C9 = 1.0 / 362880.0
_C10 = 1.0 / 3628800.0
_C11 = 1.0 / 39916800.0
_C12 = 1.0 / 479001600.0
_C13 = 1.0 / 6227020800.0


@intrinsic
def fma(typingctx, a, b, c):
    """a*b + c with a single rounding (``llvm.fma.f64``; vectorisable, never contracted away)."""
    sig_ = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        d = ir.DoubleType()
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(d, [d, d, d]),
                                            "llvm.fma.f64")
        return builder.call(fn, args)

    return sig_, codegen


@intrinsic
def _pow2_of_shifted(typingctx, t):
    """2^k as a double from t = 1.5*2^52 + k (k integer, -1022 <= k <= 1023): exponent bits."""
    sig_ = types.float64(types.float64)

    def codegen(context, builder, signature, args):
        i64 = ir.IntType(64)
        b = builder.bitcast(args[0], i64)
        b = builder.add(b, ir.Constant(i64, 1023))
        b = builder.shl(b, ir.Constant(i64, 52))
        return builder.bitcast(b, ir.DoubleType())

    return sig_, codegen


_F4 = types.UniTuple(types.float64, 4)


@intrinsic
def sig4(typingctx, z):
    """:func:`sig` of four values at once, as one AVX2 vector: ``((s0..s3), (c0..c3))``.

    Written in LLVM IR with exactly the IEEE operations of the scalar :func:`sig` (same
    constants, same fused multiply-adds, same order), so each lane is bit-for-bit
    ``sig(z[k])`` (tested).
    """
    if z != _F4:
        return None
    sig_ = types.Tuple((_F4, _F4))(_F4)

    def codegen(context, builder, signature, args):
        d = ir.DoubleType()
        v4 = ir.VectorType(d, 4)
        i4 = ir.VectorType(ir.IntType(64), 4)
        mod = builder.module
        f_fma = cgutils.get_or_insert_function(mod, ir.FunctionType(v4, [v4, v4, v4]),
                                               "llvm.fma.v4f64")
        f_abs = cgutils.get_or_insert_function(mod, ir.FunctionType(v4, [v4]), "llvm.fabs.v4f64")

        def c(x):
            return ir.Constant(v4, [float(x)] * 4)

        def fma_(a, b, cc):
            return builder.call(f_fma, [a, b, cc])

        zv = ir.Constant(v4, ir.Undefined)
        for k in range(4):
            zv = builder.insert_element(zv, builder.extract_value(args[0], k),
                                        ir.Constant(ir.IntType(32), k))
        az = builder.call(f_abs, [zv])
        az = builder.select(builder.fcmp_ordered(">", az, c(CLAMP)), c(CLAMP), az)
        az = builder.fadd(az, builder.fsub(zv, zv))
        x = builder.fsub(c(-0.0), az)
        t = fma_(x, c(_LOG2E), c(_SHIFT))
        kd = builder.fsub(t, c(_SHIFT))
        r = fma_(kd, c(-_LN2HI), x)
        r = fma_(kd, c(-_LN2LO), r)
        r2 = builder.fmul(r, r)
        r4 = builder.fmul(r2, r2)
        r8 = builder.fmul(r4, r4)
        p01 = builder.fadd(c(1.0), r)
        p23 = fma_(r, c(_C3), c(_C2))
        p45 = fma_(r, c(_C5), c(_C4))
        p67 = fma_(r, c(_C7), c(_C6))
        p89 = fma_(r, c(_C9), c(_C8))
        p1011 = fma_(r, c(_C11), c(_C10))
        p1213 = fma_(r, c(_C13), c(_C12))
        q0 = fma_(r2, p23, p01)
        q1 = fma_(r2, p67, p45)
        q2 = fma_(r2, p1011, p89)
        s0 = fma_(r4, q1, q0)
        s1 = fma_(r4, p1213, q2)
        p = fma_(r8, s1, s0)
        bits = builder.bitcast(t, i4)
        bits = builder.add(bits, ir.Constant(i4, [1023] * 4))
        bits = builder.shl(bits, ir.Constant(i4, [52] * 4))
        E = builder.fmul(p, builder.bitcast(bits, v4))
        inv = builder.fdiv(c(1.0), builder.fadd(c(1.0), E))
        small = builder.fmul(E, inv)
        pos = builder.fcmp_ordered(">=", zv, c(0.0))
        sv = builder.select(pos, inv, small)
        cv = builder.select(pos, small, inv)
        idx = [ir.Constant(ir.IntType(32), k) for k in range(4)]
        st = context.make_tuple(builder, _F4, [builder.extract_element(sv, i) for i in idx])
        ct = context.make_tuple(builder, _F4, [builder.extract_element(cv, i) for i in idx])
        return context.make_tuple(builder, signature.return_type, [st, ct])

    return sig_, codegen


# --- 4-lane vector helpers on UniTuple(float64, 4) (one AVX2 register): each is one IEEE
# operation per lane, so code written with them does per lane exactly what the same scalar
# code does. PyPI numba disables LLVM's SLP vectoriser, hence these explicit intrinsics.
_D = ir.DoubleType()
_V4 = ir.VectorType(_D, 4)
_I32 = ir.IntType(32)


def _to_vec(builder, tup):
    v = ir.Constant(_V4, ir.Undefined)
    for k in range(4):
        v = builder.insert_element(v, builder.extract_value(tup, k), ir.Constant(_I32, k))
    return v


def _to_tup(context, builder, v):
    return context.make_tuple(builder, _F4, [builder.extract_element(v, ir.Constant(_I32, k))
                                             for k in range(4)])


def _binop(name):
    @intrinsic
    def op(typingctx, a, b):
        if a != _F4 or b != _F4:
            return None

        def codegen(context, builder, signature, args):
            x, y = _to_vec(builder, args[0]), _to_vec(builder, args[1])
            return _to_tup(context, builder, getattr(builder, name)(x, y))
        return _F4(_F4, _F4), codegen
    return op


vadd = _binop("fadd")
vsub = _binop("fsub")
vmul = _binop("fmul")


@intrinsic
def vfma(typingctx, a, b, c):
    if a != _F4 or b != _F4 or c != _F4:
        return None

    def codegen(context, builder, signature, args):
        f = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_V4, [_V4] * 3),
                                           "llvm.fma.v4f64")
        return _to_tup(context, builder, builder.call(f, [_to_vec(builder, x) for x in args]))
    return _F4(_F4, _F4, _F4), codegen


@intrinsic
def vsel(typingctx, m, a, b):
    """lanes of a where m != 0, else lanes of b."""
    if m != _F4 or a != _F4 or b != _F4:
        return None

    def codegen(context, builder, signature, args):
        mv, x, y = (_to_vec(builder, t) for t in args)
        c = builder.fcmp_unordered("!=", mv, ir.Constant(_V4, [0.0] * 4))
        return _to_tup(context, builder, builder.select(c, x, y))
    return _F4(_F4, _F4, _F4), codegen


@intrinsic
def vneg(typingctx, a):
    """-a lane by lane (exact, as scalar negation)."""
    if a != _F4:
        return None

    def codegen(context, builder, signature, args):
        x = _to_vec(builder, args[0])
        return _to_tup(context, builder, builder.fsub(ir.Constant(_V4, [-0.0] * 4), x))
    return _F4(_F4), codegen


@intrinsic
def vld(typingctx, arr, idx):
    """arr[idx:idx+4] of a C-contiguous float64 1-D array as a 4-tuple (one vector load)."""
    if not (isinstance(arr, types.Array) and arr.dtype == types.float64 and arr.ndim == 1):
        return None

    def codegen(context, builder, signature, args):
        a = context.make_array(signature.args[0])(context, builder, value=args[0])
        p = builder.gep(a.data, [args[1]])
        p = builder.bitcast(p, _V4.as_pointer())
        return _to_tup(context, builder, builder.load(p, align=8))
    return _F4(arr, types.intp), codegen


@intrinsic
def vst(typingctx, arr, idx, t):
    """arr[idx:idx+4] = t (one vector store)."""
    if not (isinstance(arr, types.Array) and arr.dtype == types.float64 and arr.ndim == 1) or t != _F4:
        return None

    def codegen(context, builder, signature, args):
        a = context.make_array(signature.args[0])(context, builder, value=args[0])
        p = builder.gep(a.data, [args[1]])
        p = builder.bitcast(p, _V4.as_pointer())
        builder.store(_to_vec(builder, args[2]), p, align=8)
        return context.get_dummy_value()
    return types.void(arr, types.intp, _F4), codegen


@njit(**_INL)
def exp_neg(a):
    """exp(-a) for 0 <= a <= 700 (branch-free, vectorisable), within 2 ulp of ``np.exp``.

    NaN in gives NaN out.
    """
    x = -a
    t = fma(x, _LOG2E, _SHIFT)
    kd = t - _SHIFT
    r = fma(kd, -_LN2HI, x)
    r = fma(kd, -_LN2LO, r)
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    p01 = 1.0 + r
    p23 = fma(r, _C3, _C2)
    p45 = fma(r, _C5, _C4)
    p67 = fma(r, _C7, _C6)
    p89 = fma(r, _C9, _C8)
    p1011 = fma(r, _C11, _C10)
    p1213 = fma(r, _C13, _C12)
    q0 = fma(r2, p23, p01)
    q1 = fma(r2, p67, p45)
    q2 = fma(r2, p1011, p89)
    s0 = fma(r4, q1, q0)
    s1 = fma(r4, p1213, q2)
    return fma(r8, s1, s0) * _pow2_of_shifted(t)


@njit(**_INL)
def sig(z):
    """(sigma(z), 1 - sigma(z)), both to relative precision, for any finite z (Eq. 3).

    With E = exp(-|z|) (|z| clamped at :data:`CLAMP`) and inv = 1/(1+E):
    sigma(|z|) = inv and 1 - sigma(|z|) = E*inv. Branch-free (selects), so it vectorises.
    NaN or +-inf in gives NaN out, never an exception or a warning: an infinite
    pre-activation only arises from infinite (or overflowing, |v| ~ 1e308) parameters, so
    the loss becomes NaN and the run is flagged ``STATUS_DIVERGED``.
    """
    az = abs(z)
    # clamp (NaN > CLAMP is False: NaN passes through); + (z - z) turns +-inf into NaN
    az = (CLAMP if az > CLAMP else az) + (z - z)
    E = exp_neg(az)
    inv = 1.0 / (1.0 + E)
    small = E * inv
    if z >= 0.0:
        return inv, small
    return small, inv


@njit(**_INL)
def _weights(bits):
    """Case weights c_m/4 of a randomized batch from one 64-bit draw (2 bits per draw)."""
    k0 = bits & _U3
    k1 = (bits >> np.uint64(2)) & _U3
    k2 = (bits >> np.uint64(4)) & _U3
    k3 = (bits >> np.uint64(6)) & _U3
    w0 = 0.25 * ((k0 == 0) + (k1 == 0) + (k2 == 0) + (k3 == 0))
    w1 = 0.25 * ((k0 == 1) + (k1 == 1) + (k2 == 1) + (k3 == 1))
    w2 = 0.25 * ((k0 == 2) + (k1 == 2) + (k2 == 2) + (k3 == 2))
    w3 = 0.25 * ((k0 == 3) + (k1 == 3) + (k2 == 3) + (k3 == 3))
    return w0, w1, w2, w3


@njit(**JIT)
def splitmix64(s):
    """One splitmix64 step: returns (new state, 64 random bits).

    The state is taken as uint64 whatever integer type it arrives as: a state returned to
    Python comes back as an ``int`` that numba types as int64 when it is below 2^63.
    """
    u = np.uint64(s) + _GOLDEN
    z = u
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return u, z ^ (z >> _S31)


@njit(**JIT)
def uniform01(bits):
    """Top 53 bits of a uint64 as a float in [0, 1)."""
    return np.float64(bits >> _S11) * _TWO_M53


@njit(**_INL)
def _forward(v, nh, A, DA, yb):
    """Forward pass (Eqs. 1-3), the four cases as one vector; fills A, DA (see forward4).

    ``yb``: target bit mask (bit m = y_m, :func:`xornet.gates.bits`; XOR = 6).
    Returns (yhat_m - y_m for m = 0..3, yhat_m (1 - yhat_m) for m = 0..3).
    """
    b2 = v[4 * nh]
    o0 = b2
    o1 = b2
    o2 = b2
    o3 = b2
    for i in range(nh):
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        b = v[2 * nh + i]
        z2 = b + w0
        (s0, s1, s2, s3), (c0, c1, c2, c3) = sig4((b, b + w1, z2, z2 + w1))
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
    (s0, s1, s2, s3), (c0, c1, c2, c3) = sig4((o0, o1, o2, o3))
    # yhat - y = s for y = 0 and -(1 - s) = -c for y = 1, no cancellation (XOR: s0, -c1, -c2, s3)
    r0 = -c0 if yb & 1 else s0
    r1 = -c1 if yb & 2 else s1
    r2 = -c2 if yb & 4 else s2
    r3 = -c3 if yb & 8 else s3
    return r0, r1, r2, r3, s0 * c0, s1 * c1, s2 * c2, s3 * c3


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
        wo = v[3 * nh + i]
        e0 = d0 * wo * DA[i, 0]
        e1 = d1 * wo * DA[i, 1]
        e2 = d2 * wo * DA[i, 2]
        e3 = d3 * wo * DA[i, 3]
        gw = fma(d3, A[i, 3], fma(d2, A[i, 2], fma(d1, A[i, 1], d0 * A[i, 0])))
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
        w2 = v[3 * nh + i]
        e0 = d0 * w2 * DA[i, 0]
        e1 = d1 * w2 * DA[i, 1]
        e2 = d2 * w2 * DA[i, 2]
        e3 = d3 * w2 * DA[i, 3]
        g[2 * i] = e2 + e3
        g[2 * i + 1] = e1 + e3
        g[2 * nh + i] = e0 + e1 + e2 + e3
        g[3 * nh + i] = fma(d3, A[i, 3], fma(d2, A[i, 2], fma(d1, A[i, 1], d0 * A[i, 0])))
    g[4 * nh] = d0 + d1 + d2 + d3


@njit(**JIT)
def draw_batch(state, w):
    """Randomized batch (Sec. II): four cases uniformly with replacement -> weights c_m/4."""
    s, bits = splitmix64(state)
    w[0], w[1], w[2], w[3] = _weights(bits)
    return s


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


@njit(**JIT)
def _gd_epochs(v, nh, eta, n_epochs, randomized, state, mask, target, yb):
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
    """:func:`_gd_epochs` (mask 1) on rows ``r0 .. r0+nb-1`` of ``V`` (nb <= LANES) in lockstep.

    Replica r0+j is lane j % 4 of vector group j // 4: every operation of :func:`_step` is
    done on 4 replicas at once with the vector helpers (sig4, vfma, ...), in the same order,
    so each lane is bit-for-bit :func:`gd_single`. A replica that stops (diverged, converged)
    keeps its parameters and stream from then on (``vsel``); idle lanes compute on zeros.
    """
    G = LANES // 4
    P = 4 * nh + 1
    Vb = np.zeros(G * P * 4)  # [g, k, lane]
    Ab = np.empty(G * nh * 16)  # [g, i, m, lane]
    DAb = np.empty(G * nh * 16)
    Wb = np.full(G * 16, 0.25)  # [g, m, lane]
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
            g = j // 4
            q = j - 4 * g
            for k in range(P):
                Vb[(g * P + k) * 4 + q] = V[r, k]
            EM[j] = -(etas[r] * 1.0)
            st[j] = states[r]
            act[j] = 1.0
            gact[g] += 1
            nact += 1
    two = (2.0, 2.0, 2.0, 2.0)
    quarter = (0.25, 0.25, 0.25, 0.25)
    for t in range(n_epochs):
        if nact == 0:
            break
        for g in range(G):
            if gact[g] == 0:
                continue
            vb = g * P * 4
            ab = g * nh * 16
            if randomized:
                for q in range(4):
                    L = 4 * g + q
                    if act[L] != 0.0:
                        s, bits = splitmix64(st[L])
                        st[L] = s
                        x0, x1, x2, x3 = _weights(bits)
                        Wb[16 * g + q] = x0
                        Wb[16 * g + 4 + q] = x1
                        Wb[16 * g + 8 + q] = x2
                        Wb[16 * g + 12 + q] = x3
            w0 = vld(Wb, 16 * g)
            w1 = vld(Wb, 16 * g + 4)
            w2 = vld(Wb, 16 * g + 8)
            w3 = vld(Wb, 16 * g + 12)
            # forward (as _forward)
            b2 = vld(Vb, vb + 16 * nh)
            o0 = b2
            o1 = b2
            o2 = b2
            o3 = b2
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
                o0 = vfma(wo, s0, o0)
                o1 = vfma(wo, s1, o1)
                o2 = vfma(wo, s2, o2)
                o3 = vfma(wo, s3, o3)
            s0, c0 = sig4(o0)
            s1, c1 = sig4(o1)
            s2, c2 = sig4(o2)
            s3, c3 = sig4(o3)
            r0_ = vneg(c0) if yb & 1 else s0
            r1_ = vneg(c1) if yb & 2 else s1
            r2_ = vneg(c2) if yb & 4 else s2
            r3_ = vneg(c3) if yb & 8 else s3
            u0 = vmul(s0, c0)
            u1 = vmul(s1, c1)
            u2 = vmul(s2, c2)
            u3 = vmul(s3, c3)
            # losses and per-lane status (as _step)
            l0 = vmul(r0_, r0_)
            l1 = vmul(r1_, r1_)
            l2 = vmul(r2_, r2_)
            l3 = vmul(r3_, r3_)
            lf = vmul(quarter, vadd(vadd(vadd(l0, l1), l2), l3))
            lb = vadd(vadd(vadd(vmul(w0, l0), vmul(w1, l1)), vmul(w2, l2)), vmul(w3, l3))
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
            on = vld(act, 4 * g)
            em = vld(EM, 4 * g)
            d0 = vmul(vmul(vmul(two, w0), r0_), u0)
            d1 = vmul(vmul(vmul(two, w1), r1_), u1)
            d2 = vmul(vmul(vmul(two, w2), r2_), u2)
            d3 = vmul(vmul(vmul(two, w3), r3_), u3)
            for i in range(nh):
                wo = vld(Vb, vb + 4 * (3 * nh + i))
                a = ab + 16 * i
                e0 = vmul(vmul(d0, wo), vld(DAb, a))
                e1 = vmul(vmul(d1, wo), vld(DAb, a + 4))
                e2 = vmul(vmul(d2, wo), vld(DAb, a + 8))
                e3 = vmul(vmul(d3, wo), vld(DAb, a + 12))
                gw = vfma(d3, vld(Ab, a + 12), vfma(d2, vld(Ab, a + 8),
                                                     vfma(d1, vld(Ab, a + 4), vmul(d0, vld(Ab, a)))))
                k = vb + 8 * i
                x = vld(Vb, k)
                vst(Vb, k, vsel(on, vfma(em, vadd(e2, e3), x), x))
                x = vld(Vb, k + 4)
                vst(Vb, k + 4, vsel(on, vfma(em, vadd(e1, e3), x), x))
                k = vb + 4 * (2 * nh + i)
                x = vld(Vb, k)
                vst(Vb, k, vsel(on, vfma(em, vadd(vadd(vadd(e0, e1), e2), e3), x), x))
                vst(Vb, vb + 4 * (3 * nh + i), vsel(on, vfma(em, gw, wo), wo))
            k = vb + 16 * nh
            x = vld(Vb, k)
            vst(Vb, k, vsel(on, vfma(em, vadd(vadd(vadd(d0, d1), d2), d3), x), x))
    for j in range(nb):
        r = r0 + j
        if status[r] == STATUS_RUNNING:
            g = j // 4
            q = j - 4 * g
            for k in range(P):
                V[r, k] = Vb[(g * P + k) * 4 + q]
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


@njit(**_INL)
def _hidden_into(v, nh, i, A):
    """A[i, m] = a_i^(1) for the four cases (the same sig4 evaluation as :func:`_forward`)."""
    w0 = v[2 * i]
    w1 = v[2 * i + 1]
    b = v[2 * nh + i]
    z2 = b + w0
    (s0, s1, s2, s3), _ = sig4((b, b + w1, z2, z2 + w1))
    A[i, 0] = s0
    A[i, 1] = s1
    A[i, 2] = s2
    A[i, 3] = s3


@njit(**_INL)
def _loss_from_hidden(v, nh, A, yb):
    """Full-batch loss from the hidden activations ``A`` (the output half of :func:`_forward`;
    same operations in the same order, so it equals :func:`full_loss` bit for bit)."""
    b2 = v[4 * nh]
    o0 = b2
    o1 = b2
    o2 = b2
    o3 = b2
    for i in range(nh):
        wo = v[3 * nh + i]
        o0 = fma(wo, A[i, 0], o0)
        o1 = fma(wo, A[i, 1], o1)
        o2 = fma(wo, A[i, 2], o2)
        o3 = fma(wo, A[i, 3], o3)
    (s0, s1, s2, s3), (c0, c1, c2, c3) = sig4((o0, o1, o2, o3))
    r0 = -c0 if yb & 1 else s0
    r1 = -c1 if yb & 2 else s1
    r2 = -c2 if yb & 4 else s2
    r3 = -c3 if yb & 8 else s3
    return 0.25 * (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3)


@njit(**JIT)
def mc_zero_t(v, nh, step, n_sweeps, state, target, yb):
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
    A = np.empty((nh, 4))
    DA = np.empty((nh, 4))
    res = np.empty(4)
    dout = np.empty(4)
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
        A = np.empty((nh, 4))
        DA = np.empty((nh, 4))
        res = np.empty(4)
        dout = np.empty(4)
        out[r] = full_loss(V[r], nh, A, DA, res, dout, yb)


@intrinsic
def atomic_next(typingctx, counter):
    """``counter[0] += 1`` atomically; returns the old value (a work queue shared by threads).

    Lets a ``prange`` over worker slots pull work items dynamically, whatever the threading
    layer's own scheduling; results never depend on which thread took which item.
    """
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64
            and counter.ndim == 1):
        return None

    def codegen(context, builder, signature, args):
        a = context.make_array(signature.args[0])(context, builder, value=args[0])
        return builder.atomic_rmw("add", a.data, ir.Constant(ir.IntType(64), 1), "seq_cst")
    return types.int64(counter), codegen
