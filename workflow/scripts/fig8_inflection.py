"""Rule fig8_inflection: beta(L) and gamma(L) with the inflection points (Sec. III.D)."""

from xornet import io
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_inflection")
log = start(snakemake, "fig8_inflection")
P.fig8_inflection(
    io.read_frame(snakemake.input.derivatives),
    io.read_frame(snakemake.input.inflection),
    snakemake.output[0],
)
