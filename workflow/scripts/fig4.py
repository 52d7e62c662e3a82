"""Rule fig4: hidden and output activations for each case vs epoch (Fig. 4)."""
from xornet import io
from xornet.plots import training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig4")
start(snakemake, "fig4")
df, prov = io.read_parquet(snakemake.input[0])
training.fig4(df, int(prov["extra"]["n_h"]), snakemake.output[0],
              prov.get("gate", "xor"))  # files made before the gate key: XOR (the paper)
