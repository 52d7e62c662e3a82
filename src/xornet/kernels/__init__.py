"""Compiled (numba) hot loops: one kernel call runs many epochs or MC steps.

Modules: :mod:`.simd` (fused multiply-add, the sigmoid, 4-lane vector intrinsics),
:mod:`.streams` (splitmix64 streams, randomized batches), :mod:`.network` (forward pass,
loss, gradient, one epoch of one network, the four cases in vector lanes),
:mod:`.lanes` (the same on four replicas at once, one per SIMD lane) and
:mod:`.optimizers` (gradient descent on one network or an ensemble, Adam, zero-temperature
Monte Carlo, losses of many networks). Every public name but the lane helpers (used as
``kernels.lanes.forward`` etc.) is importable from ``xornet.kernels``.

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
  y = 0 and -c = -(1 - s) for y = 1 (no cancellation), selected per case from the bits. For
  XOR (:data:`XOR_BITS`) the entry points run a copy of their loop compiled with the bits
  folded in, in a function of its own (as fast as when XOR was hard-coded,
  benchmarks/bench_kernels_split.py); the results are the same bits.
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

from . import lanes, network, optimizers, simd, streams  # noqa: F401 (lanes: kernels.lanes)
from .network import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .simd import *  # noqa: F403
from .streams import *  # noqa: F403

__all__ = [*simd.__all__, *streams.__all__, *network.__all__, *optimizers.__all__]
