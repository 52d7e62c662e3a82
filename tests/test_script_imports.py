"""Plotting and table jobs start fast: their scripts never import numba (issue: small jobs stay
cheap). Each figure/table script's imports plus ``workflow.start`` run in a fresh interpreter."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "workflow" / "scripts"
#: scripts of rules that only render figures or tables from saved data
RENDERING = sorted(p for p in SCRIPTS.glob("*.py")
                   if re.match(r"(fig\d|table\d|.*_table$|.*_report$|.*_fig$|landscape_all$)", p.stem))


def test_rendering_scripts_found():
    names = {p.stem for p in RENDERING}
    assert {"fig2", "fig5", "fig6", "fig8", "table1", "table2", "fig5_plateaus", "claims_table"} <= names


@pytest.mark.parametrize("script", RENDERING, ids=lambda p: p.stem)
def test_rendering_script_does_not_import_numba(script):
    imports = [ln for ln in script.read_text().splitlines()
               if ln.startswith(("from xornet", "import xornet"))]
    code = "\n".join(["import sys", f"sys.path.insert(0, {str(ROOT / 'src')!r})", *imports,
                      "from xornet.workflow import start",
                      "class S:\n    threads = 2\n    log = []",
                      "start(S(), 'probe')",
                      "print('numba' in sys.modules)"])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False", f"{script.name} imports numba"


def test_start_freezes_the_finished_job_out_of_the_exit_collection(tmp_path):
    """``start`` registers (once) an exit hook that freezes the objects the job made, so the
    interpreter's exit skips scanning them; logging still flushes the rule's log afterwards."""
    log = tmp_path / "job.log"
    code = "\n".join([
        "import atexit, gc, sys",
        f"sys.path.insert(0, {str(ROOT / 'src')!r})",
        "from xornet import workflow",
        f"class S:\n    threads = 1\n    log = [{str(log)!r}]",
        "n0 = atexit._ncallbacks()",
        "lg = workflow.start(S(), 'probe')",
        "workflow.start(S(), 'probe')",
        "assert atexit._ncallbacks() == n0 + 1, (n0, atexit._ncallbacks())",
        "assert gc.get_freeze_count() == 0",
        "workflow._freeze_at_exit()",
        "n = gc.get_freeze_count()",
        "gc.unfreeze()",
        "print(n)",
        "lg.info('last record before exit')",
    ])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.strip().splitlines()[-1]) > 1000
    assert log.read_text().strip().endswith("last record before exit")
