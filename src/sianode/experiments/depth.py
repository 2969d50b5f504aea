"""Depth and thickness: XPS sputter depth and EELS log-ratio thickness.

XPS depth profile: ``depth = rate x etch time``; the rate is a property of the material
and the ion beam, so it is always stated (:data:`SPUTTER_RATES_NM_S` holds the two seed 001
uses, with their sources).

EELS log-ratio thickness: ``t / λ = ln(I_t / I_0)`` with ``I_t`` the integral of the
whole spectrum and ``I_0`` that of the zero-loss peak (``I_t >= I_0``, so the log ratio is
>= 0). The inelastic mean free path ``λ`` is given, or computed by

* Malis, Cheng & Egerton (1988): ``λ = 106 F E0 / (E_m ln(2 β E0 / E_m))`` [nm], with
  ``E_m = 7.6 Z_eff^0.36`` [eV], ``F = (1 + E0/1022) / (1 + E0/511)^2``, ``E0`` [keV],
  ``β`` the collection semi-angle [mrad] and ``Z_eff = Σ f_i Z_i^1.3 / Σ f_i Z_i^0.3``
  over atomic fractions ``f_i``; valid for small convergence angles.
* Iakoubovskii et al. (2008), Eq. 9, which includes the convergence semi-angle ``α``::

      1/λ = 11 ρ^0.3 / (200 F E0) ln[ (α²+β²+2θ_E²+|α²-β²|) / (α²+β²+2θ_C²+|α²-β²|)
                                      · θ_C² / θ_E² ]

  with ``θ_E = 5.5 ρ^0.3 / (F E0)`` [mrad], ``θ_C = 20`` mrad, ``ρ`` [g/cm³].
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from sianode.errors import InputError, ParameterError, UnknownNameError
from sianode.validation import NON_NEGATIVE, POSITIVE, check_params

__all__ = [
    "SPUTTER_RATES_NM_S",
    "sputter_depth_nm",
    "eels_relative_thickness",
    "eels_thickness_nm",
    "malis_effective_z",
    "malis_mean_free_path_nm",
    "iakoubovskii_mean_free_path_nm",
]

#: Ar-ion sputter rates [nm/s] quoted by seed 001, with their sources.
SPUTTER_RATES_NM_S: dict[str, dict[str, object]] = {
    "SiO2": {"rate_nm_s": 0.052, "source": "seed 001 Methods: ~0.52 Å/s for the SiO2 reference "
             "(refs 29, 30: Chang et al. ACS Appl. Nano Mater. 5, 4260 (2022); Kyoung et al. "
             "Surf. Interface Anal. 46, 58 (2014)); 0.5 keV Ar+, ~0.6 µA"},
    "Si": {"rate_nm_s": 0.7, "source": "seed 001 Extended Data Fig. 5c: 0.7 nm/s sputtering "
           "rate for Si at higher milling energy"},
}

_CONS = {
    "etch_time_s": NON_NEGATIVE,
    "rate_nm_s": POSITIVE,
    "mean_free_path_nm": POSITIVE,
    "beam_energy_keV": POSITIVE,
    "collection_semiangle_mrad": POSITIVE,
    "convergence_semiangle_mrad": NON_NEGATIVE,
    "density_g_cm3": POSITIVE,
    "z_eff": POSITIVE,
    "total_integral": POSITIVE,
    "zero_loss_integral": POSITIVE,
}


def sputter_depth_nm(etch_time_s: ArrayLike, rate_nm_s: float | str) -> np.ndarray | float:
    """Sputtered depth [nm] after ``etch_time_s`` [s] at ``rate_nm_s`` [nm/s].

    Parameters
    ----------
    etch_time_s : array_like
        Etch (milling) time [s], >= 0.
    rate_nm_s : float or str
        Sputter rate [nm/s], or a key of :data:`SPUTTER_RATES_NM_S` (``"SiO2"``, ``"Si"``).

    Raises
    ------
    ParameterError
        Negative time or non-positive rate.
    UnknownNameError
        Unknown reference material.

    References
    ----------
    Seed 001 Fig. 2f (500 s -> ~26 nm, 1,500 s -> ~78 nm at 0.52 Å/s) and Extended Data
    Fig. 5c (0.7 nm/s for Si).

    Examples
    --------
    >>> sputter_depth_nm(500, "SiO2"), sputter_depth_nm(1500, "SiO2")
    (26.0, 78.0)
    """
    if isinstance(rate_nm_s, str):
        if rate_nm_s not in SPUTTER_RATES_NM_S:
            raise UnknownNameError("sputter-rate reference", rate_nm_s, SPUTTER_RATES_NM_S)
        rate_nm_s = float(SPUTTER_RATES_NM_S[rate_nm_s]["rate_nm_s"])  # type: ignore[arg-type]
    check_params({"etch_time_s": etch_time_s, "rate_nm_s": rate_nm_s}, _CONS)
    out = np.round(np.asarray(etch_time_s, dtype=float) * rate_nm_s, 12)
    return float(out) if out.ndim == 0 else out


def eels_relative_thickness(
    log_ratio: float | None = None, *, total_integral: float | None = None,
    zero_loss_integral: float | None = None,
) -> float:
    """``t/λ = ln(I_t / I_0)`` from the log ratio or from the two integrals.

    Raises
    ------
    ParameterError
        A negative log ratio (``I_t < I_0`` is impossible: a value written as
        ``ln(I_0/I_t)`` must be negated), ``I_t < I_0``, or both/neither inputs given.

    References
    ----------
    Egerton, *Electron Energy-Loss Spectroscopy in the Electron Microscope*, 3rd ed.
    (2011), Eq. 5.1; seed 001 Methods (ln ratio 0.54, 65 nm).
    """
    if (log_ratio is None) == (total_integral is None or zero_loss_integral is None):
        raise ParameterError("log_ratio", log_ratio, "either log_ratio or both "
                             "total_integral and zero_loss_integral")
    if log_ratio is None:
        check_params({"total_integral": total_integral,
                      "zero_loss_integral": zero_loss_integral}, _CONS)
        assert total_integral is not None
        assert zero_loss_integral is not None
        if total_integral < zero_loss_integral:
            raise ParameterError("total_integral", total_integral,
                                 f">= zero_loss_integral ({zero_loss_integral!r})")
        return math.log(total_integral / zero_loss_integral)
    if not (isinstance(log_ratio, int | float) and math.isfinite(log_ratio) and log_ratio >= 0):
        raise ParameterError("log_ratio", log_ratio, "ln(I_t/I_0) >= 0 (I_t includes I_0); "
                             "a negative number is ln(I_0/I_t): pass its absolute value")
    return float(log_ratio)


def _relativistic_f(beam_energy_keV: float) -> float:
    return (1 + beam_energy_keV / 1022.0) / (1 + beam_energy_keV / 511.0) ** 2


def malis_effective_z(composition: Mapping[str, float] | str) -> float:
    """Malis effective atomic number ``Σ f Z^1.3 / Σ f Z^0.3`` over atomic fractions.

    ``composition`` is a mapping element -> amount or a formula (``"Li15Si4"``).

    References
    ----------
    Malis, Cheng & Egerton, J. Electron Microsc. Tech. 8, 193 (1988).
    """
    from ase.data import atomic_numbers
    from ase.formula import Formula

    if isinstance(composition, str):
        try:
            composition = dict(Formula(composition).count())
        except ValueError as exc:
            raise ParameterError("composition", composition, "a chemical formula") from exc
    num = den = 0.0
    for el, amount in composition.items():
        if el not in atomic_numbers:
            raise UnknownNameError("element", el, [e for e in atomic_numbers if e != "X"])
        if not (math.isfinite(amount) and amount >= 0):
            raise ParameterError(f"composition[{el}]", amount, ">= 0")
        z = atomic_numbers[el]
        num += amount * z**1.3
        den += amount * z**0.3
    if den <= 0:
        raise ParameterError("composition", composition, "at least one element with amount > 0")
    return num / den


def malis_mean_free_path_nm(
    beam_energy_keV: float, collection_semiangle_mrad: float, z_eff: float
) -> float:
    """Inelastic mean free path [nm] by the Malis formula (module docstring).

    References
    ----------
    Malis, Cheng & Egerton, J. Electron Microsc. Tech. 8, 193 (1988); Egerton (2011)
    Eq. 5.2.
    """
    check_params({"beam_energy_keV": beam_energy_keV, "collection_semiangle_mrad":
                  collection_semiangle_mrad, "z_eff": z_eff}, _CONS)
    e_m = 7.6 * z_eff**0.36
    arg = 2 * collection_semiangle_mrad * beam_energy_keV / e_m
    if arg <= 1:
        raise InputError("Malis formula needs 2 β E0 / E_m > 1 (collection angle too small)")
    return 106 * _relativistic_f(beam_energy_keV) * beam_energy_keV / (e_m * math.log(arg))


def iakoubovskii_mean_free_path_nm(
    beam_energy_keV: float, density_g_cm3: float, collection_semiangle_mrad: float,
    convergence_semiangle_mrad: float = 0.0,
) -> float:
    """Inelastic mean free path [nm] by Iakoubovskii et al. Eq. 9 (module docstring).

    References
    ----------
    Iakoubovskii, Mitsuishi, Nakayama & Furuya, Microsc. Res. Tech. 71, 626 (2008), Eq. 9.
    """
    check_params({"beam_energy_keV": beam_energy_keV, "density_g_cm3": density_g_cm3,
                  "collection_semiangle_mrad": collection_semiangle_mrad,
                  "convergence_semiangle_mrad": convergence_semiangle_mrad}, _CONS)
    f = _relativistic_f(beam_energy_keV)
    rho3 = density_g_cm3**0.3
    th_e = 5.5 * rho3 / (f * beam_energy_keV)
    th_c = 20.0
    a2, b2 = convergence_semiangle_mrad**2, collection_semiangle_mrad**2
    num = a2 + b2 + 2 * th_e**2 + abs(a2 - b2)
    den = a2 + b2 + 2 * th_c**2 + abs(a2 - b2)
    inv = 11 * rho3 / (200 * f * beam_energy_keV) * math.log(num / den * th_c**2 / th_e**2)
    return 1.0 / inv


def eels_thickness_nm(
    log_ratio: float | None = None, *, mean_free_path_nm: float,
    total_integral: float | None = None, zero_loss_integral: float | None = None,
) -> float:
    """Specimen thickness ``t = λ ln(I_t/I_0)`` [nm].

    Parameters
    ----------
    log_ratio : float, optional
        ``ln(I_t/I_0)`` (or give ``total_integral`` and ``zero_loss_integral``).
    mean_free_path_nm : float
        ``λ`` [nm], given or from :func:`malis_mean_free_path_nm` /
        :func:`iakoubovskii_mean_free_path_nm`.

    References
    ----------
    Egerton (2011) Eq. 5.1; seed 001 Methods (65 nm FIB lamella, ln ratio 0.54, 200 kV,
    α = 30 mrad, β = 43 mrad).

    Examples
    --------
    >>> round(eels_thickness_nm(0.54, mean_free_path_nm=120.0), 1)
    64.8
    """
    check_params({"mean_free_path_nm": mean_free_path_nm}, _CONS)
    rel = eels_relative_thickness(log_ratio, total_integral=total_integral,
                                  zero_loss_integral=zero_loss_integral)
    return rel * float(mean_free_path_nm)
