"""Claims of Sec. II: Table I, the XOR truth table."""

from __future__ import annotations

from .core import Claim, Result, declare

CLAIMS: list[Claim] = []
claim = declare(CLAIMS)


@claim("T1", "II", "Table I", "value", statement="XOR truth table", paper_value="y = x1 XOR x2",
       inputs=("truth_table",), tolerance="exact", figure="table1")
def c_truth_table(d):
    t = d.frame("truth_table")
    ok = bool(((t["x1"] ^ t["x2"]) == t["y"]).all()) and len(t) == 4
    return Result(f"{len(t)} rows, y = x1 XOR x2: {ok}", ok, float(ok))
