"""Rule census_merge: counts per (n_h, lam), barriers to the solution funnel, lowest minima."""

import pandas as pd

from xornet import io
from xornet.census import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_merge")
log = start(snakemake, "census_merge")
rows, bars, lows = [], [], []
for fm, ft in zip(snakemake.input.minima, snakemake.input.ts, strict=True):
    m, meta = io.read_parquet(fm, "census_minima")
    t = io.read_frame(ft, "census_ts")
    if meta.get("dataset") != "census_minima" or not len(m):
        raise ValueError(f"{fm} is not a census minima file (or empty); rerun census_run for it")
    rows.append(tables.summary_row(m, t, meta.get("extra") or {}))
    bars.append(tables.barriers_frame(m))
    lows.append(tables.lowest_minima(m, int(snakemake.params.k)))
summary = pd.DataFrame(rows).sort_values(["n_h", "lam"]).reset_index(drop=True)
# the job settings (sizes) of the census, for the scorecard's scale check
cfg = io.read_parquet(snakemake.input.minima[0], "census_minima")[1].get("config") or {}
prov = io.provenance("census_summary", "census", {**cfg, "jobs": len(rows)}, None)
io.write_parquet(summary, snakemake.output.summary, dataset="census_summary", prov=prov)
io.write_parquet(pd.concat(bars, ignore_index=True), snakemake.output.barriers,
                 dataset="census_barriers", prov=prov)
io.write_parquet(pd.concat(lows, ignore_index=True), snakemake.output.lowest,
                 dataset="census_lowest", prov=prov)
log.info("census summary:\n%s", summary.to_string())
