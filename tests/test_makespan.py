"""benchmarks/makespan.py: dry-run parsing, critical path and list scheduling on a small DAG."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("makespan", ROOT / "benchmarks" / "makespan.py")
MS = importlib.util.module_from_spec(spec)
sys.modules["makespan"] = MS  # dataclasses look their module up
spec.loader.exec_module(MS)

DRY = """
Building DAG of jobs...
Job stats:
job      count

[Mon Nov 30 04:56:46 2026]
rule a:
    output: r/a1.txt
    log: logs/a1.log
    jobid: 1
    benchmark: b/a1.tsv
    reason: Forced execution
    wildcards: i=1
    threads: 2
    priority: 10
    resources: tmpdir=/tmp
Shell command: None

[Mon Nov 30 04:56:46 2026]
rule a:
    output: r/a2.txt
    jobid: 2
    benchmark: b/a2.tsv
    wildcards: i=2
    threads: 2
Shell command: None

[Mon Nov 30 04:56:46 2026]
rule merge:
    input: r/a1.txt, r/a2.txt
    output: r/m.txt
    jobid: 3
    benchmark: b/m.tsv
Shell command: None

[Mon Nov 30 04:56:46 2026]
localrule all:
    input: r/m.txt
    jobid: 0
    reason: Forced execution
"""


def test_parse_and_schedule(tmp_path):
    jobs = MS.parse_dry_run(DRY)
    assert sorted(jobs) == [0, 1, 2, 3]
    assert jobs[1].rule == "a" and jobs[1].threads == 2 and jobs[1].priority == 10
    assert jobs[1].wildcards == "i=1" and jobs[1].benchmark == "b/a1.tsv"
    assert jobs[3].deps == {1, 2} and jobs[0].deps == {3}
    dur = {0: 0.0, 1: 10.0, 2: 4.0, 3: 1.0}
    length, path = MS.critical_path(jobs, dur)
    assert length == 11.0 and path[:2] == [1, 3]
    # 2 cores: the two 2-thread jobs run one after the other; 4 cores: side by side
    assert MS.list_schedule(jobs, dur, 2) == pytest.approx(15.0)
    assert MS.list_schedule(jobs, dur, 4) == pytest.approx(11.0)
    # benchmark files are read from the run directory
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a1.tsv").write_text("s\th:m:s\tmax_rss\tcpu_time\n10.5\t0:00:10\t300\t19.0\n")
    assert MS.read_benchmark(tmp_path / "b" / "a1.tsv") == (10.5, 19.0, 300.0)
    assert MS.read_benchmark(tmp_path / "b" / "missing.tsv") is None
