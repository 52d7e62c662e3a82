"""Rule optimizers_fig: GD vs Adam vs zero-T MC (Sec. III.B)."""
from xornet import io, model
from xornet.plots import training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "optimizers_fig")
start(snakemake, "optimizers_fig")
order, prov = io.read_parquet(snakemake.input.order)
n_h = model.n_hidden(order["param"].nunique())  # one row per parameter and optimizer
training.optimizers(io.read_frame(snakemake.input.traj), order, n_h, snakemake.output[0],
                    agreement=prov.get("extra", {}))
