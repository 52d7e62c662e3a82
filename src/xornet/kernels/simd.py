"""SIMD and LLVM primitives of the kernels: fused multiply-add, the sigmoid, 4-lane vectors.

PyPI numba runs LLVM's loop vectoriser but not its SLP vectoriser, so the SIMD code is
explicit: :func:`sig4` and the 4-lane helpers (``vadd``, ``vmul``, ``vfma``, ``vsel``, ``vld``,
``vst``, ...) are LLVM-IR intrinsics on ``UniTuple(float64, 4)`` = one AVX2 register. Every
vector operation is one IEEE operation per lane, fused multiply-adds are explicit
(``llvm.fma``, always fused, also in scalar code via :func:`fma`) and no fastmath flag is used,
so code written with these helpers does per lane exactly what the same scalar code does.

The sigmoid (Eq. 3) is branch-free and overflow-free: exp(-|z|) by Cody-Waite range reduction,
a degree-13 Taylor polynomial and exponent bits (within 2 ulp of ``np.exp``; PyPI numba has no
SVML, so ``math.exp`` would not vectorise). The scalar :func:`sig` and the vector :func:`sig4`
are generated from the same IR builder (:func:`_sig_ir`), so each lane of :func:`sig4` is
bit-for-bit :func:`sig` (tested).
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit
from numba.core import cgutils, types
from numba.extending import intrinsic

__all__ = [
    "CLAMP", "JIT", "_INL", "atomic_next", "exp_neg", "fma", "sig", "sig4", "vadd", "vfma", "vld",
    "vmul", "vneg", "vsel", "vst", "vsub",
]

JIT = dict(cache=True, nogil=True, error_model="numpy")
_INL = dict(inline="always", **JIT)

#: |z| is clamped here before exponentiation. sigma(40) rounds to 1.0 in double precision and
#: sigma(-40) = 4.2e-18, so the clamp changes sigma by less than 4.3e-18 absolute.
CLAMP = 40.0

# exp(-a): Cody-Waite reduction a = k ln2 - r, |r| <= ln2/2, exp(r) by its Taylor polynomial
# of degree 13 (truncation < 5e-18 relative) in Estrin form, then 2^k from exponent bits.
_SHIFT = 6755399441055744.0  # 1.5 * 2^52: x + _SHIFT rounds x to an integer in the low bits
_LOG2E = 1.4426950408889634
_LN2HI = 6.93147180369123816490e-01
_LN2LO = 1.90821492927058770002e-10
#: Taylor coefficients 1/k! of exp(r), k = 0 .. 13.
_TAYLOR = (1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,
           1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0,
           1.0 / 479001600.0, 1.0 / 6227020800.0)

_D = ir.DoubleType()
_V4 = ir.VectorType(_D, 4)
_I32 = ir.IntType(32)
_I64 = ir.IntType(64)
_F4 = types.UniTuple(types.float64, 4)


# ------------------------------------------------------------------ IR builders (scalar or 4-lane)
def _const(ty, x):
    """The constant x as a double or as a vector of doubles (type ``ty``)."""
    return ir.Constant(ty, [float(x)] * ty.count if isinstance(ty, ir.VectorType) else float(x))


def _llvm_fn(builder, name, ty, nargs):
    """The LLVM intrinsic ``llvm.<name>.f64`` (or ``.v4f64`` for a vector ``ty``)."""
    suffix = f"v{ty.count}f64" if isinstance(ty, ir.VectorType) else "f64"
    return cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty] * nargs),
                                          f"llvm.{name}.{suffix}")


def _exp_neg_ir(builder, a):
    """IR of exp(-a), 0 <= a <= 700, for a double or a vector of doubles ``a`` (see above)."""
    ty = a.type
    f_fma = _llvm_fn(builder, "fma", ty, 3)

    def c(x):
        return _const(ty, x)

    def fma_(x, y, z):
        return builder.call(f_fma, [x, y, z])

    x = builder.fsub(c(-0.0), a)  # -a, as numba negates a float
    t = fma_(x, c(_LOG2E), c(_SHIFT))
    kd = builder.fsub(t, c(_SHIFT))
    r = fma_(kd, c(-_LN2HI), x)
    r = fma_(kd, c(-_LN2LO), r)
    r2 = builder.fmul(r, r)
    r4 = builder.fmul(r2, r2)
    r8 = builder.fmul(r4, r4)
    C = _TAYLOR
    p01 = builder.fadd(c(C[0]), r)  # 1 + r
    p23, p45, p67, p89, p1011, p1213 = (fma_(r, c(C[k + 1]), c(C[k])) for k in range(2, 14, 2))
    q0 = fma_(r2, p23, p01)
    q1 = fma_(r2, p67, p45)
    q2 = fma_(r2, p1011, p89)
    s0 = fma_(r4, q1, q0)
    s1 = fma_(r4, p1213, q2)
    p = fma_(r8, s1, s0)
    # 2^k from t = 1.5*2^52 + k (k integer, -1022 <= k <= 1023): exponent bits
    vec = isinstance(ty, ir.VectorType)
    ity = ir.VectorType(_I64, ty.count) if vec else _I64

    def ic(n):
        return ir.Constant(ity, [n] * ty.count if vec else n)

    bits = builder.shl(builder.add(builder.bitcast(t, ity), ic(1023)), ic(52))
    return builder.fmul(p, builder.bitcast(bits, ty))


def _sig_ir(builder, z):
    """IR of (sigma(z), 1 - sigma(z)) for a double or a vector of doubles ``z``.

    With E = exp(-|z|) (|z| clamped at :data:`CLAMP`) and inv = 1/(1+E):
    sigma(|z|) = inv and 1 - sigma(|z|) = E*inv, selected by the sign of z (no branch).
    """
    ty = z.type
    az = builder.call(_llvm_fn(builder, "fabs", ty, 1), [z])
    # clamp (NaN > CLAMP is false: NaN passes through); + (z - z) turns +-inf into NaN
    az = builder.select(builder.fcmp_ordered(">", az, _const(ty, CLAMP)), _const(ty, CLAMP), az)
    az = builder.fadd(az, builder.fsub(z, z))
    E = _exp_neg_ir(builder, az)
    inv = builder.fdiv(_const(ty, 1.0), builder.fadd(_const(ty, 1.0), E))
    small = builder.fmul(E, inv)
    pos = builder.fcmp_ordered(">=", z, _const(ty, 0.0))
    return builder.select(pos, inv, small), builder.select(pos, small, inv)


def _to_vec(builder, tup):
    v = ir.Constant(_V4, ir.Undefined)
    for k in range(4):
        v = builder.insert_element(v, builder.extract_value(tup, k), ir.Constant(_I32, k))
    return v


def _to_tup(context, builder, v):
    return context.make_tuple(builder, _F4, [builder.extract_element(v, ir.Constant(_I32, k))
                                             for k in range(4)])


# ------------------------------------------------------------------ scalar intrinsics
@intrinsic
def fma(typingctx, a, b, c):
    """a*b + c with a single rounding (``llvm.fma.f64``; vectorisable, never contracted away)."""
    sig_ = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        return builder.call(_llvm_fn(builder, "fma", _D, 3), args)

    return sig_, codegen


@intrinsic
def _exp_neg1(typingctx, a):
    def codegen(context, builder, signature, args):
        return _exp_neg_ir(builder, args[0])
    return types.float64(types.float64), codegen


@intrinsic
def _sig1(typingctx, z):
    def codegen(context, builder, signature, args):
        return context.make_tuple(builder, signature.return_type, _sig_ir(builder, args[0]))
    return types.UniTuple(types.float64, 2)(types.float64), codegen


@njit(**_INL)
def exp_neg(a):
    """exp(-a) for 0 <= a <= 700 (branch-free, vectorisable), within 2 ulp of ``np.exp``.

    NaN in gives NaN out.
    """
    return _exp_neg1(a)


@njit(**_INL)
def sig(z):
    """(sigma(z), 1 - sigma(z)), both to relative precision, for any finite z (Eq. 3).

    With E = exp(-|z|) (|z| clamped at :data:`CLAMP`) and inv = 1/(1+E):
    sigma(|z|) = inv and 1 - sigma(|z|) = E*inv. Branch-free (selects), so it vectorises.
    NaN or +-inf in gives NaN out, never an exception or a warning: an infinite
    pre-activation only arises from infinite (or overflowing, |v| ~ 1e308) parameters, so
    the loss becomes NaN and the run is flagged ``STATUS_DIVERGED``.
    """
    return _sig1(z)


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
        return builder.atomic_rmw("add", a.data, ir.Constant(_I64, 1), "seq_cst")
    return types.int64(counter), codegen


# ------------------------------------------------------------------ 4-lane intrinsics
# UniTuple(float64, 4) is one AVX2 register: each helper is one IEEE operation per lane.
@intrinsic
def sig4(typingctx, z):
    """:func:`sig` of four values at once, as one AVX2 vector: ``((s0..s3), (c0..c3))``.

    The same IR as the scalar :func:`sig` on a vector type, so each lane is bit-for-bit
    ``sig(z[k])`` (tested).
    """
    if z != _F4:
        return None

    def codegen(context, builder, signature, args):
        sv, cv = _sig_ir(builder, _to_vec(builder, args[0]))
        return context.make_tuple(builder, signature.return_type,
                                  [_to_tup(context, builder, sv), _to_tup(context, builder, cv)])

    return types.Tuple((_F4, _F4))(_F4), codegen


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
    """a*b + c lane by lane, one rounding (``llvm.fma.v4f64``)."""
    if a != _F4 or b != _F4 or c != _F4:
        return None

    def codegen(context, builder, signature, args):
        f = _llvm_fn(builder, "fma", _V4, 3)
        return _to_tup(context, builder, builder.call(f, [_to_vec(builder, x) for x in args]))
    return _F4(_F4, _F4, _F4), codegen


@intrinsic
def vsel(typingctx, m, a, b):
    """lanes of a where m != 0, else lanes of b."""
    if m != _F4 or a != _F4 or b != _F4:
        return None

    def codegen(context, builder, signature, args):
        mv, x, y = (_to_vec(builder, t) for t in args)
        c = builder.fcmp_unordered("!=", mv, _const(_V4, 0.0))
        return _to_tup(context, builder, builder.select(c, x, y))
    return _F4(_F4, _F4, _F4), codegen


@intrinsic
def vneg(typingctx, a):
    """-a lane by lane (exact, as scalar negation)."""
    if a != _F4:
        return None

    def codegen(context, builder, signature, args):
        x = _to_vec(builder, args[0])
        return _to_tup(context, builder, builder.fsub(_const(_V4, -0.0), x))
    return _F4(_F4), codegen


def _is_f64_vector(arr):
    return isinstance(arr, types.Array) and arr.dtype == types.float64 and arr.ndim == 1


def _lane_ptr(context, builder, signature, args):
    """Pointer to arr[idx] as a pointer to 4 doubles."""
    a = context.make_array(signature.args[0])(context, builder, value=args[0])
    return builder.bitcast(builder.gep(a.data, [args[1]]), _V4.as_pointer())


@intrinsic
def vld(typingctx, arr, idx):
    """arr[idx:idx+4] of a C-contiguous float64 1-D array as a 4-tuple (one vector load)."""
    if not _is_f64_vector(arr):
        return None

    def codegen(context, builder, signature, args):
        p = _lane_ptr(context, builder, signature, args)
        return _to_tup(context, builder, builder.load(p, align=8))
    return _F4(arr, types.intp), codegen


@intrinsic
def vst(typingctx, arr, idx, t):
    """arr[idx:idx+4] = t (one vector store)."""
    if not _is_f64_vector(arr) or t != _F4:
        return None

    def codegen(context, builder, signature, args):
        p = _lane_ptr(context, builder, signature, args)
        builder.store(_to_vec(builder, args[2]), p, align=8)
        return context.get_dummy_value()
    return types.void(arr, types.intp, _F4), codegen
