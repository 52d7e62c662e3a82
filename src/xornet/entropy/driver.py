"""Drivers of the Fig. 8 samplers (:mod:`.sampler`): whole runs in chunks, with progress lines
and checkpoints.

* :func:`simple_sampling` - ``n_draws`` uniform draws in chunks of per-stream kernel calls.
* :func:`run_sampler` - one (n_h, R, run) job: step-size tuning, Wang-Landau (1/t), then the
  multicanonical production run in blocks; the full sampler state (:class:`SamplerState`) is
  checkpointed atomically, and an interrupted run resumes from it bit-identically.
* :func:`gate_runs` - one run per (gate, n_h) for the supplementary gates figure.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import numpy as np

from .. import gates
from ..rng import replica_states
from .estimators import muca_entropy, normalise_lng
from .frames import gate_frame
from .sampler import (
    IC_ACC,
    IC_NHALF,
    IC_NVIS,
    IC_PROP,
    IC_STEPS,
    MODE_MUCA,
    MODE_WL,
    N_IC,
    N_SC,
    SC_DELTA,
    SC_L,
    SC_LNF,
    SC_MAXDRIFT,
    SC_MAXL,
    SC_MINL,
    full_state,
    simple_sampling_kernel,
    wl_kernel,
)

log = logging.getLogger("xornet")

__all__ = [
    "simple_sampling", "SamplerState", "PHASES", "config_key", "save_checkpoint",
    "load_checkpoint", "run_sampler", "gate_runs", "log"
]


def simple_sampling(
    n_h: int,
    R: float,
    n_draws: int,
    n_bins: int,
    seed: int,
    *,
    n_streams: int = 8,
    chunk: int = 1 << 20,
    progress_seconds: float = 20.0,
    label: str | None = None,
    logger=None,
    gate: str = "xor",
):
    """Histogram of the loss of ``n_draws`` uniform draws from [-R, R]^(4 n_h + 1).

    Returns dict(counts (n_bins,), n_draws, min_loss, v_min). ``n_draws`` is rounded up to a
    multiple of ``n_streams``. Same seed => same counts whatever the thread count.
    """
    logger = logger or log
    label = label or f"entropy/simple/R{R:g}/nh{n_h}"
    states = replica_states(seed, n_streams, label)
    P = 4 * n_h + 1
    counts = np.zeros((n_streams, n_bins), dtype=np.int64)
    minL = np.full(n_streams, np.inf)
    vmin = np.zeros((n_streams, P))
    per_stream = -(-int(n_draws) // n_streams)
    y = gates.targets(gate)
    done = 0
    t0 = last = time.perf_counter()
    while done < per_stream:
        n = min(chunk, per_stream - done)
        simple_sampling_kernel(n_h, float(R), n, states, counts, minL, vmin, y)
        done += n
        now = time.perf_counter()
        if now - last >= progress_seconds or done == per_stream:
            last = now
            rate = done * n_streams / max(now - t0, 1e-9)
            logger.info(
                "simple sampling n_h=%d R=%g: %d/%d draws, min L %.6f, %.3g draws/s, ETA %.0f s",
                n_h,
                R,
                done * n_streams,
                per_stream * n_streams,
                minL.min(),
                rate,
                (per_stream - done) * n_streams / rate,
            )
    s = int(np.argmin(minL))
    return {
        "counts": counts.sum(axis=0),
        "n_draws": per_stream * n_streams,
        "min_loss": float(minL[s]),
        "v_min": vmin[s].copy(),
    }


class SamplerState:
    """All arrays of one walker + WL/muca schedule; saved/restored as a checkpoint."""

    KEYS = (
        "v",
        "A",
        "z2",
        "lng",
        "H",
        "visited",
        "sc",
        "ic",
        "rng",
        "vmin",
        "lng_wl",
        "phase",
        "phase_done",
        "delta_hist",
        "H_blocks",
    )

    def __init__(self, **arrays):
        for k in self.KEYS:
            setattr(self, k, arrays[k])

    def to_dict(self):
        return {k: getattr(self, k) for k in self.KEYS}

    @classmethod
    def fresh(
        cls, n_h: int, R: float, n_bins: int, seed_state, delta0: float, init_v, n_blocks: int = 1,
        gate: str = "xor",
    ):
        v = np.asarray(init_v, dtype=np.float64).copy()
        A = np.empty((n_h, 4))
        z2 = np.empty(4)
        L = full_state(v, n_h, A, z2, gates.targets(gate))
        sc = np.zeros(N_SC)
        sc[SC_L] = L
        sc[SC_LNF] = 1.0
        sc[SC_DELTA] = delta0
        sc[SC_MINL] = L
        sc[SC_MAXL] = L
        ic = np.zeros(N_IC, dtype=np.int64)
        return cls(
            v=v,
            A=A,
            z2=z2,
            lng=np.zeros(n_bins),
            H=np.zeros(n_bins, dtype=np.int64),
            visited=np.zeros(n_bins, dtype=np.int8),
            sc=sc,
            ic=ic,
            rng=np.array([seed_state], dtype=np.uint64),
            vmin=v.copy(),
            lng_wl=np.zeros(n_bins),
            phase=np.array([0], dtype=np.int64),
            phase_done=np.array([0], dtype=np.int64),
            delta_hist=np.zeros(0),
            H_blocks=np.zeros((n_blocks, n_bins), dtype=np.int64),
        )


PHASES = ("tune", "wl", "muca", "done")


def config_key(obj) -> str:
    """Hash of everything that defines a run; a checkpoint is only resumed if it matches."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def save_checkpoint(path, st: SamplerState, key: str):
    """Atomic write (temp file, fsync, rename) of the whole sampler state."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    with open(tmp, "wb") as fh:
        np.savez(fh, key=np.array(key), **st.to_dict())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


#: dtype kind and number of dimensions of every checkpoint array (structure check on load)
_CK_LAYOUT = {"v": "f1", "A": "f2", "z2": "f1", "lng": "f1", "H": "i1", "visited": "i1",
              "sc": "f1", "ic": "i1", "rng": "u1", "vmin": "f1", "lng_wl": "f1", "phase": "i1",
              "phase_done": "i1", "delta_hist": "f1", "H_blocks": "i2"}


def _checkpoint_problem(a: dict) -> str | None:
    """Why arrays loaded from a checkpoint cannot be a sampler state (None: they can)."""
    for k, spec in _CK_LAYOUT.items():
        if a[k].dtype.kind != spec[0] or a[k].ndim != int(spec[1]):
            return f"array {k} has dtype {a[k].dtype} and {a[k].ndim} dimensions"
    P, nb = a["v"].size, a["lng"].size
    n_h = (P - 1) // 4
    if P < 5 or 4 * n_h + 1 != P or a["A"].shape != (n_h, 4) or a["vmin"].shape != (P,):
        return "parameter arrays of inconsistent sizes"
    if any(a[k].shape != (nb,) for k in ("H", "visited", "lng_wl")) or a["H_blocks"].shape[1:] != (nb,):
        return "histogram arrays of inconsistent sizes"
    if a["z2"].shape != (4,) or a["rng"].shape != (1,) or a["phase"].shape != (1,):
        return "state arrays of wrong size"
    if not 0 <= int(a["phase"][0]) <= 3 or int(a["phase_done"][0]) < 0:
        return f"phase {a['phase']} / steps done {a['phase_done']} out of range"
    if not (np.isfinite(a["v"]).all() and np.isfinite(a["lng"]).all() and np.isfinite(a["sc"][:3]).all()):
        return "non-finite walker state"
    return None


def _discard(path: Path, why: str):
    log.warning("checkpoint %s %s: discarded, the run starts afresh", path, why)
    try:
        path.unlink()
    except OSError as err:
        log.warning("could not delete checkpoint %s (%s)", path, err)


def load_checkpoint(path, key: str):
    """The sampler state saved at ``path`` if it belongs to run ``key``; else None.

    A broken file (truncated, bit flips caught by the zip CRC, not an archive) or a foreign one
    (another run's key, missing or malformed arrays) is logged and deleted, so the job starts
    afresh instead of failing on every rerun (the checkpoint is not a declared output).
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if "key" not in z.files:
                _discard(path, "is not a sampler checkpoint (no run key)")
                return None
            if str(z["key"]) != key:
                _discard(path, "belongs to another run or configuration")
                return None
            arrays = {k: z[k].copy() for k in SamplerState.KEYS}
    except Exception as err:  # noqa: BLE001 - zipfile.BadZipFile, EOFError, zlib.error, ...
        _discard(path, f"is unreadable ({type(err).__name__}: {err})")
        return None
    why = _checkpoint_problem(arrays)
    if why:
        _discard(path, f"is malformed ({why})")
        return None
    return SamplerState(**arrays)


def run_sampler(
    n_h: int,
    R: float,
    cfg: dict,
    seed: int,
    run: int,
    *,
    checkpoint=None,
    checkpoint_seconds: float = 60.0,
    progress_seconds: float = 20.0,
    logger=None,
    stop_after_chunks: int | None = None,
    gate: str = "xor",
) -> dict:
    """One independent Wang-Landau (1/t) + multicanonical run for (n_h, R, run).

    ``cfg`` keys: n_bins, wl_steps, muca_steps, muca_blocks, tune_steps, target_acceptance,
    delta0, check_every, recompute_every, chunk_steps. The production run is cut into
    ``muca_blocks`` equal blocks (chunks never straddle a block), whose histograms give the
    jackknife error of S. Phases: ``tune`` (WL with the step size
    adapted after every chunk towards ``target_acceptance``; ln g carries over), ``wl`` (fixed
    step size), ``muca`` (frozen weights). The state is checkpointed atomically to
    ``checkpoint`` every ``checkpoint_seconds`` and resumed from it if the run key matches;
    chunks are fixed in steps, so a resumed run is bit-identical to an uninterrupted one.
    ``stop_after_chunks`` (tests) stops early after writing a checkpoint.

    Returns dict with ln g (WL), H (muca), normalised S, visited mask and diagnostics.
    """
    logger = logger or log
    nb = int(cfg["n_bins"])
    P = 4 * n_h + 1
    chunk = int(cfg["chunk_steps"])
    key = {"n_h": n_h, "R": R, "cfg": cfg, "seed": seed, "run": run}
    if gate != gates.PAPER:  # XOR checkpoints keep their key
        key["gate"] = gate
    key = config_key(key)
    y = gates.targets(gate)
    st = load_checkpoint(checkpoint, key) if checkpoint else None
    if st is not None:
        logger.info(
            "resuming from checkpoint %s: phase %s, %d steps done",
            checkpoint,
            PHASES[int(st.phase[0])],
            int(st.phase_done[0]),
        )
    else:
        label = f"entropy/R{R:g}/nh{n_h}/run{run}"
        rs = replica_states(seed, 2, label)
        init = np.random.Generator(np.random.PCG64(int(rs[1]))).uniform(-R, R, P)
        st = SamplerState.fresh(
            n_h, R, nb, rs[0], float(cfg["delta0"]), init, int(cfg["muca_blocks"]), gate
        )
    n_blocks = int(cfg["muca_blocks"])
    block = -(-int(cfg["muca_steps"]) // n_blocks)
    totals = {0: int(cfg["tune_steps"]), 1: int(cfg["wl_steps"]), 2: block * n_blocks}
    t0 = time.perf_counter()
    last_ck = last_pr = t0
    chunks = 0
    acc = float("nan")
    target = float(cfg["target_acceptance"])
    while st.phase[0] < 3:
        ph = int(st.phase[0])
        if st.phase_done[0] >= totals[ph]:
            if ph == 1:  # WL finished: freeze weights for the production run
                st.lng_wl = st.lng.copy()
                vis = st.visited != 0
                lw = st.lng.copy()
                idx = np.flatnonzero(vis)
                # bins never visited in WL get the ln g of the nearest visited bin, so the
                # production walker neither avoids nor gets trapped in them
                for q in np.flatnonzero(~vis):
                    lw[q] = st.lng[idx[np.argmin(np.abs(idx - q))]]
                st.lng = lw
                st.H[:] = 0
            st.phase[0] = ph + 1
            st.phase_done[0] = 0
            continue
        # the tuning phase adapts the step size ten times per chunk
        n = min(chunk if ph else max(chunk // 10, 1), totals[ph] - int(st.phase_done[0]))
        if ph == 2:  # never straddle a block boundary
            n = min(n, block - int(st.phase_done[0]) % block)
        st.ic[IC_ACC] = 0
        st.ic[IC_PROP] = 0
        mode = MODE_MUCA if ph == 2 else MODE_WL
        s = wl_kernel(
            st.v,
            n_h,
            float(R),
            st.A,
            st.z2,
            st.lng,
            st.H,
            st.visited,
            st.sc,
            st.ic,
            st.rng[0],
            n,
            mode,
            int(cfg["check_every"]),
            int(cfg["recompute_every"]),
            st.vmin,
            y,
        )
        st.rng[0] = s
        if ph == 2:
            st.H_blocks[int(st.phase_done[0]) // block] += st.H
            st.H[:] = 0
        st.phase_done[0] += n
        acc = st.ic[IC_ACC] / max(st.ic[IC_PROP], 1)
        if ph == 0:  # Robbins-Monro-like step-size adaptation between chunks
            d = st.sc[SC_DELTA] * float(np.exp(acc - target))
            st.sc[SC_DELTA] = float(np.clip(d, 1e-3 * R, 2.0 * R))
            st.delta_hist = np.append(st.delta_hist, st.sc[SC_DELTA])
        chunks += 1
        now = time.perf_counter()
        if now - last_pr >= progress_seconds:
            last_pr = now
            logger.info(
                "n_h=%d R=%g run %d: %s %d/%d steps, L=%.4f, ln f=%.3g, visited %d bins,"
                " min L %.5f, acc %.2f, delta %.3g, elapsed %.0f s",
                n_h,
                R,
                run,
                PHASES[ph],
                int(st.phase_done[0]),
                totals[ph],
                st.sc[SC_L],
                st.sc[SC_LNF],
                int(st.ic[IC_NVIS]),
                st.sc[SC_MINL],
                acc,
                st.sc[SC_DELTA],
                now - t0,
            )
        if checkpoint and (now - last_ck >= checkpoint_seconds or stop_after_chunks):
            last_ck = now
            save_checkpoint(checkpoint, st, key)
        if stop_after_chunks and chunks >= stop_after_chunks:
            return {"stopped": True}
    vis = st.visited != 0
    Hb = st.H_blocks
    S, S_err = muca_entropy(st.lng, Hb)
    S_wl = normalise_lng(st.lng_wl, vis)
    return {
        "lng_wl": st.lng_wl.copy(),
        "H_muca": Hb.sum(axis=0),
        "visited": vis,
        "S": S,
        "S_err": S_err,
        "S_wl": S_wl,
        "min_loss": float(st.sc[SC_MINL]),
        "max_loss": float(st.sc[SC_MAXL]),
        "v_min": st.vmin.copy(),
        "delta": float(st.sc[SC_DELTA]),
        "lnf_final": float(st.sc[SC_LNF]),
        "n_halvings": int(st.ic[IC_NHALF]),
        "wl_steps_total": int(st.ic[IC_STEPS]),
        "n_visited": int(st.ic[IC_NVIS]),
        "max_drift": float(st.sc[SC_MAXDRIFT]),
        "acceptance_last_chunk": float(acc),
    }


def gate_runs(gate_names, n_hs, R: float, cfg: dict, seed: int, *, logger=None,
              progress_seconds: float = 20.0):
    """S(L) of several gates (supplementary figure ``gates_entropy``, issue 10): one
    :func:`run_sampler` run per (gate, n_h) in the box and bins of Fig. 8.

    Each uses the stream of Fig. 8's run 0 at that n_h, so the XOR rows equal that run's S.
    Returns (frame of schema ``entropy_gates``, extra: lowest loss reached per gate and n_h).
    """
    import pandas as pd

    frames, low = [], {}
    for g in gate_names:
        for n_h in n_hs:
            res = run_sampler(int(n_h), R, cfg, seed, 0, logger=logger,
                              progress_seconds=progress_seconds, gate=g)
            frames.append(gate_frame(g, n_h, res))
            low[f"{g}_nh{int(n_h)}"] = res["min_loss"]
    return pd.concat(frames, ignore_index=True), {"min_loss": low}
