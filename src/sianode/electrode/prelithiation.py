"""Prelithiation budgets: Li foil needed to lithiate Si to Li_xSi, or cathode capacity spent.

Seed 004 lithiates a 0.21 mg/cm² Si-CNT layer (90 wt% Si) non-electrochemically with a
30 µm Li foil pressed against it, instead of spending cathode capacity (0.68 mAh/cm² for
the Si in its half cells).
"""

from __future__ import annotations

from dataclasses import dataclass

from sianode.electrode.phases import get_phase
from sianode.errors import ParameterError
from sianode.records import DictRecord
from sianode.units import MAH_PER_MOL_ELECTRONS, MOLAR_MASS_LI_G_MOL, MOLAR_MASS_SI_G_MOL
from sianode.validation import (
    DENSITY_G_CM3,
    LI_PER_HOST,
    LOADING_MG_CM2,
    THICKNESS_UM,
    check_params,
)

__all__ = ["LI_METAL_DENSITY_G_CM3", "PrelithiationBudget", "prelithiation_budget"]

#: Density of Li metal at 20 °C [g/cm³] (CRC Handbook of Chemistry and Physics).
LI_METAL_DENSITY_G_CM3 = 0.534


@dataclass(frozen=True)
class PrelithiationBudget(DictRecord):
    """Li needed to bring a Si loading from Li_x0Si to Li_x1Si.

    Attributes
    ----------
    li_areal_mass_mg_cm2 : float
        Li mass per area [mg/cm²].
    li_foil_thickness_um : float
        Thickness of dense Li foil holding that Li [µm].
    capacity_mAh_cm2 : float
        The same Li as charge taken from the cathode if done electrochemically [mAh/cm²].
    foil_thickness_um : float or None
        Foil supplied [µm], if given.
    excess_li_um : float or None
        Foil left as Li metal after lithiation [µm] (negative: not enough Li).
    foil_to_needed_ratio : float or None
        Foil supplied / foil needed [-].
    """

    li_areal_mass_mg_cm2: float
    li_foil_thickness_um: float
    capacity_mAh_cm2: float
    foil_thickness_um: float | None = None
    excess_li_um: float | None = None
    foil_to_needed_ratio: float | None = None


def prelithiation_budget(
    si_loading_mg_cm2: float,
    target: str | float = "Li15Si4",
    *,
    initial_li_per_si: float = 0.0,
    foil_thickness_um: float | None = None,
    li_density_g_cm3: float = LI_METAL_DENSITY_G_CM3,
) -> PrelithiationBudget:
    """Li foil thickness [µm] and cathode capacity [mAh/cm²] to lithiate Si to Li_xSi.

    Parameters
    ----------
    si_loading_mg_cm2 : float
        Si mass per area [mg/cm²] (Si only: multiply a composite loading by its Si
        fraction).
    target : str or float
        Named phase (``"Li15Si4"``) or Li per Si x of the end state.
    initial_li_per_si : float
        Li per Si already present [-].
    foil_thickness_um : float, optional
        Foil actually used [µm]; fills in the excess and ratio.
    li_density_g_cm3 : float
        Li metal density [g/cm³].

    Returns
    -------
    PrelithiationBudget

    Raises
    ------
    ParameterError
        Non-positive or absurd loading, density or foil; a target or initial state outside
        [0, 4.4] Li per Si (Li22Si5, the Li-richest known phase); target below the initial
        state.
    UnknownNameError
        Unknown phase name.

    References
    ----------
    Seed 004 Methods (0.21 mg/cm² SiNPs-CNTs 90:10, 30 µm Li foil) and Fig. 3c (Si
    lithiation 0.68 mAh/cm²).

    Examples
    --------
    >>> b = prelithiation_budget(0.9 * 0.21, "Li15Si4", foil_thickness_um=30)
    >>> round(b.li_foil_thickness_um, 2), round(b.capacity_mAh_cm2, 2)
    (3.28, 0.68)
    """
    check_params(
        {"si_loading_mg_cm2": si_loading_mg_cm2, "initial_li_per_si": initial_li_per_si,
         "li_density_g_cm3": li_density_g_cm3, "foil_thickness_um": foil_thickness_um},
        {"si_loading_mg_cm2": LOADING_MG_CM2, "initial_li_per_si": LI_PER_HOST,
         "li_density_g_cm3": DENSITY_G_CM3, "foil_thickness_um": THICKNESS_UM},
    )
    x1 = get_phase(target).li_per_host if isinstance(target, str) else float(target)
    check_params({"target": x1}, {"target": LI_PER_HOST})
    if x1 < initial_li_per_si:
        raise ParameterError("target", x1, f">= initial_li_per_si = {initial_li_per_si:g}")
    li_mmol_cm2 = si_loading_mg_cm2 / MOLAR_MASS_SI_G_MOL * (x1 - initial_li_per_si)
    li_mg = li_mmol_cm2 * MOLAR_MASS_LI_G_MOL
    need_um = li_mg * 1e-3 / li_density_g_cm3 * 1e4
    cap = li_mmol_cm2 * MAH_PER_MOL_ELECTRONS * 1e-3
    excess = ratio = None
    if foil_thickness_um is not None:
        excess = foil_thickness_um - need_um
        ratio = foil_thickness_um / need_um if need_um > 0 else float("inf")
    return PrelithiationBudget(li_mg, need_um, cap, foil_thickness_um, excess, ratio)
