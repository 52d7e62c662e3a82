# The real workflow plus one rule that fails on purpose (tests/slurm/run_slurm_test.sh checks
# that a failing Slurm job fails snakemake and keeps the job's logs). Not part of the workflow:
#   snakemake -s tests/slurm/fail.smk --workflow-profile workflow/profiles/slurm results/slurm_test/never.txt


include: "../../Snakefile"


rule slurm_test_fail:
    """Writes to its log, then raises: snakemake must exit != 0 and keep the log."""
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
