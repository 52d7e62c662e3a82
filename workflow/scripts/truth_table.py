"""Rule truth_table: Table I (the truth table of the configured gate; paper: XOR) as data."""
import numpy as np
import pandas as pd

from xornet import gates, io, model
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "truth_table")
log = start(snakemake, "truth_table")
df = pd.DataFrame({"x1": model.X[:, 0].astype(np.int64), "x2": model.X[:, 1].astype(np.int64),
                   "y": gates.targets(snakemake.params.gate).astype(np.int64)})
io.write_parquet(df, snakemake.output[0], dataset="truth_table",
                 prov=io.provenance("truth_table", "model", {}, gate=snakemake.params.gate))
