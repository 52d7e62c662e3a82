"""End to end: the whole workflow at CI scale in a temporary copy.

Checks that every target of `rule all` is produced, every Parquet file matches its
documented schema and carries provenance, and that the same configuration gives
bit-identical Parquet files with --cores 1 and --cores 2.
"""

from pathlib import Path

import pytest
from conftest import copy_workflow, run_snakemake

from xornet import io, schemas


def _run(wd: Path, *args, timeout=2400):
    return run_snakemake(wd, *args, timeout=timeout)


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
    # only the rules that write Parquet (plots cannot change them): the targets are the
    # Parquet files of the 2-core build
    a = sorted(p.relative_to(ci_workflow) for p in (ci_workflow / "results").rglob("*.parquet"))
    wd = copy_workflow(tmp_path / "ci1")
    _run(wd, *map(str, a), "--cores", "1")
    b = sorted(p.relative_to(wd) for p in (wd / "results").rglob("*.parquet"))
    assert a == b
    differ = [str(r) for r in a if (ci_workflow / r).read_bytes() != (wd / r).read_bytes()]
    assert not differ, f"Parquet differs between --cores 1 and 2: {differ}"
