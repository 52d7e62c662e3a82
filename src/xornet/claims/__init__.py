"""Reproduction scorecard: the paper's checkable claims and how each is read from the pipeline.

Every :class:`Claim` names where it is made in the paper (section, figure/table), what the paper
says (``statement``, ``paper_value``; the numbers from :mod:`xornet.paper`), which pipeline
datasets it reads (``inputs``: keys of :data:`INPUTS`), a small ``check`` function that turns
those datasets into a reproduced value and a pass/fail, and the tolerance with the reason for it.

Modules: :mod:`.core` (claim, evaluation, verdict), :mod:`.inputs` (the datasets, data access,
scale checks), :mod:`.render` (Markdown, HTML), and one module per section of the paper, each
claim declared with ``@claim(...)`` right above its check: :mod:`.table1` (Sec. II),
:mod:`.learning_rate` (III.A), :mod:`.convergence` (III.B), :mod:`.loss_landscape` (III.C),
:mod:`.density_of_loss` (III.D); beyond the paper, :mod:`.census` (the statements of Mehta et
al. 2018 read from the stationary-point census). :data:`CLAIMS` lists them in that order.
"""

from __future__ import annotations

from . import census, convergence, density_of_loss, learning_rate, loss_landscape, table1
from . import core as _core
from .core import COLUMNS, VERDICTS, Claim, Result, declare, evaluate_claim, summary
from .inputs import INPUTS, Data, InputSpec, NotCheckable, _get, input_paths, scale_issues
from .render import FIGURE_TITLES, PAPER, by_figure, html, markdown

#: the section modules in the paper's order
SECTIONS = (table1, learning_rate, convergence, loss_landscape, density_of_loss, census)

#: every claim, in the paper's order
CLAIMS: list[Claim] = [c for s in SECTIONS for c in s.CLAIMS]


def evaluate(paths: dict[str, str], defaults: dict, claims=None, gate: str = "xor"):
    """One row per claim (dataset ``claims``; default: every claim of :data:`CLAIMS`).
    ``defaults``: the paper-fidelity config; ``gate``: the gate the run learned (config
    ``gate``)."""
    return _core.evaluate(paths, defaults, claims or CLAIMS, gate)


__all__ = ["CLAIMS", "COLUMNS", "FIGURE_TITLES", "INPUTS", "PAPER", "SECTIONS", "VERDICTS",
           "Claim", "Data", "InputSpec", "NotCheckable", "Result", "_get", "by_figure", "declare",
           "evaluate", "evaluate_claim", "html", "input_paths", "markdown", "scale_issues",
           "summary"]
