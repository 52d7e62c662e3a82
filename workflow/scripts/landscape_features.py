"""Rule landscape_features: shape features of all cross-sections, choice of Fig. 6(d)-(f)."""
import pandas as pd

from xornet import io
from xornet import landscape as L
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "landscape_features")
log = start(snakemake, "landscape_features")
cfg = snakemake.params.cfg
grids = [io.read_parquet(p) for p in snakemake.input.grids]
feats = pd.concat([L.features_frame(df, **cfg["features"])
                   for df, _ in grids], ignore_index=True)
sel = L.select_panels(feats, {k: tuple(v) for k, v in cfg["panels"].items()})
for _, r in sel[sel["panel"] != ""].sort_values("panel").iterrows():
    log.info("panel (%s): (%s, %s) - %s", r["panel"], r["panel_x"], r["panel_y"], r["rule"])
io.write_parquet(sel, snakemake.output[0], dataset="landscape_features",
                 prov=io.provenance("landscape_features", "landscape", cfg, None),
                 extra={"rules": [list(r) for r in L.SELECTION_RULES]})
