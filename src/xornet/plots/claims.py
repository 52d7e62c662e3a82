"""Figure-like summary of the reproduction scorecard (xornet.claims) and README thumbnails."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import style

COLOUR = {"reproduced": "#2e9e44", "differs": "#d62728", "not checkable": "#9e9e9e",
          "not applicable": "#c8c8e8"}


def _colour(r) -> str:
    return COLOUR.get(r["verdict"], "#9e9e9e")


def scorecard(df: pd.DataFrame, path) -> None:
    """(a) one tile per claim, grouped by paper section, coloured by verdict (CI-scale tiles
    hatched, with the colour of what the check found); (b) reproduced / paper value for the
    claims with a number, log scale, with the verdict colour."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    style.apply()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(style.TWO_COL, 3.6),
                                 gridspec_kw={"width_ratios": [1.4, 1]})
    # one row per subsection letter (A-D) plus Table I
    rows = {}
    for _, r in df.iterrows():
        key = "Table I" if r["id"].startswith("T") else f"III.{r['id'][0]}"
        rows.setdefault(key, []).append(r)
    for key in rows:  # tiles in id order (A18 after A17)
        rows[key].sort(key=lambda r: int("".join(ch for ch in r["id"] if ch.isdigit()) or 0))
    labels = list(rows)
    ncol = max(len(v) for v in rows.values())
    for i, key in enumerate(labels):
        y = len(labels) - 1 - i
        for j, r in enumerate(rows[key]):
            ci = bool(r["ci_scale"])
            face = COLOUR.get(r["outcome"], "#9e9e9e") if ci else _colour(r)
            ax.add_patch(Rectangle((j, y), 0.92, 0.85, facecolor=face, alpha=0.45 if ci else 0.9,
                                   hatch="///" if ci else None, edgecolor="white", lw=0.5))
            ax.text(j + 0.46, y + 0.42, r["id"], ha="center", va="center", fontsize=5)
    ax.set_xlim(-0.1, ncol)
    ax.set_ylim(-0.1, len(labels))
    ax.set_yticks(np.arange(len(labels)) + 0.42, labels[::-1])
    ax.set_xticks([])
    for s in ("top", "right", "bottom"):
        ax.spines[s].set_visible(False)
    ax.tick_params(left=False, right=False, top=False, bottom=False)
    n = {v: int((df["verdict"] == v).sum()) for v in COLOUR}
    ax.legend(handles=[Patch(color=COLOUR["reproduced"], label=f"reproduced ({n['reproduced']})"),
                       Patch(color=COLOUR["differs"], label=f"differs ({n['differs']})"),
                       Patch(color=COLOUR["not checkable"],
                             label=f"not checkable ({n['not checkable']})"),
                       *([Patch(color=COLOUR["not applicable"],
                                label=f"not applicable: other gate ({n['not applicable']})")]
                         if n["not applicable"] else []),
                       Patch(facecolor="white", edgecolor="k", hatch="///",
                             label=f"CI-scale input ({int(df['ci_scale'].sum())})")],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, frameon=False)
    ax.set_title("(a) claims by section", loc="left")

    num = df[np.isfinite(df["paper_number"]) & np.isfinite(df["reproduced_number"])
             & (df["paper_number"] != 0)].copy()
    num["ratio"] = num["reproduced_number"] / num["paper_number"]
    num = num[num["ratio"] > 0]
    y = np.arange(len(num))[::-1]
    bx.axvline(1.0, color="k", lw=0.6)
    for yy, (_, r) in zip(y, num.iterrows(), strict=True):
        c = COLOUR.get(r["outcome"], "#9e9e9e") if r["ci_scale"] else _colour(r)
        bx.plot(r["ratio"], yy, "o", mfc=c if not r["ci_scale"] else "white", mec=c, ms=4)
    bx.set_xscale("log")
    bx.set_yticks(y, [f"{r['id']}: {r['paper_value']}" for _, r in num.iterrows()], fontsize=6)
    bx.set_xlabel("reproduced / paper")
    bx.set_title("(b) numerical claims", loc="left")
    if len(num):
        lo, hi = num["ratio"].min(), num["ratio"].max()
        bx.set_xlim(min(0.3, lo / 1.5), max(3.0, hi * 1.5))
    bx.set_ylim(-0.7, max(len(num), 1) - 0.3)
    fig.tight_layout()
    style.savefig(fig, path)


def thumbnail(src, dst, max_width: int = 900) -> tuple[int, int]:
    """Copy PNG ``src`` to ``dst`` scaled down to at most ``max_width`` pixels wide."""
    from PIL import Image

    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(src) as im:
        im = im.convert("RGB")
        if im.width > max_width:
            im = im.resize((max_width, round(im.height * max_width / im.width)), Image.LANCZOS)
        # 256-colour palette: a third of the size, no visible loss for line plots and maps
        im = im.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        im.save(dst, format="PNG", optimize=True)
        return im.width, im.height
