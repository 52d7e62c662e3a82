"""Rule landscape_randomized: randomized-batch scans of one cross-section (Fig. 7)."""
from xornet import io
from xornet import landscape as L
from xornet import model as M
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_randomized")
log = start(snakemake, "landscape_randomized")
cfg = snakemake.params.cfg
rc = cfg["randomized"]
seed = int(snakemake.params.seed)
v_ref = L.reference_for(cfg, snakemake.input)
x, y = rc["pair"]
d = L.deltas(cfg["half_range"], rc["n_points"])
n_h = M.n_hidden(len(v_ref))
gate = snakemake.params.gate
res = L.randomized_scans(v_ref, n_h, x, y, d, rc["n_scans"], seed, gate)
rms = res["rms"]
log.info("(%s, %s): RMS(k=1) = %.4f, RMS(k=%d) = %.4f (expected %.4f)", x, y, rms["rms"].iloc[0],
         rc["n_scans"], rms["rms"].iloc[-1], rms["rms_expected"].iloc[-1])
extra = {"n_h": n_h, "x": x, "y": y, "n_scans": rc["n_scans"], "reference": v_ref}
io.write_parquet(L.scan_frame(d, res), snakemake.output.scans, dataset="landscape_randomized",
                 prov=io.provenance("landscape_randomized", "landscape", cfg, seed, gate=gate), extra=extra)
io.write_parquet(rms, snakemake.output.rms, dataset="landscape_rms",
                 prov=io.provenance("landscape_rms", "landscape", cfg, seed, gate=gate), extra=extra)
