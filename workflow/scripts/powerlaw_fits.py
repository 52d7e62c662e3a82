"""Rule powerlaw_fits: gamma of L ~ tau^-gamma (Eq. 7) per run, and gamma_eff(tau)."""
import numpy as np
import pandas as pd

from xornet import io, train
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "powerlaw_fits")
log = start(snakemake, "powerlaw_fits")
p = snakemake.params
fits, effs = [], []
for path, run, label in zip(snakemake.input.runs, p.runs, p.labels, strict=True):
    df, prov = io.read_parquet(path)
    row, geff = train.powerlaw_analysis(df, prov["extra"].get("tau_conv"), p.fit, p.halfwidth,
                                        p.threshold)
    log.info("%s: tau_conv=%s window=[%s, %s] gamma=%.4f +- %.4f (%d points)", label,
             row["tau_conv"], row["tau_min"], row["tau_max"], row["gamma"], row["gamma_err"],
             row["n_points"])
    ident = {"run": label, "n_h": int(run["n_h"]), "eta": float(run["eta"])}
    fits.append({**ident, **row})
    effs.append(pd.DataFrame({**ident, "epoch": df["epoch"].astype(np.int64), "gamma_eff": geff}))
prov = io.provenance("powerlaw_fits", "training.fit", {"fit": p.fit, "threshold": p.threshold}, p.seed)
io.write_parquet(pd.DataFrame(fits), snakemake.output.fits, dataset="powerlaw_fits", prov=prov)
io.write_parquet(pd.concat(effs, ignore_index=True), snakemake.output.gamma_eff, dataset="gamma_eff",
                 prov=io.provenance("gamma_eff", "training.gamma_eff_halfwidth",
                                    {"halfwidth": p.halfwidth}, p.seed))
