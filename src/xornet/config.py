"""Configuration loading and validation (``config.yaml`` against the JSON schema).

:func:`validate` raises :class:`ConfigError` listing *every* problem, each prefixed with the
dotted key path (``training.runs[2].eta: -0.1 is less than or equal to the minimum of 0``),
so a bad value stops the workflow before any job runs.
"""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "workflow" / "schemas" / "config.schema.yaml"
DEFAULT_CONFIG = ROOT / "config.yaml"


class ConfigError(ValueError):
    pass


def _path(err) -> str:
    out = ""
    for p in err.absolute_path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _message(err) -> str:
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        keys = ", ".join(f"{_path(err)}.{k}" if err.absolute_path else k for k in extra)
        return f"unknown key(s) {keys} (allowed here: {allowed})"
    if err.validator == "required":
        return f"{_path(err)}: {err.message}"
    return f"{_path(err)}: {err.message}"


def load_schema(path=SCHEMA_PATH) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def validate(config: dict, schema_path=SCHEMA_PATH) -> dict:
    """Validate ``config``; raise :class:`ConfigError` naming each bad key. Returns config."""
    schema = load_schema(schema_path)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = "\n".join(f"  - {_message(e)}" for e in errors)
        raise ConfigError(f"invalid configuration ({len(errors)} problem(s)):\n{lines}")
    return config


def deep_merge(base: dict, override: dict) -> dict:
    """Snakemake's --configfile semantics: nested dicts merge, everything else replaces."""
    out = copy.deepcopy(base)
    for k, v in override.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load(*paths) -> dict:
    """Load config.yaml (or ``paths[0]``) merged with any further files, validated."""
    paths = paths or (DEFAULT_CONFIG,)
    cfg: dict = {}
    for p in paths:
        with open(p) as fh:
            cfg = deep_merge(cfg, yaml.safe_load(fh) or {})
    return validate(cfg)
