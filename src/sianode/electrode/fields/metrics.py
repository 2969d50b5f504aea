"""Mesh-robust metrics of field solutions: weighted CV, percentiles, interface means, convergence.

A peak value at a re-entrant corner (current) or where a reaction front meets a free surface
(stress) is a singularity: it grows without bound under mesh refinement. The metrics here are
integrals and quantiles, which converge; :func:`convergence_table` shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from sianode.errors import ComputationError, ParameterError
from sianode.validation import FRACTION, check_params

__all__ = [
    "weighted_cv",
    "weighted_percentile",
    "weighted_mean",
    "summary_stats",
    "convergence_table",
]


def _prep(values: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    v = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float).ravel()
    if v.size == 0:
        raise ParameterError("values", [], "at least one value")
    if w.shape != v.shape:
        raise ParameterError("weights", f"shape {w.shape}", f"shape {v.shape} like values")
    if np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ParameterError("weights", "array", "finite non-negative weights, not all zero")
    return v, w


def weighted_mean(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Weighted mean (weights: facet lengths, quadrature volumes...).

    References
    ----------
    seed 002, Fig. 2i,j (interface-averaged quantities).
    """
    v, w = _prep(values, weights)
    return float(np.sum(v * w) / np.sum(w))


def weighted_cv(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Coefficient of variation std/|mean| of a weighted distribution [-].

    Raises
    ------
    ComputationError
        The mean is zero (the CV is undefined).

    References
    ----------
    seed 002, Fig. 2i,j (flux uniformity at the anode|SSE interface).
    """
    v, w = _prep(values, weights)
    m = np.sum(v * w) / np.sum(w)
    if m == 0:
        raise ComputationError("coefficient of variation undefined: the mean is zero")
    sd = np.sqrt(np.sum(w * (v - m) ** 2) / np.sum(w))
    return float(sd / abs(m))


def weighted_percentile(values: ArrayLike, q: float, weights: ArrayLike | None = None) -> float:
    """Weighted percentile ``q`` in [0, 100] (inverted CDF at mid-weights).

    References
    ----------
    seed 002, Fig. 2i,j and Fig. 4c,d (robust stand-ins for singular peaks).
    """
    check_params({"q_fraction": q / 100.0}, {"q_fraction": FRACTION})
    v, w = _prep(values, weights)
    order = np.argsort(v)
    v, w = v[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return float(np.interp(q / 100.0, cdf, v))


def summary_stats(values: ArrayLike, weights: ArrayLike | None = None,
                  prefix: str = "") -> dict[str, float]:
    """Mean, CV, 50th/99th percentile and maximum of a weighted field.

    References
    ----------
    seed 002, Fig. 2i,j.
    """
    v, w = _prep(values, weights)
    out = {
        "mean": weighted_mean(v, w),
        "p50": weighted_percentile(v, 50, w),
        "p99": weighted_percentile(v, 99, w),
        "max": float(v.max()),
    }
    out["cv"] = weighted_cv(v, w) if out["mean"] != 0 else float("nan")
    return {f"{prefix}{k}": val for k, val in out.items()}


def convergence_table(
    run: Callable[[float], dict[str, float]],
    sizes: Sequence[float],
    keys: Sequence[str],
) -> list[dict[str, float]]:
    """Evaluate ``run(h)`` at each element size and tabulate ``keys`` with relative changes.

    Parameters
    ----------
    run : callable
        ``h -> dict`` of metrics (e.g. a lambda around :func:`solve_conduction`).
    sizes : sequence of float
        Element sizes, coarse to fine.
    keys : sequence of str
        Metrics to report; each row gets ``<key>_rel_change`` vs the previous row.

    References
    ----------
    seed 002, Fig. 2i,j (mesh-independent reporting).
    """
    rows: list[dict[str, float]] = []
    for h in sizes:
        res = run(float(h))
        row = {"h_um": float(h), **{k: float(res[k]) for k in keys}}
        if rows:
            for k in keys:
                prev = rows[-1][k]
                row[f"{k}_rel_change"] = abs(row[k] - prev) / abs(prev) if prev else np.inf
        rows.append(row)
    return rows
