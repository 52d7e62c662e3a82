"""Rule perturb_param: tau_conv over the Delta grid of one parameter + plateau bisection (Fig. 5)."""
from xornet import io, model, perturb
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "perturb_param")
log = start(snakemake, "perturb_param")
p = snakemake.params
cfg = p.cfg
param = snakemake.wildcards.param
sol = io.read_frame(snakemake.input.solutions) if cfg["reference"] == "ours" else None
v_ref = perturb.reference_vector(cfg["reference"], 2, sol)
n_h = model.n_hidden(v_ref.size)
log.info("%s: reference %s #1 = %s (full loss %.3e); R=%d eta=%g cap=%d", param,
         cfg["reference"], v_ref.round(4).tolist(), model.loss(v_ref, n_h), cfg["n_replicas"],
         cfg["eta"], cfg["max_epochs"])
points, replicas, plateau, cost = perturb.sweep_parameter(
    v_ref, param, n_h, cfg, threshold=p.threshold, seed=p.seed, reference=cfg["reference"],
    progress_seconds=p.progress)
grid = points[points["phase"] == "grid"]
log.info("%s: %d grid points, %d converged, %d not converged within %d epochs",
         param, len(grid), int(grid["converged"].sum()), int((~grid["converged"]).sum()),
         cfg["max_epochs"])
log.info("%s: plateau %s", param, plateau.iloc[0].to_dict())
log.info("%s: cost %.4g network-epochs in %.1f s = %.1f ns per network-epoch (threads=%d)",
         param, cost["net_epochs"], cost["seconds"], 1e9 * cost["seconds"] / max(cost["net_epochs"], 1),
         snakemake.threads)
section = {**cfg, "threshold": p.threshold}
extra = {"param": param, "reference": cfg["reference"], "v_ref": v_ref.tolist(),
         "network_epochs": int(cost["net_epochs"])}
for key, df, name in [("points", points, "perturb_points"), ("replicas", replicas, "perturb_replicas"),
                      ("plateau", plateau, "perturb_plateaus")]:
    io.write_parquet(df, snakemake.output[key], dataset=name,
                     prov=io.provenance(name, "perturbation", section, p.seed), extra=extra)
