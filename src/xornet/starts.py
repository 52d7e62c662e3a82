"""Starting points of the Fig. 6 descent paths (Sec. III.C.1) from config, and their job labels.

Kept apart from :mod:`xornet.landscape` (numba kernels) so that the workflow can build its job
list without importing numba.
"""

from __future__ import annotations

from .labels import num_label


def resolve_starts(cfg_traj: dict, panels: dict) -> list[dict]:
    """Trajectory starts from config (``starts`` then ``extra_starts``): each becomes a dict
    label, panel, x, y, dx, dy, eta. A start names a panel (a-c, pair from ``panels``) or an
    explicit pair x, y."""
    out = []
    for s in list(cfg_traj["starts"]) + list(cfg_traj.get("extra_starts", [])):
        panel = str(s.get("panel", ""))
        if panel:
            if panel not in panels:
                raise KeyError(f"start {s}: unknown panel {panel!r} (named: {sorted(panels)})")
            x, y = panels[panel]
        else:
            x, y = s["x"], s["y"]
        dx, dy = float(s["dx"]), float(s["dy"])
        label = s.get("label") or f"{panel or x + '/' + y}:{num_label(dx)},{num_label(dy)}"
        out.append({"label": str(label), "panel": panel, "x": str(x), "y": str(y),
                    "dx": dx, "dy": dy, "eta": float(s.get("eta", cfg_traj["eta"]))})
    labels = [s["label"] for s in out]
    if len(set(labels)) != len(labels):
        raise ValueError(f"trajectory labels must be unique: {labels}")
    return out


def start_jobs(cfg_traj: dict, panels: dict) -> dict[str, dict]:
    """One descent job per start (:func:`resolve_starts`), keyed by a file-safe label made of
    the start's own values (panel or pair, dx, dy and, if set, eta): adding or removing a start
    leaves every other job's label, and so its finished output, untouched. Order: config order.
    """
    out = {}
    raw = list(cfg_traj["starts"]) + list(cfg_traj.get("extra_starts", []))
    for s, r in zip(resolve_starts(cfg_traj, panels), raw, strict=True):
        where = s["panel"] or f"{s['x']}-{s['y']}"
        key = f"{where}_dx{num_label(s['dx'])}_dy{num_label(s['dy'])}"
        key += f"_eta{num_label(s['eta'])}" if "eta" in r else ""
        if key in out:
            raise ValueError(f"two trajectory starts with the same values: {key}")
        out[key] = s
    return out
