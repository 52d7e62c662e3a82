"""Rule landscape_trajectories: steepest descent on two parameters (Fig. 6 paths)."""
import time

from xornet import io
from xornet import landscape as L
from xornet.train import Progress
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_trajectories")
log = start(snakemake, "landscape_trajectories")
cfg = snakemake.params.cfg
tc = cfg["trajectories"]
v_ref = L.reference_for(cfg, snakemake.input)
starts = L.resolve_starts(tc, {k: tuple(v) for k, v in cfg["panels"].items()})
log.info("%d starts, up to %d epochs: %s", len(starts), tc["max_epochs"],
         [s["label"] for s in starts])
t0 = time.perf_counter()
traj = L.descend(v_ref, 2, starts, max_epochs=tc["max_epochs"],
                 points_per_decade=tc["points_per_decade"],
                 converged_loss=snakemake.params.threshold, stall_tol=tc["stall_tol"],
                 stall_min_epochs=tc["stall_min_epochs"], max_chunk=tc["max_chunk"],
                 progress=Progress(tc["max_epochs"], "trajectories",
                                   every=snakemake.params.progress, logger=log))
wall = time.perf_counter() - t0
summ = L.trajectory_summary(traj, starts, v_ref, 2, cfg["half_range"],
                            snakemake.params.threshold)
for _, r in summ.iterrows():
    log.info("%s: %s after %d epochs, L = %.4g at (%.3f, %.3f); paper: %s", r["label"],
             r["outcome"], r["epochs"], r["final_loss"], r["dx_end"], r["dy_end"],
             r["paper_outcome"] or "-")
log.info("wall time %.1f s for %d epochs in total", wall, int(summ["epochs"].sum()))
extra = {"n_h": 2, "reference": v_ref, "threshold": snakemake.params.threshold}
io.write_parquet(traj, snakemake.output.traj, dataset="landscape_trajectory",
                 prov=io.provenance("landscape_trajectory", "landscape", cfg, None), extra=extra)
io.write_parquet(summ, snakemake.output.summary, dataset="landscape_trajectory_summary",
                 prov=io.provenance("landscape_trajectory_summary", "landscape", cfg, None),
                 extra={"n_h": 2, "threshold": snakemake.params.threshold,
                        "stall_tol": tc["stall_tol"], "max_epochs": tc["max_epochs"]})
