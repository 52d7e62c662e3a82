"""Rule claims_fig: figure-like summary of the reproduction scorecard."""
from xornet import io
from xornet.plots import claims as plot
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "claims_fig")
start(snakemake, "claims_fig")
plot.scorecard(io.read_frame(snakemake.input[0]), snakemake.output[0])
