# xornet: reproduce Yang, Arora & Bachmann, "Dissecting a Small Artificial Neural Network"
# (J. Phys. A 58, 025001, 2025). `snakemake --cores all` regenerates every figure and table.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/training.smk"
include: "workflow/rules/perturbation.smk"
include: "workflow/rules/entropy.smk"
include: "workflow/rules/landscape.smk"
include: "workflow/rules/census.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/robustness.smk"  # issue 11; not in `all`: snakemake robustness


rule all:
    input:
        ALL_TARGETS,
    default_target: True
