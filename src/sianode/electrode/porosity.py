"""Electrode porosity from component masses, true densities, area and thickness.

``porosity = 1 - sum_i(m_i / rho_i) / (A t)`` for any number of solid components, a
component being given by mass and true density or directly by its solid volume. A
porosity below zero means the inputs are inconsistent (more solid than fits in the
electrode) and raises :class:`~sianode.errors.ParameterError` naming the thickness that
would be needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sianode.errors import ParameterError
from sianode.records import DictRecord
from sianode.units import cm_to_um, um_to_cm
from sianode.validation import (
    AREA_CM2,
    DENSITY_G_CM3,
    LOADING_MG_CM2,
    MASS_MG,
    POSITIVE,
    THICKNESS_UM,
    Interval,
    check_fractions_sum,
    check_params,
)

__all__ = [
    "Component",
    "solid_volume_cm3",
    "dense_thickness_um",
    "porosity",
    "porosity_from_loading",
    "thickness_for_porosity_um",
]

_POROSITY = Interval(0.0, 1.0, right_closed=False)


@dataclass(frozen=True)
class Component(DictRecord):
    """One solid component of an electrode.

    Give ``mass_mg`` and ``density_g_cm3`` (true density), or ``volume_cm3`` directly.

    Parameters
    ----------
    name : str
        Label (``"Si"``, ``"CNT"``).
    mass_mg : float, optional
        Mass [mg] in the electrode area considered.
    density_g_cm3 : float, optional
        True (skeletal) density [g/cm³].
    volume_cm3 : float, optional
        Solid volume [cm³], instead of mass and density.
    """

    name: str
    mass_mg: float | None = None
    density_g_cm3: float | None = None
    volume_cm3: float | None = None

    def __post_init__(self) -> None:
        if self.volume_cm3 is not None:
            check_params({f"{self.name}.volume_cm3": self.volume_cm3},
                         {f"{self.name}.volume_cm3": POSITIVE})
            return
        if self.mass_mg is None or self.density_g_cm3 is None:
            raise ParameterError(f"{self.name}", {"mass_mg": self.mass_mg,
                                                  "density_g_cm3": self.density_g_cm3},
                                 "mass_mg and density_g_cm3 (both > 0), or volume_cm3 > 0")
        check_params({f"{self.name}.mass_mg": self.mass_mg,
                      f"{self.name}.density_g_cm3": self.density_g_cm3},
                     {f"{self.name}.mass_mg": MASS_MG,
                      f"{self.name}.density_g_cm3": DENSITY_G_CM3})

    @property
    def solid_volume_cm3(self) -> float:
        """Solid volume [cm³] = m / rho."""
        if self.volume_cm3 is not None:
            return float(self.volume_cm3)
        return float(self.mass_mg) * 1e-3 / float(self.density_g_cm3)


def solid_volume_cm3(components: Iterable[Component]) -> float:
    """Total solid volume [cm³] of the components, sum(m_i / rho_i).

    Raises
    ------
    ParameterError
        No components.

    References
    ----------
    Seed 004 Table S1 ("Total volume of Si", "Total volume of carbon").
    """
    comps = list(components)
    if not comps:
        raise ParameterError("components", [], "at least one component")
    return sum(c.solid_volume_cm3 for c in comps)


def dense_thickness_um(components: Iterable[Component], area_cm2: float) -> float:
    """Thickness [µm] of the components packed without pores over ``area_cm2`` [cm²].

    References
    ----------
    Seed 004 Table S1 (solid volume over electrode area); seed 003 Table S1 logic.
    """
    check_params({"area_cm2": area_cm2}, {"area_cm2": AREA_CM2})
    return float(cm_to_um(solid_volume_cm3(components) / area_cm2))


def porosity(components: Sequence[Component], area_cm2: float, thickness_um: float) -> float:
    """Porosity [-] = 1 - sum(m_i/rho_i) / (A t).

    Parameters
    ----------
    components : sequence of Component
        Solids in the electrode.
    area_cm2 : float
        Electrode area [cm²].
    thickness_um : float
        Electrode thickness [µm].

    Returns
    -------
    float
        Porosity as a fraction in [0, 1).

    Raises
    ------
    ParameterError
        Non-positive masses, densities, area or thickness; or a negative porosity (the
        solids do not fit in A t: the message gives the minimum thickness).

    References
    ----------
    Seed 004 Table S1: Si 0.135 mg at 2.33 g/cm³ + carbon 0.015 mg at 2.1 g/cm³ over
    0.785 cm² x 2 µm gives 58.5 %.

    Examples
    --------
    >>> comps = [Component("Si", 0.135, 2.33), Component("C", 0.015, 2.1)]
    >>> round(100 * porosity(comps, 0.785, 2.0), 2)
    58.55
    """
    check_params({"area_cm2": area_cm2, "thickness_um": thickness_um},
                 {"area_cm2": AREA_CM2, "thickness_um": THICKNESS_UM})
    vs = solid_volume_cm3(components)
    total = area_cm2 * float(um_to_cm(thickness_um))
    phi = 1.0 - vs / total
    if phi < -1e-12:
        t_min = float(cm_to_um(vs / area_cm2))
        raise ParameterError(
            "thickness_um", thickness_um,
            f">= {t_min:.4g} µm, the pore-free thickness of the given solids (porosity "
            f"would be {100 * phi:.1f} %: masses, densities, area and thickness are "
            "inconsistent)",
        )
    return max(phi, 0.0)


def porosity_from_loading(
    loading_mg_cm2: float,
    mass_fractions: Sequence[float],
    densities_g_cm3: Sequence[float],
    thickness_um: float,
) -> float:
    """Porosity [-] of an electrode given its areal loading and composition.

    Parameters
    ----------
    loading_mg_cm2 : float
        Total areal mass of the electrode [mg/cm²].
    mass_fractions : sequence of float
        Weight fraction of each component (in [0, 1], summing to 1).
    densities_g_cm3 : sequence of float
        True density of each component [g/cm³].
    thickness_um : float
        Electrode thickness [µm].

    Raises
    ------
    ParameterError
        Fractions outside [0, 1] or not summing to 1; lengths differ; see :func:`porosity`.

    References
    ----------
    Seed 003 (3.8 mg/cm² of 99.9 wt% Si, 27 µm: about 40 % porosity).

    Examples
    --------
    >>> round(porosity_from_loading(3.8, [0.999, 0.001], [2.33, 1.78], 27.0), 3)
    0.396
    """
    fr, rho = list(mass_fractions), list(densities_g_cm3)
    if len(fr) != len(rho):
        raise ParameterError("densities_g_cm3", rho,
                             f"one density per mass fraction ({len(fr)} values)")
    check_fractions_sum("mass_fractions", fr)
    check_params({"loading_mg_cm2": loading_mg_cm2}, {"loading_mg_cm2": LOADING_MG_CM2})
    comps = [Component(f"component[{i}]", loading_mg_cm2 * f, d)
             for i, (f, d) in enumerate(zip(fr, rho)) if f > 0]
    return porosity(comps, 1.0, thickness_um)


def thickness_for_porosity_um(
    components: Sequence[Component], area_cm2: float, porosity_: float
) -> float:
    """Thickness [µm] at which the components give the porosity ``porosity_`` [0, 1).

    References
    ----------
    Inverse of seed 004 Table S1's porosity formula.

    Examples
    --------
    >>> round(thickness_for_porosity_um([Component("Si", 0.233, 2.33)], 1.0, 0.5), 3)
    2.0
    """
    check_params({"porosity": porosity_}, {"porosity": _POROSITY})
    return dense_thickness_um(components, area_cm2) / (1.0 - porosity_)
