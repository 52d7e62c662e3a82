"""Rule census_stability: minima found with the census seed vs a second seed."""

import pandas as pd

from xornet import io
from xornet.census import tables
from xornet.plots import census as P
from xornet.plots.tables import write
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_stability")
log = start(snakemake, "census_stability")
rows = [tables.compare_runs(io.read_frame(a, "census_minima"), io.read_frame(b, "census_minima"))
        for a, b in zip(snakemake.input.a, snakemake.input.b, strict=True)]
write(P.stability_markdown(pd.DataFrame(rows)), snakemake.output[0])
