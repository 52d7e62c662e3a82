"""Mutation harness: does the fast test suite fail when the science is wrong? (issue 15)

Each mutant in :data:`mutants.MUTANTS` is one realistic bug (a flipped sign, an off-by-one, a
biased acceptance rule, an error propagated with the wrong power of n, a tolerance widened, a
verdict inverted, ...) written as an exact-string replacement in one module of ``src/xornet``.
For every mutant the harness runs only the fast tests that guard that code and records which
test killed it (first failure) and how long it took.

Never touches the checkout it is started from: the sources (src/, tests/ and what the tests
read: pyproject.toml, config.yaml, config/, workflow/, Snakefile, environment.yml) are copied
into a temporary directory, mutants are applied there one at a time and the original file is
restored (bytes and modification time) before the next. Tests run with ``PYTHONPATH`` and the
working directory in the copy.

numba's on-disk cache: the copy gets its own ``NUMBA_CACHE_DIR``, warmed by a baseline run of
all selected tests on the unmutated copy (which must pass). Each mutant runs on a fresh copy
of that warm cache from which the entries of the mutated module, of every module importing it
(numba inlines kernels across modules, and the cache of a caller is not invalidated when a
callee's file changes) and of the tests' own compiled helpers are deleted.

Usage (from the repository root)::

    .venv/bin/python tests/mutation/run_mutants.py              # all; writes the saved table
    .venv/bin/python tests/mutation/run_mutants.py --only M03 --only M17
    .venv/bin/python tests/mutation/run_mutants.py --list

Exit status: 0 if every mutant applied (whatever the kill rate; the table says it), 1 if a
mutant does not apply (its original text is not in the source: the list needs updating),
2 if the baseline (unmutated) tests fail.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from mutants import MUTANTS  # noqa: E402

COPY = ["src", "tests", "pyproject.toml", "config.yaml", "config", "workflow", "Snakefile",
        "environment.yml"]
OUT = ROOT / "benchmarks" / "output" / "mutants.txt"
PKG = "src/xornet"


def copy_tree(dst: Path) -> None:
    ign = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPY:
        s = ROOT / name
        if s.is_dir():
            shutil.copytree(s, dst / name, ignore=ign)
        elif s.exists():
            shutil.copy2(s, dst / name)


def _names(p: Path) -> set[str]:
    """Names under which a package file is imported (a subpackage's __init__: its folder)."""
    return {p.parent.name} if p.stem == "__init__" else {p.stem}


def reverse_deps(pkg: Path, mutated: Path) -> set[str]:
    """File stems of ``mutated`` and of every package file importing it, directly or not (by
    name, in its import statements; conservative: a name clash only purges more)."""
    files = sorted(pkg.rglob("*.py"))
    imports = {}
    for p in files:
        lines = re.findall(r"^\s*(?:from\s+\S+\s+import\s+[^\n]*|import\s+[^\n]*)",
                           p.read_text(), re.M)
        imports[p] = set(re.findall(r"\w+", " ".join(lines)))
    seen, todo = {mutated}, [mutated]
    while todo:
        names = _names(todo.pop())
        for p, words in imports.items():
            if p not in seen and names & words:
                seen.add(p)
                todo.append(p)
    return {p.stem for p in seen} | {n for p in seen for n in _names(p)}


def purge_cache(cache: Path, modules: set[str]) -> int:
    """Delete cached compilations of ``modules`` (package) and of every test module."""
    n = 0
    for f in cache.rglob("*"):
        if not f.is_file():
            continue
        mod = f.name.split(".", 1)[0]
        if mod in modules or f.parent.name.startswith("tests_") or mod.startswith("test_"):
            f.unlink()
            n += 1
    return n


def run_pytest(work: Path, tests: list[str], cache: Path, timeout: float, extra=()):
    env = dict(os.environ)
    env.update(NUMBA_CACHE_DIR=str(cache), PYTHONPATH=str(work / "src"), MPLBACKEND="Agg",
               PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-rfE",
           "--no-header", "-m", "not slow", *extra, *tests]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"")
        out = out.decode() if isinstance(out, bytes) else out
        return "timeout", out, time.perf_counter() - t0
    return p.returncode, p.stdout + p.stderr, time.perf_counter() - t0


def first_failure(out: str) -> str:
    for line in out.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ")[0].strip()
    return ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", default=[], help="mutant id (repeatable, or "
                    "comma-separated)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per mutant")
    ap.add_argument("--out", default=None, help=f"table file (default: {OUT.relative_to(ROOT)} "
                    "for a full run, none with --only)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    a = ap.parse_args(argv)
    only = {x for o in a.only for x in o.split(",") if x}
    ids = [m["id"] for m in MUTANTS]
    assert len(ids) == len(set(ids)), "duplicate mutant ids"
    if a.list:
        for m in MUTANTS:
            print(f"{m['id']:5s} {m['file']:21s} {m['desc']}")
        return 0
    unknown = only - set(ids)
    if unknown:
        ap.error(f"unknown mutant id(s): {', '.join(sorted(unknown))}")
    sel = [m for m in MUTANTS if not only or m["id"] in only]
    out_path = Path(a.out) if a.out else (None if only else OUT)

    tmp = Path(tempfile.mkdtemp(prefix="xornet-mutants-"))
    work = tmp / "work"
    work.mkdir()
    copy_tree(work)
    pkg = work / PKG
    rows = []
    applicable = []
    for m in sel:
        f = pkg / m["file"]
        n = f.read_text().count(m["old"]) if f.exists() else 0
        want = m.get("count", 1)
        if n != want:
            rows.append(dict(m, status="does not apply", by=f"original text found {n}x, "
                             f"expected {want}x", secs=0.0))
        else:
            applicable.append(m)

    base_cache = tmp / "cache_base"
    all_tests = list(dict.fromkeys(t for m in applicable for t in m["tests"]))
    print(f"baseline: {len(all_tests)} test ids on the unmutated copy in {tmp}", flush=True)
    rc, log, secs = run_pytest(work, all_tests, base_cache, max(a.timeout, 1800.0))
    print(f"baseline: rc={rc} in {secs:.0f} s", flush=True)
    if rc != 0:
        print(log[-6000:])
        print("baseline tests fail on the unmutated sources: fix that first")
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        return 2
    t_base = secs

    for m in applicable:
        f = pkg / m["file"]
        orig = f.read_bytes()
        st = f.stat()
        cache = tmp / "cache_m"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(base_cache, cache)
        try:
            f.write_text(orig.decode().replace(m["old"], m["new"]))
            purge_cache(cache, reverse_deps(pkg, f))
            rc, log, secs = run_pytest(work, m["tests"], cache, a.timeout)
        finally:
            f.write_bytes(orig)
            os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
        by = first_failure(log) if rc != "timeout" else ""
        if rc == 0:
            status = "SURVIVED"
        elif rc == "timeout":
            status = "timeout"
            by = f"no result within {a.timeout:.0f} s"
        elif rc in (1, 2) and by:
            status = "killed"
        elif rc < 0 or rc > 128:  # the test process died (e.g. an out-of-bounds write)
            status = "killed"
            by = f"test process crashed (exit {rc})"
        else:
            status = "error"
            tail = [ln for ln in log.strip().splitlines() if ln.strip()][-1:] or [""]
            by = f"pytest rc={rc}: {tail[0][:80]}"
        rows.append(dict(m, status=status, by=by, secs=secs))
        print(f"{m['id']:5s} {status:9s} {secs:6.1f} s  {m['file']}: {m['desc']}  [{by}]",
              flush=True)
    shutil.rmtree(tmp / "cache_m", ignore_errors=True)
    if a.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)

    order = {m["id"]: i for i, m in enumerate(MUTANTS)}
    rows.sort(key=lambda r: order[r["id"]])
    text = table(rows, t_base, len(all_tests))
    print(text)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(text)
        print(f"wrote {out_path}")
    return 1 if any(r["status"] == "does not apply" for r in rows) else 0


def table(rows, t_base, n_base) -> str:
    applied = [r for r in rows if r["status"] != "does not apply"]
    killed = [r for r in applied if r["status"] in ("killed", "timeout")]
    surv = [r for r in applied if r["status"] not in ("killed", "timeout")]
    score = len(killed) / len(applied) if applied else float("nan")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Mutation testing of src/xornet (tests/mutation/run_mutants.py; issue 15)",
        f"# {now}, {os.cpu_count()} cores (shared), python {sys.version.split()[0]}",
        f"# baseline: {n_base} test ids pass on the unmutated copy ({t_base:.0f} s, cold "
        "numba cache)",
        f"# mutants: {len(rows)}; applied {len(applied)}; killed {len(killed)}; not killed "
        f"{len(surv)}; does not apply {len(rows) - len(applied)}",
        f"# kill rate: {100 * score:.1f} %  (bar: >= 90 %)",
        "",
        f"{'id':5s} {'module':21s} {'area':10s} {'status':9s} {'time/s':>7s}  description  ->  "
        "killed by",
    ]
    for r in rows:
        lines.append(f"{r['id']:5s} {r['file']:21s} {r['area']:10s} {r['status']:9s} "
                     f"{r['secs']:7.1f}  {r['desc']}  ->  {r['by'] or '-'}")
    lines += ["", "## Not killed (each: why it is equivalent, or which test is missing)", ""]
    if not surv:
        lines.append("None.")
    for r in surv:
        lines.append(f"- {r['id']} ({r['file']}, {r['status']}): {r['desc']}. "
                     + (r.get("note") or "NO EXPLANATION RECORDED: a test is missing."))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
