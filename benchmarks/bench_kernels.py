"""Benchmark of the compiled training kernels (issue 2, "Performance").

Prints ns per epoch of :mod:`xornet.kernels` against a plain NumPy per-epoch loop of the
same model (Eqs. 1-6) and, if ``torch`` is importable, a PyTorch autograd + SGD loop, as
ratios, and, if ``jax`` is importable (optional extra ``bench``), the same descent in JAX
(``jax.jit`` of a ``lax.scan`` over epochs, float64): what a user would otherwise pick; plus
the ensemble kernel (1000 replicas, n_h = 2, 2 threads, ns per network-epoch)
and the zero-temperature Monte Carlo step. Every figure is the median of several repeats;
both wall-clock and process CPU time are given, since the machine may be shared (the load
average is printed before and after).

    .venv/bin/python benchmarks/bench_kernels.py [--quick] [--out benchmarks/output/bench_kernels.txt]

Earlier versions of the kernels against the current ones, interleaved in one process (issue
10): ``benchmarks/bench_kernels_split.py``.

torch is not a project dependency; install it into the venv only to measure. jax is the
optional extra ``bench`` (``pip install -e .[bench]``); without it the script says so and runs
the rest.
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

from xornet import gates
from xornet import kernels as K
from xornet import model as M

XB = gates.bits("xor")  # the paper's targets (Table I), as the kernels take them

LINES: list[str] = []
MIN_WALL: list[float] = []  # fastest repeat of the last timed() call (least disturbed by load)


def say(s: str = "") -> None:
    print(s, flush=True)
    LINES.append(s)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    fl = set(line.split(":", 1)[1].split())
                    return " ".join(x for x in ("avx", "avx2", "fma", "avx512f") if x in fl)
    except OSError:
        pass
    return "?"


def timed(fn, n_units: int, repeats: int):
    """Median (wall ns, CPU ns) per unit over ``repeats`` calls of fn() (after one warm-up)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) / n_units * 1e9)
        cpu.append((time.process_time() - c0) / n_units * 1e9)
    MIN_WALL[:] = [min(wall)]
    return statistics.median(wall), statistics.median(cpu)


# ----------------------------------------------------------------------------- references


def numpy_gd(v0, n_h, eta, n_epochs, randomized, seed=0):
    """Plain NumPy gradient descent, one Python iteration per epoch (same model and update)."""
    X = M.X
    Y = M.Y
    W1 = v0[: 2 * n_h].reshape(n_h, 2).copy()
    b1 = v0[2 * n_h: 3 * n_h].copy()
    w2 = v0[3 * n_h: 4 * n_h].copy()
    b2 = float(v0[4 * n_h])
    rng = np.random.default_rng(seed)
    c = np.ones(4)
    for _ in range(n_epochs):
        if randomized:
            c = np.bincount(rng.integers(0, 4, 4), minlength=4).astype(float)
        a1 = 1.0 / (1.0 + np.exp(-(X @ W1.T + b1)))  # (4, n_h)
        yhat = 1.0 / (1.0 + np.exp(-(a1 @ w2 + b2)))
        d2 = 2.0 * (yhat - Y) * yhat * (1.0 - yhat) * c / 4.0
        d1 = d2[:, None] * w2[None, :] * a1 * (1.0 - a1)
        W1 -= eta * (d1.T @ X)
        b1 -= eta * d1.sum(axis=0)
        w2 -= eta * (a1.T @ d2)
        b2 -= eta * d2.sum()
    return W1, b1, w2, b2


def torch_gd(torch, v0, n_h, eta, n_epochs, randomized, seed=0):
    """PyTorch autograd + SGD, one Python iteration per epoch (float64, same model)."""
    X = torch.tensor(M.X, dtype=torch.float64)
    Y = torch.tensor(M.Y, dtype=torch.float64)
    l1 = torch.nn.Linear(2, n_h).double()
    l2 = torch.nn.Linear(n_h, 1).double()
    with torch.no_grad():
        l1.weight.copy_(torch.tensor(v0[: 2 * n_h].reshape(n_h, 2)))
        l1.bias.copy_(torch.tensor(v0[2 * n_h: 3 * n_h]))
        l2.weight.copy_(torch.tensor(v0[3 * n_h: 4 * n_h][None, :]))
        l2.bias.copy_(torch.tensor(v0[4 * n_h: 4 * n_h + 1]))
    opt = torch.optim.SGD(list(l1.parameters()) + list(l2.parameters()), lr=eta)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(n_epochs):
        if randomized:
            idx = torch.randint(0, 4, (4,), generator=gen)
            xb, yb = X[idx], Y[idx]
        else:
            xb, yb = X, Y
        opt.zero_grad()
        out = torch.sigmoid(l2(torch.sigmoid(l1(xb)))).squeeze(1)
        loss = ((out - yb) ** 2).mean()
        loss.backward()
        opt.step()


def jax_module():
    """(jax, jax.numpy) with float64 enabled, or None if jax is not installed (extra bench)."""
    try:
        import jax
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    return jax, jnp


def jax_gd(jax, jnp, v0, n_h, eta, n_epochs, randomized, seed=0):
    """JAX gradient descent compiled whole: ``jax.jit`` of a ``lax.scan`` over epochs, float64,
    gradient by ``jax.grad`` (what a JAX user would write). The case weights c_m/4 of every
    epoch's batch are drawn beforehand (NumPy) and scanned over. Returns (compiled run, weights);
    the first call compiles (done here)."""
    X = jnp.asarray(M.X, dtype=jnp.float64)
    Y = jnp.asarray(M.Y, dtype=jnp.float64)

    def loss(v, c):
        W1 = v[: 2 * n_h].reshape(n_h, 2)
        b1 = v[2 * n_h: 3 * n_h]
        w2 = v[3 * n_h: 4 * n_h]
        b2 = v[4 * n_h]
        a1 = jax.nn.sigmoid(X @ W1.T + b1)
        yhat = jax.nn.sigmoid(a1 @ w2 + b2)
        return jnp.sum(c * (yhat - Y) ** 2)

    grad = jax.grad(loss)

    def step(v, c):
        return v - eta * grad(v, c), None

    @jax.jit
    def run(v, C):
        return jax.lax.scan(step, v, C)[0]

    if randomized:
        draws = np.random.default_rng(seed).integers(0, 4, (n_epochs, 4))
        C = np.stack([(draws == m).sum(axis=1) for m in range(4)], axis=1) / 4.0
    else:
        C = np.full((n_epochs, 4), 0.25)
    C = jnp.asarray(C, dtype=jnp.float64)
    run(jnp.asarray(v0, dtype=jnp.float64), C).block_until_ready()  # compile
    return run, C


def numpy_mc(v0, n_h, step, n_props, seed=0):
    """Plain NumPy zero-temperature MC, one Python iteration per proposal."""
    v = v0.copy()
    rng = np.random.default_rng(seed)
    L = M.loss(v, n_h)
    P = v.size
    for _ in range(n_props):
        k = rng.integers(P)
        old = v[k]
        v[k] = old + step * (2.0 * rng.random() - 1.0)
        Ln = M.loss(v, n_h)
        if Ln <= L:
            L = Ln
        else:
            v[k] = old
    return L


# ----------------------------------------------------------------------------- main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer epochs and repeats")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--out", default=None, help="also write the output to this file")
    args = ap.parse_args(argv)
    q = args.quick
    rep = args.repeats or (3 if q else 7)

    say("# xornet kernel benchmark (issue 2, Performance)")
    say(f"date (UTC): {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}")
    say(f"machine: {cpu_model()} ({cpu_flags()}), {os.cpu_count()} logical CPUs, "
        f"{platform.system()} {platform.release()}")
    say(f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}")
    load0 = os.getloadavg()
    say("load average at start (1, 5, 15 min): %.2f %.2f %.2f" % load0)
    say(f"repeats per figure: {rep} (median); wall = perf_counter, cpu = process CPU time")
    say("")

    rng = np.random.default_rng(0)
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    rows = []  # (label, wall ns, cpu ns, reference key)
    ref = {}

    def kern(nh, randomized, n):
        v0 = 0.1 * rng.uniform(size=M.n_params(nh))
        mask = np.ones_like(v0)

        def f():
            K.gd_single(v0.copy(), nh, 0.1, n, randomized, np.uint64(1), mask, 0.0, XB)
        return timed(f, n, rep)

    n_k = 200_000 if q else 2_000_000
    for nh, randomized, n in ((2, False, n_k), (2, True, n_k), (18, False, n_k // 5),
                              (18, True, n_k // 5)):
        kind = "randomized" if randomized else "full batch"
        w, c = kern(nh, randomized, n)
        rows.append((f"kernel gd_single  n_h={nh:<2d} {kind}", w, c, (nh, randomized),
                     MIN_WALL[0]))

    n_np = 2_000 if q else 20_000
    for nh, randomized in ((2, False), (2, True), (18, True)):
        v0 = 0.1 * rng.uniform(size=M.n_params(nh))
        w, c = timed(lambda v0=v0, nh=nh, rz=randomized: numpy_gd(v0, nh, 0.1, n_np, rz), n_np, max(3, rep // 2))
        ref[(nh, randomized)] = (w, c)
        kind = "randomized" if randomized else "full batch"
        rows.append((f"NumPy loop        n_h={nh:<2d} {kind}", w, c, None, MIN_WALL[0]))

    try:
        import torch
        torch.set_num_threads(1)
        n_t = 300 if q else 3_000
        for nh, randomized in ((2, False), (2, True)):
            v0 = 0.1 * rng.uniform(size=M.n_params(nh))
            w, c = timed(lambda v0=v0, nh=nh, rz=randomized: torch_gd(torch, v0, nh, 0.1, n_t, rz),
                         n_t,
                         max(3, rep // 2))
            kind = "randomized" if randomized else "full batch"
            rows.append((f"PyTorch {torch.__version__} autograd+SGD n_h={nh} {kind}", w, c,
                         (nh, randomized), MIN_WALL[0]))
    except ImportError:
        say("(torch not importable: PyTorch loop skipped)")

    jx = jax_module()
    if jx is None:
        say("(jax not importable: JAX anchor skipped; `pip install -e .[bench]` installs it)")
    else:
        jax, jnp = jx
        n_j = 20_000 if q else 200_000
        for nh, randomized, n in ((2, False, n_j), (2, True, n_j), (18, True, n_j // 5)):
            v0 = 0.1 * rng.uniform(size=M.n_params(nh))
            run, C = jax_gd(jax, jnp, v0, nh, 0.1, n, randomized)
            w, c = timed(lambda run=run, C=C, v0=v0: run(jnp.asarray(v0), C).block_until_ready(),
                         n, max(3, rep // 2))
            kind = "randomized" if randomized else "full batch"
            rows.append((f"JAX {jax.__version__} jit+lax.scan n_h={nh:<2d} {kind}", w, c,
                         (nh, randomized), MIN_WALL[0]))

    say("## single network, ns per epoch (medians; min wall = fastest repeat); "
        "ratio = NumPy-loop time / this time")
    say(f"{'':50s} {'wall ns':>11s} {'min wall':>11s} {'cpu ns':>11s} {'ratio wall':>11s} "
        f"{'ratio cpu':>10s}")
    for label, w, c, key, mw in rows:
        rw = rc = ""
        if key is not None and key in ref:
            rw = f"{ref[key][0] / w:.4g}x"
            rc = f"{ref[key][1] / c:.4g}x"
        say(f"{label:50s} {w:11.1f} {mw:11.1f} {c:11.1f} {rw:>11s} {rc:>10s}")
    tr = [(lab, w, c) for lab, w, c, _, _ in rows if lab.startswith("PyTorch")]
    kr = {key: (w, c) for lab, w, c, key, _ in rows if lab.startswith("kernel")}
    for lab, w, c in tr:
        key = (2, "randomized" in lab)
        say(f"kernel speed-up over {lab.split(' autograd')[0]} (n_h=2 "
            f"{'randomized' if key[1] else 'full batch'}): wall {w / kr[key][0]:.4g}x, "
            f"cpu {c / kr[key][1]:.4g}x")
    for lab, w, c, key, _ in rows:
        if lab.startswith("JAX") and key in kr:
            say(f"kernel speed-up over {lab.split(' jit')[0]} jit+lax.scan (n_h={key[0]} "
                f"{'randomized' if key[1] else 'full batch'}): wall {w / kr[key][0]:.4g}x, "
                f"cpu {c / kr[key][1]:.4g}x")
    say("")

    # ensemble: 1000 replicas, n_h = 2, randomized, 2 threads
    R, nh = 1000, 2
    n_e = 2_000 if q else 20_000
    V0 = 0.1 * rng.uniform(size=(R, M.n_params(nh)))
    etas = np.full(R, 0.1)

    def ens():
        V = V0.copy()
        K.gd_ensemble(V, nh, etas, n_e, True, np.arange(R, dtype=np.uint64),
                      np.zeros(R, np.int64), np.zeros(R, np.int64), np.zeros(R), np.zeros(R), 0.0, XB)
    w, c = timed(ens, R * n_e, rep)
    mw = MIN_WALL[0]
    nthr = numba.get_num_threads()
    say(f"## ensemble gd_ensemble: {R} replicas, n_h={nh}, randomized, {nthr} threads")
    say(f"ns per network-epoch: wall {w:.1f} (min {mw:.1f}), cpu (summed over threads) {c:.1f}, "
        f"cpu / {nthr} threads {c / nthr:.1f}")
    say(f"ratio vs NumPy loop (n_h=2 randomized, 1 core): wall {ref[(2, True)][0] / w:.4g}x, "
        f"cpu {ref[(2, True)][1] / c:.4g}x")
    say("")

    # zero-temperature MC: one proposal = one parameter change + one full-batch loss
    nh = 2
    P = M.n_params(nh)
    v0 = 0.1 * rng.uniform(size=P)
    sweeps = 20_000 if q else 200_000

    def mc():
        K.mc_zero_t(v0.copy(), nh, 0.1, sweeps, np.uint64(3), 0.0, XB)
    w, c = timed(mc, sweeps * P, rep)
    mw = MIN_WALL[0]
    n_mc = 2_000 if q else 20_000
    wn, cn = timed(lambda: numpy_mc(v0, nh, 0.1, n_mc), n_mc, max(3, rep // 2))
    say(f"## zero-temperature MC (mc_zero_t), n_h={nh}, ns per proposal (one sweep = {P})")
    say(f"kernel: wall {w:.1f} (min {mw:.1f}), cpu {c:.1f};  NumPy loop: wall {wn:.1f}, cpu {cn:.1f};  "
        f"ratio wall {wn / w:.4g}x, cpu {cn / c:.4g}x")
    say("")
    say("required medians (issue 2): n_h=2 randomized <= 150 ns/epoch, n_h=18 <= 500 ns/epoch,"
        " ensemble of 1000 at n_h=2 <= 60 ns per network-epoch on 2 cores")
    return _finish(args)


def _finish(args) -> int:
    say("load average at end (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())
    say("note: with load average above the core count, wall times include waiting for the "
        "CPU; the cpu columns are the kernel's own cost")
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(LINES) + "\n")
        os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
