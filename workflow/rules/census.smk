# Beyond the paper (issue 12): census of the stationary points (minima, transition states) of
# E = L + lam |v|^2, L of Eq. (4), for n_h x lam (Mehta et al., Phys. Rev. E 97, 052307, 2018);
# disconnectivity graphs, barriers beside the Fig. 8 valley depths, the embedding test.
# One job per (n_h, lam, rep); rep 0 is the census, rep >= 1 are the seed-stability reruns.

CEN = config["census"]
CEN_CAT = "6 Beyond the paper: stationary-point census"

from xornet.census.paths import job_files as cen_files


CEN_N, CEN_L = CEN["n_h"], CEN["lam"]
CEN_E = CEN["embedding"]
if CEN_E["lam"] not in CEN_L or not set(CEN_E["n_h"]) <= set(CEN_N):
    raise WorkflowError(f"census.embedding: lam {CEN_E['lam']} and n_h {CEN_E['n_h']} must be "
                        f"among census.lam {CEN_L} and census.n_h {CEN_N}; edit config.yaml")
if not set(CEN["stability"]["n_h"]) <= set(CEN_N):
    raise WorkflowError(f"census.stability.n_h {CEN['stability']['n_h']} must be among "
                        f"census.n_h {CEN_N}; edit config.yaml")


ALL_TARGETS += [
    "figures/census.pdf",
    "figures/census_barriers.pdf",
    "figures/census_minima.md",
    "figures/census_embedding.md",
]


wildcard_constraints:
    lam=NUM_LABEL_RE,
    rep=r"\d+",


rule census_run:
    """Basin-hopping + double-ended connection for one (n_h, lam); checkpoints to
    results/census/checkpoints/ (not an output: kept when the job fails, resumed, removed on
    success)."""
    output:
        minima="results/census/nh{n_h}_lam{lam}_rep{rep}/minima.parquet",
        ts="results/census/nh{n_h}_lam{lam}_rep{rep}/ts.parquet",
        edges="results/census/nh{n_h}_lam{lam}_rep{rep}/edges.parquet",
        progress="results/census/nh{n_h}_lam{lam}_rep{rep}/progress.parquet",
    params:
        gate=config["gate"],
        census={k: CEN[k] for k in ("bh", "quench", "connect")},  # n_h, lam: the wildcards
        seed=config["seed"],
    wildcard_constraints:
        n_h=r"\d+",
    log:
        "logs/census_run/nh{n_h}_lam{lam}_rep{rep}.log",
    benchmark:
        "results/benchmarks/census_run/nh{n_h}_lam{lam}_rep{rep}.tsv",
    threads: 1
    resources:
        runtime=CEN["runtime"],
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_run.py"


rule census_merge:
    """Counts per (n_h, lam), barriers of the non-solution minima, the lowest minima."""
    input:
        minima=cen_files("minima", CEN_N, CEN_L),
        ts=cen_files("ts", CEN_N, CEN_L),
    output:
        summary="results/census/summary.parquet",
        barriers="results/census/barriers.parquet",
        lowest="results/census/lowest_minima.parquet",
    params:
        k=CEN["table"]["k"],
    log:
        "logs/census_merge.log",
    benchmark:
        "results/benchmarks/census_merge.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_merge.py"


rule census_embedding:
    """Mehta et al.'s embedding statement: pad N_h stationary points with a zero node."""
    input:
        minima=cen_files("minima", CEN_E["n_h"], [CEN_E["lam"]]),
        ts=cen_files("ts", CEN_E["n_h"], [CEN_E["lam"]]),
    output:
        "results/census/embedding.parquet",
    params:
        gate=config["gate"],
        lam=CEN_E["lam"],
    log:
        "logs/census_embedding.log",
    benchmark:
        "results/benchmarks/census_embedding.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_embedding.py"


rule census_fig:
    """Disconnectivity graphs per (n_h, lam) and the counts of minima and TSs vs n_h."""
    input:
        minima=cen_files("minima", CEN_N, CEN_L),
        ts=cen_files("ts", CEN_N, CEN_L),
        summary="results/census/summary.parquet",
    output:
        report("figures/census.pdf", caption="../report/census.rst", category=CEN_CAT),
    params:
        n_levels=CEN["graph"]["n_levels"],
    log:
        "logs/census_fig.log",
    benchmark:
        "results/benchmarks/census_fig.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_fig.py"


rule census_barriers:
    """Barrier to the solution funnel vs n_h beside the Fig. 8 valley depths."""
    input:
        summary="results/census/summary.parquet",
        barriers="results/census/barriers.parquet",
        intruders="results/entropy/intruders.parquet",
    output:
        report("figures/census_barriers.pdf", caption="../report/census_barriers.rst",
               category=CEN_CAT),
    log:
        "logs/census_barriers.log",
    benchmark:
        "results/benchmarks/census_barriers.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_barriers.py"


rule census_minima_table:
    """Lowest minima per (n_h, lam): loss, misclassified cases; the counts."""
    input:
        lowest="results/census/lowest_minima.parquet",
        summary="results/census/summary.parquet",
    output:
        report("figures/census_minima.md", caption="../report/census_minima.rst",
               category=CEN_CAT),
    log:
        "logs/census_minima_table.log",
    benchmark:
        "results/benchmarks/census_minima_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_minima_table.py"


rule census_embedding_table:
    input:
        "results/census/embedding.parquet",
    output:
        report("figures/census_embedding.md", caption="../report/census_embedding.rst",
               category=CEN_CAT),
    log:
        "logs/census_embedding_table.log",
    benchmark:
        "results/benchmarks/census_embedding_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_embedding_table.py"


rule census_stability:
    """Seed stability (not part of `all`): minima of rep 0 vs rep 1 for the stability n_h."""
    input:
        a=cen_files("minima", CEN["stability"]["n_h"], CEN_L, 0),
        b=cen_files("minima", CEN["stability"]["n_h"], CEN_L, 1),
    output:
        report("figures/census_stability.md", caption="../report/census_stability.rst",
               category=CEN_CAT),
    log:
        "logs/census_stability.log",
    benchmark:
        "results/benchmarks/census_stability.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/census_stability.py"
