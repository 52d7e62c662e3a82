"""Change one thing, rerun only that (issue: narrow rule params).

After a complete CI-scale build, each config edit below is applied as an extra config file and
``snakemake -n`` must schedule exactly the expected jobs: nothing at all for operational knobs
(progress and checkpoint intervals, threads, runtime, chunk sizes that cannot change a result),
and only the new jobs plus what consumes them for additions.
"""

import re
import subprocess

import pytest
import yaml
from conftest import SNAKEMAKE

CLAIMS = {"claims": 1, "claims_table": 1, "claims_fig": 1, "all": 1}
CI_RUNS = [{"n_h": 2, "eta": 0.1}, {"n_h": 2, "eta": 1.0}, {"n_h": 18, "eta": 0.1}]
CI_PARAMS = ["w1_1_1", "w1_1_2", "w1_2_1", "w1_2_2", "b1_1", "b1_2", "w2_1_1", "w2_1_2", "b2_1"]

NOTHING = {
    "progress_seconds": {"progress_seconds": 997},
    "perturbation.threads": {"perturbation": {"threads": 2}},
    "perturbation.runtime": {"perturbation": {"runtime": 77}},
    "entropy.runtime": {"entropy": {"runtime": 9}},
    "entropy.checkpoint_seconds": {"entropy": {"checkpoint_seconds": 99}},
    "landscape.trajectories.max_chunk": {"landscape": {"trajectories": {"max_chunk": 1000}}},
    # the same runs with the keys of each mapping in another order
    "key order": {"training": {"runs": [{"eta": r["eta"], "n_h": r["n_h"]} for r in CI_RUNS]}},
    # the same gate by truth-table column: config canonicalises it to the name (xornet.gates)
    "gate xor as its column": {"gate": [0, 1, 1, 0]},
}

ADDS = {
    "add a training run": (
        {"training": {"runs": [*CI_RUNS, {"n_h": 2, "eta": 0.5}]}},
        {"train_run": 1, "powerlaw_fits": 1, "fig2": 1, **CLAIMS}),
    "add an n_h to entropy": (
        {"entropy": {"n_h": [1, 2, 18, 3]}},
        {"entropy_run": 2, "entropy_simple": 1, "entropy_merge": 1, "entropy_analysis": 1,
         "fig8": 1, "fig8_R_sensitivity": 1, "fig8_checks": 1, "fig8_barriers": 1,
         "fig8_barriers_table": 1, "fig8_inflection": 1, "fig8_inflection_table": 1,
         "census_barriers": 1, **CLAIMS}),  # the census barriers sit beside Fig. 8's valleys
    "add a trajectory start": (
        {"landscape": {"trajectories": {"extra_starts": [{"panel": "a", "dx": 1.0, "dy": 2.0}]}}},
        {"landscape_trajectory": 1, "landscape_trajectories": 1, "fig6": 1, "landscape_all": 1,
         "trajectories_table": 1, **CLAIMS}),
    # the CI build has all nine parameters, so the list edit is a removal: no parameter job
    # may rerun (none reads the list), only the merge and what consumes it
    "drop a perturbation parameter": (
        {"perturbation": {"params": CI_PARAMS[:-1]}},
        {"perturb_merge": 1, "fig5": 1, "fig5_plateaus": 1, **CLAIMS}),
    "change training.n_epochs": (
        {"training": {"n_epochs": 200000}},
        {"train_run": 3, "powerlaw_fits": 1, "fig2": 1, "fig3": 1, "fig4": 1, "solutions": 1,
         "table2": 1, **CLAIMS}),
}


def scheduled(wd, edit: dict, tmp_path) -> dict[str, int]:
    """Jobs per rule that ``snakemake -n`` schedules with ``edit`` merged over the CI config."""
    f = tmp_path / "edit.yaml"
    f.write_text(yaml.safe_dump(edit))
    out = subprocess.run([*SNAKEMAKE, "-n", "--quiet", "rules", "--configfile", "config/ci.yaml",
                          str(f)], cwd=wd, capture_output=True, text=True, timeout=600,
                         stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    text = out.stdout + out.stderr
    if "Nothing to be done" in text:
        return {}
    block = text.split("Job stats:", 1)[1]
    jobs = {}
    for line in block.splitlines()[3:]:
        m = re.fullmatch(r"(\w+)\s+(\d+)", line.strip())
        if not m or m.group(1) == "total":
            break
        jobs[m.group(1)] = int(m.group(2))
    return jobs


@pytest.mark.slow
@pytest.mark.parametrize("name", list(NOTHING))
def test_operational_edit_reruns_nothing(ci_workflow, tmp_path, name):
    assert scheduled(ci_workflow, NOTHING[name], tmp_path) == {}


@pytest.mark.slow
def test_unrelated_config_yaml_edit_keeps_the_scorecard(ci_workflow, tmp_path):
    """The scorecard reads config.yaml's size keys as the paper-scale reference; a change of
    another key there (here the number of extra initializations, which only lr_window_inits
    reads) reruns that job and its consumers, not the scorecard's other inputs."""
    edit = {"lr_window": {"inits": {"n": 5}}}
    assert scheduled(ci_workflow, edit, tmp_path) == {"lr_window_inits": 1, "lr_window_report": 1,
                                                      "all": 1}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ADDS))
def test_edit_schedules_only_new_jobs_and_consumers(ci_workflow, tmp_path, name):
    edit, expected = ADDS[name]
    assert scheduled(ci_workflow, edit, tmp_path) == expected
