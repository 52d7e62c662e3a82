"""Rule lr_window_inits: convergence vs eta from many random initializations, both batch modes."""
import numpy as np
import pandas as pd

from xornet import io, lrwindow, model, rng
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "lr_window_inits")
log = start(snakemake, "lr_window_inits")
p = snakemake.params
cfg, ic = p.cfg, p.cfg["inits"]
n_h = int(cfg["n_h"])
v0s = np.array([model.init_uniform(n_h, rng.generator(p.seed, f"lr_window/init/{k}"), scale=p.init_scale)
                for k in range(ic["n"])])
states = rng.replica_states(p.seed, ic["n"], "lr_window/batches")
etas = np.geomspace(cfg["scan"]["eta_min"], cfg["scan"]["eta_max"], ic["n_eta"])
frames = []
for batch in cfg["batches"]:
    df = lrwindow.scan_inits(v0s, n_h, etas, max_epochs=ic["max_epochs"], threshold=p.threshold,
                             randomized=batch == "randomized", states=states, logger=log,
                             gate=p.gate)
    frac = df.groupby("eta")["converged"].mean()
    log.info("%s: fraction of %d inits converging per eta: %s", batch, ic["n"],
             ", ".join(f"{e:.3g}:{f:.2f}" for e, f in frac.items()))
    frames.append(df.assign(batch=batch))
io.write_parquet(pd.concat(frames, ignore_index=True), snakemake.output[0], dataset="lr_window_inits",
                 prov=io.provenance("lr_window_inits", "lr_window.inits", cfg, p.seed,
                                       gate=p.gate))
