"""tests/slurm/compare_outputs.py: what counts as the same output in two runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

_SPEC = importlib.util.spec_from_file_location(
    "compare_outputs", Path(__file__).parent / "slurm" / "compare_outputs.py"
)
compare = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(compare)


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


BASE = {
    "figures/fig3.pdf": b"%PDF fig3",
    "figures/table1.md": b"| a |",
    "results/benchmarks/fig3.tsv": b"s\n1.23\n",
    "results/benchmarks/train_run/nh2_eta0.1.tsv": b"s\n12.0\n",
}


def test_timing_records_may_differ(tmp_path, capsys):
    a = _write(tmp_path / "a", BASE)
    b = _write(tmp_path / "b", {**BASE, "results/benchmarks/fig3.tsv": b"s\n9.87\n"})
    assert compare.main(str(a), str(b)) == 0
    out = capsys.readouterr().out
    assert "compared 2 files" in out and "0 problem(s)" in out
    assert "2 timing records" in out


def test_missing_timing_record_is_a_problem(tmp_path, capsys):
    a = _write(tmp_path / "a", BASE)
    b = _write(tmp_path / "b", {k: v for k, v in BASE.items() if not k.endswith("fig3.tsv")})
    assert compare.main(str(a), str(b)) == 1
    assert "ONLY IN local run: results/benchmarks/fig3.tsv" in capsys.readouterr().out


@pytest.mark.parametrize("rel", ["figures/fig3.pdf", "figures/table1.md"])
def test_a_different_output_is_a_problem(tmp_path, capsys, rel):
    a = _write(tmp_path / "a", BASE)
    b = _write(tmp_path / "b", {**BASE, rel: BASE[rel] + b"!"})
    assert compare.main(str(a), str(b)) == 1
    assert f"DIFFERENT: {rel}" in capsys.readouterr().out


def test_only_timing_records_is_nothing_compared(tmp_path, capsys):
    only = {k: v for k, v in BASE.items() if k.startswith("results/benchmarks")}
    a = _write(tmp_path / "a", only)
    b = _write(tmp_path / "b", only)
    assert compare.main(str(a), str(b)) == 1
    assert "NOTHING to compare" in capsys.readouterr().out


def test_parquet_equal_in_content(tmp_path, capsys):
    t = pa.table({"x": [1.0, 2.0]})
    for name, comp in (("a", "snappy"), ("b", "zstd")):
        d = _write(tmp_path / name, BASE)
        (d / "results").mkdir(exist_ok=True)
        pq.write_table(t, d / "results" / "x.parquet", compression=comp)
    assert compare.main(str(tmp_path / "a"), str(tmp_path / "b")) == 0
    assert "same content, different bytes: results/x.parquet" in capsys.readouterr().out
