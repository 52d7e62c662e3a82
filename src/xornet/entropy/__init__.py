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

The public names of all four (each module's ``__all__``) are re-exported here
(``from xornet import entropy as E``).
"""

from . import driver, estimators, frames, sampler
from .driver import *  # noqa: F403
from .estimators import *  # noqa: F403
from .frames import *  # noqa: F403
from .sampler import *  # noqa: F403

__all__ = [*sampler.__all__, *driver.__all__, *estimators.__all__, *frames.__all__]
