"""Glue between Snakemake rule scripts and the package.

Rule scripts call :func:`start` first: it sends log records to the rule's ``log:`` file (and
stderr), sets numba's thread count to the rule's ``threads`` and returns the logger.
:func:`snakemake_or_mock` lets a script run outside Snakemake for debugging (PyPSA-Eur's
habit): ``python workflow/scripts/train_run.py run=nh2_eta0.1`` resolves the job's input,
output, params and log from the workflow exactly as Snakemake would.
"""

from __future__ import annotations

import logging
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
    try:
        import numba

        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    except Exception as err:  # pragma: no cover - numba missing is caught at import elsewhere
        logger.warning("could not set numba threads: %s", err)
    previous = sys.excepthook

    def _log_uncaught(exc_type, exc, tb):
        # uncaught errors go to the rule's log too, not only to Snakemake's stderr
        logger.error("%s failed", name, exc_info=(exc_type, exc, tb))
        previous(exc_type, exc, tb)

    sys.excepthook = _log_uncaught
    logger.info("%s: threads=%d", name, threads)
    return logger


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
