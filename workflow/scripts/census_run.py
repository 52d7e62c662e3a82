"""Rule census_run: minima and transition states of E = L + lam |v|^2 for one (n_h, lam, rep).

Checkpoints to results/census/checkpoints/<job>.npz every ``census.checkpoint_seconds``
(operational, read from the config, not a param) and resumes from it; removed on success.
"""

from pathlib import Path

from xornet import io, rng
from xornet.census import search, tables
from xornet.labels import parse_num_label
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "census_run")
log = start(snakemake, "census_run")
p, wc = snakemake.params, snakemake.wildcards
n_h, lam, rep = int(wc.n_h), parse_num_label(wc.lam), int(wc.rep)
cfg = (getattr(snakemake, "config", None) or {}).get("census", {})
label = f"census/nh{n_h}/lam{wc.lam}/rep{rep}"
ckpt = Path("results/census/checkpoints") / f"nh{n_h}_lam{wc.lam}_rep{rep}.npz"
res = search.run_census(
    n_h, lam, p.census, rng.generator(p.seed, label),
    key=search.job_key(n_h, lam, p.census, p.seed, label)
    + ("" if p.gate == "xor" else f"/gate={p.gate}"), checkpoint=ckpt,
    checkpoint_seconds=float(cfg.get("checkpoint_seconds", 60)),
    progress_seconds=float((getattr(snakemake, "config", None) or {}).get("progress_seconds", 30)),
    gate=p.gate,
)
frames = tables.job_frames(res, n_h, lam)
extra = tables.job_extra(res)
log.info("n_h=%d lam=%g rep %d: %d minima (%d by basin-hopping, %s after %d steps), %d TS, "
         "%d connection attempts, %.1f s; %s", n_h, lam, rep, len(frames["minima"]),
         extra["n_minima_bh"], extra["stop"], extra["bh_steps"], len(frames["ts"]),
         extra["attempts"], res["state"]["elapsed"], extra)
prov = io.provenance("census_run", "census", {**p.census, "n_h": n_h, "lam": lam, "rep": rep},
                     p.seed, gate=p.gate)
for name in ("minima", "ts", "edges", "progress"):
    io.write_parquet(frames[name], snakemake.output[name], dataset=f"census_{name}", prov=prov,
                     extra=extra if name == "minima" else None)
ckpt.unlink(missing_ok=True)
