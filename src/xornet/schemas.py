"""Documented schemas of every Parquet dataset the pipeline writes.

Each entry: a description, the fixed ``columns`` (name -> (dtype kind, meaning)) and
optional ``patterns`` (regex -> (dtype kind, meaning)) for families of columns whose number
depends on n_h (parameters, activations). dtype kinds: ``i`` integer, ``f`` float,
``b`` bool, ``O`` string. ``docs/schemas.md`` is generated from this table
(``python -m xornet.schemas``), so the documentation cannot drift from the checks.
"""

from __future__ import annotations

import re

PARAM_PATTERNS = {
    r"^w1_\d+_[12]$": ("f", "weight w_ij^(1), input j -> hidden neuron i"),
    r"^b1_\d+$": ("f", "bias b_i^(1) of hidden neuron i"),
    r"^w2_1_\d+$": ("f", "weight w_1i^(2), hidden neuron i -> output"),
    r"^b2_1$": ("f", "bias b_1^(2) of the output neuron"),
}

ACT_PATTERNS = {
    r"^a1_\d+_c[0-3]$": ("f", "hidden activation a_i^(1) for case m (c0..c3 = Table I rows)"),
    r"^a2_1_c[0-3]$": ("f", "output activation a_1^(2) = yhat for case m"),
}

SCHEMAS: dict[str, dict] = {
    "truth_table": {
        "description": "Table I: the XOR truth table.",
        "columns": {
            "x1": ("i", "input x_1"),
            "x2": ("i", "input x_2"),
            "y": ("i", "target output y = x_1 XOR x_2"),
        },
    },
    "training_run": {
        "description": "One gradient-descent run recorded at log-spaced epochs (Figs. 2-4).",
        "columns": {
            "epoch": ("i", "epoch tau (0 = initial parameters)"),
            "batch_loss": ("f", "loss (Eq. 4) of the batch used at this epoch (randomized or not)"),
            "full_loss": ("f", "nonrandomized full-batch loss (Eq. 4) at this epoch"),
            "status": ("O", "running | diverged (non-finite loss) at this record"),
        },
        "patterns": {**PARAM_PATTERNS, **ACT_PATTERNS},
    },
    "powerlaw_fits": {
        "description": "Fits L(tau) ~ tau^-gamma (Eq. 7) on the long-time tail of each run of Fig. 2.",
        "columns": {
            "run": ("O", "run label"),
            "n_h": ("i", "hidden neurons"),
            "eta": ("f", "learning rate"),
            "tau_min": ("f", "fit window start (epoch)"),
            "tau_max": ("f", "fit window end (epoch)"),
            "gamma": ("f", "fitted exponent gamma (full-batch loss)"),
            "gamma_err": ("f", "standard error of gamma (least squares on log-log)"),
            "n_points": ("i", "record points in the window"),
            "final_full_loss": ("f", "full-batch loss at the last epoch"),
            "converged": ("b", "full-batch loss < threshold at the last epoch"),
        },
    },
    "gamma_eff": {
        "description": "Running exponent gamma_eff(tau) = -d ln L / d ln tau of each Fig. 2 run.",
        "columns": {
            "run": ("O", "run label"),
            "n_h": ("i", "hidden neurons"),
            "eta": ("f", "learning rate"),
            "epoch": ("i", "record epoch"),
            "gamma_eff": ("f", "local log-log slope of the full-batch loss (NaN where undefined)"),
        },
    },
    "lr_window": {
        "description": "Convergence of the Fig. 2 initialization vs learning rate (scan + bisection).",
        "columns": {
            "eta": ("f", "learning rate"),
            "converged": ("b", "full-batch loss below the threshold within the epoch cap"),
            "epochs": ("i", "epoch at which it converged, or the cap"),
            "final_full_loss": ("f", "full-batch loss at the end"),
            "diverged": ("b", "loss became non-finite"),
            "phase": ("O", "scan | bisect_low | bisect_high"),
        },
    },
    "solutions": {
        "description": "Table II: solutions #1-#5 (ours and the paper's printed sets).",
        "columns": {
            "source": ("O", "ours | paper"),
            "label": ("O", "#1 .. #5"),
            "method": ("O", "how it was found (gd eta=0.1 / zero-T MC seed k / printed)"),
            "full_loss": ("f", "full-batch loss (Eq. 4)"),
            "yhat_c0": ("f", "output for case (0,0)"),
            "yhat_c1": ("f", "output for case (0,1)"),
            "yhat_c2": ("f", "output for case (1,0)"),
            "yhat_c3": ("f", "output for case (1,1)"),
            "is_solution": ("b", "every output on the right side of 0.5 and loss < threshold"),
            "logic": ("O", "Boolean function of each hidden neuron (symmetry class)"),
        },
        "patterns": PARAM_PATTERNS,
    },
    "optimizer_compare": {
        "description": "GD vs Adam vs zero-T MC from the same start (Sec. III.B): loss and parameters.",
        "columns": {
            "optimizer": ("O", "gd | adam | mc"),
            "epoch": ("i", "epoch (MC: sweep of P single-parameter proposals)"),
            "full_loss": ("f", "full-batch loss"),
        },
        "patterns": PARAM_PATTERNS,
    },
    "separation_order": {
        "description": "Order in which parameters leave their initial values, per optimizer (Fig. 3).",
        "columns": {
            "optimizer": ("O", "gd | adam | mc"),
            "param": ("O", "parameter name"),
            "separation_epoch": ("f", "first epoch with |v - v(0)| > threshold (NaN: never)"),
            "rank": ("i", "1 = first to separate"),
        },
    },
}


def _kind(dtype) -> str:
    k = getattr(dtype, "kind", "O")
    if k in "iu":
        return "i"
    if k == "f":
        return "f"
    if k == "b":
        return "b"
    return "O"


def check_frame(df, dataset: str) -> None:
    """Raise ``ValueError`` naming every column that is missing, unexpected or mistyped."""
    spec = SCHEMAS[dataset]
    cols = spec.get("columns", {})
    pats = [(re.compile(p), t) for p, (t, _) in spec.get("patterns", {}).items()]
    errors = []
    for name, (kind, _) in cols.items():
        if name not in df.columns:
            errors.append(f"missing column {name!r}")
        elif _kind(df[name].dtype) != kind:
            errors.append(f"column {name!r} has dtype {df[name].dtype}, schema says {kind!r}")
    for name in df.columns:
        if name in cols:
            continue
        for rx, kind in pats:
            if rx.match(str(name)):
                if _kind(df[name].dtype) != kind:
                    errors.append(f"column {name!r} has dtype {df[name].dtype}, schema says {kind!r}")
                break
        else:
            errors.append(f"unexpected column {name!r}")
    if errors:
        raise ValueError(f"dataset {dataset!r} does not match its schema: " + "; ".join(errors))


def markdown() -> str:
    """All schemas as Markdown (written to docs/schemas.md)."""
    out = ["# Parquet datasets and their schemas", "",
           "Generated by `python -m xornet.schemas` from `src/xornet/schemas.py`.",
           "Every file also carries provenance metadata under `xornet.*` keys "
           "(dataset, config_section, config, seed, versions, git_commit; see `xornet.io`).", ""]
    for name, spec in SCHEMAS.items():
        out += [f"## `{name}`", "", spec["description"], "", "| column | type | meaning |",
                "|---|---|---|"]
        for col, (kind, desc) in spec.get("columns", {}).items():
            out.append(f"| `{col}` | {kind} | {desc} |")
        for pat, (kind, desc) in spec.get("patterns", {}).items():
            out.append(f"| `{pat}` (pattern) | {kind} | {desc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
