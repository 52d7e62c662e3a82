"""Rule fig8_inflection_table: table of inflection points of S(L) per n_h."""

from pathlib import Path

from xornet import io
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_inflection_table")
log = start(snakemake, "fig8_inflection_table")
Path(snakemake.output[0]).write_text(P.inflection_markdown(io.read_frame(snakemake.input[0])))
