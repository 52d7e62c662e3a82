"""Rule census_embedding_table: where the embedding statement holds (Markdown)."""

from pathlib import Path

from xornet import io
from xornet.census import embedding
from xornet.plots import census as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_embedding_table")
log = start(snakemake, "census_embedding_table")
df = io.read_frame(snakemake.input[0], "census_embedding")
Path(snakemake.output[0]).write_text(P.embedding_markdown(df, embedding.summary(df)))
