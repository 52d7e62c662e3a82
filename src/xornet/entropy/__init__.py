"""Density of loss g(L) and microcanonical entropy S(L) = ln g(L) (Sec. II last paragraph,
Sec. III.D, Eqs. 8-9, Fig. 8).

State space: the box [-R, R]^P of all P = 4 n_h + 1 weights and biases with the uniform
measure. g(L) is the density of the full-batch loss (Eq. 4) under that measure, normalised so
that the integral of g over [0, 1] is 1; the loss axis is cut into ``n_bins`` equal bins.
Three estimators (the paper's Sec. II: simple sampling, confirmed by Wang-Landau combined with
multicanonical sampling).

Modules, from the compiled inner loops to the stored tables:

* :mod:`.sampler` - the samplers: numba kernels for simple sampling and for Wang-Landau (1/t) /
  multicanonical walks, with the incremental loss update.
* :mod:`.driver` - runs the kernels: chunks, progress lines, step-size tuning, phases,
  atomic checkpoints and bit-identical resume (:func:`run_sampler`, :func:`simple_sampling`,
  :func:`gate_runs`).
* :mod:`.estimators` - the analysis of the histograms: S(L) with Poisson or jackknife errors.
* :mod:`.frames` - the Parquet frames of the stage.

The public names of all four are re-exported here (``from xornet import entropy as E``).
"""

from .driver import (
    PHASES,
    SamplerState,
    config_key,
    gate_runs,
    load_checkpoint,
    log,
    run_sampler,
    save_checkpoint,
    simple_sampling,
)
from .estimators import bin_edges, muca_entropy, normalise_lng, simple_sampling_entropy
from .frames import gate_frame, run_diagnostics, run_frame, simple_frame
from .sampler import (
    IC_ACC,
    IC_NHALF,
    IC_NVIS,
    IC_PROP,
    IC_SINCE,
    IC_SINCE_FULL,
    IC_STAGE,
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
    loss_of,
    simple_sampling_kernel,
    wl_kernel,
)

__all__ = [
    "IC_ACC", "IC_NHALF", "IC_NVIS", "IC_PROP", "IC_SINCE", "IC_SINCE_FULL", "IC_STAGE",
    "IC_STEPS", "MODE_MUCA", "MODE_WL", "N_IC", "N_SC", "PHASES", "SC_DELTA", "SC_L", "SC_LNF",
    "SC_MAXDRIFT", "SC_MAXL", "SC_MINL", "SamplerState", "bin_edges", "config_key",
    "full_state", "gate_frame", "gate_runs", "load_checkpoint", "log", "loss_of",
    "muca_entropy", "normalise_lng", "run_diagnostics", "run_frame", "run_sampler",
    "save_checkpoint", "simple_frame", "simple_sampling", "simple_sampling_entropy",
    "simple_sampling_kernel", "wl_kernel",
]
