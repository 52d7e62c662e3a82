"""Cross-sections of the loss landscape, descent trajectories and randomized scans (Sec. III.C).

Paper Figs. 6 and 7. Everything is expressed in deviations Delta from a reference optimum
``v_ref`` (solution #1 of Table II, :func:`xornet.solutions.reference_for`): a cross-section
``(x, y)`` varies parameters x and y by ``Delta`` on a square grid and keeps the other
``4*n_h - 1`` at their reference values. One module per rule:

:mod:`.sections`
    the parameter pairs, the Delta axis and the job chunks.
:mod:`.grids` (rule ``landscape_grid``)
    :func:`compute_grids` evaluates the nonrandomized full-batch loss (Eq. 4) of many pairs
    in one compiled call (``prange`` over grid lines, one :func:`xornet.kernels.full_loss`
    per point). Rows of dataset ``landscape_grid`` (long format: one row per grid point). A
    grid of pair (x, y) with x after y in parameter order is the transpose of the stored
    (y, x) grid (:func:`grid_array`).
:mod:`.features` (rule ``landscape_features``)
    :func:`grid_features` measures every grid (well around the origin, red rims, trenches);
    :func:`select_panels` picks Fig. 6(d)-(f) by the documented rules.
:mod:`.trajectories` (rules ``landscape_trajectory``, ``landscape_trajectories``)
    :func:`descend` runs steepest descent (Eq. 6, nonrandomized batch) on the two free
    parameters of one or more starts, recorded at log-spaced epochs, stopping a start once
    converged or stalled (:data:`OUTCOMES`); :func:`trajectory_summary` compares each path
    with the paper's words.
:mod:`.scans` (rule ``landscape_randomized``, Fig. 7)
    :func:`randomized_scans`: every grid point owns a splitmix64 stream; scan s at that point
    uses the s-th randomized batch of its stream, so the result is independent of the thread
    count; the RMS deviation of the k-scan average from the nonrandomized grid for every k.
"""

# Lazy attribute access (PEP 562): `from xornet import landscape as L; L.grids_by_pair` loads
# only the submodule that defines the name, so plotting jobs never import numba.
_WHERE = {
    "sections": ("NAMED_PANELS", "all_pairs", "chunk_of", "chunk_pairs", "deltas", "grid_array",
                 "grids_by_pair", "pair_key", "read_grids", "section"),
    "grids": ("compute_grids", "grids_frame", "loss_grids"),
    "features": ("RED_MIN", "SELECTION_RULES", "WELL_MAX", "features_frame", "grid_features",
                 "select_panels", "valley_mask"),
    "trajectories": ("OUTCOMES", "PAPER_TRAJECTORIES", "_descend_chunk", "descend", "level_name",
                     "start_vectors", "trajectory_summary"),
    "scans": ("randomized_scans", "scan_frame"),
}
_MODULE_OF = {name: mod for mod, names in _WHERE.items() for name in names}
__all__ = sorted([*_MODULE_OF, "reference", "reference_for"])


def __getattr__(name: str):
    import importlib

    if name in ("reference", "reference_for"):
        return getattr(importlib.import_module("..solutions", __name__), name)
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
