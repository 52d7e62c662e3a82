"""Issue 13: interruptions and broken checkpoints of the entropy sampler.

* A broken (truncated, bit-flipped, not an archive) or foreign (another run, malformed arrays)
  checkpoint is logged, deleted, and the run starts afresh with the uninterrupted result.
* Kill and resume of an entropy job (the real rule script ``workflow/scripts/entropy_run.py``,
  SIGKILL mid-run): the Parquet output is byte-identical to an uninterrupted run.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from xornet import entropy as E

ROOT = Path(__file__).resolve().parents[1]
R, SEED = 30.0, 4242
CFG = dict(n_bins=100, wl_steps=300_000, muca_steps=200_000, muca_blocks=4, tune_steps=50_000,
           target_acceptance=0.5, delta0=5.0, check_every=1000, recompute_every=10000,
           chunk_steps=50_000)


@pytest.fixture(scope="module")
def reference():
    return E.run_sampler(2, R, CFG, SEED, 0)


@pytest.fixture
def checkpoint(tmp_path):
    ck = tmp_path / "ck.npz"
    assert E.run_sampler(2, R, CFG, SEED, 0, checkpoint=ck, stop_after_chunks=4) == {"stopped": True}
    assert ck.exists()
    return ck


def _same(a, b):
    for k in ("lng_wl", "H_muca", "S", "S_wl", "v_min"):
        assert np.array_equal(a[k], b[k], equal_nan=True), k


def _truncate(ck: Path):
    ck.write_bytes(ck.read_bytes()[: ck.stat().st_size // 2])


def _flip(ck: Path):
    b = bytearray(ck.read_bytes())
    b[len(b) // 3] ^= 0x04  # inside an array's data: the zip CRC-32 no longer matches
    ck.write_bytes(bytes(b))


def _garbage(ck: Path):
    ck.write_bytes(b"not a checkpoint\n" * 10)


def _empty(ck: Path):
    ck.write_bytes(b"")


def _no_key(ck: Path):
    with np.load(ck) as z:
        arrays = {k: z[k] for k in z.files if k != "key"}
    np.savez(ck, **arrays)


def _other_run(ck: Path):
    with np.load(ck) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["key"] = np.array("0" * 64)
    np.savez(ck, **arrays)


def _bad_shapes(ck: Path):
    with np.load(ck) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["lng"] = arrays["lng"][:-3]  # same key, inconsistent histogram
    np.savez(ck, **arrays)


def _nan_state(ck: Path):
    with np.load(ck) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["v"] = np.full_like(arrays["v"], np.nan)
    np.savez(ck, **arrays)


@pytest.mark.parametrize("damage", [_truncate, _flip, _garbage, _empty, _no_key, _other_run,
                                    _bad_shapes, _nan_state])
def test_broken_or_foreign_checkpoint_is_discarded(checkpoint, reference, damage, caplog):
    damage(checkpoint)
    with caplog.at_level(logging.WARNING, logger="xornet"):
        res = E.run_sampler(2, R, CFG, SEED, 0, checkpoint=checkpoint)
    assert f"checkpoint {checkpoint}" in caplog.text
    assert "discarded, the run starts afresh" in caplog.text
    _same(res, reference)


def test_damaged_checkpoint_is_deleted(checkpoint, caplog):
    _truncate(checkpoint)
    key = E.config_key({"n_h": 2, "R": R, "cfg": CFG, "seed": SEED, "run": 0})
    with caplog.at_level(logging.WARNING, logger="xornet"):
        assert E.load_checkpoint(checkpoint, key) is None
    assert not checkpoint.exists()
    assert str(checkpoint) in caplog.text and "unreadable" in caplog.text


def test_valid_checkpoint_is_resumed(checkpoint, reference, caplog):
    with caplog.at_level(logging.INFO, logger="xornet"):
        res = E.run_sampler(2, R, CFG, SEED, 0, checkpoint=checkpoint)
    assert "resuming from checkpoint" in caplog.text
    _same(res, reference)


# ------------------------------------------------------------------ kill and resume of a job

JOB = textwrap.dedent("""
    import runpy, sys
    from xornet.mock import mock_snakemake
    out, ck, log, cfgfile = sys.argv[1:5]
    # the job exactly as Snakemake builds it (params from the workflow), files in tmp
    sm = mock_snakemake("entropy_run", ["config/ci.yaml", cfgfile], mkdirs=False,
                        R="30", n_h="2", run="1")
    sm.output[0], sm.log[0] = out, log
    params = sm.params  # a copy; set the item and its name, then store it back
    i = params._names["checkpoint"][0]
    params[i] = ck
    params._set_name("checkpoint", i)
    sm._safely_store_params(params)
    assert sm.params.checkpoint == ck and sm.output[0] == out
    runpy.run_path({script!r}, init_globals={{"snakemake": sm}}, run_name="__main__")
""")


def _job(tmp: Path, cfg: dict, name: str):
    import yaml

    script, cfgfile = tmp / "job.py", tmp / "job.yaml"
    script.write_text(JOB.format(script=str(ROOT / "workflow" / "scripts" / "entropy_run.py")))
    sampler = {k: v for k, v in cfg.items() if k != "n_bins"}
    cfgfile.write_text(yaml.safe_dump({"seed": SEED, "progress_seconds": 60.0, "entropy": {
        "n_bins": cfg["n_bins"], "sampler": sampler, "checkpoint_seconds": 0.05}}))
    out, ck, log = tmp / f"{name}.parquet", tmp / f"{name}.npz", tmp / f"{name}.log"
    env = dict(os.environ, XORNET_GIT_COMMIT="test-commit")  # provenance independent of git
    return [sys.executable, str(script), str(out), str(ck), str(log), str(cfgfile)], env, out, ck, log


def test_kill_and_resume_of_an_entropy_job_is_byte_identical(tmp_path):
    cfg = dict(CFG, n_bins=200, wl_steps=8_000_000, muca_steps=4_000_000, tune_steps=200_000,
               chunk_steps=200_000, muca_blocks=10)
    cmd, env, out_ref, _, _ = _job(tmp_path, cfg, "ref")
    subprocess.run(cmd, env=env, check=True, timeout=600, cwd=tmp_path)
    cmd, env, out, ck, log = _job(tmp_path, cfg, "killed")
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path)
    try:
        t0 = time.time()
        while not ck.exists() and time.time() - t0 < 300 and proc.poll() is None:
            time.sleep(0.02)
        assert ck.exists(), "no checkpoint written"
        time.sleep(0.2)
        assert proc.poll() is None, "the job finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL and not out.exists() and ck.exists()
    subprocess.run(cmd, env=env, check=True, timeout=600, cwd=tmp_path)  # the rerun resumes
    assert "resuming from checkpoint" in log.read_text()
    assert not ck.exists()  # removed after success
    assert out.read_bytes() == out_ref.read_bytes()
