"""Microcanonical analysis of S(L) (Sec. III.D): merging runs, checks, smoothing, beta(L) =
dS/dL, gamma(L) = d beta/dL, inflection points (Qi & Bachmann, PRL 120, 180601, 2018), the
concave hull of S and its convex intruders (entropic barriers), and the exact loss infimum of
the n_h = 1 network in the box.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.signal import find_peaks, savgol_filter

from . import gates
from . import model as M

QUARTERS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0))


def region_label(L: float) -> str:
    for lo, hi in QUARTERS:
        if L < hi or hi == 1.0:
            return f"{lo:g}-{hi:g}"
    return "0.75-1"


# ----------------------------------------------------------------------------- merging


def merge_runs(
    S_runs: np.ndarray,
    err_runs: np.ndarray,
    S_ss: np.ndarray,
    S_ss_err: np.ndarray,
    counts: np.ndarray,
    *,
    min_counts: int,
    scale: float = 1.0,
) -> dict:
    """Final S = mean over runs (defined where every run has an estimate), its error
    ``scale`` * sqrt(sum_r err_r^2) / n_runs from the runs' jackknife errors, and the per-bin
    comparison with simple sampling: z = (S - S_ss) / sqrt(err^2 + err_ss^2) where
    counts >= min_counts.
    """
    S_runs = np.asarray(S_runs, dtype=np.float64)
    err_runs = np.asarray(err_runs, dtype=np.float64)
    n = S_runs.shape[0]
    ok = np.all(np.isfinite(S_runs), axis=0)
    S = np.full(S_runs.shape[1], np.nan)
    S[ok] = S_runs[:, ok].mean(axis=0)
    err = scale * np.sqrt(np.sum(err_runs**2, axis=0)) / n
    err[~ok] = np.nan
    checked = ok & np.isfinite(err) & (np.asarray(counts) >= min_counts)
    with np.errstate(invalid="ignore"):
        z = np.where(checked, (S - S_ss) / np.sqrt(err**2 + S_ss_err**2), np.nan)
    return {"S": S, "S_err": err, "z": z, "checked": checked}


def runs_consistency(S_runs: np.ndarray, err_runs: np.ndarray) -> dict:
    """Independent runs agree with each other: z of each run against the mean of the others,
    with both jackknife errors, over bins where every run has an estimate and an error."""
    S_runs = np.asarray(S_runs, dtype=np.float64)
    err_runs = np.asarray(err_runs, dtype=np.float64)
    n = S_runs.shape[0]
    if n < 2:
        return {"runs_max_abs_z": float("nan"), "runs_chi2_per_bin": float("nan")}
    ok = np.all(np.isfinite(S_runs) & np.isfinite(err_runs), axis=0)
    zs = []
    for k in range(n):
        others = [j for j in range(n) if j != k]
        mo = S_runs[others][:, ok].mean(axis=0)
        eo2 = np.sum(err_runs[others][:, ok] ** 2, axis=0) / len(others) ** 2
        zs.append((S_runs[k, ok] - mo) / np.sqrt(err_runs[k, ok] ** 2 + eo2))
    zs = np.concatenate(zs)
    return {"runs_max_abs_z": float(np.max(np.abs(zs))), "runs_chi2_per_bin": float(np.mean(zs**2))}


def check_summary(z: np.ndarray, checked: np.ndarray) -> dict:
    zc = z[checked]
    if zc.size == 0:
        return {
            "n_checked": 0,
            "max_abs_z": float("nan"),
            "chi2_per_bin": float("nan"),
            "frac_within_2": float("nan"),
        }
    return {
        "n_checked": int(zc.size),
        "max_abs_z": float(np.max(np.abs(zc))),
        "chi2_per_bin": float(np.mean(zc**2)),
        "frac_within_2": float(np.mean(np.abs(zc) < 2.0)),
    }


# ----------------------------------------------------------------------------- derivatives


def derivatives(L: np.ndarray, S: np.ndarray, window: float, polyorder: int) -> pd.DataFrame:
    """Smoothed S, beta = dS/dL and gamma = d beta/dL (Savitzky-Golay, window in L units).

    Works on the longest run of consecutive bins where S is defined; elsewhere NaN.
    """
    L = np.asarray(L, dtype=np.float64)
    S = np.asarray(S, dtype=np.float64)
    out = {
        "S_smooth": np.full(L.size, np.nan),
        "beta": np.full(L.size, np.nan),
        "gamma": np.full(L.size, np.nan),
    }
    ok = np.isfinite(S)
    if ok.sum() < 5:
        return pd.DataFrame({"L": L, **out})
    # longest contiguous defined stretch
    idx = np.flatnonzero(ok)
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.r_[idx[0], idx[breaks + 1]]
    ends = np.r_[idx[breaks], idx[-1]]
    j = int(np.argmax(ends - starts))
    a, b = int(starts[j]), int(ends[j]) + 1
    dL = L[1] - L[0]
    n = b - a
    win = int(round(window / dL)) | 1
    win = max(win, polyorder + 2 + (polyorder % 2 == 0))
    if win > n:
        win = n if n % 2 == 1 else n - 1
    if win <= polyorder:
        return pd.DataFrame({"L": L, **out})
    seg = S[a:b]
    out["S_smooth"][a:b] = savgol_filter(seg, win, polyorder, mode="interp")
    out["beta"][a:b] = savgol_filter(seg, win, polyorder, deriv=1, delta=dL, mode="interp")
    out["gamma"][a:b] = savgol_filter(seg, win, polyorder, deriv=2, delta=dL, mode="interp")
    return pd.DataFrame({"L": L, **out})


def inflection_points(d: pd.DataFrame, prominence_frac: float, edge: float = 0.0) -> pd.DataFrame:
    """Least-sensitive inflection points (Qi & Bachmann 2018): peaks of gamma(L).

    A positive-valued peak of gamma marks a back-bending beta, i.e. a convex region of S
    ("first-order-like"); a negative-valued peak an inflection point of beta with negative
    slope ("second-order-like"). Peaks must have a prominence of at least ``prominence_frac``
    times the range of gamma; peaks within ``edge`` of the ends of the defined range are
    dropped (the smoothing window is one-sided there).
    """
    g = d["gamma"].to_numpy()
    ok = np.isfinite(g)
    cols = ["L", "beta", "gamma", "S_smooth", "prominence", "kind"]
    if ok.sum() < 3:
        return pd.DataFrame(columns=cols)
    idx = np.flatnonzero(ok)
    gg = g[idx]
    prom = prominence_frac * (gg.max() - gg.min())
    pk, props = find_peaks(gg, prominence=prom)
    Lv = d["L"].to_numpy()[idx]
    lo, hi = Lv[0] + edge, Lv[-1] - edge
    rows = []
    for p, pr in zip(pk, props["prominences"], strict=True):
        i = idx[p]
        if not (lo <= Lv[p] <= hi):
            continue
        rows.append(
            {
                "L": float(d["L"].iloc[i]),
                "beta": float(d["beta"].iloc[i]),
                "gamma": float(g[i]),
                "S_smooth": float(d["S_smooth"].iloc[i]),
                "prominence": float(pr),
                "kind": "first-order-like" if g[i] > 0 else "second-order-like",
            }
        )
    return pd.DataFrame(rows, columns=cols)


# ----------------------------------------------------------------------------- hull


def upper_hull(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the vertices of the upper (concave) hull of points sorted by x."""
    h: list[int] = []
    for i in range(len(x)):
        while len(h) >= 2:
            i1, i2 = h[-2], h[-1]
            # remove h[-1] if it lies on or below the chord h[-2] -> i
            cross = (x[i2] - x[i1]) * (y[i] - y[i1]) - (y[i2] - y[i1]) * (x[i] - x[i1])
            if cross >= 0:
                h.pop()
            else:
                break
        h.append(i)
    return np.array(h, dtype=np.int64)


def concave_hull(L: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Concave hull of S evaluated at every L where S is defined (NaN elsewhere)."""
    ok = np.isfinite(S)
    out = np.full(S.shape, np.nan)
    if ok.sum() < 2:
        out[ok] = S[ok]
        return out
    x, y = L[ok], S[ok]
    h = upper_hull(x, y)
    out[ok] = np.interp(x, x[h], y[h])
    return out


def convex_intruders(
    L: np.ndarray, S: np.ndarray, S_err: np.ndarray, *, min_depth: float, nsigma: float
) -> pd.DataFrame:
    """Convex intruders of S: stretches between consecutive hull vertices where S lies below
    its concave hull. Depth = max(hull - S) (the entropic barrier), its error the error of S
    there; ``significant`` if depth >= min_depth and depth >= nsigma * error. Where the error of
    S is unknown (NaN) it stays NaN and the intruder is not significant: the nsigma test cannot
    be made."""
    ok = np.isfinite(S)
    cols = ["L_left", "L_right", "L_max", "depth", "depth_err", "width", "region", "significant"]
    if ok.sum() < 3:
        return pd.DataFrame(columns=cols)
    x, y = L[ok], S[ok]
    e = np.asarray(S_err, dtype=float)[ok]
    h = upper_hull(x, y)
    hull = np.interp(x, x[h], y[h])
    gap = hull - y
    rows = []
    for a, b in zip(h[:-1], h[1:], strict=True):
        if b - a < 2:
            continue
        seg = gap[a + 1 : b]
        j = a + 1 + int(np.argmax(seg))
        depth = float(gap[j])
        if depth <= 0:
            continue
        rows.append(
            {
                "L_left": float(x[a]),
                "L_right": float(x[b]),
                "L_max": float(x[j]),
                "depth": depth,
                "depth_err": float(e[j]),
                "width": float(x[b] - x[a]),
                "region": region_label(float(x[j])),
                "significant": bool(depth >= min_depth and np.isfinite(e[j])
                                    and depth >= nsigma * e[j]),
            }
        )
    return pd.DataFrame(rows, columns=cols)


MAIN_PEAKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def minor_peaks(
    L: np.ndarray,
    S: np.ndarray,
    S_err: np.ndarray,
    *,
    main_halfwidth: float,
    min_depth: float,
    nsigma: float,
) -> pd.DataFrame:
    """Minor peaks of S(L): local maxima farther than ``main_halfwidth`` from the main peaks
    L = 0, 1/4, 1/2, 3/4, 1 (Sec. III.D: "additional minor peaks" of the smaller networks).

    The prominence of a minor peak (height above the higher of the two lowest points that
    separate it from higher S on either side, scipy's definition) is the depth of the convex
    intruder it creates: the entropic barrier a walker crossing it meets. ``significant`` if
    prominence >= min_depth and >= nsigma * sqrt(2) * error of S at the peak; not significant
    where that error is unknown (NaN, kept in ``prominence_err``).
    """
    cols = ["L", "S", "prominence", "prominence_err", "region", "significant"]
    ok = np.isfinite(S)
    if ok.sum() < 3:
        return pd.DataFrame(columns=cols)
    idx = np.flatnonzero(ok)
    x, y = L[idx], S[idx]
    e = np.asarray(S_err, dtype=float)[idx]
    pk, props = find_peaks(y, prominence=0.0)
    rows = []
    for p, pr in zip(pk, props["prominences"], strict=True):
        if min(abs(x[p] - m) for m in MAIN_PEAKS) <= main_halfwidth:
            continue
        perr = float(np.sqrt(2.0) * e[p])
        rows.append(
            {
                "L": float(x[p]),
                "S": float(y[p]),
                "prominence": float(pr),
                "prominence_err": perr,
                "region": region_label(float(x[p])),
                "significant": bool(pr >= min_depth and np.isfinite(perr)
                                    and pr >= nsigma * perr),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def minor_summary(mp: pd.DataFrame, n_hs) -> pd.DataFrame:
    """Per n_h: number of significant minor peaks, the largest prominence and where."""
    rows = []
    for n_h in n_hs:
        s = mp[(mp["n_h"] == n_h) & mp["significant"]]
        if len(s):
            r = s.loc[s["prominence"].idxmax()]
            rows.append(
                {
                    "n_h": int(n_h),
                    "n_minor": int(len(s)),
                    "max_prominence": float(r["prominence"]),
                    "max_prominence_err": float(r["prominence_err"]),
                    "L": float(r["L"]),
                    "sum_prominence": float(s["prominence"].sum()),
                }
            )
        else:
            rows.append(
                {
                    "n_h": int(n_h),
                    "n_minor": 0,
                    "max_prominence": 0.0,
                    "max_prominence_err": 0.0,
                    "L": float("nan"),
                    "sum_prominence": 0.0,
                }
            )
    return pd.DataFrame(rows)


def barrier_summary(intr: pd.DataFrame) -> pd.DataFrame:
    """Largest significant intruder depth per (n_h, quarter of the loss axis); 0 if none."""
    rows = []
    for n_h, g in intr.groupby("n_h"):
        for lo, hi in QUARTERS:
            lab = f"{lo:g}-{hi:g}"
            s = g[(g["region"] == lab) & g["significant"]]
            if len(s):
                r = s.loc[s["depth"].idxmax()]
                rows.append(
                    {
                        "n_h": int(n_h),
                        "region": lab,
                        "depth": float(r["depth"]),
                        "depth_err": float(r["depth_err"]),
                        "L_max": float(r["L_max"]),
                        "n_intruders": int(len(s)),
                    }
                )
            else:
                rows.append(
                    {
                        "n_h": int(n_h),
                        "region": lab,
                        "depth": 0.0,
                        "depth_err": 0.0,
                        "L_max": float("nan"),
                        "n_intruders": 0,
                    }
                )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- n_h = 1


def infimum_nh1_unbounded(gate: str = "xor") -> float:
    """Infimum of the loss of the n_h = 1 network over R^5: 1/6 for XOR (see docs/entropy.md).

    This is an XOR (and XNOR, its complement) fact: every other two-input gate is linearly
    separable, a single saturating hidden unit represents it, and the infimum is 0.

    yhat_m = F(z_m) with F monotone and z_00 + z_11 = z_01 + z_10; the best monotone fit
    (isotonic regression) of the targets (0, 1, 1, 0) in either admissible order pools three
    cases at 2/3 (or 1/3): loss (1/9 + 1/9 + 4/9) / 4 = 1/6, approached as the hidden unit
    saturates (OR/AND-like) with yhat = 0 (1) on the fourth case.
    """
    return 0.0 if gates.linearly_separable(gate) else 1.0 / 6.0


def infimum_nh1_box(R: float, n_starts: int = 16, seed: int = 0,
                    gate: str = "xor") -> tuple[float, np.ndarray]:
    """Minimum of the n_h = 1 loss over the box [-R, R]^5 (compact, so attained).

    Multi-start bounded quasi-Newton (L-BFGS-B) from random points and from the analytic
    OR-gate construction; returns (min loss, parameters).
    """
    rng = np.random.default_rng(seed)
    bounds = [(-R, R)] * 5

    def f(v):
        return float(M.loss(v, 1, gate=gate))

    def g(v):
        return np.asarray(M.grad(v, 1, gate=gate), dtype=np.float64).ravel()

    starts = [rng.uniform(-R, R, 5) for _ in range(n_starts)]
    # OR gate in the hidden unit, output 2/3 on the three 'on' cases (and the mirror images)
    for s1 in (1.0, -1.0):
        for s2 in (1.0, -1.0):
            starts.append(np.array([s1 * R, s1 * R, -s1 * R / 2, s2 * R, -s2 * (R - 1)]))
            starts.append(np.array([s1 * R / 2, s1 * R / 2, -s1 * 3 * R / 4, s2 * R, -s2 * R]))
    best, bv = np.inf, None
    for x0 in starts:
        r = minimize(
            f,
            np.clip(x0, -R, R),
            jac=g,
            method="L-BFGS-B",
            bounds=bounds,
            options={"ftol": 1e-16, "gtol": 1e-14, "maxiter": 20000},
        )
        if r.fun < best:
            best, bv = float(r.fun), r.x.copy()
    return best, bv


def nh1_infimum_extra(n_hs, R: float, gate: str = "xor") -> dict:
    """The n_h = 1 infimum of the loss, unbounded and in the box [-R, R]^5 with its
    parameters (the floor the sampled S(L) of n_h = 1 must stop at), if n_h = 1 is among
    ``n_hs``; else {}. Keys as stored in the ``extra`` of dataset ``entropy``."""
    if 1 not in {int(n) for n in n_hs}:
        return {}
    inf_box, v_box = infimum_nh1_box(R, gate=gate)
    return {"nh1_infimum_unbounded": infimum_nh1_unbounded(gate), "nh1_infimum_box": inf_box,
            "nh1_infimum_box_params": v_box.tolist()}


# ----------------------------------------------------------------------------- frames


def merge_frames(
    runs: list[pd.DataFrame], simple: list[pd.DataFrame], *, min_counts: int
) -> tuple[pd.DataFrame, dict]:
    """Schema ``entropy`` for every (n_h, R) in the inputs, plus a check summary per n_h."""
    allr = pd.concat(runs, ignore_index=True)
    alls = pd.concat(simple, ignore_index=True)
    out, summary = [], {}
    for (n_h, R), g in allr.groupby(["n_h", "R"], sort=True):
        piv = g.pivot(index="run", columns="bin", values="S").sort_index()
        pe = g.pivot(index="run", columns="bin", values="S_err").sort_index()
        nb = piv.shape[1]
        ss = alls[(alls["n_h"] == n_h) & (alls["R"] == R)].sort_values("bin")
        if len(ss) != nb:
            raise ValueError(f"simple sampling for n_h={n_h}, R={R} missing or has other bins")
        # PDG/Birge scale factor: if the independent runs scatter by more than their
        # jackknife errors (mean z^2 > 1), inflate the errors by sqrt(mean z^2)
        rc = runs_consistency(piv.to_numpy(), pe.to_numpy())
        chi2 = rc["runs_chi2_per_bin"]
        scale = float(np.sqrt(chi2)) if np.isfinite(chi2) and chi2 > 1.0 else 1.0
        m = merge_runs(
            piv.to_numpy(),
            pe.to_numpy(),
            ss["S"].to_numpy(),
            ss["S_err"].to_numpy(),
            ss["counts"].to_numpy(),
            min_counts=min_counts,
            scale=scale,
        )
        L = 0.5 * (ss["L_lo"].to_numpy() + ss["L_hi"].to_numpy())
        out.append(
            pd.DataFrame(
                {
                    "n_h": np.full(nb, n_h, dtype=np.int64),
                    "R": np.full(nb, float(R)),
                    "bin": np.arange(nb, dtype=np.int64),
                    "L": L,
                    "S": m["S"],
                    "S_err": m["S_err"],
                    "n_runs": np.full(nb, piv.shape[0], dtype=np.int64),
                    "S_ss": ss["S"].to_numpy(),
                    "S_ss_err": ss["S_err"].to_numpy(),
                    "counts_ss": ss["counts"].to_numpy(),
                    "checked": m["checked"],
                    "z": m["z"],
                }
            )
        )
        s = check_summary(m["z"], m["checked"])
        s.update(rc)
        s["error_scale"] = scale
        summary[f"nh{int(n_h)}_R{float(R):g}"] = s
    return pd.concat(out, ignore_index=True), summary


def analyse(ent: pd.DataFrame, cfg: dict):
    """Derivatives (schema ``entropy_derivatives``), inflection points and convex intruders
    of the merged S(L) of every n_h in ``ent``."""
    der, infl, intr, minor = [], [], [], []
    for n_h, g in ent.groupby("n_h", sort=True):
        g = g.sort_values("bin")
        L = g["L"].to_numpy()
        S = g["S"].to_numpy()
        err = g["S_err"].to_numpy()
        d = derivatives(L, S, cfg["smooth_window"], cfg["smooth_polyorder"])
        d.insert(0, "n_h", np.full(len(d), n_h, dtype=np.int64))
        d["S"] = S
        d["S_err"] = err
        d["hull"] = concave_hull(L, S)
        der.append(d[["n_h", "L", "S", "S_err", "S_smooth", "beta", "gamma", "hull"]])
        ip = inflection_points(d, cfg["gamma_prominence"], cfg["edge"])
        ip.insert(0, "n_h", np.full(len(ip), n_h, dtype=np.int64))
        infl.append(ip)
        ci = convex_intruders(
            L, S, err, min_depth=cfg["intruder_min_depth"], nsigma=cfg["intruder_nsigma"]
        )
        ci.insert(0, "n_h", np.full(len(ci), n_h, dtype=np.int64))
        intr.append(ci)
        mp = minor_peaks(
            L,
            S,
            err,
            main_halfwidth=cfg["main_peak_halfwidth"],
            min_depth=cfg["intruder_min_depth"],
            nsigma=cfg["intruder_nsigma"],
        )
        mp.insert(0, "n_h", np.full(len(mp), n_h, dtype=np.int64))
        minor.append(mp)
    fix = {"n_h": np.int64, "significant": bool}
    infl_df = pd.concat(infl, ignore_index=True).astype({"n_h": np.int64})
    intr_df = pd.concat(intr, ignore_index=True).astype(fix)
    for c in ("L", "beta", "gamma", "S_smooth", "prominence"):
        infl_df[c] = infl_df[c].astype(np.float64)
    infl_df["kind"] = infl_df["kind"].astype(object)
    for c in ("L_left", "L_right", "L_max", "depth", "depth_err", "width"):
        intr_df[c] = intr_df[c].astype(np.float64)
    intr_df["region"] = intr_df["region"].astype(object)
    mp_df = pd.concat(minor, ignore_index=True).astype(fix)
    for c in ("L", "S", "prominence", "prominence_err"):
        mp_df[c] = mp_df[c].astype(np.float64)
    mp_df["region"] = mp_df["region"].astype(object)
    return pd.concat(der, ignore_index=True), infl_df, intr_df, mp_df


def peak_height(L: np.ndarray, S: np.ndarray, L0: float, narrow: float = 0.02,
                side: float = 0.125, gap: float = 0.03) -> float:
    """Height of a peak of S near ``L0`` (Fig. 8: peaks at 0, 1/4, 1/2, 3/4, 1): the highest S
    within ``narrow`` of L0 minus the higher of the lowest S on each side (``gap`` .. ``side``
    away; one side at the ends of [0, 1]). Positive: S has a local maximum there. NaN if S is
    undefined near L0."""
    L, S = np.asarray(L, float), np.asarray(S, float)
    ok = np.isfinite(S)
    near = ok & (np.abs(L - L0) <= narrow)
    if not near.any():
        return float("nan")
    top = S[near].max()
    mins = []
    for sgn in (-1, 1):
        m = ok & (sgn * (L - L0) >= gap) & (sgn * (L - L0) <= side)
        if m.any():
            mins.append(S[m].min())
    if not mins:
        return float("nan")
    return float(top - max(mins))
