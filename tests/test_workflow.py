"""End to end: the whole workflow at CI scale in a temporary copy.

Checks that every target of `rule all` is produced, every Parquet file matches its
documented schema and carries provenance, and that the same configuration gives
bit-identical Parquet files with --cores 1 and --cores 2.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xornet import io, schemas

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def _copy_workflow(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "config.yaml", "environment.yml"):  # rules name the conda env
        shutil.copy(ROOT / name, dst / name)
    for name in ("config", "workflow"):
        shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def _run(wd: Path, *args, timeout=2400):
    out = subprocess.run([*SNAKEMAKE, *args, "--configfile", "config/ci.yaml"], cwd=wd,
                         capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    return out


@pytest.fixture(scope="module")
def ci_workflow(tmp_path_factory):
    wd = _copy_workflow(tmp_path_factory.mktemp("ci2"))
    _run(wd, "--cores", "2")
    return wd


def _dag_files(wd: Path):
    out = _run(wd, "--summary", "--cores", "1")
    files = []
    for line in out.stdout.splitlines()[1:]:
        cols = line.split("\t")
        if cols and cols[0] and not cols[0].startswith(("Building", "output_file")):
            files.append(cols[0])
    return files


@pytest.mark.slow
def test_every_target_is_built(ci_workflow):
    files = _dag_files(ci_workflow)
    figures = [f for f in files if f.startswith("figures/")]
    assert figures, "rule all lists no figures"
    for f in files:
        p = ci_workflow / f
        assert p.exists() and p.stat().st_size > 0, f
    # nothing left to do
    out = _run(ci_workflow, "-n", "--cores", "1")
    assert "Nothing to be done" in out.stdout + out.stderr


@pytest.mark.slow
def test_every_parquet_matches_its_schema(ci_workflow):
    paths = sorted((ci_workflow / "results").rglob("*.parquet"))
    assert paths
    for p in paths:
        df, meta = io.read_parquet(p)
        assert meta.get("dataset") in schemas.SCHEMAS, p
        schemas.check_frame(df, meta["dataset"])
        for key in ("config_section", "config", "seed", "versions", "git_commit"):
            assert key in meta, (p, key)


@pytest.mark.slow
def test_bit_identical_with_one_core(ci_workflow, tmp_path):
    wd = _copy_workflow(tmp_path / "ci1")
    _run(wd, "--cores", "1")
    a = sorted(p.relative_to(ci_workflow) for p in (ci_workflow / "results").rglob("*.parquet"))
    b = sorted(p.relative_to(wd) for p in (wd / "results").rglob("*.parquet"))
    assert a == b
    differ = [str(r) for r in a if (ci_workflow / r).read_bytes() != (wd / r).read_bytes()]
    assert not differ, f"Parquet differs between --cores 1 and 2: {differ}"
