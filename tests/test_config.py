import copy
import subprocess
import sys

import pytest

from xornet import config as C

ROOT = C.ROOT


def test_defaults_and_ci_config_are_valid():
    C.load()
    C.load(ROOT / "config.yaml", ROOT / "config" / "ci.yaml")


@pytest.mark.parametrize(
    "mutate, key",
    [
        (lambda c: c["training"].__setitem__("n_epochs", -5), "training.n_epochs"),
        (lambda c: c["training"]["runs"][0].__setitem__("eta", 0.0), "training.runs[0].eta"),
        (lambda c: c["training"]["runs"][0].__setitem__("eta", "fast"), "training.runs[0].eta"),
        (lambda c: c.__setitem__("bogus", 1), "bogus"),
        (lambda c: c["lr_window"].__setitem__("typo_key", 1), "lr_window.typo_key"),
        (lambda c: c["table2"]["mc"].pop("step"), "table2.mc"),
        (lambda c: c.__setitem__("threshold", 2.0), "threshold"),
    ],
)
def test_bad_values_name_the_key(mutate, key):
    cfg = copy.deepcopy(C.load())
    mutate(cfg)
    with pytest.raises(C.ConfigError) as err:
        C.validate(cfg)
    assert key in str(err.value)


def test_deep_merge_semantics():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    out = C.deep_merge(base, {"a": {"c": [3]}, "e": 2})
    assert out == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}
    assert base["a"]["c"] == [1, 2]


def test_workflow_refuses_bad_config_before_any_job(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("training:\n  n_epochs: -1\n")
    out = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--configfile", str(bad)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert out.returncode != 0
    assert "training.n_epochs" in out.stdout + out.stderr
