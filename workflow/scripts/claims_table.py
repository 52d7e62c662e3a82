"""Rule claims_table: the reproduction scorecard as Markdown and as a standalone HTML table."""
from xornet import claims, io
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "claims_table")
start(snakemake, "claims_table")
df = io.read_frame(snakemake.input[0])
tables.write(claims.markdown(df), snakemake.output.md)
tables.write(claims.html(df), snakemake.output.html)
