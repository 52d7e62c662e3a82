"""Rule robustness_seed_runs: every Fig. 2 run for every seed of the sweep (issue 11), as one
ensemble kernel call per n_h (xornet.robustness.seed_runs); files as rule train_run writes."""
from xornet import io, labels, robustness
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "robustness_seed_runs")
log = start(snakemake, "robustness_seed_runs")
p = snakemake.params
out = robustness.seed_runs(p.seeds, p.runs, p.training, threshold=p.threshold,
                           extra_epochs=p.extra_epochs, gate=p.gate)
paths = iter(snakemake.output)
for s in p.seeds:
    for run in p.runs:
        lab = labels.run_label(run["n_h"], run["eta"])
        df, extra = out[(s, lab)]
        path = next(paths)
        assert path.endswith(f"seed={s}/training/runs/{lab}.parquet"), path
        log.info("seed %d %s: tau_conv %s, final full loss %.3e", s, lab, extra["tau_conv"],
                 df["full_loss"].iloc[-1])
        io.write_parquet(df, path, dataset="training_run",
                         prov=io.provenance("training_run", "training", {"run": run, **p.training}, s,
                                            gate=p.gate),
                         extra=extra)
