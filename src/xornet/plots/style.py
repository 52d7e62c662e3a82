"""Shared figure style: paper-like fonts and sizes, deterministic files, the loss colour map."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

RC = {
    "font.size": 9,
    "axes.labelsize": 10,
    "axes.titlesize": 10,
    "legend.fontsize": 7.5,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "figure.dpi": 150,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,
    "svg.hashsalt": "xornet",
}

#: single-column and double-column widths of J. Phys. A (inches)
ONE_COL = 3.4
TWO_COL = 7.0


def apply():
    matplotlib.rcParams.update(RC)


def loss_cmap():
    """Loss colour map of Figs. 6-7: 0 dark blue, 0.25 turquoise, 0.5 yellow, 0.75 red, 1 dark red."""
    return LinearSegmentedColormap.from_list(
        "xornet_loss",
        [(0.0, "#0b1a6e"), (0.25, "#2ec4c4"), (0.5, "#f5e12a"), (0.75, "#d7261e"), (1.0, "#5a0a0a")],
    )


def savefig(fig, path, **kw):
    """Save with fixed metadata (no creation date), so reruns give identical files; also
    writes a PNG beside every PDF for the README gallery and the HTML report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"CreationDate": None} if path.suffix == ".pdf" else {}
    fig.savefig(path, metadata={**meta, "Creator": "xornet"} if path.suffix == ".pdf" else None, **kw)
    if path.suffix == ".pdf":
        fig.savefig(path.with_suffix(".png"), metadata={"Software": "xornet"}, **kw)
    plt.close(fig)
