"""Glue between Snakemake rule scripts and the package.

Rule scripts call :func:`start` first: it sends log records to the rule's ``log:`` file (and
stderr), sets numba's thread count to the rule's ``threads``, spares the interpreter's exit a
last garbage collection of the finished job (:func:`_freeze_at_exit`) and returns the logger.
:func:`snakemake_or_mock` lets a script run outside Snakemake for debugging (PyPSA-Eur's
habit): ``python workflow/scripts/train_run.py run=nh2_eta0.1`` resolves the job's input,
output, params and log from the workflow exactly as Snakemake would.
"""

from __future__ import annotations

import atexit
import functools
import gc
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(snakemake, name: str = "xornet") -> logging.Logger:
    logger = logging.getLogger("xornet")
    logger.setLevel(logging.INFO)
    for h in list(logger.handlers):
        logger.removeHandler(h)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
    handlers = [logging.StreamHandler(sys.stderr)]
    logs = list(getattr(snakemake, "log", []) or [])
    if logs:
        Path(logs[0]).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(logs[0], mode="w"))
    for h in handlers:
        h.setFormatter(fmt)
        logger.addHandler(h)
    threads = int(getattr(snakemake, "threads", 1) or 1)
    if "numba" in sys.modules:  # the script's imports loaded kernels: size the running pool
        try:
            import numba

            numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        except Exception as err:  # pragma: no cover - numba missing is caught at import elsewhere
            logger.warning("could not set numba threads: %s", err)
    else:  # plotting jobs never import numba; a later (lazy) import starts this many threads
        os.environ["NUMBA_NUM_THREADS"] = str(max(1, threads))
    previous = sys.excepthook

    def _log_uncaught(exc_type, exc, tb):
        # uncaught errors go to the rule's log too, not only to Snakemake's stderr
        logger.error("%s failed", name, exc_info=(exc_type, exc, tb))
        previous(exc_type, exc, tb)

    sys.excepthook = _log_uncaught
    _register_freeze_at_exit()
    logger.info("%s: threads=%d", name, threads)
    return logger


@functools.cache
def _register_freeze_at_exit() -> None:
    """:func:`_freeze_at_exit` as an exit handler, once per process."""
    atexit.register(_freeze_at_exit)


def _freeze_at_exit() -> None:
    """Leave the objects of a finished job out of the interpreter's last garbage collection.

    A job's outputs are written and closed before the interpreter exits, but the exit still
    scans every object once more: 0.27 s per job with numba, pandas and pyarrow loaded (4 % of a
    Fig. 8 sampler job), 0.16 s with matplotlib; 0.04 s is left with this hook
    (benchmarks/bench_exit.py). Frozen objects are skipped by that scan; atexit handlers
    registered before this one (logging's flush) still run afterwards.
    """
    gc.freeze()


def snakemake_or_mock(namespace: dict, rule: str):
    """The ``snakemake`` object of a rule script, or a mock built from the workflow.

    Outside Snakemake, wildcards come from ``key=value`` command-line arguments and extra
    config files from ``--configfile PATH``.
    """
    if "snakemake" in namespace:
        return namespace["snakemake"]
    from .mock import mock_snakemake

    wildcards, configfiles = {}, []
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--configfile":
            configfiles.append(args.pop(0))
        elif "=" in a:
            k, v = a.split("=", 1)
            wildcards[k] = v
        else:
            raise SystemExit(f"usage: {sys.argv[0]} [--configfile F] [wildcard=value ...]")
    return mock_snakemake(rule, configfiles=configfiles, **wildcards)


def operational(snakemake, key: str, default=None):
    """An operational knob (progress interval, checkpoint interval, chunk size where results are
    chunk-invariant) read from the job's config rather than its ``params``.

    Snakemake reruns a job when its params change; values that cannot change a result stay out
    of params so that editing them reruns nothing. ``key`` is a dotted path into the config,
    e.g. ``"progress_seconds"`` or ``"entropy.checkpoint_seconds"``.
    """
    node = getattr(snakemake, "config", None) or {}
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            if default is None:
                raise KeyError(f"config key {key!r} not set (operational knob of this job)")
            return default
        node = node[part]
    return node


def pick(section: dict, *keys: str) -> dict:
    """The part of a config ``section`` that a job reads (PyPSA-Eur's config provider, narrowed).

    Keys may be dotted (``"scan.eta_min"``) to take one entry of a nested section; the result
    keeps the nesting. A rule's ``params`` built this way change only when a value the job
    actually reads changes, so no finished job reruns after an unrelated edit.
    """
    out: dict = {}
    for key in keys:
        node, dst = section, out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node[part]
            dst = dst.setdefault(part, {})
        dst[parts[-1]] = node[parts[-1]]
    return out


def canonical(obj):
    """``obj`` with every mapping's keys in sorted order (lists keep their order).

    Snakemake compares a job's params as recorded, key order included: ``{n_h: 2, eta: 0.1}``
    and ``{eta: 0.1, n_h: 2}`` would rerun a finished job. The workflow puts its config in this
    form at start-up, so how a user orders the keys of a YAML mapping never reruns anything.
    """
    if isinstance(obj, dict):
        return {k: canonical(obj[k]) for k in sorted(obj)}
    if isinstance(obj, list):
        return [canonical(x) for x in obj]
    return obj
