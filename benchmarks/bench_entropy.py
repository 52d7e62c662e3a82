"""Benchmark of the Fig. 8 samplers (xornet.entropy).

    .venv/bin/python benchmarks/bench_entropy.py > benchmarks/output/bench_entropy.txt

1. ns per MC step of ``wl_kernel`` (single-parameter move, incremental loss update) in
   Wang-Landau and multicanonical mode at n_h = 1, 2, 4, 8, 18 (best of 3 repeats of 5e6 steps,
   after compilation), and of a reference walker that recomputes the full loss every step.
2. ns per draw of simple sampling (one thread).
3. The sampler's own cost against the job that runs it (issue 14): for one default run
   (``--config``, R = 30, run 0) at each n_h, in rounds, one after the other: ``run_sampler``
   in this process with its kernels loaded (all phases; kernel ns/step per mode), the rule
   script's work as its own process (seconds of start-up and exit, imports, numba's first call,
   sampler, Parquet write), and rule ``entropy_run``'s job run by Snakemake in a scratch
   directory (its ``benchmark:`` record, the figure the paper run's job times are). Part 1
   runs with flat weights (every move that stays in the box is accepted) and costs less per
   step than the real phases, so the job is compared with steps x part 1 as well.
4. A cost model of the default Fig. 8 (``--config``): steps x measured cost / 2 cores.

The machine is shared and was heavily loaded (load 10 on 2 cores) while this was written, so
every timing is given twice: CPU time of this process (``time.process_time``, what the step
costs on an idle core up to cache sharing) and wall time (what it cost under the load shown).
The cost model uses the CPU times.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numba
import numpy as np
from numba import njit

from xornet import entropy as E
from xornet import gates
from xornet.config import load
from xornet.kernels import JIT, splitmix64, uniform01

R = 30.0
XY = gates.targets("xor")  # the paper's targets, as the sampler kernels take them


def load_avg():
    return "load %.2f %.2f %.2f" % os.getloadavg()


@njit(**JIT)
def full_recompute_walker(v, nh, R, n_steps, state, delta, y):
    """Reference: Metropolis-free random walk that recomputes the whole loss every step."""
    P = 4 * nh + 1
    A = np.empty((nh, 4))
    z2 = np.empty(4)
    acc = 0.0
    for _ in range(n_steps):
        state, b1 = splitmix64(state)
        state, b2 = splitmix64(state)
        k = int(uniform01(b1) * P)
        old = v[k]
        new = old + delta * (2.0 * uniform01(b2) - 1.0)
        if -R <= new <= R:
            v[k] = new
        acc += E.full_state(v, nh, A, z2, y)
    return acc


def time_kernel(n_h, mode, n_steps=5_000_000, repeats=3):
    nb = 500
    best = np.inf
    best_cpu = np.inf
    for rep in range(repeats):
        v = np.random.default_rng(rep).uniform(-R, R, 4 * n_h + 1)
        A = np.empty((n_h, 4))
        z2 = np.empty(4)
        sc = np.zeros(E.N_SC)
        sc[E.SC_L] = E.full_state(v, n_h, A, z2, XY)
        sc[E.SC_LNF] = 1e-3
        sc[E.SC_DELTA] = 14.0
        sc[E.SC_MINL] = sc[E.SC_L]
        ic = np.zeros(E.N_IC, dtype=np.int64)
        lng = np.zeros(nb)
        H = np.zeros(nb, dtype=np.int64)
        vis = np.zeros(nb, dtype=np.int8)
        vmin = v.copy()
        args = (v, n_h, R, A, z2, lng, H, vis, sc, ic, np.uint64(rep + 1))
        E.wl_kernel(*args, 1000, mode, 1000, 10000, vmin, XY)  # compile / warm
        t = time.perf_counter()
        c = time.process_time()
        E.wl_kernel(*args, n_steps, mode, 1000, 10000, vmin, XY)
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    return best / n_steps * 1e9, best_cpu / n_steps * 1e9, ic[E.IC_ACC] / max(ic[E.IC_PROP], 1)


def time_full(n_h, n_steps=2_000_000):
    v = np.random.default_rng(0).uniform(-R, R, 4 * n_h + 1)
    full_recompute_walker(v, n_h, R, 100, np.uint64(1), 14.0, XY)
    c = time.process_time()
    full_recompute_walker(v, n_h, R, n_steps, np.uint64(1), 14.0, XY)
    return (time.process_time() - c) / n_steps * 1e9


def time_simple(n_h, n=1_000_000):
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        E.simple_sampling(n_h, R, 1000, 100, 1, n_streams=1)
        t = time.perf_counter()
        c = time.process_time()
        E.simple_sampling(n_h, R, n, 100, 1, n_streams=1)
        return (time.perf_counter() - t) / n * 1e9, (time.process_time() - c) / n * 1e9
    finally:
        numba.set_num_threads(old)


_JOB = r"""
import json, sys, time
t = [(time.perf_counter(), time.process_time())]
import numpy as np
from xornet import entropy, gates, io
from xornet.config import load
from xornet.workflow import start
class S:
    threads = 1
    log = []
start(S(), "entropy_run")  # as the rule script: also registers the exit hook
t.append((time.perf_counter(), time.process_time()))
cfg0 = load(sys.argv[3])["entropy"]
cfg = dict(cfg0["sampler"], n_bins=cfg0["n_bins"])
n_h, out = int(sys.argv[1]), sys.argv[2]
entropy.full_state(np.zeros(4 * n_h + 1), n_h, np.empty((n_h, 4)), np.empty(4),
                   gates.targets("xor"))  # numba's first call: target initialisation, cache load
t.append((time.perf_counter(), time.process_time()))
res = entropy.run_sampler(n_h, 30.0, cfg, SEED, 0, progress_seconds=1e9)
t.append((time.perf_counter(), time.process_time()))
io.write_parquet(entropy.run_frame(n_h, 30.0, 0, res), out, dataset="entropy_run",
                 prov=io.provenance("entropy_run", "entropy", cfg, SEED),
                 extra=entropy.run_diagnostics(res))
t.append((time.perf_counter(), time.process_time()))
print(json.dumps({"t": t}))
"""


def _sampler_in_process(n_h: int, cfg: dict, seed: int):
    """The sampler's own cost: one default run (all phases) in this process, kernels loaded.
    Returns (wall s, CPU s, {mode: (steps, CPU s)}) with the kernel time per mode."""
    from xornet.entropy import driver as D

    orig, per = D.wl_kernel, {}

    def timed(*a):
        c = time.process_time()
        r = orig(*a)
        n = per.setdefault(int(a[12]), [0, 0.0])
        n[0] += int(a[11])
        n[1] += time.process_time() - c
        return r

    D.wl_kernel = timed
    try:
        w, c = time.perf_counter(), time.process_time()
        E.run_sampler(n_h, R, cfg, seed, 0, progress_seconds=1e9)
        return time.perf_counter() - w, time.process_time() - c, per
    finally:
        D.wl_kernel = orig


def _job_process(n_h: int, config: str, seed: int):
    """The rule's script's work (imports, numba's first call, run_sampler, Parquet write) as its
    own process: wall seconds per stage, the whole process's wall and CPU (start-up and exit
    included)."""
    import json
    import resource
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        w0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _JOB.replace("SEED", str(seed)), str(n_h),
             f"{tmp}/run.parquet", config], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - w0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = json.loads(proc.stdout.strip().splitlines()[-1])["t"]
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    stages = [t[i + 1][0] - t[i][0] for i in range(len(t) - 1)]
    return wall, cpu, stages


def _snakemake_job(n_h: int, config: str):
    """Rule entropy_run's job for (R = 30, n_h, run 0) run by Snakemake in a scratch directory:
    the job's own benchmark record (``s``, ``cpu_time``), as the paper run's job times are."""
    import csv
    import subprocess
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    exe = Path(sys.executable).with_name("snakemake")
    target = f"results/entropy/runs/R30/nh{n_h}_run0.parquet"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(exe), target, "-s", str(root / "Snakefile"), "--directory", tmp,
                        "--configfile", config, "--cores", "1", "--quiet", "all"],
                       capture_output=True, text=True, check=True)
        with open(f"{tmp}/results/benchmarks/entropy_run/R30_nh{n_h}_run0.tsv") as f:
            row = next(csv.DictReader(f, delimiter="\t"))
    return float(row["s"]), float(row["cpu_time"])


def job_cost(n_hs, micro_ns: dict, rounds: int, config: str):
    """Part 3: the sampler's own cost against the job that runs it.

    Per round and n_h, one after the other on the same machine state: the sampler in this
    process (:func:`_sampler_in_process`), the job's work as its own process
    (:func:`_job_process`) and the Snakemake job (:func:`_snakemake_job`). Medians over rounds;
    the ratio is the median of the per-round ratios job / sampler (wall).
    """
    cfg0 = load(config)["entropy"]
    cfg = dict(cfg0["sampler"], n_bins=cfg0["n_bins"])
    seed = int(load(config)["seed"])
    steps = cfg["tune_steps"] + cfg["wl_steps"] + cfg["muca_steps"]
    med = statistics.median
    print("| n_h | sampler wall | sampler CPU | ns/step WL phases | ns/step muca | "
          "steps x part 1 (flat weights) | job process wall (CPU) | start-up + exit | imports | "
          "numba 1st call | Parquet | Snakemake job `s` (cpu_time) | job / sampler | "
          "job / part 1 | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n_h in n_hs:
        E.run_sampler(n_h, R, dict(cfg, tune_steps=20_000, wl_steps=200_000, muca_steps=200_000,
                                   chunk_steps=100_000), seed, 0, progress_seconds=1e9)  # warm
        rs = []
        for _ in range(rounds):
            sw, sc, per = _sampler_in_process(n_h, cfg, seed)
            pw, pc, st = _job_process(n_h, config, seed)
            js, jc = _snakemake_job(n_h, config)
            rs.append((sw, sc, per, pw, pc, st, js, jc))
        wl = med(r[2][E.MODE_WL][1] / r[2][E.MODE_WL][0] * 1e9 for r in rs)
        mu = med(r[2][E.MODE_MUCA][1] / r[2][E.MODE_MUCA][0] * 1e9 for r in rs)
        micro = steps * micro_ns[n_h] * 1e-9
        js = med(r[6] for r in rs)
        print(f"| {n_h} | {med(r[0] for r in rs):.2f} s | {med(r[1] for r in rs):.2f} s | "
              f"{wl:.1f} | {mu:.1f} | {micro:.2f} s | {med(r[3] for r in rs):.2f} s "
              f"({med(r[4] for r in rs):.2f} s) | "
              f"{med(r[3] - sum(r[5]) for r in rs):.2f} s | {med(r[5][0] for r in rs):.2f} s | "
              f"{med(r[5][1] for r in rs):.2f} s | {med(r[5][3] for r in rs):.2f} s | "
              f"{js:.2f} s ({med(r[7] for r in rs):.2f} s) | "
              f"{med(r[6] / r[0] for r in rs):.2f}x | {js / micro:.2f}x | {load_avg()} |",
              flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="config.yaml", help="config of part 3 and 4")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of part 3 (default 3)")
    ap.add_argument("--job-n-h", type=int, nargs="+", default=[1, 2, 4, 8, 18],
                    help="n_h of part 3 (default 1 2 4 8 18)")
    a = ap.parse_args()
    print(
        f"# bench_entropy  {platform.processor() or platform.machine()}  "
        f"numba {numba.__version__}  cpus {os.cpu_count()}"
    )
    print(f"# {load_avg()} at start")
    print("\n## MC step (wl_kernel, one walker, one thread), best of 3 x 5e6 steps, flat weights "
          "(ln g = 0: nearly every move in the box is accepted; part 3 has the real phases)")
    print(
        "| n_h | P | WL ns/step (CPU) | muca ns/step (CPU) | WL (wall) | muca (wall) | "
        "full recompute ns/step (CPU) | acceptance | load |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    cost = {}
    for n_h in (1, 2, 4, 8, 18):
        wl, wlc, acc = time_kernel(n_h, E.MODE_WL)
        mu, muc, _ = time_kernel(n_h, E.MODE_MUCA)
        fu = time_full(n_h)
        cost[n_h] = (wlc, muc)
        print(
            f"| {n_h} | {4 * n_h + 1} | {wlc:.1f} | {muc:.1f} | {wl:.1f} | {mu:.1f} | {fu:.1f} "
            f"| {acc:.2f} | {load_avg()} |",
            flush=True,
        )
    print("\n## simple sampling (one thread)")
    print("| n_h | ns/draw (CPU) | ns/draw (wall) | load |")
    print("|---:|---:|---:|---|")
    ss = {}
    for n_h in (1, 2, 4, 8, 18):
        w, c = time_simple(n_h)
        ss[n_h] = c
        print(f"| {n_h} | {c:.1f} | {w:.1f} | {load_avg()} |", flush=True)

    print(f"\n## one default sampler job ({a.config}, R=30, run 0): the sampler's own cost "
          f"against the job, median of {a.rounds} rounds")
    print("sampler = run_sampler in this process with its kernels loaded (all phases: tuning, "
          "WL, multicanonical); job process = the rule script's work as its own process; "
          "Snakemake job = `snakemake <run file> --cores 1` in a scratch directory, its "
          "benchmark record; part 1 = steps x the mean of part 1's WL and muca CPU ns/step")
    job_cost(a.job_n_h, {k: float(np.mean(v)) for k, v in cost.items()}, a.rounds, a.config)

    cfg = load(a.config)["entropy"]
    s = cfg["sampler"]
    steps = s["tune_steps"] + s["wl_steps"] + s["muca_steps"]
    known = np.array(sorted(cost))
    tot = 0.0
    for n_h in cfg["n_h"]:
        c = float(np.interp(n_h, known, [np.mean(cost[k]) for k in known]))
        d = float(np.interp(n_h, known, [ss[k] for k in known]))
        tot += cfg["n_runs"] * steps * c * 1e-9 + cfg["simple_draws"] * d * 1e-9
    rs = cfg["r_sensitivity"]
    for R_ in rs["R"]:
        if float(R_) == float(cfg["R"]):
            continue
        for n_h in rs["n_h"]:
            c = float(np.interp(n_h, known, [np.mean(cost[k]) for k in known]))
            d = float(np.interp(n_h, known, [ss[k] for k in known]))
            tot += rs["n_runs"] * steps * c * 1e-9 + cfg["simple_draws"] * d * 1e-9
    print("\n## cost model of the default Fig. 8 (config.yaml)")
    print(
        f"per run {steps:.3g} MC steps; {len(cfg['n_h'])} n_h x {cfg['n_runs']} runs + "
        f"simple sampling ({cfg['simple_draws']:.3g} draws per n_h) + R sensitivity"
    )
    print(
        f"kernel CPU time {tot:.0f} s (CPU-time rates) -> {tot / 2:.0f} s wall on 2 idle cores "
        f"(plus ~3 s Python/numba start-up per job)"
    )
    print(f"# {load_avg()} at end")


if __name__ == "__main__":
    main()
