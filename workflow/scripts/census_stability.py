"""Rule census_stability: minima found with the census seed vs a second seed."""

from pathlib import Path

import pandas as pd

from xornet import io
from xornet.census import tables
from xornet.plots import census as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_stability")
log = start(snakemake, "census_stability")
rows = [tables.compare_runs(io.read_frame(a, "census_minima"), io.read_frame(b, "census_minima"))
        for a, b in zip(snakemake.input.a, snakemake.input.b, strict=True)]
Path(snakemake.output[0]).write_text(P.stability_markdown(pd.DataFrame(rows)))
