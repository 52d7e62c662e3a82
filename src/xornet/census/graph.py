"""What the census says about barriers: minimax paths and disconnectivity graphs.

* :func:`cols`: for every minimum, the lowest possible highest transition state on a path to a
  *target* set (the solution funnel: minima that solve XOR), by Kruskal's algorithm over the TS
  edges sorted by energy; barrier = col energy - minimum energy (NaN if no path exists).
* :func:`disconnectivity`: the tree of Becker & Karplus (1997): at each of ``n_levels`` energies,
  minima joined by TSs below that energy form one superbasin; returns line segments and leaf
  positions for plotting. Minima without any TS edge are kept (their own tree), never dropped.
"""

from __future__ import annotations

import numpy as np


def cols(E_min, E_ts, edges, target) -> tuple[np.ndarray, np.ndarray]:
    """(col energy, index of the TS at the col) per minimum; -1 / NaN where no path to a
    target exists. Targets have col = their own energy (barrier 0)."""
    E_min = np.asarray(E_min, float)
    n = len(E_min)
    target = np.asarray(target, bool)
    col = np.where(target, E_min, np.nan)
    via = np.full(n, -1)
    members = {i: [i] for i in range(n)}
    root = np.arange(n)
    has = target.copy()
    for t in np.argsort(np.asarray(E_ts, float), kind="stable"):
        a, b = edges[t]
        ra, rb = root[a], root[b]
        if ra == rb:
            continue
        if has[ra] != has[rb]:
            lost = rb if has[ra] else ra
            for m in members[lost]:
                col[m], via[m] = E_ts[t], t
        keep, drop = (ra, rb) if len(members[ra]) >= len(members[rb]) else (rb, ra)
        for m in members[drop]:
            root[m] = keep
        members[keep] += members.pop(drop)
        has[keep] = has[ra] or has[rb]
    return col, via


def disconnectivity(E_min, E_ts, edges, n_levels: int = 30, log: bool = False) -> dict:
    """Layout of the disconnectivity graph: ``segments`` [(x0, y0, x1, y1, m)] with m the
    minimum a segment leads to alone (-1: a superbasin), leaf ``x`` per minimum, the
    ``levels`` (``log``: equally spaced in ln E). Self-loop edges (degenerate
    rearrangements) are ignored."""
    E = np.asarray(E_min, float)
    Et = np.asarray(E_ts, float)
    n = len(E)
    edges = [(int(a), int(b)) for a, b in edges]
    hi = max(E.max(), Et.max() if len(Et) else E.max())
    span = max(hi - E.min(), 1e-12)
    levels = np.linspace(hi + 0.02 * span, E.min() + 0.5 * span / n_levels, n_levels)
    if log and E.min() > 0:  # levels equally spaced in ln E (E > 0 whenever lam > 0)
        r = np.log(hi / E.min())
        levels = E.min() * np.exp(np.linspace(r * 1.02 + 1e-12, 0.5 * r / n_levels, n_levels))

    def labels(level):
        lab = np.full(n, -1)
        parent = np.arange(n)

        def r(a):
            while parent[a] != a:
                a = parent[a]
            return a

        for (a, b), e in zip(edges, Et, strict=True):
            if e < level and E[a] < level and E[b] < level:
                ra, rb = r(a), r(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        for m in range(n):
            if E[m] < level:
                lab[m] = r(m)
        return lab

    labs = [labels(lv) for lv in levels]
    # tree: node = (level index, label); children = nodes one level down, or leaves (minima
    # whose energy lies between this level and the next)
    children: dict[tuple, list] = {}
    for li in range(len(levels)):
        for c in sorted(set(labs[li][labs[li] >= 0])):
            node = (li, int(c))
            kids = []
            mem = np.flatnonzero(labs[li] == c)
            if li + 1 < len(levels):
                for c2 in sorted(set(labs[li + 1][mem][labs[li + 1][mem] >= 0])):
                    kids.append(("node", (li + 1, int(c2))))
                kids += [("leaf", int(m)) for m in mem if labs[li + 1][m] < 0]
            else:
                kids += [("leaf", int(m)) for m in mem]
            children[node] = kids

    def low(kid):
        if kid[0] == "leaf":
            return E[kid[1]]
        li, c = kid[1]
        return E[labs[li] == c].min()

    x_leaf = np.full(n, np.nan)
    counter = [0.0]

    def place(node) -> float:
        xs = []
        for kid in sorted(children[node], key=low):
            if kid[0] == "leaf":
                x = counter[0]
                counter[0] += 1
                x_leaf[kid[1]] = x
            else:
                x = place(kid[1])
            xs.append(x)
        return float(np.mean(xs))

    tops = sorted({(0, int(c)) for c in labs[0][labs[0] >= 0]}, key=lambda nd: low(("node", nd)))
    top_x = []
    for nd in tops:
        top_x.append(place(nd))
        counter[0] += 1.0  # a gap between disconnected trees
    return {"segments": _slanted(children, levels, labs, E, x_leaf), "x": x_leaf,
            "levels": levels, "n_trees": len(tops), "top_x": top_x}


def _slanted(children, levels, labs, E, x_leaf):
    """Segments of the classic drawing: every node hangs from its parent's position by a
    slanted line over one level spacing; a leaf drops vertically to its minimum's energy."""
    xs: dict[tuple, float] = {}

    def xnode(node):
        if node not in xs:
            vals = [x_leaf[k[1]] if k[0] == "leaf" else xnode(k[1]) for k in children[node]]
            xs[node] = float(np.mean(vals))
        return xs[node]

    segs = []
    for node, kids in children.items():
        li = node[0]
        xp = xnode(node)
        for kind, val in kids:
            if kind == "node":
                mem = np.flatnonzero(labs[val[0]] == val[1])
                segs.append((xp, levels[li], xnode(val), levels[val[0]],
                             int(mem[0]) if len(mem) == 1 else -1))
            else:
                xl = x_leaf[val]
                y_next = levels[li + 1] if li + 1 < len(levels) else E[val]
                y_mid = max(E[val], y_next)
                segs.append((xp, levels[li], xl, y_mid, val))
                if y_mid > E[val]:
                    segs.append((xl, y_mid, xl, E[val], val))
    tops = {nd for nd in children if nd[0] == 0}
    for nd in tops:
        segs.append((xnode(nd), levels[0], xnode(nd), levels[0] + 0.3 * (levels[0] - levels[1]),
                     -1))
    return segs
