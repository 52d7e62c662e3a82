"""Rule solutions: Table II (#1 from the reference GD run, #2-#5 from zero-T Monte Carlo)."""
from xornet import io, model, paper, solutions
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "solutions")
log = start(snakemake, "solutions")
p = snakemake.params
n_h = int(p.reference["n_h"])
ref = io.read_frame(snakemake.input.ref)
at = ref[ref["epoch"] <= p.cfg["truncate_epoch"]].iloc[-1]
log.info("solution #1: reference run at epoch %d (asked %d)", at["epoch"], p.cfg["truncate_epoch"])
v1 = at[model.param_names(n_h)].to_numpy(float)
df, stats = solutions.table(v1, n_h, truncate_epoch=int(at["epoch"]), mc=p.cfg["mc"],
                            threshold=p.threshold, seed=p.seed, gate=p.gate)
if n_h == paper.REFERENCE_N_H:  # the paper prints solutions of that network only
    stats["closest_to_paper_1"] = solutions.closest_approach(ref, model.PAPER_TABLE2[0], n_h)
    log.info("closest approach of the reference run to the paper's #1: %s", stats["closest_to_paper_1"])
log.info("MC: %s", stats)
for _, r in df.iterrows():
    log.info("%s %s: loss %.3e solution=%s logic=%s", r["source"], r["label"], r["full_loss"],
             r["is_solution"], r["logic"])
io.write_parquet(df, snakemake.output[0], dataset="solutions",
                 prov=io.provenance("solutions", "table2", p.cfg, p.seed, gate=p.gate), extra=stats)
