"""Benchmark of the landscape stage (Figs. 6-7, xornet.landscape) at the paper-fidelity sizes.

    .venv/bin/python benchmarks/bench_landscape.py [--epochs N] > benchmarks/output/bench_landscape.txt

1. All 36 cross-sections at 401 x 401 (``loss_grids``, one compiled call), 1 and 2 threads;
   the brief's budget is 60 s on 2 cores.
2. One long trajectory: the start (w1_2_2, b1_1) = (-3, 10) of Fig. 6(c), which never
   converges, for ``--epochs`` epochs through ``descend`` (chunks between log-spaced record
   epochs) and through a bare ``kernels._gd_epochs`` call; ns/epoch and the extrapolated cost
   of the paper's 6e7-epoch cap (target: ~10 s, ~150 ns/epoch at n_h = 2).
3. Fig. 7: 401 x 401 points x 100 randomized scans (``randomized_scans``), 2 threads.
4. Shape features of the 36 grids (``features_frame``), which choose Fig. 6(d)-(f).
5. (``--ci``) The CI configuration end to end: a fresh copy of the workflow renders
   figures/fig6.pdf, fig7.pdf, landscape_all.pdf and trajectories.md with
   ``snakemake --cores 2 --configfile config/ci.yaml`` (all landscape jobs from scratch; the
   numba cache of the installed package is warm). Budget: under a minute.

Every timing is preceded by a warm-up call (numba cache load / compile) and printed with the
load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

from xornet import gates
from xornet import kernels as K
from xornet import landscape as L
from xornet import model as M

XB = gates.bits("xor")  # the paper's targets, as the kernels take them


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20_000_000)
    ap.add_argument("--ci", action="store_true", help="also time the CI-scale rules (5.)")
    ap.add_argument("--ci-only", action="store_true", help="only section 5")
    args = ap.parse_args()
    if args.ci_only:
        bench_ci()
        return
    v = M.PAPER_TABLE2[0]
    print(f"# bench_landscape  numba {numba.__version__}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}")

    print("## 1. all 36 cross-sections, 401 x 401, nonrandomized full-batch loss")
    pairs = L.all_pairs(2)
    d = L.deltas(20.0, 401)
    L.loss_grids(v, 2, pairs[:1], d[:5])
    for threads in (1, 2):
        numba.set_num_threads(threads)
        t = time.perf_counter()
        g = L.loss_grids(v, 2, pairs, d)
        dt = time.perf_counter() - t
        print(f"loss_grids threads={threads}: {g.size:.3e} points in {dt:.2f} s = "
              f"{1e9 * dt / g.size:.1f} ns/point wall   [{load()}]")
    t = time.perf_counter()
    df = L.grids_frame(g, pairs, d)
    print(f"grids_frame (long format, {len(df):,} rows): {time.perf_counter() - t:.2f} s")

    print(f"## 2. one long trajectory (Fig. 6(c) start (-3, 10)), {args.epochs:.1e} epochs")
    numba.set_num_threads(1)
    start = [{"label": "c:-3,10", "panel": "c", "x": "w1_2_2", "y": "b1_1", "dx": -3.0,
              "dy": 10.0, "eta": 0.1}]
    L.descend(v, 2, start, max_epochs=100, points_per_decade=20, converged_loss=0.005,
              stall_tol=0.0, stall_min_epochs=10**9)
    t, c = time.perf_counter(), time.process_time()
    tr = L.descend(v, 2, start, max_epochs=args.epochs, points_per_decade=20,
                   converged_loss=0.005, stall_tol=0.0, stall_min_epochs=10**9)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    ep = int(tr["epoch"].iloc[-1])
    print(f"descend (threads=1, 20 records/decade): {ep:.3e} epochs in {dt:.2f} s wall = "
          f"{1e9 * dt / ep:.1f} ns/epoch; 6e7 epochs -> {6e7 * dt / ep:.1f} s wall; "
          f"CPU time {dc:.2f} s = {1e9 * dc / ep:.1f} ns/epoch -> {6e7 * dc / ep:.1f} s   "
          f"[{load()}]")
    V, masks = L.start_vectors(v, 2, start)
    vv = V[0].copy()
    K._gd_epochs(vv, 2, 0.1, 10, False, np.uint64(0), masks[0], 0.005, XB)
    t, c = time.perf_counter(), time.process_time()
    K._gd_epochs(vv, 2, 0.1, args.epochs, False, np.uint64(0), masks[0], 0.005, XB)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"kernels._gd_epochs (one call): {args.epochs:.3e} epochs in {dt:.2f} s wall = "
          f"{1e9 * dt / args.epochs:.1f} ns/epoch; 6e7 epochs -> {6e7 * dt / args.epochs:.1f} s"
          f" wall; CPU time {1e9 * dc / args.epochs:.1f} ns/epoch   [{load()}]")

    print("## 3. Fig. 7: randomized scans, 401 x 401 points x 100 scans")
    numba.set_num_threads(2)
    L.randomized_scans(v, 2, "b1_1", "b2_1", d[:5], 2, 1)
    t = time.perf_counter()
    res = L.randomized_scans(v, 2, "b1_1", "b2_1", d, 100, 1)
    dt = time.perf_counter() - t
    print(f"randomized_scans threads=2: {dt:.2f} s; RMS(k=1) = {res['rms']['rms'].iloc[0]:.4f}, "
          f"RMS(k=100) = {res['rms']['rms'].iloc[-1]:.4f}   [{load()}]")

    print("## 4. shape features of the 36 grids (panel selection)")
    t = time.perf_counter()
    L.features_frame(df)
    print(f"features_frame: {time.perf_counter() - t:.2f} s   [{load()}]")
    if args.ci:
        bench_ci()


def bench_ci():
    root = Path(__file__).resolve().parents[1]
    targets = ["figures/fig6.pdf", "figures/fig7.pdf", "figures/landscape_all.pdf",
               "figures/trajectories.md"]
    print("## 5. CI configuration, landscape targets from scratch, --cores 2")
    with tempfile.TemporaryDirectory() as tmp:
        wd = Path(tmp)
        for name in ("Snakefile", "config.yaml"):
            shutil.copy(root / name, wd / name)
        for name in ("config", "workflow"):
            shutil.copytree(root / name, wd / name, ignore=shutil.ignore_patterns("__pycache__"))
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "snakemake", *targets, "--cores", "2",
                              "--configfile", "config/ci.yaml"], cwd=wd, capture_output=True,
                             text=True, stdin=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        if out.returncode != 0:
            print(out.stderr[-3000:])
            raise SystemExit("CI run failed")
        jobs = out.stderr.count("Finished jobid")
        print(f"snakemake (CI config, {jobs} jobs incl. fig6, fig7, landscape_all, "
              f"trajectories_table): {dt:.1f} s wall, {cpu:.1f} s CPU (user+sys of all "
              f"processes; / 2 cores = {cpu / 2:.1f} s, the wall time on an idle machine "
              f"if perfectly packed)   [{load()}]")
        for log in sorted((wd / "logs").rglob("*.log")):
            lines = log.read_text().splitlines()
            if len(lines) >= 2:
                t0 = time.strptime(lines[0][:19], "%Y-%m-%d %H:%M:%S")
                t1 = time.strptime(lines[-1][:19], "%Y-%m-%d %H:%M:%S")
                print(f"  {log.relative_to(wd / 'logs')}: {time.mktime(t1) - time.mktime(t0):.0f} s "
                      "between first and last log line")


if __name__ == "__main__":
    main()
