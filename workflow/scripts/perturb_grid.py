"""Rule perturb_grid: tau_conv on part {part} of {parts} of the Delta grid of one parameter
(Fig. 5; every parts-th grid point, xornet.perturb.part_indices). Finished points are
checkpointed beside the outputs, so a killed job resumes where it was."""
from pathlib import Path

from xornet import io, model, perturb, solutions
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "perturb_grid")
log = start(snakemake, "perturb_grid")
p = snakemake.params
cfg = {**p.cfg, "chunk_epochs": operational(snakemake, "perturbation.chunk_epochs")}
param = snakemake.wildcards.param
part, parts = int(snakemake.wildcards.part), int(snakemake.wildcards.parts)
sol = io.read_frame(snakemake.input.solutions) if cfg["reference"] == "ours" else None
v_ref = solutions.reference(cfg["reference"], sol)  # solution #1; n_h from the data
n_h = model.n_hidden(v_ref.size)
ck = perturb.PointCheckpoint(
    Path(snakemake.output.points).with_suffix(".checkpoint.npz"),
    perturb.run_constants(v_ref, param, n_h, cfg, threshold=p.threshold, seed=p.seed,
                          reference=cfg["reference"], gate=p.gate),
    seconds=operational(snakemake, "perturbation.checkpoint_seconds"), logger=log)
points, replicas, cost = perturb.sweep_grid(
    v_ref, param, n_h, cfg, threshold=p.threshold, seed=p.seed, reference=cfg["reference"],
    part=part, parts=parts, checkpoint=ck,
    progress_seconds=operational(snakemake, "progress_seconds"), gate=p.gate)
log.info("%s part %d/%d: %d grid points, %d converged; %.4g network-epochs in %.1f s = %.1f ns "
         "per network-epoch (threads=%d)", param, part + 1, parts, len(points),
         int(points["converged"].sum()), cost["net_epochs"], cost["seconds"],
         1e9 * cost["seconds"] / max(cost["net_epochs"], 1), snakemake.threads)
extra = {"param": param, "reference": cfg["reference"], "v_ref": v_ref.tolist(),
         "network_epochs": int(cost["net_epochs"])}
section = perturb.output_config(cfg, p.threshold)
for key, df, name in [("points", points, "perturb_points"),
                      ("replicas", replicas, "perturb_replicas")]:
    io.write_parquet(df, snakemake.output[key], dataset=name,
                     prov=io.provenance(name, "perturbation", section, p.seed, gate=p.gate), extra=extra)
ck.remove()
