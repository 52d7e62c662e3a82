"""Rule train_run: one gradient-descent run of Fig. 2 from v_k = 0.1 r_k (Sec. III.A)."""
from xornet import io, kernels, model, rng, train
from xornet.workflow import operational, snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "train_run")
log = start(snakemake, "train_run")
p = snakemake.params
run, cfg = p.run, p.training
n_h, eta = int(run["n_h"]), float(run["eta"])
# Same initial point and batch stream for every eta of a given n_h: eta is the only change.
v0 = model.init_uniform(n_h, rng.generator(p.seed, f"training/init/nh{n_h}"), scale=cfg["init_scale"])
state = rng.replica_states(p.seed, 1, f"training/batches/nh{n_h}")[0]
rec = train.log_epochs(cfg["n_epochs"], cfg["points_per_decade"], extra=p.extra_epochs)
log.info("n_h=%d eta=%g epochs=%d randomized=%s records=%d", n_h, eta, cfg["n_epochs"],
         cfg["randomized"], len(rec))
prog = train.Progress(cfg["n_epochs"], f"nh{n_h} eta={eta:g}", every=operational(snakemake, "progress_seconds"), logger=log)
df = train.train_gd(v0, n_h, eta, cfg["n_epochs"], randomized=cfg["randomized"], state=state,
                    record_epochs=rec, progress=prog, gate=p.gate)
# exact first epoch whose full-batch loss is below the threshold (same start, same stream)
conv = train.converge_ensemble(v0[None, :], n_h, [eta], cfg["n_epochs"], randomized=cfg["randomized"],
                               states=[state], target=p.threshold, gate=p.gate)
tau_conv = int(conv["epochs"][0]) if conv["status"][0] == kernels.STATUS_CONVERGED else None
log.info("exact convergence epoch (full loss < %g): %s", p.threshold, tau_conv)
last = df.iloc[-1]
log.info("done: epoch %d, full loss %.3e, status %s", last["epoch"], last["full_loss"], last["status"])
if (df["status"] == "diverged").any():
    log.warning("run diverged (non-finite loss) at epoch %d", last["epoch"])
io.write_parquet(df, snakemake.output[0], dataset="training_run",
                 prov=io.provenance("training_run", "training", {"run": run, **cfg}, p.seed,
                                     gate=p.gate),
                 extra={"n_h": n_h, "eta": eta, "randomized": cfg["randomized"],
                        "init": v0.tolist(), "tau_conv": tau_conv, "threshold": p.threshold})
