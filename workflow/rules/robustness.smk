# Issue 11: the scorecard under every reasonable reading of the paper's unstated choices.
# `snakemake figures/robustness.md` (not part of `all`; docs/robustness.md).
#
# Mechanism: each stage rule a choice touches is reused with `use rule X as robustness_X with:`
# (same script, conda env, threads, resources), its outputs moved under
# results/robustness/<reading>/ and its config-derived params taken from the reading's config
# (xornet.robustness.readings: config.yaml with one key overridden). A {reading} wildcard is
# constrained to the readings that rerun that rule, so nothing else is recomputed. The seed
# sweep's training runs are the one exception: all seeds x Fig. 2 runs go through one ensemble
# kernel call per n_h (rule robustness_seed_runs) instead of one train_run job each.
import re

from xornet import choices as _choices
from xornet import robustness as _rob

ROB = _rob.Sweep(config, REF_RUN)  # readings, input functions, wildcard constraints
ROB_SEEDS = _choices.seeds(config)
ROB_TARGETS = ["figures/robustness.md", "figures/robustness.pdf"]
# figures/claims_robustness.md also needs the whole default scorecard (every stage): own target
# inputs of the affected claims at their default paths, and each reading's recomputed inputs
ROB_DEFAULT_PATHS = ROB.default_inputs(CLAIM_INPUTS)  # report.smk: only inputs some rule makes


rule robustness_seed_runs:
    """Every Fig. 2 run for every seed of the sweep: one ensemble kernel call per n_h."""
    output:
        expand("results/robustness/seed={s}/training/runs/{run}.parquet", s=ROB_SEEDS,
               run=ALL_RUNS),
    params:
        gate=config["gate"],
        seeds=ROB_SEEDS,
        runs=[ALL_RUNS[k] for k in ALL_RUNS],
        training=pick(TRAIN, "init_scale", "randomized", "n_epochs", "points_per_decade"),
        extra_epochs={REF_RUN: [config["table2"]["truncate_epoch"]]},
        threshold=config["threshold"],
    log:
        "logs/robustness/seed_runs.log",
    benchmark:
        "results/benchmarks/robustness_seed_runs/all.tsv"
    threads: 2
    resources:
        runtime=30,
        mem_mb=2000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/robustness_seed_runs.py"


use rule train_run as robustness_train_run with:
    output:
        "results/robustness/{reading}/training/runs/{run}.parquet",
    params:
        training=lambda wc: pick(ROB.cfg(wc)["training"], "init_scale", "randomized", "n_epochs",
                                 "points_per_decade"),
        seed=lambda wc: ROB.cfg(wc)["seed"],
        extra_epochs=lambda wc: [ROB.cfg(wc)["table2"]["truncate_epoch"]] if wc.run == REF_RUN else [],
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
    wildcard_constraints:
        reading=ROB.constraint("train_run", seeds=False),
        run=re.escape(REF_RUN),
    log:
        "logs/robustness/{reading}/train_run/{run}.log",
    benchmark:
        "results/benchmarks/robustness_train_run/{reading}_{run}.tsv"


use rule powerlaw_fits as robustness_powerlaw_fits with:
    input:
        runs=lambda wc: [ROB.run_path(wc.reading, run) for run in TRAIN_RUNS],
    output:
        fits="results/robustness/{reading}/training/powerlaw_fits.parquet",
        gamma_eff="results/robustness/{reading}/training/gamma_eff.parquet",
    params:
        fit=lambda wc: ROB.cfg(wc)["training"]["fit"],
        halfwidth=lambda wc: ROB.cfg(wc)["training"]["gamma_eff_halfwidth"],
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("powerlaw_fits"),
    log:
        "logs/robustness/{reading}/powerlaw_fits.log",
    benchmark:
        "results/benchmarks/robustness_powerlaw_fits/{reading}.tsv"


use rule lr_window as robustness_lr_window with:
    output:
        "results/robustness/{reading}/training/lr_window_{batch}.parquet",
    params:
        cfg=lambda wc: pick(ROB.cfg(wc)["lr_window"], "n_h", "max_epochs", "scan", "rel_resolution"),
        init_scale=lambda wc: ROB.cfg(wc)["training"]["init_scale"],
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("lr_window"),
        batch="randomized|full",
    log:
        "logs/robustness/{reading}/lr_window_{batch}.log",
    benchmark:
        "results/benchmarks/robustness_lr_window/{reading}_{batch}.tsv"


use rule solutions as robustness_solutions with:
    input:
        ref=lambda wc: ROB.run_path(wc.reading, REF_RUN),
    output:
        "results/robustness/{reading}/training/solutions.parquet",
    params:
        cfg=lambda wc: ROB.cfg(wc)["table2"],
        reference=lambda wc: ROB.cfg(wc)["training"]["reference"],
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("solutions"),
    log:
        "logs/robustness/{reading}/solutions.log",
    benchmark:
        "results/benchmarks/robustness_solutions/{reading}.tsv"


use rule optimizers as robustness_optimizers with:
    output:
        traj="results/robustness/{reading}/training/optimizers.parquet",
        order="results/robustness/{reading}/training/separation_order.parquet",
    params:
        cfg=lambda wc: ROB.cfg(wc)["optimizers"],
        training=lambda wc: pick(ROB.cfg(wc)["training"], "init_scale", "randomized",
                                 "points_per_decade", "reference"),
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("optimizers"),
    log:
        "logs/robustness/{reading}/optimizers.log",
    benchmark:
        "results/benchmarks/robustness_optimizers/{reading}.tsv"


use rule landscape_grid as robustness_landscape_grid with:
    input:
        unpack(ROB.landscape_ref),
    output:
        "results/robustness/{reading}/landscape/grids/chunk{k}.parquet",
    params:
        cfg=lambda wc: pick(ROB.cfg(wc)["landscape"], "reference", "half_range", "n_points",
                            "grid_jobs"),
    wildcard_constraints:
        reading=ROB.constraint("landscape_grid"),
        k=r"\d+",
    log:
        "logs/robustness/{reading}/landscape_grid/chunk{k}.log",
    benchmark:
        "results/benchmarks/robustness_landscape_grid/{reading}_chunk{k}.tsv"


use rule landscape_features as robustness_landscape_features with:
    input:
        grids=expand("results/robustness/{{reading}}/landscape/grids/chunk{k}.parquet",
                     k=LANDSCAPE_CHUNKS),
    output:
        "results/robustness/{reading}/landscape/features.parquet",
    params:
        cfg=lambda wc: pick(ROB.cfg(wc)["landscape"], "features", "panels", "n_points"),
    wildcard_constraints:
        reading=ROB.constraint("landscape_features"),
    log:
        "logs/robustness/{reading}/landscape_features.log",
    benchmark:
        "results/benchmarks/robustness_landscape_features/{reading}.tsv"


use rule landscape_trajectory as robustness_landscape_trajectory with:
    input:
        unpack(ROB.landscape_ref),
    output:
        "results/robustness/{reading}/landscape/trajectories/{start}.parquet",
    params:
        cfg=lambda wc: {**pick(ROB.cfg(wc)["landscape"], "reference"), "trajectories": TRAJ_SETTINGS},
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
    wildcard_constraints:
        reading=ROB.constraint("landscape_trajectory"),
        start="|".join(map(re.escape, TRAJ_JOBS)) or "no-starts",
    log:
        "logs/robustness/{reading}/landscape_trajectory/{start}.log",
    benchmark:
        "results/benchmarks/robustness_landscape_trajectory/{reading}_{start}.tsv"


use rule landscape_trajectories as robustness_landscape_trajectories with:
    input:
        unpack(ROB.landscape_ref),
        paths=expand("results/robustness/{{reading}}/landscape/trajectories/{start}.parquet",
                     start=TRAJ_JOBS),
    output:
        traj="results/robustness/{reading}/landscape/trajectories.parquet",
        summary="results/robustness/{reading}/landscape/trajectory_summary.parquet",
    params:
        cfg=lambda wc: {**pick(ROB.cfg(wc)["landscape"], "reference", "half_range"),
                        "trajectories": TRAJ_SETTINGS},
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
    wildcard_constraints:
        reading=ROB.constraint("landscape_trajectories"),
    log:
        "logs/robustness/{reading}/landscape_trajectories.log",
    benchmark:
        "results/benchmarks/robustness_landscape_trajectories/{reading}.tsv"


use rule landscape_randomized as robustness_landscape_randomized with:
    input:
        unpack(ROB.landscape_ref),
    output:
        scans="results/robustness/{reading}/landscape/randomized.parquet",
        rms="results/robustness/{reading}/landscape/randomized_rms.parquet",
    params:
        cfg=lambda wc: pick(ROB.cfg(wc)["landscape"], "reference", "half_range", "randomized"),
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("landscape_randomized"),
    log:
        "logs/robustness/{reading}/landscape_randomized.log",
    benchmark:
        "results/benchmarks/robustness_landscape_randomized/{reading}.tsv"


use rule entropy_simple as robustness_entropy_simple with:
    output:
        "results/robustness/{reading}/entropy/simple/R{R}/nh{n_h}.parquet",
    params:
        draws=lambda wc: ROB.cfg(wc)["entropy"]["simple_draws"],
        n_bins=lambda wc: ROB.cfg(wc)["entropy"]["n_bins"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("entropy_simple"),
        n_h=r"\d+",
    log:
        "logs/robustness/{reading}/entropy_simple/R{R}_nh{n_h}.log",
    benchmark:
        "results/benchmarks/robustness_entropy_simple/{reading}_R{R}_nh{n_h}.tsv"


use rule entropy_run as robustness_entropy_run with:
    output:
        "results/robustness/{reading}/entropy/runs/R{R}/nh{n_h}_run{run}.parquet",
    params:
        sampler=lambda wc: ROB.cfg(wc)["entropy"]["sampler"],
        n_bins=lambda wc: ROB.cfg(wc)["entropy"]["n_bins"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
        checkpoint=lambda wc: (f"results/robustness/{wc.reading}/entropy/checkpoints/"
                               f"R{wc.R}_nh{wc.n_h}_run{wc.run}.npz"),
    wildcard_constraints:
        reading=ROB.constraint("entropy_run"),
        n_h=r"\d+",
        run=r"\d+",
    log:
        "logs/robustness/{reading}/entropy_run/R{R}_nh{n_h}_run{run}.log",
    benchmark:
        "results/benchmarks/robustness_entropy_run/{reading}_R{R}_nh{n_h}_run{run}.tsv"


use rule entropy_merge as robustness_entropy_merge with:
    input:
        unpack(ROB.entropy_inputs),
    output:
        "results/robustness/{reading}/entropy/entropy_R{R}.parquet",
    params:
        check=lambda wc: ROB.cfg(wc)["entropy"]["check"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("entropy_merge"),
    log:
        "logs/robustness/{reading}/entropy_merge/R{R}.log",
    benchmark:
        "results/benchmarks/robustness_entropy_merge/{reading}_R{R}.tsv"


use rule entropy_analysis as robustness_entropy_analysis with:
    input:
        ROB.entropy_file,
    output:
        derivatives="results/robustness/{reading}/entropy/derivatives.parquet",
        inflection="results/robustness/{reading}/entropy/inflection.parquet",
        intruders="results/robustness/{reading}/entropy/intruders.parquet",
        minor="results/robustness/{reading}/entropy/minor_peaks.parquet",
    params:
        analysis=lambda wc: ROB.cfg(wc)["entropy"]["analysis"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("entropy_analysis"),
    log:
        "logs/robustness/{reading}/entropy_analysis.log",
    benchmark:
        "results/benchmarks/robustness_entropy_analysis/{reading}.tsv"


# Fig. 5 of a reading: one perturb_param job per parameter, the grid in the job (the
# perturb_grid split is operational: same bytes either way)
use rule perturb_param as robustness_perturb_param with:
    input:
        unpack(ROB.perturb_ref),
    output:
        points="results/robustness/{reading}/perturbation/{param}/points.parquet",
        replicas="results/robustness/{reading}/perturbation/{param}/replicas.parquet",
        plateau="results/robustness/{reading}/perturbation/{param}/plateau.parquet",
    params:
        cfg=lambda wc: pick(ROB.cfg(wc)["perturbation"], "reference", "delta", "n_replicas",
                            "eta", "max_epochs", "plateau_resolution", "bootstrap"),
        threshold=lambda wc: ROB.cfg(wc)["threshold"],
        seed=lambda wc: ROB.cfg(wc)["seed"],
    wildcard_constraints:
        reading=ROB.constraint("perturb_param"),
        param="|".join(PERTURB_PARAMS),
    log:
        "logs/robustness/{reading}/perturb_param/{param}.log",
    benchmark:
        "results/benchmarks/robustness_perturb_param/{reading}_{param}.tsv"


use rule perturb_merge as robustness_perturb_merge with:
    input:
        points=expand("results/robustness/{{reading}}/perturbation/{param}/points.parquet",
                      param=PERTURB_PARAMS),
        replicas=expand("results/robustness/{{reading}}/perturbation/{param}/replicas.parquet",
                        param=PERTURB_PARAMS),
        plateau=expand("results/robustness/{{reading}}/perturbation/{param}/plateau.parquet",
                       param=PERTURB_PARAMS),
    output:
        points="results/robustness/{reading}/perturbation/points.parquet",
        replicas="results/robustness/{reading}/perturbation/replicas.parquet",
        plateaus="results/robustness/{reading}/perturbation/plateaus.parquet",
    wildcard_constraints:
        reading=ROB.constraint("perturb_merge"),
    log:
        "logs/robustness/{reading}/perturb_merge.log",
    benchmark:
        "results/benchmarks/robustness_perturb_merge/{reading}.tsv"


rule robustness_claims:
    """The affected claims under the default reading and under every alternative reading."""
    input:
        defaults=list(ROB_DEFAULT_PATHS.values()),
        readings=ROB.files(),
    output:
        "results/robustness/claims.parquet",
    params:
        paths=ROB_DEFAULT_PATHS,
        defaults=CLAIM_DEFAULTS,
        readings=ROB.specs(),
    log:
        "logs/robustness/claims.log",
    benchmark:
        "results/benchmarks/robustness_claims/all.tsv"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/robustness_claims.py"


rule robustness_report:
    """figures/robustness.md and .pdf: per-claim summary and the claims x choices grid."""
    input:
        "results/robustness/claims.parquet",
    output:
        md="figures/robustness.md",
        pdf="figures/robustness.pdf",
    log:
        "logs/robustness/report.log",
    benchmark:
        "results/benchmarks/robustness_report/all.tsv"
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/robustness_report.py"


rule robustness_scorecard:
    """The scorecard with the column 'holds under k of n readings' and, per claim that
    differs by default, under which readings it reproduces (source of the README block)."""
    input:
        scorecard="results/claims/claims.parquet",
        robustness="results/robustness/claims.parquet",
    output:
        "figures/claims_robustness.md",
    log:
        "logs/robustness/scorecard.log",
    benchmark:
        "results/benchmarks/robustness_scorecard/all.tsv"
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/robustness_scorecard.py"


rule robustness:
    """Target of the whole robustness stage."""
    input:
        ROB_TARGETS,
