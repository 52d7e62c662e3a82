"""Rule fig8_checks: WL/multicanonical S(L) vs simple sampling, per-bin z-scores."""

from xornet import io
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig8_checks")
log = start(snakemake, "fig8_checks")
P.fig8_checks(io.read_frame(snakemake.input[0]), snakemake.params.min_counts, snakemake.output[0])
