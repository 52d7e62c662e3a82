"""Rule table2: render Table II (ours beside the paper's printed sets) with notes."""
from xornet import io, model
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "table2")
start(snakemake, "table2")
df, prov = io.read_parquet(snakemake.input[0])
n_h = tables.n_hidden_of(df)
cols = ["source", "label", *model.param_names(n_h), "full_loss", "yhat_c0", "yhat_c1", "yhat_c2",
        "yhat_c3", "is_solution", "logic"]
show = df[cols].rename(columns={"is_solution": "solution?"})
notes = tables.table2_notes(df, prov.get("extra", {}), prov["config"]["mc"]["dedup_tol"],
                            prov.get("gate", "xor"))  # files made before the gate key: XOR
title = "TABLE II. Sets of optimal parameter values (ours, then the paper's printed values)."
tables.write(tables.to_markdown(show, digits=2, title=title, notes=notes), snakemake.output.md)
heads = ["source", "", *model.param_labels(n_h), "$L$", r"$\hat y_{00}$", r"$\hat y_{01}$",
         r"$\hat y_{10}$", r"$\hat y_{11}$", "solution?", "logic"]
tables.write(tables.to_latex(show, digits=2, caption=title, notes=notes, headers=heads), snakemake.output.tex)
