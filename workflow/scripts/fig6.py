"""Rule fig6: six loss cross-sections with descent trajectories (Fig. 6)."""
from xornet import io
from xornet import landscape as L
from xornet.plots import landscape as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig6")
start(snakemake, "fig6")
grids, n_h = L.read_grids(snakemake.input.grids)
P.fig6(grids, io.read_frame(snakemake.input.features), io.read_frame(snakemake.input.traj),
       snakemake.output[0], n_h=n_h)
