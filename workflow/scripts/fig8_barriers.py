"""Rule fig8_barriers: entropic barriers (convex intruders, minor peaks) vs n_h (Sec. III.D)."""

from xornet import io, microcanonical
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_barriers")
log = start(snakemake, "fig8_barriers")
der = io.read_frame(snakemake.input.derivatives)
summ = microcanonical.barrier_summary(io.read_frame(snakemake.input.intruders))
msumm = microcanonical.minor_summary(
    io.read_frame(snakemake.input.minor), sorted(der["n_h"].unique())
)
P.fig8_barriers(der, summ, msumm, snakemake.output[0])
