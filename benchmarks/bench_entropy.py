"""Benchmark of the Fig. 8 samplers (xornet.entropy).

    .venv/bin/python benchmarks/bench_entropy.py > benchmarks/output/bench_entropy.txt

1. ns per MC step of ``wl_kernel`` (single-parameter move, incremental loss update) in
   Wang-Landau and multicanonical mode at n_h = 1, 2, 4, 8, 18 (best of 3 repeats of 5e6 steps,
   after compilation), and of a reference walker that recomputes the full loss every step.
2. ns per draw of simple sampling (one thread).
3. A cost model of the default Fig. 8 (config.yaml): steps x measured cost / 2 cores.

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
from xornet.config import load
from xornet.kernels import JIT, splitmix64, uniform01

R = 30.0


def load_avg():
    return "load %.2f %.2f %.2f" % os.getloadavg()


@njit(**JIT)
def full_recompute_walker(v, nh, R, n_steps, state, delta):
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
        acc += E.full_state(v, nh, A, z2)
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
        sc[E.SC_L] = E.full_state(v, n_h, A, z2)
        sc[E.SC_LNF] = 1e-3
        sc[E.SC_DELTA] = 14.0
        sc[E.SC_MINL] = sc[E.SC_L]
        ic = np.zeros(E.N_IC, dtype=np.int64)
        lng = np.zeros(nb)
        H = np.zeros(nb, dtype=np.int64)
        vis = np.zeros(nb, dtype=np.int8)
        vmin = v.copy()
        args = (v, n_h, R, A, z2, lng, H, vis, sc, ic, np.uint64(rep + 1))
        E.wl_kernel(*args, 1000, mode, 1000, 10000, vmin)  # compile / warm
        t = time.perf_counter()
        c = time.process_time()
        E.wl_kernel(*args, n_steps, mode, 1000, 10000, vmin)
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    return best / n_steps * 1e9, best_cpu / n_steps * 1e9, ic[E.IC_ACC] / max(ic[E.IC_PROP], 1)


def time_full(n_h, n_steps=2_000_000):
    v = np.random.default_rng(0).uniform(-R, R, 4 * n_h + 1)
    full_recompute_walker(v, n_h, R, 100, np.uint64(1), 14.0)
    c = time.process_time()
    full_recompute_walker(v, n_h, R, n_steps, np.uint64(1), 14.0)
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
