"""A ``snakemake`` object for running a rule script outside Snakemake (debugging).

:func:`mock_snakemake` loads the real workflow (the ``Snakefile`` at :data:`ROOT`) through
Snakemake 9's API, builds the job of one rule for the given wildcards and returns the same
object that Snakemake hands to a ``script:`` (``snakemake.script.Snakemake``): ``.input``,
``.output``, ``.params``, ``.log``, ``.wildcards``, ``.resources`` are Snakemake namedlists
(access by name or index), ``.threads`` is an int and ``.config`` the merged config.

Nothing is executed: no DAG is built over the targets, no job runs, no file is checked for
existence or freshness. Only the Snakefile's top-level code runs (config validation), exactly as
in ``snakemake -n``. File paths are made absolute, so the object works from any directory.

Typical use, through :func:`xornet.workflow.snakemake_or_mock` in a rule script::

    python workflow/scripts/train_run.py run=nh2_eta0.1
    python workflow/scripts/train_run.py --configfile config/ci.yaml run=nh2_eta0.1
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .workflow import ROOT

__all__ = ["mock_snakemake"]


def _absolute(namedlist, root: Path) -> None:
    """Make every path of a Snakemake namedlist absolute (relative to the workflow root)."""
    for i, item in enumerate(namedlist):
        namedlist[i] = str(Path(root, item)) if not os.path.isabs(item) else str(item)


def mock_snakemake(
    rule: str,
    configfiles: Iterable[str | os.PathLike] = (),
    *,
    root: str | os.PathLike | None = None,
    mkdirs: bool = True,
    **wildcards: str,
):
    """The ``snakemake`` object that rule ``rule`` would get for ``wildcards``.

    Parameters
    ----------
    rule : name of the rule (``snakemake --list-rules``).
    configfiles : extra config files merged over ``config.yaml``, as ``--configfile`` does
        (relative paths are taken relative to the workflow root).
    root : workflow root holding the ``Snakefile`` (default: this checkout, ``xornet.workflow.ROOT``).
    mkdirs : create the parent directories of the outputs and logs, as Snakemake does before
        running a job.
    **wildcards : one value per wildcard of the rule's output, e.g. ``run="nh2_eta0.1"``.

    Raises
    ------
    KeyError : unknown rule.
    ValueError : missing or unexpected wildcards, or a value that violates the rule's
        wildcard constraints.
    """
    from snakemake.api import SnakemakeApi
    from snakemake.dag import DAG
    from snakemake.iocontainers import Snakemake
    from snakemake.jobs import Job
    from snakemake.settings.enums import Quietness
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
    )

    root = Path(root if root is not None else ROOT).resolve()
    snakefile = root / "Snakefile"
    if not snakefile.is_file():
        raise FileNotFoundError(f"no Snakefile at {snakefile}")
    configfiles = [
        Path(root, f) for f in ([configfiles] if isinstance(configfiles, str) else configfiles)
    ]
    for f in configfiles:
        if not f.is_file():
            raise FileNotFoundError(f"config file {f} does not exist")

    cwd = os.getcwd()
    output_settings = OutputSettings(quiet={Quietness.ALL}, enable_file_logging=False)
    workflow = None
    try:
        with SnakemakeApi(output_settings) as api:
            workflow_api = api.workflow(
                resource_settings=ResourceSettings(cores=1 << 10),
                config_settings=ConfigSettings(configfiles=configfiles),
                snakefile=snakefile,
                workdir=root,
            )
            workflow = workflow_api._workflow  # parses the Snakefile (top-level code only)
            workflow.dag_settings = DAGSettings()
            names = [r.name for r in workflow.rules]
            if rule not in names:
                raise KeyError(f"unknown rule {rule!r}; rules: {', '.join(sorted(names))}")
            rule_obj = workflow.get_rule(rule)
            _check_wildcards(rule_obj, wildcards)
            # A DAG object is needed to build a job; it is never populated or executed.
            job = Job(rule_obj, DAG(workflow, rules=[rule_obj]), wildcards_dict=dict(wildcards))
            _check_constraints(rule_obj, job)
            for io in (job.input, job.output, job.log):
                _absolute(io, root)
            smk = Snakemake(
                job.input,
                job.output,
                job.params,
                job.wildcards,
                job.threads,
                job.resources,
                job.log,
                workflow.config,
                rule,
                None,
                scriptdir=str(root / "workflow" / "scripts"),
            )
    finally:
        if workflow is not None:
            workflow.tear_down()
            runtime_cache = getattr(workflow.sourcecache, "runtime_cache", None)
            if runtime_cache is not None:
                runtime_cache.cleanup()
        os.chdir(cwd)
    if mkdirs:
        for path in [*smk.output, *smk.log]:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    return smk


def _check_wildcards(rule, wildcards: dict) -> None:
    """The rule's output must have exactly these wildcards."""
    expected = set(rule.wildcard_names)
    given = set(wildcards)
    if expected != given:
        missing = ", ".join(sorted(expected - given)) or "-"
        extra = ", ".join(sorted(given - expected)) or "-"
        raise ValueError(
            f"rule {rule.name!r} takes wildcards {sorted(expected)}; missing: {missing}; "
            f"unexpected: {extra}"
        )


def _check_constraints(rule, job) -> None:
    """Each expanded output must match its pattern, i.e. the wildcard constraints hold."""
    for pattern, path in zip(rule.output, job.output, strict=True):
        if not pattern.match(str(path)):
            raise ValueError(
                f"wildcards {dict(job.wildcards_dict)} give {path!s}, which rule {rule.name!r} "
                f"does not produce (pattern {pattern!s}; check the wildcard constraints)"
            )
