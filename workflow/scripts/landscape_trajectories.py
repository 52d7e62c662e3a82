"""Rule landscape_trajectories: the descent paths of all starts in one file, and their summary
beside the paper's description (Fig. 6, Sec. III.C.1)."""
import pandas as pd

from xornet import io
from xornet import landscape as L
from xornet import model as M
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_trajectories")
log = start(snakemake, "landscape_trajectories")
p = snakemake.params
cfg, tc = p.cfg, p.cfg["trajectories"]
v_ref = L.reference_for(cfg, snakemake.input)
n_h = M.n_hidden(len(v_ref))
starts = [dict(s) for s in p.starts]
traj = pd.concat([io.read_frame(f) for f in snakemake.input.paths], ignore_index=True)
traj = traj.sort_values(["label", "epoch"], kind="stable").reset_index(drop=True)
summ = L.trajectory_summary(traj, starts, v_ref, n_h, cfg["half_range"], p.threshold)
for _, r in summ.iterrows():
    log.info("%s: %s after %d epochs, L = %.4g at (%.3f, %.3f); paper: %s", r["label"],
             r["outcome"], r["epochs"], r["final_loss"], r["dx_end"], r["dy_end"],
             r["paper_outcome"] or "-")
extra = {"n_h": n_h, "reference": v_ref, "threshold": p.threshold}
io.write_parquet(traj, snakemake.output.traj, dataset="landscape_trajectory",
                 prov=io.provenance("landscape_trajectory", "landscape", cfg, None), extra=extra)
io.write_parquet(summ, snakemake.output.summary, dataset="landscape_trajectory_summary",
                 prov=io.provenance("landscape_trajectory_summary", "landscape", cfg, None),
                 extra={"n_h": n_h, "threshold": p.threshold,
                        "stall_tol": tc["stall_tol"], "max_epochs": tc["max_epochs"]})
