"""Predicted makespan of the paper-scale Fig. 5 stage (issue 14) without running it.

    .venv/bin/python benchmarks/fig5_paper_model.py [--ns 61] [--start 3]

Job DAG: ``snakemake -n --forceall --cores 64 figures/fig5.pdf figures/fig5_plateaus.md`` with
the default config (grid_parts as configured). Job time = start-up + network-epochs x CPU-ns
per network-epoch / threads, with the network-epochs per parameter of the last paper-scale
run (benchmarks/output/bench_perturb.txt of 2026-11-23, before the split: the grid is ~97 %
of them, the bisection the rest), the CPU cost measured on one paper-scale perturb_grid job
(``--ns``: its Snakemake cpu_time / network-epochs, start-up included, 2 threads kept busy:
benchmarks/output/bench_perturb.txt part 0) and ``--start`` s per job for the other jobs.
List scheduling and critical path as benchmarks/makespan.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("makespan", HERE / "makespan.py")
MS = importlib.util.module_from_spec(spec)
sys.modules["makespan"] = MS
spec.loader.exec_module(MS)

#: network-epochs per parameter, paper-scale run of 2026-11-23 (bench_perturb.txt, part 3)
NE = {"w1_2_1": 3.359e9, "w1_2_2": 3.345e9, "w1_1_1": 2.705e9, "w1_1_2": 2.705e9,
      "b1_1": 2.861e8, "b1_2": 8.09e7, "w2_1_2": 3.22e7, "w2_1_1": 2.664e7, "b2_1": 2.296e7}
BISECT = 0.03  # share of a parameter's network-epochs spent in the plateau bisection


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ns", type=float, default=61.0, help="CPU ns per network-epoch")
    ap.add_argument("--start", type=float, default=3.0, help="s of start-up per job")
    a = ap.parse_args(argv)
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--forceall", "--cores",
                           "64", "figures/fig5.pdf", "figures/fig5_plateaus.md"],
                          cwd=HERE.parent, capture_output=True, text=True, check=True)
    jobs = MS.parse_dry_run(proc.stdout + proc.stderr)
    dur = {}
    for j in jobs.values():
        w = dict(x.split("=") for x in j.wildcards.split(", ")) if j.wildcards else {}
        if j.rule == "perturb_grid":
            ne = NE[w["param"]] * (1 - BISECT) / int(w["parts"])
        elif j.rule == "perturb_param":
            split = any(jobs[d].rule == "perturb_grid" for d in j.deps)
            ne = NE[w["param"]] * (BISECT if split else 1.0)
        else:
            ne = 0.0
        dur[j.jobid] = 0.0 if j.rule == "all" else a.start + ne * a.ns * 1e-9 / j.threads
    print(f"# Fig. 5 stage at paper scale: {len(jobs)} jobs, {a.ns:g} CPU-ns per network-epoch, "
          f"{a.start:g} s start-up per job")
    for j in sorted(jobs.values(), key=lambda j: -dur[j.jobid]):
        print(f"  {dur[j.jobid]:6.1f} s  {j.name} (threads {j.threads})")
    length, path = MS.critical_path(jobs, dur)
    print(f"critical path {length:.0f} s: " + " -> ".join(jobs[p].name for p in path))
    print(f"core-seconds {sum(dur[j] * jobs[j].threads for j in jobs):.0f}")
    for c in (2, 16, 64):
        print(f"predicted makespan on {c:2d} cores: {MS.list_schedule(jobs, dur, c):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
