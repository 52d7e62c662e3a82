"""Rule trajectories_table: trajectory outcomes beside the paper's description (Markdown)."""
from xornet import io
from xornet.plots import landscape as P
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "trajectories_table")
start(snakemake, "trajectories_table")
summ, prov = io.read_parquet(snakemake.input[0])
tables.write(P.trajectories_markdown(summ, **prov["extra"]), snakemake.output[0])
