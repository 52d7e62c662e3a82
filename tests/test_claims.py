"""Reproduction scorecard (xornet.claims): registry, verdict logic, scale detection, the
machinery at CI scale end to end, and the HTML report."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_snakemake

from xornet import claims, config, io, lrwindow, microcanonical, schemas, train
from xornet.io import provenance, write_parquet
from xornet.landscape import features

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = config.load(ROOT / "config.yaml")


# --------------------------------------------------------------------------- registry
def test_registry_is_complete():
    ids = [c.id for c in claims.CLAIMS]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)
    sections = {c.section.split("/")[0] for c in claims.CLAIMS}
    for s in ("III.A", "III.B", "III.C.1", "III.C.2", "III.D"):
        assert s in sections, s
    for c in claims.CLAIMS:
        assert c.statement and c.paper_value and c.tolerance and c.location, c.id
        assert c.kind in ("value", "threshold", "qualitative"), c.id
        assert c.inputs and set(c.inputs) | set(c.scale_inputs) <= set(claims.INPUTS), c.id


def test_each_claim_is_declared_in_the_module_of_its_section_beside_its_check():
    prefix = {"table1": ("T", "II"), "learning_rate": ("A", "III.A"),
              "convergence": ("B", "III.B"), "loss_landscape": ("C", "III.C"),
              "density_of_loss": ("D", "III.D"), "census": ("M", "Mehta")}
    assert [c.id for c in claims.CLAIMS] == [c.id for s in claims.SECTIONS for c in s.CLAIMS]
    for s in claims.SECTIONS:
        letter, section = prefix[s.__name__.rsplit(".", 1)[1]]
        for c in s.CLAIMS:
            assert c.check.__module__ == s.__name__, c.id
            assert c.id.startswith(letter) and c.section.startswith(section), c.id
    checks = [c.check for c in claims.CLAIMS]
    assert len(set(checks)) == len(checks)  # one check per claim


def test_input_paths_follow_the_config():
    paths = claims.input_paths(DEFAULTS)
    assert paths["run_ref"] == "results/training/runs/nh2_eta0.1.parquet"
    assert paths["entropy"] == "results/entropy/entropy_R30.parquet"
    assert set(paths) == set(claims.INPUTS)


def test_every_scale_key_exists_in_the_defaults():
    for key, spec in claims.INPUTS.items():
        for _, dkey, op in spec.scale:
            assert claims._get(DEFAULTS, dkey) is not None, (key, dkey)
            assert op in (">=", "<=")
        for label, fn, dkey, op in spec.derived:
            assert callable(fn) and label, key
            assert claims._get(DEFAULTS, dkey) is not None, (key, dkey)
            assert op in (">=", "<=")


def test_sizes_read_from_the_data():
    frame = pd.DataFrame({"n_h": np.repeat([1, 2], 200), "n_runs": 2})
    out = claims.scale_issues("entropy", {"config": {}}, DEFAULTS, frame)
    assert out == ["entropy (bins per n_h 200 < 500, runs merged 2 < 4)"]
    frame = pd.DataFrame({"n_h": np.repeat([1, 2], 500), "n_runs": 4})
    assert claims.scale_issues("entropy", {"config": {}}, DEFAULTS, frame) == []


# --------------------------------------------------------------------------- verdict logic
def test_missing_inputs_give_not_checkable_never_a_crash(tmp_path):
    paths = {k: str(tmp_path / f"{k}.parquet") for k in claims.INPUTS}
    df = claims.evaluate(paths, DEFAULTS)
    assert len(df) == len(claims.CLAIMS)
    assert (df["verdict"] == "not checkable").all()
    assert df["reason"].str.startswith("stage not built").all()
    schemas.check_frame(df, "claims")
    md = claims.markdown(df)
    assert "Not checkable" in md and md.count("\n| ") >= len(df)


def _write(path, df, dataset, cfg, extra=None):
    write_parquet(df, path, dataset=dataset, prov=provenance(dataset, "test", cfg, 1), extra=extra)


def _plateaus(upper_w11):
    names = ["w1_1_1", "w1_1_2", "w1_2_1", "w1_2_2", "b1_1", "b1_2", "w2_1_1", "w2_1_2", "b2_1"]
    up = {"w1_1_1": upper_w11, "w1_1_2": 2.2, "w2_1_1": 1.6}
    open_ = {"w1_1_1", "w1_1_2", "w2_1_1"}
    return pd.DataFrame({
        "param": names, "tau0": np.zeros(9, np.int64), "resolution": 0.01,
        "lower_in": [-10.0 if n in open_ else -1.0 for n in names],
        "lower_out": [np.nan if n in open_ else -1.01 for n in names],
        "upper_in": [up.get(n, 1.0) for n in names], "upper_out": [up.get(n, 1.0) + 0.01 for n in names],
        "lower_open": [n in open_ for n in names], "upper_open": False,
        "bisection_steps": np.full(9, 7, np.int64)})


def test_verdicts_and_ci_scale_flag(tmp_path):
    paper = dict(DEFAULTS["perturbation"])
    small = dict(paper, n_replicas=8, max_epochs=20000)
    f_ok, f_bad, f_ci = tmp_path / "ok.parquet", tmp_path / "bad.parquet", tmp_path / "ci.parquet"
    _write(f_ok, _plateaus(2.21), "perturb_plateaus", paper)
    _write(f_bad, _plateaus(3.0), "perturb_plateaus", paper)
    _write(f_ci, _plateaus(2.21), "perturb_plateaus", small)
    b10 = next(c for c in claims.CLAIMS if c.id == "B10")
    b13 = next(c for c in claims.CLAIMS if c.id == "B13")

    def run(path, claim):
        return claims.evaluate({"plateaus": str(path)}, DEFAULTS, [claim]).iloc[0]

    r = run(f_ok, b10)
    assert (r["verdict"], r["outcome"], r["ci_scale"]) == ("reproduced", "reproduced", False)
    assert r["reproduced_number"] == pytest.approx(2.21)
    r = run(f_bad, b10)
    assert (r["verdict"], r["outcome"]) == ("differs", "differs")
    r = run(f_ci, b10)
    assert (r["verdict"], r["outcome"], r["ci_scale"]) == ("not checkable", "reproduced", True)
    assert "CI scale" in r["reason"] and "n_replicas 8 < 100" in r["reason"]
    assert run(f_ok, b13)["verdict"] == "reproduced"


def test_scale_issues_directions():
    prov = {"config": {"max_epochs": 5_000_000, "scan": {"n": 41}, "rel_resolution": 0.01}}
    out = claims.scale_issues("lr_full", prov, DEFAULTS)
    assert out == ["lr_full (rel_resolution 0.01 > 0.001)"]
    assert claims.scale_issues("lr_full", {"config": {}}, DEFAULTS)[0].count("not recorded") == 3
    assert claims.scale_issues("truth_table", {"config": {}}, DEFAULTS) == []


# --------------------------------------------------------------------------- science the checks use
# (in their stage modules: microcanonical, train, landscape.features, lrwindow)
def test_peak_height_finds_the_levels():
    L = np.linspace(0.0025, 0.9975, 200)
    S = -5 + sum(6 * np.exp(-((L - c) / 0.01) ** 2) for c in (0, 0.25, 0.5, 0.75, 1.0))
    for L0 in (0, 0.25, 0.5, 0.75, 1.0):
        assert microcanonical.peak_height(L, S, L0) > 5
    assert microcanonical.peak_height(L, S, 0.375) < 0.5  # flat between the levels: no peak
    S2 = S.copy()
    S2[L < 0.1] = np.nan
    assert np.isnan(microcanonical.peak_height(L, S2, 0.0))


def test_sequence_of_separation():
    def order(eps):
        return pd.DataFrame({"param": list(eps), "separation_epoch": list(eps.values())})

    paper_like = {"w1_2_1": 1, "w1_2_2": 2, "b1_2": 3, "w2_1_2": 4, "w1_1_1": 5, "w1_1_2": 6,
                  "b1_1": 7, "w2_1_1": 8, "b2_1": 9}
    ok, txt = train.separation_sequence_ok(order(paper_like))
    assert ok and "hidden neuron 2" in txt
    bad = dict(paper_like, b1_2=0.5)  # the bias moves first
    assert not train.separation_sequence_ok(order(bad))[0]


def test_duplicate_sections():
    f = pd.DataFrame({"x": ["a", "a", "b"], "y": ["c", "d", "c"], "well_frac": [0.1, 0.1, 0.3],
                      "turquoise_frac": [0.2, 0.2, 0.2], "yellow_frac": [0.7, 0.701, 0.5],
                      "red_frac": [0.0, 0.0, 0.0], "max_loss": [0.5, 0.5, 0.6]})
    assert features.duplicate_sections(f) == [("a/c", "a/d")]


def test_converging_intervals_and_the_main_one():
    eta = [0.001, 0.01, 0.1, 1.0, 10.0, 20.0, 30.0, 40.0]
    conv = [False, True, True, True, False, False, True, False]
    df = pd.DataFrame({"eta": eta[::-1], "converged": conv[::-1]})  # any order
    iv = lrwindow.converging_intervals(df)
    assert iv == [(0.01, 1.0, 0.001, 10.0), (30.0, 30.0, 20.0, 40.0)]
    main, all_ = lrwindow.main_interval(df)
    assert main == iv[0] and all_ == iv
    assert lrwindow.main_interval(df, eta0=25.0)[0] == iv[1]  # nearest in log eta
    edge = pd.DataFrame({"eta": [0.1, 1.0], "converged": [True, True]})
    lo, hi, below, above = lrwindow.converging_intervals(edge)[0]
    assert (lo, hi) == (0.1, 1.0) and np.isnan(below) and np.isnan(above)
    assert lrwindow.main_interval(edge.assign(converged=False)) == (None, [])


# --------------------------------------------------------------------------- end to end
@pytest.fixture
def ci_claims(ci_workflow):
    """The whole workflow at CI scale (the scorecard reads every stage; the report needs every
    figure): the session-wide build of tests/conftest.py."""
    return ci_workflow


@pytest.mark.slow
def test_every_claim_check_runs_at_ci_scale(ci_claims):
    df, meta = io.read_parquet(ci_claims / "results/claims/claims.parquet")
    schemas.check_frame(df, "claims")
    assert list(df["id"]) == [c.id for c in claims.CLAIMS]
    # every input was built by the workflow, and no check crashed
    assert not df["reason"].str.startswith("stage not built").any(), df["reason"].tolist()
    assert not df["reason"].str.startswith("check failed").any(), df["reason"].tolist()
    # claims reading CI-scale inputs are flagged and withheld, with the would-be outcome
    assert df["ci_scale"].any()
    flagged = df[df["ci_scale"]]
    assert (flagged["verdict"] == "not checkable").all()
    assert flagged["outcome"].isin(["reproduced", "differs"]).all()
    assert flagged["reason"].str.startswith("not checkable at CI scale").all()
    # the scale-independent ones get a real verdict
    for cid in ("T1", "A15", "A16"):
        assert df.set_index("id").loc[cid, "verdict"] in ("reproduced", "differs"), cid
    assert meta["extra"]["total"] == len(claims.CLAIMS)
    md = (ci_claims / "figures/claims.md").read_text()
    assert md.startswith("# Reproduction scorecard") and "Differences from the paper" in md
    assert (ci_claims / "figures/claims.png").stat().st_size > 0


@pytest.mark.slow
def test_html_report_has_every_figure_and_table(ci_claims):
    run_snakemake(ci_claims, "--report", "report.html")
    html = (ci_claims / "report.html").read_text(errors="replace")
    assert len(html) > 100_000  # self-contained: scripts and results are embedded
    # every figure and table (claims.md is the Markdown twin of the reported claims.html)
    made = sorted(p.name for p in (ci_claims / "figures").iterdir()
                  if p.suffix in (".pdf", ".md", ".html") and p.name != "claims.md")
    assert "claims.html" in made and "fig8.pdf" in made
    missing = [f for f in made if f"filename={f};" not in html]  # embedded as data URI
    assert not missing, f"not in the report: {missing}"
    # each result carries its caption: the paper item it reproduces (or, for the analyses
    # beyond the paper -- census, gates -- that it goes beyond it) and the rule
    assert html.count("Reproduces: paper") + html.count("Beyond the paper") >= len(made)
    assert "Reproduction scorecard" in html
