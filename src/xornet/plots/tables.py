"""Render small tables as Markdown and LaTeX (booktabs) from DataFrames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


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


def to_markdown(df: pd.DataFrame, digits: int = 3, title: str | None = None,
                notes: list[str] | None = None) -> str:
    cols = list(df.columns)
    lines = []
    if title:
        lines += [f"**{title}**", ""]
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "|".join("---" for _ in cols) + "|")
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(_fmt(row[c], digits) for c in cols) + " |")
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
