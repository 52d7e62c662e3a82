"""Rule landscape_trajectory: steepest descent on two parameters from one start (Fig. 6 paths)."""
import time

from xornet import io
from xornet import landscape as L
from xornet import model as M
from xornet.train import Progress
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_trajectory")
log = start(snakemake, "landscape_trajectory")
p = snakemake.params
cfg, tc, st = p.cfg, p.cfg["trajectories"], dict(p.start)
v_ref = L.reference_for(cfg, snakemake.input)
n_h = M.n_hidden(len(v_ref))
log.info("start %s (%s, %s) from (%g, %g), eta %g, up to %d epochs", st["label"], st["x"], st["y"],
         st["dx"], st["dy"], st["eta"], tc["max_epochs"])
t0 = time.perf_counter()
traj = L.descend(v_ref, n_h, [st], max_epochs=tc["max_epochs"],
                 points_per_decade=tc["points_per_decade"], converged_loss=p.threshold,
                 stall_tol=tc["stall_tol"], stall_min_epochs=tc["stall_min_epochs"],
                 max_chunk=operational(snakemake, "landscape.trajectories.max_chunk"),
                 progress=Progress(tc["max_epochs"], st["label"],
                                   every=operational(snakemake, "progress_seconds"), logger=log),
                 gate=p.gate)
last = traj.iloc[-1]
log.info("%s after %d epochs, L = %.4g (wall %.1f s)", last["status"], last["epoch"], last["loss"],
         time.perf_counter() - t0)
io.write_parquet(traj, snakemake.output[0], dataset="landscape_trajectory",
                 prov=io.provenance("landscape_trajectory", "landscape", {**cfg, "start": st}, None,
                                     gate=p.gate),
                 extra={"n_h": n_h, "reference": v_ref, "threshold": p.threshold})
