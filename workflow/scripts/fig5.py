"""Rule fig5: Fig. 5 from results/perturbation/points.parquet (plotting only)."""
from xornet import io, model
from xornet.plots import fig5
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig5")
log = start(snakemake, "fig5")
points, meta = io.read_parquet(snakemake.input.points)
fig5.fig5(points, snakemake.output[0], cap=int(meta["config"]["max_epochs"]),
          n_h=model.n_hidden(len(meta["extra"]["v_ref"])))
log.info("wrote %s (%d grid points)", snakemake.output[0], int((points["phase"] == "grid").sum()))
