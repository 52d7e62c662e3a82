"""Rule robustness_claims: the affected claims under the default and every alternative reading."""
from xornet import io, robustness
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "robustness_claims")
log = start(snakemake, "robustness_claims")
p = snakemake.params
df = robustness.evaluate_readings(dict(p.paths), p.defaults, list(p.readings), logger=log)
io.write_parquet(df, snakemake.output[0], dataset="robustness_claims",
                 prov=io.provenance("robustness_claims", "robustness",
                                    {"paths": dict(p.paths), "readings": list(p.readings)}, None))
