"""Rule entropy_simple: simple sampling of the density of loss g(L) (Sec. II, Fig. 8)."""

from xornet import entropy, io
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "entropy_simple")
log = start(snakemake, "entropy_simple")
p = snakemake.params
n_h, R = int(snakemake.wildcards.n_h), float(snakemake.wildcards.R)
res = entropy.simple_sampling(
    n_h, R, p.draws, p.n_bins, p.seed, progress_seconds=operational(snakemake, "progress_seconds"), logger=log,
    gate=p.gate
)
log.info("n_h=%d R=%g: %d draws, lowest loss %.6g", n_h, R, res["n_draws"], res["min_loss"])
section = {"simple_draws": p.draws, "n_bins": p.n_bins, "R": R, "n_h": n_h}
io.write_parquet(
    entropy.simple_frame(n_h, R, res),
    snakemake.output[0],
    dataset="entropy_simple",
    prov=io.provenance("entropy_simple", "entropy", section, p.seed, gate=p.gate),
    extra={"min_loss": res["min_loss"], "v_min": res["v_min"].tolist()},
)
