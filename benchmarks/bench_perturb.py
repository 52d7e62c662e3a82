"""Benchmark of the Fig. 5 lockstep kernel (xornet.perturb) and a cost model of the default sweep.

    .venv/bin/python benchmarks/bench_perturb.py [--epochs N] [--scan-cap N] > benchmarks/output/bench_perturb.txt

0. Thread balance: CPU seconds of each of the two threads while 1, 2 or 3 points run (the
   end of a job): the production kernel (``lanes``: work units of 8 replicas pulled by both
   threads) against the previous one (``soa``: one point per thread).
1. Cost per network-epoch (one forward + backward of one replica) of the production kernel
   ``lanes`` (4-lane SIMD blocks of replicas), of ``advance_points_soa`` (SIMD over replicas
   by LLVM's loop vectoriser) and of the reference ``advance_points``
   (one replica at a time through ``kernels.forward4/backward4``) on
   points that never converge (Delta = +10 on w1_1_1, R = 100), with 1 and 2 threads, next
   to ``kernels.gd_ensemble`` (the plain per-replica GD kernel) on the same networks.
2. A cost model of the default sweep (9 x 201 x 100 replicas, cap 1e6): a coarse scan
   (Delta step 1, R = 100) counts the network-epochs each point needs up to ``--scan-cap``;
   points still running at the scan cap are charged the full default cap (upper bound).
   Network-epochs x measured cost / 2 cores = predicted wall time.

The machine is shared: the load average is printed with every timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numba
import numpy as np

from xornet import gates
from xornet import kernels as K
from xornet import model as M
from xornet import perturb as PT


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def bench_kernel(epochs: int, threads: int, R: int = 100, n_points: int = 2, kernel: str = "soa"):
    numba.set_num_threads(threads)
    V0 = PT.start_networks(M.PAPER_TABLE2[0], "w1_1_1", [10.0] * n_points, 2)
    labels = [f"bench/{i}" for i in range(n_points)]
    PT.run_points(V0, 2, labels, n_replicas=R, eta=0.1, max_epochs=10, threshold=0.005, seed=1,
                  chunk_epochs=10, progress_seconds=1e9, kernel=kernel)  # compile / load cache
    out = PT.run_points(V0, 2, labels, n_replicas=R, eta=0.1, max_epochs=epochs, threshold=0.005,
                        seed=1, chunk_epochs=1 << 16, progress_seconds=1e9, kernel=kernel)
    assert (out["tau"] < 0).all(), "benchmark points are expected not to converge"
    return out["seconds"], out["net_epochs"]


def bench_gd_ensemble(epochs: int, threads: int, R: int = 100, n_points: int = 2):
    numba.set_num_threads(threads)
    V = np.repeat(PT.start_networks(M.PAPER_TABLE2[0], "w1_1_1", [10.0], 2), R * n_points, 0)
    n = V.shape[0]
    args = (np.full(n, 0.1), None, True, np.arange(n, dtype=np.uint64), np.zeros(n, np.int64),
            np.zeros(n, np.int64), np.zeros(n), np.zeros(n), 0.0, gates.bits("xor"))
    K.gd_ensemble(V.copy(), 2, args[0], 10, True, *args[3:])
    t = time.perf_counter()
    K.gd_ensemble(V, 2, args[0], epochs, True, *args[3:])
    return time.perf_counter() - t, n * epochs


def thread_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of every thread of this process (/proc/self/task)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
            out[int(tid)] = (int(f[11]) + int(f[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return out


def thread_balance(n_points: int, kernel: str, epochs: int, R: int = 100):
    """Per-thread CPU seconds of a 2-thread run of ``n_points`` non-converging points: how
    evenly the two threads share the work to the end (the end of a job is a few points)."""
    numba.set_num_threads(2)
    V0 = PT.start_networks(M.PAPER_TABLE2[0], "w1_1_1", [10.0] * n_points, 2)
    labels = [f"bench/{i}" for i in range(n_points)]
    kw = dict(n_replicas=R, eta=0.1, threshold=0.005, seed=1, progress_seconds=1e9,
              kernel=kernel)
    PT.run_points(V0, 2, labels, max_epochs=10, chunk_epochs=10, **kw)
    a = thread_cpu()
    out = PT.run_points(V0, 2, labels, max_epochs=epochs, chunk_epochs=1 << 16, **kw)
    b = thread_cpu()
    busy = sorted((b[t] - a.get(t, 0.0) for t in b), reverse=True)[:2]
    return busy, out["seconds"], out["net_epochs"]


def cost_model(scan_cap: int, default_cap: int, R: int = 100, step: float = 1.0):
    numba.set_num_threads(2)
    d = PT.delta_grid(-10.0, 10.0, step)
    rows = []
    for param in M.param_names(2):
        V0 = PT.start_networks(M.PAPER_TABLE2[0], param, d, 2)
        labels = [PT.stream_label("paper", param, float(x)) for x in d]
        out = PT.run_points(V0, 2, labels, n_replicas=R, eta=0.1, max_epochs=scan_cap,
                            threshold=0.005, seed=20250108, chunk_epochs=1 << 16,
                            progress_seconds=1e9)
        running = (out["epochs"] >= scan_cap) & ((out["tau"] < 0) | (out["conv"] < 0).any(axis=1))
        work = out["work"].astype(float)
        # upper bound: a point still running at the scan cap runs all R replicas to the cap
        work_default = np.where(running, R * (default_cap + 1.0), work)
        rows.append((param, out["tau"], running, work.sum(), work_default.sum(), out["seconds"]))
    return d, rows


def summarise_logs(folder):
    """Part 3: the measured cost of the last perturb_param jobs (from their logs)."""
    import glob
    import re

    rx = re.compile(r"^(\S+ \S+) INFO (\S+(?: part \d+/\d+)?):.* ([0-9.e+]+) network-epochs in "
                    r"([0-9.]+) s = ([0-9.]+) ns per network-epoch \(threads=(\d+)\)")
    rows = []
    for path in sorted(glob.glob(f"{folder}/*.log")):
        with open(path) as fh:
            first = fh.readline()
            for line in fh:
                m = rx.match(line)
                if m:
                    rows.append((m.group(2), first[:19], m.group(1), float(m.group(3)),
                                 float(m.group(4)), float(m.group(5)), int(m.group(6))))
    if not rows:
        return
    print(f"## 3. measured perturb_param jobs ({folder})")
    for r in rows:
        print(f"{r[0]:8s} start {r[1]} end {r[2]}: {r[3]:.3e} network-epochs, {r[4]:.1f} s, "
              f"{r[5]:.1f} ns/network-epoch wall, threads={r[6]}")
    ne = sum(r[3] for r in rows)
    sec = sum(r[4] for r in rows)
    print(f"total: {ne:.3e} network-epochs, {sec:.0f} s of kernel time "
          f"({1e9 * sec / ne:.1f} ns/network-epoch wall)   [{load()}]")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=200_000)
    ap.add_argument("--scan-cap", type=int, default=100_000)
    ap.add_argument("--default-cap", type=int, default=1_000_000)
    ap.add_argument("--no-scan", action="store_true", help="skip the cost-model scan (part 2)")
    ap.add_argument("--logs", default="logs/perturb_param",
                    help="part 3: summarise the cost lines of the last perturb_param jobs here")
    a = ap.parse_args()
    print(f"# bench_perturb  numba {numba.__version__}, threading layer "
          f"{numba.config.THREADING_LAYER}, {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}")
    print("## 0. thread balance: CPU seconds of the two busiest threads, 2 threads, "
          f"non-converging points (R=100, {a.epochs} epochs)")
    for n in (1, 2, 3):
        for kernel in ("lanes", "soa"):
            (c1, c2), sec, ne = thread_balance(n, kernel, a.epochs)
            print(f"{n} point(s) kernel={kernel:5s}: threads {c1:.2f} s + {c2:.2f} s CPU "
                  f"(second thread {c2 / max(c1, 1e-9):.0%} of the first), "
                  f"{1e9 * (c1 + c2) / ne:.1f} core-ns/network-epoch, wall {sec:.2f} s   [{load()}]",
                  flush=True)
    print("## 1. cost per network-epoch (R=100 replicas/point, 2 non-converging points)")
    for threads in (1, 2):
        for kernel in ("lanes", "soa", "aos"):
            sec, ne = bench_kernel(a.epochs, threads, kernel=kernel)
            print(f"perturb kernel={kernel} threads={threads}: {ne:.3e} network-epochs in {sec:.2f} s"
                  f" = {1e9 * sec / ne:.1f} ns/network-epoch wall ({1e9 * sec * threads / ne:.1f} "
                  f"core-ns)   [{load()}]")
        sec, ne = bench_gd_ensemble(a.epochs, threads)
        print(f"kernels.gd_ensemble    threads={threads}: {ne:.3e} network-epochs in {sec:.2f} s "
              f"= {1e9 * sec / ne:.1f} ns/network-epoch wall   [{load()}]")
    summarise_logs(a.logs)
    if a.no_scan:
        return
    print(f"## 2. cost model of the default sweep (coarse scan: Delta step 1, R=100, cap {a.scan_cap})")
    t0 = time.perf_counter()
    d, rows = cost_model(a.scan_cap, a.default_cap)
    scan_sec = time.perf_counter() - t0
    print("param    " + " ".join(f"{x:>7g}" for x in d))
    tot_scan = tot_def = 0.0
    for param, tau, running, w, wd, _sec in rows:
        cells = ["  >cap " if r else f"{t:7d}" for t, r in zip(tau, running, strict=True)]
        print(f"{param:8s} " + " ".join(cells))
        tot_scan += w
        tot_def += wd
    n_run = sum(int(r[2].sum()) for r in rows)
    scan_rate = tot_scan / scan_sec
    print(f"scan: {tot_scan:.3e} network-epochs in {scan_sec:.1f} s (2 threads) = "
          f"{1e9 / scan_rate:.1f} ns/network-epoch wall   [{load()}]")
    print(f"points still running at the scan cap: {n_run} of {len(d) * 9}")
    # the default grid has 10x the points of the step-1 scan (step 0.1)
    scale = (201 * 9) / (len(d) * 9)
    pred = tot_def * scale
    print(f"default sweep upper bound: {pred:.3e} network-epochs "
          f"(points running at the scan cap charged {a.default_cap} epochs x R; x{scale:.2f} grid density)")
    print(f"predicted wall time at the scan's rate: {pred / scan_rate / 60:.1f} min on 2 threads")


if __name__ == "__main__":
    main()
