# Sec. II (last paragraph), Sec. III.D, Fig. 8: density of loss g(L) and microcanonical
# entropy S(L) = ln g(L); inflection points and convex intruders (entropic barriers).
# One job per (R, n_h, run) for the WL + multicanonical sampler, one per (R, n_h) for simple
# sampling; a merge rule per R; one plotting rule per figure/table.

ENT = config["entropy"]


ENT_R = ent_r(ENT["R"])
ENT_RS = ENT["r_sensitivity"]


ALL_TARGETS += [
    "figures/fig8.pdf",
    "figures/fig8_inflection.pdf",
    "figures/fig8_inflection.md",
    "figures/fig8_barriers.pdf",
    "figures/fig8_barriers.md",
    "figures/fig8_R_sensitivity.pdf",
    "figures/fig8_checks.pdf",
    "figures/gates_entropy.pdf",
]


wildcard_constraints:
    R=NUM_LABEL_RE,  # xornet.labels.num_label


rule entropy_simple:
    """Simple sampling: loss histogram of uniform draws from [-R, R]^(4 n_h + 1)."""
    output:
        "results/entropy/simple/R{R}/nh{n_h}.parquet",
    params:
        gate=config["gate"],
        draws=ENT["simple_draws"],
        n_bins=ENT["n_bins"],
        seed=config["seed"],
    wildcard_constraints:
        n_h=r"\d+",
    log:
        "logs/entropy_simple/R{R}_nh{n_h}.log",
    benchmark:
        "results/benchmarks/entropy_simple/R{R}_nh{n_h}.tsv",
    priority: 20
    threads: 1
    resources:
        runtime=10,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/entropy_simple.py"


rule entropy_run:
    """One Wang-Landau (1/t) + multicanonical run. Checkpoints to
    results/entropy/checkpoints/ (not a declared output, so Snakemake never deletes it when
    the job fails; the script resumes from it and removes it after success)."""
    output:
        "results/entropy/runs/R{R}/nh{n_h}_run{run}.parquet",
    params:
        gate=config["gate"],
        sampler=ENT["sampler"],  # chunk_steps included: tuning adapts per chunk
        n_bins=ENT["n_bins"],
        seed=config["seed"],
        checkpoint=lambda wc: f"results/entropy/checkpoints/R{wc.R}_nh{wc.n_h}_run{wc.run}.npz",
    wildcard_constraints:
        n_h=r"\d+",
        run=r"\d+",
    log:
        "logs/entropy_run/R{R}_nh{n_h}_run{run}.log",
    benchmark:
        "results/benchmarks/entropy_run/R{R}_nh{n_h}_run{run}.tsv",
    priority: 50
    threads: 1
    resources:
        runtime=ENT["runtime"],
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/entropy_run.py"


rule entropy_merge:
    """Mean S over runs with error band, and the comparison with simple sampling."""
    input:
        runs=ent_run_files,
        simple=ent_simple_files,
    output:
        "results/entropy/entropy_R{R}.parquet",
    params:
        gate=config["gate"],
        check=ENT["check"],
        seed=config["seed"],
    log:
        "logs/entropy_merge/R{R}.log",
    benchmark:
        "results/benchmarks/entropy_merge/R{R}.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/entropy_merge.py"


rule entropy_analysis:
    """beta(L), gamma(L), inflection points and convex intruders at the default R."""
    input:
        f"results/entropy/entropy_R{ENT_R}.parquet",
    output:
        derivatives="results/entropy/derivatives.parquet",
        inflection="results/entropy/inflection.parquet",
        intruders="results/entropy/intruders.parquet",
        minor="results/entropy/minor_peaks.parquet",
    params:
        analysis=ENT["analysis"],
        seed=config["seed"],
    log:
        "logs/entropy_analysis.log",
    benchmark:
        "results/benchmarks/entropy_analysis.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/entropy_analysis.py"


rule fig8:
    """Fig. 8: S(L) per n_h, shifted vertically, with error bands."""
    input:
        f"results/entropy/entropy_R{ENT_R}.parquet",
    output:
        paper_report("figures/fig8.pdf", "fig8"),
    params:
        shift=ENT["plot"]["shift"],
    log:
        "logs/fig8.log",
    benchmark:
        "results/benchmarks/fig8.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8.py"


rule fig8_inflection:
    """beta(L) and gamma(L) with the inflection points marked."""
    input:
        derivatives="results/entropy/derivatives.parquet",
        inflection="results/entropy/inflection.parquet",
    output:
        paper_report("figures/fig8_inflection.pdf", "fig8_inflection"),
    log:
        "logs/fig8_inflection.log",
    benchmark:
        "results/benchmarks/fig8_inflection.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8_inflection.py"


rule fig8_inflection_table:
    input:
        "results/entropy/inflection.parquet",
    output:
        paper_report("figures/fig8_inflection.md", "fig8_inflection_table"),
    log:
        "logs/fig8_inflection_table.log",
    benchmark:
        "results/benchmarks/fig8_inflection_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8_inflection_table.py"


rule fig8_barriers:
    """Largest convex intruder (entropic barrier) per quarter of the loss axis vs n_h."""
    input:
        derivatives="results/entropy/derivatives.parquet",
        intruders="results/entropy/intruders.parquet",
        minor="results/entropy/minor_peaks.parquet",
    output:
        paper_report("figures/fig8_barriers.pdf", "fig8_barriers"),
    log:
        "logs/fig8_barriers.log",
    benchmark:
        "results/benchmarks/fig8_barriers.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8_barriers.py"


rule fig8_barriers_table:
    input:
        intruders="results/entropy/intruders.parquet",
        minor="results/entropy/minor_peaks.parquet",
    output:
        paper_report("figures/fig8_barriers.md", "fig8_barriers_table"),
    log:
        "logs/fig8_barriers_table.log",
    benchmark:
        "results/benchmarks/fig8_barriers_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8_barriers_table.py"


rule fig8_R_sensitivity:
    """Supplementary: S(L) for the r_sensitivity n_h at each box half-width R."""
    input:
        expand("results/entropy/entropy_R{R}.parquet", R=[ent_r(r) for r in ENT_RS["R"]]),
    output:
        paper_report("figures/fig8_R_sensitivity.pdf", "fig8_R_sensitivity"),
    params:
        n_h=ENT_RS["n_h"],
    log:
        "logs/fig8_R_sensitivity.log",
    benchmark:
        "results/benchmarks/fig8_R_sensitivity.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8_R_sensitivity.py"


rule fig8_checks:
    """WL/multicanonical vs simple sampling per n_h (S and z-scores)."""
    input:
        f"results/entropy/entropy_R{ENT_R}.parquet",
    output:
        paper_report("figures/fig8_checks.pdf", "fig8_checks"),
    params:
        min_counts=ENT["check"]["min_counts"],
    log:
        "logs/fig8_checks.log",
    benchmark:
        "results/benchmarks/fig8_checks.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig8_checks.py"


rule gates_entropy:
    """Supplementary (issue 10): S(L) of XOR beside other gates, one sampler run per (gate,
    n_h) in Fig. 8's box and bins (small: n_h = 1, 2)."""
    output:
        "results/entropy/gates.parquet",
    params:
        gates=ENT["gates"]["gates"],
        n_h=ENT["gates"]["n_h"],
        R=ENT["R"],
        sampler=ENT["sampler"],
        n_bins=ENT["n_bins"],
        seed=config["seed"],
    log:
        "logs/gates_entropy.log",
    benchmark:
        "results/benchmarks/gates_entropy.tsv",
    threads: 1
    resources:
        runtime=ENT["runtime"],
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/gates_entropy.py"


rule fig_gates_entropy:
    """Supplementary figure: S(L) of XOR, AND, OR at n_h = 1 and 2."""
    input:
        rules.gates_entropy.output[0],
    output:
        paper_report("figures/gates_entropy.pdf", "gates_entropy"),
    log:
        "logs/fig_gates_entropy.log",
    benchmark:
        "results/benchmarks/fig_gates_entropy.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/gates_entropy_fig.py"
