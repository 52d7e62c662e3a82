"""Rule census_fig: disconnectivity graphs per (n_h, lam) and counts vs n_h."""

import pandas as pd

from xornet import io
from xornet.plots import census as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_fig")
log = start(snakemake, "census_fig")
minima = pd.concat([io.read_frame(f, "census_minima") for f in snakemake.input.minima], ignore_index=True)
ts = pd.concat([io.read_frame(f, "census_ts") for f in snakemake.input.ts], ignore_index=True)
P.census_figure(minima, ts, io.read_frame(snakemake.input.summary, "census_summary"),
                int(snakemake.params.n_levels), snakemake.output[0])
