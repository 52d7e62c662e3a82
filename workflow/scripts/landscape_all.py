"""Rule landscape_all: all 36 cross-sections with their selection features (supplementary)."""
from xornet import io
from xornet import landscape as L
from xornet.plots import landscape as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_all")
start(snakemake, "landscape_all")
grids, n_h = L.read_grids(snakemake.input.grids)
P.landscape_all(grids, io.read_frame(snakemake.input.features),
                io.read_frame(snakemake.input.traj), snakemake.output[0], n_h=n_h)
