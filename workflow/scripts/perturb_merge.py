"""Rule perturb_merge: concatenate the per-parameter Fig. 5 tables (in config order)."""
import pandas as pd

from xornet import io
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "perturb_merge")
log = start(snakemake, "perturb_merge")
for key, name in [("points", "perturb_points"), ("replicas", "perturb_replicas"),
                  ("plateau", "perturb_plateaus")]:
    frames, extras, metas = [], [], []
    for path in snakemake.input[key]:
        df, meta = io.read_parquet(path)
        frames.append(df)
        metas.append(meta)
        extras.append(meta.get("extra", {}))
    df = pd.concat(frames, ignore_index=True)
    out = "plateaus" if key == "plateau" else key
    log.info("%s: %d rows from %d files", name, len(df), len(frames))
    extra = {"reference": extras[0].get("reference"), "v_ref": extras[0].get("v_ref"),
             "network_epochs": {e["param"]: e["network_epochs"] for e in extras}}
    io.write_parquet(df, snakemake.output[out], dataset=name,
                     prov=io.provenance(name, "perturbation", metas[0]["config"], metas[0]["seed"]), extra=extra)
