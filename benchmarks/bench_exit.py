"""What a job process spends outside its work: interpreter start-up and exit (issue 14).

    .venv/bin/python benchmarks/bench_exit.py [--repeats 5] > benchmarks/output/bench_exit.txt

Each case is a fresh ``python -c`` process doing what a kind of rule script does; it prints the
seconds from its first line to its last, and the parent measures the whole process. The
difference is start-up plus exit. Every case runs twice: as is, and with the exit hook that
``xornet.workflow.start`` registers (:func:`xornet.workflow._freeze_at_exit`: ``gc.freeze`` at
exit, so the interpreter's last collection skips the job's objects). Medians over
``--repeats`` processes, run alternately.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

CASES = {
    "sampler job (numba kernels loaded, io)": (
        "import numpy as np\n"
        "from xornet import entropy, gates, io\n"
        "entropy.full_state(np.zeros(9), 2, np.empty((2, 4)), np.empty(4), "
        "gates.targets('xor'))\n"),
    "plotting job (matplotlib, io, one figure)": (
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "from xornet import io\n"
        "plt.plot([0, 1], [1, 0])\n"
        "plt.savefig(OUT)\n"),
}
HOOK = "from xornet.workflow import _freeze_at_exit\nimport atexit\natexit.register(_freeze_at_exit)\n"


def run(body: str, hook: bool, out: str) -> tuple[float, float]:
    code = ("import time\nt0 = time.perf_counter()\n" + (HOOK if hook else "")
            + body.replace("OUT", repr(out)) + "print(time.perf_counter() - t0)\n")
    w = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    total = time.perf_counter() - w
    inner = float(p.stdout.strip().splitlines()[-1])
    return inner, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    print(f"# bench_exit  {platform.machine()}  python {platform.python_version()}  "
          f"cpus {os.cpu_count()}  load {'%.2f %.2f %.2f' % os.getloadavg()}")
    print(f"median of {a.repeats} processes per row (seconds)\n")
    print("| case | exit hook | work (in-process) | whole process | start-up + exit |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in CASES.items():
            res = {False: [], True: []}
            run(body, False, f"{tmp}/w.png")  # warm the file cache and numba's cache
            for _ in range(a.repeats):
                for hook in (False, True):
                    res[hook].append(run(body, hook, f"{tmp}/f.png"))
            for hook in (False, True):
                inner = statistics.median(r[0] for r in res[hook])
                total = statistics.median(r[1] for r in res[hook])
                gap = statistics.median(r[1] - r[0] for r in res[hook])
                print(f"| {name} | {'gc.freeze at exit' if hook else 'none'} | {inner:.3f} | "
                      f"{total:.3f} | {gap:.3f} |", flush=True)
    print(f"\n# load {'%.2f %.2f %.2f' % os.getloadavg()} at end")


if __name__ == "__main__":
    main()
