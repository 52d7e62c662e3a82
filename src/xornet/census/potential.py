"""Energy E(v) = L(v) + sum_k lam_k v_k^2 of the census, with its analytic gradient and Hessian.

L is the nonrandomized full-batch loss of Eq. (4) (mean over the four cases of Table I of
(yhat - y)^2, Eqs. 1-3, 5). The regularisation is a per-parameter vector ``reg`` (lam_k), so
one kernel serves the census (lam on every parameter), weights-only L2 and lam = 0 (the
embedding test). ``reg`` also carries the gate's four targets y_m after its P coefficients
(:func:`reg_vector`; config ``gate``, paper: XOR), so every function that passes ``reg``
evaluates the configured gate and the compiled kernel never reads a global (numba's cache
would keep a stale one). Parameter order as in :mod:`xornet.model`.

Exact symmetries of E used for deduplication (:func:`symmetry_perms`): permutations of the
hidden neurons and the input swap x1 <-> x2 are coordinate permutations, so they leave every
output *and* |v|^2 unchanged. The sigmoid sign flip of a hidden neuron (w_i -> -w_i,
b_i -> -b_i, w_1i^(2) -> -w_1i^(2), b^(2) -> b^(2) + w_1i^(2)) leaves L unchanged but changes
b^(2)^2, so it is exact for E only if the output bias is not regularised
(:func:`sign_flip`, checked in the tests).
"""

from __future__ import annotations

import itertools

import numpy as np
from numba import njit

from .. import gates
from ..model import X, Y, n_params

# --------------------------------------------------------------------------- thresholds
#: Every numerical threshold of the census, in one place (docs/census.md explains each).
TOL = {
    "grad_rms": 1e-10,   # a stationary point: RMS gradient below this (Newton-polished)
    "eig_zero": 1e-9,    # Hessian eigenvalue < -eig_zero counts as negative (index)
    "same_energy": 1e-9,  # two points may be the same only if |dE| < this (absolute)
    "same_point": 1e-4,  # ... and their symmetry-aligned max-norm distance < this
    "eig_floor": 1e-10,  # modified Newton: |Hessian eigenvalue| floored at this
    "solve_margin": 0.5,  # a point solves the gate if every output is on the right side of 0.5
}

_X = np.ascontiguousarray(X)


def reg_vector(n_h: int, lam: float, on: str = "all", gate: str = "xor") -> np.ndarray:
    """Per-parameter L2 coefficients: ``on`` = all | weights (biases unregularised) | none;
    followed by the four targets of ``gate`` (:func:`xornet.gates.targets`): length P + 4."""
    r = np.full(n_params(n_h) + 4, float(lam))
    r[n_params(n_h):] = gates.targets(gate)
    if on == "weights":
        r[2 * n_h : 3 * n_h] = 0.0
        r[4 * n_h] = 0.0
    elif on == "none":
        r[: n_params(n_h)] = 0.0
    elif on != "all":
        raise ValueError(f"regularise must be all | weights | none, got {on!r}")
    return r


@njit(cache=True)
def _sig(z):
    if z >= 0:
        return 1.0 / (1.0 + np.exp(-z))
    e = np.exp(z)
    return e / (1.0 + e)


@njit(cache=True)
def egh(v, n_h, reg, want_h):
    """Energy, gradient and (if ``want_h``) Hessian of E at ``v`` (Eqs. 1-5 plus L2)."""
    P = 4 * n_h + 1
    g = np.zeros(P)
    H = np.zeros((P, P))
    J = np.zeros(P)
    a = np.zeros(n_h)
    ap = np.zeros(n_h)
    app = np.zeros(n_h)
    E = 0.0
    for m in range(4):
        x1 = _X[m, 0]
        x2 = _X[m, 1]
        z2 = v[4 * n_h]
        for i in range(n_h):
            z = v[2 * i] * x1 + v[2 * i + 1] * x2 + v[2 * n_h + i]
            s = _sig(z)
            a[i] = s
            ap[i] = s * (1.0 - s)
            app[i] = ap[i] * (1.0 - 2.0 * s)
            z2 += v[3 * n_h + i] * s
        y = _sig(z2)
        r = y - reg[P + m]  # the gate's target y_m (see reg_vector)
        yp = y * (1.0 - y)
        E += 0.25 * r * r
        g2 = 0.5 * r * yp
        for i in range(n_h):
            w2 = v[3 * n_h + i]
            J[2 * i] = w2 * ap[i] * x1
            J[2 * i + 1] = w2 * ap[i] * x2
            J[2 * n_h + i] = w2 * ap[i]
            J[3 * n_h + i] = a[i]
        J[4 * n_h] = 1.0
        for k in range(P):
            g[k] += g2 * J[k]
        if want_h:
            h2 = 0.5 * (yp * yp + r * yp * (1.0 - 2.0 * y))
            for k in range(P):
                for l in range(P):
                    H[k, l] += h2 * J[k] * J[l]
            for i in range(n_h):
                idx = (2 * i, 2 * i + 1, 2 * n_h + i)
                f = (x1, x2, 1.0)
                w2 = v[3 * n_h + i]
                o = 3 * n_h + i
                for p in range(3):
                    c = g2 * ap[i] * f[p]
                    H[o, idx[p]] += c
                    H[idx[p], o] += c
                    for q in range(3):
                        H[idx[p], idx[q]] += g2 * w2 * app[i] * f[p] * f[q]
    for k in range(P):
        E += reg[k] * v[k] * v[k]
        g[k] += 2.0 * reg[k] * v[k]
        if want_h:
            H[k, k] += 2.0 * reg[k]
            for l in range(k):  # exactly symmetric (the sums above round differently)
                s = 0.5 * (H[k, l] + H[l, k])
                H[k, l] = s
                H[l, k] = s
    return E, g, H


def energy(v, n_h: int, reg) -> float:
    return float(egh(np.asarray(v, float), n_h, np.asarray(reg, float), False)[0])


def gradient(v, n_h: int, reg) -> np.ndarray:
    return egh(np.asarray(v, float), n_h, np.asarray(reg, float), False)[1]


def hessian(v, n_h: int, reg) -> np.ndarray:
    return egh(np.asarray(v, float), n_h, np.asarray(reg, float), True)[2]


def index_of(v, n_h: int, reg) -> tuple[int, float, np.ndarray]:
    """Hessian index (eigenvalues < -eig_zero), lowest eigenvalue and all eigenvalues."""
    w = np.linalg.eigvalsh(hessian(v, n_h, reg))
    return int((w < -TOL["eig_zero"]).sum()), float(w[0]), w


# --------------------------------------------------------------------------- symmetries
def symmetry_perms(n_h: int) -> np.ndarray:
    """Index arrays p (one row per group element) with v[p] the image of v under a
    hidden-neuron permutation combined with (or without) the input swap x1 <-> x2.
    Row 0 is the identity. Shape (2 * n_h!, 4 n_h + 1)."""
    rows = []
    for swap in (False, True):
        for perm in itertools.permutations(range(n_h)):
            p = []
            for i in perm:
                p += [2 * i + 1, 2 * i] if swap else [2 * i, 2 * i + 1]
            p += [2 * n_h + i for i in perm]
            p += [3 * n_h + i for i in perm]
            p.append(4 * n_h)
            rows.append(p)
    return np.array(rows, dtype=np.int64)


def sign_flip(v, n_h: int, i: int) -> np.ndarray:
    """Sigmoid sign flip of hidden neuron ``i``: same L, different b^(2)^2 (see module doc)."""
    w = np.array(v, float)
    w[4 * n_h] += w[3 * n_h + i]
    w[2 * i : 2 * i + 2] *= -1
    w[2 * n_h + i] *= -1
    w[3 * n_h + i] *= -1
    return w


def aligned_distance(v, w, perms) -> tuple[float, np.ndarray]:
    """min over the group of max|g(w) - v| and the aligned image g(w)."""
    imgs = np.asarray(w)[perms]
    d = np.abs(imgs - np.asarray(v)[None, :]).max(axis=1)
    k = int(np.argmin(d))
    return float(d[k]), imgs[k]


def canonical(v, perms) -> np.ndarray:
    """A fixed representative of the orbit: lexicographically largest image after rounding
    to 6 decimals (for tables; identity is decided by :func:`aligned_distance`)."""
    imgs = np.asarray(v)[perms]
    keys = np.round(imgs, 6)
    order = np.lexsort(keys.T[::-1])
    return imgs[order[-1]]


# --------------------------------------------------------------------------- classification
def outputs(v, n_h: int) -> np.ndarray:
    """yhat for the four cases of Table I."""
    from ..model import forward

    return forward(np.asarray(v, float), n_h)[1]


def misclassified(v, n_h: int, targets=Y) -> list[str]:
    """Cases of Table I on the wrong side of 0.5 (empty: the point solves the gate whose
    targets are ``targets``; default XOR, the paper's)."""
    from ..model import CASES

    y = outputs(v, n_h)
    wrong = (y >= TOL["solve_margin"]) != (np.asarray(targets) >= 0.5)
    return [c for c, w in zip(CASES, wrong, strict=True) if w]
