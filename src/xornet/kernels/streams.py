"""Random streams of the kernels: splitmix64, uniform draws and randomized batches (Sec. II).

Every replica owns one ``uint64`` splitmix64 state, seeded by :func:`xornet.rng.replica_states`;
nothing else draws random numbers, so a result depends only on the seed, never on thread count
or chunking.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .simd import _INL, JIT

__all__ = ["_weights", "draw_batch", "splitmix64", "uniform01"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_U3 = np.uint64(3)
_TWO_M53 = 1.0 / 9007199254740992.0


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
def draw_batch(state, w):
    """Randomized batch (Sec. II): four cases uniformly with replacement -> weights c_m/4."""
    s, bits = splitmix64(state)
    w[0], w[1], w[2], w[3] = _weights(bits)
    return s
