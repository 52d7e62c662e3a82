"""The 2-n_h-1 sigmoid XOR network of the paper (Sec. II, Eqs. 1-6), in plain NumPy.

This module is the *reference* implementation: readable, vectorised over any leading
axes of the parameter array, used by tests, landscapes and plots. The hot loops live in
:mod:`xornet.kernels` and are tested against these functions.

Parameter vector ``v`` (length ``4*n_h + 1``), in the order of Table II generalised to n_h:

=====================  ===========================  ===============================
slice                  meaning                      names (n_h = 2)
=====================  ===========================  ===============================
``v[0 : 2n_h]``        W^(1), row-major: w_ij^(1)   w1_1_1, w1_1_2, w1_2_1, w1_2_2
                       (input j -> hidden i)
``v[2n_h : 3n_h]``     b^(1)                        b1_1, b1_2
``v[3n_h : 4n_h]``     W^(2) = w_1i^(2)             w2_1_1, w2_1_2
``v[4n_h]``            b^(2)                        b2_1
=====================  ===========================  ===============================
"""

from __future__ import annotations

import numpy as np

from . import gates
from .paper import TABLE2 as PAPER_TABLE2  # noqa: F401  (Table II as printed; xornet.paper)

#: Truth table of the XOR gate (Table I): inputs x1, x2 and target y, in the paper's order.
#: Other gates (config ``gate``): targets from :func:`xornet.gates.targets`, same X.
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = gates.targets(gates.PAPER)
CASES = ["(0,0)", "(0,1)", "(1,0)", "(1,1)"]


def n_params(n_h: int) -> int:
    """Number of weights and biases of the 2-n_h-1 network: 2n_h + n_h + n_h + 1."""
    if n_h < 1:
        raise ValueError(f"n_h must be >= 1, got {n_h}")
    return 4 * n_h + 1


def n_hidden(n_p: int) -> int:
    """Inverse of :func:`n_params`."""
    if n_p < 5 or (n_p - 1) % 4:
        raise ValueError(f"{n_p} is not 4*n_h+1 for any n_h >= 1")
    return (n_p - 1) // 4


def param_names(n_h: int) -> list[str]:
    """Machine names in vector order: ``w1_i_j``, ``b1_i``, ``w2_1_i``, ``b2_1``."""
    names = [f"w1_{i}_{j}" for i in range(1, n_h + 1) for j in (1, 2)]
    names += [f"b1_{i}" for i in range(1, n_h + 1)]
    names += [f"w2_1_{i}" for i in range(1, n_h + 1)]
    names += ["b2_1"]
    return names


def param_labels(n_h: int) -> list[str]:
    """LaTeX labels in vector order, as printed in the paper (e.g. ``$w_{11}^{(1)}$``)."""

    def idx(*k: int) -> str:
        return ("," if max(k) > 9 else "").join(str(x) for x in k)

    labels = [f"$w_{{{idx(i, j)}}}^{{(1)}}$" for i in range(1, n_h + 1) for j in (1, 2)]
    labels += [f"$b_{{{i}}}^{{(1)}}$" for i in range(1, n_h + 1)]
    labels += [f"$w_{{{idx(1, i)}}}^{{(2)}}$" for i in range(1, n_h + 1)]
    labels += ["$b_{1}^{(2)}$"]
    return labels


def param_index(name: str, n_h: int) -> int:
    """Position of a named parameter in the vector (raises ``KeyError`` with the valid names)."""
    names = param_names(n_h)
    try:
        return names.index(name)
    except ValueError:
        raise KeyError(f"unknown parameter {name!r} for n_h={n_h}; valid: {names}") from None


def unpack(v: np.ndarray, n_h: int):
    """Split ``v[..., P]`` into (W1[..., n_h, 2], b1[..., n_h], W2[..., n_h], b2[...])."""
    v = np.asarray(v, dtype=float)
    if v.shape[-1] != n_params(n_h):
        raise ValueError(f"expected last axis {n_params(n_h)} for n_h={n_h}, got {v.shape}")
    W1 = v[..., : 2 * n_h].reshape(*v.shape[:-1], n_h, 2)
    b1 = v[..., 2 * n_h : 3 * n_h]
    W2 = v[..., 3 * n_h : 4 * n_h]
    b2 = v[..., 4 * n_h]
    return W1, b1, W2, b2


def pack(W1, b1, W2, b2) -> np.ndarray:
    """Inverse of :func:`unpack` for a single network."""
    W1 = np.asarray(W1, float)
    return np.concatenate([W1.reshape(-1), np.ravel(b1), np.ravel(W2), np.atleast_1d(b2)])


def sigmoid(z):
    """sigma(z) = 1/(1+exp(-z)) (Eq. 3), overflow-free for any finite z."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def forward(v, n_h: int, x=X):
    """Forward pass (Eqs. 1-3) for every case in ``x``.

    Returns ``(a1, yhat)`` with ``a1[..., m, i]`` the hidden activation a_i^(1) for case m
    and ``yhat[..., m]`` = a_1^(2). Leading axes of ``v`` are broadcast (grids, ensembles).
    """
    W1, b1, W2, b2 = unpack(v, n_h)
    x = np.asarray(x, float)
    z1 = np.einsum("...ij,mj->...mi", W1, x) + b1[..., None, :]
    a1 = sigmoid(z1)
    z2 = np.einsum("...mi,...i->...m", a1, W2) + b2[..., None]
    return a1, sigmoid(z2)


def case_losses(v, n_h: int, gate=gates.PAPER):
    """Per-case losses (yhat_m - y_m)^2 (Eq. 5) for the four cases of Table I."""
    _, yhat = forward(v, n_h)
    return (yhat - gates.targets(gate)) ** 2


def loss(v, n_h: int, counts=None, gate=gates.PAPER):
    """Total loss (Eq. 4).

    ``counts[..., 4]``: how often each case appears in the batch (a randomized batch of
    M = 4 draws with replacement); ``None`` is the nonrandomized full batch (all ones).
    """
    lm = case_losses(v, n_h, gate)
    if counts is None:
        return lm.mean(axis=-1)
    return (lm * np.asarray(counts, float)).sum(axis=-1) / 4.0


def grad(v, n_h: int, counts=None, gate=gates.PAPER):
    """Analytic gradient of :func:`loss` (the average in Eq. 6), same shape as ``v``."""
    v = np.asarray(v, float)
    W1, b1, W2, b2 = unpack(v, n_h)
    a1, yhat = forward(v, n_h)
    c = np.ones(4) if counts is None else np.asarray(counts, float)
    d2 = 2.0 * (yhat - gates.targets(gate)) * yhat * (1.0 - yhat) * c / 4.0  # [..., m]
    gW2 = np.einsum("...m,...mi->...i", d2, a1)
    gb2 = d2.sum(axis=-1)
    d1 = d2[..., :, None] * W2[..., None, :] * a1 * (1.0 - a1)  # [..., m, i]
    gW1 = np.einsum("...mi,mj->...ij", d1, X)
    gb1 = d1.sum(axis=-2)
    return np.concatenate(
        [gW1.reshape(*v.shape[:-1], 2 * n_h), gb1, gW2, gb2[..., None]], axis=-1
    )


def init_uniform(n_h: int, rng: np.random.Generator, scale: float = 0.1, low: float = 0.0):
    """The paper's initialization v_k = scale * r_k, r_k uniform in [low, 1) (Sec. III.A)."""
    return scale * rng.uniform(low, 1.0, size=n_params(n_h))


def canonical(v, n_h: int) -> np.ndarray:
    """Representative of ``v`` under the network's exact symmetries.

    Two symmetries leave every output unchanged: permuting hidden neurons, and the
    sign flip of hidden neuron i (w_i. -> -w_i., b_i -> -b_i, w_1i^(2) -> -w_1i^(2),
    b^(2) -> b^(2) + w_1i^(2)), because sigma(-z) = 1 - sigma(z). The representative has
    every output weight w_1i^(2) >= 0 and hidden neurons sorted by that weight.
    """
    W1, b1, W2, b2 = (np.array(a, float) for a in unpack(v, n_h))
    b2 = float(b2)
    for i in range(n_h):
        if W2[i] < 0:
            b2 += W2[i]
            W1[i] *= -1
            b1[i] *= -1
            W2[i] *= -1
    order = np.argsort(W2, kind="stable")
    return pack(W1[order], b1[order], W2[order], b2)


def hidden_logic(v, n_h: int) -> str:
    """The Boolean function each hidden neuron computes, after :func:`canonical`.

    Each neuron's four activations are rounded to 0/1 and written as a 4-bit string over
    the cases (0,0),(0,1),(1,0),(1,1); neurons are sorted, so the result labels the
    solution up to the symmetries (used to deduplicate Monte Carlo solutions, Table II).
    """
    a1, _ = forward(canonical(v, n_h), n_h)
    bits = ["".join("1" if a >= 0.5 else "0" for a in a1[:, i]) for i in range(n_h)]
    return "|".join(sorted(bits))
