"""Rule fig8_R_sensitivity: S(L) at several box half-widths R (the paper does not state R)."""

from xornet import io
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_R_sensitivity")
log = start(snakemake, "fig8_R_sensitivity")
P.fig8_r_sensitivity(
    [io.read_frame(f) for f in snakemake.input], snakemake.params.n_h, snakemake.output[0]
)
