"""Rule robustness_scorecard: the scorecard with 'holds under k of n readings' (issue 11)."""
from xornet import io, robustness
from xornet.plots import tables
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "robustness_scorecard")
log = start(snakemake, "robustness_scorecard")
card = io.read_frame(snakemake.input.scorecard, "claims")
rob = io.read_frame(snakemake.input.robustness, "robustness_claims")
tables.write(robustness.scorecard_markdown(card, rob), snakemake.output[0])
log.info("scorecard with robustness column: %d claims", len(card))
