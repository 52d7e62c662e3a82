"""Rule census_barriers: barrier to the solution funnel vs n_h beside the Fig. 8 valley depths."""

from xornet import io, microcanonical
from xornet.plots import census as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_barriers")
log = start(snakemake, "census_barriers")
P.barriers_figure(io.read_frame(snakemake.input.summary, "census_summary"), io.read_frame(snakemake.input.barriers, "census_barriers"),
                  microcanonical.barrier_summary(io.read_frame(snakemake.input.intruders)),
                  snakemake.output[0])
