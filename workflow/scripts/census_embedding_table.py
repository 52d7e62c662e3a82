"""Rule census_embedding_table: where the embedding statement holds (Markdown)."""

from xornet import io
from xornet.census import embedding
from xornet.plots import census as P
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_embedding_table")
log = start(snakemake, "census_embedding_table")
df = io.read_frame(snakemake.input[0], "census_embedding")
tables.write(P.embedding_markdown(df, embedding.summary(df)), snakemake.output[0])
