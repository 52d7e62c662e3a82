"""Rule fig8_barriers_table: convex intruders and minor peaks (entropic barriers) per n_h."""

from xornet import io, microcanonical
from xornet.plots import entropy as P
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_barriers_table")
log = start(snakemake, "fig8_barriers_table")
intr = io.read_frame(snakemake.input.intruders)
minor = io.read_frame(snakemake.input.minor)
msumm = microcanonical.minor_summary(minor, sorted(intr["n_h"].unique()))
tables.write(P.barriers_markdown(intr, microcanonical.barrier_summary(intr), minor, msumm),
             snakemake.output[0])
