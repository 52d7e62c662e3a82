"""File and wildcard labels of numeric config values (learning rates, box sizes).

A label must be *injective* (two different values never share a file) and *round-trip*
(``float(label) == value``), so :func:`num_label` writes the shortest decimal that reads back
as the same float64 (Python's ``repr``) and drops a trailing ``.0``. The labels of the default
values are the ones the earlier ``:g`` format gave (``0.1``, ``10``, ``0.005``, ``1e-05``), so
finished results keep their names; values that ``:g`` rounded (``0.1000001`` -> ``0.1``) now
get their own label. Used by ``workflow/rules/common.smk`` and :mod:`xornet.claims`.
"""

from __future__ import annotations

import math
import re

#: Regular expression of every label :func:`num_label` can produce (positive or negative).
NUM_LABEL_RE = r"-?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?"


def num_label(x) -> str:
    """Shortest round-trip decimal of ``x`` without a trailing ``.0``: 0.1 -> '0.1',
    10.0 -> '10', 1e-05 -> '1e-05', 1e+16 -> '1e+16'. Raises ``ValueError`` if not finite."""
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(f"no file label for the non-finite value {x!r}")
    if v == 0.0:
        v = 0.0  # -0.0 and 0.0 are the same value for a file name
    s = repr(v)
    if s.endswith(".0"):
        s = s[:-2]
    return s


def parse_num_label(s: str) -> float:
    """Inverse of :func:`num_label` (``ValueError`` if ``s`` is not such a label)."""
    if not re.fullmatch(NUM_LABEL_RE, s):
        raise ValueError(f"{s!r} is not a numeric label")
    return float(s)


def eta_label(eta) -> str:
    """Label of a learning rate: 0.1 -> '0.1', 10.0 -> '10'."""
    return num_label(eta)


def run_label(n_h, eta) -> str:
    """Label (and file name) of a training run: n_h = 2, eta = 0.1 -> 'nh2_eta0.1'."""
    if int(n_h) != n_h:
        raise ValueError(f"n_h must be a whole number, got {n_h!r}")
    return f"nh{int(n_h)}_eta{eta_label(eta)}"


def r_label(R) -> str:
    """Label of a box half-width R of the entropy stage: 30.0 -> '30'."""
    return num_label(R)
