"""XRD peak broadening: pseudo-Voigt FWHM fits, Scherrer size and Williamson-Hall.

Conventions: angles in degrees 2θ on input and output, breadths converted to radians of
2θ inside the formulas; θ is half of 2θ. Sample broadening is the observed FWHM minus the
instrument's, either linearly (``correction="linear"``: Lorentzian profiles, and what seed
001 reports as ΔFWHM against pristine Si) or in quadrature (``"quadratic"``: Gaussian).

Williamson-Hall (sizes and strains add as breadths)::

    β = K λ / (D cos θ) + 4 ε tan θ        ("broadening" form, seed 001 Fig. 3c,d)
    β cos θ = K λ / D + 4 ε sin θ          ("classic" form, a straight line)

with β the sample FWHM [rad 2θ], K the Scherrer shape factor (0.9 for spherical
crystallites with FWHM), λ the wavelength, D the volume-weighted crystallite size and ε
the microstrain. Scherrer alone is the strain-free special case, ``D = K λ / (β cos θ)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sianode.errors import ComputationError, InputError
from sianode.records import DictRecord
from sianode.units import CU_KALPHA1_WAVELENGTH_A, SI_LATTICE_PARAMETER_A
from sianode.validation import NON_NEGATIVE, POSITIVE, Interval, OneOf, check_params

__all__ = [
    "pseudo_voigt",
    "PeakFit",
    "fit_pseudo_voigt",
    "sample_fwhm_deg",
    "scherrer_size_nm",
    "WilliamsonHallResult",
    "williamson_hall",
    "bragg_two_theta_deg",
    "si_reflections_two_theta_deg",
    "CORRECTIONS",
]

CORRECTIONS = ("linear", "quadratic")
_CONS = {
    "wavelength_A": POSITIVE,
    "shape_factor": POSITIVE,
    "fwhm_deg": POSITIVE,
    "instrument_fwhm_deg": NON_NEGATIVE,
    "two_theta_deg": Interval(0.0, 180.0, left_closed=False, right_closed=False),
    "correction": OneOf("instrument-broadening correction", CORRECTIONS),
    "form": OneOf("Williamson-Hall form", ("broadening", "classic")),
    "eta": Interval(0.0, 1.0),
}


def pseudo_voigt(x: ArrayLike, center: float, fwhm: float, area: float, eta: float
                 ) -> np.ndarray:
    """Pseudo-Voigt profile ``area [eta L + (1 - eta) G]``, L and G of equal ``fwhm``.

    References
    ----------
    Wertheim et al., Rev. Sci. Instrum. 45, 1369 (1974); Thompson, Cox & Hastings,
    J. Appl. Cryst. 20, 79 (1987).
    """
    x = np.asarray(x, dtype=float)
    hw = fwhm / 2.0
    lor = hw / np.pi / ((x - center) ** 2 + hw**2)
    sg = fwhm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    gau = np.exp(-0.5 * ((x - center) / sg) ** 2) / (sg * math.sqrt(2 * np.pi))
    return area * (eta * lor + (1.0 - eta) * gau)


@dataclass(frozen=True)
class PeakFit(DictRecord):
    """A fitted pseudo-Voigt peak on a linear background (angles in degrees 2θ)."""

    center_deg: float
    fwhm_deg: float
    eta: float
    area: float
    background_intercept: float
    background_slope: float
    center_err_deg: float
    fwhm_err_deg: float
    r_squared: float


def fit_pseudo_voigt(
    two_theta_deg: ArrayLike, intensity: ArrayLike, *,
    window_deg: tuple[float, float] | None = None,
) -> PeakFit:
    """Fit one pseudo-Voigt peak plus a linear background.

    Parameters
    ----------
    two_theta_deg, intensity : array_like
        The pattern (2θ [deg], counts); ``window_deg`` selects the part around one peak.

    Returns
    -------
    PeakFit

    Raises
    ------
    InputError
        Fewer than 7 points, non-finite values, unsorted angles, no peak above background.
    ComputationError
        The least-squares fit does not converge.

    References
    ----------
    Seed 001 Fig. 3c,d and Extended Data Fig. 6a-e (FWHM of Si reflections).
    """
    from scipy.optimize import curve_fit

    x = np.asarray(two_theta_deg, dtype=float)
    y = np.asarray(intensity, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise InputError("two_theta_deg and intensity must be 1-D arrays of equal length")
    if window_deg is not None:
        m = (x >= window_deg[0]) & (x <= window_deg[1])
        x, y = x[m], y[m]
    if x.size < 7:
        raise InputError(f"a peak fit needs >= 7 points, got {x.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise InputError("two_theta_deg and intensity must be finite")
    if np.any(np.diff(x) <= 0):
        raise InputError("two_theta_deg must increase strictly")
    b0 = float(np.median(np.concatenate([y[:3], y[-3:]])))
    k = int(np.argmax(y))
    height = y[k] - b0
    if height <= 0:
        raise InputError("no peak above the background in the window")
    half = np.flatnonzero(y - b0 >= height / 2)
    w0 = max(float(x[half[-1]] - x[half[0]]), 2 * float(np.min(np.diff(x))))
    p0 = [x[k], w0, height * w0 * 1.2, 0.5, b0, 0.0]
    lo = [x[0], 1e-6, 0.0, 0.0, -np.inf, -np.inf]
    hi = [x[-1], x[-1] - x[0], np.inf, 1.0, np.inf, np.inf]

    def model(xx: np.ndarray, c: float, w: float, a: float, e: float, b: float, s: float
              ) -> np.ndarray:
        return pseudo_voigt(xx, c, w, a, e) + b + s * (xx - x[0])

    try:
        popt, pcov = curve_fit(model, x, y, p0=p0, bounds=(lo, hi), maxfev=20000)
    except (RuntimeError, ValueError) as exc:
        raise ComputationError(f"pseudo-Voigt fit did not converge: {exc}") from exc
    err = np.sqrt(np.clip(np.diag(pcov), 0, None))
    res = y - model(x, *popt)
    ss = float(np.sum((y - y.mean()) ** 2))
    r2 = 1 - float(np.sum(res**2)) / ss if ss > 0 else 1.0
    return PeakFit(float(popt[0]), float(popt[1]), float(popt[3]), float(popt[2]),
                   float(popt[4]), float(popt[5]), float(err[0]), float(err[1]), r2)


def sample_fwhm_deg(fwhm_deg: ArrayLike, instrument_fwhm_deg: ArrayLike = 0.0,
                    correction: str = "linear") -> np.ndarray | float:
    """Sample FWHM [deg 2θ] after removing instrument broadening.

    ``linear``: ``β = B - b`` (Lorentzian; seed 001's ΔFWHM against pristine Si);
    ``quadratic``: ``β = sqrt(B^2 - b^2)`` (Gaussian).

    Raises
    ------
    ParameterError
        Non-positive FWHM, negative instrument FWHM, unknown correction.
    InputError
        Instrument FWHM not smaller than the observed one (names the peak index).

    References
    ----------
    Seed 001 Methods ("Broadening of FWHM was calculated based on a comparison with
    pristine Si"); Klug & Alexander, *X-ray Diffraction Procedures* (1974), ch. 9.
    """
    check_params({"fwhm_deg": fwhm_deg, "instrument_fwhm_deg": instrument_fwhm_deg,
                  "correction": correction}, _CONS)
    b_obs = np.asarray(fwhm_deg, dtype=float)
    b_ins = np.broadcast_to(np.asarray(instrument_fwhm_deg, dtype=float), b_obs.shape)
    bad = np.flatnonzero(np.atleast_1d(b_ins >= b_obs))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"peak {i}: instrument FWHM {np.atleast_1d(b_ins)[i]:g} deg is not "
                         f"smaller than the observed {np.atleast_1d(b_obs)[i]:g} deg")
    out = b_obs - b_ins if correction == "linear" else np.sqrt(b_obs**2 - b_ins**2)
    return float(out) if out.ndim == 0 else out


def scherrer_size_nm(
    two_theta_deg: ArrayLike, fwhm_deg: ArrayLike, *,
    instrument_fwhm_deg: ArrayLike = 0.0, wavelength_A: float = CU_KALPHA1_WAVELENGTH_A,
    shape_factor: float = 0.9, correction: str = "linear",
) -> np.ndarray | float:
    """Scherrer crystallite size ``D = K λ / (β cos θ)`` [nm].

    References
    ----------
    Scherrer, Nachr. Ges. Wiss. Göttingen 98 (1918); Langford & Wilson, J. Appl. Cryst.
    11, 102 (1978) (K = 0.9 for FWHM).

    Examples
    --------
    >>> round(scherrer_size_nm(28.44, 0.25), 1)   # Si(111), seed 001 liquid, 10 min
    32.8
    """
    check_params({"two_theta_deg": two_theta_deg, "wavelength_A": wavelength_A,
                  "shape_factor": shape_factor}, _CONS)
    beta = np.deg2rad(sample_fwhm_deg(fwhm_deg, instrument_fwhm_deg, correction))
    theta = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
    d = shape_factor * wavelength_A * 0.1 / (beta * np.cos(theta))
    return float(d) if np.ndim(d) == 0 else d


@dataclass(frozen=True)
class WilliamsonHallResult(DictRecord):
    """Size and microstrain from a Williamson-Hall fit.

    ``size_nm`` is ``inf`` when the size term is zero or negative (no size broadening
    resolved); ``strain`` can come out negative for noisy data and is reported as fitted.
    """

    size_nm: float
    size_err_nm: float
    strain: float
    strain_err: float
    size_term_rad: float
    strain_term: float
    r_squared: float
    form: str
    n_peaks: int


def williamson_hall(
    two_theta_deg: ArrayLike, fwhm_deg: ArrayLike, *,
    instrument_fwhm_deg: ArrayLike = 0.0, wavelength_A: float = CU_KALPHA1_WAVELENGTH_A,
    shape_factor: float = 0.9, correction: str = "linear", form: str = "broadening",
) -> WilliamsonHallResult:
    """Separate size (1/cos θ) and strain (tan θ) broadening over several reflections.

    Parameters
    ----------
    two_theta_deg, fwhm_deg : array_like
        Peak positions and observed FWHM [deg 2θ], >= 2 peaks (>= 3 for uncertainties).
    instrument_fwhm_deg : array_like
        Instrument FWHM [deg] (a pristine/standard sample), scalar or one per peak.
    wavelength_A : float
        X-ray wavelength [Å] (Cu Kα1 by default; seed 001 Rigaku Miniflex, Cu Kα).
    shape_factor : float
        Scherrer K.
    correction : {"linear", "quadratic"}
        Instrument subtraction (see :func:`sample_fwhm_deg`).
    form : {"broadening", "classic"}
        Least squares of ``β = a tan θ + b / cos θ`` (seed 001 Fig. 3c,d) or straight line
        ``β cos θ = b + a sin θ``; ``a = 4 ε``, ``b = K λ / D``.

    Returns
    -------
    WilliamsonHallResult

    References
    ----------
    Williamson & Hall, Acta Metall. 1, 22 (1953); seed 001 Fig. 3c,d and Extended Data
    Fig. 6a,b (FWHM vs 2θ of Si fitted with tan θ and 1/cos θ terms).
    """
    check_params({"two_theta_deg": two_theta_deg, "wavelength_A": wavelength_A,
                  "shape_factor": shape_factor, "form": form}, _CONS)
    tt = np.atleast_1d(np.asarray(two_theta_deg, dtype=float))
    beta = np.deg2rad(np.atleast_1d(sample_fwhm_deg(fwhm_deg, instrument_fwhm_deg, correction)))
    if tt.shape != beta.shape:
        raise InputError(f"{tt.size} peak positions but {beta.size} FWHM values")
    if tt.size < 2 or np.unique(tt).size < 2:
        raise InputError("Williamson-Hall needs at least two distinct reflections")
    th = np.deg2rad(tt) / 2
    if form == "broadening":
        a_mat = np.column_stack([np.tan(th), 1 / np.cos(th)])
        y = beta
    else:
        a_mat = np.column_stack([np.sin(th), np.ones_like(th)])
        y = beta * np.cos(th)
    coef, *_ = np.linalg.lstsq(a_mat, y, rcond=None)
    res = y - a_mat @ coef
    dof = tt.size - 2
    if dof > 0:
        s2 = float(res @ res) / dof
        try:
            cov = s2 * np.linalg.inv(a_mat.T @ a_mat)
        except np.linalg.LinAlgError as exc:
            raise ComputationError("Williamson-Hall design matrix is singular") from exc
        err = np.sqrt(np.clip(np.diag(cov), 0, None))
    else:
        err = np.array([np.nan, np.nan])
    ss = float(np.sum((y - y.mean()) ** 2))
    r2 = 1 - float(res @ res) / ss if ss > 0 else 1.0
    a, b = float(coef[0]), float(coef[1])
    k_lambda_nm = shape_factor * wavelength_A * 0.1
    size = k_lambda_nm / b if b > 0 else math.inf
    size_err = k_lambda_nm * float(err[1]) / b**2 if b > 0 else math.inf
    return WilliamsonHallResult(size, size_err, a / 4, float(err[0]) / 4, b, a, r2, form,
                                int(tt.size))


def bragg_two_theta_deg(d_spacing_A: ArrayLike, wavelength_A: float = CU_KALPHA1_WAVELENGTH_A
                        ) -> np.ndarray | float:
    """Bragg angle ``2θ = 2 asin(λ / 2d)`` [deg] for spacing ``d`` [Å].

    References
    ----------
    Bragg's law, ``λ = 2 d sin θ``.
    """
    d = np.asarray(d_spacing_A, dtype=float)
    s = wavelength_A / (2 * d)
    if np.any(~np.isfinite(s)) or np.any(s > 1) or np.any(s <= 0):
        raise InputError(f"d spacing {d_spacing_A!r} Å is not reachable with λ = {wavelength_A} Å")
    out = 2 * np.rad2deg(np.arcsin(s))
    return float(out) if out.ndim == 0 else out


#: Allowed diamond-cubic Si reflections in 2θ order up to 2θ ≈ 90° with Cu Kα.
SI_REFLECTIONS_HKL = ((1, 1, 1), (2, 2, 0), (3, 1, 1), (4, 0, 0), (3, 3, 1), (4, 2, 2))


def si_reflections_two_theta_deg(wavelength_A: float = CU_KALPHA1_WAVELENGTH_A) -> dict[str, float]:
    """2θ [deg] of the Si reflections in :data:`SI_REFLECTIONS_HKL` (a = 5.431 Å).

    References
    ----------
    CODATA 2018 Si lattice parameter; seed 001 Fig. 3c,d (Si peaks, Cu Kα).
    """
    return {"".join(map(str, hkl)): bragg_two_theta_deg(
        SI_LATTICE_PARAMETER_A / math.sqrt(sum(i * i for i in hkl)), wavelength_A)
        for hkl in SI_REFLECTIONS_HKL}
