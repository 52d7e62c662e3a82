"""The pipeline datasets the claims read (:data:`INPUTS`), their paths for a config, lazy access
to them (:class:`Data`), the readers shared by several sections, and the scale check: an input is
at paper scale if every size key of its provenance (or read from its data) is at least as large
(for resolutions: at most as large) as the paper-fidelity default of ``config.yaml``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import io, labels
from .. import paper as P


@dataclass(frozen=True)
class InputSpec:
    """A pipeline dataset a claim may read; ``scale``: (provenance key path, config.yaml key
    path, ">=" | "<=") triples deciding whether the file was made at paper scale."""

    path: str
    description: str
    scale: tuple = ()
    derived: tuple = ()  # (label, frame -> number, config.yaml key path, op): sizes read from data


def _sizes(section: str, *keys: str) -> tuple:
    """Scale triples of :class:`InputSpec` for size keys ``"key op"`` that the provenance
    records as ``key`` and ``config.yaml`` holds at ``section.key``."""
    return tuple((k, f"{section}.{k}", op) for k, op in (key.split() for key in keys))


#: the learning-rate window is at paper scale with these sizes (both batch modes)
_LR_SIZES = _sizes("lr_window", "max_epochs >=", "scan.n >=", "rel_resolution <=")

INPUTS: dict[str, InputSpec] = {
    "truth_table": InputSpec("results/training/truth_table.parquet", "Table I"),
    "run_ref": InputSpec("results/training/runs/{ref_run}.parquet",
                         "reference GD run (n_h = 2, eta = 0.1)",
                         _sizes("training", "n_epochs >=")),
    "fits": InputSpec("results/training/powerlaw_fits.parquet", "power-law fits of Fig. 2",
                      _sizes("training", "fit.tau_min >=")),
    "lr_randomized": InputSpec("results/training/lr_window_randomized.parquet",
                               "learning-rate window, randomized batches", _LR_SIZES),
    "lr_full": InputSpec("results/training/lr_window_full.parquet",
                         "learning-rate window, nonrandomized batch", _LR_SIZES),
    "solutions": InputSpec("results/training/solutions.parquet", "Table II",
                           _sizes("table2", "mc.max_runs >=", "mc.max_sweeps >=")),
    "separation": InputSpec("results/training/separation_order.parquet",
                            "separation order GD / Adam / MC", _sizes("optimizers", "n_epochs >=")),
    "plateaus": InputSpec("results/perturbation/plateaus.parquet", "Fig. 5 plateaus",
                          _sizes("perturbation", "n_replicas >=", "max_epochs >=",
                                 "delta.step <=")),
    "features": InputSpec("results/landscape/features.parquet", "Fig. 6 cross-section features",
                          _sizes("landscape", "n_points >=")),
    "trajectories": InputSpec("results/landscape/trajectory_summary.parquet",
                              "Fig. 6 trajectories",
                              _sizes("landscape", "trajectories.max_epochs >=")),
    "randomized_rms": InputSpec("results/landscape/randomized_rms.parquet", "Fig. 7 RMS",
                                _sizes("landscape", "randomized.n_scans >=",
                                       "randomized.n_points >=")),
    "entropy": InputSpec("results/entropy/entropy_R{R}.parquet", "Fig. 8 S(L)", (),
                         (("bins per n_h", lambda f: f.groupby("n_h").size().min(),
                           "entropy.n_bins", ">="),
                          ("runs merged", lambda f: f["n_runs"].min(), "entropy.n_runs", ">="))),
    "entropy_run": InputSpec("results/entropy/runs/R{R}/nh2_run0.parquet",
                             "one Fig. 8 sampler run (decides the scale of the entropy stage)",
                             _sizes("entropy.sampler", "wl_steps >=", "muca_steps >=")
                             + _sizes("entropy", "n_bins >=")),
    "intruders": InputSpec("results/entropy/intruders.parquet", "convex intruders of S(L)"),
    "minor_peaks": InputSpec("results/entropy/minor_peaks.parquet", "minor peaks of S(L)"),
    # beyond the paper: stationary-point census (Mehta et al. 2018), xornet.census
    "census_summary": InputSpec("results/census/summary.parquet",
                                "stationary-point census counts per (n_h, lam)",
                                _sizes("census", "bh.min_steps >=", "bh.max_steps >=",
                                       "connect.max_attempts >=")),
    "census_embedding": InputSpec("results/census/embedding.parquet",
                                  "embedding test (zero node added)"),
}


#: the merged entropy files carry no size keys: a sampler run and the merged S(L) (bins, runs)
#: decide the scale of every claim on the entropy stage
ENT = ("entropy_run", "entropy")


def input_paths(config: dict) -> dict[str, str]:
    """Paths of every input for a workflow config (the reference run label and the entropy R)."""
    ref = config["training"]["reference"]
    ref_run = labels.run_label(ref["n_h"], ref["eta"])
    R = labels.r_label(config["entropy"]["R"])
    return {k: s.path.format(ref_run=ref_run, R=R) for k, s in INPUTS.items()}


def _get(d, dotted: str):
    for part in dotted.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def scale_issues(key: str, prov: dict, defaults: dict, frame=None) -> list[str]:
    """Size keys of input ``key`` whose provenance value (or, for ``derived`` sizes, the value
    read from the data ``frame``) is below paper scale (empty: paper scale). A size key missing
    from the provenance counts as not paper scale."""
    out = []
    cfg = prov.get("config") or {}
    checks = [(pkey, _get(cfg, pkey), dkey, op) for pkey, dkey, op in INPUTS[key].scale]
    if frame is not None:
        checks += [(label, float(fn(frame)), dkey, op) for label, fn, dkey, op in INPUTS[key].derived]
    for pkey, have, dkey, op in checks:
        want = _get(defaults, dkey)
        if want is None:
            continue
        if have is None:
            out.append(f"{pkey} not recorded")
        elif (op == ">=" and float(have) < float(want)) or (op == "<=" and float(have) > float(want)):
            out.append(f"{pkey} {have:g} {'<' if op == '>=' else '>'} {want:g}")
    return [f"{key} ({', '.join(out)})"] if out else []


# --------------------------------------------------------------------------- data access
class NotCheckable(Exception):
    """The data cannot answer this claim; the message says why."""


class Data:
    """Lazy access to the inputs: ``data.frame(key)``, ``data.extra(key)``."""

    def __init__(self, paths: dict[str, str]):
        self.paths = dict(paths)
        self._cache: dict[str, tuple] = {}

    def available(self, key: str) -> bool:
        p = self.paths.get(key)
        return bool(p) and Path(p).exists()

    def _load(self, key):
        if key not in self._cache:
            if not self.available(key):
                raise NotCheckable(f"input {key} ({self.paths.get(key, 'no path')}) not built")
            self._cache[key] = io.read_parquet(self.paths[key])
        return self._cache[key]

    def frame(self, key) -> pd.DataFrame:
        return self._load(key)[0]

    def prov(self, key) -> dict:
        return self._load(key)[1]

    def extra(self, key) -> dict:
        return self._load(key)[1].get("extra") or {}


# --------------------------------------------------------------------------- shared readers
def _fit_row(d: Data, n_h: int, eta: float):
    f = d.frame("fits")
    r = f[(f["n_h"] == n_h) & np.isclose(f["eta"], eta)]
    if r.empty:
        raise NotCheckable(f"no training run n_h={n_h}, eta={eta:g} in this config")
    return r.iloc[0]


def _lowest_losses(d: Data, n_h: int) -> list[float]:
    """The lowest loss each Fig. 8 sampler run of ``n_h`` reached (provenance extra
    ``min_loss_runs`` of the merged S(L), keyed by run label ``nh{n_h}_...``)."""
    runs = d.extra("entropy").get("min_loss_runs") or {}
    return [v for k, v in runs.items() if k.startswith(f"nh{n_h}_")]


def _tau_conv_ref(d: Data) -> float:
    """Exact convergence epoch of the reference run (extra), else first record below the
    threshold."""
    ex = d.extra("run_ref")
    if ex.get("tau_conv") is not None and math.isfinite(float(ex["tau_conv"])):
        return float(ex["tau_conv"])
    df = d.frame("run_ref")
    thr = float(ex.get("threshold", P.CONV_THRESHOLD))
    below = df.loc[df["full_loss"] < thr, "epoch"]
    return float(below.iloc[0]) if len(below) else float("nan")
