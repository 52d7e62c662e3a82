"""Rule fig8: Fig. 8, microcanonical entropies S(L) per n_h, shifted vertically."""

from xornet import io
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8")
log = start(snakemake, "fig8")
P.fig8(io.read_frame(snakemake.input[0]), snakemake.params.shift, snakemake.output[0])
