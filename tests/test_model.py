"""The NumPy reference model (Eqs. 1-6): loss vs an independent forward pass, gradient vs
finite differences, parameter layout, symmetries (canonical form, hidden logic)."""

import math

import numpy as np
import pytest

from xornet import model as M

X = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
Y = [0.0, 1.0, 1.0, 0.0]


def plain_loss(v, n_h, counts=(1, 1, 1, 1)):
    """Eqs. 1-5 written out with Python floats and math.exp (independent of xornet.model)."""
    total = 0.0
    for m, (x1, x2) in enumerate(X):
        z2 = v[4 * n_h]
        for i in range(n_h):
            z = v[2 * i] * x1 + v[2 * i + 1] * x2 + v[2 * n_h + i]
            a = 1.0 / (1.0 + math.exp(-z))
            z2 += v[3 * n_h + i] * a
        yhat = 1.0 / (1.0 + math.exp(-z2))
        total += counts[m] * (yhat - Y[m]) ** 2
    return total / 4.0


@pytest.mark.parametrize("n_h", [1, 2, 5, 18])
def test_loss_matches_plain_forward(n_h):
    rng = np.random.default_rng(10 + n_h)
    for _ in range(20):
        v = rng.normal(0.0, 3.0, M.n_params(n_h))
        c = rng.multinomial(4, [0.25] * 4)
        assert M.loss(v, n_h) == pytest.approx(plain_loss(v, n_h), rel=1e-13, abs=1e-300)
        assert M.loss(v, n_h, c) == pytest.approx(plain_loss(v, n_h, c), rel=1e-13, abs=1e-300)


def test_loss_broadcasts_over_leading_axes():
    rng = np.random.default_rng(1)
    V = rng.normal(0.0, 1.0, (3, 4, M.n_params(2)))
    L = M.loss(V, 2)
    assert L.shape == (3, 4)
    assert L[2, 1] == pytest.approx(plain_loss(V[2, 1], 2), rel=1e-13)


@pytest.mark.parametrize("n_h", [1, 2, 5, 18])
def test_grad_vs_central_differences(n_h):
    rng = np.random.default_rng(100 + n_h)
    h = 1e-6
    for trial in range(5):
        v = rng.normal(0.0, 1.5, M.n_params(n_h))
        counts = None if trial % 2 == 0 else rng.multinomial(4, [0.25] * 4)
        g = M.grad(v, n_h, counts)
        fd = np.empty_like(v)
        for k in range(v.size):
            e = np.zeros_like(v)
            e[k] = h
            fd[k] = (M.loss(v + e, n_h, counts) - M.loss(v - e, n_h, counts)) / (2 * h)
        # central differences: error O(h^2 L''') + O(eps L / h) ~ 1e-10
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)


def test_grad_broadcasts():
    rng = np.random.default_rng(2)
    V = rng.normal(0.0, 1.0, (5, M.n_params(3)))
    G = M.grad(V, 3)
    for r in range(5):
        np.testing.assert_array_equal(G[r], M.grad(V[r], 3))


def test_parameter_layout_and_names():
    assert M.n_params(2) == 9
    assert M.n_hidden(73) == 18
    assert M.param_names(2) == ["w1_1_1", "w1_1_2", "w1_2_1", "w1_2_2", "b1_1", "b1_2",
                                "w2_1_1", "w2_1_2", "b2_1"]
    assert M.param_index("b2_1", 18) == 72
    with pytest.raises(KeyError):
        M.param_index("w9", 2)
    with pytest.raises(ValueError):
        M.n_params(0)
    # w1_i_j connects input j to hidden neuron i: only w1_2_1 and b1_2 matter for hidden
    # neuron 2 on case (1, 0)
    v = np.zeros(9)
    v[M.param_index("w1_2_1", 2)] = 3.0
    a1, _ = M.forward(v, 2)
    assert a1[2, 1] == pytest.approx(1.0 / (1.0 + math.exp(-3.0)))
    assert a1[1, 1] == 0.5 and a1[2, 0] == 0.5
    assert len(M.param_labels(18)) == 73


def test_sigmoid_overflow_free():
    z = np.array([-1e300, -800.0, -40.0, 0.0, 40.0, 800.0, 1e300])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = M.sigmoid(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert s[2] == pytest.approx(math.exp(-40.0) / (1 + math.exp(-40.0)), rel=1e-15)


def _permute_and_flip(v, n_h, perm, flips):
    W1, b1, W2, b2 = (np.array(a, float) for a in M.unpack(v, n_h))
    b2 = float(b2)
    for i in np.flatnonzero(flips):
        # sigma(-z) = 1 - sigma(z): hidden neuron i with all signs flipped
        b2 += W2[i]
        W1[i] *= -1
        b1[i] *= -1
        W2[i] *= -1
    return M.pack(W1[perm], b1[perm], W2[perm], b2)


@pytest.mark.parametrize("n_h", [2, 3, 5])
def test_canonical_and_hidden_logic_invariant_under_symmetries(n_h):
    rng = np.random.default_rng(7 + n_h)
    for _ in range(10):
        v = rng.normal(0.0, 4.0, M.n_params(n_h))
        perm = rng.permutation(n_h)
        flips = rng.integers(0, 2, n_h).astype(bool)
        u = _permute_and_flip(v, n_h, perm, flips)
        # the transformation is an exact symmetry of the outputs
        np.testing.assert_allclose(M.forward(u, n_h)[1], M.forward(v, n_h)[1], rtol=1e-12)
        np.testing.assert_allclose(M.canonical(u, n_h), M.canonical(v, n_h), rtol=1e-12,
                                   atol=1e-12)
        assert M.hidden_logic(u, n_h) == M.hidden_logic(v, n_h)
        c = M.canonical(v, n_h)
        W2 = M.unpack(c, n_h)[2]
        assert np.all(W2 >= 0) and np.all(np.diff(W2) >= 0)
        np.testing.assert_allclose(M.forward(c, n_h)[1], M.forward(v, n_h)[1], rtol=1e-12)


def test_hidden_logic_of_known_gates():
    # hidden neuron 1 = OR, neuron 2 = AND (cases (0,0), (0,1), (1,0), (1,1)), output OR - AND.
    # canonical() makes output weights positive, so the AND neuron (weight -20) becomes NAND.
    v = M.pack([[10.0, 10.0], [10.0, 10.0]], [-5.0, -15.0], [20.0, -20.0], -10.0)
    assert M.hidden_logic(v, 2) == "0111|1110"
    np.testing.assert_array_equal(np.round(M.forward(v, 2)[1]), M.Y)
    flipped = _permute_and_flip(v, 2, np.array([1, 0]), np.array([True, False]))
    assert M.hidden_logic(flipped, 2) == "0111|1110"
