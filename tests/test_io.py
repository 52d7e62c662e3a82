import numpy as np
import pandas as pd
import pytest

from xornet import io, schemas


def _frame():
    return pd.DataFrame({"x1": np.array([0, 1], dtype=np.int64), "x2": np.array([1, 0], dtype=np.int64),
                         "y": np.array([1, 1], dtype=np.int64)})


def test_roundtrip_with_provenance(tmp_path):
    p = tmp_path / "t.parquet"
    prov = io.provenance("truth_table", "model", {"a": 1}, seed=7)
    io.write_parquet(_frame(), p, dataset="truth_table", prov=prov, extra={"k": [1, 2]})
    df, meta = io.read_parquet(p)
    pd.testing.assert_frame_equal(df, _frame())
    assert meta["dataset"] == "truth_table"
    assert meta["seed"] == 7
    assert meta["config"] == {"a": 1}
    assert meta["extra"] == {"k": [1, 2]}
    assert set(meta["versions"]) >= {"numpy", "numba", "pandas", "pyarrow", "xornet"}
    assert meta["git_commit"]
    assert not (tmp_path / "t.parquet.tmp").exists()


def test_write_is_deterministic(tmp_path):
    prov = io.provenance("truth_table", "model", {}, seed=1)
    io.write_parquet(_frame(), tmp_path / "a.parquet", dataset="truth_table", prov=prov)
    io.write_parquet(_frame(), tmp_path / "b.parquet", dataset="truth_table", prov=prov)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_schema_violations_are_named(tmp_path):
    prov = io.provenance("truth_table", "model", {})
    bad = _frame().drop(columns="y").assign(extra=1.0, x2=[0.5, 0.5])
    with pytest.raises(ValueError) as err:
        io.write_parquet(bad, tmp_path / "x.parquet", dataset="truth_table", prov=prov)
    msg = str(err.value)
    assert "missing column 'y'" in msg and "unexpected column 'extra'" in msg and "'x2'" in msg
    with pytest.raises(KeyError):
        io.write_parquet(_frame(), tmp_path / "x.parquet", dataset="nope", prov=prov)


def test_pattern_columns_accept_any_n_h():
    df = pd.DataFrame({"epoch": np.array([0], dtype=np.int64), "batch_loss": [0.1], "full_loss": [0.1],
                       "status": ["running"], "w1_12_2": [1.0], "a1_12_c3": [0.5]})
    schemas.check_frame(df, "training_run")


def test_every_schema_is_documented():
    md = schemas.markdown()
    for name, spec in schemas.SCHEMAS.items():
        assert f"## `{name}`" in md
        assert spec["description"]
        for col, (kind, desc) in spec.get("columns", {}).items():
            assert kind in "ifbO" and desc, (name, col)


def test_schema_docs_are_current():
    """docs/schemas.md is generated from the enforced schemas: `python -m xornet.schemas > docs/schemas.md`."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[1] / "docs" / "schemas.md"
    assert doc.read_text() == schemas.markdown() + "\n"
