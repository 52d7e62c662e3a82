"""Rule census_minima_table: the lowest minima per (n_h, lam) and the counts (Markdown)."""

from xornet import io
from xornet.plots import census as P
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_minima_table")
log = start(snakemake, "census_minima_table")
tables.write(
    P.minima_markdown(io.read_frame(snakemake.input.lowest, "census_lowest"), io.read_frame(snakemake.input.summary, "census_summary")),
    snakemake.output[0])
