"""Rule fig1: the network schematic (Fig. 1)."""
from xornet.plots import training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig1")
start(snakemake, "fig1")
training.fig1(snakemake.output[0])
