"""Configuration loading and validation (``config.yaml`` against the JSON schema, then the
checks a schema cannot express).

:func:`validate` raises :class:`ConfigError` listing *every* problem, each prefixed with the
dotted key path (``training.runs[2].eta: -0.1 is less than or equal to the minimum of 0``),
so a bad value stops the workflow before any job runs. Beyond the schema it refuses

* non-finite numbers (``.nan``, ``.inf``) anywhere in the config, whatever the section;
* cross-field contradictions: ranges with min >= max, a Fig. 6/7 pair naming one parameter
  twice or a name that is not a parameter of the n_h = 2 network, duplicate runs, no
  trajectory start at all (:func:`cross_field_errors`);
* tolerances finer than the computation can resolve (:data:`LIMITS`).

An integer key given as a whole-number float (``seed: 7.0``, ``n_bins: 2.0e+2``) is converted
to ``int`` in place; a fractional one (``n_bins: 200.5``) is refused.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import jsonschema
import yaml

from . import gates

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "workflow" / "schemas" / "config.schema.yaml"
DEFAULT_CONFIG = ROOT / "config.yaml"

#: Numerical limits of the cross-field checks (one place; see each check's message).
LIMITS = {
    # Fig. 5 Delta points are rounded to 1e-9 (xornet.perturb.delta_grid), so the plateau
    # bisection cannot resolve finer brackets
    "plateau_resolution_min": 1e-8,
    # relative resolution of a float64 bisection in eta: well above machine epsilon (2.2e-16)
    "rel_resolution_min": 1e-12,
    # a Delta grid beyond this many points is a typo (paper: 201 points)
    "delta_points_max": 100_001,
}


class ConfigError(ValueError):
    pass


def _fmt(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _path(err) -> str:
    return _fmt(err.absolute_path)


def _message(err) -> str:
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        keys = ", ".join(f"{_path(err)}.{k}" if err.absolute_path else k for k in extra)
        return f"unknown key(s) {keys} (allowed here: {allowed})"
    msg = f"{_path(err)}: {err.message}"
    if err.validator == "type" and isinstance(err.instance, str):
        try:
            float(err.instance)
            msg += " (YAML reads a quoted number, or one like 1e-3, as text: write 1.0e-3 unquoted)"
        except ValueError:
            pass
    if err.validator == "type" and isinstance(err.instance, float) and math.isfinite(err.instance):
        msg += " (a whole number is needed)"
    return msg


def load_schema(path=SCHEMA_PATH) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def _validator_class(schema):
    """The schema's validator with a strict ``integer`` type: 7.0 is not an integer (JSON
    Schema's own rule accepts it); :func:`validate` converts such values first."""
    base = jsonschema.validators.validator_for(schema)
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, x: isinstance(x, int) and not isinstance(x, bool)
    )
    return jsonschema.validators.extend(base, type_checker=checker)


def _wants_integer(err) -> bool:
    t = err.validator_value
    return err.validator == "type" and (t == "integer" or (isinstance(t, list) and "integer" in t
                                                           and "number" not in t))


def _set(config, path, value):
    node = config
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


def _whole_floats_to_int(config: dict, validator) -> list[str]:
    """Convert whole-number floats at integer keys in place; returns the keys converted."""
    done = []
    for err in validator.iter_errors(config):
        x = err.instance
        if (_wants_integer(err) and isinstance(x, float) and math.isfinite(x) and x.is_integer()
                and err.absolute_path):
            _set(config, list(err.absolute_path), int(x))
            done.append(_path(err))
    return done


def non_finite_errors(node, path=()) -> list[str]:
    """Every float in ``node`` (nested dicts/lists) that is NaN or infinite, by key path."""
    out = []
    if isinstance(node, float) and not math.isfinite(node):
        out.append(f"{_fmt(path)}: {node} is not a finite number (.nan/.inf are not allowed)")
    elif isinstance(node, dict):
        for k, v in node.items():
            out += non_finite_errors(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += non_finite_errors(v, (*path, i))
    return out


def _pair_errors(key: str, pair, names) -> list[str]:
    out = [f"{key}: {p!r} is not a parameter of the n_h = 2 network (valid: {', '.join(names)})"
           for p in pair if p not in names]
    if len(pair) == 2 and pair[0] == pair[1]:
        out.append(f"{key}: the same parameter {pair[0]!r} twice; a cross-section needs two "
                   "different parameters")
    return out


def _below(key: str, value, bound_key: str, bound, why: str = "") -> list[str]:
    """``key`` must be below ``bound_key``: the error (or none), with ``why`` appended."""
    return [f"{key}: {value} must be below {bound_key} ({bound}){why}"] if value >= bound else []


def cross_field_errors(cfg: dict) -> list[str]:
    """Contradictions between values that each pass the schema (config already schema-valid)."""
    from .model import param_names

    names = param_names(2)
    err: list[str] = []
    gate = gates.parse(cfg["gate"]) if "gate" in cfg else gates.PAPER
    if gate != gates.PAPER:  # the paper's Table II #1 solves XOR only
        for key in ("perturbation", "landscape"):
            if cfg.get(key, {}).get("reference") == "paper":
                err.append(f"{key}.reference: 'paper' (Table II #1, an XOR solution) does not "
                           f"fit gate {gate!r}; set {key}.reference: ours")
    sec = cfg.get("lr_window")
    if sec:
        s = sec["scan"]
        err += _below("lr_window.scan.eta_min", s["eta_min"], "lr_window.scan.eta_max",
                      s["eta_max"])
        if sec["rel_resolution"] < LIMITS["rel_resolution_min"]:
            err.append(f"lr_window.rel_resolution: {sec['rel_resolution']} is finer than float64 "
                       f"bisection can resolve (at least {LIMITS['rel_resolution_min']:g})")
    sec = cfg.get("training")
    if sec:
        seen = {}
        for i, r in enumerate(sec["runs"]):
            k = (r["n_h"], float(r["eta"]))
            if k in seen:
                err.append(f"training.runs[{i}]: n_h = {r['n_h']}, eta = {r['eta']} repeats "
                           f"training.runs[{seen[k]}]")
            seen.setdefault(k, i)
        t2 = cfg.get("table2")
        if t2 and t2["truncate_epoch"] > sec["n_epochs"]:
            err.append(f"table2.truncate_epoch: {t2['truncate_epoch']} is beyond the reference run "
                       f"(training.n_epochs = {sec['n_epochs']})")
    t2 = cfg.get("table2")
    if t2 and "threshold" in cfg:
        err += _below("table2.mc.target_loss", t2["mc"]["target_loss"], "threshold",
                      cfg["threshold"], ", or the Monte Carlo runs stop before they are solutions")
    sec = cfg.get("perturbation")
    if sec:
        d = sec["delta"]
        bad_range = _below("perturbation.delta.min", d["min"], "perturbation.delta.max", d["max"])
        err += bad_range
        if not bad_range:
            if d["step"] > d["max"] - d["min"]:
                err.append(f"perturbation.delta.step: {d['step']} is wider than the range "
                           f"[{d['min']}, {d['max']}]")
            n = (d["max"] - d["min"]) / d["step"] + 1
            if n > LIMITS["delta_points_max"]:
                err.append(f"perturbation.delta.step: {d['step']} gives {n:.3g} Delta points "
                           f"(at most {LIMITS['delta_points_max']})")
        res = sec["plateau_resolution"]
        scale = max(abs(d["min"]), abs(d["max"]), 1.0)
        res_min = max(LIMITS["plateau_resolution_min"], scale * 2.0**-40)
        if res < res_min:
            err.append(f"perturbation.plateau_resolution: {res} is finer than the Delta points can "
                       f"resolve (at least {res_min:g}; Delta is rounded to 1e-9)")
    sec = cfg.get("entropy")
    if sec:
        rs = sec["r_sensitivity"]
        for key, vals in (("entropy.r_sensitivity.R", [float(r) for r in rs["R"]]),
                          ("entropy.r_sensitivity.n_h", rs["n_h"])):
            if len(set(vals)) != len(vals):
                err.append(f"{key}: {vals} lists a value twice")
    sec = cfg.get("landscape")
    if sec:
        for p in ("a", "b", "c"):
            err += _pair_errors(f"landscape.panels.{p}", sec["panels"][p], names)
        err += _pair_errors("landscape.randomized.pair", sec["randomized"]["pair"], names)
        feats, h = sec["features"], sec["half_range"]
        for k in ("flank", "disk"):
            err += _below(f"landscape.features.{k}", feats[k], "landscape.half_range", h)
        tr = sec["trajectories"]
        if not tr["starts"] and not tr["extra_starts"]:
            err.append("landscape.trajectories.starts: no trajectory start (starts and "
                       "extra_starts are both empty); Fig. 6 needs at least one")
        seen = {}
        for lst in ("starts", "extra_starts"):
            for i, s in enumerate(tr[lst]):
                key = f"landscape.trajectories.{lst}[{i}]"
                if "x" in s:
                    err += _pair_errors(key, [s["x"], s["y"]], names)
                ident = (s.get("panel"), s.get("x"), s.get("y"), float(s["dx"]), float(s["dy"]),
                         float(s.get("eta", tr["eta"])))
                if ident in seen:
                    err.append(f"{key}: the same start as {seen[ident]}")
                seen.setdefault(ident, key)
    return err


def validate(config: dict, schema_path=SCHEMA_PATH) -> dict:
    """Validate ``config`` (converting whole-number floats at integer keys in place); raise
    :class:`ConfigError` naming each bad key. Returns config."""
    schema = load_schema(schema_path)
    cls = _validator_class(schema)
    cls.check_schema(schema)
    v = cls(schema)
    _whole_floats_to_int(config, v)
    errors = sorted(v.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))
    lines = [_message(e) for e in errors]
    finite = non_finite_errors(config)
    lines += [m for m in finite if m.split(":")[0] not in {_path(e) for e in errors}]
    if not lines:
        lines = cross_field_errors(config)
    if lines:
        body = "\n".join(f"  - {m}" for m in lines)
        raise ConfigError(f"invalid configuration ({len(lines)} problem(s)):\n{body}")
    config["gate"] = gates.parse(config["gate"])  # canonical name: [0, 1, 1, 0] -> xor
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
