# Shared set-up: config validation at start-up, helpers, the target registry.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from xornet.config import ConfigError, validate as _validate_config
from xornet import labels as _labels  # injective, round-trip file labels
from xornet.labels import NUM_LABEL_RE
from xornet.workflow import canonical as _canonical
from xornet.workflow import pick  # params: only the config keys a job reads

try:
    _validate_config(config, Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
except ConfigError as _err:
    raise WorkflowError(str(_err)) from None
# key order of YAML mappings must not matter: params are compared as recorded
_canonical_config = _canonical(config)
config.clear()
config.update(_canonical_config)

# Every stage file appends the figures/tables it renders; `rule all` builds them all.
ALL_TARGETS = []


def eta_label(eta):
    """Wildcard-safe label of a learning rate: 0.1 -> '0.1', 10.0 -> '10' (xornet.labels)."""
    return _labels.eta_label(eta)


def run_label(run):
    """Label of a training run {n_h, eta} (also its file name)."""
    return _labels.run_label(run["n_h"], run["eta"])


# Input functions and helpers of the stage files (kept here: the linter wants rules and
# functions apart). They read the stage globals (PERTURB, ENT, ENT_R, ENT_RS) at call time.


def perturb_reference_input(wildcards):
    """Our own solution #1 is needed only when config asks for it (default: the paper's)."""
    if PERTURB["reference"] == "ours":
        return {"solutions": "results/training/solutions.parquet"}
    return {}


def ent_r(R):
    """Wildcard label of a box half-width: 30.0 -> '30' (xornet.labels)."""
    return _labels.r_label(R)


def ent_nh(R):
    """n_h values sampled at box size label R (all of Fig. 8 at the default R)."""
    nh = set(ENT_RS["n_h"]) if R in {ent_r(r) for r in ENT_RS["R"]} else set()
    if R == ENT_R:
        nh |= set(ENT["n_h"])
    return sorted(nh)


def ent_runs(R):
    return ENT["n_runs"] if R == ENT_R else ENT_RS["n_runs"]


def ent_run_files(wc):
    return expand("results/entropy/runs/R{R}/nh{n_h}_run{run}.parquet", R=wc.R,
                  n_h=ent_nh(wc.R), run=range(ent_runs(wc.R)))


def ent_simple_files(wc):
    return expand("results/entropy/simple/R{R}/nh{n_h}.parquet", R=wc.R, n_h=ent_nh(wc.R))


# `snakemake --report`: category of each figure/table, keyed by its caption file
# workflow/report/<name>.rst (what it shows, the paper item it reproduces, the config).
_TRAIN, _PERT = "1 Training (Sec. III.A-B, Figs. 1-4, Tables I-II)", "2 Perturbation (Fig. 5)"
_LAND, _ENT = "3 Landscape (Sec. III.C, Figs. 6-7)", "4 Entropy (Sec. III.D, Fig. 8)"
REPORT_CATEGORY = {
    **dict.fromkeys(["table1", "fig1", "fig2", "fig3", "fig4", "table2", "lr_window",
                     "optimizers"], _TRAIN),
    **dict.fromkeys(["fig5", "fig5_plateaus"], _PERT),
    **dict.fromkeys(["fig6", "landscape_all", "trajectories", "fig7"], _LAND),
    **dict.fromkeys(["fig8", "fig8_inflection", "fig8_inflection_table", "fig8_barriers",
                     "fig8_barriers_table", "fig8_R_sensitivity", "fig8_checks",
                     "gates_entropy"], _ENT),
    **dict.fromkeys(["claims", "claims_fig"], "0 Scorecard"),
}


def paper_report(path, caption):
    """Mark a figure or table for `snakemake --report` with caption workflow/report/<caption>.rst."""
    return report(path, caption=f"../report/{caption}.rst",
                  category=REPORT_CATEGORY.get(caption, "5 Other"))
