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
    exact = prov["extra"].get("tau_conv")
    tau_conv = float(exact) if exact is not None else float("nan")
    tau_max = float(df["epoch"].iloc[-1])
    tau_min = max(p.fit["tau_min"], p.fit["conv_factor"] * tau_conv) if np.isfinite(tau_conv) else np.nan
    g, ge, npts = (train.fit_powerlaw(df["epoch"], df["full_loss"], tau_min, tau_max, p.fit["min_points"])
                   if np.isfinite(tau_min) else (np.nan, np.nan, 0))
    final = float(df["full_loss"].iloc[-1])
    geff = train.gamma_eff(df["epoch"], df["full_loss"], p.halfwidth)
    g30 = train.value_at(df["epoch"], geff, 30.0 * tau_conv) if np.isfinite(tau_conv) else np.nan
    log.info("%s: tau_conv=%s window=[%s, %s] gamma=%.4f +- %.4f (%d points)", label, tau_conv,
             tau_min, tau_max, g, ge, npts)
    fits.append({"run": label, "n_h": int(run["n_h"]), "eta": float(run["eta"]),
                 "tau_conv": tau_conv, "tau_min": float(tau_min), "tau_max": tau_max, "gamma": g, "gamma_err": ge,
                 "n_points": int(npts), "gamma_eff_30": g30, "final_full_loss": final,
                 "converged": bool(final < p.threshold)})
    effs.append(pd.DataFrame({"run": label, "n_h": int(run["n_h"]), "eta": float(run["eta"]),
                              "epoch": df["epoch"].astype(np.int64),
                              "gamma_eff": geff}))
prov = io.provenance("powerlaw_fits", "training.fit", {"fit": p.fit, "threshold": p.threshold}, p.seed)
io.write_parquet(pd.DataFrame(fits), snakemake.output.fits, dataset="powerlaw_fits", prov=prov)
io.write_parquet(pd.concat(effs, ignore_index=True), snakemake.output.gamma_eff, dataset="gamma_eff",
                 prov=io.provenance("gamma_eff", "training.gamma_eff_halfwidth",
                                    {"halfwidth": p.halfwidth}, p.seed))
