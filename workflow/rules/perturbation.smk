# Sec. III.B, Fig. 5: epoch of convergence tau_conv after shifting one parameter of solution #1.
# One job per parameter (fan-out), a merge, then the figure and the plateau-edge table.

PERTURB = config["perturbation"]
PERTURB_PARAMS = list(PERTURB["params"])

ALL_TARGETS += [
    "figures/fig5.pdf",
    "figures/fig5_plateaus.md",
    "figures/fig5_plateaus.tex",
]


rule perturb_param:
    """Delta grid + plateau bisection for one parameter; replicas in lockstep (xornet.perturb)."""
    input:
        unpack(perturb_reference_input),
    output:
        points="results/perturbation/{param}/points.parquet",
        replicas="results/perturbation/{param}/replicas.parquet",
        plateau="results/perturbation/{param}/plateau.parquet",
    params:
        cfg=PERTURB,
        threshold=config["threshold"],
        seed=config["seed"],
        progress=config["progress_seconds"],
    wildcard_constraints:
        param="|".join(PERTURB_PARAMS),
    log:
        "logs/perturb_param/{param}.log",
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
    params:
        cfg=PERTURB,
        seed=config["seed"],
    log:
        "logs/perturb_merge.log",
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
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig5_plateaus.py"
