"""Rule fig5_plateaus: plateau edges of Fig. 5 as Markdown and LaTeX tables."""
from xornet import io, model
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig5_plateaus")
log = start(snakemake, "fig5_plateaus")
plateaus, meta = io.read_parquet(snakemake.input[0])
cfg = meta["config"]
tab = tables.plateau_table(plateaus, model.n_hidden(len(meta["extra"]["v_ref"])))
title = (f"Fig. 5 plateaus: range of Delta around 0 where tau_conv = tau_conv(0) "
         f"(reference: {cfg['reference']} #1, R = {cfg['n_replicas']}, eta = {cfg['eta']})")
notes = [f"Edges by bisection to {cfg['plateau_resolution']} between grid points "
         f"(grid step {cfg['delta']['step']}); edge = bracket midpoint.",
         "Paper (Sec. III.B) states only upper edges for three weights.",
         "'beyond x': the plateau reaches the end of the Delta grid on that side."]
tables.write(tables.to_markdown(tab, title=title, notes=notes), snakemake.output.md)
tables.write(tables.to_latex(tab, caption=title, notes=notes), snakemake.output.tex)
log.info("\n%s", tab.to_string())
