"""Seeds: every random result derives from one integer seed in config plus a stream label.

``replica_states(seed, n, "fig5/w1_1_1")`` gives ``n`` independent splitmix64 states for the
kernels (:mod:`xornet.kernels`). Streams are derived with NumPy's ``SeedSequence`` from the
seed and a stable hash of the label, so adding a new stage or replica never shifts the
random numbers of another, and the result does not depend on how jobs are scheduled.
"""

from __future__ import annotations

import hashlib

import numpy as np


def label_key(label: str) -> tuple[int, ...]:
    """Stable (not Python-hash-randomised) integer key of a stream label."""
    digest = hashlib.sha256(label.encode()).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def seed_sequence(seed: int, label: str) -> np.random.SeedSequence:
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return np.random.SeedSequence(int(seed), spawn_key=label_key(label))


def replica_states(seed: int, n: int, label: str) -> np.ndarray:
    """``n`` uint64 kernel RNG states for stream ``label``."""
    return seed_sequence(seed, label).generate_state(n, dtype=np.uint64)


def generator(seed: int, label: str) -> np.random.Generator:
    """A NumPy Generator for stream ``label`` (initial conditions, grids; not hot loops)."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, label)))
