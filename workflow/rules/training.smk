# Sec. II-III.B: Table I, Figs. 1-4, Table II, learning-rate window, optimizer comparison.

TRAIN = config["training"]
TRAIN_RUNS = {run_label(r): r for r in TRAIN["runs"]}
REF_RUN = run_label(TRAIN["reference"])
ALL_RUNS = {**TRAIN_RUNS, REF_RUN: TRAIN["reference"]}

ALL_TARGETS += [
    "figures/table1.md",
    "figures/table1.tex",
    "figures/fig1.pdf",
    "figures/fig2.pdf",
    "figures/fig3.pdf",
    "figures/fig4.pdf",
    "figures/table2.md",
    "figures/table2.tex",
    "figures/lr_window.md",
    "figures/lr_window.pdf",
    "figures/optimizers.pdf",
]


rule truth_table:
    output:
        "results/training/truth_table.parquet",
    params:
        gate=config["gate"],
    log:
        "logs/truth_table.log",
    benchmark:
        "results/benchmarks/truth_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/truth_table.py"


rule train_run:
    """One gradient-descent run of Fig. 2 (v_k = 0.1 r_k), recorded at log-spaced epochs."""
    output:
        "results/training/runs/{run}.parquet",
    params:
        run=lambda wc: ALL_RUNS[wc.run],
        training=pick(TRAIN, "init_scale", "randomized", "n_epochs", "points_per_decade"),
        seed=config["seed"],
        # solution #1 of Table II is read from the reference run at this epoch
        extra_epochs=lambda wc: [config["table2"]["truncate_epoch"]] if wc.run == REF_RUN else [],
        threshold=config["threshold"],
        gate=config["gate"],
    wildcard_constraints:
        run=r"nh\d+_eta[0-9.e+-]+",
    log:
        "logs/train_run/{run}.log",
    benchmark:
        "results/benchmarks/train_run/{run}.tsv",
    priority: 30
    threads: 1
    resources:
        runtime=30,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/train_run.py"


rule powerlaw_fits:
    """gamma of Eq. (7) per run, and the running exponent gamma_eff(tau)."""
    input:
        runs=expand("results/training/runs/{run}.parquet", run=TRAIN_RUNS),
    output:
        fits="results/training/powerlaw_fits.parquet",
        gamma_eff="results/training/gamma_eff.parquet",
    params:
        runs=[TRAIN_RUNS[k] for k in TRAIN_RUNS],
        labels=list(TRAIN_RUNS),
        fit=TRAIN["fit"],
        halfwidth=TRAIN["gamma_eff_halfwidth"],
        threshold=config["threshold"],
        seed=config["seed"],
    log:
        "logs/powerlaw_fits.log",
    benchmark:
        "results/benchmarks/powerlaw_fits.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/powerlaw_fits.py"


rule lr_window:
    """eta interval in which the Fig. 2 initialization converges (scan + bisection)."""
    output:
        "results/training/lr_window_{batch}.parquet",
    params:
        gate=config["gate"],
        cfg=pick(config["lr_window"], "n_h", "max_epochs", "scan", "rel_resolution"),
        init_scale=TRAIN["init_scale"],
        randomized=lambda wc: wc.batch == "randomized",
        threshold=config["threshold"],
        seed=config["seed"],
    wildcard_constraints:
        batch="randomized|full",
    log:
        "logs/lr_window/{batch}.log",
    benchmark:
        "results/benchmarks/lr_window/{batch}.tsv",
    priority: 100
    threads: 2
    resources:
        runtime=60,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/lr_window.py"


rule lr_window_inits:
    """The same question from other random initializations: fraction converging vs eta."""
    output:
        "results/training/lr_window_inits.parquet",
    params:
        gate=config["gate"],
        cfg=pick(config["lr_window"], "n_h", "scan.eta_min", "scan.eta_max", "batches", "inits"),
        init_scale=TRAIN["init_scale"],
        threshold=config["threshold"],
        seed=config["seed"],
    log:
        "logs/lr_window_inits.log",
    benchmark:
        "results/benchmarks/lr_window_inits.tsv",
    priority: 80
    threads: 2
    resources:
        runtime=60,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/lr_window_inits.py"


rule solutions:
    """Table II: #1 from the reference run, #2-#5 from zero-temperature Monte Carlo."""
    input:
        ref=f"results/training/runs/{REF_RUN}.parquet",
    output:
        "results/training/solutions.parquet",
    params:
        gate=config["gate"],
        cfg=config["table2"],
        reference=TRAIN["reference"],
        threshold=config["threshold"],
        seed=config["seed"],
    log:
        "logs/solutions.log",
    benchmark:
        "results/benchmarks/solutions.tsv",
    priority: 70
    threads: 2
    resources:
        runtime=30,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/solutions.py"


rule optimizers:
    """GD vs Adam vs zero-T MC from the Fig. 2 start (Sec. III.B)."""
    output:
        traj="results/training/optimizers.parquet",
        order="results/training/separation_order.parquet",
    params:
        gate=config["gate"],
        cfg=config["optimizers"],
        training=pick(TRAIN, "init_scale", "randomized", "points_per_decade", "reference"),
        seed=config["seed"],
    log:
        "logs/optimizers.log",
    benchmark:
        "results/benchmarks/optimizers.tsv",
    priority: 40
    threads: 1
    resources:
        runtime=30,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/optimizers.py"


rule table1:
    input:
        "results/training/truth_table.parquet",
    output:
        md=paper_report("figures/table1.md", "table1"),
        tex="figures/table1.tex",
    log:
        "logs/table1.log",
    benchmark:
        "results/benchmarks/table1.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/table1.py"


rule fig1:
    output:
        paper_report("figures/fig1.pdf", "fig1"),
    log:
        "logs/fig1.log",
    benchmark:
        "results/benchmarks/fig1.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig1.py"


rule fig2:
    input:
        runs=expand("results/training/runs/{run}.parquet", run=TRAIN_RUNS),
        fits="results/training/powerlaw_fits.parquet",
        gamma_eff="results/training/gamma_eff.parquet",
    output:
        paper_report("figures/fig2.pdf", "fig2"),
    log:
        "logs/fig2.log",
    benchmark:
        "results/benchmarks/fig2.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig2.py"


rule fig3:
    input:
        f"results/training/runs/{REF_RUN}.parquet",
    output:
        paper_report("figures/fig3.pdf", "fig3"),
    log:
        "logs/fig3.log",
    benchmark:
        "results/benchmarks/fig3.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig3.py"


rule fig4:
    input:
        f"results/training/runs/{REF_RUN}.parquet",
    output:
        paper_report("figures/fig4.pdf", "fig4"),
    log:
        "logs/fig4.log",
    benchmark:
        "results/benchmarks/fig4.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig4.py"


rule table2:
    input:
        "results/training/solutions.parquet",
    output:
        md=paper_report("figures/table2.md", "table2"),
        tex="figures/table2.tex",
    log:
        "logs/table2.log",
    benchmark:
        "results/benchmarks/table2.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/table2.py"


rule lr_window_report:
    input:
        windows=expand("results/training/lr_window_{batch}.parquet", batch=config["lr_window"]["batches"]),
        inits="results/training/lr_window_inits.parquet",
    output:
        md=paper_report("figures/lr_window.md", "lr_window"),
        pdf=paper_report("figures/lr_window.pdf", "lr_window"),
    log:
        "logs/lr_window_report.log",
    benchmark:
        "results/benchmarks/lr_window_report.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/lr_window_report.py"


rule optimizers_fig:
    input:
        traj="results/training/optimizers.parquet",
        order="results/training/separation_order.parquet",
    output:
        paper_report("figures/optimizers.pdf", "optimizers"),
    log:
        "logs/optimizers_fig.log",
    benchmark:
        "results/benchmarks/optimizers_fig.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/optimizers_fig.py"
