"""Compare the outputs of two runs of the workflow (a local run and a Slurm run).

    python tests/slurm/compare_outputs.py LOCAL_DIR SLURM_DIR

Every file under results/ and figures/ must exist in both runs. Parquet files must be equal
byte for byte or, failing that, in content (same schema, provenance metadata and values);
every other file (Markdown/LaTeX tables, PDF/PNG figures) byte for byte. Snakemake's
`benchmark:` records under results/benchmarks/ are wall-clock and memory measurements, so they
must exist in both runs (each shows its job ran) but their content is not compared. Exit status 1
on any difference, with one line per file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq

DIRS = ("results", "figures")
# Timing records: present in both runs, content differs by nature (seconds, memory, load).
TIMINGS = Path("results/benchmarks")


def files(root: Path) -> set[Path]:
    return {
        p.relative_to(root)
        for d in DIRS
        if (root / d).is_dir()
        for p in (root / d).rglob("*")
        if p.is_file()
    }


def same_parquet(a: Path, b: Path) -> bool:
    ta, tb = pq.read_table(a), pq.read_table(b)
    return ta.schema.equals(tb.schema, check_metadata=True) and ta.equals(tb)


def main(local: str, slurm: str) -> int:
    a_root, b_root = Path(local), Path(slurm)
    a_files, b_files = files(a_root), files(b_root)
    bad = 0
    for rel in sorted(a_files ^ b_files):
        where = "local run" if rel in a_files else "Slurm run"
        print(f"  ONLY IN {where}: {rel}")
        bad += 1
    n_bytes = n_content = n_timing = 0
    for rel in sorted(a_files & b_files):
        a, b = a_root / rel, b_root / rel
        if TIMINGS in rel.parents:
            n_timing += 1
        elif a.read_bytes() == b.read_bytes():
            n_bytes += 1
        elif rel.suffix == ".parquet" and same_parquet(a, b):
            n_content += 1
            print(f"  same content, different bytes: {rel}")
        else:
            print(f"  DIFFERENT: {rel}")
            bad += 1
    n_pq = sum(1 for r in a_files & b_files if r.suffix == ".parquet")
    print(
        f"compared {len(a_files & b_files) - n_timing} files ({n_pq} Parquet): {n_bytes} "
        f"byte-identical, {n_content} equal in content, {bad} problem(s); "
        f"{n_timing} timing records under {TIMINGS}/ present in both"
    )
    if not a_files or n_bytes + n_content == 0:
        print("  NOTHING to compare (no results/ or figures/ outputs in the local run)")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
