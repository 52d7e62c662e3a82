"""Issue 13: bad or unusual configurations are refused before any job, naming the key.

Table-driven: each row edits the CI configuration (dotted key path -> value) and names the key
the error message must contain. Also: whole-number floats at integer keys are converted, the
paper and CI configs pass, and Snakemake itself refuses a bad file in a dry run.
"""

from __future__ import annotations

import copy
import math
import subprocess
import sys

import pytest

from xornet import config as C

NAN, INF = math.nan, math.inf
DELETE = object()


_CI = C.load(C.ROOT / "config.yaml", C.ROOT / "config" / "ci.yaml")


def _ci():
    return copy.deepcopy(_CI)


def _parse(path: str):
    out = []
    for part in path.replace("]", "").split("."):
        name, *idx = part.split("[")
        out.append(name)
        out += [int(i) for i in idx]
    return out


def _edit(cfg: dict, path: str, value):
    keys = _parse(path)
    node = cfg
    for k in keys[:-1]:
        node = node[k]
    if value is DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value


START = {"x": "b1_1", "y": "b1_1", "dx": 1.0, "dy": 1.0}

# (edits {dotted key: value}, key the message must name)
BAD = [
    # non-finite numbers, in every kind of section
    ({"threshold": NAN}, "threshold"),
    ({"threshold": INF}, "threshold"),
    ({"progress_seconds": INF}, "progress_seconds"),
    ({"training.init_scale": NAN}, "training.init_scale"),
    ({"training.runs[1].eta": NAN}, "training.runs[1].eta"),
    ({"training.runs[0].eta": INF}, "training.runs[0].eta"),
    ({"training.fit.tau_min": INF}, "training.fit.tau_min"),
    ({"training.gamma_eff_halfwidth": NAN}, "training.gamma_eff_halfwidth"),
    ({"lr_window.scan.eta_max": INF}, "lr_window.scan.eta_max"),
    ({"lr_window.rel_resolution": NAN}, "lr_window.rel_resolution"),
    ({"table2.mc.step": NAN}, "table2.mc.step"),
    ({"table2.mc.dedup_tol": INF}, "table2.mc.dedup_tol"),
    ({"optimizers.adam.beta1": NAN}, "optimizers.adam.beta1"),
    ({"optimizers.adam.eps": INF}, "optimizers.adam.eps"),
    ({"perturbation.delta.min": -INF}, "perturbation.delta.min"),
    ({"perturbation.delta.max": NAN}, "perturbation.delta.max"),
    ({"perturbation.plateau_resolution": NAN}, "perturbation.plateau_resolution"),
    ({"perturbation.bootstrap.confidence": NAN}, "perturbation.bootstrap.confidence"),
    ({"entropy.R": INF}, "entropy.R"),
    ({"entropy.r_sensitivity.R[1]": NAN}, "entropy.r_sensitivity.R[1]"),
    ({"entropy.analysis.edge": NAN}, "entropy.analysis.edge"),
    ({"entropy.analysis.intruder_nsigma": INF}, "entropy.analysis.intruder_nsigma"),
    ({"entropy.plot.shift": INF}, "entropy.plot.shift"),
    ({"entropy.checkpoint_seconds": NAN}, "entropy.checkpoint_seconds"),
    ({"landscape.half_range": INF}, "landscape.half_range"),
    ({"landscape.trajectories.stall_tol": NAN}, "landscape.trajectories.stall_tol"),
    ({"landscape.trajectories.starts[0].dx": NAN}, "landscape.trajectories.starts[0].dx"),
    ({"landscape.trajectories.starts[2].dy": -INF}, "landscape.trajectories.starts[2].dy"),
    ({"landscape.features.margin": NAN}, "landscape.features.margin"),
    # non-finite or fractional numbers where an integer is meant
    ({"seed": NAN}, "seed"),
    ({"seed": 7.5}, "seed"),
    ({"entropy.n_bins": 200.5}, "entropy.n_bins"),
    ({"entropy.n_bins": INF}, "entropy.n_bins"),
    ({"training.n_epochs": 1e6 + 0.5}, "training.n_epochs"),
    ({"landscape.n_points": "81"}, "landscape.n_points"),
    ({"perturbation.n_replicas": True}, "perturbation.n_replicas"),
    ({"training.runs[0].n_h": 2.5}, "training.runs[0].n_h"),
    # numbers YAML reads as text
    ({"threshold": "1e-3"}, "threshold"),
    # ranges with min >= max
    ({"lr_window.scan.eta_min": 60.0}, "lr_window.scan.eta_min"),
    ({"lr_window.scan.eta_min": 50.0}, "lr_window.scan.eta_min"),
    ({"perturbation.delta.min": 0.0, "perturbation.delta.max": 0.0}, "perturbation.delta.min"),
    ({"perturbation.delta.step": 25.0}, "perturbation.delta.step"),
    ({"perturbation.delta.step": 1e-6}, "perturbation.delta.step"),
    # tolerances finer than float64 / the Delta rounding can resolve
    ({"perturbation.plateau_resolution": 1e-12}, "perturbation.plateau_resolution"),
    ({"perturbation.plateau_resolution": 5e-324}, "perturbation.plateau_resolution"),
    ({"lr_window.rel_resolution": 1e-17}, "lr_window.rel_resolution"),
    # pairs of one parameter; names that are not network parameters
    ({"landscape.randomized.pair": ["b1_1", "b1_1"]}, "landscape.randomized.pair"),
    ({"landscape.panels.a": ["b2_1", "b2_1"]}, "landscape.panels.a"),
    ({"landscape.panels.b": ["w2_1_2", "bias"]}, "landscape.panels.b"),
    ({"landscape.panels.c": ["w1_3_1", "b1_1"]}, "landscape.panels.c"),
    ({"landscape.randomized.pair": ["b1_1", "B2_1"]}, "landscape.randomized.pair"),
    ({"landscape.trajectories.extra_starts": [START]}, "landscape.trajectories.extra_starts[0]"),
    ({"landscape.trajectories.extra_starts": [dict(START, y="w9")]},
     "landscape.trajectories.extra_starts[0]"),
    ({"perturbation.params": ["w1_1_1", "w1_3_3"]}, "perturbation.params[1]"),
    # empty lists where a stage needs entries
    ({"landscape.trajectories.starts": [], "landscape.trajectories.extra_starts": []},
     "landscape.trajectories.starts"),
    ({"training.runs": []}, "training.runs"),
    ({"perturbation.params": []}, "perturbation.params"),
    ({"entropy.n_h": []}, "entropy.n_h"),
    ({"entropy.r_sensitivity.R": []}, "entropy.r_sensitivity.R"),
    ({"lr_window.batches": []}, "lr_window.batches"),
    # duplicates that would silently become one job
    ({"training.runs[2]": {"n_h": 2, "eta": 0.1}}, "training.runs[2]"),
    ({"entropy.r_sensitivity.R": [10.0, 10]}, "entropy.r_sensitivity.R"),
    ({"landscape.trajectories.extra_starts": [{"panel": "a", "dx": -7.4, "dy": 8.9}]},
     "landscape.trajectories.extra_starts[0]"),
    # other contradictions
    ({"table2.truncate_epoch": 10**9}, "table2.truncate_epoch"),
    ({"table2.mc.target_loss": 0.01}, "table2.mc.target_loss"),
    ({"landscape.features.disk": 25.0}, "landscape.features.disk"),
    # simple mistakes the schema always caught (regression)
    ({"training.n_epochs": -5}, "training.n_epochs"),
    ({"training.runs[0].eta": 0.0}, "training.runs[0].eta"),
    ({"entropy.sampler.target_acceptance": 1.0}, "entropy.sampler.target_acceptance"),
    ({"lr_window.typo_key": 1}, "lr_window.typo_key"),
    ({"table2.mc.step": DELETE}, "table2.mc"),
]


def test_table_is_large_enough():
    assert len(BAD) >= 40


@pytest.mark.parametrize("edits, key", BAD, ids=[f"{i}:{k}" for i, (_, k) in enumerate(BAD)])
def test_bad_config_is_refused_naming_the_key(edits, key):
    cfg = _ci()
    for path, value in edits.items():
        _edit(cfg, path, value if value is DELETE else copy.deepcopy(value))
    with pytest.raises(C.ConfigError) as err:
        C.validate(cfg)
    msg = str(err.value)
    lines = [ln for ln in msg.splitlines() if ln.startswith("  - ")]
    assert any(f"{key}:" in ln or f" {key}," in ln or ln.endswith(f" {key}") or f" {key} " in ln
               for ln in lines), msg


@pytest.mark.parametrize("path, value", [("seed", 7.0), ("entropy.n_bins", 200.0),
                                         ("training.runs[0].n_h", 2.0),
                                         ("landscape.grid_jobs", 2.0),
                                         ("entropy.n_h", [1.0, 2.0])])
def test_whole_number_floats_become_integers(path, value):
    cfg = _ci()
    _edit(cfg, path, value)
    C.validate(cfg)
    node = cfg
    for k in _parse(path):
        node = node[k]
    for x in node if isinstance(node, list) else [node]:
        assert type(x) is int


def test_every_problem_is_listed():
    cfg = _ci()
    _edit(cfg, "threshold", NAN)
    _edit(cfg, "seed", 1.5)
    _edit(cfg, "entropy.R", INF)
    msg = str(pytest.raises(C.ConfigError, C.validate, cfg).value)
    assert "3 problem(s)" in msg and all(k in msg for k in ("threshold:", "seed:", "entropy.R:"))


def test_non_finite_check_covers_unknown_sections():
    """The walk is generic: a section added later (e.g. census) is covered without new code."""
    assert C.non_finite_errors({"census": {"tol": NAN, "runs": [{"x": INF}]}}) == [
        "census.tol: nan is not a finite number (.nan/.inf are not allowed)",
        "census.runs[0].x: inf is not a finite number (.nan/.inf are not allowed)",
    ]


def test_valid_unusual_values_pass():
    cfg = _ci()
    _edit(cfg, "perturbation.plateau_resolution", 1e-8)
    _edit(cfg, "lr_window.rel_resolution", 1e-12)
    _edit(cfg, "landscape.trajectories.starts", [])  # extra starts alone are enough
    _edit(cfg, "landscape.trajectories.extra_starts", [{"x": "b1_1", "y": "w2_1_1", "dx": 1.0,
                                                        "dy": -1.0}])
    _edit(cfg, "entropy.R", 1e-5)
    C.validate(cfg)


@pytest.mark.parametrize("text, key", [
    ("threshold: .nan\n", "threshold"),
    ("perturbation:\n  plateau_resolution: 1.0e-12\n", "perturbation.plateau_resolution"),
    ("landscape:\n  panels: {a: [b1_1, nope], b: [w2_1_2, b1_2], c: [w1_2_2, b1_1]}\n",
     "landscape.panels.a"),
])
def test_snakemake_refuses_before_any_job(tmp_path, text, key):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--configfile", "config/ci.yaml", str(bad)],
        cwd=C.ROOT, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode != 0
    assert key in out.stdout + out.stderr
    assert "Job stats" not in out.stdout  # no job was planned
