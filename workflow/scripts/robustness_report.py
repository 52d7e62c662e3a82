"""Rule robustness_report: figures/robustness.md and .pdf (xornet.robustness)."""
from xornet import io, robustness
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "robustness_report")
log = start(snakemake, "robustness_report")
df = io.read_frame(snakemake.input[0], "robustness_claims")
tables.write(robustness.markdown(df), snakemake.output.md)
robustness.figure(df, snakemake.output.pdf)
log.info("%d rows, %d readings", len(df), df["reading"].nunique())
