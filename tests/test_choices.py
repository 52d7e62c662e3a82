"""The ledger of unstated choices (xornet.choices) against the config and its schema."""

import yaml
from conftest import ROOT

from xornet import choices, claims
from xornet.config import validate


def _config():
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def test_every_marked_key_has_an_entry_with_an_alternative():
    cfg = _config()
    marked = choices.marked_keys()
    assert len(marked) >= 10
    for key in marked:
        assert key in choices.BY_KEY, f"{key} is marked x-unstated-choice but not in the ledger"
        assert len(choices.alternatives(choices.BY_KEY[key], cfg)) >= 1, key


def test_every_ledger_key_is_marked_and_exists_in_config():
    cfg = _config()
    marked = set(choices.marked_keys())
    for c in choices.CHOICES:
        choices.get(cfg, c.key)  # raises KeyError naming the key
        assert c.key in marked, f"{c.key} is in the ledger but not marked in the schema"


def test_issue_minimum_list_is_covered():
    want = {"optimizers.adam.lr", "optimizers.adam.beta1", "optimizers.adam.beta2",
            "optimizers.adam.eps", "entropy.R", "table2.mc.step", "table2.mc.init_scale",
            "table2.truncate_epoch", "optimizers.separation_threshold", "seed",
            "lr_window.scan.n", "lr_window.max_epochs", "perturbation.reference",
            "training.fit.tau_min"}
    assert want <= set(choices.BY_KEY)


def test_alternatives_differ_from_default_and_validate():
    cfg = validate(_config())
    for c in choices.CHOICES:
        default = choices.get(cfg, c.key)
        for alt in choices.alternatives(c, cfg):
            assert alt != default, (c.key, alt)
            validate(choices.override(cfg, c.key, alt))  # every reading is a valid config


def test_inputs_are_claim_inputs_and_sweep_modes_known():
    for c in choices.CHOICES:
        assert set(c.inputs) <= set(claims.INPUTS), c.key
        assert c.sweep in choices.SWEEP_MODES, c.key
        if c.sweep == "not swept":
            assert c.note, f"{c.key}: a choice not swept must say why"
        if c.sweep != "not swept":
            assert c.affected_claims(), f"{c.key} is swept but affects no claim"


def test_seeds_are_distinct_and_at_least_16():
    s = choices.seeds(_config())
    assert len(s) >= 16 and len(set(s)) == len(s) and _config()["seed"] not in s


def test_override_is_a_copy():
    cfg = _config()
    new = choices.override(cfg, "optimizers.adam.lr", 0.5)
    assert new["optimizers"]["adam"]["lr"] == 0.5 and cfg["optimizers"]["adam"]["lr"] != 0.5


def test_docs_choices_md_is_generated_from_code():
    assert (ROOT / "docs" / "choices.md").read_text() == choices.markdown(), (
        "docs/choices.md is stale: run .venv/bin/python -m xornet.choices")
