"""Rule table1: render Table I (truth table) as Markdown and LaTeX."""
from xornet import io
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "table1")
start(snakemake, "table1")
df = io.read_frame(snakemake.input[0])
title = "TABLE I. Truth table of the XOR logic."
tables.write(tables.to_markdown(df, title=title), snakemake.output.md)
tables.write(tables.to_latex(df, caption=title, headers=["$x_1$", "$x_2$", "$y$"]), snakemake.output.tex)
