"""Every Markdown table is written by one writer, ``plots.tables.markdown_table`` (issue 10,
item 4): the writer itself, each report table built on it (well-formed: header, rule and rows
have the same number of cells), and no other module spelling out a table rule by hand."""

import ast
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xornet import schemas
from xornet.plots import census as PC
from xornet.plots import entropy as PE
from xornet.plots import landscape as PL
from xornet.plots.tables import markdown_table

SRC = Path(__file__).resolve().parents[1] / "src" / "xornet"


def test_markdown_table_matches_naive_lines():
    header, rows = ["a", "b c"], [["1", "x"], ["22", ""]]
    assert markdown_table(header, rows) == ["| a | b c |", "|---|---|", "| 1 | x |", "| 22 |  |"]
    assert markdown_table(header, iter(rows), rule="|---:|---|")[1] == "|---:|---|"
    assert markdown_table(["n"], []) == ["| n |", "|---|"]


def _cells(line: str) -> int:
    """Number of cells of a Markdown table line (escaped pipes ``\\|`` are text)."""
    return len(re.split(r"(?<!\\)\|", line)) - 2


def _tables(text: str) -> list[list[str]]:
    """The Markdown tables of ``text``: runs of lines starting with '|'."""
    out, cur = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    return out


def _assert_tables(text: str, n_tables: int, n_rows: list[int]):
    tables = _tables(text)
    assert len(tables) == n_tables, text
    for t, rows in zip(tables, n_rows, strict=True):
        assert re.fullmatch(r"\|(:?---:?\|)+", t[1]), t[1]
        assert {_cells(line) for line in t} == {_cells(t[0])}, t
        assert len(t) == 2 + rows, t
        assert all(line.startswith("| ") and line.endswith(" |") for line in t[:1] + t[2:])


def test_census_tables():
    low = pd.DataFrame({"n_h": [1, 1, 2], "lam": [1e-4, 1e-4, 1e-3], "energy": [0.1, 0.2, 0.05],
                        "loss": [0.09, 0.19, 0.04], "solves": [True, False, True],
                        "misclassified": ["", "(0,1)", ""],
                        **{f"a2_1_c{m}": [0.1 * m, 0.5, 0.9] for m in range(4)}})
    summ = pd.DataFrame({"n_h": [1, 2], "lam": [1e-4, 1e-3], "n_minima": [3, 5],
                         "n_minima_bh": [2, 4], "n_ts": [4, 9], "ts_per_minimum": [4 / 3, 1.8],
                         "n_solution_minima": [1, 2], "n_unconnected": [0, 1],
                         "bh_steps": [100, 200], "saturated": [True, False],
                         "max_barrier": [0.12, 0.3]})
    md = PC.minima_markdown(low, summ)
    _assert_tables(md, 2, [3, 2])
    assert "| 1 | 0.0001 | 1 | 0.2 | 0.19 | no | (0,1) | 0.500 | 0.500 | 0.500 | 0.500 |" in md
    assert "| 2 | 0.001 | 5 | 4 | 9 | 1.80 | 2 | 1 | 200 | no (cap) | 0.3 |" in md

    emb = pd.DataFrame({"found": [True, True, False], "variant": ["none", "all", "none"],
                        "n_h": [1, 1, 2], "kind": ["minimum", "ts", "minimum"],
                        "index_nh": [0, 1, 0], "index_padded": [1, 1, 0],
                        "stationary_padded": [True, False, False]})
    esumm = pd.DataFrame({"variant": ["none", "all"], "tested": [2, 1], "stationary": [2, 0],
                          "max_grad_padded": [1e-12, 0.02], "dropped": [0, 1],
                          "holds": [True, False]})
    md = PC.embedding_markdown(emb, esumm)
    _assert_tables(md, 2, [2, 2])
    assert "| λ on all parameters | 1 | 0 | 0.02 | 1 | no |" in md
    assert "| λ = 0 | 1 | minimum | 1 | 1 | 0->1 (1) |" in md

    stab = pd.DataFrame({"n_h": [2], "lam": [1e-4], "n_a": [7], "n_b": [5], "common": [5],
                         "bh_a": [3], "bh_b": [4]})
    assert PC.stability_markdown(stab) == (
        "# Census stability: minima found with two seeds\n\n"
        "| n_h | λ | minima (seed A) | minima (seed B) | difference | common minima | "
        "BH minima A / B |\n|---|---|---|---|---|---|---|\n| 2 | 0.0001 | 7 | 5 | -2 | 5 | 3 / 4 |\n")


def test_entropy_tables_keep_right_alignment():
    infl = pd.DataFrame({"n_h": [2, 1], "L": [0.3, 0.25], "beta": [12.3456, -1.0],
                         "gamma": [5.0, -0.25], "kind": ["first-order-like", "second-order-like"]})
    md = PE.inflection_markdown(infl)
    _assert_tables(md, 1, [2])
    assert md.endswith("| n_h | L | beta | gamma | kind |\n|---:|---:|---:|---:|---|\n"
                       "| 1 | 0.2500 | -1 | -0.25 | second-order-like |\n"
                       "| 2 | 0.3000 | 12.35 | 5 | first-order-like |\n")

    regions = ["0-0.25", "0.25-0.5"]
    bsumm = pd.DataFrame({"n_h": [1, 1, 2, 2], "region": regions * 2, "n_intruders": [0, 1, 2, 0],
                          "depth": [0.0, 0.5, 1.25, 0.0], "depth_err": [0.0, 0.1, 0.2, 0.0],
                          "L_max": [np.nan, 0.3, 0.1, np.nan]})
    msumm = pd.DataFrame({"n_h": [2, 1], "n_minor": [1, 0], "max_prominence": [0.4, 0.0],
                          "max_prominence_err": [0.05, 0.0], "L": [0.6, np.nan],
                          "sum_prominence": [0.4, 0.0]})
    minor = pd.DataFrame({"n_h": [2, 2], "L": [0.6, 0.7], "S": [3.0, 2.0],
                          "prominence": [0.4, 0.01], "prominence_err": [0.05, 0.02],
                          "significant": [True, False]})
    intr = pd.DataFrame({"n_h": [1, 2, 2], "L_left": [0.26, 0.05, 0.3], "L_right": [0.4, 0.2, 0.35],
                         "L_max": [0.3, 0.1, 0.32], "depth": [0.5, 1.25, 0.01],
                         "depth_err": [0.1, 0.2, 0.02], "significant": [True, True, False]})
    md = PE.barriers_markdown(intr, bsumm, minor, msumm)
    _assert_tables(md, 4, [2, 2, 1, 2])
    assert ("| n_h | L in [0, 0.25] | L in [0.25, 0.5] |\n|---:|---:|---:|\n"
            "| 1 | - | 0.50 ± 0.10 (L=0.300) |\n| 2 | 1.25 ± 0.20 (L=0.100) | - |\n") in md
    assert "| 1 | 0 | 0.00 ± 0.00 | - | 0.00 |" in md
    assert all(t[1].startswith("|---:|") for t in _tables(md))


def test_trajectories_table():
    row = {"panel": "a", "x": "w1_1_1", "y": "b1_1", "dx0": 15.0, "dy0": -2.0, "start_loss": 0.25,
           "paper_start_loss": np.nan, "eta": 0.1, "outcome": "converged", "epochs": 12345,
           "final_loss": 1e-4, "dx_end": 0.01, "dy_end": -0.02, "outside_window": False,
           "grad_norm": 3e-5, "levels_visited": 2, "paper_outcome": "converged",
           "paper_text": "reaches the optimum", "agrees": True}
    summ = pd.DataFrame([row, {**row, "panel": "", "paper_start_loss": 0.3, "outside_window": True,
                               "paper_outcome": "", "agrees": False}])
    md = PL.trajectories_markdown(summ, threshold=1e-3, stall_tol=1e-6, max_epochs=100000)
    _assert_tables(md, 1, [2])
    assert md.endswith("\n")
    assert ("| a | (w1_1_1, b1_1) | (15, -2) | 0.250 | 0.1 | **converged** | 12,345 | 0.0001 | "
            "(0.01, -0.02) | 3.0e-05 | 2 | converged: reaches the optimum | yes |") in md
    assert ("| — | (w1_1_1, b1_1) | (15, -2) | 0.250 (0.3) | 0.1 | **converged** | 12,345 | 0.0001 "
            "| (0.01, -0.02) (outside window) | 3.0e-05 | 2 | — | — |") in md


def test_schemas_markdown_tables():
    md = schemas.markdown()
    n_rows = [len(s.get("columns", {})) + len(s.get("patterns", {})) for s in schemas.SCHEMAS.values()]
    _assert_tables(md, len(schemas.SCHEMAS), n_rows)


def _rule_literals(path: Path) -> list[int]:
    """Lines of ``path`` holding a string that spells a table rule (``|---``) outside a
    ``rule=`` argument of markdown_table."""
    tree = ast.parse(path.read_text())
    allowed = {id(n) for call in ast.walk(tree) if isinstance(call, ast.Call)
               for kw in call.keywords if kw.arg == "rule" for n in ast.walk(kw.value)}
    return [n.lineno for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and "|---" in n.value
            and id(n) not in allowed]


@pytest.mark.parametrize("path", sorted(p for p in SRC.rglob("*.py")
                                        if p != SRC / "plots" / "tables.py"),
                         ids=lambda p: str(p.relative_to(SRC)))
def test_no_hand_built_table_rules(path):
    assert _rule_literals(path) == [], (f"{path}: build Markdown tables with "
                                        "xornet.plots.tables.markdown_table")
