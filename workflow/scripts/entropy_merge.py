"""Rule entropy_merge: S(L) per n_h at one R = mean of the runs with error band, and the
check against simple sampling (Fig. 8)."""

from xornet import io, microcanonical
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "entropy_merge")
log = start(snakemake, "entropy_merge")
p = snakemake.params
runs = [io.read_frame(f) for f in snakemake.input.runs]
run_extra = [io.read_parquet(f)[1].get("extra", {}) for f in snakemake.input.runs]
simple = [io.read_frame(f) for f in snakemake.input.simple]
df, summary = microcanonical.merge_frames(runs, simple, min_counts=p.check["min_counts"])
R = float(snakemake.wildcards.R)
min_loss = {}
for fr, ex in zip(runs, run_extra, strict=True):
    key = f"nh{int(fr['n_h'].iloc[0])}_run{int(fr['run'].iloc[0])}"
    min_loss[key] = ex.get("min_loss")
extra = {"checks": summary, "min_loss_runs": min_loss,
         **microcanonical.nh1_infimum_extra(df["n_h"].unique(), R, p.gate)}
if "nh1_infimum_box" in extra:
    lows = [v for k, v in min_loss.items() if k.startswith("nh1_")]
    log.info(
        "n_h=1 (%s): exact infimum in the box %.12f (unbounded %.6g); lowest loss reached by the runs %s",
        p.gate,
        extra["nh1_infimum_box"],
        extra["nh1_infimum_unbounded"],
        ", ".join(f"{x:.6f}" for x in lows),
    )
for k, s in summary.items():
    log.info("check %s: %s", k, s)
io.write_parquet(
    df,
    snakemake.output[0],
    dataset="entropy",
    prov=io.provenance("entropy", "entropy", {"check": p.check, "R": R}, p.seed, gate=p.gate),
    extra=extra,
)
