"""Rule fig8_inflection_table: table of inflection points of S(L) per n_h."""

from xornet import io
from xornet.plots import entropy as P
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_inflection_table")
log = start(snakemake, "fig8_inflection_table")
tables.write(P.inflection_markdown(io.read_frame(snakemake.input[0])), snakemake.output[0])
