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


# ---------------------------------------------------------------- readers check the file (issue 13)


def _write(path, df=None, dataset="truth_table"):
    io.write_parquet(_frame() if df is None else df, path, dataset=dataset,
                     prov=io.provenance(dataset, "model", {"a": 1}, seed=7), extra={"k": 1.5})
    return path


def _plateaus(n=40):
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "param": [f"w1_{i % 2 + 1}_1" for i in range(n)], "tau0": np.arange(n, dtype=np.int64),
        "resolution": rng.random(n), "lower_in": rng.random(n), "lower_out": rng.random(n),
        "upper_in": rng.random(n), "upper_out": rng.random(n), "lower_open": rng.random(n) > 0.5,
        "upper_open": rng.random(n) > 0.5, "bisection_steps": np.arange(n, dtype=np.int64)})


def test_foreign_dataset_at_a_known_path_is_refused(tmp_path):
    """A valid file of another dataset copied over an input: refused, file and rule named."""
    p = tmp_path / "results" / "training" / "solutions.parquet"
    _write(p)  # truth_table where solutions belong
    with pytest.raises(io.BadFileError) as err:
        io.read_parquet(p)
    msg = str(err.value)
    assert str(p) in msg and "'truth_table'" in msg and "'solutions'" in msg
    assert "rule solutions" in msg and "--forcerun solutions" in msg
    with pytest.raises(io.BadFileError, match="must be 'perturb_points'"):
        io.read_parquet(_write(tmp_path / "x.parquet"), "perturb_points")


def test_non_pipeline_parquet_is_refused(tmp_path):
    p = tmp_path / "results" / "entropy" / "runs" / "R30" / "nh2_run0.parquet"
    p.parent.mkdir(parents=True)
    _frame().to_parquet(p)
    with pytest.raises(io.BadFileError, match="not a xornet pipeline file") as err:
        io.read_parquet(p)
    assert "rule entropy_run" in str(err.value)


def test_off_schema_file_is_refused(tmp_path):
    p = _write(tmp_path / "t.parquet")
    # rewrite with a column dropped but the provenance kept (e.g. written by an older version)
    import pyarrow.parquet as pq

    t = pq.read_table(p)
    meta = {k: v for k, v in t.schema.metadata.items() if k != io.HASH_KEY}
    pq.write_table(t.drop_columns(["y"]).replace_schema_metadata(meta), p)
    with pytest.raises(io.BadFileError, match="missing column 'y'"):
        io.read_parquet(p)


def test_missing_file_names_the_rule(tmp_path):
    with pytest.raises(FileNotFoundError, match="rule perturb_merge"):
        io.read_parquet(tmp_path / "results" / "perturbation" / "points.parquet")


def test_files_carry_page_checksums_and_a_damaged_page_is_caught(tmp_path):
    import pyarrow.parquet as pq

    p = _write(tmp_path / "p.parquet", _plateaus(), "perturb_plateaus")
    col = pq.ParquetFile(p).metadata.row_group(0).column(2)  # "resolution" (float64)
    start = col.dictionary_page_offset if col.has_dictionary_page else col.data_page_offset
    end = start + col.total_compressed_size - 1  # last byte of the column chunk: page data
    data = p.read_bytes()
    q = tmp_path / "q.parquet"
    silent = 0
    for bit in range(8):
        b = bytearray(data)
        b[end] ^= 1 << bit
        q.write_bytes(bytes(b))
        try:  # unverified reading may fail or return wrong values ...
            silent += not pq.read_table(q).equals(pq.read_table(p))
        except OSError:
            pass
        with pytest.raises(io.BadFileError, match="damaged Parquet"):  # ... the checksum says so
            io.read_parquet(q)
    assert silent >= 1  # damage that only the page checksum catches


def test_bit_flips_never_give_a_wrong_frame(tmp_path):
    """Single-bit damage anywhere in a file: the reader raises BadFileError or returns exactly
    the frame and provenance that were written (a flip in unused bytes, e.g. statistics)."""
    p = _write(tmp_path / "p.parquet", _plateaus(), "perturb_plateaus")
    ref_df, ref_meta = io.read_parquet(p)
    data = p.read_bytes()
    rng = np.random.default_rng(13)
    q = tmp_path / "q.parquet"
    caught = 0
    for pos, bit in zip(rng.integers(0, len(data), 600), rng.integers(0, 8, 600), strict=True):
        b = bytearray(data)
        b[pos] ^= 1 << int(bit)
        q.write_bytes(bytes(b))
        try:
            df, meta = io.read_parquet(q, "perturb_plateaus")
        except io.BadFileError as err:
            assert str(q) in str(err)
            caught += 1
            continue
        assert df.equals(ref_df) and meta == ref_meta, (pos, bit)
    assert caught > 300  # most bytes of a small file matter


def test_legacy_file_without_hash_is_still_read(tmp_path):
    import pyarrow.parquet as pq

    p = _write(tmp_path / "t.parquet")
    t = pq.read_table(p)
    meta = {k: v for k, v in t.schema.metadata.items() if k != io.HASH_KEY}
    pq.write_table(t.replace_schema_metadata(meta), p)  # no hash, no page checksums
    df, meta = io.read_parquet(p)
    pd.testing.assert_frame_equal(df, _frame())
    assert meta["seed"] == 7


def _rule_outputs():
    """(rule, Parquet output pattern) of every rule in workflow/rules/*.smk."""
    import re
    from pathlib import Path

    out = []
    for smk in sorted((Path(__file__).resolve().parents[1] / "workflow" / "rules").glob("*.smk")):
        rule = section = None
        for line in smk.read_text().splitlines():
            m = re.match(r"^rule (\w+):", line) or re.match(r"^use rule \w+ as (\w+) with:", line)
            if m:
                rule, section = m.group(1), None
                continue
            m = re.match(r"^    (\w+):", line)
            if m:
                section = m.group(1)
                continue
            if rule and section == "output":
                for path in re.findall(r"\"(results/[^\"]+\.parquet)\"", line):
                    out.append((rule, re.sub(r"\{[^}]*\}", "x", path)))
    return out


def test_every_parquet_output_has_a_producer_entry():
    """io.PRODUCERS names, for every Parquet output of the workflow, the rule that writes it
    (readers expect its dataset; errors name that rule). Add new outputs there."""
    outs = _rule_outputs()
    assert len(outs) > 20
    for rule, path in outs:
        prod = io.producer(path)
        assert prod is not None and prod[1] == rule, (rule, path, prod)


@pytest.mark.slow
def test_ci_build_files_hold_the_dataset_of_their_path(ci_workflow):
    paths = sorted((ci_workflow / "results").rglob("*.parquet"))
    assert paths
    for p in paths:
        prod = io.producer(p.relative_to(ci_workflow))
        assert prod is not None, p
        assert io.read_parquet(p)[1]["dataset"] == prod[0], p
