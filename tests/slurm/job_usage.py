"""Per-rule usage of a Snakemake run on Slurm, from sacct: elapsed time and peak memory
against the requested time limit and memory (to check the rules' `resources:`).

    python tests/slurm/job_usage.py SNAKEMAKE_LOG

SNAKEMAKE_LOG is the controlling snakemake's output; its lines "Job N has been submitted with
SLURM jobid J (log: .../slurm_logs/rule_R/...)" map Slurm jobs to rules. Needs accounting.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

SUBMIT = re.compile(r"SLURM jobid (\d+) \(log: .*?slurm_logs/rule_([A-Za-z0-9_]+)/")


def seconds(t: str) -> int:
    days = 0
    if "-" in t:
        d, t = t.split("-")
        days = int(d)
    parts = [int(float(x)) for x in t.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return days * 86400 + h * 3600 + m * 60 + s


def megabytes(v: str) -> float:
    if not v:
        return 0.0
    scale = {"K": 1 / 1024, "M": 1.0, "G": 1024.0, "T": 1024.0**2}
    return float(v[:-1]) * scale[v[-1]] if v[-1] in scale else float(v) / 2**20


def main(log: str) -> int:
    rule_of = {}
    with open(log) as fh:
        for line in fh:
            m = SUBMIT.search(line)
            if m:
                rule_of[m.group(1)] = m.group(2)
    if not rule_of:
        print("no Slurm submissions found in", log)
        return 1
    out = subprocess.run(
        [
            "sacct",
            "-n",
            "-P",
            "-j",
            ",".join(rule_of),
            "-o",
            "JobID,Elapsed,MaxRSS,ReqMem,Timelimit,AllocCPUS",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    jobs: dict[str, dict] = defaultdict(dict)
    for line in out.splitlines():
        jid, elapsed, rss, req, limit, cpus = line.split("|")
        job = jobs[jid.split(".")[0]]
        if "." not in jid:
            job.update(elapsed=seconds(elapsed), req=req, limit=limit, cpus=cpus)
        job["rss"] = max(job.get("rss", 0.0), megabytes(rss))
    per_rule: dict[str, list] = defaultdict(list)
    for jid, job in jobs.items():
        if jid in rule_of and "elapsed" in job:
            per_rule[rule_of[jid]].append(job)
    print(
        f"{'rule':24s} {'jobs':>4s} {'max s':>6s} {'limit':>9s} {'peak MB':>8s} {'mem req':>8s} cpus"
    )
    for rule, js in sorted(per_rule.items()):
        print(
            f"{rule:24s} {len(js):4d} {max(j['elapsed'] for j in js):6d} {js[0]['limit']:>9s} "
            f"{max(j['rss'] for j in js):8.0f} {js[0]['req']:>8s} {js[0]['cpus']}"
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
