"""Documented schemas of every Parquet dataset the pipeline writes.

Each entry: a description, the fixed ``columns`` (name -> (dtype kind, meaning)) and
optional ``patterns`` (regex -> (dtype kind, meaning)) for families of columns whose number
depends on n_h (parameters, activations). dtype kinds: ``i`` integer, ``f`` float,
``b`` bool, ``O`` string. ``docs/schemas.md`` is generated from this table
(``python -m xornet.schemas``), so the documentation cannot drift from the checks.
"""

from __future__ import annotations

import re

PARAM_PATTERNS = {
    r"^w1_\d+_[12]$": ("f", "weight w_ij^(1), input j -> hidden neuron i"),
    r"^b1_\d+$": ("f", "bias b_i^(1) of hidden neuron i"),
    r"^w2_1_\d+$": ("f", "weight w_1i^(2), hidden neuron i -> output"),
    r"^b2_1$": ("f", "bias b_1^(2) of the output neuron"),
}

ACT_PATTERNS = {
    r"^a1_\d+_c[0-3]$": ("f", "hidden activation a_i^(1) for case m (c0..c3 = Table I rows)"),
    r"^a2_1_c[0-3]$": ("f", "output activation a_1^(2) = yhat for case m"),
}

SCHEMAS: dict[str, dict] = {
    "truth_table": {
        "description": "Table I: the XOR truth table.",
        "columns": {
            "x1": ("i", "input x_1"),
            "x2": ("i", "input x_2"),
            "y": ("i", "target output y = x_1 XOR x_2"),
        },
    },
    "training_run": {
        "description": "One gradient-descent run recorded at log-spaced epochs (Figs. 2-4).",
        "columns": {
            "epoch": ("i", "epoch tau (0 = initial parameters)"),
            "batch_loss": ("f", "loss (Eq. 4) of the batch used at this epoch (randomized or not)"),
            "full_loss": ("f", "nonrandomized full-batch loss (Eq. 4) at this epoch"),
            "status": ("O", "running | diverged (non-finite loss) at this record"),
        },
        "patterns": {**PARAM_PATTERNS, **ACT_PATTERNS},
    },
    "powerlaw_fits": {
        "description": "Fits L(tau) ~ tau^-gamma (Eq. 7) on the long-time tail of each run of Fig. 2.",
        "columns": {
            "run": ("O", "run label"),
            "n_h": ("i", "hidden neurons"),
            "eta": ("f", "learning rate"),
            "tau_conv": ("f", "first epoch with full-batch loss < threshold (NaN: never)"),
            "tau_min": ("f", "fit window start (epoch)"),
            "tau_max": ("f", "fit window end (epoch)"),
            "gamma": ("f", "fitted exponent gamma (full-batch loss)"),
            "gamma_err": ("f", "standard error of gamma (least squares on log-log)"),
            "n_points": ("i", "record points in the window"),
            "gamma_eff_30": ("f", "running exponent gamma_eff at tau = 30 tau_conv (compares learning rates at the same stage)"),
            "final_full_loss": ("f", "full-batch loss at the last epoch"),
            "converged": ("b", "full-batch loss < threshold at the last epoch"),
        },
    },
    "gamma_eff": {
        "description": "Running exponent gamma_eff(tau) = -d ln L / d ln tau of each Fig. 2 run.",
        "columns": {
            "run": ("O", "run label"),
            "n_h": ("i", "hidden neurons"),
            "eta": ("f", "learning rate"),
            "epoch": ("i", "record epoch"),
            "gamma_eff": ("f", "local log-log slope of the full-batch loss (NaN where undefined)"),
        },
    },
    "lr_window": {
        "description": "Convergence of the Fig. 2 initialization vs learning rate (scan + bisection).",
        "columns": {
            "eta": ("f", "learning rate"),
            "converged": ("b", "full-batch loss below the threshold within the epoch cap"),
            "epochs": ("i", "epoch at which it converged, or the cap"),
            "final_full_loss": ("f", "full-batch loss at the end"),
            "diverged": ("b", "loss became non-finite"),
            "phase": ("O", "scan | bisect_low | bisect_high"),
        },
    },
    "lr_window_inits": {
        "description": "Convergence vs learning rate from many random initializations (robustness of the window).",
        "columns": {
            "init": ("i", "initialization index k (v_k = 0.1 r_k, independent r and batch stream)"),
            "eta": ("f", "learning rate"),
            "converged": ("b", "full-batch loss below the threshold within the epoch cap"),
            "epochs": ("i", "epoch at which it converged, or the cap"),
            "final_full_loss": ("f", "full-batch loss at the end"),
            "diverged": ("b", "loss became non-finite"),
            "batch": ("O", "randomized | full"),
        },
    },
    "solutions": {
        "description": "Table II: solutions #1-#5 (ours and the paper's printed sets).",
        "columns": {
            "source": ("O", "ours | paper"),
            "label": ("O", "#1 .. #5"),
            "method": ("O", "how it was found (gd eta=0.1 / zero-T MC seed k / printed)"),
            "full_loss": ("f", "full-batch loss (Eq. 4)"),
            "yhat_c0": ("f", "output for case (0,0)"),
            "yhat_c1": ("f", "output for case (0,1)"),
            "yhat_c2": ("f", "output for case (1,0)"),
            "yhat_c3": ("f", "output for case (1,1)"),
            "is_solution": ("b", "every output on the right side of 0.5 and loss < threshold"),
            "logic": ("O", "Boolean function of each hidden neuron (symmetry class)"),
        },
        "patterns": PARAM_PATTERNS,
    },
    "optimizer_compare": {
        "description": "GD vs Adam vs zero-T MC from the same start (Sec. III.B): loss and parameters.",
        "columns": {
            "optimizer": ("O", "gd | adam | mc"),
            "epoch": ("i", "epoch (MC: sweep of P single-parameter proposals)"),
            "full_loss": ("f", "full-batch loss"),
        },
        "patterns": PARAM_PATTERNS,
    },
    "separation_order": {
        "description": "Order in which parameters leave their initial values, per optimizer (Fig. 3).",
        "columns": {
            "optimizer": ("O", "gd | adam | mc"),
            "param": ("O", "parameter name"),
            "separation_epoch": ("f", "first epoch with |v - v(0)| > threshold (NaN: never)"),
            "rank": ("i", "1 = first to separate"),
        },
    },
    "perturb_points": {
        "description": "Fig. 5: tau_conv per (parameter, Delta) after shifting one parameter of solution #1 "
        "(xornet.perturb: definition of the tested averages).",
        "columns": {
            "param": ("O", "shifted parameter (xornet.model.param_names)"),
            "delta": ("f", "shift Delta added to the reference value"),
            "phase": ("O", "grid | bisect (plateau-edge bisection point)"),
            "tau_conv": ("i", "first epoch with replica-mean batch loss and replica-mean full-batch loss "
                              "< threshold; the cap if not converged"),
            "converged": ("b", "tau_conv reached within the cap (False: tau_conv column holds the cap)"),
            "epochs_run": ("i", "last epoch evaluated for this point"),
            "n_replicas": ("i", "replicas R"),
            "n_replicas_converged": ("i", "replicas whose own full-batch loss fell below threshold"),
            "n_replicas_diverged": ("i", "replicas with a non-finite loss"),
            "frac_same_class": ("f", "of converged replicas: fraction in the symmetry class of #1 "
                                     "(hidden_logic); NaN if none converged"),
            "initial_full_loss": ("f", "full-batch loss of the shifted start"),
            "median_replica_epoch": ("f", "median per-replica convergence epoch (cap if not converged)"),
            "median_ci_low": ("f", "bootstrap CI low of the median"),
            "median_ci_high": ("f", "bootstrap CI high of the median"),
            "mean_replica_epoch": ("f", "mean per-replica convergence epoch (censored at the cap)"),
            "mean_ci_low": ("f", "bootstrap CI low of the mean"),
            "mean_ci_high": ("f", "bootstrap CI high of the mean"),
        },
    },
    "perturb_replicas": {
        "description": "Fig. 5: per-replica convergence epochs behind perturb_points.",
        "columns": {
            "param": ("O", "shifted parameter"),
            "delta": ("f", "shift Delta"),
            "phase": ("O", "grid | bisect"),
            "replica": ("i", "replica index (its batch stream: xornet.perturb.stream_label)"),
            "conv_epoch": ("i", "first epoch with its own full-batch loss < threshold (cap if never)"),
            "converged": ("b", "reached the threshold within the cap"),
            "same_class": ("b", "final network in the symmetry class of #1 (hidden_logic)"),
        },
    },
    "perturb_plateaus": {
        "description": "Fig. 5: plateau around Delta = 0 where tau_conv equals tau_conv(0), edges by bisection.",
        "columns": {
            "param": ("O", "shifted parameter"),
            "tau0": ("i", "tau_conv at Delta = 0"),
            "resolution": ("f", "bisection stops when the bracket is at most this wide"),
            "lower_in": ("f", "most negative Delta found on the plateau"),
            "lower_out": ("f", "Delta just beyond the lower edge (NaN: plateau reaches the grid end)"),
            "upper_in": ("f", "largest Delta found on the plateau"),
            "upper_out": ("f", "Delta just beyond the upper edge (NaN: plateau reaches the grid end)"),
            "lower_open": ("b", "no lower edge within the grid"),
            "upper_open": ("b", "no upper edge within the grid"),
            "bisection_steps": ("i", "bisection rounds (two points per round: both edges)"),
        },
    },
    # --- Sec. III.D, Fig. 8: density of loss and microcanonical entropy (xornet.entropy)
    "entropy_simple": {
        "description": "Simple sampling of g(L): loss histogram of uniform draws from [-R, R]^P (Fig. 8 check).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "R": ("f", "half-width of the parameter box"),
            "bin": ("i", "loss bin index (0 .. n_bins-1)"),
            "L_lo": ("f", "lower bin edge"),
            "L_hi": ("f", "upper bin edge"),
            "counts": ("i", "draws with loss in the bin"),
            "n_draws": ("i", "total draws"),
            "S": ("f", "ln g = ln(counts / (n_draws * bin width)); NaN if empty"),
            "S_err": ("f", "Poisson error of S, 1/sqrt(counts)"),
        },
    },
    "entropy_gates": {
        "description": "S(L) of other two-input gates beside XOR (issue 10; supplementary figure "
                       "gates_entropy): one WL + multicanonical run per (gate, n_h), Fig. 8's "
                       "box and bins.",
        "columns": {
            "gate": ("O", "gate learned (xornet.gates name)"),
            "n_h": ("i", "hidden neurons"),
            "bin": ("i", "loss bin index"),
            "L_lo": ("f", "lower bin edge"),
            "L_hi": ("f", "upper bin edge"),
            "visited": ("b", "bin visited during Wang-Landau"),
            "S": ("f", "ln g, normalised to integral 1 (NaN if not visited)"),
            "S_err": ("f", "jackknife error of S over the production blocks"),
        },
    },
    "entropy_run": {
        "description": "One Wang-Landau (1/t) + multicanonical run for (n_h, R, run) (Fig. 8).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "R": ("f", "half-width of the parameter box"),
            "run": ("i", "independent run index"),
            "bin": ("i", "loss bin index"),
            "L_lo": ("f", "lower bin edge"),
            "L_hi": ("f", "upper bin edge"),
            "visited": ("b", "bin visited during Wang-Landau"),
            "lng_wl": ("f", "Wang-Landau ln g (unnormalised; frozen multicanonical weight -ln W)"),
            "H_muca": ("i", "multicanonical production histogram"),
            "S_wl": ("f", "normalised Wang-Landau estimate of ln g (NaN if not visited)"),
            "S": ("f", "final ln g = lng_wl + ln H_muca, normalised to integral 1 (NaN if H = 0)"),
            "S_err": ("f", "jackknife error of S over the production blocks"),
        },
    },
    "entropy": {
        "description": "Merged S(L) per (n_h, R): mean of the runs with error band, and the simple-sampling check.",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "R": ("f", "half-width of the parameter box"),
            "bin": ("i", "loss bin index"),
            "L": ("f", "bin centre"),
            "S": ("f", "mean over runs of the normalised ln g (NaN unless every run has it)"),
            "S_err": ("f", "error of S: sqrt(sum of the runs' jackknife variances) / n_runs, times the Birge factor "
                      "sqrt(max(1, runs_chi2_per_bin)) of the run-vs-run check"),
            "n_runs": ("i", "independent runs merged"),
            "S_ss": ("f", "simple-sampling ln g"),
            "S_ss_err": ("f", "Poisson error of S_ss"),
            "counts_ss": ("i", "simple-sampling counts in the bin"),
            "checked": ("b", "bin enters the check (counts_ss >= check_min_counts)"),
            "z": ("f", "(S - S_ss) / combined error, NaN if not checked"),
        },
    },
    "entropy_derivatives": {
        "description": "Smoothed S(L), beta = dS/dL, gamma = d beta/dL and the concave hull per n_h.",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "L": ("f", "bin centre"),
            "S": ("f", "merged S (unsmoothed)"),
            "S_err": ("f", "error band of S"),
            "S_smooth": ("f", "Savitzky-Golay smoothed S"),
            "beta": ("f", "dS/dL of the smoothed S"),
            "gamma": ("f", "d beta / dL of the smoothed S"),
            "hull": ("f", "concave hull of S at L"),
        },
    },
    "entropy_inflection": {
        "description": "Least-sensitive inflection points (peaks of gamma) per n_h (Qi & Bachmann 2018).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "L": ("f", "loss at the peak of gamma"),
            "beta": ("f", "beta there"),
            "gamma": ("f", "gamma there (> 0: convex region, first-order-like)"),
            "S_smooth": ("f", "smoothed S there"),
            "prominence": ("f", "prominence of the gamma peak"),
            "kind": ("O", "first-order-like | second-order-like"),
        },
    },
    "entropy_intruders": {
        "description": "Convex intruders of S(L) (gaps to its concave hull) per n_h: entropic barriers.",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "L_left": ("f", "left hull vertex"),
            "L_right": ("f", "right hull vertex"),
            "L_max": ("f", "loss of the largest gap"),
            "depth": ("f", "largest gap hull - S (barrier height in units of ln g)"),
            "depth_err": ("f", "error of S at L_max (NaN: unknown)"),
            "width": ("f", "L_right - L_left"),
            "region": ("O", "quarter of the loss axis holding L_max"),
            "significant": ("b", "depth >= min_depth and >= nsigma * depth_err (False if depth_err is NaN)"),
        },
    },
    "entropy_minor_peaks": {
        "description": "Minor peaks of S(L) away from L = 0, 1/4, 1/2, 3/4, 1 per n_h, with their prominence (barrier depth).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "L": ("f", "loss at the local maximum of S"),
            "S": ("f", "S there"),
            "prominence": ("f", "height above the higher of its two separating minima (ln g units)"),
            "prominence_err": ("f", "sqrt(2) * error of S at the peak"),
            "region": ("O", "quarter of the loss axis"),
            "significant": ("b", "prominence >= min_depth and >= nsigma * prominence_err (False if NaN)"),
        },
    },
    "landscape_grid": {
        "description": "Fig. 6: nonrandomized full-batch loss (Eq. 4) on cross-sections through "
                       "solution #1 (two parameters shifted by (dx, dy), the rest at the optimum). "
                       "Long format, one row per grid point; pair (x, y) in parameter order.",
        "columns": {
            "x": ("O", "parameter varied along the horizontal axis (stored pairs: x before y)"),
            "y": ("O", "parameter varied along the vertical axis"),
            "i": ("i", "grid index along x (0 .. n_points-1)"),
            "j": ("i", "grid index along y"),
            "dx": ("f", "deviation Delta x from the optimum"),
            "dy": ("f", "deviation Delta y from the optimum"),
            "loss": ("f", "full-batch loss at (dx, dy)"),
        },
    },
    "landscape_features": {
        "description": "Shape features of every cross-section and the Fig. 6 panel choice "
                       "(xornet.landscape.grid_features / select_panels).",
        "columns": {
            "x": ("O", "first parameter of the stored pair"),
            "y": ("O", "second parameter"),
            "centre_loss": ("f", "loss at Delta = (0, 0): the reference optimum"),
            "min_loss": ("f", "lowest loss on the grid"),
            "max_loss": ("f", "highest loss on the grid"),
            "well_area": ("f", "area (Delta^2) of the region L < 0.125 containing the origin"),
            "well_isolated": ("b", "that region does not reach the window edge (an isolated well)"),
            "well_inscribed": ("f", "radius (Delta) of the largest disc inside that region"),
            "well_offset": ("f", "distance origin -> region centroid / equivalent radius"),
            "well_disk_frac": ("f", "share of the disc of radius `disk` about the origin inside it"),
            "well_frac": ("f", "area fraction with L < 0.125 (dark blue)"),
            "turquoise_frac": ("f", "area fraction with 0.125 <= L < 0.375"),
            "yellow_frac": ("f", "area fraction with 0.375 <= L < 0.625"),
            "red_frac": ("f", "area fraction with L >= 0.625 (red rims)"),
            "trench_025": ("f", "area fraction of trench bottoms at the 0.25 level joined to the well"),
            "trench_0": ("f", "area fraction of trench bottoms below 0.125"),
            "panel": ("O", "Fig. 6 panel letter a-f, or empty"),
            "rule": ("O", "why this grid is that panel (named in the text / selection rule)"),
            "panel_x": ("O", "parameter on the panel's horizontal axis"),
            "panel_y": ("O", "parameter on the panel's vertical axis"),
        },
    },
    "landscape_trajectory": {
        "description": "Fig. 6 trajectories: steepest descent (nonrandomized batch) on two "
                       "parameters, the rest at the optimum, at log-spaced epochs.",
        "columns": {
            "label": ("O", "trajectory label (panel:dx,dy)"),
            "x": ("O", "free parameter on the horizontal axis"),
            "y": ("O", "free parameter on the vertical axis"),
            "epoch": ("i", "epoch tau"),
            "dx": ("f", "deviation of x from the optimum"),
            "dy": ("f", "deviation of y from the optimum"),
            "loss": ("f", "full-batch loss"),
            "status": ("O", "running | converged | stuck | diverged (final row: the outcome)"),
        },
    },
    "landscape_trajectory_summary": {
        "description": "Outcome of each Fig. 6 trajectory beside the paper's description.",
        "columns": {
            "label": ("O", "trajectory label"),
            "panel": ("O", "Fig. 6 panel (empty for extra starts off the named panels)"),
            "x": ("O", "horizontal parameter"),
            "y": ("O", "vertical parameter"),
            "eta": ("f", "learning rate"),
            "dx0": ("f", "start Delta x"),
            "dy0": ("f", "start Delta y"),
            "start_loss": ("f", "loss at the start"),
            "epochs": ("i", "epochs run"),
            "final_loss": ("f", "loss at the end"),
            "dx_end": ("f", "end Delta x"),
            "dy_end": ("f", "end Delta y"),
            "min_loss": ("f", "lowest recorded loss"),
            "grad_norm": ("f", "|gradient| on the two free parameters at the end"),
            "outside_window": ("b", "the end point lies outside the plotted window"),
            "level": ("O", "nearest loss level (0, 0.25, 0.5, 0.75, 1) at the end"),
            "levels_visited": ("O", "levels held for >= 2 consecutive records, in order"),
            "outcome": ("O", "converged | stuck | running | diverged"),
            "paper_outcome": ("O", "converged | stuck per the paper's text (empty: no description)"),
            "paper_start_loss": ("f", "start loss quoted by the paper"),
            "paper_loss": ("f", "loss level at which the paper's path ends"),
            "paper_text": ("O", "the paper's description, paraphrased"),
            "agrees": ("b", "same outcome as the paper (and same level if not converged)"),
        },
    },
    "landscape_randomized": {
        "description": "Fig. 7: randomized-batch scans of one cross-section (each point its own "
                       "stream of batches of four cases drawn with replacement).",
        "columns": {
            "i": ("i", "grid index along x"),
            "j": ("i", "grid index along y"),
            "dx": ("f", "deviation Delta x"),
            "dy": ("f", "deviation Delta y"),
            "loss_one": ("f", "loss of one randomized batch (a single scan, Fig. 7(a))"),
            "loss_mean": ("f", "average over n_scans scans (Fig. 7(b))"),
            "loss_full": ("f", "nonrandomized full-batch loss (Fig. 6(a))"),
        },
    },
    "landscape_rms": {
        "description": "Fig. 7(c): RMS over the grid of (average of k scans - nonrandomized loss).",
        "columns": {
            "k": ("i", "number of scans averaged"),
            "rms": ("f", "RMS deviation over the grid"),
            "rms_expected": ("f", "sqrt(<Var>/k), Var = variance of one randomized-batch loss"),
        },
    },
    # --- stationary-point census (beyond the paper; xornet.census, docs/census.md)
    "census_minima": {
        "description": "Census: distinct minima of E = L + lam|v|^2 (L of Eq. 4, L2 on every "
                       "parameter) for one (n_h, lam), up to hidden-neuron permutations and "
                       "x1 <-> x2; numbered by energy (0 = global minimum).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient lambda"),
            "id": ("i", "minimum number (by energy)"),
            "energy": ("f", "E = L + lam |v|^2"),
            "loss": ("f", "L (Eq. 4) at the minimum"),
            "index": ("i", "Hessian index (eigenvalues < -1e-9): 0 for every minimum"),
            "min_eig": ("f", "lowest Hessian eigenvalue of E"),
            "grad_rms": ("f", "RMS gradient of E (Newton-polished)"),
            "solves": ("b", "every output on the right side of 0.5"),
            "misclassified": ("O", "cases of Table I on the wrong side, ';'-separated"),
            "source": ("O", "seed (v = 0) | bh (basin-hopping) | connect (found from a TS)"),
            "found_step": ("i", "basin-hopping step of first discovery (-1: connect)"),
            "component": ("i", "component of the TS graph (label)"),
            "connected": ("b", "joined to the global minimum by a TS path"),
            "col_energy": ("f", "highest TS on the lowest path to a solving minimum (NaN: none)"),
            "barrier": ("f", "col_energy - energy: barrier to the solution funnel"),
            "col_ts": ("i", "TS at the col (-1: none or the minimum solves)"),
        },
        "patterns": {**PARAM_PATTERNS, r"^a2_1_c[0-3]$": ACT_PATTERNS[r"^a2_1_c[0-3]$"]},
    },
    "census_ts": {
        "description": "Census: distinct transition states (index-1 saddles) with the two "
                       "minima their steepest-descent paths reach.",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient"),
            "id": ("i", "TS number (by energy)"),
            "energy": ("f", "E at the TS"),
            "loss": ("f", "L at the TS"),
            "index": ("i", "Hessian index: 1 for every TS"),
            "neg_eig": ("f", "the negative Hessian eigenvalue"),
            "second_eig": ("f", "second-lowest eigenvalue (> 0)"),
            "grad_rms": ("f", "RMS gradient of E"),
            "min1": ("i", "minimum id at one end (min1 <= min2)"),
            "min2": ("i", "minimum id at the other end"),
        },
        "patterns": {**PARAM_PATTERNS, r"^a2_1_c[0-3]$": ACT_PATTERNS[r"^a2_1_c[0-3]$"]},
    },
    "census_edges": {
        "description": "Census: the TS graph, one edge per TS, with the barriers from both ends.",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient"),
            "ts": ("i", "TS id"),
            "min_a": ("i", "minimum id (lower id)"),
            "min_b": ("i", "minimum id (higher id)"),
            "energy_ts": ("f", "E at the TS"),
            "barrier_a": ("f", "E_ts - E_a"),
            "barrier_b": ("f", "E_ts - E_b"),
            "self_loop": ("b", "both ends the same minimum (degenerate rearrangement)"),
        },
    },
    "census_progress": {
        "description": "Census: distinct minima found vs basin-hopping step (saturation).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient"),
            "step": ("i", "basin-hopping step"),
            "n_minima": ("i", "distinct minima known after this step"),
        },
    },
    "census_summary": {
        "description": "Census counts per (n_h, lam).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient"),
            "n_minima": ("i", "distinct minima"),
            "n_minima_bh": ("i", "of which found by basin-hopping (incl. v = 0)"),
            "n_ts": ("i", "distinct transition states"),
            "n_ts_edges": ("i", "of which join two different minima"),
            "ts_per_minimum": ("f", "n_ts / n_minima"),
            "n_solution_minima": ("i", "minima that solve XOR"),
            "n_unconnected": ("i", "minima without a TS path to the global minimum"),
            "bh_steps": ("i", "basin-hopping steps run"),
            "saturated": ("b", "stopped because no new minimum in the last fifth of the steps"),
            "attempts": ("i", "double-ended connection attempts"),
            "lowest_energy": ("f", "E of the global minimum"),
            "lowest_nonsolution_loss": ("f", "lowest L of a minimum that does not solve XOR"),
            "max_barrier": ("f", "highest barrier to the solution funnel over non-solution minima"),
            "median_barrier": ("f", "median of those barriers"),
            "n_no_path": ("i", "non-solution minima without a TS path to a solving minimum"),
        },
    },
    "census_barriers": {
        "description": "Census: every non-solution minimum with its barrier to the solution funnel.",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient"),
            "id": ("i", "minimum id"),
            "energy": ("f", "E at the minimum"),
            "loss": ("f", "L at the minimum"),
            "misclassified": ("O", "misclassified cases"),
            "col_energy": ("f", "col on the lowest path to a solving minimum (NaN: no path)"),
            "barrier": ("f", "col_energy - energy"),
            "connected": ("b", "joined to the global minimum"),
        },
    },
    "census_lowest": {
        "description": "Census: the lowest minima per (n_h, lam) (figures/census_minima.md).",
        "columns": {
            "n_h": ("i", "hidden neurons"),
            "lam": ("f", "L2 coefficient"),
            "id": ("i", "minimum id (rank by energy)"),
            "energy": ("f", "E"),
            "loss": ("f", "L"),
            "index": ("i", "Hessian index (0)"),
            "solves": ("b", "solves XOR"),
            "misclassified": ("O", "misclassified cases"),
        },
        "patterns": {r"^a2_1_c[0-3]$": ACT_PATTERNS[r"^a2_1_c[0-3]$"]},
    },
    "census_embedding": {
        "description": "Mehta et al.'s embedding statement: N_h stationary points (re-converged "
                       "for each regularisation) padded with a zero node, checked at N_h + 1.",
        "columns": {
            "variant": ("O", "none (lam = 0) | weights (L2 on weights only) | all (L2 on all)"),
            "n_h": ("i", "N_h of the original point"),
            "kind": ("O", "minimum | ts | origin (v = 0)"),
            "point": ("i", "census id of the starting point (-1: origin)"),
            "lam": ("f", "L2 coefficient of the census the points come from"),
            "found": ("b", "a stationary point of this variant was found near the census point"),
            "index_nh": ("i", "Hessian index at N_h (-1: not found)"),
            "grad_nh": ("f", "max |gradient| at N_h"),
            "b2": ("f", "output bias b^(2)"),
            "grad_padded": ("f", "max |gradient| at N_h + 1 after padding"),
            "predicted_grad": ("f", "|lam_b2 b^(2)|: the analytic padded gradient"),
            "stationary_padded": ("b", "grad_padded < 1e-8"),
            "index_padded": ("i", "Hessian index at N_h + 1 (-1: not found)"),
        },
    },
    # --- robustness to the unstated choices (xornet.robustness, issue 11)
    "robustness_claims": {
        "description": "The claims affected by the unstated choices (xornet.choices), evaluated "
                       "under the default reading and under every alternative reading.",
        "columns": {
            "reading": ("O", "'default' or '<config key>=<value>' (results/robustness/<reading>/)"),
            "choice": ("O", "config key of the choice ('' for the default reading)"),
            "value": ("O", "the alternative value ('' for the default reading)"),
            "id": ("O", "claim id (xornet.claims)"),
            "statement": ("O", "the paper's claim"),
            "reproduced_value": ("O", "what the check found under this reading"),
            "outcome": ("O", "reproduced | differs | '' (check could not run)"),
            "verdict": ("O", "reproduced | differs | not checkable (as in the scorecard)"),
            "ci_scale": ("b", "an input was made below paper scale"),
            "reason": ("O", "why not checkable"),
            "note": ("O", "explanation of the reproduced value"),
            "reduced": ("O", "reduced sizes of the reading (config robustness.<section>); '' at the config's sizes"),
            "holds": ("O", "holds | differs | not checkable (the outcome, at any scale)"),
        },
    },
    # --- reproduction scorecard (xornet.claims)
    "claims": {
        "description": "Reproduction scorecard: one row per checkable claim of the paper "
                       "(xornet.claims.CLAIMS) with the value read from the pipeline.",
        "columns": {
            "id": ("O", "claim id (T: Table I, A-D: Sec. III.A-D)"),
            "section": ("O", "paper section"),
            "location": ("O", "figure / table / text in the paper"),
            "kind": ("O", "value | threshold | qualitative"),
            "statement": ("O", "the paper's claim"),
            "paper_value": ("O", "the paper's value or outcome"),
            "paper_number": ("f", "the paper's value as a number (NaN if qualitative)"),
            "reproduced_value": ("O", "what the pipeline found (empty if not evaluated)"),
            "reproduced_number": ("f", "headline reproduced number (NaN if none)"),
            "tolerance": ("O", "agreement criterion and why"),
            "outcome": ("O", "reproduced | differs: result of the check ('' if it could not run)"),
            "verdict": ("O", "reproduced | differs | not checkable (CI-scale inputs, missing "
                             "stage or data that cannot answer) | not applicable (the claim is "
                             "about another gate than config gate)"),
            "reason": ("O", "why not checkable"),
            "ci_scale": ("b", "an input was made below paper scale (provenance vs config.yaml)"),
            "note": ("O", "explanation of the reproduced value / of a difference"),
            "figure": ("O", "figure or table file the claim belongs to"),
            "inputs": ("O", "Parquet files read"),
        },
    },
}


def _kind(dtype) -> str:
    k = getattr(dtype, "kind", "O")
    if k in "iu":
        return "i"
    if k == "f":
        return "f"
    if k == "b":
        return "b"
    return "O"


def check_frame(df, dataset: str) -> None:
    """Raise ``ValueError`` naming every column that is missing, unexpected or mistyped."""
    spec = SCHEMAS[dataset]
    cols = spec.get("columns", {})
    pats = [(re.compile(p), t) for p, (t, _) in spec.get("patterns", {}).items()]
    errors = []
    for name, (kind, _) in cols.items():
        if name not in df.columns:
            errors.append(f"missing column {name!r}")
        elif _kind(df[name].dtype) != kind:
            errors.append(f"column {name!r} has dtype {df[name].dtype}, schema says {kind!r}")
    for name in df.columns:
        if name in cols:
            continue
        for rx, kind in pats:
            if rx.match(str(name)):
                if _kind(df[name].dtype) != kind:
                    errors.append(f"column {name!r} has dtype {df[name].dtype}, schema says {kind!r}")
                break
        else:
            errors.append(f"unexpected column {name!r}")
    if errors:
        raise ValueError(f"dataset {dataset!r} does not match its schema: " + "; ".join(errors))


def _cell(text: str) -> str:
    """``text`` as a Markdown table cell: a pipe ("running | diverged", "|v|") is escaped, else
    it would end the cell and cut the rest of the row."""
    return text.replace("|", "\\|")


def markdown() -> str:
    """All schemas as Markdown (written to docs/schemas.md)."""
    from .plots.tables import markdown_table  # here: importing schemas stays free of pandas

    out = ["# Parquet datasets and their schemas", "",
           "Generated by `python -m xornet.schemas` from `src/xornet/schemas.py`.",
           "Every file also carries provenance metadata under `xornet.*` keys "
           "(dataset, config_section, config, seed, versions, git_commit; see `xornet.io`).", ""]
    for name, spec in SCHEMAS.items():
        out += [f"## `{name}`", "", spec["description"], ""]
        out += markdown_table(
            ["column", "type", "meaning"],
            [*([f"`{_cell(col)}`", kind, _cell(desc)]
               for col, (kind, desc) in spec.get("columns", {}).items()),
             *([f"`{_cell(pat)}` (pattern)", kind, _cell(desc)]
               for pat, (kind, desc) in spec.get("patterns", {}).items())])
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
