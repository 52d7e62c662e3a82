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
    for r in reads:  # each reading changes exactly its own key
        assert choices.get(r.config, r.key) == r.value
        assert r.config["seed"] == (r.value if r.is_seed else cfg["seed"])


def test_reading_paths_replace_only_recomputed_inputs():
    cfg = _config()
    r = next(x for x in robustness.readings(cfg) if x.key == "optimizers.adam.lr")
    paths = {"separation": "results/training/separation_order.parquet",
             "fits": "results/training/powerlaw_fits.parquet"}
    got = robustness.reading_paths(r, paths)
    assert got["fits"] == paths["fits"]
    assert got["separation"] == f"results/robustness/{r.label}/training/separation_order.parquet"


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

    def add(reading, choice, value, cid, holds):
        rows.append({"reading": reading, "choice": choice, "value": value, "id": cid,
                     "statement": f"claim {cid}", "reproduced_value": f"{cid} under {reading}",
                     "outcome": {"holds": "reproduced", "differs": "differs"}.get(holds, ""),
                     "verdict": "", "ci_scale": False, "reason": "", "note": "",
                     "holds": holds})

    add("default", "", "", "B5", "differs")
    add("default", "", "", "B6", "holds")
    add("optimizers.adam.lr=0.01", "optimizers.adam.lr", "0.01", "B5", "holds")
    add("optimizers.adam.lr=0.01", "optimizers.adam.lr", "0.01", "B6", "holds")
    add("optimizers.adam.lr=0.1", "optimizers.adam.lr", "0.1", "B5", "not checkable")
    add("optimizers.adam.lr=0.1", "optimizers.adam.lr", "0.1", "B6", "differs")
    for k in range(16):
        add(f"seed={k}", "seed", str(k), "B5", "holds" if k < 12 else "differs")
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


def test_grid_and_markdown():
    df = _rows()
    g = robustness.grid(df).set_index("id")
    assert g.loc["B5", "seed"] == "12/16 seeds"
    assert g.loc["B6", "optimizers.adam.lr"] == "0.01: holds; 0.1: differs"
    assert g.loc["B6", "entropy.R"] == "not affected"
    md = robustness.markdown(df)
    assert "| B5 |" in md and "12/16" in md and "`entropy.R`" in md  # not swept: listed


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
