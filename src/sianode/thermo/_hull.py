"""Lower convex hulls in the Li-free composition space (the grand potential at fixed mu_Li).

At a fixed Li chemical potential mu, every phase j is a point (y_j, phi_j): y_j its composition
without Li (fractions of the k non-Li elements, summing to 1), and
phi_j = (E_j - N_Li,j * mu) / N_nonLi,j its grand potential per non-Li atom. The equilibrium
phases of any host at that mu are the vertices of the lower hull facet below the host's y.
This is pymatgen's ``GrandPotentialPhaseDiagram`` restricted to what lithiation needs, but done
once per chemical system for all its hosts, in k (not k+1) dimensions, with exact fast paths
for k = 1 (binary Li-X) and k = 2 (ternary Li-X-Y).
"""

from __future__ import annotations

import numpy as np

__all__ = ["lower_hull_decompose"]

_TOL = 1e-9


def _unique_min(y: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Indices of the lowest-phi point for each distinct composition (rounded 1e-9)."""
    keys = np.round(y / 1e-9).astype(np.int64)
    order = np.lexsort((phi, *keys.T[::-1]))
    ks = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = np.any(ks[1:] != ks[:-1], axis=1)
    return order[first]


def _lower_chain_2d(t: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Andrew's monotone chain: indices of lower-hull vertices, sorted by t."""
    order = np.lexsort((phi, t))
    hull: list[int] = []
    for i in order:
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            cross = (t[b] - t[a]) * (phi[i] - phi[a]) - (phi[b] - phi[a]) * (t[i] - t[a])
            if cross <= _TOL * max(1.0, abs(phi[i])):
                hull.pop()
            else:
                break
        if hull and abs(t[hull[-1]] - t[i]) < 1e-12:
            continue  # same composition, higher phi (sorted)
        hull.append(int(i))
    return np.asarray(hull, dtype=np.int64)


def _decompose_lp(y: np.ndarray, phi: np.ndarray, yq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Robust fallback: minimise sum w phi s.t. sum w y = yq, w >= 0 (one LP per query)."""
    from scipy.optimize import linprog

    m = len(phi)
    idx = np.zeros((len(yq), y.shape[1]), dtype=np.int64)
    w = np.zeros((len(yq), y.shape[1]))
    for q in range(len(yq)):
        res = linprog(phi, A_eq=y.T, b_eq=yq[q], bounds=[(0, None)] * m, method="highs")
        if res.status != 0:
            raise ArithmeticError(f"hull decomposition LP failed: {res.message}")
        nz = np.argsort(-res.x)[: y.shape[1]]
        idx[q], w[q] = nz, res.x[nz]
    return idx, w


def lower_hull_decompose(
    y: np.ndarray, phi: np.ndarray, yq: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Decompose query compositions on the lower hull of (y, phi).

    Parameters
    ----------
    y : (m, k) array
        Li-free compositions of the phases (rows sum to 1); every pure element must be present.
    phi : (m,) array
        Grand potential per non-Li atom [eV].
    yq : (q, k) array
        Query compositions.

    Returns
    -------
    idx : (q, k) int array
        Indices into ``y`` of the (at most k) phases of each query's equilibrium assemblage.
    w : (q, k) array
        Their weights per non-Li atom (sum 1; zero for padding).
    """
    m, k = y.shape
    yq = np.atleast_2d(yq)
    nq = len(yq)
    if k == 1:
        best = int(np.argmin(phi))
        return np.full((nq, 1), best, dtype=np.int64), np.ones((nq, 1))
    keep = _unique_min(y, phi)
    yk, pk = y[keep], phi[keep]
    if k == 2:
        t = yk[:, 1]
        hull = _lower_chain_2d(t, pk)
        th = t[hull]
        tq = yq[:, 1]
        pos = np.clip(np.searchsorted(th, tq, side="right") - 1, 0, len(th) - 2)
        t0, t1 = th[pos], th[pos + 1]
        frac = np.where(t1 > t0, (tq - t0) / np.where(t1 > t0, t1 - t0, 1.0), 0.0)
        frac = np.clip(frac, 0.0, 1.0)
        idx = np.stack([keep[hull[pos]], keep[hull[pos + 1]]], axis=1)
        w = np.stack([1.0 - frac, frac], axis=1)
        return idx, w
    return _decompose_qhull(yk, pk, yq, keep)


def _decompose_qhull(
    yk: np.ndarray, pk: np.ndarray, yq: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    from scipy.spatial import ConvexHull, QhullError

    k = yk.shape[1]
    pts = np.column_stack([yk[:, 1:], pk])
    # a point far above the centroid makes the hull full-dimensional (as pymatgen does)
    top = np.append(yk[:, 1:].mean(axis=0), pk.max() + 1e3 + abs(pk.max()))
    try:
        hull = ConvexHull(np.vstack([pts, top]), qhull_options="Qt i")
    except QhullError:
        idx, w = _decompose_lp(yk, pk, yq)
        return keep[idx], w
    lower = hull.equations[:, -2] < -_TOL
    simplices = hull.simplices[lower]
    simplices = simplices[np.all(simplices < len(pts), axis=1)]
    verts = yk[:, 1:][simplices]  # (F, k, k-1)
    base = verts[:, 0, :]
    mats = np.transpose(verts[:, 1:, :] - base[:, None, :], (0, 2, 1))  # (F, k-1, k-1)
    det = np.linalg.det(mats)
    ok = np.abs(det) > 1e-14
    simplices, base, mats = simplices[ok], base[ok], mats[ok]
    inv = np.linalg.inv(mats)
    idx = np.zeros((len(yq), k), dtype=np.int64)
    w = np.zeros((len(yq), k))
    points = yq[:, 1:]
    chunk = max(1, 4_000_000 // max(1, len(base) * k))
    pending: list[np.ndarray] = []
    for start in range(0, len(points), chunk):
        sl = slice(start, start + chunk)
        b = np.einsum("fij,qfj->qfi", inv, points[sl, None, :] - base[None, :, :])
        bary = np.concatenate([1.0 - b.sum(axis=-1, keepdims=True), b], axis=-1)
        inside = np.all(bary >= -1e-9, axis=-1)
        has = inside.any(axis=1)
        f = inside.argmax(axis=1)
        rows = np.arange(start, min(start + chunk, len(points)))
        wq = np.clip(bary[np.arange(len(rows)), f], 0.0, None)
        wq /= wq.sum(axis=1, keepdims=True)
        idx[rows[has]] = keep[simplices[f[has]]]
        w[rows[has]] = wq[has]
        pending.append(rows[~has])
    todo = np.concatenate(pending) if pending else np.zeros(0, dtype=np.int64)
    if len(todo):
        pi, pw = _decompose_lp(yk, pk, yq[todo])
        idx[todo], w[todo] = keep[pi], pw
    return idx, w
