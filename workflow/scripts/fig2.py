"""Rule fig2: loss vs epoch for several learning rates and n_h = 18 (Fig. 2)."""
from pathlib import Path

from xornet import io
from xornet.plots import training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig2")
start(snakemake, "fig2")
runs, meta = [], []
for path in snakemake.input.runs:
    df, prov = io.read_parquet(path)
    runs.append(df)
    meta.append({**prov["extra"], "label": Path(path).stem})
training.fig2(runs, meta, io.read_frame(snakemake.input.fits), io.read_frame(snakemake.input.gamma_eff),
              snakemake.output[0])
