"""The scorecard as Markdown (``figures/claims.md``), as a standalone HTML page (embedded in the
Snakemake report), and its verdict counts per figure."""

from __future__ import annotations

import pandas as pd

from .. import paper as P
from ..plots.tables import markdown_table
from .core import summary

PAPER = P.CITATION


FIGURE_TITLES = {
    "table1": "Table I", "fig1": "Fig. 1", "fig2": "Fig. 2", "fig3": "Fig. 3", "fig4": "Fig. 4",
    "table2": "Table II", "lr_window": "learning-rate window (Sec. III.A)",
    "optimizers": "GD vs Adam (Sec. III.B)", "fig5": "Fig. 5", "fig6": "Fig. 6",
    "landscape_all": "all 36 cross-sections", "fig7": "Fig. 7", "fig8": "Fig. 8",
    "fig8_barriers": "Fig. 8 barriers / minor peaks",
    "census": "stationary-point census (Mehta et al. 2018)",
}


def by_figure(df: pd.DataFrame) -> pd.DataFrame:
    """Verdict counts per figure/table (the README's one-line agreement summary)."""
    rows = []
    order = {k: i for i, k in enumerate(FIGURE_TITLES)}
    figs = sorted(df["figure"].unique(), key=lambda f: order.get(f, len(order)))
    for fig in figs:
        g = df[df["figure"] == fig]
        rows.append({"figure": fig, "title": FIGURE_TITLES.get(fig, fig), "claims": len(g),
                     "reproduced": int((g["verdict"] == "reproduced").sum()),
                     "differs": int((g["verdict"] == "differs").sum()),
                     "not_checkable": int((g["verdict"] == "not checkable").sum()),
                     "not_applicable": int((g["verdict"] == "not applicable").sum()),
                     "differing_ids": ", ".join(g.loc[g["verdict"] == "differs", "id"]),
                     "ci_scale": int(g["ci_scale"].sum())})
    return pd.DataFrame(rows)


def _md_escape(s) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def markdown(df: pd.DataFrame, extra_columns: dict[str, dict] | None = None) -> str:
    """The scorecard as Markdown: summary line, the table, then every difference explained.
    ``extra_columns``: header -> {claim id: cell} appended to the table (xornet.robustness)."""
    s = summary(df)
    extra = extra_columns or {}
    lines = ["# Reproduction scorecard", "",
             f"Paper: {PAPER}.", "",
             f"{s['total']} claims: **{s['reproduced']} reproduced**, **{s['differs']} differ**, "
             f"{s['not checkable']} not checkable"
             + (f", {s['not applicable']} not applicable (another gate)"
                if s["not applicable"] else "")
             + (f" ({s['ci_scale']} only because the inputs are at CI scale; at that scale "
                f"{s['outcome_reproduced']} checks pass and {s['outcome_differs']} fail)"
                if s["ci_scale"] else "") + ".", ""]
    mark = {"reproduced": "✅ reproduced", "differs": "❌ differs",
            "not applicable": "⊘ not applicable"}
    rows = []
    for _, r in df.iterrows():
        v = mark.get(r["verdict"], "➖ not checkable")
        if r["verdict"] == "not checkable" and r["ci_scale"]:
            v += f" (CI scale; would be: {r['outcome']})"
        rows.append([_md_escape(x) for x in (
            r["id"], f"Sec. {r['section']}, {r['location']}", r["statement"], r["paper_value"],
            r["reproduced_value"] or "—", r["tolerance"], v,
            *(c.get(r["id"], "") for c in extra.values()))])
    lines += markdown_table(["id", "where", "paper says", "paper", "reproduced", "tolerance",
                             "verdict", *extra], rows)
    lines += ["", "## Agreement by figure", ""]
    lines += markdown_table(
        ["figure / table", "claims", "reproduced", "differ", "not checkable"],
        ([r["title"], str(r["claims"]), str(r["reproduced"]),
          f"{r['differs']}" + (f" ({r['differing_ids']})" if r["differing_ids"] else ""),
          f"{r['not_checkable']}" + (f" ({r['ci_scale']} at CI scale)" if r["ci_scale"] else "")
          + (f"; {r['not_applicable']} not applicable" if r["not_applicable"] else "")]
         for _, r in by_figure(df).iterrows()))
    diff = df[(df["verdict"] == "differs") | (df["outcome"] == "differs")]
    lines += ["", "## Differences from the paper", ""]
    if diff.empty:
        lines.append("None.")
    for _, r in diff.iterrows():
        ci = " (at CI scale)" if r["ci_scale"] else ""
        lines.append(f"- **{r['id']}** ({r['location']}){ci}: paper: {r['statement']} "
                     f"({r['paper_value']}); here: {r['reproduced_value']}."
                     + (f" {r['note'][:1].upper()}{r['note'][1:]}." if r["note"] else ""))
    na = df[df["verdict"] == "not applicable"]
    if len(na):
        lines += ["", "## Not applicable", ""]
        lines += [f"- **{r['id']}** ({r['statement']}): {r['reason']}" for _, r in na.iterrows()]
    nc = df[(df["verdict"] == "not checkable") & ~df["ci_scale"]]
    lines += ["", "## Not checkable", ""]
    if nc.empty:
        lines.append("None.")
    for _, r in nc.iterrows():
        lines.append(f"- **{r['id']}** ({r['statement']}): {r['reason']}")
    if s["ci_scale"]:
        lines += ["", "Inputs at CI scale (verdicts withheld): "
                  + "; ".join(sorted({x for r in df.loc[df["ci_scale"], "reason"]
                                      for x in r.split(": ", 1)[1].split("; ")}))]
    return "\n".join(lines) + "\n"


_COLOURS = {"reproduced": "#d8f0d8", "differs": "#f6d5d5", "not checkable": "#eeeeee",
            "not applicable": "#e4e4f4"}


def html(df: pd.DataFrame) -> str:
    """The scorecard as a standalone HTML page (embedded in the Snakemake report)."""
    import html as _h

    s = summary(df)
    e = _h.escape
    rows = []
    for _, r in df.iterrows():
        v = r["verdict"] + (f" (CI scale; would be: {r['outcome']})" if r["ci_scale"] else "")
        detail = "; ".join(x for x in (r["note"], r["reason"]) if x)
        rows.append(
            f"<tr style='background:{_COLOURS.get(r['verdict'], '#fff')}'>"
            + "".join(f"<td>{e(str(x))}</td>" for x in (
                r["id"], f"Sec. {r['section']}, {r['location']}", r["statement"], r["paper_value"],
                r["reproduced_value"] or "—", r["tolerance"], v, detail))
            + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("id", "where", "paper says", "paper", "reproduced",
                                               "tolerance", "verdict", "note / reason"))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Reproduction scorecard"
            "</title><style>body{font-family:sans-serif;font-size:13px}table{border-collapse:"
            "collapse}td,th{border:1px solid #bbb;padding:3px 5px;vertical-align:top}"
            "th{background:#ddd}</style></head><body>"
            f"<h2>Reproduction scorecard</h2><p>{e(PAPER)}</p>"
            f"<p>{s['total']} claims: <b>{s['reproduced']} reproduced</b>, <b>{s['differs']} "
            f"differ</b>, {s['not checkable']} not checkable ({s['ci_scale']} because of "
            f"CI-scale inputs), {s['not applicable']} not applicable (another gate).</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table></body></html>\n")
