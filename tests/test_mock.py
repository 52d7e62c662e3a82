"""mock_snakemake: a rule's snakemake object resolved from the real workflow, nothing executed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xornet.config import load
from xornet.io import read_parquet
from xornet.mock import mock_snakemake
from xornet.workflow import ROOT


def _label(run):
    return f"nh{int(run['n_h'])}_eta{float(run['eta']):g}"


@pytest.fixture(scope="module")
def workflow_copy(tmp_path_factory):
    """The workflow definition (no results) in a scratch directory: proves nothing is run."""
    dst = tmp_path_factory.mktemp("wf")
    shutil.copy(ROOT / "Snakefile", dst / "Snakefile")
    shutil.copy(ROOT / "config.yaml", dst / "config.yaml")
    shutil.copytree(ROOT / "config", dst / "config")
    shutil.copytree(
        ROOT / "workflow", dst / "workflow", ignore=shutil.ignore_patterns("__pycache__")
    )
    return dst


def _files(root: Path):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_train_run_resolves_job(workflow_copy):
    before = _files(workflow_copy)
    cfg = yaml.safe_load((workflow_copy / "config.yaml").read_text())
    run = cfg["training"]["reference"]
    label = _label(run)

    smk = mock_snakemake("train_run", root=workflow_copy, run=label)

    assert smk.rule == "train_run"
    assert smk.wildcards.run == label and smk.wildcards[0] == label
    out = workflow_copy / "results" / "training" / "runs" / f"{label}.parquet"
    assert smk.output[0] == str(out)
    assert smk.log[0] == str(workflow_copy / "logs" / "train_run" / f"{label}.log")
    assert len(smk.input) == 0
    # params evaluated (lambda on the wildcard included), by name and by position
    assert smk.params.run == run
    assert smk.params[0] == run
    assert smk.params.seed == cfg["seed"]
    assert smk.params.training["n_epochs"] == cfg["training"]["n_epochs"]
    assert isinstance(smk.threads, int) and smk.threads >= 1
    assert smk.resources.runtime > 0 and smk.resources.mem_mb > 0
    assert smk.resources["mem_mb"] == smk.resources.mem_mb
    assert smk.config["seed"] == cfg["seed"]
    # nothing executed: no file appeared, only the output/log directories
    assert _files(workflow_copy) == before
    assert out.parent.is_dir() and Path(smk.log[0]).parent.is_dir()


def test_fig2_with_ci_config(workflow_copy):
    before = _files(workflow_copy)
    ci = load(workflow_copy / "config.yaml", workflow_copy / "config" / "ci.yaml")

    smk = mock_snakemake("fig2", configfiles=["config/ci.yaml"], root=workflow_copy, mkdirs=False)

    runs_dir = workflow_copy / "results" / "training" / "runs"
    want = [str(runs_dir / f"{_label(r)}.parquet") for r in ci["training"]["runs"]]
    assert list(smk.input.runs) == want
    assert smk.input.fits == str(workflow_copy / "results/training/powerlaw_fits.parquet")
    assert smk.input[0] == want[0]
    assert smk.output[0] == str(workflow_copy / "figures" / "fig2.pdf")
    assert len(smk.wildcards) == 0
    # the CI file is merged over config.yaml, as `--configfile config/ci.yaml` does
    assert smk.config["training"]["n_epochs"] == ci["training"]["n_epochs"]
    assert smk.config["training"]["runs"] == ci["training"]["runs"]
    assert smk.config["seed"] == ci["seed"]
    assert _files(workflow_copy) == before


def test_default_root_is_this_checkout():
    smk = mock_snakemake("fig2", mkdirs=False)
    assert smk.output[0] == str(ROOT / "figures" / "fig2.pdf")


def test_errors(workflow_copy):
    with pytest.raises(KeyError, match="unknown rule 'no_such_rule'"):
        mock_snakemake("no_such_rule", root=workflow_copy)
    with pytest.raises(ValueError, match="missing: run"):
        mock_snakemake("train_run", root=workflow_copy, mkdirs=False)
    with pytest.raises(ValueError, match="unexpected: bogus"):
        mock_snakemake("train_run", root=workflow_copy, mkdirs=False, run="nh2_eta0.1", bogus="1")
    with pytest.raises(ValueError, match="constraint"):
        mock_snakemake("train_run", root=workflow_copy, mkdirs=False, run="not-a-run")
    with pytest.raises(FileNotFoundError):
        mock_snakemake("fig2", configfiles=["config/missing.yaml"], root=workflow_copy)


def test_rule_script_runs_outside_snakemake(tmp_path):
    """`python workflow/scripts/truth_table.py` resolves its job through the mock and runs."""
    for name in ("Snakefile", "config.yaml", "environment.yml"):  # rules name the conda env
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("config", "workflow", "src"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    out = subprocess.run(
        [sys.executable, "workflow/scripts/truth_table.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    df, meta = read_parquet(tmp_path / "results" / "training" / "truth_table.parquet")
    assert list(df["y"]) == [0, 1, 1, 0] and meta
    assert "truth_table" in (tmp_path / "logs" / "truth_table.log").read_text()
