"""Rule table1: render Table I (truth table) as Markdown and LaTeX."""
from xornet import io
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "table1")
start(snakemake, "table1")
df, prov = io.read_parquet(snakemake.input[0])
gate = prov.get("gate", "xor")  # files made before the gate key: XOR (the paper's)
title = f"TABLE I. Truth table of the {gate.upper()} logic." + (
    "" if gate == "xor" else " (The paper's Table I is XOR; config gate chose another.)")
tables.write(tables.to_markdown(df, title=title), snakemake.output.md)
tables.write(tables.to_latex(df, caption=title, headers=["$x_1$", "$x_2$", "$y$"]), snakemake.output.tex)
