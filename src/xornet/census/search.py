"""One census job: minima by basin-hopping, transition states by double-ended connection.

:func:`run_census` drives both phases for one (n_h, lam) and returns plain arrays/frames:

1. **Basin-hopping** (Li & Scheraga; Wales & Doye): ``walkers`` independent walkers, each
   step a uniform random displacement in [-step, step] per parameter, a quench
   (:func:`xornet.census.optim.quench`) and a Metropolis test at ``temperature``. v = 0 is
   seeded explicitly (a stationary point for every lam; its basin is tiny). Every quenched
   point is checked to have Hessian index 0; a point of higher index (a flat saddle that
   stopped the quench) is displaced along its negative mode and re-quenched. Stops when no new
   minimum appeared in the last fifth of the steps (after ``min_steps``), or at ``max_steps``.
2. **Connection**: for every minimum, a climbing-image NEB to its ``neighbours`` nearest
   minima (distance after symmetry alignment); every local maximum of the converged band is
   refined by eigenvector following to an index-1 saddle, whose two minima are found by
   steepest descent from TS +- delta * (negative eigenvector). New minima found this way join
   the list. Then up to ``rounds`` rounds connect each component not containing the global
   minimum to its nearest minimum in that component. Total attempts <= ``max_attempts``.

Everything is deterministic given the seed (one NumPy stream per job). The job state is
checkpointed atomically (np.savez to a temporary name + rename) and resumed if its key
matches; a broken or foreign checkpoint is logged and discarded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import numpy as np

from ..model import n_params
from . import optim
from .potential import TOL, aligned_distance, egh, index_of, symmetry_perms

log = logging.getLogger("xornet")


# --------------------------------------------------------------------------- point stores
class Store:
    """Distinct stationary points up to the exact symmetries (energy, then aligned distance)."""

    def __init__(self, n_h: int, perms: np.ndarray):
        self.n_h, self.perms = n_h, perms
        self.X = np.zeros((0, n_params(n_h)))
        self.E = np.zeros(0)
        self.info: dict[str, list] = {}

    def find(self, v, E) -> int:
        cand = np.flatnonzero(np.abs(self.E - E) < TOL["same_energy"])
        for k in cand:
            if aligned_distance(self.X[k], v, self.perms)[0] < TOL["same_point"]:
                return int(k)
        return -1

    def add(self, v, E, **info) -> tuple[int, bool]:
        k = self.find(v, E)
        if k >= 0:
            return k, False
        self.X = np.vstack([self.X, np.asarray(v, float)[None, :]])
        self.E = np.append(self.E, float(E))
        for key, val in info.items():
            self.info.setdefault(key, []).append(val)
        return len(self.E) - 1, True

    def __len__(self):
        return len(self.E)

    def to_dict(self, prefix: str) -> dict:
        out = {f"{prefix}_X": self.X, f"{prefix}_E": self.E}
        for k, v in self.info.items():
            out[f"{prefix}_info_{k}"] = np.asarray(v)
        return out

    def load(self, z, prefix: str):
        self.X = z[f"{prefix}_X"].copy()
        self.E = z[f"{prefix}_E"].copy()
        pre = f"{prefix}_info_"
        self.info = {k[len(pre):]: z[k].tolist() for k in z.files if k.startswith(pre)}


# --------------------------------------------------------------------------- local searches
def polished_minimum(v0, n_h, reg, q: dict, rng=None, tries: int = 3):
    """Quench from ``v0`` to a verified minimum (index 0); ``None`` if that fails."""
    v = np.asarray(v0, float)
    for _ in range(tries):
        v, E, st, _ = optim.quench(v, n_h, reg, q["max_iter"], TOL["grad_rms"], q["max_step"],
                                   TOL["eig_floor"])
        if st != 0:
            return None
        idx, w0, _ = index_of(v, n_h, reg)
        if idx == 0:
            return v, float(E), w0
        # a flat saddle stopped the quench: leave it downhill along its negative mode
        w, U = np.linalg.eigh(egh(v, n_h, reg, True)[2])
        v = v + q["escape"] * U[:, 0]
    return None


def descend_to_minimum(v0, n_h, reg, cfg, stats, tries: int = 3):
    """Steepest-descent endpoint of a TS side. A path that ends on a saddle (it ran inside a
    symmetric subspace, e.g. two identical hidden neurons) leaves it along its negative mode
    (both signs give images of the same minimum) and continues; ``None`` if that fails."""
    q, c = cfg["quench"], cfg["connect"]
    v = np.asarray(v0, float)
    for _ in range(tries):
        v, E, st, _ = optim.descend(v, n_h, reg, int(c["sd_max"]), float(c["sd_step"]),
                                    float(c["newton_radius"]), q["max_iter"], TOL["grad_rms"],
                                    TOL["eig_floor"])
        if st != 0:
            return None
        idx, w0, _ = index_of(v, n_h, reg)
        if idx == 0:
            return v, float(E)
        stats["descent_escape"] = stats.get("descent_escape", 0) + 1
        U = np.linalg.eigh(egh(v, n_h, reg, True)[2])[1]
        v = v + float(c["delta"]) * U[:, 0]
    return None


def _neb_cfg(c):
    return (int(c["images"]), float(c["k_spring"]), int(c["max_iter"]), int(c["climb_after"]),
            float(c["ftol"]), float(c["dt"]), float(c["max_move"]))


def _record_ts(v, E, w0, u, mins: Store, tss: Store, n_h, reg, cfg, stats) -> int:
    """Keep a converged index-1 saddle if new, with the two minima its descent paths reach."""
    if tss.find(v, E) >= 0:
        stats["ts_dup"] += 1
        return 0
    ends = []
    for sgn in (1.0, -1.0):
        end = descend_to_minimum(v + sgn * float(cfg["connect"]["delta"]) * u, n_h, reg, cfg,
                                 stats)
        if end is None:
            stats["descent_fail"] += 1
            return 0
        ends.append(end)
    ids = []
    for vd, Ed in ends:
        k_min, is_new = mins.add(vd, Ed, source="connect", step=-1,
                                 min_eig=index_of(vd, n_h, reg)[1])
        stats["new_min_connect"] += int(is_new)
        ids.append(k_min)
    tss.add(v, E, min1=min(ids), min2=max(ids), neg_eig=float(w0),
            ev_second=float(np.linalg.eigvalsh(egh(v, n_h, reg, True)[2])[1]))
    return 1


def _refine(v0, mode0, n_h, reg, c, stats):
    """Eigenvector following from a band maximum: first along the mode closest to the band
    tangent, then (if that fails) along the lowest Hessian mode."""
    for lowest in (False, True):
        v, E, st, idx, w0, u, _ = optim.ef_ts(v0, mode0, n_h, reg, int(c["ef_max_iter"]),
                                               TOL["grad_rms"], float(c["ef_max_step"]),
                                               TOL["eig_zero"], lowest)
        stats["ef"] += 1
        if st == 0 and idx == 1:
            return v, E, w0, u
        stats["ef_fail"] += 1
    return None


def connect_pair(i, j, mins: Store, tss: Store, n_h, reg, cfg, stats, images=None) -> int:
    """Double-ended: NEB between minima i and j (j aligned to i), every band maximum refined
    to a TS by eigenvector following, its two minima by descent. Returns new TS count."""
    c = cfg["connect"]
    a = mins.X[i]
    _, b = aligned_distance(a, mins.X[j], mins.perms)
    nc = _neb_cfg(c["neb"])
    if images is not None:
        nc = (int(images),) + nc[1:]
    x, Ev, T, st = optim.neb(a, b, n_h, reg, *nc)
    stats["neb"] += 1
    if st == 2:
        stats["neb_fail"] += 1
        return 0
    new = 0
    peaks = [k for k in range(1, len(Ev) - 1) if Ev[k] >= Ev[k - 1] and Ev[k] >= Ev[k + 1]]
    for k in peaks:
        r = _refine(x[k], T[k], n_h, reg, c, stats)
        if r is not None:
            new += _record_ts(*r, mins, tss, n_h, reg, cfg, stats)
    return new


def components(n: int, edges) -> np.ndarray:
    """Connected-component label of each of ``n`` minima under TS ``edges`` (union-find)."""
    parent = np.arange(n)

    def root(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(a) for a in range(n)])


# --------------------------------------------------------------------------- checkpoints
def job_key(n_h, lam, cfg, seed, label) -> str:
    blob = json.dumps({"n_h": n_h, "lam": lam, "cfg": cfg, "seed": seed, "label": label},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def save_checkpoint(path, key: str, state: dict, mins: Store, tss: Store, rng) -> None:
    """Atomic: np.savez to ``path``.tmp.npz, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, key=np.array(key), state=np.array(json.dumps(state)),
             rng=np.array(json.dumps(rng.bit_generator.state)),
             **mins.to_dict("min"), **tss.to_dict("ts"))
    os.replace(tmp, path)


def load_checkpoint(path, key: str, mins: Store, tss: Store, rng):
    """The saved state dict (and fills ``mins``, ``tss``, ``rng``), or None if absent,
    broken or from another configuration (logged, file discarded)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["key"]) != key:
                log.warning("checkpoint %s belongs to another configuration; discarded", path)
                path.unlink(missing_ok=True)
                return None
            state = json.loads(str(z["state"]))
            rng.bit_generator.state = json.loads(str(z["rng"]))
            mins.load(z, "min")
            tss.load(z, "ts")
            if mins.X.shape[1] != n_params(mins.n_h):
                raise ValueError("parameter dimension does not match n_h")
        return state
    except (OSError, ValueError, KeyError, json.JSONDecodeError, EOFError) as err:
        log.warning("broken checkpoint %s (%s); discarded, starting afresh", path, err)
        path.unlink(missing_ok=True)
        mins.__init__(mins.n_h, mins.perms)
        tss.__init__(tss.n_h, tss.perms)
        return None


# --------------------------------------------------------------------------- the job
def run_census(n_h: int, lam: float, cfg: dict, rng: np.random.Generator, *, key: str = "",
               checkpoint=None, checkpoint_seconds: float = 60.0, progress_seconds: float = 30.0,
               stop_after: int | None = None, gate: str = "xor") -> dict:
    """Census of one (n_h, lam) with L2 on every parameter. ``cfg``: the census config
    (bh, quench, connect). ``stop_after`` (tests): raise ``KeyboardInterrupt`` after that many
    basin-hopping steps, right after a checkpoint. Returns a dict with the stores, the
    basin-hopping progress and counters."""
    from .potential import reg_vector

    reg = reg_vector(n_h, lam, "all", gate)  # L2 coefficients, then the gate's targets
    perms = symmetry_perms(n_h)
    bh, q, c = cfg["bh"], cfg["quench"], cfg["connect"]
    mins, tss = Store(n_h, perms), Store(n_h, perms)
    P = n_params(n_h)
    state = load_checkpoint(checkpoint, key, mins, tss, rng) if checkpoint else None
    t_start = time.perf_counter()
    if state is None:
        state = {"phase": "bh", "step": 0, "last_new": 0, "progress": [], "walkers": [],
                 "walker_E": [], "attempted": [], "round": 0, "elapsed": 0.0,
                 "stats": dict.fromkeys(["quench_fail", "neb", "neb_fail", "ef", "ef_fail",
                                         "ts_dup", "descent_fail", "descent_escape", "new_min_connect"], 0)}
        m0 = polished_minimum(np.zeros(P), n_h, reg, q)
        if m0 is not None:
            mins.add(m0[0], m0[1], source="seed", step=0, min_eig=m0[2])
        for _ in range(int(bh["walkers"])):
            for _try in range(20):
                m = polished_minimum(rng.uniform(-bh["init_range"], bh["init_range"], P),
                                     n_h, reg, q)
                if m is not None:
                    break
            else:
                raise RuntimeError(f"n_h={n_h} lam={lam}: no quench converged from 20 random "
                                   "starts; raise census.quench.max_iter")
            mins.add(m[0], m[1], source="bh", step=0, min_eig=m[2])
            state["walkers"].append(m[0].tolist())
            state["walker_E"].append(m[1])
    else:
        log.info("resumed from checkpoint %s: phase %s, step %d, %d minima, %d TS",
                 checkpoint, state["phase"], state["step"], len(mins), len(tss))
    stats = state["stats"]
    last_ck = last_pr = time.perf_counter()

    def tick(force=False):
        nonlocal last_ck, last_pr
        now = time.perf_counter()
        if checkpoint and (force or now - last_ck >= checkpoint_seconds):
            st = dict(state, elapsed=state["elapsed"] + now - t_start)
            save_checkpoint(checkpoint, key, st, mins, tss, rng)
            last_ck = now
        if now - last_pr >= progress_seconds:
            log.info("n_h=%d lam=%g: phase %s, step %d, %d minima, %d TS, %d attempts",
                     n_h, lam, state["phase"], state["step"], len(mins), len(tss),
                     len(state["attempted"]))
            last_pr = now

    # ---- phase 1: basin-hopping
    W = [np.array(w) for w in state["walkers"]]
    WE = list(state["walker_E"])
    T = float(bh["temperature"])
    while state["phase"] == "bh":
        k = state["step"]
        if k >= bh["max_steps"] or (k >= bh["min_steps"] and k - state["last_new"] >= k / 5):
            state["stop"] = "cap" if k >= bh["max_steps"] else "saturated"
            state["phase"] = "connect"
            state["n_bh"] = len(mins)
            break
        w = k % len(W)
        trial = W[w] + rng.uniform(-bh["step"], bh["step"], P)
        u = rng.uniform()
        m = polished_minimum(trial, n_h, reg, q)
        state["step"] = k + 1
        if m is None:
            stats["quench_fail"] += 1
        else:
            _, new = mins.add(m[0], m[1], source="bh", step=k + 1, min_eig=m[2])
            if new:
                state["last_new"] = k + 1
            if m[1] <= WE[w] or u < np.exp(-(m[1] - WE[w]) / T):
                W[w], WE[w] = m[0], m[1]
        state["progress"].append([k + 1, len(mins)])
        state["walkers"] = [x.tolist() for x in W]
        state["walker_E"] = WE
        tick()
        if stop_after is not None and state["step"] >= stop_after:
            tick(force=True)
            raise KeyboardInterrupt(f"stopped after {stop_after} steps (test)")
    state.setdefault("n_bh", len(mins))
    state.setdefault("pending", [])

    # ---- phase 2: connections (a queue of pairs; the next batch is made only when the
    # queue is empty, so a resumed job attempts exactly the same pairs in the same order)
    attempted = {tuple(p) for p in state["attempted"]}

    def nearest(i, pool):
        d = [(aligned_distance(mins.X[i], mins.X[j], perms)[0], j) for j in pool if j != i]
        return [j for _, j in sorted(d)]

    def next_batch():
        if state["phase"] == "connect":
            order = np.argsort(mins.E[: state["n_bh"]], kind="stable")
            pos = int(state.get("next_min", 0))
            if pos >= len(order):
                state["phase"] = "join"
                return []
            i = int(order[pos])
            state["next_min"] = pos + 1
            return [["neb", i, j] for j in nearest(i, range(len(mins)))[: int(c["neighbours"])]]
        # join: each component without the global minimum -> its nearest untried partner
        if state["round"] >= c["rounds"]:
            state["phase"] = "done"
            return []
        edges = list(zip(tss.info.get("min1", []), tss.info.get("min2", []), strict=True))
        comp = components(len(mins), edges)
        main = np.flatnonzero(comp == comp[int(np.argmin(mins.E))])
        state["round"] += 1
        batch = []
        for r in sorted({int(x) for x in comp} - {int(comp[main[0]])}):
            members = np.flatnonzero(comp == r)
            lo = int(members[np.argmin(mins.E[members])])
            # a denser band: a minimum with a tiny basin (v = 0) has its TS close by
            for j in nearest(lo, main):
                if ("join", min(lo, j), max(lo, j)) not in attempted:
                    batch.append(["join", lo, int(j)])
                    break
        if not batch:
            state["phase"] = "done"
        return batch

    while state["phase"] in ("connect", "join"):
        if len(attempted) >= c["max_attempts"]:
            state["phase"] = "done"
            break
        if not state["pending"]:
            state["pending"] = next_batch()
            continue
        kind, i, j = state["pending"].pop(0)
        item = (kind, min(i, j), max(i, j))
        if item in attempted or i == j:
            continue
        attempted.add(item)
        state["attempted"].append(list(item))
        dense = int(c["neb"]["images"]) * int(c["join_density"]) if kind == "join" else None
        connect_pair(item[1], item[2], mins, tss, n_h, reg, cfg, stats, images=dense)
        tick()
    state["elapsed"] = state["elapsed"] + time.perf_counter() - t_start
    tick(force=True)
    return {"mins": mins, "tss": tss, "state": state, "reg": reg, "perms": perms}
