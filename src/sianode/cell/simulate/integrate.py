"""Radau IIA (order 5) for one stiff scalar ODE, with dense output and terminal limits.

The native cell model (:mod:`.native`) reduces to one stiff ODE ``dy/dt = f(t, y)``. This
module integrates it with the 3-stage Radau IIA collocation method of Hairer & Wanner: the
stages are solved by simplified Newton with a finite-difference derivative, the step size is
controlled by the embedded third-order error estimate, and between steps the solution is
the collocation polynomial. Limits (events) end the integration at the first root, located
on that polynomial and then reached by one more Radau step, so the end state has the
method's full accuracy.

Why not ``scipy.integrate.solve_ivp(method="Radau")``: importing ``scipy.integrate`` takes
0.8 s on the 2-core reference machine, more than the whole simulation; this is the same
method for the scalar case. The tests check it against
closed-form solutions (order of convergence, stiff decay, event times) and, in the test
suite only, against SciPy's Radau on the cell model itself.

References
----------
E. Hairer, G. Wanner, Solving Ordinary Differential Equations II, 2nd ed., Springer (1996),
Sec. IV.8 (Radau IIA of order 5: coefficients, simplified Newton, error estimate (8.19),
step-size control and dense output).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from sianode.errors import ParameterError

__all__ = ["Solution", "integrate"]

_S6 = math.sqrt(6.0)
#: nodes and coefficient matrix of Radau IIA, s = 3 (Hairer & Wanner, Table IV.5.6)
C = ((4 - _S6) / 10, (4 + _S6) / 10, 1.0)
A = (((88 - 7 * _S6) / 360, (296 - 169 * _S6) / 1800, (-2 + 3 * _S6) / 225),
     ((296 + 169 * _S6) / 1800, (88 + 7 * _S6) / 360, (-2 - 3 * _S6) / 225),
     ((16 - _S6) / 36, (16 + _S6) / 36, 1 / 9))
#: real eigenvalue of A^-1 and the weights of the embedded error estimate (Sec. IV.8)
_MU = 3 + 3 ** (2 / 3) - 3 ** (1 / 3)
_E = ((-13 - 7 * _S6) / 3, (-13 + 7 * _S6) / 3, -1 / 3)
#: stage values Z (at tau = c) -> coefficients of tau, tau^2, tau^3 of the collocation
#: polynomial y0 + sum_k q_k tau^k
_TO_POLY = np.linalg.inv(np.array([[c, c * c, c ** 3] for c in C])).tolist()

_EPS = np.finfo(float).eps
_MAX_NEWTON = 7
_SAFETY = 0.9
_MIN_FACTOR, _MAX_FACTOR = 0.2, 10.0


@dataclass
class Solution:
    """Accepted steps of :func:`integrate`.

    ``t`` and ``y`` are the step end points (the first is the start); ``event`` is the index
    of the limit that ended the integration (None: it reached ``t_end``); ``evaluate``
    gives y anywhere in between from the collocation polynomials.
    """

    t: np.ndarray
    y: np.ndarray
    event: int | None
    success: bool = True
    message: str = ""
    n_steps: int = 0
    n_rejected: int = 0
    n_calls: int = 0
    _polys: list[tuple[float, float, float, tuple[float, float, float]]] = field(
        default_factory=list, repr=False)

    def evaluate(self, t: Sequence[float] | np.ndarray) -> np.ndarray:
        """y at times ``t`` inside [t[0], t[-1]] (collocation polynomial of the step)."""
        t = np.asarray(t, dtype=float)
        if not self._polys:
            return np.full(t.shape, float(self.y[0]))
        starts = np.array([p[0] for p in self._polys])
        idx = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(self._polys) - 1)
        out = np.empty(t.shape)
        for j in np.unique(idx):
            t0, h, y0, q = self._polys[j]
            sel = idx == j
            tau = (t[sel] - t0) / h
            out[sel] = y0 + tau * (q[0] + tau * (q[1] + tau * q[2]))
        # the end points exactly as integrated (the last may come from the event step)
        out[t == self.t[-1]] = self.y[-1]
        return out


def _poly(z: Sequence[float]) -> tuple[float, float, float]:
    m = _TO_POLY
    return tuple(m[k][0] * z[0] + m[k][1] * z[1] + m[k][2] * z[2] for k in range(3))


def _solve3(m: list[list[float]], b: list[float]) -> list[float]:
    """Solve the 3x3 system m x = b (Cramer's rule; m is well conditioned here)."""
    (a, b_, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b_ * (d * i - f * g) + c * (d * h - e * g)
    x0 = (b[0] * (e * i - f * h) - b_ * (b[1] * i - f * b[2]) + c * (b[1] * h - e * b[2]))
    x1 = (a * (b[1] * i - f * b[2]) - b[0] * (d * i - f * g) + c * (d * b[2] - b[1] * g))
    x2 = (a * (e * b[2] - b[1] * h) - b_ * (d * b[2] - b[1] * g) + b[0] * (d * h - e * g))
    return [x0 / det, x1 / det, x2 / det]


def integrate(
    fun: Callable[[float, float], float],
    t0: float,
    t_end: float,
    y0: float,
    limits: Callable[[float, float], Sequence[float]] | None = None,
    *,
    rtol: float = 1e-8,
    atol: float = 1e-9,
    max_step: float | None = None,
    max_steps: int = 200000,
) -> Solution:
    """Integrate ``dy/dt = fun(t, y)`` (scalars) from ``(t0, y0)`` to ``t_end`` or the
    first limit.

    Parameters
    ----------
    fun : callable
        Right-hand side f(t, y).
    t0, t_end : float
        Start and end time (t_end > t0), in the caller's units.
    y0 : float
        Initial value.
    limits : callable, optional
        ``limits(t, y)`` -> values; the integration ends when one of them, positive at the
        start, reaches 0 (a value <= 0 at the start ends it at once).
    rtol, atol : float
        Relative and absolute tolerances on y.
    max_step : float, optional
        Largest step; default 1/100 of the interval, so that a limit crossed and uncrossed
        within one step cannot be missed at the output resolution callers use.

    Returns
    -------
    Solution
        ``success`` False (with ``message``) when the step size underflows (e.g. ``fun``
        returns non-finite values) or ``max_steps`` is exceeded; never silently.

    Raises
    ------
    ParameterError
        ``t_end <= t0`` or a tolerance <= 0.

    References
    ----------
    Hairer & Wanner (1996), Sec. IV.8.
    """
    span = float(t_end) - float(t0)
    if not span > 0 or not math.isfinite(span):
        raise ParameterError("t_end", t_end, f"a finite time after t0 = {t0!r}")
    if not (rtol > 0 and atol > 0):
        raise ParameterError("rtol/atol", (rtol, atol), "> 0")
    h_max = span / 100 if max_step is None else float(max_step)
    calls = [0]

    def f(t: float, y: float) -> float:
        calls[0] += 1
        return float(fun(t, y))

    def g(t: float, y: float) -> list[float]:
        return [float(v) for v in limits(t, y)] if limits is not None else []

    t, y = float(t0), float(y0)
    ts, ys, polys = [t], [y], []
    n_rej = 0

    def done(event: int | None, message: str = "") -> Solution:
        return Solution(np.array(ts), np.array(ys), event, not message, message,
                        len(ts) - 1, n_rej, calls[0], polys)

    g_old = g(t, y)
    first = next((i for i, v in enumerate(g_old) if not v > 0), None)
    if first is not None:  # a limit already reached: nothing to integrate
        return done(first)

    f0 = f(t, y)
    jac = _jacobian(f, t, y, f0, atol)  # once per accepted point, kept through rejections
    h = min(h_max, span, 1e-4 * span)
    prev: tuple[float, float, float, tuple[float, float, float]] | None = None
    for _ in range(max_steps):
        h = min(h, t_end - t)
        ok, z, y_new, err_norm, factor = _step(f, t, y, f0, h, jac, prev, rtol, atol)
        if not ok and prev is not None:  # the extrapolated start failed: try from zero
            ok, z, y_new, err_norm, factor = _step(f, t, y, f0, h, jac, None, rtol, atol)
        if not ok:
            n_rej += 1
            h *= 0.5
            if h < 1e-14 * max(abs(t), span):
                return done(None, f"step size underflow at t = {t:g}")
            continue
        if err_norm > 1:
            n_rej += 1
            h *= max(_MIN_FACTOR, factor)
            continue
        t_new = t + h
        poly = (t, h, y, _poly(z))
        g_new = g(t_new, y_new)
        hit = [i for i, (a, b) in enumerate(zip(g_old, g_new)) if a > 0 and not b > 0]
        if hit:
            t_ev, i_ev = min((_root(g, i, poly, g_old[i], g_new[i]), i) for i in hit)
            if t_ev < t_new:  # reach the limit by a step of its own: full accuracy
                ok2, z2, y_ev, _, _ = _step(f, t, y, f0, t_ev - t, jac, prev, rtol, atol)
                if ok2:
                    poly = (t, t_ev - t, y, _poly(z2))
                else:
                    y_ev = _eval(poly, t_ev)
            else:
                y_ev = y_new
            polys.append(poly)
            ts.append(t_ev)
            ys.append(y_ev)
            return done(i_ev)
        polys.append(poly)
        ts.append(t_new)
        ys.append(y_new)
        prev = poly
        t, y, g_old = t_new, y_new, g_new
        if t >= t_end:
            return done(None)
        f0 = f(t, y)
        jac = _jacobian(f, t, y, f0, atol)
        h = min(h * min(_MAX_FACTOR, factor), h_max)
    return done(None, f"more than {max_steps} steps")


def _jacobian(f: Callable[[float, float], float], t: float, y: float, f0: float,
              atol: float) -> float:
    """df/dy by a difference small against |y|, so that it stays on y's side of a kink
    (e.g. a rate that is exactly 0 for y <= 0): the Newton iteration of a step needs the
    slope where the step is."""
    d = math.sqrt(_EPS) * (abs(y) if y != 0 else atol)
    return (f(t, y + d) - f0) / d


def _eval(poly: tuple[float, float, float, tuple[float, float, float]], t: float) -> float:
    t0, h, y0, q = poly
    tau = (t - t0) / h
    return y0 + tau * (q[0] + tau * (q[1] + tau * q[2]))


def _step(f, t, y, f0, h, jac, prev, rtol, atol):
    """One Radau IIA step of size h: (converged, stage increments Z, y1, error norm,
    suggested step factor)."""
    scale = atol + rtol * abs(y)
    # start from the previous step's collocation polynomial, extrapolated (Sec. IV.8)
    z = ([_eval(prev, t + c * h) - y for c in C] if prev is not None else [0.0, 0.0, 0.0])
    m = [[(1.0 if i == j else 0.0) - h * jac * A[i][j] for j in range(3)] for i in range(3)]
    tol = max(10 * _EPS / rtol, min(0.03, math.sqrt(rtol)))
    rate, dz_old, converged = None, None, False
    for _ in range(_MAX_NEWTON):
        fz = [f(t + C[i] * h, y + z[i]) for i in range(3)]
        if not all(math.isfinite(v) for v in fz):
            return False, z, y, math.inf, _MIN_FACTOR
        res = [-z[i] + h * (A[i][0] * fz[0] + A[i][1] * fz[1] + A[i][2] * fz[2])
               for i in range(3)]
        dz = _solve3(m, res)
        z = [z[i] + dz[i] for i in range(3)]
        dz_norm = math.sqrt(sum((d / scale) ** 2 for d in dz) / 3)
        if dz_norm <= _EPS:  # changes far below the tolerance: nothing left to converge
            converged = True
            break
        if dz_old is not None:
            rate = dz_norm / dz_old if dz_old > 0 else 0.0
            if rate >= 1:
                return False, z, y, math.inf, _MIN_FACTOR
        if rate is not None and rate / (1 - rate) * dz_norm < tol:
            converged = True
            break
        dz_old = dz_norm
    if not converged:
        return False, z, y, math.inf, _MIN_FACTOR
    y_new = y + z[2]
    # embedded error estimate (Hairer & Wanner eq. IV.8.19), stiff-filtered by
    # (MU/h - J)^-1; a second filter pass on a failed first estimate (ibid.)
    ze = (_E[0] * z[0] + _E[1] * z[1] + _E[2] * z[2]) / h
    err = (f0 + ze) / (_MU / h - jac)
    sc = atol + rtol * max(abs(y), abs(y_new))
    err_norm = abs(err) / sc
    if err_norm > 1 and prev is None:
        err = (f(t, y + err) + ze) / (_MU / h - jac)
        err_norm = abs(err) / sc
    factor = _SAFETY * (err_norm ** -0.25 if err_norm > 0 else _MAX_FACTOR / _SAFETY)
    return True, z, y_new, err_norm, factor


def _root(g, i: int, poly, g_a: float, g_b: float) -> float:
    """First time in the step where limit i reaches 0 on the collocation polynomial
    (Illinois regula falsi, to a few ulps of t)."""
    t0, h, _, _ = poly
    a, b = t0, t0 + h
    fa, fb = g_a, g_b
    side = 0
    for _ in range(200):
        if b - a <= 4 * _EPS * max(abs(a), abs(b), 1.0):
            break
        tm = b - fb * (b - a) / (fb - fa) if fb != fa else 0.5 * (a + b)
        if not a < tm < b:
            tm = 0.5 * (a + b)
        fm = g(tm, _eval(poly, tm))[i]
        if fm > 0:
            a, fa = tm, fm
            if side == -1:
                fb *= 0.5
            side = -1
        else:
            b, fb = tm, fm
            if side == 1:
                fa *= 0.5
            side = 1
    return b
