"""Thickness and porosity of a Si electrode through lithiation to Li_xSi.

The electrode keeps its footprint up to an assumed in-plane areal strain (0 by default:
fully constrained in-plane, as in a pellet or a calendered film), so the solid volume per
area grows as ``V(x)/V(Si)`` and goes into thickness and into filling pores. ``V(x)`` is
the volume per Si of the lithiated phase: a named phase's crystallographic value or the
amorphous linear law (:func:`~sianode.electrode.phases.amorphous_volume_per_si_A3`).

Seed 003: 3.8 mg/cm² of Si, 27 µm pristine (about 40 % porous), about 55 µm after
lithiation to Li3.35Si, i.e. almost no porosity left (its Table S1: < 10 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sianode.electrode.phases import LI_SI_PHASES, amorphous_volume_per_si_A3
from sianode.errors import ParameterError
from sianode.records import DictRecord
from sianode.units import AVOGADRO_MOL, MOLAR_MASS_SI_G_MOL, cm_to_um
from sianode.validation import (
    LI_PER_HOST,
    LOADING_MG_CM2,
    POSITIVE,
    THICKNESS_UM,
    Interval,
    OneOf,
    check_params,
)

_OTHER_UM = Interval(0.0, THICKNESS_UM.high, reason=THICKNESS_UM.reason)

__all__ = [
    "ThicknessState",
    "expansion_rate",
    "si_dense_thickness_um",
    "thickness_at_porosity_um",
    "porosity_at_thickness",
    "thickness_through_lithiation",
    "li_per_si_at_thickness",
]

_POROSITY = Interval(0.0, 1.0, right_closed=False)
_MODES = OneOf("thickness model", ("pore-filling", "constant-porosity"))
_AREAL = Interval(-0.5, 10.0, left_closed=False, reason="in-plane areal strain dA/A0")


def expansion_rate(thickness_before_um: float, thickness_after_um: float) -> float:
    """Thickness expansion rate [-] = (t_after - t_before) / t_before.

    References
    ----------
    Seed 002: 105 -> 121.4 µm is 15.6 %, 22.1 -> 37.4 µm is 69.2 %, 105 -> 120.3 µm is
    14.5 %.

    Examples
    --------
    >>> round(100 * expansion_rate(50.2, 64.9), 1)
    29.3
    """
    check_params({"thickness_before_um": thickness_before_um,
                  "thickness_after_um": thickness_after_um},
                 {"thickness_before_um": THICKNESS_UM, "thickness_after_um": THICKNESS_UM})
    return (thickness_after_um - thickness_before_um) / thickness_before_um


def _volume_per_si_A3(li_per_si: float, volume_per_si_A3: float | None) -> float:
    if volume_per_si_A3 is not None:
        check_params({"volume_per_si_A3": volume_per_si_A3}, {"volume_per_si_A3": POSITIVE})
        return float(volume_per_si_A3)
    return amorphous_volume_per_si_A3(li_per_si)


def si_dense_thickness_um(
    si_loading_mg_cm2: float,
    li_per_si: float = 0.0,
    *,
    volume_per_si_A3: float | None = None,
    other_solids_um: float = 0.0,
    areal_strain: float = 0.0,
) -> float:
    """Pore-free thickness [µm] of the Si (as Li_xSi) plus other solids, per area.

    Parameters
    ----------
    si_loading_mg_cm2 : float
        Si mass per pristine area [mg/cm²].
    li_per_si : float
        Lithiation state x of Li_xSi [-].
    volume_per_si_A3 : float, optional
        Volume per Si of the lithiated phase [Å³]; default: amorphous linear law.
    other_solids_um : float
        Pore-free thickness of inert solids (binder, carbon, electrolyte) [µm].
    areal_strain : float
        In-plane areal strain dA/A0 of the electrode [-] (0: constrained in-plane).

    References
    ----------
    Seed 003 text around Fig. S5 and its Table S1 logic.

    Examples
    --------
    >>> round(si_dense_thickness_um(2.329), 2)   # 1 cm³ of Si per 1000 cm² -> 10 µm
    10.0
    """
    check_params({"si_loading_mg_cm2": si_loading_mg_cm2, "li_per_si": li_per_si,
                  "other_solids_um": other_solids_um, "areal_strain": areal_strain},
                 {"si_loading_mg_cm2": LOADING_MG_CM2, "li_per_si": LI_PER_HOST,
                  "other_solids_um": _OTHER_UM, "areal_strain": _AREAL})
    v = _volume_per_si_A3(li_per_si, volume_per_si_A3)
    n_si_cm2 = si_loading_mg_cm2 * 1e-3 / MOLAR_MASS_SI_G_MOL * AVOGADRO_MOL
    return (float(cm_to_um(n_si_cm2 * v * 1e-24)) + other_solids_um) / (1.0 + areal_strain)


def thickness_at_porosity_um(si_loading_mg_cm2: float, li_per_si: float, porosity: float,
                             **kwargs: Any) -> float:
    """Thickness [µm] of the electrode at Li_xSi with the given porosity [0, 1).

    References
    ----------
    Seed 003 Table S1 ("expected thicknesses vs porosities").

    Examples
    --------
    >>> round(thickness_at_porosity_um(3.8, 3.35, 0.10), 1)
    63.6
    """
    check_params({"porosity": porosity}, {"porosity": _POROSITY})
    return si_dense_thickness_um(si_loading_mg_cm2, li_per_si, **kwargs) / (1.0 - porosity)


def porosity_at_thickness(si_loading_mg_cm2: float, li_per_si: float, thickness_um: float,
                          **kwargs: Any) -> float:
    """Porosity [-] implied by a measured thickness [µm] at Li_xSi.

    Raises
    ------
    ParameterError
        The thickness is below the pore-free thickness (negative porosity).

    References
    ----------
    Seed 003: 27 µm pristine with 3.8 mg/cm² Si is about 40 % porous.

    Examples
    --------
    >>> round(porosity_at_thickness(3.8 * 0.999, 0.0, 27.0), 2)
    0.4
    """
    check_params({"thickness_um": thickness_um}, {"thickness_um": THICKNESS_UM})
    dense = si_dense_thickness_um(si_loading_mg_cm2, li_per_si, **kwargs)
    phi = 1.0 - dense / thickness_um
    if phi < -1e-12:
        raise ParameterError(
            "thickness_um", thickness_um,
            f">= {dense:.4g} µm, the pore-free thickness at Li{li_per_si:g}Si (porosity would "
            f"be {100 * phi:.1f} %: loading, lithiation and thickness are inconsistent)",
        )
    return max(phi, 0.0)


def li_per_si_at_thickness(si_loading_mg_cm2: float, thickness_um: float, porosity: float,
                           other_solids_um: float = 0.0, areal_strain: float = 0.0) -> float:
    """Lithiation state x [-] implied by a thickness [µm] and porosity (amorphous law).

    References
    ----------
    Seed 003: about 40 µm and about 30 % porosity after delithiation (Li left in the Si).

    Examples
    --------
    >>> round(li_per_si_at_thickness(3.8, si_dense_thickness_um(3.8, 2.0), 0.0), 3)
    2.0
    """
    check_params({"thickness_um": thickness_um, "porosity": porosity},
                 {"thickness_um": THICKNESS_UM, "porosity": _POROSITY})
    t0 = si_dense_thickness_um(si_loading_mg_cm2, 0.0, other_solids_um=0.0)
    si_um = thickness_um * (1.0 - porosity) * (1.0 + areal_strain) - other_solids_um
    ratio = si_um / t0
    if ratio < 1.0:
        raise ParameterError("thickness_um", thickness_um,
                             "a thickness whose solid part is at least the pristine Si "
                             f"({t0 + other_solids_um:.4g} µm pore-free)")
    v0 = LI_SI_PHASES["Si"].volume_per_host_A3
    v1 = LI_SI_PHASES["Li15Si4"].volume_per_host_A3
    return (ratio - 1.0) * v0 / (v1 - v0) * 3.75


@dataclass(frozen=True)
class ThicknessState(DictRecord):
    """Electrode state at one lithiation step.

    Attributes
    ----------
    li_per_si : float
        x of Li_xSi [-].
    thickness_um : float
        Electrode thickness [µm].
    porosity : float
        Porosity [-].
    dense_thickness_um : float
        Pore-free thickness [µm].
    expansion_rate : float
        Thickness change relative to the pristine electrode [-].
    """

    li_per_si: float
    thickness_um: float
    porosity: float
    dense_thickness_um: float
    expansion_rate: float


def thickness_through_lithiation(
    si_loading_mg_cm2: float,
    pristine_thickness_um: float,
    li_per_si: list[float] | tuple[float, ...],
    *,
    mode: str = "pore-filling",
    other_solids_um: float = 0.0,
    areal_strain: float = 0.0,
) -> list[ThicknessState]:
    """Thickness and porosity along a lithiation path.

    Parameters
    ----------
    si_loading_mg_cm2 : float
        Si mass per area [mg/cm²].
    pristine_thickness_um : float
        Measured pristine thickness [µm] (fixes the pristine porosity).
    li_per_si : sequence of float
        Lithiation states x to evaluate.
    mode : {"pore-filling", "constant-porosity"}
        ``pore-filling``: expansion fills pores first, the thickness grows only once the
        electrode is dense (``t = max(t0, t_dense)``); ``constant-porosity``: pores scale
        with the solid (``t = t_dense / (1 - phi0)``).
    other_solids_um, areal_strain : float
        See :func:`si_dense_thickness_um`.

    Raises
    ------
    ParameterError
        Pristine thickness below the pore-free Si thickness; bad mode, x or loading.

    References
    ----------
    Seed 003 (27 µm -> ~55 µm at Li3.35Si; pore-filling predicts 57 µm).

    Examples
    --------
    >>> s = thickness_through_lithiation(3.8, 27.0, [3.35])[0]
    >>> round(s.thickness_um), round(s.porosity, 2)
    (57, 0.0)
    """
    check_params({"mode": mode}, {"mode": _MODES})
    kw = {"other_solids_um": other_solids_um}
    phi0 = porosity_at_thickness(si_loading_mg_cm2, 0.0, pristine_thickness_um, **kw)
    out = []
    for x in li_per_si:
        dense = si_dense_thickness_um(si_loading_mg_cm2, x, areal_strain=areal_strain, **kw)
        if mode == "pore-filling":
            t = max(pristine_thickness_um / (1.0 + areal_strain), dense)
        else:
            t = dense / (1.0 - phi0)
        out.append(ThicknessState(float(x), t, 1.0 - dense / t, dense,
                                  (t - pristine_thickness_um) / pristine_thickness_um))
    return out
