"""File layout of the census stage (used by workflow/rules/census.smk and the scorecard)."""

from __future__ import annotations

from ..labels import num_label

JOB_DIR = "results/census/nh{n_h}_lam{lam}_rep{rep}"


def job_files(kind: str, n_hs, lams, rep: int = 0) -> list[str]:
    """Paths of one kind of job output (minima, ts, edges, progress) for every (n_h, lam)."""
    return [f"{JOB_DIR}/{kind}.parquet".format(n_h=int(n), lam=num_label(lam), rep=int(rep))
            for n in n_hs for lam in lams]
