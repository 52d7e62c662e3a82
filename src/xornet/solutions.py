"""Table II: optimal parameter sets. #1 comes from the reference gradient-descent run
(Sec. III.A, eta = 0.1, truncated at a configured epoch); #2-#5 from zero-temperature Monte
Carlo runs with different seeds (Sec. II, ref. [21]), kept only if they differ from every
solution already listed by more than ``dedup_tol`` after mapping both to their canonical
representative under the network's symmetries (hidden-neuron permutation and the sigmoid
sign flip, :func:`xornet.model.canonical`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import gates, rng
from . import kernels as K
from . import model as M
from .paper import REFERENCE_N_H


def evaluate(v, n_h: int, threshold: float, gate: str = "xor") -> dict:
    """Loss, the four outputs, whether it solves ``gate`` (paper: XOR) and its symmetry class."""
    v = np.asarray(v, float)
    _, yhat = M.forward(v, n_h)
    L = float(M.loss(v, n_h, gate=gate))
    ok = bool(np.all((yhat >= 0.5) == (gates.targets(gate) == 1.0)) and L < threshold)
    row = {"full_loss": L, "is_solution": ok, "logic": M.hidden_logic(v, n_h)}
    row.update({f"yhat_c{m}": float(yhat[m]) for m in range(4)})
    row.update(dict(zip(M.param_names(n_h), map(float, v), strict=True)))
    return row


def canonical_distance(a, b, n_h: int) -> float:
    return float(np.max(np.abs(M.canonical(a, n_h) - M.canonical(b, n_h))))


def closest_approach(df: pd.DataFrame, target, n_h: int) -> dict:
    """Record of a trajectory closest (max-norm) to the parameter vector ``target``."""
    P = df[M.param_names(n_h)].to_numpy(float)
    d = np.max(np.abs(P - np.asarray(target, float)), axis=1)
    i = int(np.argmin(d))
    return {"epoch": int(df["epoch"].iloc[i]), "distance": float(d[i]),
            "full_loss": float(df["full_loss"].iloc[i])}


def mc_candidates(n_h: int, *, max_runs: int, init_scale: float, step: float, max_sweeps: int,
                  target_loss: float, seed: int, gate: str = "xor"):
    """Run ``max_runs`` zero-T MC walkers (one ensemble kernel call); returns (V, loss, sweeps)."""
    gen = rng.generator(seed, "table2/mc_init")
    V = gen.uniform(-init_scale, init_scale, size=(max_runs, M.n_params(n_h)))
    states = rng.replica_states(seed, max_runs, "table2/mc")
    loss = np.empty(max_runs)
    sweeps = np.zeros(max_runs, dtype=np.int64)
    K.mc_ensemble(V, n_h, step, max_sweeps, states, target_loss, loss, sweeps, gates.bits(gate))
    return V, loss, sweeps


def pick_distinct(V, loss, n_h: int, n_wanted: int, threshold: float, exclude, dedup_tol: float,
                  gate: str = "xor"):
    """Walk the MC runs in seed order; keep solutions not within ``dedup_tol`` of any kept."""
    kept, idx = [np.asarray(x, float) for x in exclude], []
    for r in range(V.shape[0]):
        if len(idx) >= n_wanted:
            break
        if not evaluate(V[r], n_h, threshold, gate)["is_solution"]:
            continue
        if all(canonical_distance(V[r], k, n_h) > dedup_tol for k in kept):
            kept.append(V[r])
            idx.append(r)
    return idx


def table(v1, n_h: int, *, truncate_epoch: int, mc: dict, threshold: float, seed: int,
          gate: str = "xor"):
    """Rows of schema ``solutions``: ours (#1 from GD, #2.. from MC) and the paper's five
    (evaluated for ``gate``: they solve XOR only)."""
    rows = [{"source": "ours", "label": "#1", "method": f"gradient descent, epoch {truncate_epoch}",
             **evaluate(v1, n_h, threshold, gate)}]
    V, loss, sweeps = mc_candidates(n_h, max_runs=mc["max_runs"], init_scale=mc["init_scale"],
                                    step=mc["step"], max_sweeps=mc["max_sweeps"],
                                    target_loss=mc["target_loss"], seed=seed, gate=gate)
    picks = pick_distinct(V, loss, n_h, mc["n_solutions"], threshold, [v1], mc["dedup_tol"],
                          gate)
    for k, r in enumerate(picks):
        rows.append({"source": "ours", "label": f"#{k + 2}",
                     "method": f"zero-T MC run {r} ({int(sweeps[r])} sweeps)",
                     **evaluate(V[r], n_h, threshold, gate)})
    if n_h == REFERENCE_N_H:  # the paper prints solutions of its reference network only
        for k, v in enumerate(M.PAPER_TABLE2):
            rows.append({"source": "paper", "label": f"#{k + 1}", "method": "printed in Table II",
                         **evaluate(v, n_h, threshold, gate)})
    stats = {"mc_runs": int(V.shape[0]), "mc_solved": int(np.sum(loss < mc["target_loss"])),
             "mc_distinct_found": len(picks)}
    return pd.DataFrame(rows), stats


# ----------------------------------------------------------------------------- reference

def reference(source: str = "paper", solutions: pd.DataFrame | None = None,
              label: str = "#1", n_h: int | None = None) -> np.ndarray:
    """The reference optimum of Secs. III.B-C (Figs. 5-7): the one function every stage uses.

    ``source="paper"``: solution ``label`` of Table II as printed (``PAPER_TABLE2``, for the
    paper's n_h, :data:`xornet.paper.REFERENCE_N_H`); ``source="ours"``: row (source ==
    "ours", label == ``label``) of dataset ``solutions``. ``n_h``: the network the caller
    expects (checked); None takes it from the data.
    """
    if source == "paper":
        if n_h not in (None, REFERENCE_N_H):
            raise ValueError(f"the paper prints solutions for n_h = {REFERENCE_N_H} only")
        return M.PAPER_TABLE2[int(label.lstrip("#")) - 1].copy()
    if source == "ours":
        if solutions is None:
            raise ValueError("source='ours' needs the solutions dataset")
        stored = sum(str(c).startswith("b1_") for c in solutions.columns)  # one b1_i per neuron
        if n_h not in (None, stored):
            raise ValueError(f"dataset solutions holds n_h = {stored} solutions, not n_h = {n_h}")
        names = M.param_names(stored)
        row = solutions[(solutions["source"] == "ours") & (solutions["label"] == label)]
        if len(row) != 1:
            raise ValueError(f"expected one row source=='ours', label=={label!r}, got {len(row)}")
        return row[names].to_numpy(float)[0]
    raise ValueError(f"unknown reference source {source!r} (paper | ours)")


def reference_for(cfg: dict, inputs=None, n_h: int | None = None) -> np.ndarray:
    """Solution #1 as a stage's config section chooses it (key ``reference``: ``paper`` or
    ``ours``; ``inputs.solutions``: path of dataset ``solutions`` when ``ours``)."""
    if cfg["reference"] == "ours":
        from .io import read_frame

        return reference("ours", read_frame(inputs["solutions"]), "#1", n_h)
    return reference("paper", None, "#1", n_h)
