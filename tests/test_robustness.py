"""The robustness stage (xornet.robustness): readings, the seed ensemble, the evaluation and
its rendering; the stage itself at CI scale on the session's CI build."""

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, run_snakemake

from xornet import choices, io, model, rng, robustness, train


def _config():
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def test_readings_cover_every_swept_alternative_once():
    cfg = _config()
    reads = robustness.readings(cfg)
    labels = [r.label for r in reads]
    assert len(labels) == len(set(labels))
    for c in choices.CHOICES:
        got = [r for r in reads if r.key == c.key]
        if c.sweep == "not swept":
            assert not got
        else:
            assert [r.value for r in got] == choices.alternatives(c, cfg)
    seeds = [r for r in reads if r.is_seed]
    assert len(seeds) >= 16
    for r in reads:  # each reading changes exactly its own key (and its reduced sizes)
        assert choices.get(r.config, r.key) == r.value
        assert r.config["seed"] == (r.value if r.is_seed else cfg["seed"])
        assert r.config == choices.reading_config(cfg, choices.BY_KEY[r.key], r.value)
        assert r.reduced == choices.reduced_sizes(choices.BY_KEY[r.key], cfg)


def test_reading_paths_replace_only_recomputed_inputs():
    cfg = _config()
    r = next(x for x in robustness.readings(cfg) if x.key == "optimizers.adam.lr")
    paths = {"separation": "results/training/separation_order.parquet",
             "fits": "results/training/powerlaw_fits.parquet"}
    got = robustness.reading_paths(r, paths)
    assert got["fits"] == paths["fits"]
    assert got["separation"] == f"results/robustness/{r.label}/training/separation_order.parquet"


def test_reduced_readings_keep_their_files_at_their_own_box():
    """entropy.R = 10 keeps S(L) and its sampler runs under R10 (its own config's paths), in
    its directory; its merge reads the reduced n_h; Fig. 5 of 'ours' reads our solutions."""
    cfg = _config()
    sw = robustness.Sweep(cfg, "nh2_eta0.1")
    r10 = sw.readings["entropy.R=10"]
    paths = r10.input_paths()
    assert paths["entropy"] == "results/robustness/entropy.R=10/entropy/entropy_R10.parquet"
    assert paths["entropy_run"] == "results/robustness/entropy.R=10/entropy/runs/R10/nh2_run0.parquet"
    assert paths["intruders"] == "results/robustness/entropy.R=10/entropy/intruders.parquet"
    assert r10.reduced == {"entropy.n_h": cfg["robustness"]["entropy"]["n_h"]}
    assert "entropy.n_h = [" in r10.reduced_text()
    wc = type("WC", (), {"reading": "entropy.R=10", "R": "10"})()
    files = sw.entropy_inputs(wc)
    n_h, runs = cfg["robustness"]["entropy"]["n_h"], cfg["entropy"]["n_runs"]
    assert len(files["runs"]) == len(n_h) * runs and len(files["simple"]) == len(n_h)
    assert all(f.startswith("results/robustness/entropy.R=10/entropy/") for f in
               files["runs"] + files["simple"])
    assert sw.entropy_file(wc) == paths["entropy"]
    assert set(sw.files()) >= set(paths.values())
    ours = type("WC", (), {"reading": "perturbation.reference=ours"})()
    assert sw.perturb_ref(ours) == {"solutions": "results/training/solutions.parquet"}
    assert sw.readings["perturbation.reference=ours"].input_paths() == {
        "plateaus": "results/robustness/perturbation.reference=ours/perturbation/plateaus.parquet"}
    spec = next(x for x in sw.specs() if x["label"] == "perturbation.reference=ours")
    assert spec["reduced"] == f"perturbation.max_epochs = {cfg['robustness']['perturbation']['max_epochs']}"
    assert next(x for x in sw.specs() if x["label"] == "optimizers.adam.lr=0.01")["reduced"] == ""


def test_plateaus_do_not_depend_on_the_epoch_cap():
    """Why perturbation.reference = ours may run at a reduced cap: solution #1 is converged
    (tau_conv(0) = 0), so the plateau (tau_conv unchanged) is decided at epoch 0; two caps give
    the same plateau frame, bisection included."""
    from xornet import perturb

    v_ref = perturb.reference_vector("paper", 2)
    base = {"reference": "paper", "delta": {"min": -3.0, "max": 3.0, "step": 1.0},
            "n_replicas": 4, "eta": 0.1, "plateau_resolution": 0.05,
            "bootstrap": {"n_resamples": 20, "confidence": 0.9}, "chunk_epochs": 256}
    out = []
    for cap in (30, 600):
        pts, _, plateau, _ = perturb.sweep_parameter(
            v_ref, "w2_1_2", 2, {**base, "max_epochs": cap}, threshold=0.005, seed=7,
            reference="paper", progress_seconds=1e9)
        assert int(plateau["tau0"].iloc[0]) == 0
        assert (pts["tau_conv"] > 0).any()  # points off the plateau exist ...
        out.append(plateau)
    pd.testing.assert_frame_equal(out[0], out[1])  # ... and the plateau is the same


def test_sweep_constraints_and_run_paths():
    cfg = _config()
    sw = robustness.Sweep(cfg, "nh2_eta0.1")
    assert all(lab.startswith("seed=") or "optimizers" in lab for lab in sw.labels("optimizers"))
    assert not any(lab.startswith("seed=") for lab in sw.labels("train_run", seeds=False))
    seed = sw.labels("train_run")[-1]
    assert sw.run_path(seed, "nh18_eta0.1").startswith(f"results/robustness/{seed}/")
    trunc = "table2.truncate_epoch=70000"
    assert sw.run_path(trunc, "nh2_eta0.1").startswith(f"results/robustness/{trunc}/")
    assert sw.run_path(trunc, "nh18_eta0.1") == "results/training/runs/nh18_eta0.1.parquet"


def test_seed_runs_match_train_gd():
    """Each ensemble replica is the train_run job of its root seed (same records, parameters
    and losses; the loss is evaluated in NumPy here, so allow the last bit)."""
    tr = {"n_epochs": 20000, "points_per_decade": 5, "randomized": True, "init_scale": 0.1}
    runs = [{"n_h": 2, "eta": 0.5}, {"n_h": 2, "eta": 20.0}, {"n_h": 3, "eta": 0.1}]
    out = robustness.seed_runs([3, 4], runs, tr, threshold=0.005,
                               extra_epochs={"nh2_eta0.5": [777]})
    assert len(out) == 6
    for (s, lab), (df, extra) in out.items():
        run = next(r for r in runs if f"nh{r['n_h']}_eta{r['eta']:g}" == lab)
        n_h = run["n_h"]
        v0 = model.init_uniform(n_h, rng.generator(s, f"training/init/nh{n_h}"), scale=0.1)
        st = rng.replica_states(s, 1, f"training/batches/nh{n_h}")[0]
        ext = [777] if lab == "nh2_eta0.5" else []
        ref = train.train_gd(v0, n_h, run["eta"], 20000, randomized=True, state=st,
                             record_epochs=train.log_epochs(20000, 5, extra=ext))
        assert list(df.columns) == list(ref.columns)
        assert df["epoch"].tolist() == ref["epoch"].tolist()
        assert df["status"].tolist() == ref["status"].tolist()
        num = [c for c in ref.columns if c != "status"]
        np.testing.assert_allclose(df[num].to_numpy(float), ref[num].to_numpy(float),
                                   rtol=1e-12, atol=1e-15)
        assert extra["seed"] == s and extra["init"] == pytest.approx(v0.tolist())
        io.check_frame(df, "training_run") if hasattr(io, "check_frame") else None


def test_wilson_interval_against_the_formula_and_edges():
    lo, hi = robustness.wilson(8, 16)
    z = 1.959963984540054
    p, n = 0.5, 16
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (lo, hi) == pytest.approx((mid - half, mid + half))
    assert robustness.wilson(0, 16)[0] == 0.0 and robustness.wilson(16, 16)[1] == 1.0
    assert robustness.wilson(16, 16)[0] > 0.79
    assert all(np.isnan(robustness.wilson(0, 0)))


def _rows():
    rows = []

    def add(reading, choice, value, cid, holds, reduced="", ci_scale=False, found=None):
        rows.append({"reading": reading, "choice": choice, "value": value, "id": cid,
                     "statement": f"claim {cid}",
                     "reproduced_value": found or f"{cid} under {reading}",
                     "outcome": {"holds": "reproduced", "differs": "differs"}.get(holds, ""),
                     "verdict": "", "ci_scale": ci_scale, "reason": "", "note": "",
                     "reduced": reduced, "holds": holds})

    add("default", "", "", "B5", "differs")
    add("default", "", "", "B6", "holds")
    add("optimizers.adam.lr=0.01", "optimizers.adam.lr", "0.01", "B5", "holds")
    add("optimizers.adam.lr=0.01", "optimizers.adam.lr", "0.01", "B6", "holds")
    add("optimizers.adam.lr=0.1", "optimizers.adam.lr", "0.1", "B5", "not checkable")
    add("optimizers.adam.lr=0.1", "optimizers.adam.lr", "0.1", "B6", "differs")
    for k in range(16):
        add(f"seed={k}", "seed", str(k), "B5", "holds" if k < 12 else "differs")
    # A15 reads the seed sweep's files but every seed finds the default's value
    add("default", "", "", "A15", "holds", found="printed sets are solutions")
    for k in range(16):
        add(f"seed={k}", "seed", str(k), "A15", "holds", found="printed sets are solutions")
    # B10 under a reading at reduced sizes, below paper scale there
    add("default", "", "", "B10", "holds")
    add("perturbation.reference=ours", "perturbation.reference", "ours", "B10", "differs",
        reduced="perturbation.max_epochs = 1000", ci_scale=True)
    return pd.DataFrame(rows, columns=robustness.COLUMNS)


def test_per_claim_counts_flips_and_seeds():
    pc = robustness.per_claim(_rows()).set_index("id")
    b5, b6 = pc.loc["B5"], pc.loc["B6"]
    assert (b5["k"], b5["n"], b5["n_readings"]) == (1, 2, 3)  # not checkable not counted
    assert (b6["k"], b6["n"]) == (2, 3)
    assert (b5["seeds_hold"], b5["seeds_n"]) == (12, 16)
    assert (b5["seeds_lo"], b5["seeds_hi"]) == pytest.approx(robustness.wilson(12, 16))
    assert b5["flips"].startswith("holds with optimizers.adam.lr = 0.01")
    assert b6["flips"].startswith("differs with optimizers.adam.lr = 0.1")
    assert b6["seeds_n"] == 0
    a15 = pc.loc["A15"]
    assert a15["seed_invariant"] and not b5["seed_invariant"] and a15["seeds_n"] == 16
    assert "every one of 16 seeds gives the default's value" in robustness.readings_column(a15)
    b10 = pc.loc["B10"]
    assert b10["flips"].startswith("differs with perturbation.reference = ours (reduced sizes)")
    assert not b10["ci_scale"]  # a reduced reading below paper scale is not 'CI scale'


def test_grid_and_markdown():
    df = _rows()
    g = robustness.grid(df).set_index("id")
    assert g.loc["B5", "seed"] == "12/16 seeds"
    assert g.loc["B6", "optimizers.adam.lr"] == "0.01: holds; 0.1: differs"
    assert g.loc["B6", "entropy.R"] == "not affected"
    assert g.loc["A15", "seed"] == "not affected"  # every seed as the default: no seed count
    assert g.loc["B10", "perturbation.reference"] == "ours: differs (reduced sizes)"
    md = robustness.markdown(df)
    assert "| B5 |" in md and "12/16" in md and "`optimizers.mc.step`" in md  # not swept: listed
    assert "| A15 | claim A15 | holds | 1 of 1 | — |" in md
    assert "## Readings at reduced sizes" in md and "perturbation.max_epochs = 1000" in md
    assert "Inputs at CI scale" not in md  # only the reduced reading is below paper scale
    df.loc[df["reading"] == "default", "ci_scale"] = True
    assert "Inputs at CI scale" in robustness.markdown(df)


def test_scorecard_markdown_and_readme_block():
    from xornet import claims

    card = claims.evaluate({}, {})  # every claim, not checkable (no inputs)
    for cid, verdict, value in (("B5", "differs", "other order"), ("B6", "reproduced", "faster"),
                                ("A16", "differs", "L = 0.25")):
        m = card["id"] == cid
        card.loc[m, ["verdict", "outcome", "reproduced_value"]] = [verdict, verdict, value]
    md = robustness.scorecard_markdown(card, _rows())
    assert "holds under k of n readings" in md
    block = robustness.readme_block(md)
    assert "**B5**" in block and "reasonable reading:** optimizers.adam.lr = 0.01" in block
    assert "**A16**" in block and "No unstated choice affects it" in block
    assert "B6**" not in block
    readme = f"intro\n{robustness.BEGIN}\nOLD BLOCK\n{robustness.END}\nrest\n"
    new = robustness.splice_readme(readme, block)
    assert new.startswith("intro\n") and new.endswith("rest\n") and "OLD BLOCK" not in new
    assert robustness.splice_readme(new, block) == new
    with pytest.raises(ValueError, match="markers"):
        robustness.splice_readme("no markers", block)


@pytest.mark.slow
def test_robustness_stage_at_ci_scale(ci_workflow):
    """The whole stage on the session's CI build: every reading evaluated, outputs rendered."""
    run_snakemake(ci_workflow, "--cores", "2", "robustness", "figures/claims_robustness.md")
    df = io.read_frame(ci_workflow / "results/robustness/claims.parquet", "robustness_claims")
    cfg = yaml.safe_load((ci_workflow / "config.yaml").read_text())
    cfg["robustness"].update(yaml.safe_load((ci_workflow / "config/ci.yaml").read_text())["robustness"])
    want = {r.label for r in robustness.readings(cfg)} | {robustness.DEFAULT}
    assert set(df["reading"]) == want
    assert not df["reason"].str.startswith("check failed").any(), df.loc[
        df["reason"].str.startswith("check failed"), ["reading", "id", "reason"]]
    assert (df["reading"] == "default").sum() == df["id"].nunique()
    for name in ("figures/robustness.md", "figures/robustness.pdf", "figures/claims_robustness.md"):
        assert (ci_workflow / name).stat().st_size > 0
    md = (ci_workflow / "figures/claims_robustness.md").read_text()
    assert "holds under k of n readings" in md and "## Differences from the paper" in md
