"""Mehta et al. (2018): "stationary points for networks with N_h hidden nodes are also stationary
points for networks with N_h + 1 hidden nodes when all the weights involving the additional
node are zero" -- tested as stated, for three regularisations of E = L + sum lam_k v_k^2:

* ``none`` (lam = 0), ``weights`` (lam on weights only), ``all`` (lam on every parameter, the
  census energy).

For each variant the census minima and transition states of N_h are first re-converged to
stationary points of that variant's energy (Newton-Raphson on the gradient from the census
point; points that run away, as lam = 0 minima do towards |v| -> infinity, are dropped and
counted), then padded with a zero node (w_{N+1,.} = 0, b_{N+1} = 0, w_1,N+1^(2) = 0) and the
gradient and Hessian index are evaluated at N_h + 1.

Expected analytically: the new output weight's gradient is sigma(0) dL/db^(2) = (1/2) dL/db^(2);
stationarity at N_h gives dL/db^(2) = -2 lam_b2 b^(2), so the padded gradient is
-lam_b2 b^(2): zero for ``none`` and ``weights``, nonzero for ``all`` unless b^(2) = 0. Every
other new component is proportional to the new output weight (zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VARIANTS = ("none", "weights", "all")
PAD_TOL = 1e-8  # max |gradient| at N_h + 1 for "still stationary"
NEWTON_STEP_TOL = 1e-8  # Newton correction at a converged stationary point


def pad(v, n_h: int) -> np.ndarray:
    """The N_h + 1 network equal to ``v`` with an extra hidden node whose weights are all zero."""
    v = np.asarray(v, float)
    W1, b1, W2, b2 = v[: 2 * n_h], v[2 * n_h : 3 * n_h], v[3 * n_h : 4 * n_h], v[4 * n_h]
    return np.concatenate([W1, [0.0, 0.0], b1, [0.0], W2, [0.0], [b2]])


def newton_stationary(v0, n_h: int, reg, max_iter: int = 200, max_norm: float = 1e3):
    """Newton-Raphson on grad E = 0 (any index). Returns v or None (no convergence, runaway)."""
    from .potential import TOL, egh  # numba: loaded only by the jobs that search

    v = np.asarray(v0, float).copy()
    for _ in range(max_iter):
        _, g, H = egh(v, n_h, reg, True)
        try:
            step = np.linalg.lstsq(H, -g, rcond=None)[0]
        except np.linalg.LinAlgError:
            return None
        n = np.linalg.norm(step)
        # a true stationary point: small gradient *and* a vanishing Newton correction (at
        # lam = 0 a point far out on a saturated plateau has a tiny gradient but an O(1) step)
        if np.sqrt(np.mean(g * g)) < TOL["grad_rms"] and n < NEWTON_STEP_TOL:
            return v
        if n > 1.0:
            step *= 1.0 / n
        v = v + step
        if not np.all(np.isfinite(v)) or np.linalg.norm(v) > max_norm:
            return None
    return None


def check(points: list[tuple[int, str, int, np.ndarray]], lam: float,
          gate: str = "xor") -> pd.DataFrame:
    """``points``: (n_h, kind, id, v) census stationary points at ``lam``. One row per
    (point, variant) that is stationary for the variant at N_h; v = 0 is added for every n_h."""
    from .potential import egh, index_of, reg_vector  # numba: loaded only by the jobs that search

    rows = []
    nhs = sorted({p[0] for p in points})
    pts = list(points) + [(n, "origin", -1, np.zeros(4 * n + 1)) for n in nhs]
    for variant in VARIANTS:
        for n_h, kind, pid, v in pts:
            reg = reg_vector(n_h, lam, variant, gate)
            w = v if variant == "all" else newton_stationary(v, n_h, reg)
            if w is None:
                rows.append({"variant": variant, "n_h": n_h, "kind": kind, "point": pid,
                             "lam": lam, "found": False})
                continue
            idx0 = index_of(w, n_h, reg)[0]
            g0 = np.abs(egh(w, n_h, reg, False)[1]).max()
            p = pad(w, n_h)
            reg1 = reg_vector(n_h + 1, lam, variant, gate)
            g1 = egh(p, n_h + 1, reg1, False)[1]
            idx1 = index_of(p, n_h + 1, reg1)[0]
            rows.append({"variant": variant, "n_h": n_h, "kind": kind, "point": pid,
                         "lam": lam, "found": True, "index_nh": idx0, "grad_nh": g0,
                         "b2": float(w[4 * n_h]), "grad_padded": float(np.abs(g1).max()),
                         "predicted_grad": float(abs(reg[4 * n_h] * w[4 * n_h])),
                         "stationary_padded": bool(np.abs(g1).max() < PAD_TOL),
                         "index_padded": idx1})
    df = pd.DataFrame(rows)
    for c, fill in (("index_nh", -1), ("index_padded", -1)):
        df[c] = df[c].fillna(fill).astype(int)
    for c in ("grad_nh", "b2", "grad_padded", "predicted_grad"):
        df[c] = df[c].astype(float)
    df["stationary_padded"] = df["stationary_padded"].fillna(False).astype(bool)
    df["found"] = df["found"].astype(bool)
    return df


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per variant: points tested, how many stay stationary when padded."""
    f = df[df["found"]]
    out = f.groupby("variant", sort=False).agg(
        tested=("point", "size"), stationary=("stationary_padded", "sum"),
        max_grad_padded=("grad_padded", "max")).reset_index()
    out["dropped"] = [int((~df["found"] & (df["variant"] == v)).sum()) for v in out["variant"]]
    out["holds"] = out["stationary"] == out["tested"]
    return out
