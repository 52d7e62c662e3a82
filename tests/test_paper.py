"""xornet.paper: every value is in the paper's text where it says, every name has a location, the
config defaults that copy a paper value agree with it, and no copy of the paper's printed numbers
lives anywhere else in src/ or workflow/."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xornet import config, paper

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT.parent / "shared" / "paper" / "yang-arora-bachmann-2025-dissecting-a-small-ann.txt")
DEFAULTS = config.load(ROOT / "config.yaml")


QUOTES = ROOT / "tests" / "paper_quotes.txt"


def _text():
    """The paper's full text where it is available (not part of the repository), else the
    sentences quoted from it in tests/paper_quotes.txt."""
    return (TEXT if TEXT.exists() else QUOTES).read_text()


def test_the_quotes_are_verbatim():
    quotes = [ln for ln in QUOTES.read_text().splitlines() if ln and not ln.startswith("# ")]
    assert len(quotes) >= 25
    if TEXT.exists():
        full = TEXT.read_text()
        assert all(q in full for q in quotes), [q for q in quotes if q not in full]


# --------------------------------------------------------------------------- against the text
def _snippets():
    """(name, text the paper must contain) with the value formatted from xornet.paper."""
    p = paper
    tr = [f"({k[1]:.1f}, {k[2]:.1f})" for k in p.TRAJECTORIES]
    sym = {"b1_1": r"b_1^{(1)}", "b2_1": r"b_1^{(2)}", "w2_1_2": r"w_{12}^{(2)}",
           "b1_2": r"b_2^{(1)}", "w1_2_2": r"w_{22}^{(1)}"}
    plateau = {"w1_1_1": "w_{11}^{(1)}", "w1_1_2": "w_{12}^{(1)}", "w2_1_1": "w_{11}^{(2)}"}
    return [
        ("ETA_WINDOW", f"\\eta \\in [{p.ETA_WINDOW[0]:g}, {p.ETA_WINDOW[1]:g}]"),
        ("ETA_WINDOW_MAX_EPOCHS", f"up to {['five'][p.ETA_WINDOW_MAX_EPOCHS // 5_000_000 - 1]} "
                                  "million epochs"),
        ("TAU_CONV", f"Convergence sets in after about {p.TAU_CONV:.0f} epochs"),
        ("TAU_DESYNC", f"at $\\tau \\approx {p.TAU_DESYNC:.0f}$"),
        ("TAU_PARAMS_CONVERGED", f"after about {p.TAU_PARAMS_CONVERGED:,} epochs"),
        ("INITIAL_LOSS", f"the loss fluctuates about {p.INITIAL_LOSS:g}"),
        ("GAMMA", f"$\\gamma \\approx {p.GAMMA[2]:.1f}$"),
        ("GAMMA", f"increases to about {p.GAMMA[18]:.1f} for the largest network studied "
                  f"($n_h = {p.LARGE_N_H}$)"),
        ("REFERENCE_ETA", f"obtained for $\\eta = {p.REFERENCE_ETA:g}$"),
        ("REFERENCE_N_H", f"($n_h = {p.REFERENCE_N_H}$) is already sufficient"),
        ("CONV_THRESHOLD", f"threshold value {p.CONV_THRESHOLD:g}"),
        ("PERTURB_RUNS", f"up to {p.PERTURB_RUNS} backpropagation runs"),
        ("EARLY_OUTPUT", f"it fluctuates about {p.EARLY_OUTPUT:g}"),
        *[("PLATEAU_UPPER", f"\\Delta {plateau[k]} < {v:g}") for k, v in p.PLATEAU_UPPER.items()],
        ("LOSS_LEVELS", f"between {p.LOSS_LEVELS[0]:g} and {p.LOSS_LEVELS[-1]:g} at "
                        f"{p.LOSS_LEVELS[1]:g} increments"),
        ("N_CROSS_SECTIONS", f"all {p.N_CROSS_SECTIONS} cross-sections"),
        *[("NAMED_PANELS", f"$(\\Delta {sym[x]}, \\Delta {sym[y]})") for x, y in
          p.NAMED_PANELS.values()],
        ("PANELS_WITHOUT_WELL", f"except in Fig. 6({p.PANELS_WITHOUT_WELL[0]})"),
        ("PANELS_WITH_RED_RIMS", f"Only in Figs. 6({p.PANELS_WITH_RED_RIMS[0]})–"
                                 f"6({p.PANELS_WITH_RED_RIMS[-1]}), we see red-shaded rims"),
        *[("TRAJECTORIES", s) for s in tr],
        ("TRAJECTORIES", f"L \\approx {p.TRAJECTORIES[('b', 12.5, -12.5)]['start_loss']:g}"),
        ("TRAJECTORY_MAX_EPOCHS", f"up to {p.TRAJECTORY_MAX_EPOCHS // 1_000_000} million epochs"),
        ("FIG7_N_SCANS", f"average over {p.FIG7_N_SCANS} runs"),
        ("ENTROPY_MAX_AT", f"The entropy is largest around $L = {p.ENTROPY_MAX_AT:g}$"),
        ("FIG8_PEAKS", "noticeable peaks are also found at $L = "
                       + ", ".join(f"{x:g}" for x in p.FIG8_PEAKS if x not in (0.5, 1.0))
                       + f",$ and {p.FIG8_PEAKS[-1]:.1f}"),
        ("NO_ZERO_LOSS_N_H", f"From the curve for $n_h = {p.NO_ZERO_LOSS_N_H}$ it is obvious"),
        ("ZERO_LOSS_MIN_N_H", "For networks with two and more hidden neurons, multiple sets of "
                              "parameter values for zero loss"),
        ("SEPARATION_ORDER", "First, the weights of hidden neuron 1 start changing, which "
                             "triggers a similar drop in the weight $w_{11}^{(2)}$"),
    ]


@pytest.mark.parametrize("name,snippet", _snippets())
def test_value_is_in_the_paper(name, snippet):
    assert snippet in _text(), (name, snippet)


def test_table2_as_printed():
    rows = {ln.split("\t")[0]: ln.split("\t")[1:] for ln in _text().splitlines()
            if re.match(r"#\d\t", ln)}
    assert len(rows) == len(paper.TABLE2) == 5
    for k, row in enumerate(paper.TABLE2):
        assert [f"{x:.2f}" for x in row] == [s.strip() for s in rows[f"#{k + 1}"]], k + 1


def test_separation_order_names_the_groups_of_the_text():
    a, b = ([g.format(k=1) for g in group] for group in paper.SEPARATION_ORDER)
    assert a == ["w1_1_1", "w1_1_2"] and b == ["w2_1_1", "b1_1"]


def test_every_name_has_a_location():
    names = {n for n in vars(paper) if n.isupper() and n != "WHERE"}
    assert names == set(paper.WHERE)
    for n in names:
        assert re.search(r"Sec\. |title|Table|Fig\.|Eq\.", paper.where(n)), n


# --------------------------------------------------------------------------- config defaults
def test_config_defaults_that_copy_the_paper_agree():
    ls = DEFAULTS["landscape"]
    assert {k: tuple(v) for k, v in ls["panels"].items()} == paper.NAMED_PANELS
    starts = [(s["panel"], s["dx"], s["dy"]) for s in ls["trajectories"]["starts"]]
    assert starts == list(paper.TRAJECTORIES)
    assert ls["trajectories"]["max_epochs"] == paper.TRAJECTORY_MAX_EPOCHS
    assert DEFAULTS["table2"]["truncate_epoch"] == paper.TAU_PARAMS_CONVERGED
    assert DEFAULTS["threshold"] == paper.CONV_THRESHOLD
    assert DEFAULTS["training"]["reference"] == {"n_h": paper.REFERENCE_N_H,
                                                 "eta": paper.REFERENCE_ETA}
    assert DEFAULTS["lr_window"]["max_epochs"] == paper.ETA_WINDOW_MAX_EPOCHS
    assert DEFAULTS["perturbation"]["n_replicas"] == paper.PERTURB_RUNS
    assert DEFAULTS["landscape"]["randomized"]["n_scans"] == paper.FIG7_N_SCANS


def test_the_code_uses_the_paper_module():
    from xornet import model
    from xornet.landscape import sections, trajectories
    from xornet.plots import tables

    assert model.PAPER_TABLE2 is paper.TABLE2
    # the Fig. 5 plateau table prints the paper's upper edges from paper.PLATEAU_UPPER
    row = {"param": "w1_1_1", "tau0": 68000, "lower_in": -1.0, "lower_out": -1.1,
           "upper_in": 2.0, "upper_out": 2.1, "lower_open": False, "upper_open": False}
    tab = tables.plateau_table(pd.DataFrame([row]), 2)
    assert tab["paper upper edge"].iloc[0] == f"{paper.PLATEAU_UPPER['w1_1_1']}"
    assert sections.NAMED_PANELS is paper.NAMED_PANELS
    assert trajectories.PAPER_TRAJECTORIES is paper.TRAJECTORIES


# --------------------------------------------------------------------------- no copies
def _signed(x: str) -> str:
    """A printed number as a regex: not part of a longer number, sign as printed."""
    return (r"(?<![\d.])" if x.startswith("-") else r"(?<![\d.-])") + re.escape(x) + r"(?!\d)"


#: the paper's printed numbers and statements as they would be copied into code or text
LITERALS = {
    "eta window upper edge": r"17\.484",
    "eta window lower edge": r"(?<![\d.])0\.002(?!\d)",
    "tau ~ 70000": r"(?<![\d.])70[ _,]?000(?![\d])",
    "about 80,000 epochs": r"(?<![\d.])80[ _,]?000(?![\d])",
    "gamma ~ 1.0 / 1.2": r"gamma\s*(~|≈|\\approx|=)\s*1\.[02]\b",
    "plateau edges": r"(<\s*|\":\s*)(2\.2|1\.6)\b",
    "trajectory starts": r"-7\.4,\s*8\.9|15(\.0)?,\s*-2(\.0)?\b|12\.5,\s*-12\.5|"
                         r"-[35](\.0)?,\s*10(\.0)?\b",
    "named panels": r"\(\s*\"b1_1\",\s*\"b2_1\"\s*\)|\(\s*\"w2_1_2\",\s*\"b1_2\"\s*\)|"
                    r"\(\s*\"w1_2_2\",\s*\"b1_1\"\s*\)",
    # Table II: any two neighbouring printed values of a row (a copied row or part of one)
    **{f"Table II #{k + 1} {a} {b}": _signed(a) + r"\s*,\s*" + _signed(b)
       for k, row in enumerate(paper.TABLE2)
       for a, b in zip([f"{v:.2f}" for v in row][:-1], [f"{v:.2f}" for v in row][1:],
                       strict=True)},
}


def _files():
    for top in ("src", "workflow"):
        for p in sorted((ROOT / top).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".png"):
                yield p


def test_the_literals_live_only_in_paper_py():
    home = ROOT / "src" / "xornet" / "paper.py"
    found, seen_home = [], set()
    for path in _files():
        text = path.read_text(errors="ignore")
        for what, pat in LITERALS.items():
            for m in re.finditer(pat, text):
                if path == home:
                    seen_home.add(what)
                else:
                    line = text.count("\n", 0, m.start()) + 1
                    found.append(f"{path.relative_to(ROOT)}:{line}: {what} ({m.group(0)!r})")
    assert not found, "paper values copied outside xornet.paper:\n" + "\n".join(found)
    # the patterns do find the values where they live (the grep is not vacuous)
    assert seen_home >= set(LITERALS) - {"gamma ~ 1.0 / 1.2"}, set(LITERALS) - seen_home


def test_the_patterns_catch_copies():
    copies = {"eta window upper edge": "PAPER = (0.002, 17.484)",
              "eta window lower edge": "lo = 0.002",
              "tau ~ 70000": "_within_factor(t, 70000, 2.0)",
              "about 80,000 epochs": "after about 80,000 epochs",
              "gamma ~ 1.0 / 1.2": r"$\gamma\approx1.2$",
              "plateau edges": "Delta w11 < 2.2",
              "trajectory starts": '_traj(d, "a", 15.0, -2.0)',
              "named panels": 'NAMED = {"a": ("b1_1", "b2_1")}',
              "Table II #5 13.61 -14.04": "[13.61, -14.04, -6.53]",
              "Table II #1 -6.05 -6.05": "np.array([[-6.05, -6.05, -4.23"}
    for what, text in copies.items():
        assert re.search(LITERALS[what], text), what
    assert not re.search(LITERALS["Table II #1 2.36 6.29"], "alpha=-2.36, 6.29")
    assert not re.search(LITERALS["Table II #4 1.74 9.31"], "r * 1.02 + 1e-12")
    assert not re.search(LITERALS["tau ~ 70000"], "700000")
    assert np.isfinite(paper.TABLE2).all()
