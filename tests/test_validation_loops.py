"""Issue 13: every iterative loop ends, even for degenerate settings (bisections, samplers).

Each test runs a loop with the most degenerate setting it can get (tolerances below what the
numbers can resolve, one-step chunks), in a subprocess with a timeout where a hang is the
failure mode. Loops whose bound is structural (an index or epoch counter that grows by at
least one per pass up to a config cap) are listed in the README's robustness section.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd

from xornet import entropy as E
from xornet import lrwindow as LW


def _run_py(code: str, timeout: float = 600):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_plateau_bisection_with_unresolvable_resolution_ends():
    """plateau_resolution 1e-12 (below the 1e-9 rounding of Delta): the bisection used to repeat
    the same midpoint forever; now it stops when the midpoint cannot move."""
    out = _run_py("""
        from xornet import model as M, perturb as PT
        cfg = {"delta": {"min": -3.0, "max": 3.0, "step": 1.5}, "n_replicas": 2, "eta": 0.1,
               "max_epochs": 3000, "plateau_resolution": 1e-12, "chunk_epochs": 1000,
               "bootstrap": {"n_resamples": 20, "confidence": 0.9}}
        pts, reps, plat, cost = PT.sweep_parameter(M.PAPER_TABLE2[0], "w2_1_1", 2, cfg,
                                                   threshold=0.005, seed=5, reference="paper")
        p = plat.iloc[0]
        print(int(p["bisection_steps"]), repr(float(p["upper_out"] - p["upper_in"])))
    """)
    steps, width = out.split()
    assert 0 < int(steps) <= 40  # 1.5 -> 1e-9 in halvings: 31 rounds
    assert 0 < float(width) <= 2e-9


def test_lr_window_bisection_with_unresolvable_resolution_ends(monkeypatch):
    """rel_resolution far below float64 resolution: brackets stop shrinking at one ulp and the
    round cap (max_rounds) ends the bisection."""
    calls = []

    def fake_run(etas, *args):  # converges exactly for eta in [0.0123, 7.89]
        etas = np.asarray(etas, float)
        calls.append(args)
        conv = (etas >= 0.0123) & (etas <= 7.89)
        return pd.DataFrame({"eta": etas, "converged": conv,
                             "epochs": np.where(conv, 10, 100).astype(np.int64),
                             "final_full_loss": np.where(conv, 1e-3, 0.2), "diverged": etas > 20})

    monkeypatch.setattr(LW, "_run", fake_run)
    rows, summ = LW.find_window(np.zeros(9), 2, eta_min=1e-3, eta_max=50.0, n=9, max_epochs=100,
                                rel_resolution=1e-300, threshold=0.005, randomized=True, state=1,
                                max_rounds=40)
    assert len(calls) <= 41
    lo, hi = summ["window"]
    assert abs(lo - 0.0123) <= 1e-15 and abs(hi - 7.89) <= 1e-14


def test_sampler_with_one_step_chunks_and_empty_phases_ends():
    cfg = dict(n_bins=10, wl_steps=3, muca_steps=2, muca_blocks=5, tune_steps=0,
               target_acceptance=0.5, delta0=5.0, check_every=1, recompute_every=1, chunk_steps=1)
    res = E.run_sampler(1, 1.0, cfg, 3, 0)
    assert res["wl_steps_total"] >= 3 and res["H_muca"].sum() == 5  # blocks of one step


def test_simple_sampling_with_fewer_draws_than_streams_ends():
    res = E.simple_sampling(1, 1.0, 3, 10, 7, n_streams=8, chunk=1)
    assert res["n_draws"] == 8 and res["counts"].sum() == 8
