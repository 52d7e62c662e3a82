"""Several versions of the compiled kernels timed against each other in one process (issue 10).

    .venv/bin/python benchmarks/bench_kernels_split.py --tree NAME=SRC [--tree NAME=SRC ...]
        [--rounds 15] [--quick] [--out benchmarks/output/bench_kernels_split.txt]

Each ``SRC`` is a source tree holding the ``xornet`` package (``kernels.py`` as one module, as
before the split, or ``kernels/``), loaded whole under the name ``xornet_<NAME>``; ``current``
is always added (the installed or ``PYTHONPATH`` ``xornet``). A version whose ``gd_single`` has
no ``yb`` argument has the XOR targets hard-coded. Cases: the training kernels of
``benchmarks/bench_kernels.py`` (gd_single, gd_ensemble, mc_zero_t) and the Fig. 5 lanes kernel
(``perturb.run_points``, points that never converge). Every case is timed in ``--rounds`` rounds; in each round every
version runs once, in an order rotated from round to round, so slow phases of a shared machine
hit all versions alike. Per version: median CPU ns per unit with the first and third quartile
and min/max over rounds; per version against the first ``--tree``: the median and quartiles of
the per-round CPU-time ratios (paired within a round). The results of all versions are checked
to be bit-identical before timing.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import os
import platform
import statistics
import sys
import time

import numba
import numpy as np

from xornet import gates
from xornet import kernels as K
from xornet import model as M
from xornet import perturb as PT

XB = gates.bits("xor")
LINES: list[str] = []


def say(s: str = "") -> None:
    print(s, flush=True)
    LINES.append(s)


def load(name: str, src: str):
    """(kernels, perturb) of the ``xornet`` package in tree ``src``, loaded as ``xornet_<name>``
    (its own files, so its own numba cache entries)."""
    pkg = f"xornet_{name}"
    init = os.path.join(src, "xornet", "__init__.py")
    spec = importlib.util.spec_from_file_location(
        pkg, init, submodule_search_locations=[os.path.dirname(init)])
    mod = importlib.util.module_from_spec(spec)
    sys.modules[pkg] = mod
    spec.loader.exec_module(mod)
    return importlib.import_module(f"{pkg}.kernels"), importlib.import_module(f"{pkg}.perturb")


def takes_yb(mods) -> bool:
    return "yb" in inspect.signature(mods[0].gd_single.py_func).parameters


def quartiles(x):
    q = statistics.quantiles(x, n=4, method="inclusive")
    return q[0], statistics.median(x), q[2]


def cases(quick: bool, fig5_epochs: int | None = None):
    """(label, units per call, function of ((kernels, perturb), yb args) returning comparable
    results)."""
    rng = np.random.default_rng(1)
    n_k = 200_000 if quick else 2_000_000
    out = []
    for nh, randomized, n in ((2, False, n_k), (2, True, n_k), (18, True, n_k // 5)):
        v0 = 0.1 * rng.uniform(size=M.n_params(nh))
        mask = np.ones_like(v0)
        kind = "randomized" if randomized else "full batch"

        def f(mods, yb, v0=v0, nh=nh, rz=randomized, n=n, m=mask):
            v = v0.copy()
            r = mods[0].gd_single(v, nh, 0.1, n, rz, np.uint64(1), m, 0.0, *yb)
            return v, r
        out.append((f"gd_single n_h={nh:<2d} {kind}", n, f))
    R, nh, n_e = 1000, 2, (2_000 if quick else 20_000)
    V0 = 0.1 * rng.uniform(size=(R, M.n_params(nh)))
    etas = np.full(R, 0.1)

    def ens(mods, yb, R=R, nh=nh, n_e=n_e, V0=V0, etas=etas):
        V = V0.copy()
        a = (np.arange(R, dtype=np.uint64), np.zeros(R, np.int64), np.zeros(R, np.int64),
             np.zeros(R), np.zeros(R))
        mods[0].gd_ensemble(V, nh, etas, n_e, True, *a, 0.0, *yb)
        return V, a
    out.append((f"gd_ensemble {R} replicas n_h=2 ({numba.get_num_threads()} thr)", R * n_e, ens))
    v0 = 0.1 * rng.uniform(size=M.n_params(2))
    sweeps = 20_000 if quick else 200_000

    def mc(mods, yb, v0=v0, sweeps=sweeps):
        v = v0.copy()
        return v, mods[0].mc_zero_t(v, 2, 0.1, sweeps, np.uint64(3), 0.0, *yb)
    out.append(("mc_zero_t n_h=2 (per proposal)", sweeps * 9, mc))
    n_pt, R, cap = 2, 100, fig5_epochs or (2_000 if quick else 20_000)
    P0 = np.repeat(np.asarray(M.PAPER_TABLE2[0], float)[None, :], n_pt, axis=0)
    P0[:, 0] += 10.0  # w1_1_1 + 10: never converges within the cap (as bench_perturb.py)

    def fig5(mods, yb, n_pt=n_pt, R=R, cap=cap, P0=P0):
        kw = dict(gate="xor") if yb else {}
        o = mods[1].run_points(P0, 2, [f"bench/{i}" for i in range(n_pt)], n_replicas=R,
                               eta=0.1, max_epochs=cap, threshold=0.005, seed=1,
                               chunk_epochs=1 << 16, progress_seconds=1e9, kernel="lanes", **kw)
        return o["V"], o["tau"], o["conv"], o["status"], o["net_epochs"]
    out.append((f"Fig. 5 lanes kernel {n_pt} points x {R} replicas n_h=2 "
                f"({numba.get_num_threads()} thr, per network-epoch)", n_pt * R * (cap + 1), fig5))
    return out


def same(a, b) -> bool:
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=SRC")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=2, help="numba threads (default 2)")
    ap.add_argument("--fig5-epochs", type=int, default=None, metavar="N",
                    help="epoch cap of the Fig. 5 case (default 20000; 2000 with --quick): a "
                         "longer call leaves less of run_points' Python set-up in the time")
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="only the cases whose label contains TEXT (repeatable)")
    a = ap.parse_args(argv)
    versions = []
    for t in a.tree:
        name, src = t.split("=", 1)
        versions.append((name, load(name, src)))
    versions.append(("current", (K, PT)))
    numba.set_num_threads(min(a.threads, numba.config.NUMBA_NUM_THREADS))
    say("# kernel versions timed against each other in one process (issue 10)")
    say(f"date (UTC): {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}")
    say(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs; "
        f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}")
    say("versions: " + "; ".join(
        f"{n} = {m[0].__file__} ({'targets yb' if takes_yb(m) else 'XOR hard-coded'})"
        for n, m in versions))
    say(f"rounds per case: {a.rounds} (every version once per round, order rotated); "
        f"cpu = process CPU time per unit (ns), wall = perf_counter")
    say("load average at start (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())
    say("")
    ref = versions[0][0]
    for label, n, fn in cases(a.quick, a.fig5_epochs):
        if a.only and not any(t in label for t in a.only):
            continue
        yb = {nm: ((XB,) if takes_yb(m) else ()) for nm, m in versions}
        res = {nm: fn(m, yb[nm]) for nm, m in versions}  # warm-up (compile or cache load)
        for nm in res:
            if not same(res[nm], res[ref]):
                raise SystemExit(f"{label}: {nm} differs from {ref}")
        cpu = {nm: [] for nm, _ in versions}
        wall = {nm: [] for nm, _ in versions}
        for k in range(a.rounds):
            order = versions[k % len(versions):] + versions[:k % len(versions)]
            if (k // len(versions)) % 2:
                order = order[::-1]
            for nm, m in order:
                t0, c0 = time.perf_counter(), time.process_time()
                fn(m, yb[nm])
                wall[nm].append((time.perf_counter() - t0) / n * 1e9)
                cpu[nm].append((time.process_time() - c0) / n * 1e9)
        say(f"## {label}: results bit-identical across versions")
        say(f"{'version':10s} {'cpu q1':>8s} {'median':>8s} {'q3':>8s} {'min':>8s} {'max':>8s} "
            f"{'wall med':>9s}   {'cpu ratio to ' + ref + ' (q1 median q3)':>34s}")
        for nm, _ in versions:
            q1, md, q3 = quartiles(cpu[nm])
            rat = [x / y for x, y in zip(cpu[nm], cpu[ref], strict=True)]
            r1, rm, r3 = quartiles(rat)
            say(f"{nm:10s} {q1:8.1f} {md:8.1f} {q3:8.1f} {min(cpu[nm]):8.1f} {max(cpu[nm]):8.1f} "
                f"{statistics.median(wall[nm]):9.1f}   {r1:10.3f} {rm:10.3f} {r3:10.3f}")
        say("")
    say("load average at end (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())
    if a.out:
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out + ".tmp", "w") as f:
            f.write("\n".join(LINES) + "\n")
        os.replace(a.out + ".tmp", a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
