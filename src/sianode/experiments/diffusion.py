"""Chemical diffusion coefficients from PITT and GITT transients.

PITT (potentiostatic intermittent titration, Wen, Boukamp & Huggins 1979). After a small
potential step the current decays as the Li content relaxes to its new equilibrium. For a
film of thickness ``L`` fed from one face (the other blocking), with total step charge ``Q``::

    I(t) = (2 Q D / L^2) sum_{n>=0} exp(-(2n+1)^2 pi^2 D t / (4 L^2))
    long time (t >~ 0.1 L^2/D):  ln I = const - pi^2 D t / (4 L^2)   ->  D = -4 L^2 k / pi^2
    short time (t << L^2/D):     I = Q sqrt(D / (pi L^2 t))          ->  D = pi L^2 (s / Q)^2

with ``k = d ln I / dt`` and ``s`` the slope of ``I`` against ``t^-1/2``. For spheres of
radius ``r`` (``geometry="sphere"``, ``diffusion_length_cm = r``)::

    I(t) = (6 Q D / r^2) sum_{n>=1} exp(-n^2 pi^2 D t / r^2)   ->  D = -r^2 k / pi^2

GITT (galvanostatic intermittent titration, Weppner & Huggins 1977). A current pulse of
duration ``tau`` changes the voltage by ``dE_t`` during the pulse (IR drop excluded) and the
relaxed, equilibrium voltage by ``dE_s``; for ``tau << L^2/D``::

    D = (4 / (pi tau)) (m_B V_M / (M_B S))^2 (dE_s / dE_t)^2

where ``m_B V_M / (M_B S) = L`` is the diffusion length [cm] from the active mass ``m_B``
[g], molar volume ``V_M`` [cm^3/mol], molar mass ``M_B`` [g/mol] and area ``S`` [cm^2].
Either ``L`` or all four quantities must be given; nothing is defaulted.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sianode.errors import ComputationError, InputError, MissingMetadataError
from sianode.validation import POSITIVE, OneOf, check_params

__all__ = [
    "PITTResult",
    "pitt_diffusion_coefficient",
    "pitt_current_transient",
    "pitt_steps",
    "gitt_diffusion_length_cm",
    "gitt_diffusion_coefficient",
    "gitt_pulses",
    "GEOMETRIES",
]

GEOMETRIES = ("planar", "sphere")
_CONS = {
    "diffusion_length_cm": POSITIVE,
    "diffusion_coefficient_cm2_s": POSITIVE,
    "pulse_duration_s": POSITIVE,
    "molar_volume_cm3_mol": POSITIVE,
    "active_mass_g": POSITIVE,
    "molar_mass_g_mol": POSITIVE,
    "area_cm2": POSITIVE,
    "geometry": OneOf("diffusion geometry", GEOMETRIES),
    "method": OneOf("PITT method", ("long_time", "short_time")),
}


@dataclass(frozen=True)
class PITTResult:
    """Diffusion coefficient from one PITT step.

    Attributes
    ----------
    diffusion_coefficient_cm2_s : float
    method, geometry : str
    window_s : tuple of float
        Time window (from the step start) used for the fit [s].
    charge_C : float
        Integral of the current over the step [C].
    r_squared : float
        Of the linear fit used.
    """

    diffusion_coefficient_cm2_s: float
    method: str
    geometry: str
    window_s: tuple[float, float]
    charge_C: float
    r_squared: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PITTResult:
        return cls(**{**d, "window_s": tuple(d["window_s"])})


def _arrays(time_s: ArrayLike, *others: ArrayLike, names: tuple[str, ...]) -> list[np.ndarray]:
    arrs = [np.asarray(a, dtype=float) for a in (time_s, *others)]
    n = arrs[0].size
    for name, a in zip(("time_s", *names), arrs):
        if a.ndim != 1 or a.size != n:
            raise InputError(f"{name} must be 1-D with as many values as time_s ({n})")
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise InputError(f"{name}[{bad[0]}] is not finite ({float(a[bad[0]])!r})")
    if n < 3:
        raise InputError(f"a transient needs at least 3 points, got {n}")
    d = np.diff(arrs[0])
    if np.any(d <= 0):
        i = int(np.flatnonzero(d <= 0)[0])
        raise InputError(f"time_s must increase strictly; time_s[{i + 1}] = {float(arrs[0][i + 1])!r} "
                         f"after {float(arrs[0][i])!r}")
    return arrs


def _linfit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    a, b = np.polyfit(x, y, 1)
    ss = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - (a * x + b)) ** 2)) / ss if ss > 0 else 1.0
    return float(a), float(b), r2


def pitt_current_transient(
    time_s: ArrayLike, diffusion_coefficient_cm2_s: float, diffusion_length_cm: float,
    charge_C: float, geometry: str = "planar", n_terms: int = 200,
) -> np.ndarray:
    """Analytic PITT current [A] after a potential step (series in the module docstring).

    References
    ----------
    Wen, Boukamp & Huggins, J. Electrochem. Soc. 126, 2258 (1979), Eq. 11 (planar);
    Crank, *The Mathematics of Diffusion* (1975) Eq. 6.20 (sphere).
    """
    check_params({"diffusion_coefficient_cm2_s": diffusion_coefficient_cm2_s,
                  "diffusion_length_cm": diffusion_length_cm, "geometry": geometry}, _CONS)
    t = np.asarray(time_s, dtype=float)[:, None]
    d, length = diffusion_coefficient_cm2_s, diffusion_length_cm
    if geometry == "planar":
        k = (2 * np.arange(n_terms) + 1) ** 2 * np.pi**2 * d / (4 * length**2)
        return 2 * charge_C * d / length**2 * np.exp(-k * t).sum(axis=1)
    k = np.arange(1, n_terms + 1) ** 2 * np.pi**2 * d / length**2
    return 6 * charge_C * d / length**2 * np.exp(-k * t).sum(axis=1)


def pitt_diffusion_coefficient(
    time_s: ArrayLike,
    current_A: ArrayLike,
    *,
    diffusion_length_cm: float,
    geometry: str = "planar",
    method: str = "long_time",
    window_s: tuple[float, float] | None = None,
    charge_C: float | None = None,
    step_start_s: float | None = None,
) -> PITTResult:
    """Diffusion coefficient [cm^2/s] from one PITT current transient.

    Parameters
    ----------
    time_s : array_like
        Time [s]; the step starts at ``time_s[0]``.
    current_A : array_like
        Current [A] (sign ignored; it must not change sign in the window).
    diffusion_length_cm : float
        Film thickness (planar, one face active) or particle radius (sphere) [cm].
    geometry : {"planar", "sphere"}
    method : {"long_time", "short_time"}
        Slope of ``ln I`` vs ``t``, or Cottrell slope of ``I`` vs ``t^-1/2`` (planar only;
        uses the step charge ``Q = int I dt``, so the step must be complete).
    window_s : (float, float), optional
        Fit window measured from the step start [s]. Default: the second half of the step
        (long time) or the first twentieth (short time).
    charge_C : float, optional
        Total step charge ``Q`` [C] for the short-time formula; default ``int I dt`` over
        the record (then the step must have run to equilibrium).
    step_start_s : float, optional
        Time of the potential step [s]; default ``time_s[0]``.

    Returns
    -------
    PITTResult

    Raises
    ------
    ParameterError
        Non-positive length, unknown geometry/method.
    InputError
        Fewer than 3 points in the window, a current crossing zero, non-monotonic time.

    References
    ----------
    Wen, Boukamp & Huggins, J. Electrochem. Soc. 126, 2258 (1979), Eqs. 11-13; seed 002
    Methods (PITT, 2 mV steps of 15 min, LAND CT2001A) and Fig. 3f.
    """
    check_params({"diffusion_length_cm": diffusion_length_cm, "geometry": geometry,
                  "method": method}, _CONS)
    t, i = _arrays(time_s, current_A, names=("current_A",))
    t0 = float(t[0]) if step_start_s is None else float(step_start_s)
    if t0 > t[0]:
        raise InputError(f"step_start_s = {t0!r} is after the first time {float(t[0])!r}")
    t = t - t0
    charge = float(np.trapezoid(i, t)) if charge_C is None else float(charge_C)
    dur = float(t[-1])
    if window_s is None:
        window_s = (0.5 * dur, dur) if method == "long_time" else (0.0, 0.05 * dur)
    lo, hi = float(window_s[0]), float(window_s[1])
    m = (t >= lo) & (t <= hi) & (t > 0 if method == "short_time" else True)
    if m.sum() < 3:
        raise InputError(f"PITT window {window_s} s holds {int(m.sum())} points; need >= 3")
    iw = i[m]
    if not (np.all(iw > 0) or np.all(iw < 0)):
        raise InputError(f"PITT current changes sign or is zero inside the window {window_s} s")
    length = diffusion_length_cm
    if method == "long_time":
        k, _, r2 = _linfit(t[m], np.log(np.abs(iw)))
        if k >= 0:
            raise ComputationError("PITT current does not decay in the fit window")
        factor = 4.0 if geometry == "planar" else 1.0
        d = -factor * length**2 * k / np.pi**2
    else:
        if geometry != "planar":
            raise InputError("the short-time (Cottrell) PITT formula is for planar geometry")
        s, _, r2 = _linfit(t[m] ** -0.5, np.abs(iw))
        d = np.pi * length**2 * (s / abs(charge)) ** 2
    return PITTResult(float(d), method, geometry, (lo, hi), charge, r2)


def _segments(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(mask.astype(int))) + 1
    bounds = np.concatenate([[0], edges, [mask.size]])
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:]) if mask[a]]


def pitt_steps(
    time_s: ArrayLike, voltage_V: ArrayLike, current_A: ArrayLike, *,
    diffusion_length_cm: float, geometry: str = "planar", min_step_mV: float = 0.5,
    method: str = "long_time",
) -> list[dict[str, float]]:
    """Split a PITT staircase into steps (voltage jumps >= ``min_step_mV``) and fit each.

    Returns
    -------
    list of dict
        ``step``, ``voltage_V`` (held potential), ``duration_s``, ``charge_C``,
        ``diffusion_coefficient_cm2_s``, ``r_squared``.

    References
    ----------
    Seed 002 Methods and Fig. 3f (D at 3.9 V: 2.09e-6 cm^2/s for Li21Si5/Si-Li21Si5).
    """
    t, v, i = _arrays(time_s, voltage_V, current_A, names=("voltage_V", "current_A"))
    jumps = np.flatnonzero(np.abs(np.diff(v)) >= min_step_mV * 1e-3) + 1
    starts = np.concatenate([[0], jumps])
    ends = np.concatenate([jumps, [t.size]])
    out = []
    for k, (a, b) in enumerate(zip(starts, ends)):
        if b - a < 6:
            continue
        r = pitt_diffusion_coefficient(t[a:b], i[a:b], diffusion_length_cm=diffusion_length_cm,
                                       geometry=geometry, method=method)
        out.append({"step": k, "voltage_V": float(np.median(v[a:b])),
                    "duration_s": float(t[b - 1] - t[a]), "charge_C": r.charge_C,
                    "diffusion_coefficient_cm2_s": r.diffusion_coefficient_cm2_s,
                    "r_squared": r.r_squared})
    if not out:
        raise InputError("no PITT step with >= 6 points found (check min_step_mV)")
    return out


def gitt_diffusion_length_cm(
    *, diffusion_length_cm: float | None = None, molar_volume_cm3_mol: float | None = None,
    active_mass_g: float | None = None, molar_mass_g_mol: float | None = None,
    area_cm2: float | None = None,
) -> float:
    """``L`` [cm] as given, or ``m_B V_M / (M_B S)`` (Weppner-Huggins geometry).

    Raises
    ------
    MissingMetadataError
        Neither ``L`` nor all of ``V_M``, ``m_B``, ``M_B``, ``S`` given (names the missing).

    References
    ----------
    Weppner & Huggins, J. Electrochem. Soc. 124, 1569 (1977), Eq. 32.
    """
    vals = {"diffusion_length_cm": diffusion_length_cm, "molar_volume_cm3_mol":
            molar_volume_cm3_mol, "active_mass_g": active_mass_g,
            "molar_mass_g_mol": molar_mass_g_mol, "area_cm2": area_cm2}
    check_params(vals, _CONS)
    if diffusion_length_cm is not None:
        return float(diffusion_length_cm)
    missing = [k for k, v in vals.items() if v is None and k != "diffusion_length_cm"]
    if missing:
        raise MissingMetadataError("GITT needs diffusion_length_cm, or molar_volume_cm3_mol, "
                                   "active_mass_g, molar_mass_g_mol and area_cm2; missing: "
                                   + ", ".join(missing))
    return float(active_mass_g * molar_volume_cm3_mol / (molar_mass_g_mol * area_cm2))


def gitt_diffusion_coefficient(
    pulse_duration_s: float, delta_Es_V: ArrayLike, delta_Et_V: ArrayLike, **geometry: float | None
) -> np.ndarray | float:
    """Weppner-Huggins GITT diffusion coefficient [cm^2/s].

    Parameters
    ----------
    pulse_duration_s : float
        Pulse length ``tau`` [s]; valid for ``tau << L^2 / D``.
    delta_Es_V, delta_Et_V : array_like
        Change of the relaxed voltage over the pulse + rest, and of the voltage during the
        pulse without the IR drop [V].
    **geometry
        ``diffusion_length_cm`` or ``molar_volume_cm3_mol``, ``active_mass_g``,
        ``molar_mass_g_mol``, ``area_cm2`` (see :func:`gitt_diffusion_length_cm`).

    References
    ----------
    Weppner & Huggins, J. Electrochem. Soc. 124, 1569 (1977), Eq. 32.
    """
    check_params({"pulse_duration_s": pulse_duration_s}, _CONS)
    length = gitt_diffusion_length_cm(**geometry)
    es = np.asarray(delta_Es_V, dtype=float)
    et = np.asarray(delta_Et_V, dtype=float)
    if np.any(et == 0) or not np.all(np.isfinite(es)) or not np.all(np.isfinite(et)):
        raise InputError("delta_Et_V must be finite and non-zero; delta_Es_V finite")
    d = 4.0 / (np.pi * pulse_duration_s) * length**2 * (es / et) ** 2
    return float(d) if d.ndim == 0 else d


def gitt_pulses(
    time_s: ArrayLike, voltage_V: ArrayLike, current_A: ArrayLike, *,
    current_threshold_A: float | None = None, sqrt_fit_fraction: float = 0.2,
    **geometry: float | None,
) -> list[dict[str, float]]:
    """Find current pulses and rests in a GITT record and compute D for each pulse.

    ``dE_s`` = last voltage of the rest after the pulse minus last voltage of the rest
    before it; ``dE_t`` = last voltage of the pulse minus the voltage at the pulse start
    extrapolated (linear in ``sqrt(t)`` over the first ``sqrt_fit_fraction`` of the pulse),
    which excludes the IR jump.

    Returns
    -------
    list of dict
        ``pulse``, ``start_s``, ``duration_s``, ``current_A``, ``voltage_V`` (relaxed after),
        ``delta_Es_V``, ``delta_Et_V``, ``diffusion_coefficient_cm2_s``.

    References
    ----------
    Weppner & Huggins, J. Electrochem. Soc. 124, 1569 (1977).
    """
    t, v, i = _arrays(time_s, voltage_V, current_A, names=("voltage_V", "current_A"))
    thr = current_threshold_A if current_threshold_A is not None else 0.05 * np.max(np.abs(i))
    if not thr > 0:
        raise InputError("no current pulse found (current is zero everywhere)")
    on = np.abs(i) > thr
    pulses = _segments(on)
    length = gitt_diffusion_length_cm(**geometry)
    out = []
    for k, (a, b) in enumerate(pulses):
        if a == 0 or b >= t.size or b - a < 4:
            continue  # needs a rest before and after
        nxt = next((p[0] for p in pulses if p[0] > b), t.size)
        e0, e3 = v[a - 1], v[nxt - 1]
        tp = t[a:b] - t[a - 1]
        nfit = max(3, int(math.ceil(sqrt_fit_fraction * (b - a))))
        s, e1, _ = _linfit(np.sqrt(tp[:nfit]), v[a:a + nfit])
        tau = float(t[b - 1] - t[a - 1])
        des, det = float(e3 - e0), float(v[b - 1] - e1)
        d = gitt_diffusion_coefficient(tau, des, det, diffusion_length_cm=length)
        out.append({"pulse": k, "start_s": float(t[a - 1]), "duration_s": tau,
                    "current_A": float(np.mean(i[a:b])), "voltage_V": float(e3),
                    "delta_Es_V": des, "delta_Et_V": det, "diffusion_coefficient_cm2_s": d})
    if not out:
        raise InputError("no complete GITT pulse (rest - pulse - rest) found")
    return out
