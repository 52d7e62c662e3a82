"""Local searches of the census (numba kernels, one per hot loop).

* :func:`quench`: minimisation by modified Newton (exact Hessian, eigenvalues replaced by
  max(|w|, eig_floor)), a trust radius and Armijo backtracking; ends with plain Newton steps,
  so every minimum is polished to machine precision (the soft-mode trap of pele's L-BFGS).
* :func:`descend`: the endpoint of a transition state: steepest descent with a bounded step
  from TS +- delta * (negative eigenvector) until the Hessian is positive definite and the
  Newton step is short, then :func:`quench` (keeps to the steepest-descent basin).
* :func:`ef_ts`: eigenvector following (Cerjan-Miller / Baker / Wales P-RFO step): uphill
  along the mode that overlaps most with the previous one, downhill along every other.
* :func:`neb`: climbing-image nudged elastic band (Henkelman-Jonsson improved tangent,
  FIRE optimiser) between two aligned minima.

Status codes returned by the kernels: 0 converged, 1 iteration cap, 2 non-finite.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .potential import egh


@njit(cache=True)
def _rms(g):
    return np.sqrt(np.mean(g * g))


@njit(cache=True)
def quench(v0, n_h, reg, max_iter, gtol, max_step, eig_floor):
    """Minimise E from ``v0``; returns (v, E, status, iterations)."""
    v = v0.copy()
    P = v.shape[0]
    for it in range(max_iter):
        E, g, H = egh(v, n_h, reg, True)
        if not np.isfinite(E):
            return v, E, 2, it
        if _rms(g) < gtol:
            return v, E, 0, it
        w, U = np.linalg.eigh(H)
        F = U.T @ g
        step = np.zeros(P)
        newton = True
        for i in range(P):
            if w[i] <= 0.0:
                newton = False
            step -= U[:, i] * (F[i] / max(abs(w[i]), eig_floor))
        n = np.sqrt(np.sum(step * step))
        if n > max_step:
            step *= max_step / n
            newton = False
        if newton and _rms(g) < 1e-6:
            v = v + step  # plain Newton near a minimum: quadratic convergence
            continue
        slope = np.dot(g, step)
        alpha = 1.0
        for _ in range(60):
            En = egh(v + alpha * step, n_h, reg, False)[0]
            if En <= E + 1e-4 * alpha * slope:
                break
            alpha *= 0.5
        v = v + alpha * step
    E, g, H = egh(v, n_h, reg, False)
    return v, E, (0 if _rms(g) < gtol else 1), max_iter


@njit(cache=True)
def descend(v0, n_h, reg, max_sd, sd_step, newton_radius, max_iter, gtol, eig_floor):
    """Steepest descent (step length <= sd_step, adaptive) until the Hessian is positive
    definite with a Newton step shorter than ``newton_radius``, then :func:`quench`.
    Returns (v, E, status, steepest-descent steps)."""
    v = v0.copy()
    E, g, _ = egh(v, n_h, reg, False)
    alpha = 0.1
    k = 0
    while k < max_sd:
        if k % 10 == 0:
            _, _, H = egh(v, n_h, reg, True)
            w, U = np.linalg.eigh(H)
            if w[0] > 0.0:
                F = U.T @ g
                ns = np.sqrt(np.sum((F / w) ** 2))
                if ns < newton_radius:
                    break
        gn = np.sqrt(np.sum(g * g))
        if gn == 0.0:
            break
        h = min(alpha, sd_step / gn)
        vn = v - h * g
        En, gnew, _ = egh(vn, n_h, reg, False)
        if En < E:
            v, E, g = vn, En, gnew
            alpha *= 1.2
        else:
            alpha = h * 0.5
            if alpha < 1e-300:
                break
        k += 1
    vq, Eq, st, _ = quench(v, n_h, reg, max_iter, gtol, sd_step, eig_floor)
    return vq, Eq, st, k


@njit(cache=True)
def ef_ts(v0, mode0, n_h, reg, max_iter, gtol, max_step, eig_zero, follow_lowest=False):
    """Transition state by eigenvector following from ``v0``: uphill along the mode
    overlapping most with the previous one (first: ``mode0``), or along the lowest mode if
    ``follow_lowest``; downhill along all others. Returns (v, E, status, index, lowest eigenvalue,
    eigenvector of the uphill mode, iterations)."""
    v = v0.copy()
    P = v.shape[0]
    prev = mode0 / np.sqrt(np.sum(mode0 * mode0))
    for it in range(max_iter):
        E, g, H = egh(v, n_h, reg, True)
        if not np.isfinite(E):
            return v, E, 2, -1, np.nan, prev, it
        w, U = np.linalg.eigh(H)
        ov = np.abs(U.T @ prev)
        k = 0 if follow_lowest else int(np.argmax(ov))
        u = U[:, k].copy()
        if np.dot(u, prev) < 0:
            u = -u
        prev = u
        if _rms(g) < gtol:
            idx = 0
            for i in range(P):
                if w[i] < -eig_zero:
                    idx += 1
            return v, E, 0, idx, w[0], U[:, 0].copy(), it
        F = U.T @ g
        step = np.zeros(P)
        for i in range(P):
            den = abs(w[i]) + np.sqrt(w[i] * w[i] + 4.0 * F[i] * F[i])
            if den == 0.0:
                continue
            h = 2.0 * F[i] / den
            if i == k:
                step += h * U[:, i]
            else:
                step -= h * U[:, i]
        n = np.sqrt(np.sum(step * step))
        if n > max_step:
            step *= max_step / n
        v = v + step
    E, g, H = egh(v, n_h, reg, True)
    w, U = np.linalg.eigh(H)
    idx = 0
    for i in range(P):
        if w[i] < -eig_zero:
            idx += 1
    return v, E, (0 if _rms(g) < gtol else 1), idx, w[0], U[:, 0].copy(), max_iter


@njit(cache=True)
def _tangent(x, Ev, i):
    """Improved tangent of image i (Henkelman & Jonsson 2000)."""
    tp = x[i + 1] - x[i]
    tm = x[i] - x[i - 1]
    if Ev[i + 1] > Ev[i] > Ev[i - 1]:
        t = tp
    elif Ev[i + 1] < Ev[i] < Ev[i - 1]:
        t = tm
    else:
        dmax = max(abs(Ev[i + 1] - Ev[i]), abs(Ev[i - 1] - Ev[i]))
        dmin = min(abs(Ev[i + 1] - Ev[i]), abs(Ev[i - 1] - Ev[i]))
        if Ev[i + 1] > Ev[i - 1]:
            t = tp * dmax + tm * dmin
        else:
            t = tp * dmin + tm * dmax
    n = np.sqrt(np.sum(t * t))
    if n == 0.0:
        return t
    return t / n


@njit(cache=True)
def neb(a, b, n_h, reg, n_images, k_spring, max_iter, climb_after, ftol, dt0, max_move):
    """Climbing-image NEB from minimum ``a`` to (aligned) minimum ``b`` with ``n_images``
    interior images (FIRE). Returns (images [n_images+2, P], energies, tangents, status)."""
    P = a.shape[0]
    N = n_images + 2
    x = np.zeros((N, P))
    for i in range(N):
        x[i] = a + (b - a) * (i / (N - 1))
    Ev = np.zeros(N)
    G = np.zeros((N, P))
    for i in range(N):
        e, g, _ = egh(x[i], n_h, reg, False)
        Ev[i] = e
        G[i] = g
    vel = np.zeros((N, P))
    dt = dt0
    alpha = 0.1
    npos = 0
    T = np.zeros((N, P))
    status = 1
    for it in range(max_iter):
        for i in range(1, N - 1):
            e, g, _ = egh(x[i], n_h, reg, False)
            Ev[i] = e
            G[i] = g
        if not np.all(np.isfinite(Ev)):
            status = 2
            break
        climb = -1
        if it >= climb_after:
            climb = 1 + int(np.argmax(Ev[1:N - 1]))
        F = np.zeros((N, P))
        fmax = 0.0
        for i in range(1, N - 1):
            t = _tangent(x, Ev, i)
            T[i] = t
            gpar = np.dot(G[i], t)
            if i == climb:
                F[i] = -G[i] + 2.0 * gpar * t
            else:
                dp = np.sqrt(np.sum((x[i + 1] - x[i]) ** 2))
                dm = np.sqrt(np.sum((x[i] - x[i - 1]) ** 2))
                F[i] = -(G[i] - gpar * t) + k_spring * (dp - dm) * t
            fmax = max(fmax, np.max(np.abs(F[i])))
        if climb >= 0 and fmax < ftol:
            status = 0
            break
        # FIRE
        pw = np.sum(F * vel)
        if pw > 0:
            fn = np.sqrt(np.sum(F * F))
            vn = np.sqrt(np.sum(vel * vel))
            if fn > 0:
                vel = (1 - alpha) * vel + alpha * vn * F / fn
            npos += 1
            if npos > 5:
                dt = min(dt * 1.1, 10 * dt0)
                alpha *= 0.99
        else:
            vel[:] = 0.0
            dt *= 0.5
            alpha = 0.1
            npos = 0
        vel += dt * F
        for i in range(1, N - 1):
            d = dt * vel[i]
            n = np.sqrt(np.sum(d * d))
            if n > max_move:
                d *= max_move / n
            x[i] += d
    return x, Ev, T, status
