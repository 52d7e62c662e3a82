"""The paper, in one place: every value and statement of Yang, Arora & Bachmann (2025) that the
code compares against or draws, each with where the paper makes it.

Claims (:mod:`xornet.claims`), plots, tables and reports import these names; no copy of the
printed numbers lives anywhere else (``tests/test_paper.py`` greps ``src/`` and ``workflow/``).
Config defaults that merely equal a paper value (``config.yaml``: the named Fig. 6 panels, the
trajectory starts, ``table2.truncate_epoch``) stay config; the test checks they agree with this
module. :data:`WHERE` gives the location of every name (section, figure, table, equation).

Paper symbols -> our parameter names (:func:`xornet.model.param_names`):
``w_ij^(1)`` = ``w1_i_j``, ``b_i^(1)`` = ``b1_i``, ``w_1i^(2)`` = ``w2_1_i``, ``b_1^(2)`` = ``b2_1``.
"""

from __future__ import annotations

import numpy as np

#: The paper this project reproduces.
CITATION = ("X. Yang, K. Arora, M. Bachmann, \"Dissecting a Small Artificial Neural Network\", "
            "J. Phys. A: Math. Theor. 58, 025001 (2025)")

# --------------------------------------------------------------------------- Sec. III.A
#: The run behind Figs. 2-4 and solution #1: n_h = 2 hidden neurons, learning rate 0.1.
REFERENCE_N_H = 2
REFERENCE_ETA = 0.1
#: The largest network of Fig. 2.
LARGE_N_H = 18

#: Convergence threshold on the full-batch loss ("falls below the threshold value 0.005").
CONV_THRESHOLD = 0.005

#: Learning-rate window of convergence, eta in [0.002, 17.484], "in extensive tests with up
#: to five million epochs".
ETA_WINDOW = (0.002, 17.484)
ETA_WINDOW_MAX_EPOCHS = 5_000_000

#: "Convergence sets in after about 70000 epochs" (eta = 0.1, n_h = 2).
TAU_CONV = 70_000.0

#: "In the initial phase, the loss fluctuates about 0.25".
INITIAL_LOSS = 0.25

#: Exponent gamma of L ~ tau^-gamma (Eq. 7) by n_h: "gamma ~ 1.0" for n_h = 2, "about 1.2"
#: for n_h = 18; "gamma does not seem to depend on the learning rate".
GAMMA = {2: 1.0, 18: 1.2}

#: Table II: the five printed sets of optimal parameter values (n_h = 2), in parameter order
#: w11, w12, w21, w22 (layer 1), b1, b2 (layer 1), w11, w12 (layer 2), b1 (layer 2).
#: #1 is from gradient descent at eta = 0.1, #2-#5 from zero-temperature Monte Carlo.
TABLE2 = np.array(
    [
        [-6.05, -6.05, -4.23, -4.24, 2.36, 6.29, -8.68, 8.46, -3.94],
        [-6.20, 5.64, 5.91, -5.96, -3.78, -3.63, 8.53, 8.65, -3.68],
        [-6.28, -6.17, 6.31, 6.10, 2.11, -3.28, -7.49, 9.21, 2.56],
        [-1.73, -8.76, 1.74, 9.31, -0.35, 4.02, 16.96, -11.51, 1.02],
        [7.25, 5.65, 7.16, 5.69, -3.25, -8.60, 13.61, -14.04, -6.53],
    ]
)

# --------------------------------------------------------------------------- Sec. III.B
#: "even though this is achieved after about 80,000 epochs, the parameters keep changing
#: monotonously" (Fig. 3 text; config default ``table2.truncate_epoch``).
TAU_PARAMS_CONVERGED = 80_000

#: Order of parameter separation (Fig. 3 text), groups in order, ``{k}`` = the hidden neuron
#: whose weights move first: "First, the weights of hidden neuron 1 start changing, which
#: triggers a similar drop in the weight w_11^(2) ... In consequence, also the bias of hidden
#: neuron 1, b_1^(1) ... Only then, in a second step, all other weights and biases respond".
SEPARATION_ORDER = (("w1_{k}_1", "w1_{k}_2"), ("w2_1_{k}", "b1_{k}"))

#: Hidden activations desync "at tau ~ 70000" (Fig. 4 text).
TAU_DESYNC = 70_000.0

#: Early outputs "fluctuate about 0.5" (Fig. 4 text; sigma(0) = 0.5).
EARLY_OUTPUT = 0.5

#: Fig. 5(a) text: convergence unaltered "if Delta w_11^(1) < 2.2, Delta w_12^(1) < 2.2, or
#: Delta w_11^(2) < 1.6" (upper plateau edges; these three plateaus are open below).
PLATEAU_UPPER = {"w1_1_1": 2.2, "w1_1_2": 2.2, "w2_1_1": 1.6}

#: Fig. 5 text: "averaged over up to 100 backpropagation runs".
PERTURB_RUNS = 100

# --------------------------------------------------------------------------- Sec. III.C
#: Loss levels of the landscape: "loss values between 0 and 1 at 0.25 increments".
LOSS_LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)

#: Number of cross-sections (two of nine parameters varied): "all 36 cross-sections".
N_CROSS_SECTIONS = 36

#: Fig. 6 panels named in the text, panel -> (x, y) as the text orders them:
#: (a) (b_1^(1), b_1^(2)), (b) (w_12^(2), b_2^(1)), (c) (w_22^(1), b_1^(1)).
NAMED_PANELS = {"a": ("b1_1", "b2_1"), "b": ("w2_1_2", "b1_2"), "c": ("w1_2_2", "b1_1")}

#: Fig. 6: "An isolated well surrounding this point is present in all cross-sections shown,
#: except in Fig. 6(d)".
PANELS_WITHOUT_WELL = ("d",)

#: Fig. 6: red rims (L ~ 0.75) appear in panels (b)-(d) only.
PANELS_WITH_RED_RIMS = ("b", "c", "d")

#: Fig. 6 trajectories, keyed by (panel, Delta x, Delta y): ``outcome`` the paper's verdict,
#: ``start_loss`` the loss it quotes at the start, ``loss`` the level at which the path ends
#: (0 = the zero-loss point), ``text`` the paper's description, paraphrased.
TRAJECTORIES = {
    ("a", -7.4, 8.9): dict(
        outcome="converged", start_loss=0.5, loss=0.0,
        text="starts at L~0.5, drops off the cliff to L~0.25, resides there, then descends "
             "into the well and converges to the zero-loss point"),
    ("a", 15.0, -2.0): dict(
        outcome="stuck", start_loss=0.5, loss=0.25,
        text="starts at L~0.5, drops into a trench at L~0.25; a barrier separates it from "
             "the well: stuck at a local minimum"),
    ("b", 12.5, -12.5): dict(
        outcome="converged", start_loss=0.48, loss=0.0,
        text="starts behind a barrier at L~0.48, passes by the ridge and drops directly "
             "into the basin: converges to zero loss"),
    ("c", -5.0, 10.0): dict(
        outcome="converged", start_loss=0.5, loss=0.0,
        text="starts at L~0.5, rapidly converges to the optimum"),
    ("c", -3.0, 10.0): dict(
        outcome="stuck", start_loss=0.5, loss=0.5,
        text="starts at L~0.5, turns, hits a barrier, is diverted from the basin; not "
             "converged after millions of epochs: trapped just below L~0.5"),
}

#: Fig. 6 descents were stopped at convergence "or preset limits of up to 60 million epochs".
TRAJECTORY_MAX_EPOCHS = 60_000_000

#: Fig. 7: randomized-batch scans averaged, "(b) average over 100 runs".
FIG7_N_SCANS = 100

# --------------------------------------------------------------------------- Sec. III.D
#: Fig. 8: "The entropy is largest around L = 0.5".
ENTROPY_MAX_AT = 0.5

#: Fig. 8: "noticeable peaks are also found at L = 0, 0.25, 0.75, and 1.0" (and the largest
#: at 0.5).
FIG8_PEAKS = (0.0, 0.25, 0.5, 0.75, 1.0)

#: Fig. 8: "From the curve for n_h = 1 ... There are simply no zero-loss states"; "For
#: networks with two and more hidden neurons, multiple sets of parameter values for zero loss
#: can be found".
NO_ZERO_LOSS_N_H = 1
ZERO_LOSS_MIN_N_H = 2

#: Where each name above is stated in the paper.
WHERE = {
    "CITATION": "title page",
    "REFERENCE_N_H": "Sec. III.A, text of Fig. 2 ('we employ the results obtained for eta = 0.1')",
    "REFERENCE_ETA": "Sec. III.A, text of Fig. 2",
    "LARGE_N_H": "Sec. III.A, Fig. 2 and caption",
    "CONV_THRESHOLD": "Sec. III.B, text of Fig. 5",
    "ETA_WINDOW": "Sec. III.A, text of Fig. 2",
    "ETA_WINDOW_MAX_EPOCHS": "Sec. III.A, text of Fig. 2",
    "TAU_CONV": "Sec. III.A, text of Fig. 2",
    "INITIAL_LOSS": "Sec. III.A, text of Fig. 2",
    "GAMMA": "Sec. III.A, Eq. (7) and text, Fig. 2",
    "TABLE2": "Sec. III.A, Table II",
    "TAU_PARAMS_CONVERGED": "Sec. III.B, text of Fig. 3",
    "SEPARATION_ORDER": "Sec. III.B, text of Fig. 3",
    "TAU_DESYNC": "Sec. III.B, text of Fig. 4",
    "EARLY_OUTPUT": "Sec. III.B, text of Fig. 4",
    "PLATEAU_UPPER": "Sec. III.B, text of Fig. 5(a)",
    "PERTURB_RUNS": "Sec. III.B, text of Fig. 5",
    "LOSS_LEVELS": "Sec. III.C.1, text of Fig. 6",
    "N_CROSS_SECTIONS": "Sec. III.C.1, text of Fig. 6",
    "NAMED_PANELS": "Sec. III.C.1, text of Fig. 6(a)-(c)",
    "PANELS_WITHOUT_WELL": "Sec. III.C.1, text of Fig. 6",
    "PANELS_WITH_RED_RIMS": "Sec. III.C.1, text of Fig. 6",
    "TRAJECTORIES": "Sec. III.C.1, text of Fig. 6(a)-(c)",
    "TRAJECTORY_MAX_EPOCHS": "Sec. III.C.1, text of Fig. 6",
    "FIG7_N_SCANS": "Sec. III.C.2, Fig. 7 and caption",
    "ENTROPY_MAX_AT": "Sec. III.D, text of Fig. 8",
    "FIG8_PEAKS": "Sec. III.D, text of Fig. 8",
    "NO_ZERO_LOSS_N_H": "Sec. III.A (first paragraph) and Sec. III.D, text of Fig. 8",
    "ZERO_LOSS_MIN_N_H": "Sec. III.D, text of Fig. 8",
}


def where(name: str) -> str:
    """Location in the paper of the value ``name`` of this module (KeyError if unknown)."""
    return WHERE[name]
