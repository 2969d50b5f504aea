"""N/P ratio (negative to positive areal capacity) and the loadings that give a target N/P.

All seeds size their cells with *stated* practical capacities, not measured ones: seed 001
uses Si 3000 and NMC83 200 mAh/g (nominal N/P 0.3-1.5, 1.5 for the pouch cell); seed 003
uses Si 3500 and NCM811 200 mAh/g (N/P 1.1); seed 002 divides the anode's theoretical
maximum areal capacity by the cathode's areal capacity (N/P 11, 3.5, 2.4 for 1.7, 5.4,
7.8 mAh/cm² against 18.75 mAh/cm²).
"""

from __future__ import annotations

from sianode.validation import (
    AREAL_CAPACITY_MAH_CM2,
    LOADING_MG_CM2,
    SPECIFIC_CAPACITY_MAH_G,
    Interval,
    check_params,
)

__all__ = [
    "areal_capacity_mAh_cm2",
    "np_ratio",
    "np_ratio_from_loadings",
    "anode_loading_for_np_mg_cm2",
    "cathode_loading_for_np_mg_cm2",
]

_POS_FRACTION = Interval(0.0, 1.0, left_closed=False)
#: N/P ratios of real cells lie near 1-1.5; seed 002 reports 11 for a thick Si blend.
_NP = Interval(0.0, 1000.0, left_closed=False, reason="N/P ratio")


def areal_capacity_mAh_cm2(
    loading_mg_cm2: float, specific_capacity_mAh_g: float, active_fraction: float = 1.0
) -> float:
    """Areal capacity [mAh/cm²] = loading [mg/cm²] x active fraction x capacity [mAh/g] / 1000.

    Parameters
    ----------
    loading_mg_cm2 : float
        Areal mass [mg/cm²] (of active material if ``active_fraction`` is 1).
    specific_capacity_mAh_g : float
        Practical specific capacity of the active material [mAh/g].
    active_fraction : float
        Weight fraction of active material in ``loading_mg_cm2`` (0, 1].

    References
    ----------
    Seed 001 Ext. Data Table 1 (15 mg/cm² NMC83 x 200 mAh/g = 3.0 mAh/cm²).

    Examples
    --------
    >>> areal_capacity_mAh_cm2(15, 200)
    3.0
    """
    check_params(
        {"loading_mg_cm2": loading_mg_cm2, "specific_capacity_mAh_g": specific_capacity_mAh_g,
         "active_fraction": active_fraction},
        {"loading_mg_cm2": LOADING_MG_CM2, "specific_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
         "active_fraction": _POS_FRACTION},
    )
    return loading_mg_cm2 * active_fraction * specific_capacity_mAh_g / 1000.0


def np_ratio(anode_mAh_cm2: float, cathode_mAh_cm2: float) -> float:
    """N/P ratio from the two areal capacities [mAh/cm²].

    References
    ----------
    Seed 002 Fig. 5c text: 18.75 / 1.7 = 11.

    Examples
    --------
    >>> round(np_ratio(18.75, 1.7), 1)
    11.0
    """
    check_params({"anode_mAh_cm2": anode_mAh_cm2, "cathode_mAh_cm2": cathode_mAh_cm2},
                 {"anode_mAh_cm2": AREAL_CAPACITY_MAH_CM2,
                  "cathode_mAh_cm2": AREAL_CAPACITY_MAH_CM2})
    return anode_mAh_cm2 / cathode_mAh_cm2


def np_ratio_from_loadings(
    anode_loading_mg_cm2: float,
    anode_capacity_mAh_g: float,
    cathode_loading_mg_cm2: float,
    cathode_capacity_mAh_g: float,
    anode_active_fraction: float = 1.0,
    cathode_active_fraction: float = 1.0,
) -> float:
    """N/P ratio from loadings [mg/cm²] and practical capacities [mAh/g].

    References
    ----------
    Seed 001 Methods/Ext. Data Table 1: Si 1.5 mg/cm² x 3000 mAh/g over NMC83 15 mg/cm²
    x 200 mAh/g = 1.5.

    Examples
    --------
    >>> np_ratio_from_loadings(1.5, 3000, 15, 200)
    1.5
    """
    a = areal_capacity_mAh_cm2(anode_loading_mg_cm2, anode_capacity_mAh_g, anode_active_fraction)
    c = areal_capacity_mAh_cm2(cathode_loading_mg_cm2, cathode_capacity_mAh_g,
                               cathode_active_fraction)
    return a / c


def anode_loading_for_np_mg_cm2(
    target_np: float,
    cathode_mAh_cm2: float,
    anode_capacity_mAh_g: float,
    anode_active_fraction: float = 1.0,
) -> float:
    """Anode loading [mg/cm²] that gives ``target_np`` against a cathode [mAh/cm²].

    References
    ----------
    Seed 003 Fig. 5c: a 12 mAh/cm² NCM811 cathode at N/P 1.1 with Si at 3500 mAh/g needs
    3.77 mg/cm² Si (the paper's ~3.8 mg/cm² electrodes).

    Examples
    --------
    >>> round(anode_loading_for_np_mg_cm2(1.1, 12.0, 3500), 2)
    3.77
    """
    check_params(
        {"target_np": target_np, "cathode_mAh_cm2": cathode_mAh_cm2,
         "anode_capacity_mAh_g": anode_capacity_mAh_g,
         "anode_active_fraction": anode_active_fraction},
        {"target_np": _NP, "cathode_mAh_cm2": AREAL_CAPACITY_MAH_CM2,
         "anode_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
         "anode_active_fraction": _POS_FRACTION},
    )
    return target_np * cathode_mAh_cm2 * 1000.0 / (anode_capacity_mAh_g * anode_active_fraction)


def cathode_loading_for_np_mg_cm2(
    target_np: float,
    anode_mAh_cm2: float,
    cathode_capacity_mAh_g: float,
    cathode_active_fraction: float = 1.0,
) -> float:
    """Cathode loading [mg/cm²] that gives ``target_np`` against an anode [mAh/cm²].

    References
    ----------
    Seed 001 Methods (nominal N/P from practical capacities).

    Examples
    --------
    >>> cathode_loading_for_np_mg_cm2(1.5, 4.5, 200)
    15.0
    """
    check_params(
        {"target_np": target_np, "anode_mAh_cm2": anode_mAh_cm2,
         "cathode_capacity_mAh_g": cathode_capacity_mAh_g,
         "cathode_active_fraction": cathode_active_fraction},
        {"target_np": _NP, "anode_mAh_cm2": AREAL_CAPACITY_MAH_CM2,
         "cathode_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
         "cathode_active_fraction": _POS_FRACTION},
    )
    return anode_mAh_cm2 * 1000.0 / (target_np * cathode_capacity_mAh_g * cathode_active_fraction)

