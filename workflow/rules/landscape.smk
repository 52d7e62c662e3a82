# Sec. III.C, Figs. 6-7: cross-sections of the loss landscape about solution #1, steepest-descent
# trajectories on two parameters, randomized-batch scans.
#
# Fan-out: the 36 grids are split into `landscape.grid_jobs` jobs of contiguous pairs (default 4
# x 9 pairs). At 401 x 401 all 36 grids cost ~2 s of kernel time on 2 cores, less than the
# ~1.5 s start-up (process + numba cache load) of a single job, so finer fan-out (per pair)
# would cost more than it saves; a few jobs keep a cluster's nodes busy without that waste.
# Measured (benchmarks/output/bench_landscape.txt): grids ~1 s, trajectories ~10 s of CPU per
# 6e7-epoch path (150 ns/epoch; all five starts share one job, prange over starts), randomized
# scans ~1 s; peak memory ~0.6 GB when all 36 grids are read (features, fig6, landscape_all).

import re

from xornet.starts import start_jobs as _start_jobs

LANDSCAPE = config["landscape"]
LANDSCAPE_CHUNKS = list(range(int(LANDSCAPE["grid_jobs"])))
LANDSCAPE_GRIDS = expand("results/landscape/grids/chunk{k}.parquet", k=LANDSCAPE_CHUNKS)
# one steepest-descent job per start, labelled by its own values (xornet.starts.start_jobs)
TRAJ_JOBS = _start_jobs(LANDSCAPE["trajectories"],
                                  {k: tuple(v) for k, v in LANDSCAPE["panels"].items()})
# what a descent job reads: the settings of the path, not the list of starts
TRAJ_SETTINGS = pick(LANDSCAPE["trajectories"], "max_epochs", "points_per_decade", "stall_tol",
                     "stall_min_epochs")

ALL_TARGETS += [
    "figures/fig6.pdf",
    "figures/fig7.pdf",
    "figures/landscape_all.pdf",
    "figures/trajectories.md",
]
# Our own solution #1 is an input only when config asks for it (default: the paper's printed #1).
LANDSCAPE_REF_INPUT = (
    {"solutions": "results/training/solutions.parquet"} if LANDSCAPE["reference"] == "ours" else {}
)


rule landscape_grid:
    """Full-batch loss on the grids of one chunk of the 36 pairs (Fig. 6)."""
    input:
        **LANDSCAPE_REF_INPUT,
    output:
        "results/landscape/grids/chunk{k}.parquet",
    params:
        gate=config["gate"],
        cfg=pick(LANDSCAPE, "reference", "half_range", "n_points", "grid_jobs"),
    wildcard_constraints:
        k=r"\d+",
    log:
        "logs/landscape_grid/chunk{k}.log",
    benchmark:
        "results/benchmarks/landscape_grid/chunk{k}.tsv",
    threads: 2
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_grid.py"


rule landscape_features:
    """Shape features of all 36 grids and the choice of Fig. 6(d)-(f)."""
    input:
        grids=LANDSCAPE_GRIDS,
    output:
        "results/landscape/features.parquet",
    params:
        cfg=pick(LANDSCAPE, "features", "panels", "n_points"),
    log:
        "logs/landscape_features.log",
    benchmark:
        "results/benchmarks/landscape_features.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_features.py"


rule landscape_trajectory:
    """Steepest descent on two parameters from one start (the text's five, plus extra starts)."""
    input:
        **LANDSCAPE_REF_INPUT,
    output:
        "results/landscape/trajectories/{start}.parquet",
    params:
        gate=config["gate"],
        cfg=lambda wc: {**pick(LANDSCAPE, "reference"), "trajectories": TRAJ_SETTINGS},
        start=lambda wc: TRAJ_JOBS[wc.start],
        threshold=config["threshold"],
    wildcard_constraints:
        start="|".join(map(re.escape, TRAJ_JOBS)) or "no-starts",
    log:
        "logs/landscape_trajectory/{start}.log",
    benchmark:
        "results/benchmarks/landscape_trajectory/{start}.tsv",
    priority: 40
    threads: 1
    resources:
        runtime=10,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_trajectory.py"


rule landscape_trajectories:
    """All descent paths in one file, and one summary row per start beside the paper's words."""
    input:
        **LANDSCAPE_REF_INPUT,
        paths=expand("results/landscape/trajectories/{start}.parquet", start=TRAJ_JOBS),
    output:
        traj="results/landscape/trajectories.parquet",
        summary="results/landscape/trajectory_summary.parquet",
    params:
        cfg={**pick(LANDSCAPE, "reference", "half_range"), "trajectories": TRAJ_SETTINGS},
        starts=list(TRAJ_JOBS.values()),
        threshold=config["threshold"],
    log:
        "logs/landscape_trajectories.log",
    benchmark:
        "results/benchmarks/landscape_trajectories.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_trajectories.py"


rule landscape_randomized:
    """Randomized-batch scans of one cross-section and the RMS vs number of scans (Fig. 7)."""
    input:
        **LANDSCAPE_REF_INPUT,
    output:
        scans="results/landscape/randomized.parquet",
        rms="results/landscape/randomized_rms.parquet",
    params:
        gate=config["gate"],
        cfg=pick(LANDSCAPE, "reference", "half_range", "randomized"),
        seed=config["seed"],
    log:
        "logs/landscape_randomized.log",
    benchmark:
        "results/benchmarks/landscape_randomized.tsv",
    threads: 2
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_randomized.py"


rule fig6:
    input:
        grids=LANDSCAPE_GRIDS,
        features="results/landscape/features.parquet",
        traj="results/landscape/trajectories.parquet",
    output:
        paper_report("figures/fig6.pdf", "fig6"),
    log:
        "logs/fig6.log",
    benchmark:
        "results/benchmarks/fig6.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig6.py"


rule landscape_all:
    """Supplementary: all 36 cross-sections with the selection features."""
    input:
        grids=LANDSCAPE_GRIDS,
        features="results/landscape/features.parquet",
        traj="results/landscape/trajectories.parquet",
    output:
        paper_report("figures/landscape_all.pdf", "landscape_all"),
    log:
        "logs/landscape_all.log",
    benchmark:
        "results/benchmarks/landscape_all.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_all.py"


rule fig7:
    input:
        scans="results/landscape/randomized.parquet",
        rms="results/landscape/randomized_rms.parquet",
    output:
        paper_report("figures/fig7.pdf", "fig7"),
    log:
        "logs/fig7.log",
    benchmark:
        "results/benchmarks/fig7.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig7.py"


rule trajectories_table:
    """Outcome of each trajectory beside the paper's description (Markdown)."""
    input:
        "results/landscape/trajectory_summary.parquet",
    output:
        paper_report("figures/trajectories.md", "trajectories"),
    log:
        "logs/trajectories_table.log",
    benchmark:
        "results/benchmarks/trajectories_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/landscape_trajectories_table.py"
