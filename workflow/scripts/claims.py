"""Rule claims: evaluate every claim of the paper (xornet.claims) against the stage outputs."""
from xornet import claims, io
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "claims")
log = start(snakemake, "claims")
p = snakemake.params
df = claims.evaluate(dict(p.paths), p.defaults, gate=p.gate)
for r in df.itertuples():
    log.info("%-4s %-13s %s | %s%s", r.id, r.verdict, r.statement, r.reproduced_value,
             f" | {r.reason}" if r.reason else "")
s = claims.summary(df)
log.info("summary: %s", s)
io.write_parquet(df, snakemake.output[0], dataset="claims",
                 prov=io.provenance("claims", "claims", {"paths": dict(p.paths)}, None, gate=p.gate),
                 extra=s)
