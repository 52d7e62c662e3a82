"""Robustness of the scorecard to the paper's unstated choices (issue 11).

A *reading* is one alternative value of one choice of the ledger (:mod:`xornet.choices`), or
one independent root seed. For each reading the workflow (``workflow/rules/robustness.smk``)
reruns only the stages that read the choice, with outputs under
``results/robustness/<reading>/...``, and :func:`evaluate_readings` evaluates the affected claims
with :func:`xornet.claims.evaluate`, the reading's files substituted for the inputs it
recomputes and the default files for every other input.

The seed sweep runs the Fig. 2 training runs of all seeds as one ensemble kernel call per
hidden-layer size (:func:`seed_runs`); each replica is bit-for-bit the ``train_run`` job of
that root seed (:func:`xornet.kernels.gd_ensemble`). Per claim, the fraction of seeds for which
it holds is reported with its Wilson score interval (:func:`wilson`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import choices as C
from . import gates, labels, rng
from . import model as M
from .plots.tables import markdown_table

ROOT_DIR = "results/robustness"
DEFAULT = "default"
#: two-sided confidence of the binomial intervals of the seed sweep
CONFIDENCE = 0.95


# --------------------------------------------------------------------------- readings
@dataclass(frozen=True)
class Reading:
    label: str      # directory name: "<key>=<value label>"
    key: str        # choice key
    value: object   # the alternative value
    stages: tuple   # rules rerun
    inputs: tuple   # claim inputs recomputed
    config: dict    # the whole config of this reading
    reduced: dict = field(default_factory=dict)  # reduced sizes (dotted key -> value) or {}

    @property
    def is_seed(self) -> bool:
        return self.key == "seed"

    def reduced_text(self) -> str:
        """The reduced sizes in words ('' at the config's sizes)."""
        return ", ".join(f"{k} = {v}" for k, v in self.reduced.items())

    def input_paths(self) -> dict[str, str]:
        """Where this reading keeps each claim input it recomputes: the path of the input in
        the reading's config (e.g. its own box R in the file name), under its directory."""
        from . import claims

        own = claims.input_paths(self.config)
        # the sampler run deciding the entropy stage's scale exists only if n_h = 2 is sampled
        keep = [k for k in self.inputs
                if k != "entropy_run" or 2 in set(self.config["entropy"]["n_h"])]
        return {k: reading_path(self.label, own[k]) for k in keep}


def value_label(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return labels.num_label(value)


def readings(config: dict) -> list[Reading]:
    """Every swept reading of the ledger for ``config`` (seeds last)."""
    out = []
    for ch in C.CHOICES:
        if ch.sweep == "not swept":
            continue
        for v in C.alternatives(ch, config):
            out.append(Reading(f"{ch.key}={value_label(v)}", ch.key, v, ch.stages, ch.inputs,
                               C.reading_config(config, ch, v), C.reduced_sizes(ch, config)))
    return sorted(out, key=lambda r: (r.is_seed, C.CHOICES.index(C.BY_KEY[r.key])))


def reading_path(label: str, default_path: str) -> str:
    """Where a reading keeps the file whose default is ``default_path`` (results/...)."""
    rel = Path(default_path).relative_to("results")
    return f"{ROOT_DIR}/{label}/{rel.as_posix()}"


def reading_paths(reading: Reading, default_paths: dict[str, str]) -> dict[str, str]:
    """Claim input paths of a reading: its own files for the inputs it recomputes."""
    return {**default_paths, **reading.input_paths()}


class Sweep:
    """The readings of a workflow config, with the helpers of ``robustness.smk`` (input
    functions, wildcard constraints); ``ref_run``: label of the reference training run."""

    def __init__(self, config: dict, ref_run: str):
        self.readings = {r.label: r for r in readings(config)}
        self.ref_run = ref_run

    def labels(self, stage: str, seeds: bool = True) -> list[str]:
        return [k for k, r in self.readings.items()
                if stage in r.stages and (seeds or not r.is_seed)]

    def constraint(self, stage: str, seeds: bool = True) -> str:
        """Wildcard constraint of {reading} for a rule: the readings that rerun ``stage``."""
        import re

        return "|".join(re.escape(k) for k in self.labels(stage, seeds)) or "no-reading"

    def cfg(self, wc) -> dict:
        """The config of a job's reading."""
        return self.readings[wc.reading].config

    def run_path(self, reading: str, run: str) -> str:
        """A training run of a reading: its own if the reading reruns that run."""
        r = self.readings[reading]
        default = f"results/training/runs/{run}.parquet"
        if "train_run" in r.stages and (r.is_seed or run == self.ref_run):
            return reading_path(reading, default)
        return default

    def landscape_ref(self, wc) -> dict:
        """Input of the landscape rules: our solution #1 when the reading asks for it."""
        if self.cfg(wc)["landscape"]["reference"] == "ours":
            return {"solutions": "results/training/solutions.parquet"}
        return {}

    def perturb_ref(self, wc) -> dict:
        """Input of the Fig. 5 rules: our solution #1 when the reading asks for it."""
        if self.cfg(wc)["perturbation"]["reference"] == "ours":
            return {"solutions": "results/training/solutions.parquet"}
        return {}

    def entropy_file(self, wc) -> str:
        """The merged S(L) of a reading (at its own box R)."""
        r = self.readings[wc.reading]
        return r.input_paths()["entropy"]

    def entropy_inputs(self, wc) -> dict:
        """Sampler runs and simple-sampling files of a reading's entropy merge at box R: its
        n_h and n_runs (the reduced sizes)."""
        ent = self.cfg(wc)["entropy"]
        base = f"{ROOT_DIR}/{wc.reading}/entropy"
        return {"runs": [f"{base}/runs/R{wc.R}/nh{n}_run{k}.parquet"
                         for n in ent["n_h"] for k in range(int(ent["n_runs"]))],
                "simple": [f"{base}/simple/R{wc.R}/nh{n}.parquet" for n in ent["n_h"]]}

    def files(self, claim_paths: dict[str, str] | None = None) -> list[str]:
        """Every recomputed claim input of every reading."""
        return sorted({p for r in self.readings.values() for p in r.input_paths().values()})

    def default_inputs(self, claim_paths: dict[str, str]) -> dict[str, str]:
        """Default paths of every input (or scale input) of the claims any reading affects."""
        from . import claims

        rerun = {x for r in self.readings.values() for x in r.inputs}
        need = {i for c in claims.CLAIMS if set(c.inputs) & rerun
                for i in (*c.inputs, *c.scale_inputs)}
        return {k: v for k, v in claim_paths.items() if k in need}

    def specs(self) -> list[dict]:
        return [_spec(r) for r in self.readings.values()]


def _spec(r: Reading) -> dict:
    return {"label": r.label, "key": r.key, "value": value_label(r.value),
            "inputs": list(r.inputs), "paths": r.input_paths(), "reduced": r.reduced_text()}


# --------------------------------------------------------------------------- seed ensemble
def seed_runs(seeds, runs: list[dict], training: dict, *, threshold: float,
              extra_epochs: dict | None = None, chunk: int = 1 << 21, gate: str = "xor"):
    """The Fig. 2 runs ``runs`` ({n_h, eta}) for every root seed in ``seeds``, as ensembles.

    Returns ``{(seed, run_label): (frame of schema training_run, extra dict)}``. Replica
    (seed, run) starts from the ``train_run`` initial point of that seed
    (``training/init/nh{n_h}``) with its batch stream (``training/batches/nh{n_h}``), so it is
    the default ``train_run`` job with ``seed`` as root seed. ``extra_epochs``: run label ->
    additional record epochs (the truncation epoch of solution #1 for the reference run).
    """
    from . import kernels as K  # numba: only the seed-sweep job loads it
    from . import train

    extra_epochs = extra_epochs or {}
    n_epochs, ppd = int(training["n_epochs"]), int(training["points_per_decade"])
    randomized, scale = bool(training["randomized"]), float(training["init_scale"])
    out = {}
    for n_h in sorted({int(r["n_h"]) for r in runs}):
        group = [r for r in runs if int(r["n_h"]) == n_h]
        keys = [(s, labels.run_label(n_h, r["eta"])) for s in seeds for r in group]
        v0 = np.array([M.init_uniform(n_h, rng.generator(s, f"training/init/nh{n_h}"), scale=scale)
                       for s in seeds for _ in group])
        st0 = np.array([rng.replica_states(s, 1, f"training/batches/nh{n_h}")[0]
                        for s in seeds for _ in group], dtype=np.uint64)
        etas = np.array([float(r["eta"]) for _ in seeds for r in group])
        allx = sorted({e for r in group for e in extra_epochs.get(labels.run_label(n_h, r["eta"]), [])})
        rec = train.log_epochs(n_epochs, ppd, extra=allx)
        frames = _record_ensemble(v0, n_h, etas, st0, rec, randomized, chunk, gate)
        # exact first epoch below the threshold (same start, same stream), as train_run
        conv = train.converge_ensemble(v0, n_h, etas, n_epochs, randomized=randomized,
                                       states=st0, target=threshold, gate=gate)
        for i, (s, lab) in enumerate(keys):
            keep = set(train.log_epochs(n_epochs, ppd, extra=extra_epochs.get(lab, [])).tolist())
            df = frames[i]
            df = df[df["epoch"].isin(keep) | (df["status"] == "diverged")].reset_index(drop=True)
            tau = int(conv["epochs"][i]) if conv["status"][i] == K.STATUS_CONVERGED else None
            run = group[i % len(group)]
            out[(s, lab)] = (df, {"n_h": n_h, "eta": float(run["eta"]), "randomized": randomized,
                                  "init": v0[i].tolist(), "tau_conv": tau, "threshold": threshold,
                                  "seed": int(s)})
    return out


def _record_ensemble(v0, n_h, etas, states, rec, randomized, chunk, gate):
    """Gradient descent of every replica recorded at epochs ``rec`` (train.train_gd's rows:
    parameters, activations, full-batch loss and the batch loss of the epoch starting there)."""
    from . import kernels as K  # numba: only the seed-sweep job loads it
    from . import train

    V = np.array(v0, dtype=np.float64, order="C")
    R = V.shape[0]
    S = np.array(states, dtype=np.uint64).copy()
    status = np.zeros(R, dtype=np.int64)
    epochs = np.zeros(R, dtype=np.int64)
    fb, lf = np.full(R, np.nan), np.full(R, np.nan)
    rows = [[] for _ in range(R)]
    pending = [None] * R  # row of the last record, waiting for the batch loss of its epoch
    stopped = np.zeros(R, dtype=bool)
    yb = gates.bits(gate)

    def flush():
        for r in range(R):
            if pending[r] is not None:
                pending[r]["batch_loss"] = float(fb[r])
                rows[r].append(pending[r])
                pending[r] = None

    done = 0
    for e in (int(x) for x in rec):
        first = True
        while done < e:
            n = int(min(chunk, e - done))
            fb[:] = np.nan
            K.gd_ensemble(V, n_h, etas, n, randomized, S, status, epochs, fb, lf, 0.0, yb)
            if first:
                flush()
                first = False
            done += n
        for r in np.flatnonzero(~stopped):
            diverged = status[r] == K.STATUS_DIVERGED
            row = {"epoch": int(epochs[r]) if diverged else e, "batch_loss": float("nan"),
                   "full_loss": float("nan") if diverged else float(M.loss(V[r], n_h, gate=gate)),
                   "status": "diverged" if diverged else "running"}
            row.update(train.activations_row(V[r], n_h))
            if diverged:
                rows[r].append(row)
                stopped[r] = True
            else:
                pending[r] = row
    # the batch loss at the last record: one more epoch on copies (same streams)
    fb[:] = np.nan
    K.gd_ensemble(V.copy(), n_h, etas, 1, randomized, S.copy(), status.copy(), epochs.copy(),
                  fb, lf.copy(), 0.0, yb)
    flush()
    out = []
    for r in range(R):
        df = pd.DataFrame(rows[r])
        df["epoch"] = df["epoch"].astype(np.int64)
        out.append(df)
    return out


# --------------------------------------------------------------------------- evaluation
def wilson(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion k/n (NaNs for n = 0)."""
    if n <= 0:
        return float("nan"), float("nan")
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def claims_of(reading_inputs) -> list[str]:
    from . import claims

    want = set(reading_inputs)
    return [c.id for c in claims.CLAIMS if want & set(c.inputs)]


def evaluate_readings(default_paths: dict[str, str], defaults: dict, reads: list[dict],
                      logger=None) -> pd.DataFrame:
    """Rows (reading, choice, value, claim columns) for the default reading and every reading
    of ``reads`` (:meth:`Sweep.specs`), each on the claims it affects (dataset
    ``robustness_claims``). A reading's recomputed inputs are read from
    :func:`reading_path`, every other input from ``default_paths``."""
    from . import claims

    by_id = {c.id: c for c in claims.CLAIMS}
    order = [c.id for c in claims.CLAIMS]
    affected = sorted({i for r in reads for i in claims_of(r["inputs"])}, key=order.index)
    frames = [claims.evaluate(default_paths, defaults, claims=[by_id[i] for i in affected])
              .assign(reading=DEFAULT, choice="", value="", reduced="")]
    for r in reads:
        paths = dict(default_paths)
        for k in r["inputs"]:
            paths[k] = (r.get("paths") or {}).get(k) or reading_path(r["label"], default_paths[k])
        df = claims.evaluate(paths, defaults, claims=[by_id[i] for i in claims_of(r["inputs"])])
        frames.append(df.assign(reading=r["label"], choice=r["key"], value=str(r["value"]),
                                reduced=str(r.get("reduced") or "")))
        if logger is not None:
            logger.info("%s: %s", r["label"], ", ".join(
                f"{i}={o or 'n/c'}" for i, o in zip(df["id"], df["outcome"], strict=True)))
    out = pd.concat(frames, ignore_index=True)
    out = out[COLUMNS[:-1]].copy()
    out["ci_scale"] = out["ci_scale"].astype(bool)
    out["holds"] = out["outcome"].map({"reproduced": "holds", "differs": "differs"}).fillna(
        "not checkable")
    out.loc[out["outcome"] == "", "holds"] = "not checkable"
    return out


#: columns of dataset ``robustness_claims``
COLUMNS = ["reading", "choice", "value", "id", "statement", "reproduced_value", "outcome",
           "verdict", "ci_scale", "reason", "note", "reduced", "holds"]


def grid(df: pd.DataFrame) -> pd.DataFrame:
    """Claims x choices: per cell the status under every alternative ('holds', 'differs',
    'not checkable'), or 'not affected'. Seeds are one column: 'k/n seeds'."""
    base = df[df["reading"] == DEFAULT].set_index("id")
    keys = [c.key for c in C.CHOICES]
    rows = []
    for cid in base.index:
        row = {"id": cid, "default": base.loc[cid, "holds"]}
        for key in keys:
            sub = df[(df["choice"] == key) & (df["id"] == cid)]
            if sub.empty or (key == "seed" and seed_invariant(df, cid)):
                row[key] = "not affected"
            elif key == "seed":
                k = int((sub["holds"] == "holds").sum())
                row[key] = f"{k}/{len(sub)} seeds"
            else:
                row[key] = "; ".join(f"{v}: {h}" for v, h in zip(sub["value"], sub["holds"],
                                                                  strict=True))
                if _reduced(sub).any():
                    row[key] += " (reduced sizes)"
        rows.append(row)
    return pd.DataFrame(rows)


def _reduced(sub: pd.DataFrame) -> pd.Series:
    """Rows of readings run at reduced sizes (a frame without the column: none)."""
    if "reduced" not in sub.columns:
        return pd.Series(False, index=sub.index)
    return sub["reduced"].fillna("").astype(str) != ""


def seed_invariant(df: pd.DataFrame, cid: str) -> bool:
    """Every seed reading of claim ``cid`` finds what the default finds (same reproduced value
    and status): the seed column would only repeat the default."""
    seeds = df[(df["id"] == cid) & (df["choice"] == "seed")]
    base = df[(df["id"] == cid) & (df["reading"] == DEFAULT)]
    if seeds.empty or base.empty:
        return False
    b = base.iloc[0]
    return bool((seeds["reproduced_value"] == b["reproduced_value"]).all()
                and (seeds["holds"] == b["holds"]).all())


def per_claim(df: pd.DataFrame) -> pd.DataFrame:
    """One row per affected claim: holds under k of n readings (default + alternatives, seeds
    excluded), the seed fraction with its Wilson interval, and what flips the verdict."""
    base = df[df["reading"] == DEFAULT].set_index("id")
    rows = []
    for cid in base.index:
        b = base.loc[cid]
        alts = df[(df["id"] == cid) & (df["reading"] != DEFAULT) & (df["choice"] != "seed")]
        seeds = df[(df["id"] == cid) & (df["choice"] == "seed")]
        judged = [b["holds"], *alts["holds"]]
        k = sum(h == "holds" for h in judged)
        n = sum(h != "not checkable" for h in judged)
        ks = int((seeds["holds"] == "holds").sum())
        ns = int((seeds["holds"] != "not checkable").sum())
        lo, hi = wilson(ks, ns)
        flips = alts[(alts["holds"] != b["holds"]) & (alts["holds"] != "not checkable")
                     & (b["holds"] != "not checkable")]
        red = _reduced(alts)
        tag = {i: " (reduced sizes)" if red[i] else "" for i in alts.index}
        expl = "; ".join(f"{r.holds} with {r.choice} = {r.value}{tag[r.Index]} "
                         f"({_short(r.reproduced_value)})" for r in flips.itertuples())
        hold = alts[alts["holds"] == "holds"]
        full = df[(df["id"] == cid) & ~_reduced(df)]
        rows.append({"id": cid, "statement": b["statement"], "default": b["holds"],
                     "holds_under": ", ".join(f"{r.choice} = {r.value}{tag[r.Index]} "
                                              f"({_short(r.reproduced_value, 70)})"
                                              for r in hold.itertuples()),
                     "k": k, "n": n, "n_readings": len(judged), "seeds_hold": ks,
                     "seeds_n": ns, "seeds_lo": lo, "seeds_hi": hi,
                     "seed_invariant": seed_invariant(df, cid),
                     "ci_scale": bool(b["ci_scale"] or full["ci_scale"].any()),
                     "flips": expl})
    return pd.DataFrame(rows)


def _short(s, n=90) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def readings_column(pc_row) -> str:
    """The scorecard's 'holds under k of n readings' cell of one claim."""
    txt = f"{pc_row['k']} of {pc_row['n']}"
    if pc_row["seeds_n"] and pc_row.get("seed_invariant"):
        txt += f"; every one of {pc_row['seeds_n']} seeds gives the default's value"
    elif pc_row["seeds_n"]:
        txt += (f"; seeds {pc_row['seeds_hold']}/{pc_row['seeds_n']} "
                f"[{pc_row['seeds_lo']:.2f}, {pc_row['seeds_hi']:.2f}]")
    return txt


# --------------------------------------------------------------------------- rendering
def _md(s) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _seeds_cell(r) -> str:
    """Seed fraction with its Wilson interval, or — where no seed changes the value."""
    return (f"{r.seeds_hold}/{r.seeds_n} [{r.seeds_lo:.2f}, {r.seeds_hi:.2f}]"
            if r.seeds_n and not r.seed_invariant else "—")


def markdown(df: pd.DataFrame, timing: str = "") -> str:
    """figures/robustness.md: per-claim summary, the grid, the differing claims' rows."""
    pc = per_claim(df)
    g = grid(df)
    # CI scale: the default reading's inputs (an alternative that is itself a size below paper
    # scale, e.g. lr_window.max_epochs = 10^6, or a reading at reduced sizes, is not)
    ci = bool(df.loc[df["reading"] == DEFAULT, "ci_scale"].any())
    lines = ["# Robustness of the scorecard to the unstated choices", "",
             "Every choice the paper leaves unstated ([docs/choices.md](../docs/choices.md)) "
             "was rerun with each alternative; only the stages that read it were recomputed "
             "and only the claims that read those stages are evaluated (xornet.claims). "
             "'holds' = the claim's check passes.", ""]
    if ci:
        lines += ["**Inputs at CI scale**: the statuses are the checks' would-be outcomes, "
                  "not verdicts (xornet.claims withholds verdicts below paper scale).", ""]
    if timing:
        lines += [timing, ""]
    lines += ["## Per claim", "",
              "k of n: readings (the default and every alternative of every choice the claim "
              "reads, seeds excluded) under which the check passes, of those that could be "
              f"evaluated. Seeds: fraction of independent root seeds with a "
              f"{int(CONFIDENCE * 100)} % Wilson interval; — where every seed gives the "
              "default's value (same reproduced value and status) or no seed is swept for the "
              "claim.", ""]

    lines += markdown_table(
        ["claim", "paper says", "default", "holds under k of n readings", "seeds",
         "verdict flips"],
        ([r.id, _md(r.statement), str(r.default), f"{r.k} of {r.n}", _seeds_cell(r),
          _md(r.flips) or "—"] for r in pc.itertuples()))
    keys = [c.key for c in C.CHOICES if c.key in g.columns and (g[c.key] != "not affected").any()]
    lines += ["", "## Claims × choices", "",
              "Each cell: the status under every alternative value (`value: holds | differs | "
              "not checkable`), or 'not affected' (—) when the claim reads nothing the choice "
              "changes (seeds: also when every seed gives the default's value). "
              "'(reduced sizes)': the reading ran at the reduced sizes listed below.", ""]
    lines += markdown_table(
        ["claim", "default", *(f"`{k}`" for k in keys)],
        ([str(d["id"]), str(d["default"]),
          *("—" if d[k] == "not affected" else _md(d[k]) for k in keys)]
         for d in g.to_dict("records")))
    base = df[df["reading"] == DEFAULT]
    lines += ["", "## Differences from the paper", "",
              "The claims the sweep touches that differ under the default choices (the "
              "scorecard's verdicts; at CI scale its would-be outcomes):", ""]
    lines += differences_lines(base, pc)
    from . import claims

    untouched = [c.id for c in claims.CLAIMS if c.id not in set(base["id"])]
    lines += ["", "No swept choice affects " + ", ".join(untouched) + ": their verdicts are "
              "the scorecard's (`figures/claims.md`)."]
    red = df[_reduced(df)].drop_duplicates("reading")
    if len(red):
        lines += ["", "## Readings at reduced sizes", "",
                  "These readings rerun their stages at reduced sizes (config "
                  "`robustness.<section>`, docs/robustness.md); their rows are judged by the "
                  "checks' outcomes (the scorecard's scale check would withhold a verdict "
                  "where a size is below paper scale: the reason is kept in "
                  "`results/robustness/claims.parquet`).", ""]
        lines += [f"- `{r.reading}`: {r.reduced}." for r in red.itertuples()]
    not_swept = [c for c in C.CHOICES if c.sweep == "not swept"]
    if not_swept:
        lines += ["", "## Choices not swept", ""]
        lines += [f"- `{c.key}` ({', '.join(c.affected_claims()) or 'no claim'}): {c.note}."
                  for c in not_swept]
    return "\n".join(lines) + "\n"


def differences_lines(scorecard: pd.DataFrame, pc: pd.DataFrame) -> list[str]:
    """One bullet per claim that differs by default (verdict, or outcome at CI scale): under
    which readings, if any, it reproduces."""
    by = pc.set_index("id") if not pc.empty else pd.DataFrame()
    from . import claims

    where = {c.id: c.location for c in claims.CLAIMS}
    out = []
    diff = scorecard[(scorecard["verdict"] == "differs") | (scorecard["outcome"] == "differs")]
    for r in diff.itertuples():
        note = str(getattr(r, "note", "") or "")
        line = (f"- **{r.id}** ({where.get(r.id, '')}): {r.statement} — here: "
                f"{_short(r.reproduced_value, 160)}."
                + (f" {note[:1].upper()}{note[1:]}." if note else ""))
        if r.id in by.index:
            p = by.loc[r.id]
            if p["holds_under"]:
                line += (" **Reproduces under a reasonable reading:** " + p["holds_under"]
                         + ".")
            else:
                line += (f" Differs under every alternative reading ({p['k']} of {p['n']} "
                         "readings hold).")
            if p["seeds_n"] and not p.get("seed_invariant", False):
                line += (f" Holds for {p['seeds_hold']} of {p['seeds_n']} independent seeds "
                         f"({int(CONFIDENCE * 100)} % interval {p['seeds_lo']:.2f}–"
                         f"{p['seeds_hi']:.2f}).")
        else:
            line += " No unstated choice affects it (no reading changes this verdict)."
        out.append(line)
    return out or ["None."]


def robustness_column(card: pd.DataFrame, rob: pd.DataFrame) -> pd.DataFrame:
    """Per scorecard claim: the 'holds under k of n readings' cell and the one-line
    explanation of every verdict flip ('' if none; claims no choice affects: '1 of 1')."""
    pc = per_claim(rob).set_index("id") if len(rob) else pd.DataFrame()
    rows = []
    for r in card.itertuples():
        if r.id in pc.index:
            p = pc.loc[r.id]
            rows.append({"id": r.id, "readings": readings_column(p), "flips": p["flips"]})
        else:
            ok = int(r.outcome == "reproduced")
            rows.append({"id": r.id, "readings": f"{ok} of {int(bool(r.outcome))} (no choice "
                         "affects it)", "flips": ""})
    return pd.DataFrame(rows)


def scorecard_markdown(card: pd.DataFrame, rob: pd.DataFrame) -> str:
    """figures/claims_robustness.md: the scorecard (xornet.claims.markdown) with the columns
    'holds under k of n readings' and 'verdict flips', and its differences section saying
    under which readings, if any, each difference reproduces (the README block)."""
    from . import claims

    col = robustness_column(card, rob).set_index("id")
    extra = {"holds under k of n readings": col["readings"].to_dict(),
             "verdict flips (reading: status)": {k: v or "—" for k, v in col["flips"].items()}}
    md = claims.markdown(card, extra_columns=extra)
    head, tail = "## Differences from the paper", "## Not checkable"
    pre, rest = md.split(head, 1)
    post = rest.split(tail, 1)[1] if tail in rest else ""
    pc = per_claim(rob) if len(rob) else pd.DataFrame(columns=["id"])
    intro = ["", "Each difference under the default choices, and under which reasonable readings "
             "of the paper's unstated choices (docs/choices.md, figures/robustness.md) it "
             "reproduces.", ""]
    return (pre + head + "\n" + "\n".join(intro + differences_lines(card, pc)) + "\n\n"
            + (tail + post if post else ""))


def figure(df: pd.DataFrame, path) -> None:
    """figures/robustness.pdf (+ .png): claims x readings tiles (green holds, red differs,
    grey not checkable, blank not affected); seed columns grouped at the right."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    order = [DEFAULT] + [r for r in dict.fromkeys(df["reading"]) if r != DEFAULT]
    ids = list(dict.fromkeys(df.loc[df["reading"] == DEFAULT, "id"]))
    colour = {"holds": 2, "differs": 0, "not checkable": 1}
    Z = np.full((len(ids), len(order)), np.nan)
    same = {cid for cid in ids if seed_invariant(df, cid)}
    seed_reads = set(df.loc[df["choice"] == "seed", "reading"])
    for (rd, cid), h in df.set_index(["reading", "id"])["holds"].items():
        if cid in ids and not (cid in same and rd in seed_reads):
            Z[ids.index(cid), order.index(rd)] = colour[h]
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(["#d9534f", "#cccccc", "#5cb85c"])
    fig, ax = plt.subplots(figsize=(max(6, 0.22 * len(order) + 2), max(3, 0.22 * len(ids) + 1.5)))
    ax.imshow(np.ma.masked_invalid(Z), cmap=cmap, vmin=0, vmax=2, aspect="auto",
              interpolation="nearest")
    ax.set_yticks(range(len(ids)), ids, fontsize=6)
    ax.set_xticks(range(len(order)), order, rotation=90, fontsize=5)
    ax.set_title("claims under each reading (green holds, red differs, grey not checkable, "
                 "blank not affected or every seed as the default)", fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    fig.savefig(Path(path).with_suffix(".png"), dpi=120)
    plt.close(fig)


# --------------------------------------------------------------------------- README block
BEGIN = "<!-- robustness:differences:begin (generated: python -m xornet.robustness readme) -->"
END = "<!-- robustness:differences:end -->"


def readme_block(md: str) -> str:
    """The differences section of figures/claims_robustness.md."""
    head = "## Differences from the paper"
    if head not in md:
        raise ValueError("no differences section: pass figures/claims_robustness.md or "
                         "figures/robustness.md")
    body = md.split(head, 1)[1].strip()
    return body.split("\n## ", 1)[0].strip()


def splice_readme(readme: str, block: str) -> str:
    if BEGIN not in readme or END not in readme:
        raise ValueError(f"README has no {BEGIN!r} ... {END!r} markers")
    pre, rest = readme.split(BEGIN, 1)
    _, post = rest.split(END, 1)
    return f"{pre}{BEGIN}\n{block}\n{END}{post}"


if __name__ == "__main__":  # pragma: no cover
    import sys

    if sys.argv[1:2] != ["readme"]:
        raise SystemExit("usage: python -m xornet.robustness readme [MARKDOWN]  (default: "
                         "figures/claims_robustness.md, else figures/robustness.md)")
    src = Path(sys.argv[2] if len(sys.argv) > 2 else "figures/claims_robustness.md")
    if len(sys.argv) == 2 and not src.exists():
        src = Path("figures/robustness.md")
    readme = Path(C.ROOT) / "README.md"
    readme.write_text(splice_readme(readme.read_text(), readme_block(src.read_text())))
    print(f"README.md: differences block regenerated from {src}")
