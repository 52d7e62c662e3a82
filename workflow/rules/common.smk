# Shared set-up: config validation at start-up, helpers, the target registry.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from xornet.config import ConfigError, validate as _validate_config

try:
    _validate_config(config)
except ConfigError as _err:
    raise WorkflowError(str(_err)) from None

# Every stage file appends the figures/tables it renders; `rule all` builds them all.
ALL_TARGETS = []


def eta_label(eta):
    """Wildcard-safe label of a learning rate: 0.1 -> '0.1', 10.0 -> '10'."""
    return f"{float(eta):g}"


def run_label(run):
    """Label of a training run {n_h, eta} (also its file name)."""
    return f"nh{int(run['n_h'])}_eta{eta_label(run['eta'])}"


# Input functions and helpers of the stage files (kept here: the linter wants rules and
# functions apart). They read the stage globals (PERTURB, ENT, ENT_R, ENT_RS) at call time.


def perturb_reference_input(wildcards):
    """Our own solution #1 is needed only when config asks for it (default: the paper's)."""
    if PERTURB["reference"] == "ours":
        return {"solutions": "results/training/solutions.parquet"}
    return {}


def ent_r(R):
    """Wildcard label of a box half-width: 30.0 -> '30'."""
    return f"{float(R):g}"


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
