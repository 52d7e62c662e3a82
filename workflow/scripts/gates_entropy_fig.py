"""Rule fig_gates_entropy: the supplementary figure S(L) of XOR beside other gates (issue 10)."""
from xornet import io
from xornet.plots import entropy as P
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "fig_gates_entropy")
start(snakemake, "fig_gates_entropy")
df, prov = io.read_parquet(snakemake.input[0], "entropy_gates")
ex = prov["extra"]
P.gates_entropy(df, ex["min_loss"], ex["infimum_nh1"], snakemake.output[0])
