"""Render small tables as Markdown and LaTeX (booktabs) from DataFrames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import gates, model, paper


def _fmt(x, digits: int) -> str:
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        if not np.isfinite(x):
            return "–"
        if x != 0 and (abs(x) < 10 ** (-digits) or abs(x) >= 1e6):
            return f"{x:.{max(digits - 1, 1)}e}"
        return f"{x:.{digits}f}"
    return str(x)


def markdown_table(header: list[str], rows, rule: str | None = None) -> list[str]:
    """A Markdown table as lines: ``header``, the rule under it (default ``|---|...|``; give
    ``rule`` for alignment, e.g. ``|---:|---|``) and one line per row of ``rows`` (cells are
    strings, written as given). Every Markdown table of the package goes through here."""
    return ["| " + " | ".join(header) + " |",
            rule or "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(cells) + " |" for cells in rows)]


def to_markdown(df: pd.DataFrame, digits: int = 3, title: str | None = None,
                notes: list[str] | None = None) -> str:
    cols = list(df.columns)
    lines = []
    if title:
        lines += [f"**{title}**", ""]
    lines += markdown_table([str(c) for c in cols],
                            ([_fmt(row[c], digits) for c in cols] for _, row in df.iterrows()))
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _tex_escape(s: str) -> str:
    if s.startswith("$") and s.endswith("$"):
        return s
    return (s.replace("\\", r"\textbackslash{}").replace("_", r"\_").replace("#", r"\#")
            .replace("%", r"\%").replace("&", r"\&"))


def to_latex(df: pd.DataFrame, digits: int = 3, caption: str | None = None,
             notes: list[str] | None = None, headers: list[str] | None = None) -> str:
    cols = list(df.columns)
    heads = headers or [_tex_escape(str(c)) for c in cols]
    out = [r"\begin{table}[h]", r"\centering"]
    if caption:
        out.append(r"\caption{" + _tex_escape(caption) + "}")
    out.append(r"\begin{tabular}{" + "l" * len(cols) + "}")
    out += [r"\toprule", " & ".join(heads) + r" \\", r"\midrule"]
    for _, row in df.iterrows():
        out.append(" & ".join(_tex_escape(_fmt(row[c], digits)) for c in cols) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    if notes:
        out.append(r"\par\smallskip\footnotesize " + " ".join(_tex_escape(n) for n in notes))
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def write(text: str, path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


# ----------------------------------------------------------------------------- Table II

def n_hidden_of(df: pd.DataFrame) -> int:
    """n_h of a ``solutions`` frame, from its parameter columns."""
    n_p = sum(1 for c in df.columns if c[:1] in "wb" and c[1:2] in "12" and "_" in c)
    return model.n_hidden(n_p)


def table2_notes(df: pd.DataFrame, stats: dict, dedup_tol: float,
                 gate: str = "xor") -> list[str]:
    """The notes printed under Table II: how each of our solutions was found, which of the
    paper's printed sets are not solutions and why, our run's closest approach to the
    printed #1, and the MC statistics (``stats``: the ``extra`` of dataset ``solutions``)."""
    notes = [f"Ours {r.label}: {r.method}." for r in df[df.source == "ours"].itertuples()]
    xor = gates.parse(gate) == gates.PAPER
    if not xor:
        notes.append(f"This run learns {gate.upper()} (config gate); the paper's printed sets "
                     "solve XOR and are shown for reference only.")
    for r in df[(df.source == "paper") & ~df.is_solution & xor].itertuples():
        wrong = [model.CASES[m] for m in range(4)
                 if (getattr(r, f"yhat_c{m}") >= 0.5) != (gates.targets(gate)[m] == 1)]
        notes.append(f"The paper's printed {r.label} is NOT a solution: full-batch loss "
                     f"{r.full_loss:.3f}"
                     + (f", wrong output for case(s) {', '.join(wrong)}" if wrong else "")
                     + " (probably a transcription error in the printed values).")
    ok = df[(df.source == "paper") & df.is_solution]
    if len(ok):
        notes.append("The paper's printed " + ", ".join(ok.label) + " are solutions (loss < "
                     "threshold, all outputs on the right side of 0.5).")
    c = stats.get("closest_to_paper_1")
    if c:
        notes.append(f"Our reference run (eta = 0.1) passes within {c['distance']:.3f} (max-norm) "
                     f"of the paper's #1 at epoch {c['epoch']} (full-batch loss "
                     f"{c['full_loss']:.2e}).")
    notes.append(f"Zero-T MC: {stats.get('mc_solved')} of {stats.get('mc_runs')} runs reached the "
                 f"target loss; {stats.get('mc_distinct_found')} distinct solutions kept "
                 f"(canonical max-norm distance > {dedup_tol}).")
    notes.append("logic: Boolean function of each hidden neuron over the cases (0,0),(0,1),(1,0),"
                 "(1,1) after mapping to the canonical representative (permutation and sign-flip "
                 "symmetry).")
    return notes


# ----------------------------------------------------------------------------- Fig. 5 plateaus

def plateau_table(plateaus: pd.DataFrame, n_h: int) -> pd.DataFrame:
    """Plateau edges for the report: edge = midpoint of the final bisection bracket
    (+- resolution/2); an open side reads "beyond <last grid value>"; the paper's upper edges
    (Sec. III.B) beside ours."""
    labels = dict(zip(model.param_names(n_h), model.param_labels(n_h), strict=True))
    rows = []
    for _, r in plateaus.iterrows():
        lo = "beyond {:.2f}".format(r["lower_in"]) if r["lower_open"] else \
            "{:.3f}".format(0.5 * (r["lower_in"] + r["lower_out"]))
        hi = "beyond {:.2f}".format(r["upper_in"]) if r["upper_open"] else \
            "{:.3f}".format(0.5 * (r["upper_in"] + r["upper_out"]))
        stated = paper.PLATEAU_UPPER.get(r["param"])
        rows.append({"parameter": labels[r["param"]], "tau_conv(0)": int(r["tau0"]),
                     "lower edge": lo, "upper edge": hi,
                     "paper upper edge": "–" if stated is None else f"{stated}"})
    return pd.DataFrame(rows)
