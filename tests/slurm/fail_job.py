"""Script of tests/slurm/fail.smk's rule: log, write a partial output, then exit with status 3."""

from pathlib import Path

from xornet.workflow import start

snakemake = globals()["snakemake"]
log = start(snakemake, "slurm_test_fail")
log.info("slurm_test_fail: about to fail on purpose")
Path(snakemake.output[0]).write_text("partial output, must be removed by snakemake\n")
log.error("slurm_test_fail: deliberate failure, exit status 3")
raise SystemExit(3)
