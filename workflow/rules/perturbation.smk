# Sec. III.B, Fig. 5: epoch of convergence tau_conv after shifting one parameter of solution #1.
# One job per parameter (fan-out; a costly parameter's Delta grid optionally split over
# perturb_grid jobs, perturbation.grid_parts), a merge, then the figure and the plateau table.

PERTURB = config["perturbation"]
PERTURB_PARAMS = list(PERTURB["params"])
# grid jobs per parameter: operational (interleaved Delta points; outputs do not depend on it)
PERTURB_PARTS = {p: int(PERTURB.get("grid_parts", {}).get(p, 1)) for p in PERTURB_PARAMS}
# what determines a Fig. 5 result (xornet.perturb.OUTPUT_KEYS): no threads, chunks or parts
PERTURB_CFG = pick(PERTURB, "reference", "delta", "n_replicas", "eta", "max_epochs",
                   "plateau_resolution", "bootstrap")

ALL_TARGETS += [
    "figures/fig5.pdf",
    "figures/fig5_plateaus.md",
    "figures/fig5_plateaus.tex",
]


rule perturb_grid:
    """Part {part} of {parts} of one parameter's Delta grid (every parts-th point)."""
    input:
        unpack(perturb_reference_input),
    output:
        points="results/perturbation/grid/{param}_{part}-of-{parts}_points.parquet",
        replicas="results/perturbation/grid/{param}_{part}-of-{parts}_replicas.parquet",
    params:
        gate=config["gate"],
        cfg=PERTURB_CFG,
        threshold=config["threshold"],
        seed=config["seed"],
    wildcard_constraints:
        param="|".join(PERTURB_PARAMS),
        part=r"\d+",
        parts=r"\d+",
    log:
        "logs/perturb_grid/{param}_{part}-of-{parts}.log",
    benchmark:
        "results/benchmarks/perturb_grid/{param}_{part}-of-{parts}.tsv",
    priority: 100
    threads: PERTURB["threads"]
    resources:
        runtime=PERTURB["runtime"],
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/perturb_grid.py"


rule perturb_param:
    """Delta grid (or its perturb_grid parts) + plateau bisection for one parameter; replicas in
    lockstep (xornet.perturb)."""
    input:
        unpack(perturb_reference_input),
        grid_points=lambda wc: [
            f"results/perturbation/grid/{wc.param}_{i}-of-{PERTURB_PARTS[wc.param]}_points.parquet"
            for i in range(PERTURB_PARTS[wc.param])
        ] if PERTURB_PARTS[wc.param] > 1 else [],
        grid_replicas=lambda wc: [
            f"results/perturbation/grid/{wc.param}_{i}-of-{PERTURB_PARTS[wc.param]}_replicas.parquet"
            for i in range(PERTURB_PARTS[wc.param])
        ] if PERTURB_PARTS[wc.param] > 1 else [],
    output:
        points="results/perturbation/{param}/points.parquet",
        replicas="results/perturbation/{param}/replicas.parquet",
        plateau="results/perturbation/{param}/plateau.parquet",
    params:
        gate=config["gate"],
        cfg=PERTURB_CFG,
        threshold=config["threshold"],
        seed=config["seed"],
    wildcard_constraints:
        param="|".join(PERTURB_PARAMS),
    log:
        "logs/perturb_param/{param}.log",
    benchmark:
        "results/benchmarks/perturb_param/{param}.tsv",
    priority: 90
    threads: PERTURB["threads"]
    resources:
        runtime=PERTURB["runtime"],
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/perturb_param.py"


rule perturb_merge:
    """Concatenate the nine parameter jobs (no computation)."""
    input:
        points=expand("results/perturbation/{param}/points.parquet", param=PERTURB_PARAMS),
        replicas=expand("results/perturbation/{param}/replicas.parquet", param=PERTURB_PARAMS),
        plateau=expand("results/perturbation/{param}/plateau.parquet", param=PERTURB_PARAMS),
    output:
        points="results/perturbation/points.parquet",
        replicas="results/perturbation/replicas.parquet",
        plateaus="results/perturbation/plateaus.parquet",
    log:
        "logs/perturb_merge.log",
    benchmark:
        "results/benchmarks/perturb_merge.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=2000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/perturb_merge.py"


rule fig5:
    input:
        points="results/perturbation/points.parquet",
        plateaus="results/perturbation/plateaus.parquet",
    output:
        paper_report("figures/fig5.pdf", "fig5"),
    log:
        "logs/fig5.log",
    benchmark:
        "results/benchmarks/fig5.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig5.py"


rule fig5_plateaus:
    input:
        "results/perturbation/plateaus.parquet",
    output:
        md=paper_report("figures/fig5_plateaus.md", "fig5_plateaus"),
        tex="figures/fig5_plateaus.tex",
    log:
        "logs/fig5_plateaus.log",
    benchmark:
        "results/benchmarks/fig5_plateaus.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig5_plateaus.py"
