"""Parquet frames of the entropy stage (schemas ``entropy_simple``, ``entropy_run``,
``entropy_gates``; xornet.schemas) from the drivers' results, and a run's scalar diagnostics."""

from __future__ import annotations

import numpy as np

from .estimators import bin_edges, simple_sampling_entropy

__all__ = [
    "simple_frame", "run_frame", "gate_frame", "run_diagnostics"
]


def _bins(nb: int) -> dict:
    """The bin columns shared by every frame: index and loss edges of the ``nb`` bins."""
    e = bin_edges(nb)
    return {"bin": np.arange(nb, dtype=np.int64), "L_lo": e[:-1], "L_hi": e[1:]}


def simple_frame(n_h: int, R: float, res: dict):
    """Schema ``entropy_simple`` from :func:`simple_sampling`'s result."""
    import pandas as pd

    counts = np.asarray(res["counts"], dtype=np.int64)
    nb = counts.size
    S, err = simple_sampling_entropy(counts, res["n_draws"])
    return pd.DataFrame(
        {
            "n_h": np.full(nb, n_h, dtype=np.int64),
            "R": np.full(nb, float(R)),
            **_bins(nb),
            "counts": counts,
            "n_draws": np.full(nb, res["n_draws"], dtype=np.int64),
            "S": S,
            "S_err": err,
        }
    )


def run_frame(n_h: int, R: float, run: int, res: dict):
    """Schema ``entropy_run`` from :func:`run_sampler`'s result."""
    import pandas as pd

    nb = res["S"].size
    return pd.DataFrame(
        {
            "n_h": np.full(nb, n_h, dtype=np.int64),
            "R": np.full(nb, float(R)),
            "run": np.full(nb, run, dtype=np.int64),
            **_bins(nb),
            "visited": np.asarray(res["visited"], dtype=bool),
            "lng_wl": res["lng_wl"],
            "H_muca": res["H_muca"].astype(np.int64),
            "S_wl": res["S_wl"],
            "S": res["S"],
            "S_err": res["S_err"],
        }
    )


def gate_frame(gate: str, n_h: int, res: dict):
    """Rows of schema ``entropy_gates`` for one :func:`run_sampler` result of ``gate``."""
    import pandas as pd

    nb = res["S"].size
    return pd.DataFrame({
        "gate": [gate] * nb, "n_h": np.full(nb, int(n_h), dtype=np.int64), **_bins(nb),
        "visited": np.asarray(res["visited"], dtype=bool), "S": res["S"], "S_err": res["S_err"]})


def run_diagnostics(res: dict) -> dict:
    """Scalar diagnostics of a run (stored as the Parquet file's ``extra``)."""
    out = {k: v for k, v in res.items() if np.isscalar(v)}
    out["v_min"] = np.asarray(res["v_min"]).tolist()
    return out
