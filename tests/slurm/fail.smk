# One rule that fails on purpose, run through the project's SLURM profile by
# tests/slurm/run_slurm_test.sh: snakemake must exit != 0 and keep the rule's log and the
# Slurm job's log. Not part of the workflow (standalone, so it does not depend on the stages):
#   snakemake -s tests/slurm/fail.smk --workflow-profile workflow/profiles/slurm results/slurm_test/never.txt


rule slurm_test_fail:
    """Writes to its log and a partial output, then exits with status 3."""
    output:
        "results/slurm_test/never.txt",
    log:
        "logs/slurm_test/fail.log",
    threads: 1
    resources:
        runtime=2,
        mem_mb=200,
    script:
        "fail_job.py"
