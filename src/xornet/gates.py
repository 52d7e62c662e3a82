"""The two-input Boolean function the network learns (config key ``gate``; paper: XOR, Table I).

A gate is its truth-table column over the cases of Table I in the paper's order
(x1, x2) = (0,0), (0,1), (1,0), (1,1). All 16 columns have a name (the usual names of the
two-input Boolean functions; ``nimply`` = x1 AND NOT x2, ``cnimply`` = NOT x1 AND x2,
``imply`` = x1 -> x2, ``cimply`` = x2 -> x1). Config may give either the name or the column,
e.g. ``gate: xor`` or ``gate: [0, 1, 1, 0]``; everything downstream uses the canonical name
(:func:`parse`), the float targets (:func:`targets`) or the bit mask the compiled kernels take
(:func:`bits`: bit m set when the target of case m is 1; XOR = 0b0110 = 6).
"""

from __future__ import annotations

import numpy as np

#: name -> truth-table column y over (0,0), (0,1), (1,0), (1,1)
GATES: dict[str, tuple[int, int, int, int]] = {
    "false": (0, 0, 0, 0),
    "and": (0, 0, 0, 1),
    "nimply": (0, 0, 1, 0),
    "x1": (0, 0, 1, 1),
    "cnimply": (0, 1, 0, 0),
    "x2": (0, 1, 0, 1),
    "xor": (0, 1, 1, 0),
    "or": (0, 1, 1, 1),
    "nor": (1, 0, 0, 0),
    "xnor": (1, 0, 0, 1),
    "not_x2": (1, 0, 1, 0),
    "cimply": (1, 0, 1, 1),
    "not_x1": (1, 1, 0, 0),
    "imply": (1, 1, 0, 1),
    "nand": (1, 1, 1, 0),
    "true": (1, 1, 1, 1),
}

#: The paper's gate (Table I).
PAPER = "xor"

_BY_COLUMN = {col: name for name, col in GATES.items()}


def parse(spec) -> str:
    """Canonical name of a gate given by name (case-insensitive) or truth-table column."""
    if isinstance(spec, str):
        name = spec.strip().lower()
        if name not in GATES:
            raise ValueError(f"config 'gate': unknown gate {spec!r}; use one of "
                             f"{sorted(GATES)} or a column [y00, y01, y10, y11] of 0/1")
        return name
    try:
        col = tuple(int(x) for x in spec)
        ok = len(col) == 4 and all(x in (0, 1) for x in col) and all(
            float(x) == int(x) for x in spec)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"config 'gate': {spec!r} is neither a gate name ({sorted(GATES)}) "
                         "nor a truth-table column [y00, y01, y10, y11] of four 0/1 values")
    return _BY_COLUMN[col]


def targets(gate) -> np.ndarray:
    """Float targets y_m for the four cases of Table I (``gate``: name or column)."""
    return np.array(GATES[parse(gate)], dtype=float)


def bits(gate) -> int:
    """Target bit mask for the compiled kernels: bit m is y_m (XOR -> 6)."""
    return sum(y << m for m, y in enumerate(GATES[parse(gate)]))


def linearly_separable(gate) -> bool:
    """True unless the gate is XOR or XNOR (the only two that a single hidden unit, or a
    perceptron, cannot represent)."""
    return parse(gate) not in ("xor", "xnor")
