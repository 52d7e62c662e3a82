"""Rule perturb_param: tau_conv over the Delta grid of one parameter + plateau bisection (Fig. 5).

The grid is run here, or, when config splits it (perturbation.grid_parts), read from the
perturb_grid jobs; either way the outputs are the same bytes. Finished points are
checkpointed beside the outputs, so a killed job resumes where it was.
"""
from pathlib import Path

from xornet import io, model, perturb, solutions
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "perturb_param")
log = start(snakemake, "perturb_param")
p = snakemake.params
cfg = {**p.cfg, "chunk_epochs": operational(snakemake, "perturbation.chunk_epochs")}
param = snakemake.wildcards.param
sol = io.read_frame(snakemake.input.solutions) if cfg["reference"] == "ours" else None
v_ref = solutions.reference(cfg["reference"], sol)  # solution #1; n_h from the data
n_h = model.n_hidden(v_ref.size)
log.info("%s: reference %s #1 = %s (full loss %.3e); R=%d eta=%g cap=%d", param,
         cfg["reference"], v_ref.round(4).tolist(), model.loss(v_ref, n_h, gate=p.gate), cfg["n_replicas"],
         cfg["eta"], cfg["max_epochs"])
grid_parts, grid_cost = None, 0
if snakemake.input.get("grid_points"):
    frames = ([], [])
    for path_p, path_r in zip(snakemake.input.grid_points, snakemake.input.grid_replicas,
                              strict=True):
        df, meta = io.read_parquet(path_p, "perturb_points")
        frames[0].append(df)
        frames[1].append(io.read_frame(path_r, "perturb_replicas"))
        grid_cost += int(meta["extra"]["network_epochs"])
        if meta["extra"]["v_ref"] != v_ref.tolist() or set(df["param"]) != {param}:
            raise ValueError(f"{path_p}: grid part of another reference or parameter; delete it "
                             "and rerun snakemake (rule perturb_grid rebuilds it)")
    grid_parts = frames
    log.info("%s: grid from %d perturb_grid jobs", param, len(frames[0]))
ck = perturb.PointCheckpoint(
    Path(snakemake.output.plateau).with_name("checkpoint.npz"),
    perturb.run_constants(v_ref, param, n_h, cfg, threshold=p.threshold, seed=p.seed,
                          reference=cfg["reference"], gate=p.gate),
    seconds=operational(snakemake, "perturbation.checkpoint_seconds"), logger=log)
points, replicas, plateau, cost = perturb.sweep_parameter(
    v_ref, param, n_h, cfg, threshold=p.threshold, seed=p.seed, reference=cfg["reference"],
    progress_seconds=operational(snakemake, "progress_seconds"), checkpoint=ck,
    grid_parts=grid_parts, gate=p.gate)
grid = points[points["phase"] == "grid"]
log.info("%s: %d grid points, %d converged, %d not converged within %d epochs",
         param, len(grid), int(grid["converged"].sum()), int((~grid["converged"]).sum()),
         cfg["max_epochs"])
log.info("%s: plateau %s", param, plateau.iloc[0].to_dict())
log.info("%s: cost %.4g network-epochs in %.1f s = %.1f ns per network-epoch (threads=%d)",
         param, cost["net_epochs"], cost["seconds"],
         1e9 * cost["seconds"] / max(cost["net_epochs"], 1), snakemake.threads)
extra = {"param": param, "reference": cfg["reference"], "v_ref": v_ref.tolist(),
         "network_epochs": int(cost["net_epochs"]) + grid_cost}
section = perturb.output_config(cfg, p.threshold)
for key, df, name in [("points", points, "perturb_points"), ("replicas", replicas, "perturb_replicas"),
                      ("plateau", plateau, "perturb_plateaus")]:
    io.write_parquet(df, snakemake.output[key], dataset=name,
                     prov=io.provenance(name, "perturbation", section, p.seed, gate=p.gate), extra=extra)
ck.remove()
