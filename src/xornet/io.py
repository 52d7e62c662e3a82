"""Parquet I/O with provenance and documented schemas.

Every intermediate of the pipeline is written by :func:`write_parquet`, which

* checks the frame against its documented schema (:data:`xornet.schemas.SCHEMAS`),
* stores provenance in the file's key-value metadata under ``xornet.*`` keys: the dataset
  name, the config section that produced it (JSON), the seed, package versions and the
  git commit of the code, and
* writes deterministically (no timestamps, no host names), so the same config gives a
  bit-identical file whatever the number of cores.

:func:`read_parquet` returns the frame and the decoded provenance after checking the file it got:
Parquet page checksums (written with every file) are verified, the provenance must be complete
and match its stored hash, the stored dataset must be the one expected at that path
(:data:`PRODUCERS`) and the frame must match that dataset's schema. Otherwise it raises
:class:`BadFileError` naming the file and the rule that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
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


def provenance(dataset: str, section: str, config: dict, seed: int | None = None,
               gate: str | None = None) -> dict:
    """The provenance record stored with a dataset (``gate``: the learned function, config
    key ``gate``, for datasets that depend on it)."""
    rec = {
        "dataset": dataset,
        "config_section": section,
        "config": config,
        "seed": seed,
        "versions": package_versions(),
        "git_commit": git_commit(),
    }
    if gate is not None:
        rec["gate"] = gate
    return rec


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
    meta[HASH_KEY] = _meta_hash(meta, table.schema, table.num_rows).encode()
    table = table.replace_schema_metadata(meta)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd", write_statistics=True, write_page_checksum=True)
    os.replace(tmp, path)


#: Which rule writes which file: (path pattern, dataset, rule); the first match counts. A reader
#: expects the dataset of its path, and an error names the rule that rebuilds the file.
PRODUCERS: list[tuple[str, str, str]] = [
    ("results/training/truth_table.parquet", "truth_table", "truth_table"),
    ("results/training/runs/*.parquet", "training_run", "train_run"),
    ("results/training/powerlaw_fits.parquet", "powerlaw_fits", "powerlaw_fits"),
    ("results/training/gamma_eff.parquet", "gamma_eff", "powerlaw_fits"),
    ("results/training/lr_window_inits.parquet", "lr_window_inits", "lr_window_inits"),
    ("results/training/lr_window_*.parquet", "lr_window", "lr_window"),
    ("results/training/solutions.parquet", "solutions", "solutions"),
    ("results/training/optimizers.parquet", "optimizer_compare", "optimizers"),
    ("results/training/separation_order.parquet", "separation_order", "optimizers"),
    ("results/perturbation/grid/*_points.parquet", "perturb_points", "perturb_grid"),
    ("results/perturbation/grid/*_replicas.parquet", "perturb_replicas", "perturb_grid"),
    ("results/perturbation/grid/*_points.parquet", "perturb_points", "perturb_grid"),
    ("results/perturbation/grid/*_replicas.parquet", "perturb_replicas", "perturb_grid"),
    ("results/perturbation/*/points.parquet", "perturb_points", "perturb_param"),
    ("results/perturbation/*/replicas.parquet", "perturb_replicas", "perturb_param"),
    ("results/perturbation/*/plateau.parquet", "perturb_plateaus", "perturb_param"),
    ("results/perturbation/points.parquet", "perturb_points", "perturb_merge"),
    ("results/perturbation/replicas.parquet", "perturb_replicas", "perturb_merge"),
    ("results/perturbation/plateaus.parquet", "perturb_plateaus", "perturb_merge"),
    ("results/entropy/simple/*/*.parquet", "entropy_simple", "entropy_simple"),
    ("results/entropy/runs/*/*.parquet", "entropy_run", "entropy_run"),
    ("results/entropy/entropy_R*.parquet", "entropy", "entropy_merge"),
    ("results/entropy/derivatives.parquet", "entropy_derivatives", "entropy_analysis"),
    ("results/entropy/inflection.parquet", "entropy_inflection", "entropy_analysis"),
    ("results/entropy/intruders.parquet", "entropy_intruders", "entropy_analysis"),
    ("results/entropy/minor_peaks.parquet", "entropy_minor_peaks", "entropy_analysis"),
    ("results/landscape/grids/*.parquet", "landscape_grid", "landscape_grid"),
    ("results/landscape/features.parquet", "landscape_features", "landscape_features"),
    ("results/landscape/trajectories/*.parquet", "landscape_trajectory", "landscape_trajectory"),
    ("results/landscape/trajectories.parquet", "landscape_trajectory", "landscape_trajectories"),
    ("results/landscape/trajectory_summary.parquet", "landscape_trajectory_summary",
     "landscape_trajectories"),
    ("results/landscape/randomized.parquet", "landscape_randomized", "landscape_randomized"),
    ("results/landscape/randomized_rms.parquet", "landscape_rms", "landscape_randomized"),
    ("results/claims/claims.parquet", "claims", "claims"),
    ("results/census/*/minima.parquet", "census_minima", "census_run"),
    ("results/census/*/ts.parquet", "census_ts", "census_run"),
    ("results/census/*/edges.parquet", "census_edges", "census_run"),
    ("results/census/*/progress.parquet", "census_progress", "census_run"),
    ("results/census/summary.parquet", "census_summary", "census_merge"),
    ("results/census/barriers.parquet", "census_barriers", "census_merge"),
    ("results/census/lowest_minima.parquet", "census_lowest", "census_merge"),
    ("results/census/embedding.parquet", "census_embedding", "census_embedding"),
    ("results/entropy/gates.parquet", "entropy_gates", "gates_entropy"),
]

HASH_KEY = b"xornet.meta_sha256"
#: Provenance keys every pipeline file carries (``extra`` and the hash are optional).
REQUIRED_KEYS = ("dataset", "config_section", "config", "seed", "versions", "git_commit")
KNOWN_KEYS = (*REQUIRED_KEYS, "extra", "meta_sha256", "gate")  # gate: config key ``gate``


class BadFileError(ValueError):
    """A pipeline file that is damaged, foreign or not what its reader expects."""


def _pattern(glob: str) -> re.Pattern:
    rx = re.escape(glob).replace(r"\*", "[^/]+")
    return re.compile(rf"(^|.*/){rx}$")


_PRODUCER_RX = [(_pattern(g), d, r) for g, d, r in PRODUCERS]


_ROBUSTNESS_RX = re.compile(r"(^|.*/)results/robustness/([^/]+)/(.+)$")


def producer(path) -> tuple[str, str] | None:
    """(dataset, rule) expected at ``path`` (:data:`PRODUCERS`), or None for other paths.

    ``results/robustness/<reading>/<file>`` mirrors ``results/<file>``, written by the rule
    ``robustness_<rule>`` (the seed sweep's runs by ``robustness_seed_runs``)."""
    p = Path(path).as_posix()
    m = _ROBUSTNESS_RX.match(p)
    if m:
        inner = producer(f"results/{m.group(3)}")
        if inner is None:
            return None
        if m.group(2).startswith("seed=") and inner[1] == "train_run":
            return inner[0], "robustness_seed_runs"
        return inner[0], f"robustness_{inner[1]}"
    if re.match(r"(^|.*/)results/robustness/claims\.parquet$", p):
        return "robustness_claims", "robustness_claims"
    for rx, dataset, rule in _PRODUCER_RX:
        if rx.match(p):
            return dataset, rule
    return None


def rebuild_hint(path) -> str:
    """What to do about a bad file: the rule that rebuilds it and the command."""
    prod = producer(path)
    rule = f"rule {prod[1]}" if prod else "the rule that writes it"
    return (f"it is rebuilt by {rule}: delete it and rerun snakemake, or run "
            f"`snakemake --forcerun {prod[1] if prod else path}` (README: damaged intermediates)")


def _stored_type(t: pa.DataType) -> str:
    """A column type as written and as read back alike: a categorical column is written with
    the narrowest dictionary index and (pandas' string dtype) large_string values, and read
    back with int32 indices and string values, so hash the value type with 'large_' dropped."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    return str(t).replace("large_", "")


def _meta_hash(meta: dict, schema: pa.Schema, num_rows: int) -> str:
    """SHA-256 of the xornet.* and pandas metadata, the column names/types and the number of
    rows: the parts of the footer that the page checksums do not cover."""
    h = hashlib.sha256()
    for key in sorted(k for k in meta if (k.startswith(b"xornet.") or k == b"pandas")
                      and k != HASH_KEY):
        h.update(key + b"\0" + meta[key] + b"\0")
    for f in schema:
        h.update(f"{f.name}:{_stored_type(f.type)}\0".encode())
    h.update(f"rows:{int(num_rows)}".encode())
    return h.hexdigest()


def read_parquet(path, dataset: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Read and check a pipeline Parquet file; returns (frame, provenance incl. ``extra``).

    ``dataset``: the dataset expected (default: the one :data:`PRODUCERS` names for ``path``;
    other paths are checked against the dataset they declare). Raises :class:`BadFileError`
    (naming the file and the rule that rebuilds it) if the file is damaged (page checksum,
    metadata hash), foreign (no xornet provenance, another dataset) or off its schema.
    """
    path = Path(path)
    prod = producer(path)
    expected = dataset or (prod[0] if prod else None)

    def bad(why: str) -> BadFileError:
        return BadFileError(f"{path}: {why}; {rebuild_hint(path)}")

    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file; {rebuild_hint(path)}")
    try:
        table = pq.read_table(path, page_checksum_verification=True)
    except Exception as err:  # noqa: BLE001 - any read failure is a damaged file
        raise bad(f"unreadable or damaged Parquet ({type(err).__name__}: {err})") from None
    raw = dict(table.schema.metadata or {})
    meta = {}
    for key, value in raw.items():
        if not key.startswith(b"xornet."):
            continue
        k = key[len(b"xornet."):].decode(errors="replace")
        if k not in KNOWN_KEYS:
            raise bad(f"unknown provenance key xornet.{k} (damaged metadata?)")
        try:
            meta[k] = json.loads(value.decode()) if k != "meta_sha256" else value.decode()
        except (UnicodeDecodeError, ValueError) as err:
            raise bad(f"damaged provenance xornet.{k} ({err})") from None
    if "dataset" not in meta:
        raise bad("not a xornet pipeline file (no xornet.dataset provenance)")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise bad(f"provenance incomplete (missing {', '.join(missing)}): damaged or foreign")
    if HASH_KEY in raw:
        try:
            ok = raw[HASH_KEY].decode() == _meta_hash(raw, table.schema, table.num_rows)
        except UnicodeDecodeError:  # e.g. a damaged column name
            ok = False
        if not ok:
            raise bad("provenance, columns or row count do not match their stored hash (damaged)")
    if expected is not None and meta["dataset"] != expected:
        raise bad(f"holds dataset {meta['dataset']!r}, but this file must be {expected!r}")
    if meta["dataset"] not in SCHEMAS:
        raise bad(f"unknown dataset {meta['dataset']!r}")
    meta.pop("meta_sha256", None)
    try:
        df = table.to_pandas()
    except Exception as err:  # noqa: BLE001 - e.g. damaged pandas metadata
        raise bad(f"cannot convert to a frame ({type(err).__name__}: {err})") from None
    try:
        check_frame(df, meta["dataset"])
    except ValueError as err:
        raise bad(str(err)) from None
    return df, meta


def read_frame(path, dataset: str | None = None) -> pd.DataFrame:
    return read_parquet(path, dataset)[0]


def _jsonable(obj):
    import numpy as np

    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj)}")
