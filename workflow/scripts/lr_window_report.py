"""Rule lr_window_report: the learning-rate windows (both batch modes) as a table and a figure."""
import pandas as pd

from xornet import io
from xornet import paper as P
from xornet.plots import tables, training
from xornet.workflow import snakemake_or_mock, start

snakemake = snakemake_or_mock(globals(), "lr_window_report")
start(snakemake, "lr_window_report")
PAPER = P.ETA_WINDOW
windows, summary_rows, notes = [], [], []
for path in snakemake.input.windows:
    rows, prov = io.read_parquet(path)
    s = prov["extra"]
    windows.append((rows, s))
    w = s.get("window") or [float("nan"), float("nan")]
    for k, (edge, br) in enumerate((("lower", s.get("low_bracket")), ("upper", s.get("high_bracket")))):
        summary_rows.append({
            "batch": s["batch"], "edge": edge, "paper": PAPER[k], "ours": w[k],
            "bracket (fails, converges)": f"[{br[0]:.5g}, {br[1]:.5g}]" if br else "outside the scanned range",
            "resolution": (br[1] - br[0]) if br else float("nan"),
            "sign changes in scan": s["transitions_in_scan"]})
    notes.append(f"{s['batch']}: {s['n_scan']} log-spaced eta in [{s['eta_min_scanned']}, "
                 f"{s['eta_max_scanned']}], then bisection; converged = full-batch loss < "
                 f"{s['threshold']} within {s['max_epochs']} epochs; same start and batch stream for every eta.")
inits = io.read_frame(snakemake.input.inits)
frac = (inits.groupby(["batch", "eta"])["converged"].mean().unstack("batch").reset_index())
n_init = inits["init"].nunique()
notes.append(f"Robustness: fraction of {n_init} other random initializations (v_k = 0.1 r_k) that converge, "
             "per eta and batch mode, in the second table and panel (b) of the figure.")
text = tables.to_markdown(pd.DataFrame(summary_rows), digits=4,
                          title=f"Learning-rate window of convergence (Sec. III.A; paper: [{PAPER[0]}, {PAPER[1]}])",
                          notes=notes)
text += "\n" + tables.to_markdown(frac, digits=3, title=f"Fraction of {n_init} initializations converging")
for rows, s in windows:
    text += "\n" + tables.to_markdown(rows.sort_values("eta")[["eta", "converged", "epochs", "final_full_loss",
                                                              "diverged", "phase"]],
                                      digits=4, title=f"All runs, {s['batch']} batch")
tables.write(text, snakemake.output.md)
training.lr_window(windows, inits, snakemake.output.pdf, paper=PAPER)
