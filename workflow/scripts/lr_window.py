"""Rule lr_window: the eta interval in which the Fig. 2 initialization converges (Sec. III.A)."""
from xornet import io, lrwindow, model, rng
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "lr_window")
log = start(snakemake, "lr_window")
p = snakemake.params
cfg = p.cfg
n_h = int(cfg["n_h"])
# identical start and batch stream as rule train_run for this n_h
v0 = model.init_uniform(n_h, rng.generator(p.seed, f"training/init/nh{n_h}"), scale=p.init_scale)
state = rng.replica_states(p.seed, 1, f"training/batches/nh{n_h}")[0]
log.info("batch: %s", "randomized" if p.randomized else "full (nonrandomized)")
rows, summary = lrwindow.find_window(
    v0, n_h, eta_min=cfg["scan"]["eta_min"], eta_max=cfg["scan"]["eta_max"], n=cfg["scan"]["n"],
    max_epochs=cfg["max_epochs"], rel_resolution=cfg["rel_resolution"], threshold=p.threshold,
    randomized=p.randomized, state=state, logger=log, gate=p.gate)
summary["batch"] = "randomized" if p.randomized else "full"
log.info("window: %s (low bracket %s, high bracket %s; %d sign changes in the scan)",
         summary.get("window"), summary.get("low_bracket"), summary.get("high_bracket"),
         summary["transitions_in_scan"])
io.write_parquet(rows, snakemake.output[0], dataset="lr_window",
                 prov=io.provenance("lr_window", "lr_window", cfg, p.seed, gate=p.gate), extra=summary)
