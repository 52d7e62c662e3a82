"""Rule landscape_grid: full-batch loss on the cross-sections of one chunk of pairs (Fig. 6)."""
from xornet import io
from xornet import landscape as L
from xornet import model as M
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_grid")
log = start(snakemake, "landscape_grid")
cfg = snakemake.params.cfg
k = int(snakemake.wildcards.k)
v_ref = L.reference_for(cfg, snakemake.input)
n_h = M.n_hidden(len(v_ref))
pairs = L.chunk_of(cfg, n_h)[k]
log.info("chunk %d: %d pairs %s, %d x %d points, |Delta| <= %g", k, len(pairs), pairs,
         cfg["n_points"], cfg["n_points"], cfg["half_range"])
gate = snakemake.params.gate
df = L.compute_grids(v_ref, n_h, pairs, cfg["half_range"], cfg["n_points"], gate)
io.write_parquet(df, snakemake.output[0], dataset="landscape_grid",
                 prov=io.provenance("landscape_grid", "landscape", cfg, None, gate=gate),
                 extra={"n_h": n_h, "chunk": k, "pairs": pairs, "reference": v_ref,
                        "reference_source": cfg["reference"]})
log.info("wrote %d rows to %s", len(df), snakemake.output[0])
