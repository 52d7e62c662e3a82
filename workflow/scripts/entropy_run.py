"""Rule entropy_run: one Wang-Landau (1/t) + multicanonical run for (R, n_h, run) (Fig. 8).

The sampler checkpoints to ``params.checkpoint`` and resumes from it; the checkpoint is
removed once the Parquet file is written.
"""

from pathlib import Path

from xornet import entropy, io
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "entropy_run")
log = start(snakemake, "entropy_run")
p = snakemake.params
wc = snakemake.wildcards
n_h, R, run = int(wc.n_h), float(wc.R), int(wc.run)
cfg = dict(p.sampler, n_bins=p.n_bins)
res = entropy.run_sampler(
    n_h,
    R,
    cfg,
    p.seed,
    run,
    checkpoint=p.checkpoint,
    checkpoint_seconds=operational(snakemake, "entropy.checkpoint_seconds"),
    progress_seconds=operational(snakemake, "progress_seconds"),
    logger=log,
    gate=p.gate,
)
diag = entropy.run_diagnostics(res)
log.info(
    "n_h=%d R=%g run %d: visited %d bins, lowest loss %.6g, highest %.6g, delta %.3g, "
    "ln f %.3g, drift %.2g",
    n_h,
    R,
    run,
    diag["n_visited"],
    diag["min_loss"],
    diag["max_loss"],
    diag["delta"],
    diag["lnf_final"],
    diag["max_drift"],
)
io.write_parquet(
    entropy.run_frame(n_h, R, run, res),
    snakemake.output[0],
    dataset="entropy_run",
    prov=io.provenance("entropy_run", "entropy", {**cfg, "R": R, "n_h": n_h, "run": run}, p.seed,
                       gate=p.gate),
    extra=diag,
)
Path(p.checkpoint).unlink(missing_ok=True)
