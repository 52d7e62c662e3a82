"""Fig. 5 (Sec. III.B): tau_conv after shifting one parameter of solution #1."""

import numba
import numpy as np
import pandas as pd
import pytest

from xornet import kernels as K
from xornet import model as M
from xornet import perturb as PT
from xornet.schemas import check_frame

V1 = M.PAPER_TABLE2[0]
THR = 0.005


def _run(param, deltas, R=8, cap=20000, chunk=1 << 16, seed=7, kernel="lanes"):
    V0 = PT.start_networks(V1, param, deltas, 2)
    labels = [PT.stream_label("paper", param, float(d)) for d in deltas]
    return PT.run_points(V0, 2, labels, n_replicas=R, eta=0.1, max_epochs=cap, threshold=THR,
                         seed=seed, chunk_epochs=chunk, progress_seconds=1e9, kernel=kernel)


def test_converged_start_has_tau_zero():
    # the printed #1 has full-batch loss 0.0013 and every case loss < 0.005
    assert M.loss(V1, 2) < THR and M.case_losses(V1, 2).max() < THR
    out = _run("b1_1", [0.0], R=16)
    assert out["tau"][0] == 0
    assert np.all(out["conv"][0] == 0)
    assert out["epochs"][0] == 0          # nothing beyond epoch 0 was needed
    assert out["net_epochs"] == 16        # one forward pass per replica
    # the update of epoch 0 is made in the same pass as its test: one small step at most
    assert np.abs(out["V"][0] - V1).max() < 1e-3


def test_far_start_converged_or_flagged():
    cap = 20000
    out = _run("w1_1_1", [10.0], R=8, cap=cap)
    tau, conv = out["tau"][0], out["conv"][0]
    pts, reps = PT.summarise("w1_1_1", [10.0], out, PT.start_networks(V1, "w1_1_1", [10.0], 2),
                             PT.logic_codes(V1, 2), 2, phase="grid", max_epochs=cap,
                             bootstrap={"n_resamples": 50, "confidence": 0.9}, seed=1,
                             reference="paper")
    row = pts[0]
    if tau >= 0:
        assert 0 < tau <= cap and row["converged"] and row["tau_conv"] == tau
    else:
        # recorded, with the cap, never dropped
        assert not row["converged"] and row["tau_conv"] == cap and out["epochs"][0] == cap
        assert len(reps) == 8
        assert all(r["conv_epoch"] == cap for r, c in zip(reps, conv, strict=True) if c < 0)
        assert all(not r["converged"] for r, c in zip(reps, conv, strict=True) if c < 0)


def _reference_lockstep(v0, R, states, cap, eta=0.1):
    """Plain NumPy version of the tau_conv definition (xornet.perturb docstring)."""
    V = np.repeat(np.asarray(v0, float)[None], R, 0)
    st = np.array(states, dtype=np.uint64)
    conv = np.full(R, -1)
    tau = -1
    w = np.empty(4)
    for t in range(cap + 1):
        counts = np.empty((R, 4))
        for r in range(R):
            st[r] = K.draw_batch(st[r], w)
            counts[r] = 4 * w
        lb = M.loss(V, 2, counts)
        lf = M.loss(V, 2)
        newly = (conv < 0) & (lf < THR)
        conv[newly] = t
        if tau < 0 and lb.mean() < THR and lf.mean() < THR:
            tau = t
        if tau >= 0 and np.all(conv >= 0):
            return tau, conv
        V = V - eta * M.grad(V, 2, counts)
    return tau, conv


@pytest.mark.parametrize("kernel", ["lanes", "soa", "aos"])
@pytest.mark.parametrize("param,delta", [("w1_1_1", 3.0), ("b1_2", -2.0), ("w2_1_2", 2.0)])
def test_kernel_matches_numpy_reference(param, delta, kernel):
    R, cap = 6, 5000
    out = _run(param, [delta], R=R, cap=cap, chunk=37, kernel=kernel)  # odd chunks: resuming
    states = PT.rng.replica_states(7, R, PT.stream_label("paper", param, delta))
    v0 = PT.start_networks(V1, param, [delta], 2)[0]
    tau, conv = _reference_lockstep(v0, R, states, cap)
    assert tau > 0
    assert out["tau"][0] == tau
    np.testing.assert_array_equal(out["conv"][0], conv)


@pytest.mark.parametrize("kernel", ["lanes", "soa", "aos"])
def test_thread_count_and_chunk_invariance(kernel):
    deltas = [-3.0, -1.0, 0.0, 2.5, 4.0, 10.0]
    n0 = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a = _run("w1_2_1", deltas, R=5, cap=3000, chunk=1 << 16, kernel=kernel)
        numba.set_num_threads(max(2, min(n0, numba.config.NUMBA_NUM_THREADS)))
        b = _run("w1_2_1", deltas, R=5, cap=3000, chunk=101, kernel=kernel)
    finally:
        numba.set_num_threads(n0)
    for key in ("tau", "epochs", "conv", "status", "net_epochs"):
        np.testing.assert_array_equal(a[key], b[key])
    assert a["V"].tobytes() == b["V"].tobytes()


def test_simd_kernel_agrees_with_forward4_kernel():
    # SIMD-over-replicas production kernel vs the one-replica-at-a-time reference built from
    # kernels.forward4/backward4: same epochs everywhere, parameters equal to rounding (FMA
    # contraction differs between vector and scalar code)
    deltas = [-10.0, -4.0, 0.0, 3.0, 6.0, 10.0]
    for param in ("w1_2_1", "b1_1", "w2_1_2"):
        a = _run(param, deltas, R=12, cap=8000, chunk=999, kernel="aos")
        b = _run(param, deltas, R=12, cap=8000, chunk=1 << 16, kernel="soa")
        for key in ("tau", "epochs", "conv", "status", "net_epochs"):
            np.testing.assert_array_equal(a[key], b[key], err_msg=f"{param} {key}")
        np.testing.assert_allclose(a["V"], b["V"], rtol=0, atol=1e-9)


@pytest.mark.parametrize("R", [5, 8, 13])
def test_lanes_kernel_is_soa_kernel_bit_for_bit(R):
    # the production kernel (replicas in SIMD lanes, work units shared by the threads, lockstep
    # epochs run ahead of the ensemble test and rerun to tau_conv) does per replica exactly the
    # arithmetic of the LLVM-vectorised soa kernel: every output identical, parameters too;
    # R = 5, 13: partial blocks of lanes
    deltas = [-10.0, -4.0, -1.0, 0.0, 2.5, 6.0, 10.0]
    n0 = numba.get_num_threads()
    try:
        for param in ("w1_1_2", "b1_2", "w2_1_1", "b2_1"):
            a = _run(param, deltas, R=R, cap=6000, chunk=1 << 16, kernel="soa")
            for threads, chunk in ((1, 1 << 16), (2, 333)):
                numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
                b = _run(param, deltas, R=R, cap=6000, chunk=chunk, kernel="lanes")
                for key in ("tau", "epochs", "conv", "status", "work", "net_epochs"):
                    np.testing.assert_array_equal(a[key], b[key], err_msg=f"{param} {key}")
                assert a["V"].tobytes() == b["V"].tobytes()
    finally:
        numba.set_num_threads(n0)


def test_lanes_kernel_reports_finished_points():
    seen = {}

    def on_finished(idx, tau, t_now, conv, status, V, work):
        for i in idx:
            assert i not in seen
            seen[int(i)] = (int(tau[i]), int(t_now[i]), conv[i].copy(), V[i].copy())

    deltas = [-3.0, 0.0, 4.0, 10.0]
    V0 = PT.start_networks(V1, "w1_2_1", deltas, 2)
    labels = [PT.stream_label("paper", "w1_2_1", d) for d in deltas]
    out = PT.run_points(V0, 2, labels, n_replicas=6, eta=0.1, max_epochs=3000, threshold=THR,
                        seed=7, chunk_epochs=500, progress_seconds=1e9, on_finished=on_finished)
    assert sorted(seen) == list(range(len(deltas)))
    for i, (tau, t_now, conv, V) in seen.items():
        assert tau == out["tau"][i] and t_now - 1 == out["epochs"][i]
        np.testing.assert_array_equal(conv, out["conv"][i])
        assert V.tobytes() == out["V"][i].tobytes()


def test_logic_codes_match_hidden_logic():
    rng = np.random.default_rng(3)
    V = np.vstack([M.PAPER_TABLE2, rng.normal(0, 8, size=(200, 9))])
    codes = PT.logic_codes(V, 2)
    to_str = {}
    for v, c in zip(V, codes, strict=True):
        s = M.hidden_logic(v, 2)
        key = tuple(c)
        assert to_str.setdefault(key, s) == s      # same code -> same class string
    # and distinct classes get distinct codes
    assert len(set(to_str.values())) == len(to_str)


def test_plateau_brackets():
    d = PT.delta_grid(-2, 2, 0.5)
    tau = np.array([9, 5, 0, 0, 0, 0, 0, 0, 0])
    conv = np.ones(d.size, bool)
    (lo_in, lo_out), (hi_in, hi_out) = PT.plateau_brackets(d, tau, conv, 0)
    assert (lo_in, lo_out) == (-1.0, -1.5)
    assert (hi_in, hi_out) == (2.0, None)          # open: reaches the grid end
    conv[-1] = False                                # not converged is off the plateau
    assert PT.plateau_brackets(d, tau, conv, 0)[1] == (1.5, 2.0)


def test_delta_grid_default_has_201_points_and_exact_zero():
    d = PT.delta_grid(-10, 10, 0.1)
    assert d.size == 201 and d[100] == 0.0 and d[0] == -10 and d[-1] == 10


def test_sweep_parameter_frames_match_schemas():
    cfg = {"delta": {"min": -3.0, "max": 3.0, "step": 1.5}, "n_replicas": 4, "eta": 0.1,
           "max_epochs": 3000, "plateau_resolution": 0.05, "chunk_epochs": 1000,
           "bootstrap": {"n_resamples": 50, "confidence": 0.9}}
    pts, reps, plat, cost = PT.sweep_parameter(V1, "w2_1_1", 2, cfg, threshold=THR, seed=5,
                                               reference="paper")
    check_frame(pts, "perturb_points")
    check_frame(reps, "perturb_replicas")
    check_frame(plat, "perturb_plateaus")
    assert len(reps) == 4 * len(pts)
    p = plat.iloc[0]
    assert p["tau0"] == 0 and p["lower_open"] and not p["upper_open"]
    assert p["upper_out"] - p["upper_in"] <= 0.05 + 1e-12
    # the paper: plateau for Delta w_11^(2) < 1.6
    assert 1.5 < p["upper_in"] < 1.7
    grid = pts[pts["phase"] == "grid"]
    assert grid["converged"].all() and (grid["frac_same_class"] == 1.0).all()
    assert cost["net_epochs"] > 0


def test_reference_vector():
    np.testing.assert_array_equal(PT.reference_vector("paper", 2), V1)
    sol = pd.DataFrame([{"source": "ours", "label": "#1", **dict(zip(M.param_names(2), V1 + 1, strict=True))},
                        {"source": "paper", "label": "#1", **dict(zip(M.param_names(2), V1, strict=True))}])
    np.testing.assert_array_equal(PT.reference_vector("ours", 2, sol), V1 + 1)
    with pytest.raises(ValueError):
        PT.reference_vector("ours", 2, None)


def test_bootstrap_ci_degenerate_and_regular():
    assert PT.bootstrap_ci(np.zeros(10), np.median, n_resamples=50, confidence=0.95, seed=1,
                           label="x") == (0.0, 0.0, 0.0)
    x = np.arange(100.0)
    est, lo, hi = PT.bootstrap_ci(x, np.median, n_resamples=500, confidence=0.95, seed=1, label="x")
    assert lo < est < hi and est == 49.5


_CFG = {"delta": {"min": -6.0, "max": 6.0, "step": 1.5}, "n_replicas": 6, "eta": 0.1,
        "max_epochs": 4000, "plateau_resolution": 0.1, "chunk_epochs": 700,
        "bootstrap": {"n_resamples": 50, "confidence": 0.9}}


def _sweep(param="w1_2_1", **kw):
    return PT.sweep_parameter(V1, param, 2, _CFG, threshold=THR, seed=5, reference="paper",
                              progress_seconds=1e9, **kw)


def test_split_grid_gives_the_unsplit_result():
    # each Delta point has its own stream (stream_label), so cutting the grid into interleaved
    # parts run by separate jobs and merging them changes nothing
    pts, reps, plat, cost = _sweep()
    for parts in (2, 3):
        frames = ([], [])
        net = 0
        for part in range(parts):
            p, r, c = PT.sweep_grid(V1, "w1_2_1", 2, _CFG, threshold=THR, seed=5,
                                    reference="paper", part=part, parts=parts,
                                    progress_seconds=1e9)
            assert len(p) == len(PT.part_indices(len(PT.grid_deltas(_CFG)), part, parts))
            frames[0].append(p)
            frames[1].append(r)
            net += c["net_epochs"]
        p2, r2, plat2, cost2 = _sweep(grid_parts=frames)
        pd.testing.assert_frame_equal(pts, p2)
        pd.testing.assert_frame_equal(reps, r2)
        pd.testing.assert_frame_equal(plat, plat2)
        assert net + cost2["net_epochs"] == cost["net_epochs"]
    with pytest.raises(ValueError, match="grid_parts"):
        PT.sweep_grid(V1, "w1_2_1", 2, _CFG, threshold=THR, seed=5, reference="paper",
                      part=9, parts=10)


_KILL_SCRIPT = """
import os, signal, sys
from xornet import model as M, perturb as PT
cfg = {cfg!r}
flush = PT.PointCheckpoint.flush
def flush_then_die(self):
    flush(self)
    if len(self.points) >= 3:          # a real SIGKILL in mid-run, checkpoint on disk
        os.kill(os.getpid(), signal.SIGKILL)
PT.PointCheckpoint.flush = flush_then_die
key = PT.run_constants(M.PAPER_TABLE2[0], "w1_2_1", 2, cfg, threshold=0.005, seed=5,
                       reference="paper")
ck = PT.PointCheckpoint(sys.argv[1], key, seconds=0.0)
PT.sweep_parameter(M.PAPER_TABLE2[0], "w1_2_1", 2, cfg, threshold=0.005, seed=5,
                   reference="paper", progress_seconds=1e9, checkpoint=ck)
print("not killed")
"""


def _write(tmp_path, name, frames):
    from xornet import io

    out = []
    for df, ds in zip(frames[:3], ("perturb_points", "perturb_replicas", "perturb_plateaus"),
                      strict=True):
        path = tmp_path / f"{name}_{ds}.parquet"
        io.write_parquet(df, path, dataset=ds, prov=io.provenance(ds, "perturbation", {}, 5),
                         extra={"network_epochs": frames[3]["net_epochs"]})
        out.append(path.read_bytes())
    return out


def test_kill_and_resume_gives_identical_bytes(tmp_path, caplog):
    import signal
    import subprocess
    import sys

    ckpt = tmp_path / "checkpoint.npz"
    proc = subprocess.run([sys.executable, "-c", _KILL_SCRIPT.format(cfg=_CFG), str(ckpt)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    assert ckpt.exists() and not (tmp_path / "checkpoint.npz.tmp").exists()
    key = PT.run_constants(V1, "w1_2_1", 2, _CFG, threshold=THR, seed=5, reference="paper")
    with caplog.at_level("INFO", logger="xornet"):
        ck = PT.PointCheckpoint(ckpt, key, seconds=0.0)
    n_saved = len(ck.points)
    n_total = len(PT.grid_deltas(_CFG))
    assert 3 <= n_saved < n_total, n_saved            # killed in the middle of the grid
    assert f"{n_saved} finished points resumed" in caplog.text
    resumed = _sweep(checkpoint=ck)
    fresh = _sweep()
    assert _write(tmp_path, "resumed", resumed) == _write(tmp_path, "fresh", fresh)


def test_broken_or_foreign_checkpoint_is_discarded(tmp_path, caplog):
    key = PT.run_constants(V1, "w2_1_1", 2, _CFG, threshold=THR, seed=5, reference="paper")
    path = tmp_path / "ck.npz"
    ck = PT.PointCheckpoint(path, key, seconds=0.0)
    out = PT.run_labelled(V1, "w2_1_1", [0.0, 1.0], 2, _CFG, threshold=THR, seed=5,
                          reference="paper", name="t", checkpoint=ck, progress_seconds=1e9)
    assert path.exists() and len(PT.PointCheckpoint(path, key).points) == 2
    good = path.read_bytes()
    # foreign: other run constants (another seed)
    other = dict(key, seed=6)
    with caplog.at_level("WARNING", logger="xornet"):
        assert PT.PointCheckpoint(path, other).points == {}
    assert "other run constants" in caplog.text and not path.exists()
    # broken: truncated archive, then garbage
    for damaged in (good[: len(good) // 2], b"not a checkpoint"):
        path.write_bytes(damaged)
        caplog.clear()
        with caplog.at_level("WARNING", logger="xornet"):
            ck2 = PT.PointCheckpoint(path, key)
        assert ck2.points == {} and "unreadable checkpoint" in caplog.text
        assert not path.exists()
        again = PT.run_labelled(V1, "w2_1_1", [0.0, 1.0], 2, _CFG, threshold=THR, seed=5,
                                reference="paper", name="t", checkpoint=ck2,
                                progress_seconds=1e9)
        for k in ("tau", "epochs", "conv", "status", "V", "work"):
            assert np.asarray(again[k]).tobytes() == np.asarray(out[k]).tobytes()
