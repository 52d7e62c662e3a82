# Reproduction scorecard (every checkable claim of the paper, xornet.claims), its table and
# figure, the README gallery, and the global description of `snakemake --report`.
from xornet import claims as _claims
from xornet.config import load as _load_config

report: "../report/workflow.rst"

# input key -> Parquet path for this config (same labels as the stage rules)
CLAIM_PATHS = _claims.input_paths(config)
# the paper-fidelity defaults (config.yaml) against which each input's scale is judged: only
# the size keys the scale check reads, so an unrelated edit of config.yaml reruns nothing
CLAIM_DEFAULTS = pick(_load_config(str(Path(workflow.basedir) / "config.yaml")),
                      *sorted({t[1] for s in _claims.INPUTS.values() for t in s.scale}
                              | {t[2] for s in _claims.INPUTS.values() for t in s.derived}))
# every input is produced by a stage rule; the sampler run deciding the entropy stage's
# scale exists only if n_h = 2 is sampled
CLAIM_INPUTS = {k: v for k, v in CLAIM_PATHS.items()
                if k != "entropy_run" or 2 in set(config["entropy"]["n_h"])}

GALLERY = ["fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig7", "fig8", "lr_window",
           "optimizers", "fig8_barriers", "claims"]

ALL_TARGETS += [
    "figures/claims.md",
    "figures/claims.html",
    "figures/claims.pdf",
]


rule claims:
    """Evaluate every claim of xornet.claims.CLAIMS against the stage outputs."""
    input:
        **CLAIM_INPUTS,
    output:
        "results/claims/claims.parquet",
    params:
        paths=CLAIM_INPUTS,
        defaults=CLAIM_DEFAULTS,
        gate=config["gate"],
    log:
        "logs/claims.log",
    benchmark:
        "results/benchmarks/claims.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=2000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/claims.py"


rule claims_table:
    """The scorecard as Markdown (README / docs) and as an HTML table (report)."""
    input:
        "results/claims/claims.parquet",
    output:
        md="figures/claims.md",
        html=report("figures/claims.html", caption="../report/claims.rst",
                    category="0 Scorecard", labels={"item": "scorecard (table)"}),
    log:
        "logs/claims_table.log",
    benchmark:
        "results/benchmarks/claims_table.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=500,
    conda:
        "../../environment.yml"
    script:
        "../scripts/claims_table.py"


rule claims_fig:
    """Figure-like summary: verdict tiles by section and paper-vs-reproduced ratios."""
    input:
        "results/claims/claims.parquet",
    output:
        report("figures/claims.pdf", caption="../report/claims_fig.rst",
               category="0 Scorecard", labels={"item": "scorecard (figure)"}),
    log:
        "logs/claims_fig.log",
    benchmark:
        "results/benchmarks/claims_fig.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/claims_fig.py"


rule gallery:
    """Small PNG copies of the figures for the README (docs/gallery/, committed by hand after a
    paper-scale run; not part of `all`)."""
    input:
        expand("figures/{name}.pdf", name=GALLERY),
    output:
        expand("docs/gallery/{name}.png", name=GALLERY),
    params:
        max_width=900,
    log:
        "logs/gallery.log",
    benchmark:
        "results/benchmarks/gallery.tsv",
    threads: 1
    resources:
        runtime=5,
        mem_mb=1000,
    conda:
        "../../environment.yml"
    script:
        "../scripts/claims_gallery.py"
