"""Frames of a census job (datasets ``census_minima``, ``census_ts``, ``census_edges``,
``census_progress``) and of the merge (``census_summary``, ``census_barriers``).

Minima are numbered by energy (0 = global minimum); every stored point is the canonical
representative of its symmetry orbit (:func:`xornet.census.potential.canonical`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import loss, param_names
from . import graph
from .potential import canonical, egh, index_of, misclassified, outputs


def _point_columns(X, n_h, perms) -> dict:
    C = np.array([canonical(x, perms) for x in X]).reshape(len(X), 4 * n_h + 1)
    cols = {name: C[:, k] for k, name in enumerate(param_names(n_h))}
    Y = np.array([outputs(x, n_h) for x in X]).reshape(len(X), 4)
    cols.update({f"a2_1_c{m}": Y[:, m] for m in range(4)})
    return cols


def job_frames(res: dict, n_h: int, lam: float) -> dict[str, pd.DataFrame]:
    """The four Parquet frames of one job from :func:`xornet.census.search.run_census`."""
    mins, tss, state, reg, perms = (res[k] for k in ("mins", "tss", "state", "reg", "perms"))
    order = np.argsort(mins.E, kind="stable")
    new_id = np.empty(len(order), int)
    new_id[order] = np.arange(len(order))
    X = mins.X[order]
    E = mins.E[order]
    idx = [index_of(x, n_h, reg) for x in X]
    wrong = [misclassified(x, n_h, reg[-4:]) for x in X]  # reg ends with the targets
    solves = np.array([not w for w in wrong])
    t_order = np.argsort(tss.E, kind="stable")
    m1 = new_id[np.asarray(tss.info.get("min1", []), int)][t_order] if len(tss) else np.zeros(0, int)
    m2 = new_id[np.asarray(tss.info.get("min2", []), int)][t_order] if len(tss) else np.zeros(0, int)
    lo = np.minimum(m1, m2)
    hi = np.maximum(m1, m2)
    TX = tss.X[t_order]
    TE = tss.E[t_order]
    edges = list(zip(lo, hi, strict=True))
    col, via = graph.cols(E, TE, edges, solves)
    comp = _components(len(E), edges)
    src = np.asarray(mins.info["source"])[order]
    step = np.asarray(mins.info["step"], int)[order]
    minima = pd.DataFrame({
        "n_h": np.full(len(E), n_h), "lam": np.full(len(E), float(lam)),
        "id": np.arange(len(E)), "energy": E,
        "loss": np.array([float(loss(x, n_h, gate=reg[-4:].tolist())) for x in X]).reshape(-1),
        "index": np.array([i[0] for i in idx], int),
        "min_eig": np.array([i[1] for i in idx]),
        "grad_rms": np.array([np.sqrt(np.mean(egh(x, n_h, reg, False)[1] ** 2)) for x in X]),
        "solves": solves,
        "misclassified": [";".join(w) for w in wrong],
        "source": src.astype(str), "found_step": step,
        "component": comp, "connected": comp == comp[0],
        "col_energy": col, "barrier": col - E,
        "col_ts": via.astype(int),
        **_point_columns(X, n_h, perms),
    })
    tidx = [index_of(x, n_h, reg) for x in TX]
    ts = pd.DataFrame({
        "n_h": np.full(len(TE), n_h), "lam": np.full(len(TE), float(lam)),
        "id": np.arange(len(TE)), "energy": TE,
        "loss": np.array([float(loss(x, n_h, gate=reg[-4:].tolist())) for x in TX]).reshape(-1) if len(TE) else np.zeros(0),
        "index": np.array([i[0] for i in tidx], int),
        "neg_eig": np.array([i[1] for i in tidx], float),
        "second_eig": np.array([i[2][1] for i in tidx], float),
        "grad_rms": np.array([np.sqrt(np.mean(egh(x, n_h, reg, False)[1] ** 2)) for x in TX],
                             float),
        "min1": lo.astype(int), "min2": hi.astype(int),
        **{k: np.asarray(v, float) for k, v in _point_columns(TX, n_h, perms).items()},
    })
    edges_df = pd.DataFrame({
        "n_h": np.full(len(TE), n_h), "lam": np.full(len(TE), float(lam)),
        "ts": np.arange(len(TE)), "min_a": lo.astype(int), "min_b": hi.astype(int),
        "energy_ts": TE, "barrier_a": TE - E[lo] if len(TE) else np.zeros(0),
        "barrier_b": TE - E[hi] if len(TE) else np.zeros(0), "self_loop": lo == hi,
    })
    pr = np.asarray(state["progress"], int).reshape(-1, 2)
    progress = pd.DataFrame({"n_h": np.full(len(pr), n_h), "lam": np.full(len(pr), float(lam)),
                             "step": pr[:, 0], "n_minima": pr[:, 1]})
    return {"minima": minima, "ts": ts, "edges": edges_df, "progress": progress}


def _components(n, edges) -> np.ndarray:
    from .search import components

    return components(n, edges)


def job_extra(res: dict) -> dict:
    """Small results stored with the minima file (xornet.extra)."""
    st = res["state"]
    return {"bh_steps": int(st["step"]), "stop": st.get("stop", ""),
            "n_minima_bh": int(st["n_bh"]), "attempts": len(st["attempted"]),
            "connect_rounds": int(st["round"]), **{k: int(v) for k, v in st["stats"].items()}}


def summary_row(minima: pd.DataFrame, ts: pd.DataFrame, extra: dict) -> dict:
    """One row of ``census_summary``."""
    non = minima[~minima["solves"]]
    bar = non["barrier"].to_numpy(float)
    fin = bar[np.isfinite(bar)]
    n_min, n_ts = len(minima), int((~(ts["min1"] == ts["min2"])).sum()) if len(ts) else 0
    return {
        "n_h": int(minima["n_h"].iloc[0]), "lam": float(minima["lam"].iloc[0]),
        "n_minima": n_min, "n_minima_bh": int(extra["n_minima_bh"]), "n_ts": len(ts),
        "n_ts_edges": n_ts, "ts_per_minimum": len(ts) / n_min if n_min else float("nan"),
        "n_solution_minima": int(minima["solves"].sum()),
        "n_unconnected": int((~minima["connected"]).sum()),
        "bh_steps": int(extra["bh_steps"]), "saturated": extra["stop"] == "saturated",
        "attempts": int(extra["attempts"]),
        "lowest_energy": float(minima["energy"].min()),
        "lowest_nonsolution_loss": float(non["loss"].min()) if len(non) else float("nan"),
        "max_barrier": float(fin.max()) if len(fin) else float("nan"),
        "median_barrier": float(np.median(fin)) if len(fin) else float("nan"),
        "n_no_path": int(len(bar) - len(fin)),
    }


def barriers_frame(minima: pd.DataFrame) -> pd.DataFrame:
    """Every non-solution minimum with its barrier to the solution funnel."""
    non = minima[~minima["solves"]]
    return non[["n_h", "lam", "id", "energy", "loss", "misclassified", "col_energy", "barrier",
                "connected"]].reset_index(drop=True)


def lowest_minima(minima: pd.DataFrame, k: int) -> pd.DataFrame:
    """The ``k`` lowest minima of each (n_h, lam), for the table."""
    cols = ["n_h", "lam", "id", "energy", "loss", "index", "solves", "misclassified",
            "a2_1_c0", "a2_1_c1", "a2_1_c2", "a2_1_c3"]
    return (minima.sort_values(["n_h", "lam", "energy"]).groupby(["n_h", "lam"]).head(k)[cols]
            .reset_index(drop=True))


def compare_runs(a: pd.DataFrame, b: pd.DataFrame) -> dict:
    """Minima of two runs (same n_h, lam, other seeds): counts and how many are common
    (same energy within TOL and symmetry-aligned distance within TOL)."""
    from .potential import TOL, aligned_distance, symmetry_perms

    n_h = int(a["n_h"].iloc[0])
    names = param_names(n_h)
    perms = symmetry_perms(n_h)
    XA, XB = a[names].to_numpy(float), b[names].to_numpy(float)
    EA, EB = a["energy"].to_numpy(float), b["energy"].to_numpy(float)
    common = 0
    for x, e in zip(XA, EA, strict=True):
        for k in np.flatnonzero(np.abs(EB - e) < TOL["same_energy"]):
            if aligned_distance(XB[k], x, perms)[0] < TOL["same_point"]:
                common += 1
                break
    src_a = a["source"] == "bh"
    src_b = b["source"] == "bh"
    src_a |= a["source"] == "seed"
    src_b |= b["source"] == "seed"
    return {"n_h": n_h, "lam": float(a["lam"].iloc[0]), "n_a": len(a), "n_b": len(b),
            "common": common, "bh_a": int(src_a.sum()), "bh_b": int(src_b.sum())}
