"""Ledger of the choices the paper leaves unstated (issue 11).

Where Yang, Arora & Bachmann (2025) do not say how a setting was made, the pipeline had to pick
one value. Each :class:`Choice` names the config key holding that value, why the default is what
it is (the method's conventional default from its original paper or the common libraries,
unless a measurement argues otherwise; the measurement is quoted), the alternatives a reader of
the paper could reasonably have used, and which results depend on it: the claim inputs
(:data:`xornet.claims.INPUTS` keys) that are recomputed and, derived from them, the claims
affected. The ``robustness`` stage (:mod:`xornet.robustness`) reruns exactly those stages for
every alternative and evaluates the affected claims there.

Every config key marked ``x-unstated-choice: true`` in ``workflow/schemas/config.schema.yaml``
has an entry here (``tests/test_choices.py``). ``python -m xornet.choices`` writes
``docs/choices.md``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import paper as P

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "workflow" / "schemas" / "config.schema.yaml"
MARK = "x-unstated-choice"

#: how a choice is swept by the robustness stage
SWEEP_MODES = {
    "rerun": "the stages that read it are rerun at the default sizes for every alternative",
    "seeds": "rerun for every one of `robustness.seeds` independent root seeds",
    "reduced": "the stages that read it are rerun for every alternative at the reduced sizes of "
               "config `robustness.<section>` (measured cost in the config comments), which "
               "replace the same keys of the stage's config section",
    "not swept": "listed, not rerun (reason given)",
}


@dataclass(frozen=True)
class Choice:
    key: str                 # dotted config key path
    title: str               # what it is, in words
    paper: str               # what the paper says about it
    why: str                 # why the default
    alternatives: tuple      # other readings (values of ``key``); seeds: from the config
    inputs: tuple            # claim inputs (xornet.claims.INPUTS keys) recomputed
    stages: tuple            # rules rerun (in dependency order)
    sweep: str = "rerun"     # a key of SWEEP_MODES
    note: str = ""           # reason when not swept, caveats
    reduced: str = ""        # sweep "reduced": config section whose keys robustness.<it> replaces

    def affected_claims(self) -> list[str]:
        """Ids of the claims that read a recomputed input (in scorecard order)."""
        from . import claims

        want = set(self.inputs)
        return [c.id for c in claims.CLAIMS if want & set(c.inputs)]


# the learning-rate window is rerun with randomized batches only (the claims' setting; the
# nonrandomized window enters their notes and scale checks from the default run)
_TRAIN_INPUTS = ("run_ref", "fits", "lr_randomized", "solutions", "separation")
_TRAIN_STAGES = ("train_run", "powerlaw_fits", "lr_window", "solutions", "optimizers")

CHOICES: list[Choice] = [
    Choice("seed", "random draw r_k of the initial parameters and stream of randomized batches",
           "v_k = 0.1 r_k with r_k uniform in [0, 1) (Sec. III.A); the draw itself and the "
           "batch sequence are not given",
           "any fixed root seed makes the pipeline deterministic; 20250108 (the paper's "
           "publication date) was fixed before any result was seen",
           (), _TRAIN_INPUTS, _TRAIN_STAGES, "seeds",
           "the training-dynamics claims are evaluated for each of `robustness.seeds` other root "
           "seeds (initial point, batch stream and the MC streams of Table II all change) and "
           "reported as the fraction of seeds for which they hold (Wilson interval)"),
    Choice("optimizers.adam.lr", "Adam learning rate (step size alpha)",
           "Adam [22] is used, its settings are not given (Sec. III.B)",
           "alpha = 0.001, the default of Kingma & Ba (2015) and of PyTorch, Keras and optax; "
           "measured: with alpha = 0.001 Adam reaches L < 0.005 at epoch 43 652 (GD: 69 183) "
           "and separates the parameters in GD's order (Kendall tau 0.83); the earlier default "
           "0.01 converges at 3 981 with a different order (tau 0.33)",
           (0.01, 0.1), ("separation",), ("optimizers",)),
    Choice("optimizers.adam.beta1", "Adam first-moment decay beta_1",
           "not given", "0.9, Kingma & Ba's default (PyTorch, Keras, optax)",
           (0.5,), ("separation",), ("optimizers",),
           note="0.5 is the common GAN setting (Radford et al. 2016)"),
    Choice("optimizers.adam.beta2", "Adam second-moment decay beta_2",
           "not given", "0.999, Kingma & Ba's default (PyTorch, Keras, optax)",
           (0.99,), ("separation",), ("optimizers",)),
    Choice("optimizers.adam.eps", "Adam epsilon",
           "not given", "1e-8, Kingma & Ba's default (PyTorch, optax)",
           (1.0e-7,), ("separation",), ("optimizers",), note="1e-7 is the Keras default"),
    Choice("optimizers.separation_threshold", "when a parameter 'separates' (Fig. 3 text)",
           "'a sudden separation sets in' (Sec. III.B); no threshold given",
           "0.5: five times the initial scale 0.1 of the parameters, well above the batch "
           "noise of the initial phase and well below the drift after convergence (Fig. 3)",
           (0.1, 1.0), ("separation",), ("optimizers",)),
    Choice("optimizers.mc.step", "zero-T MC proposal width of the optimizer comparison",
           "zero-temperature MC [21] is compared with GD; move not given",
           "0.05: half the initial scale, so MC starts like GD from the small-parameter phase",
           (0.01, 0.2), (), ("optimizers",), "not swept",
           "no claim reads the MC trajectory (only the figure optimizers.pdf shows it)"),
    Choice("table2.truncate_epoch", "epoch at which solution #1 is read off the reference run",
           f"'this is achieved after about {P.TAU_PARAMS_CONVERGED:,} epochs' (Sec. III.B), "
           "while the parameters keep drifting; the epoch of the printed #1 is not given",
           f"{P.TAU_PARAMS_CONVERGED:_}, the epoch the text names".replace("_", " "),
           (int(P.TAU_CONV), 1000000), ("solutions",), ("train_run", "solutions"),
           note=f"{P.TAU_CONV:_.0f}: 'convergence sets in after about ".replace("_", " ")
           + f"{P.TAU_CONV:.0f} epochs'; 10^6: late in the drift"),
    Choice("table2.mc.step", "zero-T MC move of Table II (#2-#5)",
           "'obtained in zero-temperature Monte Carlo runs' [21]; move and start not given",
           "one parameter per proposal, uniform step 0.2 (Metropolis' single-variable move); "
           "measured: with step 0.2 and starts in [-1, 1]^9 the solutions have |v| <= ~15 like "
           "the printed ones, steps of 1.0 or starts in [-10, 10]^9 wander to |v| ~ 100",
           (0.05, 1.0), ("solutions",), ("solutions",)),
    Choice("table2.mc.init_scale", "zero-T MC start of Table II: uniform in [-s, s]^9",
           "not given", "s = 1 (see table2.mc.step for the measurement)",
           (0.1, 10.0), ("solutions",), ("solutions",)),
    Choice("table2.mc.dedup_tol", "when two MC solutions count as the same",
           "'other solutions exist' (Sec. III.A); no criterion given",
           "max-norm distance 1.0 between canonical forms (hidden-neuron permutation, sign "
           "flip): the printed solutions differ from each other by > 3",
           (0.1, 3.0), ("solutions",), ("solutions",)),
    Choice("training.fit.tau_min", "start of the power-law fit window (Eq. 7)",
           "'the long-term era governed by the power law' (Sec. III.A); window not given",
           "10^5 epochs, with conv_factor: the window starts a decade after convergence, where "
           "gamma_eff(tau) has settled (Fig. 2 running exponent)",
           (30000, 1000000), ("fits",), ("powerlaw_fits",)),
    Choice("training.fit.conv_factor", "fit window starts at conv_factor x tau_conv (if later)",
           "not given", "10: one decade after convergence (see training.fit.tau_min)",
           (3, 30), ("fits",), ("powerlaw_fits",)),
    Choice("lr_window.scan.n", "points of the log-spaced eta scan before bisection",
           f"'in extensive tests' the interval [{P.ETA_WINDOW[0]:g}, {P.ETA_WINDOW[1]:g}] was "
           "found (Sec. III.A); the "
           "scanned learning rates are not given",
           "41 points over [0.0005, 50], ~10 per decade, then bisection of each edge",
           (21, 81), ("lr_randomized",), ("lr_window",),
           note="with randomized batches the converging set has islands, so the scan grid "
           "decides which islands are seen"),
    Choice("lr_window.max_epochs", "epoch cap of the learning-rate window",
           "'in extensive tests with up to five million epochs' (Sec. III.A)",
           "5 x 10^6, the paper's words read as a cap per run", (1000000, 10000000),
           ("lr_randomized",), ("lr_window",),
           note="'up to' may also mean that shorter runs were used"),
    Choice("lr_window.rel_resolution", "bisection precision of the window edges",
           f"edges printed as {P.ETA_WINDOW[0]:g} and {P.ETA_WINDOW[1]:g}", "10^-3 relative, finer than the printed digits "
           "of the upper edge", (0.01,), ("lr_randomized",), ("lr_window",)),
    Choice("entropy.R", "box [-R, R]^(4 n_h + 1) of the density of states g(L) (Fig. 8)",
           "not stated", "R = 30; measured (fig8_R_sensitivity.pdf): at R = 10 S(L) has no "
           "peaks at L = 0 and 1, at R = 100 the shape is that of R = 30",
           (10.0, 100.0), ("entropy", "entropy_run", "intruders", "minor_peaks"),
           ("entropy_simple", "entropy_run", "entropy_merge", "entropy_analysis"), "reduced",
           "Fig. 8 is rerun for the hidden-layer sizes of `robustness.entropy.n_h` only (n_h = 1 "
           "for A1 and D1, n_h = 2 for D6, the largest for D7), with the default sampler; claims "
           "about every n_h are judged on those", reduced="entropy"),
    Choice("perturbation.reference", "solution #1 perturbed in Fig. 5",
           "'converge to solution #1 in Tab. II' (Sec. III.B): the printed values or the "
           "authors' own run (identical for them; not for a reproduction)",
           "paper: the printed #1 (the object the figure is about)", ("ours",),
           ("plateaus",), ("perturb_param", "perturb_merge"), "reduced",
           "Fig. 5 is rerun with the epoch cap `robustness.perturbation.max_epochs`: solution #1 "
           "is converged (tau_conv(0) = 0), so the plateau (tau_conv unchanged) is the set of "
           "shifts still converged at epoch 0, which no cap changes; only the curves off the "
           "plateau are cut", reduced="perturbation"),
    Choice("landscape.reference", "solution #1 through which the cross-sections pass",
           "'all other parameters are kept constant at their optimal values, according to "
           "solution #1 in Table II' (Sec. III.C)", "paper: the printed #1", ("ours",),
           ("features", "trajectories", "randomized_rms"),
           ("landscape_grid", "landscape_features", "landscape_trajectory",
            "landscape_trajectories", "landscape_randomized")),
]

BY_KEY = {c.key: c for c in CHOICES}


# --------------------------------------------------------------------------- config helpers
def get(config: dict, key: str):
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"config key {key!r} not found")
        node = node[part]
    return node


def override(config: dict, key: str, value) -> dict:
    """A deep copy of ``config`` with the dotted ``key`` set to ``value``."""
    out = copy.deepcopy(config)
    node = out
    parts = key.split(".")
    for part in parts[:-1]:
        node = node[part]
    if parts[-1] not in node:
        raise KeyError(f"config key {key!r} not found")
    node[parts[-1]] = value
    return out


def reduced_sizes(choice: Choice, config: dict) -> dict:
    """The keys (dotted, in the stage's section) that the readings of ``choice`` take from
    ``robustness.<choice.reduced>`` instead of the stage's config section ({} at full size)."""
    if not choice.reduced:
        return {}
    out = {}

    def walk(node, path):
        for k, v in node.items():
            if isinstance(v, dict):
                walk(v, [*path, k])
            else:
                out[".".join([*path, k])] = v

    walk(config["robustness"].get(choice.reduced) or {}, [choice.reduced])
    return out


def reading_config(config: dict, choice: Choice, value) -> dict:
    """The whole config of one reading: ``choice.key`` set to ``value`` and, for a reduced
    sweep, the reduced sizes of ``robustness.<choice.reduced>`` in place of the stage's."""
    out = override(config, choice.key, value)
    for key, v in reduced_sizes(choice, config).items():
        out = override(out, key, v)
    return out


def seeds(config: dict) -> list[int]:
    """The independent root seeds of the seed sweep: seed + 1 ... seed + robustness.seeds."""
    n = int(config["robustness"]["seeds"])
    return [int(config["seed"]) + k for k in range(1, n + 1)]


def alternatives(choice: Choice, config: dict) -> list:
    if choice.key == "seed":
        return seeds(config)
    return list(choice.alternatives)


def marked_keys(schema_path: Path = SCHEMA_PATH) -> list[str]:
    """Dotted config keys marked ``x-unstated-choice: true`` in the schema."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    out = []

    def walk(node, path):
        if not isinstance(node, dict):
            return
        if node.get(MARK) is True and path:
            out.append(".".join(path))
        for k, sub in (node.get("properties") or {}).items():
            walk(sub, [*path, k])

    walk(schema, [])
    return out


# --------------------------------------------------------------------------- documentation
def _val(x) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


def _sweep(c: Choice, config: dict) -> str:
    """The sweep mode, with the reduced sizes of a reduced sweep."""
    red = reduced_sizes(c, config)
    if not red:
        return c.sweep
    return f"{c.sweep} ({', '.join(f'`{k}` = {_val(v)}' for k, v in red.items())})"


def markdown(config: dict | None = None) -> str:
    """docs/choices.md: the ledger as a table plus one paragraph per choice."""
    if config is None:
        config = yaml.safe_load((ROOT / "config.yaml").read_text())
    lines = ["# Unstated choices", "",
             "<!-- generated by `python -m xornet.choices` from src/xornet/choices.py; do not "
             "edit -->", "",
             "Where the paper (Yang, Arora & Bachmann, J. Phys. A 58, 025001, 2025) does not say "
             "how a setting was made, the pipeline uses the method's conventional default (its "
             "original paper or the common libraries) unless a measurement argues otherwise. "
             "Each choice is a config key, marked `x-unstated-choice: true` in "
             "`workflow/schemas/config.schema.yaml`. The robustness stage "
             "(`snakemake figures/robustness.md`, [docs/robustness.md](robustness.md)) reruns "
             "the stages that read it for every alternative and evaluates the affected claims.",
             ""]
    from .plots.tables import markdown_table

    def row(c):
        alts = alternatives(c, config) if c.key != "seed" else [
            f"{config['robustness']['seeds']} seeds: seed + 1 ... seed + "
            f"{config['robustness']['seeds']}"]
        return [f"`{c.key}`", _val(get(config, c.key)), ", ".join(map(_val, alts)),
                ", ".join(c.stages), ", ".join(c.affected_claims()) or "none",
                _sweep(c, config)]

    lines += markdown_table(["config key", "default", "alternatives", "reruns",
                             "claims affected", "swept"], (row(c) for c in CHOICES))
    lines += ["", "Sweep modes: " + "; ".join(f"**{k}**: {v}" for k, v in SWEEP_MODES.items())
              + ".", ""]
    for c in CHOICES:
        lines += [f"## `{c.key}` — {c.title}", "",
                  f"- **Paper:** {c.paper}.",
                  f"- **Default ({_val(get(config, c.key))}):** {c.why}.",
                  f"- **Alternatives:** {', '.join(map(_val, alternatives(c, config)))}"
                  + (f" ({c.note})" if c.note and c.sweep == "rerun" else "") + ".",
                  f"- **Reruns:** {', '.join(c.stages)} → inputs "
                  f"{', '.join(c.inputs) or 'none'}; claims {', '.join(c.affected_claims()) or 'none'}.",
                  f"- **Swept:** {_sweep(c, config)}"
                  + (f" — {c.note}" if c.note and c.sweep != "rerun" else "") + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import sys

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "choices.md"
    out.write_text(markdown())
    print(f"wrote {out}")
