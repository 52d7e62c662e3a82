"""Figures and tables of Sec. III.D (Fig. 8): S(L), beta/gamma, barriers, R sensitivity,
checks. Plotting only: every number comes from the Parquet files of the entropy stage."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import paper as P
from . import style
from .tables import markdown_table

PEAKS = P.FIG8_PEAKS


def _colors(n):
    cmap = plt.get_cmap("viridis")
    return [cmap(x) for x in np.linspace(0.0, 0.9, max(n, 1))]


def _peak_lines(ax):
    for p in PEAKS:
        ax.axvline(p, color="0.85", lw=0.6, zorder=0)


def _nh_panels(n: int):
    """One row of ``n`` panels (one per n_h) across the page: (figure, list of axes)."""
    fig, axes = plt.subplots(1, n, figsize=(style.TWO_COL, style.TWO_COL * 0.42), squeeze=False)
    return fig, axes[0]


def _band(ax, L, S, err, c, label):
    """S(L) as a line with its +-err band."""
    ax.fill_between(L, S - err, S + err, color=c, alpha=0.3, lw=0)
    ax.plot(L, S, color=c, lw=0.8, label=label)


def _finish_nh_panel(ax, nh):
    ax.set_xlim(0, 1)
    ax.set_xlabel("$L$")
    ax.set_title(f"$n_h={nh}$")


def fig8(ent: pd.DataFrame, shift: float, path):
    """Fig. 8: S(L) for every n_h, curve k shifted up by k * shift, error band = +-S_err."""
    style.apply()
    nhs = sorted(ent["n_h"].unique())
    fig, ax = plt.subplots(figsize=(style.ONE_COL * 1.25, style.ONE_COL * 1.6))
    for k, (nh, c) in enumerate(zip(nhs, _colors(len(nhs)), strict=True)):
        g = ent[ent["n_h"] == nh].sort_values("L")
        L, S, e = g["L"].to_numpy(), g["S"].to_numpy() + k * shift, g["S_err"].to_numpy()
        ax.fill_between(L, S - e, S + e, color=c, alpha=0.35, lw=0)
        ax.plot(L, S, color=c, lw=0.7)
        ok = np.isfinite(S)
        if ok.any():
            # label at the right end of the curve (n_h = 1 ends at L = 3/4)
            ax.text(
                L[ok][-1] + 0.015,
                S[ok][-1],
                f"$n_h={nh}$",
                color=c,
                fontsize=6.5,
                va="center",
                clip_on=False,
            )
    _peak_lines(ax)
    ax.set_xlim(0, 1)
    ax.set_xlabel("$L$")
    ax.set_ylabel(r"$S(L)$ + shift" if shift else "$S(L)$")
    R = float(ent["R"].iloc[0])
    ax.set_title(f"box $[-{R:g}, {R:g}]^{{4n_h+1}}$, curves shifted by {shift:g}", fontsize=7.5)
    style.savefig(fig, path)


def fig8_inflection(der: pd.DataFrame, infl: pd.DataFrame, path):
    """beta(L) = dS/dL (top) and gamma(L) = d beta/dL (bottom) of the smoothed S; markers:
    gamma peaks (filled: gamma > 0, convex region; open: gamma < 0)."""
    style.apply()
    nhs = sorted(der["n_h"].unique())
    fig, (a1, a2) = plt.subplots(
        2, 1, figsize=(style.TWO_COL * 0.75, style.TWO_COL * 0.75), sharex=True
    )
    for nh, c in zip(nhs, _colors(len(nhs)), strict=True):
        g = der[der["n_h"] == nh].sort_values("L")
        a1.plot(g["L"], g["beta"], color=c, lw=0.7, label=f"$n_h={nh}$")
        a2.plot(g["L"], g["gamma"], color=c, lw=0.7)
        ip = infl[infl["n_h"] == nh]
        for _, r in ip.iterrows():
            filled = r["gamma"] > 0
            a2.plot(r["L"], r["gamma"], "o", ms=3, mec=c, mfc=c if filled else "none", mew=0.7)
            a1.plot(r["L"], r["beta"], "o", ms=3, mec=c, mfc=c if filled else "none", mew=0.7)
    for a in (a1, a2):
        _peak_lines(a)
        a.axhline(0, color="0.5", lw=0.5)
        a.set_yscale("symlog", linthresh=10.0 if a is a1 else 1000.0)
    a1.set_ylabel(r"$\beta(L)=dS/dL$")
    a2.set_ylabel(r"$\gamma(L)=d\beta/dL$")
    a2.set_xlabel("$L$")
    a2.set_xlim(0, 1)
    a1.legend(ncol=4, fontsize=6, frameon=False)
    a1.set_title(
        "microcanonical inflection-point analysis (smoothed S); "
        "filled: $\\gamma>0$ peak (convex), open: $\\gamma<0$ peak",
        fontsize=7.5,
    )
    style.savefig(fig, path)


def fig8_barriers(der: pd.DataFrame, summ: pd.DataFrame, minor: pd.DataFrame, path):
    """(a) Largest significant convex intruder of S per quarter of the loss axis vs n_h (the
    valleys between the main peaks). (b) Minor peaks away from L = 0, 1/4, 1/2, 3/4, 1: the
    largest prominence and the number of significant ones vs n_h. (c) S(L) - concave hull."""
    style.apply()
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(style.TWO_COL, style.TWO_COL * 0.36))
    regions = list(dict.fromkeys(summ["region"]))
    marks = "osD^"
    for j, reg in enumerate(regions):
        s = summ[summ["region"] == reg].sort_values("n_h")
        a1.errorbar(
            s["n_h"],
            s["depth"],
            yerr=s["depth_err"],
            marker=marks[j % 4],
            ms=3.5,
            lw=0.8,
            capsize=2,
            label=f"$L\\in[{reg.replace('-', ',')}]$",
        )
    a1.set_xlabel("$n_h$")
    a1.set_ylabel(r"largest convex intruder $\Delta S$")
    a1.set_ylim(bottom=0)
    a1.legend(frameon=False, fontsize=6)
    a1.set_title("(a) valleys between main peaks", fontsize=8)
    ms = minor.sort_values("n_h")
    a2.errorbar(
        ms["n_h"],
        ms["max_prominence"],
        yerr=ms["max_prominence_err"],
        marker="o",
        ms=3.5,
        lw=0.8,
        capsize=2,
        color="C3",
        label="largest prominence",
    )
    a2.set_xlabel("$n_h$")
    a2.set_ylabel(r"minor-peak prominence $\Delta S$", color="C3")
    a2.set_ylim(bottom=0)
    t = a2.twinx()
    t.plot(ms["n_h"], ms["n_minor"], "s--", ms=3, lw=0.7, color="0.3")
    t.set_ylabel("significant minor peaks", color="0.3")
    t.set_ylim(bottom=0)
    a2.set_title("(b) minor peaks", fontsize=8)
    nhs = sorted(der["n_h"].unique())
    for k, (nh, c) in enumerate(zip(nhs, _colors(len(nhs)), strict=True)):
        g = der[der["n_h"] == nh].sort_values("L")
        gap = (g["hull"] - g["S"]).to_numpy()
        a3.plot(g["L"], -gap - 2.0 * k, color=c, lw=0.7)
        a3.text(
            1.01,
            -2.0 * k,
            f"{nh}",
            color=c,
            fontsize=6,
            va="center",
            transform=a3.get_yaxis_transform(),
        )
    _peak_lines(a3)
    a3.set_xlim(0, 1)
    a3.set_xlabel("$L$")
    a3.set_ylabel(r"$S - \mathrm{hull}$, shifted $-2$ per $n_h$")
    a3.set_title("(c) convex intruders", fontsize=8)
    fig.tight_layout()
    style.savefig(fig, path)


def fig8_r_sensitivity(ents: list[pd.DataFrame], n_hs, path):
    """S(L) for each n_h in ``n_hs`` at every box half-width R (WL/muca line, simple
    sampling dots)."""
    style.apply()
    allf = pd.concat(ents, ignore_index=True)
    Rs = sorted(allf["R"].unique())
    fig, axes = _nh_panels(len(n_hs))
    cols = _colors(len(Rs))
    for ax, nh in zip(axes, n_hs, strict=True):
        for R, c in zip(Rs, cols, strict=True):
            g = allf[(allf["n_h"] == nh) & (allf["R"] == R)].sort_values("L")
            if g.empty:
                continue
            _band(ax, g["L"], g["S"], g["S_err"], c, f"$R={R:g}$")
            ax.plot(g["L"], g["S_ss"], ".", color=c, ms=1.2)
        _peak_lines(ax)
        _finish_nh_panel(ax, nh)
    axes[0].set_ylabel("$S(L)$")
    axes[0].legend(frameon=False)
    style.savefig(fig, path)


def fig8_checks(ent: pd.DataFrame, min_counts: int, path):
    """Top: WL/multicanonical S (lines) vs simple sampling (dots), shifted per n_h. Bottom:
    z = (S - S_ss)/combined error in every bin with >= min_counts simple-sampling counts."""
    style.apply()
    nhs = sorted(ent["n_h"].unique())
    fig, (a1, a2) = plt.subplots(
        2,
        1,
        figsize=(style.TWO_COL * 0.75, style.TWO_COL * 0.85),
        sharex=True,
        gridspec_kw={"height_ratios": [2, 1]},
    )
    for k, (nh, c) in enumerate(zip(nhs, _colors(len(nhs)), strict=True)):
        g = ent[ent["n_h"] == nh].sort_values("L")
        a1.plot(g["L"], g["S"] + 3 * k, color=c, lw=0.7, label=f"$n_h={nh}$")
        a1.plot(g["L"], g["S_ss"] + 3 * k, ".", color=c, ms=1.2)
        chk = g[g["checked"]]
        a2.plot(chk["L"], chk["z"], ".", color=c, ms=1.5)
    for y in (-2, 2):
        a2.axhline(y, color="0.6", lw=0.5, ls="--")
    for y in (-4, 4):
        a2.axhline(y, color="0.3", lw=0.5, ls=":")
    zc = ent.loc[ent["checked"], "z"].to_numpy()
    if zc.size:
        a2.set_title(
            f"{zc.size} bins with $\\geq{min_counts}$ counts: "
            f"$\\langle z^2\\rangle={np.mean(zc**2):.2f}$, "
            f"$|z|<2$: {100 * np.mean(np.abs(zc) < 2):.1f}%, "
            f"max $|z|={np.max(np.abs(zc)):.2f}$",
            fontsize=7.5,
        )
    a1.set_ylabel("$S(L)$ + 3 $k$")
    a1.legend(ncol=4, fontsize=6, frameon=False)
    a2.set_ylabel("$z$")
    a2.set_xlabel("$L$")
    a2.set_xlim(0, 1)
    style.savefig(fig, path)


# ----------------------------------------------------------------------------- tables


def inflection_markdown(infl: pd.DataFrame) -> str:
    out = [
        "# Microcanonical inflection points of S(L) (Fig. 8)",
        "",
        "Least-sensitive inflection points (Qi & Bachmann, PRL 120, 180601, 2018): peaks of",
        "gamma(L) = d beta/dL of the smoothed entropy. gamma > 0 at the peak: beta bends back,",
        "S is convex there (first-order-like); gamma < 0: second-order-like.",
        "",
    ]
    out += markdown_table(
        ["n_h", "L", "beta", "gamma", "kind"],
        (
            [str(int(r["n_h"])), f"{r['L']:.4f}", f"{r['beta']:.4g}", f"{r['gamma']:.4g}",
             str(r["kind"])]
            for _, r in infl.sort_values(["n_h", "L"]).iterrows()
        ),
        rule="|---:|---:|---:|---:|---|",
    )
    return "\n".join(out) + "\n"


def barriers_markdown(
    intr: pd.DataFrame, summ: pd.DataFrame, minor: pd.DataFrame, msumm: pd.DataFrame
) -> str:
    out = [
        "# Entropic barriers: convex intruders and minor peaks of S(L) (Fig. 8)",
        "",
        "Convex intruder: stretch between two vertices of the concave hull of S(L) where S",
        "lies below the hull; depth = largest gap (units of ln g), error = error band of S",
        "there. Minor peak: local maximum of S away from L = 0, 1/4, 1/2, 3/4, 1; its",
        "prominence is the barrier it creates. Only significant ones are listed",
        "(thresholds: docs/entropy.md).",
        "",
        "## Largest convex intruder per quarter of the loss axis",
        "",
    ]
    regions = list(dict.fromkeys(summ["region"]))
    rows = []
    for nh, g in summ.groupby("n_h", sort=True):
        cells = [str(int(nh))]
        for r in regions:
            s = g[g["region"] == r].iloc[0]
            cells.append(
                "-"
                if s["n_intruders"] == 0
                else f"{s['depth']:.2f} ± {s['depth_err']:.2f} (L={s['L_max']:.3f})"
            )
        rows.append(cells)
    out += markdown_table(
        ["n_h", *(f"L in [{r.replace('-', ', ')}]" for r in regions)],
        rows,
        rule="|---:|" + "---:|" * len(regions),
    )
    out += ["", "## Minor peaks per n_h", ""]
    out += markdown_table(
        ["n_h", "significant minor peaks", "largest prominence", "at L", "sum of prominences"],
        (
            [
                str(int(r["n_h"])),
                str(int(r["n_minor"])),
                f"{r['max_prominence']:.2f} ± {r['max_prominence_err']:.2f}",
                "-" if not np.isfinite(r["L"]) else f"{r['L']:.3f}",
                f"{r['sum_prominence']:.2f}",
            ]
            for _, r in msumm.sort_values("n_h").iterrows()
        ),
        rule="|---:|---:|---:|---:|---:|",
    )
    out += ["", "## All significant minor peaks", ""]
    out += markdown_table(
        ["n_h", "L", "S", "prominence", "error"],
        (
            [str(int(r["n_h"])), f"{r['L']:.3f}", f"{r['S']:.2f}", f"{r['prominence']:.3f}",
             f"{r['prominence_err']:.3f}"]
            for _, r in minor[minor["significant"]].sort_values(["n_h", "L"]).iterrows()
        ),
        rule="|---:|---:|---:|---:|---:|",
    )
    out += ["", "## All significant convex intruders", ""]
    sig = intr[intr["significant"]].sort_values(["n_h", "L_left"])
    out += markdown_table(
        ["n_h", "L_left", "L_right", "L at max gap", "depth", "error"],
        (
            [str(int(r["n_h"])), f"{r['L_left']:.3f}", f"{r['L_right']:.3f}",
             f"{r['L_max']:.3f}", f"{r['depth']:.3f}", f"{r['depth_err']:.3f}"]
            for _, r in sig.iterrows()
        ),
        rule="|---:|---:|---:|---:|---:|---:|",
    )
    return "\n".join(out) + "\n"


def gates_entropy(df: pd.DataFrame, min_loss: dict, infimum_nh1: dict, path):
    """Supplementary (issue 10): S(L) of each gate in ``df`` (dataset ``entropy_gates``), one
    panel per n_h, with the lowest loss each run reached (``min_loss``: "gate_nhN" -> L) and,
    at n_h = 1, the infimum of the loss for every gate whose infimum is above 0."""
    style.apply()
    n_hs = sorted(df["n_h"].unique())
    gates = list(dict.fromkeys(df["gate"]))
    fig, axes = _nh_panels(len(n_hs))
    cols = _colors(len(gates))
    for ax, nh in zip(axes, n_hs, strict=True):
        for g, c in zip(gates, cols, strict=True):
            d = df[(df["gate"] == g) & (df["n_h"] == nh)].sort_values("bin")
            low = min_loss.get(f"{g}_nh{nh}", float("nan"))
            _band(ax, 0.5 * (d["L_lo"] + d["L_hi"]), d["S"], d["S_err"], c,
                  f"{g.upper()} (lowest $L$ {low:.2g})")
        if nh == 1:
            for g, c in zip(gates, cols, strict=True):
                if infimum_nh1.get(g, 0.0) > 0.0:
                    ax.axvline(infimum_nh1[g], color=c, lw=0.6, ls="--")
                    ax.text(infimum_nh1[g], 0.97, f" {g.upper()}: inf $L$ = {infimum_nh1[g]:.4g}",
                            transform=ax.get_xaxis_transform(), fontsize=6, va="top", color=c)
        _finish_nh_panel(ax, nh)
        ax.legend(frameon=False, fontsize=6, loc="lower center")
    axes[0].set_ylabel("$S(L)$")
    style.savefig(fig, path)
