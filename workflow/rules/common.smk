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
