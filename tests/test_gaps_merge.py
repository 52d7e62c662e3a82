"""Error propagation behind Fig. 8's bands (xornet.microcanonical, xornet.entropy estimators),
checked on synthetic inputs whose answers are known without the code under test (issue 15).

Every statistic gets a lower as well as an upper bound: error bars that are too large must fail
as surely as error bars that are too small.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xornet import entropy as E
from xornet import microcanonical as C

# --------------------------------------------------------------------------- merge_runs, exact


def test_merge_equal_errors_is_sigma_over_sqrt_n():
    """n runs with the same error sigma in a bin: merged error sigma / sqrt(n) (not sigma / n,
    not sigma), times the scale factor; S is the plain mean; z uses both errors."""
    n, nb, sig = 4, 6, 0.1
    S_runs = np.arange(n * nb, dtype=float).reshape(n, nb) * 0.01
    err = np.full((n, nb), sig)
    S_ss = np.full(nb, 0.05)
    e_ss = np.full(nb, 0.03)
    counts = np.full(nb, 1000)
    m = C.merge_runs(S_runs, err, S_ss, e_ss, counts, min_counts=100)
    np.testing.assert_allclose(m["S"], S_runs.mean(axis=0), rtol=0, atol=1e-15)
    np.testing.assert_allclose(m["S_err"], 0.05, rtol=1e-14)  # 0.1 / sqrt(4)
    z_ref = (S_runs.mean(axis=0) - 0.05) / np.sqrt(0.05**2 + 0.03**2)
    np.testing.assert_allclose(m["z"], z_ref, rtol=1e-13)
    assert m["checked"].all()
    m2 = C.merge_runs(S_runs, err, S_ss, e_ss, counts, min_counts=100, scale=np.sqrt(2.0))
    np.testing.assert_allclose(m2["S_err"], 0.05 * np.sqrt(2.0), rtol=1e-14)


def test_merge_unequal_errors_and_missing_runs():
    """Errors add in quadrature over the runs, divided by the number of runs; a bin where one
    run has no estimate is undefined (S, error NaN, not checked)."""
    S_runs = np.array([[1.0, 2.0, 3.0], [3.0, np.nan, 5.0], [2.0, 2.0, 4.0]])
    err = np.array([[0.1, 0.1, 0.3], [0.2, 0.1, 0.4], [0.2, 0.1, 0.0]])
    m = C.merge_runs(S_runs, err, np.zeros(3), np.zeros(3), np.full(3, 10**6), min_counts=1)
    assert m["S"][0] == pytest.approx(2.0, abs=1e-15) and m["S"][2] == pytest.approx(4.0)
    assert m["S_err"][0] == pytest.approx(np.sqrt(0.01 + 0.04 + 0.04) / 3, rel=1e-14)
    assert m["S_err"][2] == pytest.approx(0.5 / 3, rel=1e-14)  # sqrt(0.09 + 0.16) / 3
    assert np.isnan(m["S"][1]) and np.isnan(m["S_err"][1]) and not m["checked"][1]
    assert np.isnan(m["z"][1])


def test_min_counts_boundary_is_inclusive():
    """A bin with exactly ``min_counts`` simple-sampling counts is checked, one fewer is not."""
    S_runs = np.zeros((2, 3))
    err = np.full((2, 3), 0.1)
    m = C.merge_runs(S_runs, err, np.zeros(3), np.full(3, 0.1), np.array([99, 100, 101]),
                     min_counts=100)
    assert m["checked"].tolist() == [False, True, True]


def test_check_summary_exact():
    z = np.array([0.0, 1.0, -2.0, 2.0, 3.0, np.nan, 50.0])
    checked = np.array([True, True, True, True, True, False, False])
    s = C.check_summary(z, checked)
    assert s["n_checked"] == 5
    assert s["max_abs_z"] == 3.0
    assert s["chi2_per_bin"] == pytest.approx((0 + 1 + 4 + 4 + 9) / 5, rel=1e-15)
    assert s["frac_within_2"] == pytest.approx(2 / 5)  # |z| = 2 exactly is not within 2
    e = C.check_summary(z, np.zeros(7, bool))
    assert e["n_checked"] == 0 and np.isnan(e["chi2_per_bin"])


def _runs_chi2_reference(S, err):
    """Definition: z of each run against the mean of the others, both errors."""
    n = S.shape[0]
    zs = []
    for k in range(n):
        o = [j for j in range(n) if j != k]
        mo = S[o].mean(axis=0)
        eo = np.sqrt((err[o] ** 2).sum(axis=0)) / len(o)
        zs.append((S[k] - mo) / np.hypot(err[k], eo))
    zs = np.concatenate(zs)
    return np.max(np.abs(zs)), np.mean(zs**2)


def test_runs_consistency_exact_two_and_three_runs():
    # two runs +-a about a common value with errors sigma: z = 2a / (sqrt(2) sigma) for both
    a, sig = 0.1, 0.1
    S = np.array([[1.0 + a, 2.0 + a], [1.0 - a, 2.0 - a]])
    rc = C.runs_consistency(S, np.full((2, 2), sig))
    assert rc["runs_chi2_per_bin"] == pytest.approx(2.0, rel=1e-12)
    assert rc["runs_max_abs_z"] == pytest.approx(np.sqrt(2.0), rel=1e-12)
    rng = np.random.default_rng(3)
    S3 = rng.normal(0, 1, (3, 40))
    E3 = rng.uniform(0.5, 2, (3, 40))
    mx, chi2 = _runs_chi2_reference(S3, E3)
    rc = C.runs_consistency(S3, E3)
    assert rc["runs_max_abs_z"] == pytest.approx(mx, rel=1e-12)
    assert rc["runs_chi2_per_bin"] == pytest.approx(chi2, rel=1e-12)
    assert np.isnan(C.runs_consistency(S3[:1], E3[:1])["runs_chi2_per_bin"])


# --------------------------------------------------------------------------- statistics


def _synthetic(rng, n_runs, nb, scatter):
    """Runs that report errors sigma_b but scatter by ``scatter`` * sigma_b about the truth;
    simple sampling = truth + its own (correctly reported) noise."""
    truth = rng.normal(0, 3, nb)
    sig = rng.uniform(0.02, 0.2, nb)
    S_runs = truth + scatter * sig * rng.normal(0, 1, (n_runs, nb))
    err = np.broadcast_to(sig, (n_runs, nb)).copy()
    e_ss = rng.uniform(0.01, 0.1, nb)
    S_ss = truth + e_ss * rng.normal(0, 1, nb)
    return S_runs, err, S_ss, e_ss, truth


def test_agreement_statistics_have_lower_and_upper_bounds():
    """Runs whose reported errors are right: z against simple sampling is N(0, 1), so over
    4000 bins mean z^2 = 1 +- 0.022 (sd), the fraction within 2 is 0.9545 +- 0.0033 and
    max |z| ~ 3.9. Bounds at ~5 sd on both sides: errors too large fail as well as too small."""
    rng = np.random.default_rng(2024)
    nb = 4000
    S_runs, err, S_ss, e_ss, _ = _synthetic(rng, 4, nb, 1.0)
    m = C.merge_runs(S_runs, err, S_ss, e_ss, np.full(nb, 10**6), min_counts=100)
    s = C.check_summary(m["z"], m["checked"])
    assert s["n_checked"] == nb
    assert 0.89 < s["chi2_per_bin"] < 1.11, s
    assert 0.938 < s["frac_within_2"] < 0.971, s
    assert 3.0 < s["max_abs_z"] < 5.5, s
    rc = C.runs_consistency(S_runs, err)
    assert 0.92 < rc["runs_chi2_per_bin"] < 1.08, rc
    assert 3.0 < rc["runs_max_abs_z"] < 6.0, rc


def _frames(S_runs, err, S_ss, e_ss, counts, n_h=2, R=30.0):
    n, nb = S_runs.shape
    e = np.linspace(0, 1, nb + 1)
    runs = [pd.DataFrame({"n_h": n_h, "R": R, "run": k, "bin": np.arange(nb), "S": S_runs[k],
                          "S_err": err[k]}) for k in range(n)]
    ss = pd.DataFrame({"n_h": n_h, "R": R, "bin": np.arange(nb), "L_lo": e[:-1], "L_hi": e[1:],
                       "S": S_ss, "S_err": e_ss, "counts": counts})
    return runs, [ss]


def test_birge_factor_exact():
    """Two runs +-sigma about the truth with errors sigma: mean z^2 between the runs is 2, so
    the errors are inflated by sqrt(2): merged error sqrt(2) * sqrt(2 sigma^2) / 2 = sigma.
    Runs that agree better than their errors (mean z^2 = 0.5) are not deflated."""
    sig, nb = 0.1, 20
    base = np.linspace(-3, 1, nb)
    for a, scale in ((sig, np.sqrt(2.0)), (sig / 2, 1.0)):
        S_runs = np.vstack([base + a, base - a])
        err = np.full((2, nb), sig)
        runs, ss = _frames(S_runs, err, base, np.full(nb, 0.01), np.full(nb, 1000))
        ent, summ = C.merge_frames(runs, ss, min_counts=100)
        s = summ["nh2_R30"]
        assert s["error_scale"] == pytest.approx(scale, rel=1e-12)
        assert s["runs_chi2_per_bin"] == pytest.approx(2 * a**2 / sig**2, rel=1e-12)
        np.testing.assert_allclose(ent["S_err"], scale * np.sqrt(2) * sig / 2, rtol=1e-12)
        np.testing.assert_allclose(ent["S"], base, atol=1e-14)
        np.testing.assert_allclose(ent["L"], (np.arange(nb) + 0.5) / nb, rtol=1e-12)
        np.testing.assert_allclose(ent["z"], 0.0, atol=1e-9)
        assert ent["checked"].all()


def test_birge_factor_restores_coverage():
    """Runs scattering by 3x their errors: with the scale factor the merged error bars cover the
    truth (mean z^2 in [0.85, 1.15] over 3000 bins, scale ~ 3); without it they would give ~9."""
    rng = np.random.default_rng(7)
    nb = 3000
    S_runs, err, _, _, truth = _synthetic(rng, 4, nb, 3.0)
    # compared with the exact truth (error ~0), z measures the merged error bars alone
    runs, ss = _frames(S_runs, err, truth, np.full(nb, 1e-9), np.full(nb, 1000))
    ent, summ = C.merge_frames(runs, ss, min_counts=100)
    s = summ["nh2_R30"]
    assert 2.8 < s["error_scale"] < 3.2, s
    assert 0.85 < s["chi2_per_bin"] < 1.15, s
    assert 0.93 < s["frac_within_2"] < 0.975, s
    # correct errors: the factor stays ~1
    S_runs, err, S_ss, e_ss, _ = _synthetic(rng, 4, nb, 1.0)
    runs, ss = _frames(S_runs, err, S_ss, e_ss, np.full(nb, 1000))
    _, summ = C.merge_frames(runs, ss, min_counts=100)
    assert summ["nh2_R30"]["error_scale"] < 1.06


def test_merge_frames_refuses_mismatched_simple_sampling():
    runs, ss = _frames(np.zeros((2, 5)), np.full((2, 5), 0.1), np.zeros(5), np.ones(5),
                       np.ones(5))
    with pytest.raises(ValueError, match="simple sampling"):
        C.merge_frames(runs, [ss[0].iloc[:4]], min_counts=1)


# --------------------------------------------------------------------------- estimators


def test_simple_sampling_entropy_exact():
    counts = np.array([0, 1, 4, 95])
    S, err = E.simple_sampling_entropy(counts, 100)
    assert np.isnan(S[0]) and np.isnan(err[0])
    np.testing.assert_allclose(S[1:], np.log(np.array([1, 4, 95]) / (100 * 0.25)), rtol=1e-15)
    np.testing.assert_allclose(err[1:], [1.0, 0.5, 1 / np.sqrt(95)], rtol=1e-15)


def test_normalise_lng_exact():
    lng = np.array([5.0, 5.0 + np.log(2), 5.0 + np.log(3), 99.0])
    out = E.normalise_lng(lng, np.array([True, True, True, False]))
    np.testing.assert_allclose(out[:3], np.log(np.array([1, 2, 3]) / 1.5), rtol=1e-13)
    assert np.isnan(out[3])


def _jackknife_reference(lnw, Hb):
    """Leave-one-block-out estimates, normalised over the bins they populate; variance
    (B-1)/B * sum of squared deviations from their mean."""
    B, nb = Hb.shape
    est = []
    for j in range(B):
        h = Hb.sum(axis=0) - Hb[j]
        x = lnw + np.log(h)
        est.append(x - np.log(np.sum(np.exp(x)) / nb))
    est = np.array(est)
    return np.sqrt((B - 1) / B * np.sum((est - est.mean(axis=0)) ** 2, axis=0))


def test_muca_jackknife_formula():
    rng = np.random.default_rng(11)
    lnw = rng.normal(0, 2, 7)
    Hb = rng.poisson(rng.uniform(50, 500, 7), (8, 7))
    S, err = E.muca_entropy(lnw, Hb)
    x = lnw + np.log(Hb.sum(axis=0))
    np.testing.assert_allclose(S, x - np.log(np.sum(np.exp(x)) / 7), rtol=1e-12)
    np.testing.assert_allclose(err, _jackknife_reference(lnw, Hb), rtol=1e-10)


def test_muca_jackknife_error_matches_true_scatter():
    """Independent Poisson blocks: the jackknife error equals the actual scatter of S over
    repetitions of the experiment (ratio within 10 %; a (B-1)/B -> 1/B slip gives 1/3, a
    missing sqrt or a variance of the mean over blocks instead of the jackknife gives >2x)."""
    rng = np.random.default_rng(5)
    lam = np.array([40.0, 400.0, 4000.0, 1000.0, 100.0])
    lnw = np.array([0.0, -1.0, 2.0, 0.5, 3.0])
    Ss, errs = [], []
    for _ in range(600):
        S, err = E.muca_entropy(lnw, rng.poisson(lam, (10, 5)))
        Ss.append(S)
        errs.append(err)
    ratio = np.mean(errs, axis=0) / np.std(Ss, axis=0, ddof=1)
    assert np.all((ratio > 0.9) & (ratio < 1.1)), ratio


# --------------------------------------------------------------------------- thresholds


def test_region_label_boundaries():
    assert C.region_label(0.0) == "0-0.25"
    assert C.region_label(np.nextafter(0.25, 0)) == "0-0.25"
    assert C.region_label(0.25) == "0.25-0.5"
    assert C.region_label(0.5) == "0.5-0.75"
    assert C.region_label(0.75) == "0.75-1"
    assert C.region_label(1.0) == "0.75-1"


def test_intruder_significance_boundaries():
    """A V-shaped dip of depth exactly 0.5 below a flat hull: significant iff
    depth >= min_depth and depth >= nsigma * error (both inclusive)."""
    L = np.array([0.0, 0.125, 0.25, 0.375, 0.5])
    S = np.array([0.0, -0.25, -0.5, -0.25, 0.0])
    err = np.full(5, 0.125)

    def sig(min_depth, nsigma):
        r = C.convex_intruders(L, S, err, min_depth=min_depth, nsigma=nsigma)
        assert len(r) == 1 and r["depth"].iloc[0] == 0.5 and r["L_max"].iloc[0] == 0.25
        assert r["depth_err"].iloc[0] == 0.125 and r["width"].iloc[0] == 0.5
        return bool(r["significant"].iloc[0])

    assert sig(0.5, 4.0)
    assert not sig(np.nextafter(0.5, 1), 4.0)
    assert not sig(0.5, np.nextafter(4.0, 5))
    assert sig(0.25, 2.0)
    assert C.convex_intruders(L, -S, err, min_depth=0.0, nsigma=0.0).empty  # concave: none


def test_minor_peak_boundaries():
    """A bump at L = 0.375 exactly 0.125 from the main peaks 0.25 and 0.5 is excluded with
    main_halfwidth = 0.125 (inclusive) and kept with anything smaller; its prominence
    (0.5 on a flat background) is significant at min_depth = 0.5, not above."""
    L = np.linspace(0.0, 1.0, 33)  # step 1/32: 0.375 is on the grid
    S = np.zeros_like(L)
    k = int(np.flatnonzero(L == 0.375)[0])
    S[k] = 0.5
    err = np.full_like(L, 0.01)
    assert C.minor_peaks(L, S, err, main_halfwidth=0.125, min_depth=0.1, nsigma=1).empty
    mp = C.minor_peaks(L, S, err, main_halfwidth=0.12, min_depth=0.5, nsigma=1)
    assert len(mp) == 1 and mp["L"].iloc[0] == 0.375 and mp["prominence"].iloc[0] == 0.5
    assert bool(mp["significant"].iloc[0])
    assert mp["prominence_err"].iloc[0] == pytest.approx(0.01 * np.sqrt(2), rel=1e-14)
    mp = C.minor_peaks(L, S, err, main_halfwidth=0.12, min_depth=np.nextafter(0.5, 1), nsigma=1)
    assert not bool(mp["significant"].iloc[0])


def test_derivatives_of_a_cubic_are_exact():
    """Savitzky-Golay of order 3 reproduces a cubic and its derivatives exactly (beta = S',
    gamma = S''), on the longest defined stretch only."""
    L = (np.arange(400) + 0.5) / 400
    c0, c1, c2, c3 = 1.0, -2.0, 3.0, 5.0
    S = c0 + c1 * L + c2 * L**2 + c3 * L**3
    S[:30] = np.nan
    S[35] = np.nan  # breaks the defined range: the longer part is used
    d = C.derivatives(L, S, 0.03, 3)
    ok = np.arange(400) > 35
    np.testing.assert_allclose(d["S_smooth"][ok], S[ok], atol=1e-9)
    np.testing.assert_allclose(d["beta"][ok], c1 + 2 * c2 * L[ok] + 3 * c3 * L[ok] ** 2,
                               atol=1e-6)
    np.testing.assert_allclose(d["gamma"][ok], 2 * c2 + 6 * c3 * L[ok], atol=1e-3)
    assert d.loc[~ok, ["beta", "gamma"]].isna().all().all()


def test_unknown_error_is_never_significant():
    """Where the error of S is NaN (unknown), an intruder or minor peak keeps a NaN error and is
    not significant, however deep: the nsigma test cannot be made (it was once read as 0)."""
    L = np.array([0.0, 0.125, 0.25, 0.375, 0.5])
    S = np.array([0.0, -0.25, -0.5, -0.25, 0.0])
    err = np.full(5, 0.125)
    err[2] = np.nan
    r = C.convex_intruders(L, S, err, min_depth=0.1, nsigma=1.0)
    assert len(r) == 1 and r["depth"].iloc[0] == 0.5 and np.isnan(r["depth_err"].iloc[0])
    assert not bool(r["significant"].iloc[0])
    err[2] = 0.125  # the same dip with a known error is significant
    assert bool(C.convex_intruders(L, S, err, min_depth=0.1, nsigma=1.0)["significant"].iloc[0])

    L = np.linspace(0.0, 1.0, 33)
    S = np.zeros_like(L)
    k = int(np.flatnonzero(L == 0.375)[0])
    S[k] = 0.5
    err = np.full_like(L, 0.01)
    err[k] = np.nan
    mp = C.minor_peaks(L, S, err, main_halfwidth=0.12, min_depth=0.1, nsigma=1)
    assert len(mp) == 1 and mp["prominence"].iloc[0] == 0.5
    assert np.isnan(mp["prominence_err"].iloc[0]) and not bool(mp["significant"].iloc[0])
    err[k] = 0.01
    assert bool(C.minor_peaks(L, S, err, main_halfwidth=0.12, min_depth=0.1,
                              nsigma=1)["significant"].iloc[0])
