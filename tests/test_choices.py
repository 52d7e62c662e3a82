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
            validate(choices.reading_config(cfg, c, alt))  # ... also at its reduced sizes


def test_inputs_are_claim_inputs_and_sweep_modes_known():
    for c in choices.CHOICES:
        assert set(c.inputs) <= set(claims.INPUTS), c.key
        assert c.sweep in choices.SWEEP_MODES, c.key
        if c.sweep == "not swept":
            assert c.note, f"{c.key}: a choice not swept must say why"
        if c.sweep != "not swept":
            assert c.affected_claims(), f"{c.key} is swept but affects no claim"


def test_a_choice_marked_swept_is_swept():
    """Every choice not marked 'not swept' has a reading per alternative in the robustness
    stage; a reduced sweep names its config section, whose reduced keys exist there and are
    smaller than (or a subset of) the stage's sizes."""
    from xornet import robustness

    cfg = validate(_config())
    reads = robustness.readings(cfg)
    for c in choices.CHOICES:
        got = [r for r in reads if r.key == c.key]
        if c.sweep == "not swept":
            assert not got, c.key
            continue
        assert [r.value for r in got] == choices.alternatives(c, cfg), c.key
        assert all(set(r.stages) == set(c.stages) and r.inputs == c.inputs for r in got)
        red = choices.reduced_sizes(c, cfg)
        assert (c.sweep == "reduced") == bool(c.reduced) == bool(red), c.key
        for key, v in red.items():
            full = choices.get(cfg, key)
            assert set(v) <= set(full) if isinstance(v, list) else v <= full, (key, v, full)
            assert all(choices.get(r.config, key) == v for r in got)
    # the two costly stages are swept (at reduced sizes), not only listed
    assert choices.BY_KEY["entropy.R"].sweep == "reduced"
    assert choices.BY_KEY["perturbation.reference"].sweep == "reduced"


def test_reading_config_changes_only_the_key_and_the_reduced_sizes():
    cfg = validate(_config())
    c = choices.BY_KEY["entropy.R"]
    new = choices.reading_config(cfg, c, 10.0)
    assert new["entropy"]["R"] == 10.0 and cfg["entropy"]["R"] != 10.0
    assert new["entropy"]["n_h"] == cfg["robustness"]["entropy"]["n_h"] != cfg["entropy"]["n_h"]
    rest = {k: v for k, v in new.items() if k != "entropy"}
    assert rest == {k: v for k, v in cfg.items() if k != "entropy"}
    assert {k: v for k, v in new["entropy"].items() if k not in ("R", "n_h")} == {
        k: v for k, v in cfg["entropy"].items() if k not in ("R", "n_h")}
    assert choices.reading_config(cfg, choices.BY_KEY["optimizers.adam.lr"], 0.01) == \
        choices.override(cfg, "optimizers.adam.lr", 0.01)


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
