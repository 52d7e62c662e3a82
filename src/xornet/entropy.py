"""Density of loss g(L) and microcanonical entropy S(L) = ln g(L) (Sec. II last paragraph,
Sec. III.D, Eqs. 8-9, Fig. 8).

State space: the box [-R, R]^P of all P = 4 n_h + 1 weights and biases with the uniform
measure. g(L) is the density of the full-batch loss (Eq. 4) under that measure, normalised so
that the integral of g over [0, 1] is 1; the loss axis is cut into ``n_bins`` equal bins.

Three estimators (the paper's Sec. II: simple sampling, confirmed by Wang-Landau combined with
multicanonical sampling):

* :func:`simple_sampling` - uniform draws from the box, histogram with Poisson errors.
* :func:`wl_kernel` in mode ``WL`` - Wang-Landau with the 1/t refinement of Belardinelli &
  Pereyra (J. Chem. Phys. 127, 184105, 2007): ln f is halved each time every bin visited so
  far has been hit since the last halving, until ln f <= 1/t (t = MC steps / visited bins);
  from then on ln f = 1/t.
* :func:`wl_kernel` in mode ``MUCA`` - multicanonical production run with the frozen WL
  weights W(L) = 1/g_WL(L); ln g = ln g_WL + ln H.

The walker moves one uniformly chosen parameter by a uniform amount in [-delta, delta]
(symmetric); proposals leaving the box are rejected. The loss is updated incrementally: the
walker keeps the hidden activations a_i^(1) of all four cases and the four output
pre-activations z^(2); a move of a hidden-unit parameter recomputes that unit only, a move of
w_1i^(2) or b^(2) only shifts z^(2). z^(2) is recomputed from scratch every
``recompute_every`` steps so rounding drift cannot accumulate (tested).

A whole sampler run (one (n_h, R, run) job) is driven by :func:`run_sampler` in chunks, with
progress lines and an atomic checkpoint of the full sampler state, from which an interrupted
run resumes bit-identically.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import numpy as np
from numba import njit, prange

from . import gates
from .kernels import JIT, sig, splitmix64, uniform01
from .rng import replica_states

log = logging.getLogger("xornet")

MODE_WL = 0
MODE_MUCA = 1

_X0 = np.array([0.0, 0.0, 1.0, 1.0])
_X1 = np.array([0.0, 1.0, 0.0, 1.0])
# targets y (4,) are an argument of every kernel (xornet.gates.targets; never a global: numba's
# cache would keep a stale gate)

# Layout of the scalar state vectors (so the whole sampler state is four arrays).
# float64 sc[]
SC_L = 0  # current loss
SC_LNF = 1  # Wang-Landau modification factor ln f
SC_DELTA = 2  # proposal half-width
SC_MINL = 3  # lowest loss seen
SC_MAXL = 4  # highest loss seen
SC_MAXDRIFT = 5  # largest |z2_incremental - z2_fresh| found at a recomputation
N_SC = 6
# int64 ic[]
IC_STAGE = 0  # 0: halving stage, 1: 1/t stage
IC_STEPS = 1  # WL steps done (defines t)
IC_ACC = 2  # accepted proposals (counter, reset by the driver)
IC_PROP = 3  # proposals (counter, reset by the driver)
IC_NVIS = 4  # bins visited at least once
IC_NHALF = 5  # number of ln f halvings
IC_SINCE = 6  # steps since the last flatness check
IC_SINCE_FULL = 7  # steps since the last full recomputation
N_IC = 8


# ----------------------------------------------------------------------------- kernels


@njit(**JIT)
def _resid(z, y):
    """(sigma(z) - y) for y in {0, 1}, without cancellation."""
    s, c = sig(z)
    if y == 0.0:
        return s
    return -c


@njit(**JIT)
def _loss_from_z2(z2, y):
    acc = 0.0
    for m in range(4):
        r = _resid(z2[m], y[m])
        acc += r * r
    return 0.25 * acc


@njit(**JIT)
def full_state(v, nh, A, z2, y):
    """Hidden activations A[i, m] and output pre-activations z2[m] from scratch; returns L
    for targets ``y`` (4,)."""
    b2 = v[4 * nh]
    for m in range(4):
        z2[m] = b2
    for i in range(nh):
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        b = v[2 * nh + i]
        w2 = v[3 * nh + i]
        for m in range(4):
            a, _ = sig(b + _X0[m] * w0 + _X1[m] * w1)
            A[i, m] = a
            z2[m] += w2 * a
    return _loss_from_z2(z2, y)


@njit(**JIT)
def loss_of(v, nh, y):
    """Full-batch loss (Eq. 4) of one parameter vector (reference for the kernels)."""
    A = np.empty((nh, 4))
    z2 = np.empty(4)
    return full_state(v, nh, A, z2, y)


@njit(parallel=True, **JIT)
def simple_sampling_kernel(nh, R, n_per_stream, states, counts, minL, vmin, y):
    """Uniform draws from [-R, R]^P: per-stream histograms ``counts[s]`` of the loss.

    Each stream s has its own RNG state, histogram row, lowest loss ``minL[s]`` and its
    parameters ``vmin[s]``; the caller sums the integer rows, so the result does not depend on
    the number of threads.
    """
    nb = counts.shape[1]
    P = 4 * nh + 1
    for s in prange(states.shape[0]):
        st = states[s]
        v = np.empty(P)
        A = np.empty((nh, 4))
        z2 = np.empty(4)
        lo = minL[s]
        for _ in range(n_per_stream):
            for k in range(P):
                st, bits = splitmix64(st)
                v[k] = R * (2.0 * uniform01(bits) - 1.0)
            L = full_state(v, nh, A, z2, y)
            b = int(L * nb)
            if b >= nb:
                b = nb - 1
            counts[s, b] += 1
            if L < lo:
                lo = L
                for k in range(P):
                    vmin[s, k] = v[k]
        minL[s] = lo
        states[s] = st


@njit(**JIT)
def _propose_loss(v, nh, k, new, A, z2, anew, z2new, y):
    """Loss after setting v[k] = new, computed incrementally into anew (4,), z2new (4,).

    Returns (L_new, unit) where unit is the hidden unit whose activations changed (-1: none).
    """
    old = v[k]
    unit = -1
    if k < 2 * nh:  # w1_i_j
        i = k // 2
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        if k % 2 == 0:
            w0 = new
        else:
            w1 = new
        b = v[2 * nh + i]
        w2 = v[3 * nh + i]
        for m in range(4):
            a, _ = sig(b + _X0[m] * w0 + _X1[m] * w1)
            anew[m] = a
            z2new[m] = z2[m] + w2 * (a - A[i, m])
        unit = i
    elif k < 3 * nh:  # b1_i
        i = k - 2 * nh
        w0 = v[2 * i]
        w1 = v[2 * i + 1]
        w2 = v[3 * nh + i]
        for m in range(4):
            a, _ = sig(new + _X0[m] * w0 + _X1[m] * w1)
            anew[m] = a
            z2new[m] = z2[m] + w2 * (a - A[i, m])
        unit = i
    elif k < 4 * nh:  # w2_1_i
        i = k - 3 * nh
        d = new - old
        for m in range(4):
            z2new[m] = z2[m] + d * A[i, m]
    else:  # b2_1
        d = new - old
        for m in range(4):
            z2new[m] = z2[m] + d
    return _loss_from_z2(z2new, y), unit


@njit(**JIT)
def wl_kernel(
    v,
    nh,
    R,
    A,
    z2,
    lng,
    H,
    visited,
    sc,
    ic,
    state,
    n_steps,
    mode,
    check_every,
    recompute_every,
    vmin,
    y,
):
    """``n_steps`` Wang-Landau (mode 0) or multicanonical (mode 1) steps of one walker.

    Walker: parameters ``v`` (in the box), hidden activations ``A`` (n_h, 4), output
    pre-activations ``z2`` (4,), current loss ``sc[SC_L]``. Acceptance
    min(1, g(L_old)/g(L_new)) with ln g = ``lng``; the histogram ``H`` counts the bin after
    every step. In WL mode ``lng[bin] += ln f`` after every step and ln f follows the 1/t
    schedule (see module docstring); in MUCA mode ``lng`` is frozen. ``visited`` marks bins
    ever visited (WL: they define the flatness check and t). ``vmin`` receives the
    parameters of the lowest loss seen; ``y``: targets (4,). Returns the RNG state.
    """
    nb = lng.shape[0]
    P = 4 * nh + 1
    anew = np.empty(4)
    z2new = np.empty(4)
    z2f = np.empty(4)
    Af = np.empty((nh, 4))
    L = sc[SC_L]
    lnf = sc[SC_LNF]
    delta = sc[SC_DELTA]
    b = int(L * nb)
    if b >= nb:
        b = nb - 1
    for _ in range(n_steps):
        state, b1 = splitmix64(state)
        state, b2 = splitmix64(state)
        state, b3 = splitmix64(state)
        k = int(uniform01(b1) * P)
        new = v[k] + delta * (2.0 * uniform01(b2) - 1.0)
        ic[IC_PROP] += 1
        if -R <= new <= R:
            Ln, unit = _propose_loss(v, nh, k, new, A, z2, anew, z2new, y)
            bn = int(Ln * nb)
            if bn >= nb:
                bn = nb - 1
            dl = lng[b] - lng[bn]
            if dl >= 0.0 or uniform01(b3) < np.exp(dl):
                v[k] = new
                if unit >= 0:
                    for m in range(4):
                        A[unit, m] = anew[m]
                for m in range(4):
                    z2[m] = z2new[m]
                L = Ln
                b = bn
                ic[IC_ACC] += 1
                if L < sc[SC_MINL]:
                    sc[SC_MINL] = L
                    for q in range(P):
                        vmin[q] = v[q]
                if L > sc[SC_MAXL]:
                    sc[SC_MAXL] = L
        # periodic full recomputation (guards the incremental z2 against drift)
        ic[IC_SINCE_FULL] += 1
        if ic[IC_SINCE_FULL] >= recompute_every:
            ic[IC_SINCE_FULL] = 0
            Lf = full_state(v, nh, Af, z2f, y)
            for m in range(4):
                d = abs(z2f[m] - z2[m])
                if d > sc[SC_MAXDRIFT]:
                    sc[SC_MAXDRIFT] = d
                z2[m] = z2f[m]
                for i in range(nh):
                    A[i, m] = Af[i, m]
            L = Lf
            b = int(L * nb)
            if b >= nb:
                b = nb - 1
        H[b] += 1
        if mode == MODE_WL:
            if visited[b] == 0:
                visited[b] = 1
                ic[IC_NVIS] += 1
            lng[b] += lnf
            ic[IC_STEPS] += 1
            if ic[IC_STAGE] == 1:
                lnf = ic[IC_NVIS] / ic[IC_STEPS]
            else:
                ic[IC_SINCE] += 1
                if ic[IC_SINCE] >= check_every:
                    ic[IC_SINCE] = 0
                    flat = True
                    for q in range(nb):
                        if visited[q] != 0 and H[q] == 0:
                            flat = False
                            break
                    if flat:
                        lnf = 0.5 * lnf
                        ic[IC_NHALF] += 1
                        for q in range(nb):
                            H[q] = 0
                    tinv = ic[IC_NVIS] / ic[IC_STEPS]
                    if lnf <= tinv:
                        ic[IC_STAGE] = 1
                        lnf = tinv
    sc[SC_L] = L
    sc[SC_LNF] = lnf
    return state


# ----------------------------------------------------------------------------- drivers


def bin_edges(n_bins: int) -> np.ndarray:
    return np.linspace(0.0, 1.0, n_bins + 1)


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


def simple_sampling_entropy(counts: np.ndarray, n_draws: int):
    """S = ln g with g = counts / (N * bin width); Poisson error of S is 1/sqrt(counts)."""
    counts = np.asarray(counts, dtype=np.float64)
    nb = counts.size
    width = 1.0 / nb
    with np.errstate(divide="ignore"):
        S = np.where(counts > 0, np.log(counts / (n_draws * width)), np.nan)
        err = np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1.0)), np.nan)
    return S, err


def normalise_lng(lng: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """ln g shifted so that sum(g * width) = 1 over the bins in ``mask``; NaN elsewhere."""
    nb = lng.size
    width = 1.0 / nb
    out = np.full(nb, np.nan)
    x = lng[mask]
    mx = x.max()
    out[mask] = x - (mx + np.log(np.sum(np.exp(x - mx)) * width))
    return out


def muca_entropy(lnw_inv: np.ndarray, H_blocks: np.ndarray):
    """Normalised S = ln g = ln W^-1 + ln H from the production histograms and its jackknife
    error over the blocks (leave one block out, renormalise, (B-1)/B * sum of squares).

    Bins with H = 0 are NaN; a bin empty in every block but one gets no error (NaN).
    """
    H_blocks = np.asarray(H_blocks, dtype=np.float64)
    B = H_blocks.shape[0]
    H = H_blocks.sum(axis=0)

    def est(h):
        m = h > 0
        return (
            normalise_lng(np.where(m, lnw_inv + np.log(np.where(m, h, 1.0)), 0.0), m)
            if m.any()
            else np.full(h.size, np.nan)
        )

    S = est(H)
    if B < 2:
        return S, np.full(S.size, np.nan)
    jk = np.array([est(H - H_blocks[j]) for j in range(B)])
    ok = np.all(np.isfinite(jk), axis=0) & np.isfinite(S)
    var = np.full(S.size, np.nan)
    if ok.any():
        d = jk[:, ok] - jk[:, ok].mean(axis=0)
        var[ok] = (B - 1) / B * np.sum(d * d, axis=0)
    return S, np.sqrt(var)


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


# ----------------------------------------------------------------------------- frames


def simple_frame(n_h: int, R: float, res: dict):
    """Schema ``entropy_simple`` from :func:`simple_sampling`'s result."""
    import pandas as pd

    counts = np.asarray(res["counts"], dtype=np.int64)
    nb = counts.size
    e = bin_edges(nb)
    S, err = simple_sampling_entropy(counts, res["n_draws"])
    return pd.DataFrame(
        {
            "n_h": np.full(nb, n_h, dtype=np.int64),
            "R": np.full(nb, float(R)),
            "bin": np.arange(nb, dtype=np.int64),
            "L_lo": e[:-1],
            "L_hi": e[1:],
            "counts": counts,
            "n_draws": np.full(nb, res["n_draws"], dtype=np.int64),
            "S": S,
            "S_err": err,
        }
    )


def run_frame(n_h: int, R: float, run: int, res: dict):
    """Schema ``entropy_run`` from :func:`run_sampler`'s result."""
    import pandas as pd

    nb = res["S"].size
    e = bin_edges(nb)
    return pd.DataFrame(
        {
            "n_h": np.full(nb, n_h, dtype=np.int64),
            "R": np.full(nb, float(R)),
            "run": np.full(nb, run, dtype=np.int64),
            "bin": np.arange(nb, dtype=np.int64),
            "L_lo": e[:-1],
            "L_hi": e[1:],
            "visited": np.asarray(res["visited"], dtype=bool),
            "lng_wl": res["lng_wl"],
            "H_muca": res["H_muca"].astype(np.int64),
            "S_wl": res["S_wl"],
            "S": res["S"],
            "S_err": res["S_err"],
        }
    )


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
            nb = res["S"].size
            e = bin_edges(nb)
            frames.append(pd.DataFrame({
                "gate": [g] * nb, "n_h": np.full(nb, int(n_h), dtype=np.int64),
                "bin": np.arange(nb, dtype=np.int64), "L_lo": e[:-1], "L_hi": e[1:],
                "visited": np.asarray(res["visited"], dtype=bool), "S": res["S"],
                "S_err": res["S_err"]}))
            low[f"{g}_nh{int(n_h)}"] = res["min_loss"]
    return pd.concat(frames, ignore_index=True), {"min_loss": low}


def run_diagnostics(res: dict) -> dict:
    """Scalar diagnostics of a run (stored as the Parquet file's ``extra``)."""
    out = {k: v for k, v in res.items() if np.isscalar(v)}
    out["v_min"] = np.asarray(res["v_min"]).tolist()
    return out
