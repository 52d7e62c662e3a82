"""Rule robustness_report: figures/robustness.md and .pdf (xornet.robustness)."""
from pathlib import Path

from xornet import io, robustness
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "robustness_report")
log = start(snakemake, "robustness_report")
df = io.read_frame(snakemake.input[0], "robustness_claims")
Path(snakemake.output.md).write_text(robustness.markdown(df))
robustness.figure(df, snakemake.output.pdf)
log.info("%d rows, %d readings", len(df), df["reading"].nunique())
