"""Parquet I/O with provenance and documented schemas.

Every intermediate of the pipeline is written by :func:`write_parquet`, which

* checks the frame against its documented schema (:data:`xornet.schemas.SCHEMAS`),
* stores provenance in the file's key-value metadata under ``xornet.*`` keys: the dataset
  name, the config section that produced it (JSON), the seed, package versions and the
  git commit of the code, and
* writes deterministically (no timestamps, no host names), so the same config gives a
  bit-identical file whatever the number of cores.

:func:`read_parquet` returns the frame and the decoded provenance.
"""

from __future__ import annotations

import json
import os
import subprocess
from importlib import metadata as _md
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schemas import SCHEMAS, check_frame

PACKAGES = ("xornet", "numpy", "numba", "scipy", "pandas", "pyarrow")


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = _md.version(name)
        except _md.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(path: str | os.PathLike | None = None) -> str:
    """Commit of the code that ran, ``+dirty`` if the tracked tree differs; env override
    ``XORNET_GIT_COMMIT`` (for runs outside a checkout)."""
    env = os.environ.get("XORNET_GIT_COMMIT")
    if env:
        return env
    cwd = Path(path) if path else Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd, capture_output=True, text=True, check=True,
        ).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def provenance(dataset: str, section: str, config: dict, seed: int | None = None) -> dict:
    """The provenance record stored with a dataset."""
    return {
        "dataset": dataset,
        "config_section": section,
        "config": config,
        "seed": seed,
        "versions": package_versions(),
        "git_commit": git_commit(),
    }


def write_parquet(df: pd.DataFrame, path, *, dataset: str, prov: dict, extra: dict | None = None):
    """Validate ``df`` against schema ``dataset`` and write it with provenance ``prov``.

    ``extra`` is stored as JSON under ``xornet.extra`` (small results such as fitted
    exponents that belong to the file). Writes to a temporary name and renames, so an
    interrupted job never leaves a truncated file behind.
    """
    if dataset not in SCHEMAS:
        raise KeyError(f"no schema for dataset {dataset!r}; add it to xornet.schemas")
    check_frame(df, dataset)
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    record = dict(prov, dataset=dataset)
    for key, value in record.items():
        meta[f"xornet.{key}".encode()] = json.dumps(value, sort_keys=True, default=_jsonable).encode()
    if extra is not None:
        meta[b"xornet.extra"] = json.dumps(extra, sort_keys=True, default=_jsonable).encode()
    table = table.replace_schema_metadata(meta)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd", write_statistics=True)
    os.replace(tmp, path)


def read_parquet(path) -> tuple[pd.DataFrame, dict]:
    """Read a pipeline Parquet file; returns (frame, provenance incl. ``extra`` if any)."""
    table = pq.read_table(path)
    meta = {}
    for key, value in (table.schema.metadata or {}).items():
        k = key.decode()
        if k.startswith("xornet."):
            meta[k[len("xornet."):]] = json.loads(value.decode())
    return table.to_pandas(), meta


def read_frame(path) -> pd.DataFrame:
    return read_parquet(path)[0]


def _jsonable(obj):
    import numpy as np

    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj)}")
