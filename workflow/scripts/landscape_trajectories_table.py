"""Rule trajectories_table: trajectory outcomes beside the paper's description (Markdown)."""
from pathlib import Path

from xornet import io
from xornet.plots import landscape as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "trajectories_table")
start(snakemake, "trajectories_table")
summ, prov = io.read_parquet(snakemake.input[0])
Path(snakemake.output[0]).parent.mkdir(parents=True, exist_ok=True)
Path(snakemake.output[0]).write_text(P.trajectories_markdown(summ, **prov["extra"]))
