"""Rule gallery: small PNG copies of the figures (from the PNG twin of each PDF) for the README."""
from pathlib import Path

from xornet.plots import claims as plot
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "gallery")
log = start(snakemake, "gallery")
for pdf, out in zip(snakemake.input, snakemake.output, strict=True):
    w, h = plot.thumbnail(Path(pdf).with_suffix(".png"), out, snakemake.params.max_width)
    log.info("%s -> %s (%d x %d)", pdf, out, w, h)
