"""Rule lr_window_report: the learning-rate window as a table and a figure."""
import pandas as pd

from xornet import io
from xornet.plots import tables, training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "lr_window_report")
start(snakemake, "lr_window_report")
rows, prov = io.read_parquet(snakemake.input[0])
s = prov["extra"]
w = s.get("window") or [float("nan"), float("nan")]
lo, hi = s.get("low_bracket"), s.get("high_bracket")
summary = pd.DataFrame([
    {"edge": "lower", "paper": 0.002, "ours": w[0],
     "bracket": f"[{lo[0]:.5g}, {lo[1]:.5g}]" if lo else "below the scanned range",
     "resolution": (lo[1] - lo[0]) if lo else float("nan")},
    {"edge": "upper", "paper": 17.484, "ours": w[1],
     "bracket": f"[{hi[0]:.5g}, {hi[1]:.5g}]" if hi else "above the scanned range",
     "resolution": (hi[1] - hi[0]) if hi else float("nan")},
])
notes = [f"Converged = full-batch loss < {s['threshold']} within {s['max_epochs']} epochs; same start "
         "and batch stream for every eta.",
         "ours = outermost converging learning rate found; the true edge lies in the bracket "
         "(failing, converging).",
         f"Scan: {s['n_scan']} log-spaced values in [{s['eta_min_scanned']}, {s['eta_max_scanned']}]; "
         f"{s['transitions_in_scan']} change(s) between converging and failing along the scan"
         + (" (non-monotonic: see the figure)" if s["transitions_in_scan"] > 2 else "") + "."]
text = tables.to_markdown(summary, digits=4, title="Learning-rate window of convergence (Sec. III.A)", notes=notes)
text += "\n" + tables.to_markdown(rows.sort_values("eta")[["eta", "converged", "epochs", "final_full_loss", "diverged", "phase"]],
                                  digits=4, title="All runs")
tables.write(text, snakemake.output.md)
training.lr_window(rows, s, snakemake.output.pdf)
