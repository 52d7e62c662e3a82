"""Figures 1-4 and the training-stage supplements (learning-rate window, optimizers)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Circle, FancyArrowPatch

from .. import gates
from .. import model as M
from .. import paper as P
from . import style

CASE_TITLES = [f"case $(x_1,x_2)=({a},{b})$" for a, b in ((0, 0), (0, 1), (1, 0), (1, 1))]


def fig1(path):
    """Fig. 1: the 2-2-1 network with every weight and bias labelled as in the paper."""
    style.apply()
    fig, ax = plt.subplots(figsize=(style.ONE_COL * 1.3, style.ONE_COL * 0.95))
    pos_in = {1: (0.0, 0.72), 2: (0.0, 0.18)}
    pos_h = {1: (1.4, 0.72), 2: (1.4, 0.18)}
    pos_o = (2.4, 0.45)
    r = 0.1

    def node(xy, text, color):
        ax.add_patch(Circle(xy, r, fc=color, ec="k", lw=1.0, zorder=3))
        ax.text(*xy, text, ha="center", va="center", zorder=4, fontsize=10)

    def link(a, b, label, frac, dy):
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=9, lw=0.9,
                                     shrinkA=r * 72 * 1.05, shrinkB=r * 72 * 1.05, color="0.25",
                                     zorder=2))
        x = a[0] + frac * (b[0] - a[0])
        y = a[1] + frac * (b[1] - a[1]) + dy
        ax.text(x, y, label, ha="center", va="center", fontsize=8.5,
                bbox=dict(fc="white", ec="none", pad=0.5), zorder=3)

    for j, xy in pos_in.items():
        node(xy, f"$x_{j}$", "#e8e8e8")
    for i, xy in pos_h.items():
        node(xy, f"$a_{i}^{{(1)}}$", "#cfe3f7")
        ax.text(xy[0], xy[1] + 0.17, f"$b_{i}^{{(1)}}$", ha="center", fontsize=8.5)
    node(pos_o, r"$a_1^{(2)}$", "#f7d9c4")
    ax.text(pos_o[0], pos_o[1] + 0.17, r"$b_1^{(2)}$", ha="center", fontsize=8.5)
    # (frac along the link, vertical offset) of each hidden-layer weight label
    offs = {(1, 1): (0.5, 0.06), (1, 2): (0.66, -0.075), (2, 1): (0.82, 0.075), (2, 2): (0.5, -0.06)}
    for i, h in pos_h.items():
        for j, x in pos_in.items():
            f, dy = offs[(i, j)]
            link(x, h, f"$w_{{{i}{j}}}^{{(1)}}$", f, dy)
    for i, h in pos_h.items():
        link(h, pos_o, f"$w_{{1{i}}}^{{(2)}}$", 0.5, 0.06 if i == 1 else -0.06)
    ax.annotate("", xy=(2.82, 0.45), xytext=(2.4 + r, 0.45),
                arrowprops=dict(arrowstyle="-|>", lw=0.9, color="0.25"))
    ax.text(2.87, 0.45, r"$\hat y$", va="center", fontsize=10)
    for x, t in ((0.0, "input\n$l=0$"), (1.4, "hidden\n$l=1$"), (2.4, "output\n$l=2$")):
        ax.text(x, -0.08, t, ha="center", va="top", fontsize=8, color="0.3")
    ax.set_xlim(-0.25, 3.0)
    ax.set_ylim(-0.3, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    style.savefig(fig, path)


def _run_label(n_h, eta):
    return rf"$n_h={n_h}$, $\eta={eta:g}$"


def fig2(runs: list[pd.DataFrame], meta: list[dict], fits: pd.DataFrame, geff: pd.DataFrame, path):
    """Fig. 2: loss vs epoch (log-log) per learning rate, n_h = 18 for comparison, power-law
    reference lines with the fitted gamma; (b) running exponent gamma_eff(tau)."""
    style.apply()
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(style.ONE_COL * 1.45, style.ONE_COL * 1.9),
                                 gridspec_kw={"height_ratios": [2.2, 1]}, sharex=True)
    n2 = sorted({m["eta"] for m in meta if m["n_h"] == 2})
    cmap = plt.get_cmap("viridis")
    colors = {}
    for k, eta in enumerate(n2):
        colors[(2, eta)] = cmap(k / max(len(n2) - 1, 1) * 0.9)
    for m in meta:
        colors.setdefault((m["n_h"], m["eta"]), "crimson")
    gam = {f["run"]: f["gamma"] for _, f in fits.iterrows()}
    for df, m in zip(runs, meta, strict=True):
        c = colors[(m["n_h"], m["eta"])]
        d = df[df["epoch"] > 0]
        ls = "-" if m["n_h"] == 2 else "--"
        g = gam.get(m["label"], np.nan)
        lab = _run_label(m["n_h"], m["eta"]) + (rf", $\gamma={g:.2f}$" if np.isfinite(g) else "")
        ax.plot(d["epoch"], d["batch_loss"], ls, color=c, lw=0.8, label=lab)
        g = geff[geff["run"] == m["label"]]
        bx.plot(g["epoch"], g["gamma_eff"], ls, color=c, lw=0.8)
    for _, f in fits.iterrows():
        if not np.isfinite(f["gamma"]):
            continue
        df = runs[[m["label"] for m in meta].index(f["run"])]
        t = np.geomspace(f["tau_min"], f["tau_max"], 10)
        sel = (df["epoch"] >= f["tau_min"]) & (df["epoch"] <= f["tau_max"])
        y0 = np.exp(np.mean(np.log(df.loc[sel, "full_loss"]) + f["gamma"] * np.log(df.loc[sel, "epoch"])))
        ax.plot(t, 3.0 * y0 * t ** (-f["gamma"]), ":", color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"loss $L$ (randomized batch)")
    ax.legend(loc="lower left", ncol=2, frameon=False, fontsize=6)
    ax.set_title(r"(a) dotted: fitted $L\propto\tau^{-\gamma}$ (Eq. 7), shifted up", loc="left", fontsize=8)
    for nh, gval in sorted(P.GAMMA.items()):
        lab = rf"paper $n_h={nh}$: $\gamma\approx{gval:.1f}$"
        bx.axhline(gval, color="0.5", lw=0.6, ls="--")
        bx.text(1.5, gval + 0.04, lab, fontsize=6, color="0.35")
    bx.set_ylim(-0.5, 2.5)
    bx.set_xlabel(r"epoch $\tau$")
    bx.set_ylabel(r"$\gamma_{\rm eff}=-\frac{d\ln L}{d\ln\tau}$")
    bx.set_title("(b)", loc="left")
    style.savefig(fig, path)


def fig3(df: pd.DataFrame, n_h: int, path):
    """Fig. 3: drift of (a) hidden-layer and (b) output-layer weights and biases vs epoch."""
    style.apply()
    names, labels = M.param_names(n_h), M.param_labels(n_h)
    hid = [k for k, n in enumerate(names) if n.startswith(("w1_", "b1_"))]
    out = [k for k, n in enumerate(names) if n.startswith(("w2_", "b2_"))]
    fig, axes = plt.subplots(1, 2, figsize=(style.TWO_COL, style.ONE_COL * 0.85))
    d = df[df["epoch"] > 0]
    for ax, idx, title in ((axes[0], hid, "(a) hidden layer"), (axes[1], out, "(b) output layer")):
        for k in idx:
            ls = "-" if names[k].startswith("w") else "--"
            ax.plot(d["epoch"], d[names[k]], ls, lw=1.0, label=labels[k])
        ax.set_xscale("log")
        ax.set_xlabel(r"epoch $\tau$")
        ax.set_title(title, loc="left")
        ax.legend(frameon=False, ncol=2)
    axes[0].set_ylabel("parameter value")
    style.savefig(fig, path)


def fig4(df: pd.DataFrame, n_h: int, path, gate: str = "xor"):
    """Fig. 4: activations of hidden and output neurons for each case vs epoch (dotted: the
    target of ``gate``)."""
    y = gates.targets(gate)
    style.apply()
    fig, axes = plt.subplots(2, 2, figsize=(style.TWO_COL, style.ONE_COL * 1.4), sharex=True, sharey=True)
    d = df[df["epoch"] > 0]
    for m, ax in enumerate(axes.flat):
        for i in range(n_h):
            ax.plot(d["epoch"], d[f"a1_{i + 1}_c{m}"], lw=1.0, label=f"$a_{i + 1}^{{(1)}}$")
        ax.plot(d["epoch"], d[f"a2_1_c{m}"], "k", lw=1.4, label=r"$a_1^{(2)}$")
        ax.axhline(y[m], color="0.6", lw=0.6, ls=":")
        ax.set_xscale("log")
        ax.set_title(CASE_TITLES[m] + f", $y={int(y[m])}$", loc="left", fontsize=8.5)
        ax.set_ylim(-0.05, 1.05)
    axes[0, 0].legend(frameon=False, loc="center left", labelspacing=0.9)
    for ax in axes[1]:
        ax.set_xlabel(r"epoch $\tau$")
    for ax in axes[:, 0]:
        ax.set_ylabel("activation")
    style.savefig(fig, path)


def lr_window(windows, inits: pd.DataFrame, path, paper=P.ETA_WINDOW):
    """(a) Epochs to convergence vs learning rate per batch mode, failures at the cap, window
    edges; (b) fraction of random initializations that converge vs learning rate."""
    style.apply()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(style.TWO_COL, style.ONE_COL * 0.85))
    colors = {"randomized": "C0", "full": "C1"}
    for a in (ax, bx):
        a.axvspan(*paper, color="0.92", zorder=0)
    ax.text(paper[0] * 1.1, 0.97, f"grey: paper [{paper[0]}, {paper[1]}]", fontsize=6.5, color="0.4",
            transform=ax.get_xaxis_transform(), va="top")
    for rows, s in windows:
        c = colors.get(s["batch"], "k")
        ok = rows[rows["converged"]]
        bad = rows[~rows["converged"]]
        ax.plot(ok["eta"], ok["epochs"], "o", ms=2.5, color=c, label=f"{s['batch']} batch")
        ax.plot(bad["eta"], np.full(len(bad), s["max_epochs"]), "x", ms=3.5, color=c)
        if s.get("window"):
            for e in s["window"]:
                ax.axvline(e, color=c, lw=0.7, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel(r"epochs to $L_{\rm full}<0.005$ (x: not by the cap)")
    ax.legend(frameon=False, fontsize=6.5, loc="lower left")
    ax.set_title("(a) the Fig. 2 initialization", loc="left", fontsize=8.5)
    for batch, d in inits.groupby("batch", sort=False):
        f = d.groupby("eta")["converged"].mean()
        bx.plot(f.index, f.values, "o-", ms=2.5, lw=0.9, color=colors.get(batch, "k"), label=f"{batch} batch")
    bx.set_xscale("log")
    bx.set_ylim(-0.03, 1.03)
    bx.set_xlabel(r"learning rate $\eta$")
    bx.set_ylabel("fraction converged")
    bx.set_title(f"(b) {inits['init'].nunique()} random initializations, cap {inits['epochs'].max():.0e} epochs",
                 loc="left", fontsize=8.5)
    bx.legend(frameon=False, fontsize=6.5)
    style.savefig(fig, path)


def optimizers(traj: pd.DataFrame, order: pd.DataFrame, n_h: int, path, agreement=None):
    """GD vs Adam vs zero-T MC: loss vs epoch and the epoch at which each parameter separates."""
    style.apply()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(style.TWO_COL, style.ONE_COL * 0.9))
    names = {"gd": "gradient descent", "adam": "Adam", "mc": "zero-T MC (sweeps)"}
    for opt, d in traj.groupby("optimizer", sort=False):
        d = d[d["epoch"] > 0]
        ax.plot(d["epoch"], d["full_loss"], lw=1.0, label=names.get(opt, opt))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"epoch $\tau$")
    ax.set_ylabel("full-batch loss")
    ax.legend(frameon=False)
    ax.set_title("(a)", loc="left")
    labels = dict(zip(M.param_names(n_h), M.param_labels(n_h), strict=True))
    params = M.param_names(n_h)
    opts = list(dict.fromkeys(order["optimizer"]))
    width = 0.8 / max(len(opts), 1)
    for k, opt in enumerate(opts):
        o = order[order["optimizer"] == opt].set_index("param").loc[params]
        ax_x = np.arange(len(params)) + (k - (len(opts) - 1) / 2) * width
        tau = (agreement or {}).get(f"kendall_tau_gd_{opt}")
        lab = names.get(opt, opt) + (f" (Kendall $\\tau$ vs GD {tau:.2f})" if tau is not None else "")
        h = o["separation_epoch"].to_numpy(float)
        bx.bar(ax_x, np.nan_to_num(h, nan=0.0), width, label=lab)
        for x, y, r in zip(ax_x, h, o["rank"], strict=True):
            if np.isfinite(y):
                bx.text(x, y * 1.12, str(r), ha="center", va="bottom", fontsize=5.5)
    bx.set_yscale("log")
    bx.set_xticks(np.arange(len(params)), [labels[p] for p in params], rotation=60)
    bx.set_ylabel("separation epoch")
    bx.set_title("(b) epoch each parameter leaves its start (rank on top)", loc="left", fontsize=8)
    bx.legend(frameon=False, fontsize=6.5)
    style.savefig(fig, path)
