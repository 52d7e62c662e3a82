"""Rule optimizers: GD vs Adam vs zero-T MC from the Fig. 2 start (Sec. III.B)."""
import pandas as pd

from xornet import io, model, rng, train
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "optimizers")
log = start(snakemake, "optimizers")
p = snakemake.params
cfg, tr = p.cfg, p.training
n_h, eta = int(tr["reference"]["n_h"]), float(tr["reference"]["eta"])
v0 = model.init_uniform(n_h, rng.generator(p.seed, f"training/init/nh{n_h}"), scale=tr["init_scale"])
state = rng.replica_states(p.seed, 1, f"training/batches/nh{n_h}")[0]
rec = train.log_epochs(cfg["n_epochs"], tr["points_per_decade"])
names = model.param_names(n_h)
gd = train.train_gd(v0, n_h, eta, cfg["n_epochs"], randomized=tr["randomized"], state=state,
                    record_epochs=rec, gate=p.gate)[["epoch", "full_loss", *names]]
a = cfg["adam"]
adam = train.train_adam(v0, n_h, cfg["n_epochs"], lr=a["lr"], beta1=a["beta1"], beta2=a["beta2"],
                        eps=a["eps"], randomized=tr["randomized"], state=state, record_epochs=rec,
                        gate=p.gate)
mc = train.train_mc(v0, n_h, cfg["n_epochs"], step=cfg["mc"]["step"],
                    state=rng.replica_states(p.seed, 1, "optimizers/mc")[0], record_epochs=rec,
                    gate=p.gate)
traj, order = [], []
for name, df in (("gd", gd), ("adam", adam), ("mc", mc)):
    tau = train.first_below(df["epoch"], df["full_loss"], 0.005)
    log.info("%s: first record below 0.005 at epoch %s; final loss %.3e", name, tau, df["full_loss"].iloc[-1])
    traj.append(df.assign(optimizer=name))
    o = train.separation_order(df, n_h, cfg["separation_threshold"]).assign(optimizer=name)
    log.info("%s separation order: %s", name, " ".join(o.sort_values("rank")["param"]))
    order.append(o)
agree = {f"kendall_tau_gd_{o['optimizer'].iloc[0]}": train.order_agreement(order[0], o) for o in order[1:]}
conv = {f"tau_below_threshold_{d['optimizer'].iloc[0]}": train.first_below(d["epoch"], d["full_loss"], 0.005)
        for d in traj}
log.info("order agreement with GD: %s; first record below 0.005: %s", agree, conv)
prov = io.provenance("optimizer_compare", "optimizers", {**cfg, "eta_gd": eta}, p.seed,
                     gate=p.gate)
io.write_parquet(pd.concat(traj, ignore_index=True), snakemake.output.traj,
                 dataset="optimizer_compare", prov=prov)
io.write_parquet(pd.concat(order, ignore_index=True), snakemake.output.order,
                 dataset="separation_order", prov=prov, extra={**agree, **conv})
