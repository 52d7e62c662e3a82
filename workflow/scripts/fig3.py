"""Rule fig3: drift of weights and biases at eta = 0.1 (Fig. 3)."""
from xornet import io
from xornet.plots import training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig3")
start(snakemake, "fig3")
df, prov = io.read_parquet(snakemake.input[0])
training.fig3(df, int(prov["extra"]["n_h"]), snakemake.output[0])
