"""Figs. 6 and 7 (Sec. III.C) and the supplementary figure of all 36 cross-sections.

Plotting only: every number drawn comes from the Parquet datasets of
:mod:`xornet.landscape` (grids, features, trajectories, randomized scans).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

from .. import model as M
from . import style
from .tables import markdown_table

NORM = Normalize(vmin=0.0, vmax=1.0)
TICKS = [0.0, 0.25, 0.5, 0.75, 1.0]


def delta_label(name: str, n_h: int) -> str:
    """Axis label: Delta and the paper's symbol, e.g. ``$\\Delta b_{1}^{(1)}$``."""
    lab = M.param_labels(n_h)[M.param_index(name, n_h)]
    return r"$\Delta " + lab.strip("$") + "$"


def draw_section(ax, d, L, cmap=None):
    """Loss cross-section ``L[j, i]`` at (d[i], d[j]) with the paper's colour levels."""
    h = (d[1] - d[0]) / 2.0
    return ax.imshow(L, origin="lower", extent=(d[0] - h, d[-1] + h, d[0] - h, d[-1] + h),
                     cmap=cmap or style.loss_cmap(), norm=NORM, interpolation="nearest",
                     aspect="equal", rasterized=True)


def draw_paths(ax, traj: pd.DataFrame, x: str, y: str, lw: float = 1.2, ms: float = 4.0):
    """Trajectories on pair (x, y) (either axis order): white path, red start, end marker
    (circle: converged, cross: stuck or still running)."""
    out = []
    for label, t in traj.groupby("label", sort=True):
        tx, ty = str(t["x"].iloc[0]), str(t["y"].iloc[0])
        if {tx, ty} != {x, y}:
            continue
        t = t.sort_values("epoch")
        px, py = (t["dx"], t["dy"]) if (tx, ty) == (x, y) else (t["dy"], t["dx"])
        px, py = px.to_numpy(), py.to_numpy()
        ax.plot(px, py, "-", color="white", lw=lw + 1.0, solid_capstyle="round", zorder=3)
        ax.plot(px, py, "-", color="black", lw=lw * 0.6, zorder=4)
        ax.plot(px[0], py[0], "o", color="red", ms=ms, mec="white", mew=0.6, zorder=5)
        end = str(t["status"].iloc[-1])
        ax.plot(px[-1], py[-1], "o" if end == "converged" else "X", color="white",
                mec="black", mew=0.6, ms=ms * 0.9, zorder=5)
        out.append(label)
    return out


def _tag(ax, text, x=0.04, y=0.96, ha="left", va="top"):
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontweight="bold", zorder=6,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))


def _limits(ax, d):
    ax.set_xlim(d[0], d[-1])
    ax.set_ylim(d[0], d[-1])


def fig6(grids: dict, features: pd.DataFrame, traj: pd.DataFrame, path, *, n_h: int):
    """Six panels (a)-(f) in a 2 x 3 layout with a shared colour bar."""
    from ..landscape import section

    style.apply()
    panels = features[features["panel"] != ""].sort_values("panel")
    fig, axs = plt.subplots(2, 3, figsize=(style.TWO_COL, 4.55), constrained_layout=True)
    im = None
    for ax, (_, r) in zip(axs.flat, panels.iterrows(), strict=False):
        x, y = r["panel_x"], r["panel_y"]
        d, L = section(grids, x, y)
        im = draw_section(ax, d, L)
        draw_paths(ax, traj, x, y)
        _limits(ax, d)
        ax.set_xlabel(delta_label(x, n_h))
        ax.set_ylabel(delta_label(y, n_h), labelpad=0)
        _tag(ax, f"({r['panel']})")
    cb = fig.colorbar(im, ax=axs, ticks=TICKS, shrink=0.9, aspect=30, pad=0.01)
    cb.set_label("loss $L$")
    style.savefig(fig, path)


def landscape_all(grids: dict, features: pd.DataFrame, traj: pd.DataFrame, path, *,
                  n_h: int):
    """All cross-sections (stored pair order), titled with the features behind the panel
    choice; the Fig. 6 panel letter where chosen."""
    from ..landscape import section

    style.apply()
    n = len(features)
    ncol = int(np.ceil(np.sqrt(n)))
    nrow = int(np.ceil(n / ncol))
    fig, axs = plt.subplots(nrow, ncol, figsize=(1.55 * ncol + 1.0, 1.75 * nrow),
                            constrained_layout=True)
    im = None
    for ax, (_, r) in zip(axs.flat, features.iterrows(), strict=False):
        x, y = str(r["panel_x"]), str(r["panel_y"])  # Fig. 6 axis order where it is a panel
        d, L = section(grids, x, y)
        im = draw_section(ax, d, L)
        draw_paths(ax, traj, x, y, lw=0.8, ms=2.5)
        _limits(ax, d)
        ax.set_xlabel(delta_label(x, n_h), fontsize=7, labelpad=0)
        ax.set_ylabel(delta_label(y, n_h), fontsize=7, labelpad=0)
        ax.tick_params(labelsize=5.5, length=2)
        tag = f"Fig. 6({r['panel']})  " if r["panel"] else ""
        desc = ("well" if r["well_isolated"] else f"open r={r['well_inscribed']:.1f}")
        desc += f", red {100 * r['red_frac']:.1f}%, tr {1000 * r['trench_025']:.1f}\u2030"
        ax.set_title(f"{tag}{desc}", fontsize=5.5, pad=2,
                     fontweight="bold" if r["panel"] else "normal")
    for ax in list(axs.flat)[n:]:
        ax.set_visible(False)
    cb = fig.colorbar(im, ax=axs, ticks=TICKS, shrink=0.5, pad=0.01)
    cb.set_label("loss $L$")
    style.savefig(fig, path)


def fig7(scans: pd.DataFrame, rms: pd.DataFrame, x: str, y: str, path, n_scans: int, *,
         n_h: int):
    """(a) one randomized scan, (b) average of ``n_scans``, (c) RMS vs k with k^-1/2."""
    style.apply()
    n = int(scans["i"].max()) + 1
    d = np.empty(n)
    d[scans["i"].to_numpy()] = scans["dx"].to_numpy()

    def grid(col):
        G = np.full((n, n), np.nan)
        G[scans["j"].to_numpy(), scans["i"].to_numpy()] = scans[col].to_numpy()
        return G

    fig, (ax_a, ax_b, ax_c) = plt.subplots(
        1, 3, figsize=(style.TWO_COL, 2.5), constrained_layout=True,
        gridspec_kw={"width_ratios": [1, 1, 1.15]})
    for ax, col, tag in ((ax_a, "loss_one", "(a)"), (ax_b, "loss_mean", "(b)")):
        im = draw_section(ax, d, grid(col))
        _limits(ax, d)
        ax.set_xlabel(delta_label(x, n_h))
        _tag(ax, tag)
    ax_a.set_ylabel(delta_label(y, n_h), labelpad=0)
    ax_b.set_yticklabels([])
    cb = fig.colorbar(im, ax=[ax_a, ax_b], ticks=TICKS, shrink=0.8, aspect=25, pad=0.02)
    cb.set_label("loss $L$")
    k = rms["k"].to_numpy()
    ax_c.loglog(k, rms["rms"], "o", ms=2.5, color="C0", label="mean of $k$ scans")
    ax_c.loglog(k, rms["rms_expected"], "-", color="0.4", lw=0.8,
                label=r"$\sqrt{\langle \mathrm{Var}\,L\rangle / k}$")
    ax_c.loglog(k, rms["rms"].iloc[0] * k ** -0.5, "--", color="C3", lw=1.0,
                label=r"$\propto k^{-1/2}$")
    ax_c.set_xlabel("number of scans $k$")
    ax_c.set_ylabel("RMS deviation from full batch")
    ax_c.legend(loc="upper right", frameon=False)
    _tag(ax_c, "(c)", x=0.04, y=0.04, va="bottom")
    style.savefig(fig, path)


def trajectories_markdown(summary: pd.DataFrame, threshold: float, stall_tol: float = float("nan"),
                          max_epochs: int = 0, **_) -> str:
    """Table of trajectory outcomes beside the paper's description (Sec. III.C.1)."""
    lines = [
        "# Fig. 6 trajectories: outcome vs the paper",
        "",
        "Steepest descent (nonrandomized batch) on the two free parameters, the other seven "
        "fixed at solution #1; Delta = deviation from the optimum. *converged*: full-batch loss "
        f"< {threshold:g}; *stuck*: the loss fell by less than {stall_tol:g} over the last "
        f"decade of epochs; *running*: still descending (slowly) at the epoch cap "
        f"({max_epochs:,}). "
        "|grad| is the gradient norm on the two free parameters at the end.",
        "",
    ]
    rows = []
    for _, r in summary.iterrows():
        ps = "" if np.isnan(r["paper_start_loss"]) else f" ({r['paper_start_loss']:g})"
        paper = (f"{r['paper_outcome']}: {r['paper_text']}" if r["paper_outcome"] else "—")
        rows.append([
            f"{r['panel'] or '—'}", f"({r['x']}, {r['y']})", f"({r['dx0']:g}, {r['dy0']:g})",
            f"{r['start_loss']:.3f}{ps}", f"{r['eta']:g}", f"**{r['outcome']}**",
            f"{r['epochs']:,}", f"{r['final_loss']:.4g}",
            f"({r['dx_end']:.2f}, {r['dy_end']:.2f})"
            f"{' (outside window)' if r['outside_window'] else ''}",
            f"{r['grad_norm']:.1e}", f"{r['levels_visited']}", paper,
            ("yes" if r["agrees"] else "NO") if r["paper_outcome"] else "—"])
    lines += markdown_table(
        ["panel", "pair (x, y)", "start (Δx, Δy)", "L start (paper)", "η", "outcome", "epochs",
         "final L", "end (Δx, Δy)", "\\|grad\\|", "levels visited", "paper", "agrees"], rows)
    lines.append("")
    return "\n".join(lines)
