"""Rule census_embedding: N_h stationary points padded with a zero node (Mehta et al. 2018)."""

from xornet import io
from xornet.census import embedding
from xornet.model import param_names
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_embedding")
log = start(snakemake, "census_embedding")
lam = float(snakemake.params.lam)
points = []
for kind, files in (("minimum", snakemake.input.minima), ("ts", snakemake.input.ts)):
    for f in files:
        df = io.read_frame(f, "census_minima" if kind == "minimum" else "census_ts")
        for _, r in df.iterrows():
            n_h = int(r["n_h"])
            points.append((n_h, kind, int(r["id"]), r[param_names(n_h)].to_numpy(float)))
df = embedding.check(points, lam, snakemake.params.gate)
summ = embedding.summary(df)
log.info("embedding test:\n%s", summ.to_string())
cfg = io.read_parquet(snakemake.input.minima[0], "census_minima")[1].get("config") or {}
io.write_parquet(df, snakemake.output[0], dataset="census_embedding",
                 prov=io.provenance("census_embedding", "census", {**cfg, "lam": lam}, None,
                                    gate=snakemake.params.gate),
                 extra={"summary": summ.to_dict(orient="records")})
