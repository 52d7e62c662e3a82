"""Benchmark of the Fig. 8 samplers (xornet.entropy).

    .venv/bin/python benchmarks/bench_entropy.py > benchmarks/output/bench_entropy.txt

1. ns per MC step of ``wl_kernel`` (single-parameter move, incremental loss update) in
   Wang-Landau and multicanonical mode at n_h = 1, 2, 4, 8, 18 (best of 3 repeats of 5e6 steps,
   after compilation), and of a reference walker that recomputes the full loss every step.
2. ns per draw of simple sampling (one thread).
3. One default sampler job (config.yaml) as its own process, as rule entropy_run runs it:
   CPU seconds of interpreter start-up, imports, kernels (first call: numba cache load),
   Python work between chunks and the Parquet write, against steps x the cost of part 1.
4. A cost model of the default Fig. 8 (config.yaml): steps x measured cost / 2 cores.

The machine is shared and was heavily loaded (load 10 on 2 cores) while this was written, so
every timing is given twice: CPU time of this process (``time.process_time``, what the step
costs on an idle core up to cache sharing) and wall time (what it cost under the load shown).
The cost model uses the CPU times.
"""

from __future__ import annotations

import os
import platform
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
import json, os, sys, time
t = [(time.perf_counter(), time.process_time())]
from xornet import entropy, io
from xornet.config import load
t.append((time.perf_counter(), time.process_time()))
cfg0 = load("config.yaml")["entropy"]
cfg = dict(cfg0["sampler"], n_bins=cfg0["n_bins"])
n_h, out = int(sys.argv[1]), sys.argv[2]
marks = {}
orig = entropy.wl_kernel
def timed(*a):
    c = time.process_time()
    r = orig(*a)
    if "first" not in marks:
        marks["first"] = (time.process_time() - c, a[11])
    marks["kernel"] = marks.get("kernel", 0.0) + time.process_time() - c
    return r
entropy.wl_kernel = timed
res = entropy.run_sampler(n_h, 30.0, cfg, 20250108, 0, progress_seconds=1e9)
t.append((time.perf_counter(), time.process_time()))
io.write_parquet(entropy.run_frame(n_h, 30.0, 0, res), out, dataset="entropy_run",
                 prov=io.provenance("entropy_run", "entropy", cfg, 20250108),
                 extra=entropy.run_diagnostics(res))
t.append((time.perf_counter(), time.process_time()))
steps = cfg["tune_steps"] + cfg["wl_steps"] + cfg["muca_steps"]
print(json.dumps({"t": t, "marks": marks, "steps": steps}))
"""


def job_cost(n_h: int, kernel_ns: float):
    """Part 4: one default sampler job (config.yaml) as its own process: where the time goes.

    The process does what rule entropy_run's script does (imports, run_sampler, Parquet); CPU
    seconds per stage (``time.process_time`` in the child, ``getrusage`` for the whole process
    including interpreter start-up) against steps x the kernel cost measured in part 1.
    """
    import json
    import resource
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        w0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _JOB, str(n_h), f"{tmp}/run.parquet"],
                              capture_output=True, text=True, check=True)
        wall = time.perf_counter() - w0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    d = json.loads(proc.stdout.strip().splitlines()[-1])
    cpu_total = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    (w_a, c_a), (w_b, c_b), (w_c, c_c), (w_d, c_d) = d["t"]
    kern = d["marks"]["kernel"]
    first, n_first = d["marks"]["first"]
    bench = d["steps"] * kernel_ns * 1e-9
    start = cpu_total - (c_d - c_a)
    print(f"| n_h | steps | bench: steps x {kernel_ns:.0f} ns | job CPU (process) | interpreter "
          "start-up | imports | kernels | of which 1st call | Python per chunk | Parquet | "
          "job wall | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(f"| {n_h} | {d['steps']:.3g} | {bench:.2f} s | {cpu_total:.2f} s "
          f"({cpu_total / bench:.2f}x) | {start:.2f} s | {c_b - c_a:.2f} s | {kern:.2f} s | "
          f"{first:.3f} s ({n_first} steps) | {c_c - c_b - kern:.2f} s | {c_d - c_c:.2f} s | "
          f"{wall:.1f} s | {load_avg()} |", flush=True)


def main():
    print(
        f"# bench_entropy  {platform.processor() or platform.machine()}  "
        f"numba {numba.__version__}  cpus {os.cpu_count()}"
    )
    print(f"# {load_avg()} at start")
    print("\n## MC step (wl_kernel, one walker, one thread), best of 3 x 5e6 steps")
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

    print("\n## one default sampler job (config.yaml, R=30) in its own process (CPU seconds)")
    print("steps x the mean of the WL and muca CPU ns/step of part 1 vs the job process's CPU")
    job_cost(2, float(np.mean(cost[2])))
    job_cost(18, float(np.mean(cost[18])))

    cfg = load("config.yaml")["entropy"]
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
