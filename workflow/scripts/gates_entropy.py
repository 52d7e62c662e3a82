"""Rule gates_entropy: S(L) of XOR beside other gates (issue 10, supplementary figure)."""
from xornet import entropy, io, microcanonical
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "gates_entropy")
log = start(snakemake, "gates_entropy")
p = snakemake.params
cfg = dict(p.sampler, n_bins=p.n_bins)
df, extra = entropy.gate_runs(p.gates, p.n_h, p.R, cfg, p.seed, logger=log,
                              progress_seconds=operational(snakemake, "progress_seconds"))
extra["infimum_nh1"] = {g: microcanonical.infimum_nh1_unbounded(g) for g in p.gates}
for k, v in extra["min_loss"].items():
    log.info("%s: lowest loss reached %.6g", k, v)
io.write_parquet(df, snakemake.output[0], dataset="entropy_gates",
                 prov=io.provenance("entropy_gates", "entropy",
                                    {**cfg, "R": p.R, "gates": p.gates, "n_h": p.n_h}, p.seed),
                 extra=extra)
