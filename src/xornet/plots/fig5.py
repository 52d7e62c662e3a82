"""Fig. 5: epoch of convergence tau_conv vs the shift of one parameter of solution #1."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import model as M
from . import style

MARKERS = ["o", "s", "^", "v", "D", "P"]


def fig5(points: pd.DataFrame, path, *, cap: int, n_h: int, band: bool = True):
    """(a) weights, (b) biases: 1 + tau_conv on a log axis (tau_conv = 0 is possible: the
    unshifted #1 is already converged). Lines: tau_conv of the replica ensemble; shaded:
    bootstrap CI of the median single-replica convergence epoch; crosses at the cap: not
    converged within the cap (recorded, never dropped); open circles: converged, but most
    replicas in another symmetry class than #1 (``frac_same_class`` < 0.5). Only the Delta grid is drawn, the
    bisection points live in the plateau table."""
    style.apply()
    params = M.param_names(n_h)
    labels = dict(zip(params, M.param_labels(n_h), strict=True))
    weights, biases = [n for n in params if n[0] == "w"], [n for n in params if n[0] == "b"]
    grid = points[points["phase"] == "grid"]
    fig, axes = plt.subplots(1, 2, figsize=(style.TWO_COL, style.TWO_COL * 0.4), sharey=True)
    for ax, names, tag in ((axes[0], weights, "(a)"), (axes[1], biases, "(b)")):
        for k, name in enumerate(n for n in names if n in set(grid["param"])):
            d = grid[grid["param"] == name].sort_values("delta")
            x = d["delta"].to_numpy()
            ok = d["converged"].to_numpy()
            y = d["tau_conv"].to_numpy(float) + 1.0
            color = f"C{k}"
            yc = np.where(ok, y, np.nan)
            ax.plot(x, yc, "-", color=color, lw=0.9, marker=MARKERS[k % len(MARKERS)], ms=2.2,
                    mew=0, label=labels[name])
            if band:
                ax.fill_between(x, d["median_ci_low"].to_numpy() + 1, d["median_ci_high"].to_numpy() + 1,
                                color=color, alpha=0.18, lw=0)
            other = ok & (d["frac_same_class"].to_numpy() < 0.5)
            if other.any():  # converged, but mostly to another solution than #1
                ax.plot(x[other], y[other], "o", mfc="none", mec=color, ms=4.0, mew=0.7)
            if (~ok).any():
                ax.plot(x[~ok], np.full((~ok).sum(), cap + 1.0), "x", color=color, ms=3.5, mew=0.9)
        ax.axhline(cap + 1.0, color="0.5", lw=0.6, ls=":")
        ax.set_yscale("log")
        ax.set_xlabel(r"$\Delta w_{ij}^{(l)}$" if tag == "(a)" else r"$\Delta b_{i}^{(l)}$")
        ax.text(0.03, 0.95, tag, transform=ax.transAxes, va="top", fontweight="bold")
        ax.legend(loc="upper center", ncol=3, frameon=False, fontsize=7)
    axes[0].set_ylabel(r"$1 + \tau_{\rm conv}$")
    axes[0].set_ylim(0.6, (cap + 1.0) * 100)  # headroom for the legends above the cap line
    fig.text(0.5, -0.07, rf"$\times$ at the cap ($10^{{{np.log10(cap):.3g}}}$ epochs, dotted): "
             "not converged; open circles: most replicas converged to a solution other than #1;\n"
             "shaded: bootstrap CI of the median single-replica convergence epoch",
             ha="center", fontsize=7)
    fig.tight_layout()
    style.savefig(fig, path)
