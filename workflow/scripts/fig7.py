"""Rule fig7: randomized-batch scans, their average and RMS convergence (Fig. 7)."""
from xornet import io
from xornet.plots import landscape as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig7")
start(snakemake, "fig7")
scans, prov = io.read_parquet(snakemake.input.scans)
ex = prov["extra"]
P.fig7(scans, io.read_frame(snakemake.input.rms), ex["x"], ex["y"], snakemake.output[0],
       ex["n_scans"], n_h=int(ex["n_h"]))
