"""A few scorecard checks at their exact tolerance boundaries, and the verdict mapping (issue 15;
the per-claim synthetic tests of every claim belong to the claims work, not here)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xornet import claims, config
from xornet.io import provenance, write_parquet

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = config.load(ROOT / "config.yaml")


def _claim(cid):
    return next(c for c in claims.CLAIMS if c.id == cid)


def _write(path, df, dataset, cfg):
    write_parquet(df, path, dataset=dataset, prov=provenance(dataset, "test", cfg, 1))
    return str(path)


def _plateaus(upper_w11):
    names = ["w1_1_1", "w1_1_2", "w1_2_1", "w1_2_2", "b1_1", "b1_2", "w2_1_1", "w2_1_2", "b2_1"]
    return pd.DataFrame({
        "param": names, "tau0": np.zeros(9, np.int64), "resolution": 0.01,
        "lower_in": -1.0, "lower_out": -1.01,
        "upper_in": [upper_w11 if n == "w1_1_1" else 1.0 for n in names],
        "upper_out": [(upper_w11 if n == "w1_1_1" else 1.0) + 0.01 for n in names],
        "lower_open": False, "upper_open": False, "bisection_steps": np.full(9, 7, np.int64)})


@pytest.mark.parametrize("upper,ok", [(2.2, True), (2.29, True), (2.11, True), (2.31, False),
                                      (2.09, False), (2.5, False)])
def test_plateau_edge_tolerance_is_0_1(tmp_path, upper, ok):
    """B10: reproduced iff |edge - 2.2| <= 0.1 (the paper's two digits), at paper scale."""
    p = _write(tmp_path / "p.parquet", _plateaus(upper), "perturb_plateaus",
               dict(DEFAULTS["perturbation"]))
    r = claims.evaluate({"plateaus": p}, DEFAULTS, [_claim("B10")]).iloc[0]
    assert r["ci_scale"] == False  # noqa: E712
    assert r["verdict"] == ("reproduced" if ok else "differs")
    assert r["outcome"] == r["verdict"]
    assert r["reproduced_number"] == pytest.approx(upper)


class _Frames(claims.Data):
    """In-memory inputs for a check (the checks only call frame / extra)."""

    def __init__(self, **frames):
        super().__init__({k: k for k in frames})
        self.frames = frames

    def frame(self, key):
        return self.frames[key]


@pytest.mark.parametrize("m,ok", [(0.8749, True), (0.875, False), (0.95, False)])
def test_no_higher_loss_boundary(m, ok):
    """C4: the highest loss on every cross-section must be < 0.875 (strict)."""
    f = pd.DataFrame({"x": ["a", "b"], "y": ["c", "d"], "max_loss": [0.5, m]})
    res = _claim("C4").check(_Frames(features=f))
    assert res.ok == ok and res.number == m


@pytest.mark.parametrize("depth,ok", [(2.0, True), (np.nextafter(2.0, 0), False), (5.0, True)])
def test_suppression_depth_boundary(depth, ok):
    """D5: every significant intruder for n_h >= 2 at least 2 deep (inclusive); intruders that
    are not significant or belong to n_h = 1 do not count."""
    i = pd.DataFrame({"n_h": [1, 2, 2, 3], "depth": [0.1, depth, 0.5, 7.0],
                      "significant": [True, True, False, True]})
    res = _claim("D5").check(_Frames(intruders=i))
    assert res.ok == ok and res.number == depth


def test_verdict_follows_the_check(monkeypatch):
    """At paper scale the verdict is the check's outcome: ok -> reproduced, not ok -> differs;
    a crashing check is 'not checkable' with the error named, never a verdict."""
    base = _claim("C4")

    class D:
        paths = {"features": "f"}

        def available(self, k):
            return True

        def prov(self, k):
            return {"config": dict(DEFAULTS["landscape"])}

        def frame(self, k):
            return None

    for ok, verdict in ((True, "reproduced"), (False, "differs")):
        c = claims.Claim(**{**base.__dict__, "check": lambda d, ok=ok: claims.Result("v", ok)})
        row = claims.evaluate_claim(c, D(), DEFAULTS)
        assert (row["verdict"], row["outcome"], row["ci_scale"]) == (verdict, verdict, False)

    def boom(d):
        raise ZeroDivisionError("x")

    row = claims.evaluate_claim(claims.Claim(**{**base.__dict__, "check": boom}), D(), DEFAULTS)
    assert row["verdict"] == "not checkable" and "ZeroDivisionError" in row["reason"]
