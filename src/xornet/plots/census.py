"""Figures and tables of the stationary-point census (beyond the paper; Mehta et al. 2018)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FormatStrFormatter, NullFormatter

from ..census import graph
from ..labels import num_label
from . import style
from .style import plt
from .tables import markdown_table

SOLVES, FAILS, UNCONNECTED = "#1f77b4", "#d62728", "#999999"


def _lam_tex(lam: float) -> str:
    e = int(np.floor(np.log10(lam) + 1e-9))
    m = lam / 10**e
    return rf"$\lambda = 10^{{{e}}}$" if abs(m - 1) < 1e-9 else rf"$\lambda = {m:g}\times10^{{{e}}}$"


def disconnectivity_panel(ax, minima: pd.DataFrame, ts: pd.DataFrame, n_levels: int):
    """One disconnectivity graph; leaves coloured by whether the minimum solves XOR."""
    ts = ts[ts["min1"] != ts["min2"]]
    lay = graph.disconnectivity(minima["energy"].to_numpy(), ts["energy"].to_numpy(),
                                list(zip(ts["min1"], ts["min2"], strict=True)), n_levels,
                                log=True)
    solves = minima["solves"].to_numpy(bool)
    conn = minima["connected"].to_numpy(bool)
    for x0, y0, x1, y1, leaf in lay["segments"]:
        c = "k" if leaf < 0 else (SOLVES if solves[leaf] else FAILS)
        ax.plot([x0, x1], [y0, y1], color=c, lw=0.6, solid_capstyle="butt")
    x = lay["x"]
    ax.scatter(x[~conn], minima["energy"].to_numpy()[~conn], s=8, facecolors="none",
               edgecolors=UNCONNECTED, lw=0.6, zorder=3)
    ax.set_xticks([])
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    lo, hi = ax.get_ylim()
    # label the minor ticks only when the axis spans too little for a major one to show
    ax.yaxis.set_minor_formatter(FormatStrFormatter("%g") if hi / lo < 3 else NullFormatter())
    ax.tick_params(axis="y", which="both", labelsize=5)
    ax.text(0.02, 0.02, f"{len(minima)} min, {len(ts)} TS"
            + (f"\n{int((~conn).sum())} unconnected" if (~conn).any() else ""),
            transform=ax.transAxes, fontsize=6, va="bottom")


def census_figure(minima: pd.DataFrame, ts: pd.DataFrame, summary: pd.DataFrame,
                  n_levels: int, path):
    """Disconnectivity graphs per (n_h, lam) and the counts vs n_h (figures/census.pdf)."""
    style.apply()
    nhs = sorted(summary["n_h"].unique())
    lams = sorted(summary["lam"].unique())
    fig, axes = plt.subplots(len(nhs) + 1, len(lams), figsize=(style.TWO_COL, 1.9 * (len(nhs) + 1)),
                             squeeze=False)
    for r, n_h in enumerate(nhs):
        for c, lam in enumerate(lams):
            ax = axes[r, c]
            m = minima[(minima["n_h"] == n_h) & np.isclose(minima["lam"], lam)]
            t = ts[(ts["n_h"] == n_h) & np.isclose(ts["lam"], lam)]
            if len(m):
                disconnectivity_panel(ax, m.reset_index(drop=True), t.reset_index(drop=True),
                                      n_levels)
            if r == 0:
                ax.set_title(_lam_tex(lam))
            if c == 0:
                ax.set_ylabel(f"$n_h = {n_h}$\nE = L + λ|v|²", fontsize=7)
    cnt = axes[-1]
    for c, (col, lab) in enumerate((("n_minima", "minima"), ("n_ts", "transition states"),
                                    ("ts_per_minimum", "TS per minimum"))):
        ax = cnt[c] if c < len(cnt) else None
        if ax is None:
            break
        for lam in lams:
            s = summary[np.isclose(summary["lam"], lam)].sort_values("n_h")
            ax.plot(s["n_h"], s[col], "o-", ms=3, label=_lam_tex(lam))
        ax.set_xlabel("$n_h$")
        ax.set_ylabel(lab)
        ax.set_xticks(nhs)
        if col != "ts_per_minimum":
            ax.set_yscale("log")
    for ax in cnt[3:]:
        ax.axis("off")
    cnt[0].legend(fontsize=6, frameon=False)
    fig.text(0.5, 1.0, "blue: minimum solves XOR; red: does not; open circle: no TS path to the "
             "global minimum found", ha="center", fontsize=7)
    fig.tight_layout()
    style.savefig(fig, path)


def barriers_figure(summary: pd.DataFrame, barriers: pd.DataFrame, fig8: pd.DataFrame, path):
    """(a) census: highest barrier on the lowest path from each non-solution minimum to the
    solution funnel vs n_h; (b) Fig. 8: deepest convex intruder of S(L) per quarter of L."""
    style.apply()
    fig, (a, b) = plt.subplots(1, 2, figsize=(style.TWO_COL, 2.8))
    for lam in sorted(summary["lam"].unique()):
        s = summary[np.isclose(summary["lam"], lam) & (summary["n_h"] >= 2)].sort_values("n_h")
        line, = a.plot(s["n_h"], s["max_barrier"], "o-", ms=3, label=_lam_tex(lam) + " max")
        a.plot(s["n_h"], s["median_barrier"], "s--", ms=3, color=line.get_color(), alpha=0.7,
               label="median")
        bb = barriers[np.isclose(barriers["lam"], lam) & np.isfinite(barriers["barrier"])]
        a.scatter(bb["n_h"] + 0.08 * np.log10(lam / 1e-4), bb["barrier"], s=4,
                  color=line.get_color(), alpha=0.35, lw=0)
    heights = np.concatenate([summary["max_barrier"].to_numpy(float),
                              barriers["barrier"].to_numpy(float)])
    if np.any(np.isfinite(heights) & (heights > 0)):  # none: e.g. a gate with one minimum
        a.set_yscale("log")
    a.set_xticks(sorted(int(n) for n in summary["n_h"].unique() if n >= 2))
    lams = sorted(summary["lam"].unique())
    rows = [f"$n_h$={int(n)}: " + ", ".join(
        str(int(((barriers["n_h"] == n) & np.isclose(barriers["lam"], lam)).sum())) for lam in lams)
        for n in sorted(summary["n_h"].unique())]
    a.text(0.02, 0.02, "minima not solving XOR (λ ascending)\n" + "; ".join(rows),
           transform=a.transAxes, fontsize=5.5)
    a.set_xlabel("$n_h$")
    a.set_ylabel("barrier to the solution funnel (energy)")
    a.set_title("(a) stationary-point census", fontsize=9)
    a.legend(fontsize=6, frameon=False, ncol=1)
    for region, g in fig8.groupby("region", sort=True):
        g = g.sort_values("n_h")
        b.errorbar(g["n_h"], g["depth"], yerr=g["depth_err"], marker="o", ms=3, capsize=2,
                   label=f"L in {region}")
    b.set_xlabel("$n_h$")
    b.set_ylabel("deepest convex intruder of S(L) (ln g)")
    b.set_title("(b) Fig. 8 valley depths", fontsize=9)
    b.legend(fontsize=6, frameon=False)
    fig.tight_layout()
    style.savefig(fig, path)


def _fmt_lam(lam):
    return num_label(lam)


def minima_markdown(low: pd.DataFrame, summary: pd.DataFrame) -> str:
    """Table of the lowest minima per (n_h, lam) with their loss and misclassified cases."""
    lines = ["# Lowest minima of E = L + λ|v|² per n_h and λ (stationary-point census)", "",
             "L: the loss of Eq. (4) at the minimum; misclassified: cases of Table I whose output "
             "is on the wrong side of 0.5 (empty: the minimum solves XOR).", ""]
    lines += markdown_table(
        ["n_h", "λ", "rank", "E", "L", "solves", "misclassified",
         "ŷ(0,0)", "ŷ(0,1)", "ŷ(1,0)", "ŷ(1,1)"],
        ([str(n_h), _fmt_lam(lam), str(rank), f"{r['energy']:.6g}", f"{r['loss']:.4g}",
          "yes" if r["solves"] else "no", f"{r['misclassified'] or '—'}",
          *(f"{r[f'a2_1_c{m}']:.3f}" for m in range(4))]
         for (n_h, lam), g in low.groupby(["n_h", "lam"], sort=True)
         for rank, (_, r) in enumerate(g.iterrows())))
    lines += ["", "## Counts", ""]
    lines += markdown_table(
        ["n_h", "λ", "minima", "(by basin-hopping)", "TS", "TS/min", "solving minima",
         "unconnected", "BH steps", "saturated", "max barrier"],
        ([str(r["n_h"]), _fmt_lam(r["lam"]), str(r["n_minima"]), str(r["n_minima_bh"]),
          str(r["n_ts"]), f"{r['ts_per_minimum']:.2f}", str(r["n_solution_minima"]),
          str(r["n_unconnected"]), str(r["bh_steps"]), "yes" if r["saturated"] else "no (cap)",
          f"{r['max_barrier']:.3g}"]
         for _, r in summary.sort_values(["n_h", "lam"]).iterrows()))
    return "\n".join(lines) + "\n"


def embedding_markdown(df: pd.DataFrame, summ: pd.DataFrame) -> str:
    lines = ["# Embedding test (Mehta et al. 2018): N_h stationary points padded with a zero node",
             ""]
    names = {"none": "λ = 0", "weights": "λ on weights only", "all": "λ on all parameters"}
    lines += markdown_table(
        ["regularisation", "points tested", "still stationary at N_h+1", "max abs gradient",
         "dropped (no stationary point nearby)", "holds"],
        ([str(names.get(r["variant"], r["variant"])), str(r["tested"]), str(r["stationary"]),
          f"{r['max_grad_padded']:.2g}", str(r["dropped"]), "yes" if r["holds"] else "no"]
         for _, r in summ.iterrows()))
    f = df[df["found"]]
    lines += ["", "Per n_h and kind (tested / stationary when padded; Hessian index at N_h -> "
              "N_h+1, most common):", ""]
    rows = []
    for (v, n_h, kind), g in f.groupby(["variant", "n_h", "kind"], sort=True):
        pairs = (g["index_nh"].astype(str) + "->" + g["index_padded"].astype(str)).value_counts()
        rows.append([str(names.get(v, v)), str(n_h), str(kind), str(len(g)),
                     str(int(g["stationary_padded"].sum())), f"{pairs.index[0]} ({pairs.iloc[0]})"])
    lines += markdown_table(["regularisation", "n_h", "kind", "tested", "stationary",
                             "index N_h -> N_h+1"], rows)
    return "\n".join(lines) + "\n"


def stability_markdown(summ: pd.DataFrame) -> str:
    lines = ["# Census stability: minima found with two seeds", ""]
    lines += markdown_table(
        ["n_h", "λ", "minima (seed A)", "minima (seed B)", "difference", "common minima",
         "BH minima A / B"],
        ([str(int(r["n_h"])), _fmt_lam(r["lam"]), str(int(r["n_a"])), str(int(r["n_b"])),
          f"{int(r['n_b']) - int(r['n_a']):+d}", str(int(r["common"])),
          f"{int(r['bh_a'])} / {int(r['bh_b'])}"]
         for r in summ.to_dict(orient="records")))
    return "\n".join(lines) + "\n"
