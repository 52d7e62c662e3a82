import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MPLBACKEND", "Agg")

SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def copy_workflow(dst: Path) -> Path:
    """A runnable copy of the workflow (sources only, no results) in ``dst``."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "config.yaml", "environment.yml"):  # rules name the conda env
        shutil.copy(ROOT / name, dst / name)
    for name in ("config", "workflow"):
        shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def run_snakemake(wd: Path, *args, timeout=2400):
    """snakemake ARGS --configfile config/ci.yaml in ``wd``; fails the test with its output."""
    out = subprocess.run([*SNAKEMAKE, *args, "--configfile", "config/ci.yaml"], cwd=wd,
                         capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def ci_workflow(tmp_path_factory):
    """The whole workflow (rule all) at CI scale on 2 cores, built once per test session and
    shared by the end-to-end, scorecard and report tests."""
    wd = copy_workflow(tmp_path_factory.mktemp("ci2"))
    run_snakemake(wd, "--cores", "2")
    return wd
