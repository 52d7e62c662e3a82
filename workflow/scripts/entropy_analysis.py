"""Rule entropy_analysis: beta(L) = dS/dL, gamma(L) = d beta/dL, inflection points
(Qi & Bachmann 2018) and convex intruders of S(L) per n_h (Sec. III.D)."""

from xornet import io, microcanonical
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "entropy_analysis")
log = start(snakemake, "entropy_analysis")
p = snakemake.params
ent = io.read_frame(snakemake.input[0])
cfg = p.analysis
der, infl, intr, minor = microcanonical.analyse(ent, cfg)
log.info(
    "%d inflection points, %d convex intruders (%d significant), %d significant minor peaks",
    len(infl),
    len(intr),
    int(intr["significant"].sum()),
    int(minor["significant"].sum()),
)
log.info(
    "minor peaks per n_h:\n%s",
    microcanonical.minor_summary(minor, sorted(ent["n_h"].unique())).to_string(index=False),
)
summ = microcanonical.barrier_summary(intr)
log.info("largest significant barrier per quarter:\n%s", summ.to_string(index=False))
o = snakemake.output
for df, path, name in (
    (der, o.derivatives, "entropy_derivatives"),
    (infl, o.inflection, "entropy_inflection"),
    (intr, o.intruders, "entropy_intruders"),
    (minor, o.minor, "entropy_minor_peaks"),
):
    io.write_parquet(df, path, dataset=name, prov=io.provenance(name, "entropy", cfg, p.seed))
