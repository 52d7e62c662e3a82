"""Rule landscape_all: all 36 cross-sections with their selection features (supplementary)."""
from xornet import io
from xornet import landscape as L
from xornet.plots import landscape as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_all")
start(snakemake, "landscape_all")
grids = {}
for p in snakemake.input.grids:
    grids.update(L.grids_by_pair(io.read_frame(p)))
P.landscape_all(grids, io.read_frame(snakemake.input.features),
                io.read_frame(snakemake.input.traj), snakemake.output[0])
