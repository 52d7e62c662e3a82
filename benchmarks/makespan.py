"""Time per rule, critical path and predicted makespan of a finished run (issue 14).

    .venv/bin/python benchmarks/makespan.py [--workdir DIR] [--configfile F ...] [--time wall|cpu]
        [--cores 2 16 64] [TARGET ...]

Reads Snakemake's own per-job measurements (the ``benchmark:`` file of every rule, e.g.
``results/benchmarks/perturb_grid/w1_1_1_0-of-2.tsv``: wall seconds ``s``, ``cpu_time``,
``max_rss``) and the job DAG of the same workflow and config, and prints

(a) time per rule (jobs, summed and largest wall time, core-seconds = wall x threads, CPU time);
(b) the critical path: the chain of dependent jobs with the largest summed time, a lower bound
    of the makespan on any number of cores;
(c) the predicted makespan on 2, 16 and 64 cores by list scheduling: whenever cores are free,
    the ready job of highest Snakemake ``priority`` starts, ties broken by the longest remaining
    path below it (HLFET), each job holding min(its declared threads, cores) cores.

The DAG comes from ``snakemake -n --forceall --cores 64`` (dry run of every job of the targets):
its job blocks name the rule, wildcards, threads, priority, benchmark file and the input and
output files; a job depends on the jobs whose outputs it reads. Nothing is rerun.

``--time cpu`` uses cpu_time / threads instead of the wall time, i.e. what a job would take on
otherwise idle cores (the wall times of a run on a shared machine include waiting for a core).
"""

from __future__ import annotations

import argparse
import csv
import heapq
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Job:
    jobid: int
    rule: str
    wildcards: str = ""
    threads: int = 1
    priority: int = 0
    benchmark: str | None = None
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0
    rss: float = 0.0
    measured: bool = False
    deps: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"{self.rule}[{self.wildcards}]" if self.wildcards else self.rule


_KEY = re.compile(r"^\s{4}(\w+): (.*)$")


def parse_dry_run(text: str) -> dict[int, Job]:
    """Job blocks of ``snakemake -n`` output -> jobs with their file-level dependencies."""
    jobs: dict[int, Job] = {}
    cur: dict | None = None

    def close():
        if cur and "jobid" in cur:
            j = Job(int(cur["jobid"]), cur["rule"], cur.get("wildcards", ""),
                    int(cur.get("threads", 1)), int(cur.get("priority", 0)),
                    cur.get("benchmark"),
                    [s.strip() for s in cur.get("input", "").split(",") if s.strip()],
                    [s.strip() for s in cur.get("output", "").split(",") if s.strip()])
            jobs[j.jobid] = j

    for line in text.splitlines():
        m = re.match(r"^(?:local)?rule (\S+):$", line.strip()) if not line.startswith(" ") else None
        if m:
            close()
            cur = {"rule": m.group(1)}
            continue
        if cur is None:
            continue
        k = _KEY.match(line)
        if k:
            cur[k.group(1)] = k.group(2).strip()
        elif line.strip() == "" or not line.startswith(" "):
            close()
            cur = None
    close()
    producer = {}
    for j in jobs.values():
        for o in j.outputs:
            producer[o] = j.jobid
    for j in jobs.values():
        j.deps = {producer[i] for i in j.inputs if i in producer and producer[i] != j.jobid}
    return jobs


def read_benchmark(path: Path) -> tuple[float, float, float] | None:
    """(wall s, cpu_time s, max_rss MB) of a Snakemake benchmark file (last repeat line)."""
    try:
        with open(path) as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except OSError:
        return None
    if not rows:
        return None
    r = rows[-1]

    def num(key):
        try:
            return float(r.get(key, "nan"))
        except ValueError:
            return float("nan")
    return num("s"), num("cpu_time"), num("max_rss")


def bottom_levels(jobs: dict[int, Job], dur: dict[int, float]) -> dict[int, float]:
    """Longest path (sum of durations) from each job to the end of the DAG, itself included."""
    children = defaultdict(list)
    for j in jobs.values():
        for d in j.deps:
            children[d].append(j.jobid)
    memo: dict[int, float] = {}
    for jid in topo_order(jobs)[::-1]:
        memo[jid] = dur[jid] + max((memo[c] for c in children[jid]), default=0.0)
    return memo


def topo_order(jobs: dict[int, Job]) -> list[int]:
    indeg = {j: len(jobs[j].deps) for j in jobs}
    children = defaultdict(list)
    for j in jobs.values():
        for d in j.deps:
            children[d].append(j.jobid)
    ready = sorted(j for j, n in indeg.items() if n == 0)
    out = []
    while ready:
        j = ready.pop()
        out.append(j)
        for c in children[j]:
            indeg[c] -= 1
            if indeg[c] == 0:
                ready.append(c)
    if len(out) != len(jobs):
        raise ValueError("the job graph has a cycle")
    return out


def critical_path(jobs, dur) -> tuple[float, list[int]]:
    best: dict[int, tuple[float, int | None]] = {}
    for jid in topo_order(jobs):
        prev = max(((best[d][0], d) for d in jobs[jid].deps), default=(0.0, None))
        best[jid] = (prev[0] + dur[jid], prev[1])
    end = max(best, key=lambda j: best[j][0])
    path = [end]
    while best[path[-1]][1] is not None:
        path.append(best[path[-1]][1])
    return best[end][0], path[::-1]


def list_schedule(jobs: dict[int, Job], dur: dict[int, float], cores: int) -> float:
    """Makespan of greedy list scheduling on ``cores`` cores (see module docstring)."""
    bl = bottom_levels(jobs, dur)
    left = {j: len(jobs[j].deps) for j in jobs}
    children = defaultdict(list)
    for j in jobs.values():
        for d in j.deps:
            children[d].append(j.jobid)
    ready = [(-jobs[j].priority, -bl[j], j) for j in jobs if left[j] == 0]
    heapq.heapify(ready)
    running: list[tuple[float, int]] = []
    free = cores
    now = 0.0
    done = 0
    while done < len(jobs):
        started = True
        while started and ready:
            started = False
            skipped = []
            while ready:
                item = heapq.heappop(ready)
                need = min(jobs[item[2]].threads, cores)
                if need <= free:
                    free -= need
                    heapq.heappush(running, (now + dur[item[2]], item[2]))
                    started = True
                    break
                skipped.append(item)
            for it in skipped:
                heapq.heappush(ready, it)
        if not running:
            raise RuntimeError("no job can start (threads > cores?)")
        now, jid = heapq.heappop(running)
        free += min(jobs[jid].threads, cores)
        done += 1
        for c in children[jid]:
            left[c] -= 1
            if left[c] == 0:
                heapq.heappush(ready, (-jobs[c].priority, -bl[c], c))
    return now


def fmt(s: float) -> str:
    return f"{s:7.1f} s" if s < 600 else f"{s / 60:6.1f} min"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", help="targets of the run (default: rule all)")
    ap.add_argument("--workdir", default=".", help="the finished run's directory")
    ap.add_argument("--configfile", nargs="*", default=[], help="as given to the run")
    ap.add_argument("--time", choices=("wall", "cpu"), default="wall")
    ap.add_argument("--cores", type=int, nargs="*", default=[2, 16, 64])
    ap.add_argument("--dry-run-output", help="read the dry run from this file instead")
    ap.add_argument("--top", type=int, default=12, help="longest jobs listed")
    a = ap.parse_args(argv)
    wd = Path(a.workdir)
    if a.dry_run_output:
        text = Path(a.dry_run_output).read_text()
    else:
        cmd = [sys.executable, "-m", "snakemake", "-n", "--forceall", "--cores", "64",
               *a.targets]
        if a.configfile:
            cmd += ["--configfile", *a.configfile]
        proc = subprocess.run(cmd, cwd=wd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"snakemake dry run failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        text = proc.stdout + proc.stderr
    jobs = parse_dry_run(text)
    if not jobs:
        sys.exit("no jobs found in the dry run")
    missing = []
    for j in jobs.values():
        if j.benchmark:
            b = read_benchmark(wd / j.benchmark)
            if b is not None:
                j.wall, j.cpu, j.rss = b
                j.measured = True
        if not j.measured and j.rule != "all":
            missing.append(j.name)
    dur = {j.jobid: (j.wall if a.time == "wall" else
                     (j.cpu / max(j.threads, 1) if j.cpu == j.cpu else j.wall))
           for j in jobs.values()}
    print(f"# makespan of {wd.resolve()} ({len(jobs)} jobs, {sum(j.measured for j in jobs.values())}"
          f" with benchmark files; job time = {'wall s' if a.time == 'wall' else 'cpu_time / threads'})")
    if missing:
        print(f"# no benchmark file for {len(missing)} jobs (counted as 0 s): "
              + ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else ""))
    print("\n## (a) time per rule")
    print(f"{'rule':28s} {'jobs':>5s} {'threads':>7s} {'sum wall':>10s} {'max wall':>10s} "
          f"{'core-s':>9s} {'cpu s':>9s} {'max rss MB':>10s}")
    by_rule = defaultdict(list)
    for j in jobs.values():
        by_rule[j.rule].append(j)
    total_core = 0.0
    for rule, js in sorted(by_rule.items(), key=lambda kv: -sum(dur[j.jobid] * j.threads
                                                                for j in kv[1])):
        core = sum(dur[j.jobid] * j.threads for j in js)
        total_core += core
        cpu = sum(j.cpu for j in js if j.cpu == j.cpu)
        rss = max((j.rss for j in js if j.rss == j.rss), default=float("nan"))
        print(f"{rule:28s} {len(js):5d} {js[0].threads:7d} {fmt(sum(dur[j.jobid] for j in js)):>10s} "
              f"{fmt(max(dur[j.jobid] for j in js)):>10s} {core:9.0f} {cpu:9.0f} {rss:10.0f}")
    print(f"{'total':28s} {len(jobs):5d} {'':7s} {fmt(sum(dur.values())):>10s} {'':10s} "
          f"{total_core:9.0f}")
    print("\nlongest jobs: " + ", ".join(f"{jobs[j].name} {dur[j]:.1f} s" for j in
                                         sorted(dur, key=dur.get, reverse=True)[:a.top]))
    length, path = critical_path(jobs, dur)
    print(f"\n## (b) critical path: {fmt(length)} ({len(path)} jobs)")
    for jid in path:
        print(f"  {fmt(dur[jid])}  {jobs[jid].name} (threads {jobs[jid].threads})")
    print("\n## (c) predicted makespan (list scheduling, declared threads, priorities)")
    for c in a.cores:
        ms = list_schedule(jobs, dur, c)
        lb = max(length, total_core / c)
        print(f"  {c:3d} cores: {fmt(ms)}   (lower bound max(critical path, core-s / cores) = "
              f"{fmt(lb)}; utilisation {total_core / (c * ms) if ms else 0:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
