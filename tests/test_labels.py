"""File labels of numeric config values (xornet.labels): injective, round-trip, buildable."""

import math
import re

import numpy as np
import pytest

from xornet import config as C
from xornet import labels as LB

# the wildcard constraints of the rules that take these labels
RUN_RE = r"nh\d+_eta[0-9.e+-]+"  # rule train_run
R_RE = LB.NUM_LABEL_RE  # rules entropy_* (wildcard R)


def _random_values(n=20000, seed=13):
    rng = np.random.default_rng(seed)
    mant = rng.uniform(1.0, 10.0, n)
    expo = rng.integers(-300, 300, n)
    vals = list(mant * 10.0 ** expo.astype(float))
    vals += list(rng.uniform(0, 100, n))  # the usual range
    base = rng.uniform(0.01, 10, n // 10)  # neighbours one ulp apart and equal to 6 digits
    vals += list(base) + list(np.nextafter(base, np.inf)) + list(base * (1 + 1e-7))
    vals += list(rng.integers(1, 10**9, n // 10).astype(float))
    return [float(v) for v in vals if math.isfinite(v) and v > 0]


def test_labels_round_trip_and_are_injective():
    vals = _random_values()
    labs = [LB.num_label(v) for v in vals]
    for v, s in zip(vals, labs, strict=True):
        assert float(s) == v, (v, s)
        assert LB.parse_num_label(s) == v
        assert re.fullmatch(R_RE, s), s
    by_label = {}
    for v, s in zip(vals, labs, strict=True):
        assert by_label.setdefault(s, v) == v, f"{v!r} and {by_label[s]!r} share label {s}"


@pytest.mark.parametrize("v", [1e-300, 1e-5, 5e-5, 1e6, 1.5e6, 1e16, 1e300, 0.1 + 1e-7])
def test_extreme_values_have_buildable_labels(v):
    s = LB.r_label(v)
    assert float(s) == v and re.fullmatch(R_RE, s)
    run = LB.run_label(2, v)
    assert re.fullmatch(RUN_RE, run) and float(run.split("_eta")[1]) == v


def test_values_equal_to_six_digits_get_two_labels():
    a, b = 0.1, 0.1000001
    assert f"{a:g}" == f"{b:g}"  # the old format merged them into one job
    assert LB.eta_label(a) != LB.eta_label(b)


def test_default_labels_are_unchanged():
    """Every learning rate and box size of config.yaml and config/ci.yaml keeps the label the
    old ``:g`` format gave, so finished results are not renamed."""
    vals = []
    for cfg in (C.load(), C.load(C.ROOT / "config.yaml", C.ROOT / "config" / "ci.yaml")):
        vals += [r["eta"] for r in cfg["training"]["runs"]] + [cfg["training"]["reference"]["eta"]]
        vals += [cfg["entropy"]["R"], *cfg["entropy"]["r_sensitivity"]["R"]]
    for v in vals:
        assert LB.num_label(v) == f"{float(v):g}", v
    assert LB.run_label(2, 0.1) == "nh2_eta0.1" and LB.r_label(30.0) == "30"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_have_no_label(bad):
    with pytest.raises(ValueError):
        LB.num_label(bad)


def test_negative_zero_and_whole_numbers():
    assert LB.num_label(-0.0) == LB.num_label(0.0) == "0"
    assert LB.num_label(7) == "7" and LB.num_label(-2.5) == "-2.5"
    with pytest.raises(ValueError):
        LB.run_label(2.5, 0.1)
    with pytest.raises(ValueError):
        LB.parse_num_label("1e5x")
