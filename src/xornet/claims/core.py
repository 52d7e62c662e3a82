"""A claim, what its check returns, and the verdict.

:func:`declare` gives each section module its ``@claim(...)`` decorator, which declares a claim
with keywords right above its check function. :func:`evaluate` runs claims against a dict
``{input key: Parquet path}`` and returns one row per claim (dataset ``claims`` in
:mod:`xornet.schemas`). The verdict is

* ``reproduced`` / ``differs``: the check ran on inputs made at paper scale;
* ``not applicable``: the claim is about another gate than the one the run learned (config
  ``gate``; every claim of the paper, and of Mehta et al., is about XOR: :attr:`Claim.gates`);
* ``not checkable``: an input is missing (stage not built), the data cannot answer the question
  (``reason`` says why), or an input was made at reduced (CI) scale. In the last case
  ``ci_scale`` is True, the check still runs and ``outcome`` holds what it would say, so the
  machinery is exercised in CI without over-claiming.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from .inputs import INPUTS, Data, NotCheckable, scale_issues

VERDICTS = ("reproduced", "differs", "not checkable", "not applicable")


@dataclass
class Result:
    """What a check found: ``value`` (text), ``ok`` (True: agrees within tolerance),
    ``number`` (the headline reproduced number, NaN if none), ``note`` (explanation)."""

    value: str
    ok: bool
    number: float = float("nan")
    note: str = ""


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the paper: where (``section``, ``location``), what
    (``statement``, ``paper_value``, ``paper_number``), the inputs it reads, its ``check``
    (:class:`Data` -> :class:`Result`) and the ``tolerance`` with its reason."""

    id: str
    section: str
    location: str
    kind: str  # value | threshold | qualitative
    statement: str
    paper_value: str
    inputs: tuple
    check: Callable[[Data], Result]
    tolerance: str
    paper_number: float = float("nan")
    figure: str = ""  # the figure/table file it belongs to (for the gallery summary)
    scale_inputs: tuple = field(default=())  # further inputs that decide the scale only
    scale_free: bool = False  # the check does not depend on run sizes (e.g. printed values)
    gates: tuple = ("xor",)  # gates (xornet.gates) the claim is about; others: not applicable


def declare(registry: list) -> Callable:
    """The decorator of a section module: ``claim = declare(CLAIMS)``, then ``@claim(id,
    section, location, kind, statement=..., paper_value=..., inputs=..., tolerance=...)`` on
    its check appends the :class:`Claim` to ``registry`` (the check stays a plain function)."""

    def claim(id, section, location, kind, *, statement, paper_value, inputs, tolerance,
              paper_number=float("nan"), figure="", scale_inputs=(), scale_free=False,
              gates=("xor",)):
        def add(check: Callable[[Data], Result]):
            registry.append(Claim(id, section, location, kind, statement, paper_value,
                                  tuple(inputs), check, tolerance, paper_number, figure,
                                  tuple(scale_inputs), scale_free, tuple(gates)))
            return check
        return add

    return claim


# --------------------------------------------------------------------------- helpers of checks
def _fmt(x, digits=3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:.{digits}g}"


def _within_factor(x, ref, factor):
    return math.isfinite(x) and ref / factor <= x <= ref * factor


def _nh_range(nhs) -> str:
    nhs = sorted(nhs)
    return f"n_h = {nhs[0]}" if len(nhs) == 1 else f"n_h = {nhs[0]}-{nhs[-1]} ({len(nhs)} values)"


# --------------------------------------------------------------------------- evaluation
COLUMNS = ["id", "section", "location", "kind", "statement", "paper_value", "paper_number",
           "reproduced_value", "reproduced_number", "tolerance", "outcome", "verdict", "reason",
           "ci_scale", "note", "figure", "inputs"]


def evaluate_claim(claim: Claim, data: Data, defaults: dict, gate: str = "xor") -> dict:
    row = {"id": claim.id, "section": claim.section, "location": claim.location,
           "kind": claim.kind, "statement": claim.statement, "paper_value": claim.paper_value,
           "paper_number": float(claim.paper_number), "tolerance": claim.tolerance,
           "figure": claim.figure, "inputs": ", ".join(data.paths.get(k, k) for k in claim.inputs),
           "reproduced_value": "", "reproduced_number": float("nan"), "outcome": "",
           "verdict": "not checkable", "reason": "", "ci_scale": False, "note": ""}
    if gate not in claim.gates:
        row.update(verdict="not applicable",
                   reason=f"the claim is about {' / '.join(g.upper() for g in claim.gates)}; "
                          f"this run learns {gate.upper()} (config gate)")
        return row
    missing = [k for k in claim.inputs if not data.available(k)]
    if missing:
        row["reason"] = "stage not built: " + ", ".join(
            f"{k} ({data.paths.get(k, 'no path')})" for k in missing)
        return row
    try:
        res = claim.check(data)
    except NotCheckable as exc:
        row["reason"] = str(exc)
        return row
    except Exception as exc:  # never crash the scorecard; tests assert this does not happen
        row["reason"] = f"check failed: {type(exc).__name__}: {exc}"
        return row
    row.update(reproduced_value=res.value, reproduced_number=float(res.number), note=res.note,
               outcome="reproduced" if res.ok else "differs")
    issues, unknown = [], []
    for k in () if claim.scale_free else dict.fromkeys((*claim.inputs, *claim.scale_inputs)):
        if data.available(k):
            issues += scale_issues(k, data.prov(k), defaults,
                                   data.frame(k) if INPUTS[k].derived else None)
        else:
            unknown.append(f"{k} ({data.paths.get(k, 'no path')}) not built")
    if unknown and not issues:
        row["reason"] = "scale of the inputs unknown: " + "; ".join(unknown)
    elif issues:
        row.update(ci_scale=True, verdict="not checkable",
                   reason="not checkable at CI scale: " + "; ".join(issues))
    else:
        row["verdict"] = row["outcome"]
    return row


def evaluate(paths: dict[str, str], defaults: dict, claims, gate: str = "xor") -> pd.DataFrame:
    """One row per claim of ``claims`` (dataset ``claims``). ``defaults``: the paper-fidelity
    config; ``gate``: the gate the run learned (config ``gate``)."""
    data = Data(paths)
    rows = [evaluate_claim(c, data, defaults, gate) for c in claims]
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["ci_scale"] = df["ci_scale"].astype(bool)
    df["paper_number"] = df["paper_number"].astype(float)
    df["reproduced_number"] = df["reproduced_number"].astype(float)
    return df


def summary(df: pd.DataFrame) -> dict:
    """Counts of verdicts (and of would-be outcomes at CI scale)."""
    out = {v: int((df["verdict"] == v).sum()) for v in VERDICTS}
    out["total"] = len(df)
    out["ci_scale"] = int(df["ci_scale"].sum())
    out["outcome_reproduced"] = int((df["outcome"] == "reproduced").sum())
    out["outcome_differs"] = int((df["outcome"] == "differs").sum())
    return out
