"""Blends of Si with a pre-lithiated Li-Si phase (e.g. Si + Li21Si5, seed 002).

After cold pressing, Li moves from the Li-rich phase into the Si particles until the
blend has one mean composition Li_x̄Si (self-discharge equilibration, seed 002). The
electrode can then take up Li from the cathode until the target phase (Li15Si4 by
default, the end of room-temperature lithiation) and give back all of its Li.

Capacities, all per electrode and per area:

* ``uptake``: Li the electrode can still accept, ``(x_target - x̄) n_Si F`` — seed 002's
  "theoretical maximum areal capacity" (4.67, 9.37, 18.75 mAh/cm² for its Fig. 2a2, a4,
  a5 electrodes on a 10 mm mould);
* ``reversible``: cycling between Si and the target phase, ``x_target n_Si F``;
* ``stored``: the Li already in the electrode, ``x̄ n_Si F``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sianode.electrode.phases import get_phase
from sianode.records import DictRecord
from sianode.units import MAH_PER_MOL_ELECTRONS, MOLAR_MASS_SI_G_MOL
from sianode.validation import AREA_CM2, FRACTION, MASS_MG, POSITIVE, Interval, check_params

__all__ = ["BlendResult", "si_blend", "si_blend_from_powders"]


@dataclass(frozen=True)
class BlendResult(DictRecord):
    """Bookkeeping of a Si + Li_xSi blend after self-discharge equilibration.

    Attributes
    ----------
    si_mmol, li_mmol : float
        Si atoms (free Si and Si in the phase) and Li atoms [mmol].
    li_per_si : float
        Equilibrated mean composition x̄ of Li_x̄Si [-].
    prelithiation_degree : float
        x̄ / x_target [-]: how far the Si is pre-lithiated toward the target phase.
    pristine_si_atom_fraction : float
        Fraction of the Si atoms that were added as pristine Si [-].
    uptake_capacity_mAh, reversible_capacity_mAh, stored_capacity_mAh : float
        See the module docstring [mAh].
    uptake_areal_capacity_mAh_cm2, reversible_areal_capacity_mAh_cm2 : float
        The same per electrode area [mAh/cm²].
    """

    si_mmol: float
    li_mmol: float
    li_per_si: float
    prelithiation_degree: float
    pristine_si_atom_fraction: float
    uptake_capacity_mAh: float
    reversible_capacity_mAh: float
    stored_capacity_mAh: float
    uptake_areal_capacity_mAh_cm2: float
    reversible_areal_capacity_mAh_cm2: float


_MASS = Interval(0.0, MASS_MG.high, reason=MASS_MG.reason)
_CONSTRAINTS = {
    "si_mass_mg": _MASS,
    "phase_mass_mg": _MASS,
    "area_cm2": AREA_CM2,
}


def si_blend(
    si_mass_mg: float,
    phase_mass_mg: float,
    area_cm2: float,
    phase: str = "Li21Si5",
    target_phase: str = "Li15Si4",
) -> BlendResult:
    """Li content and capacities of Si blended with a lithiated Li-Si phase.

    Parameters
    ----------
    si_mass_mg : float
        Pristine Si powder mass [mg], summed over all layers of the electrode.
    phase_mass_mg : float
        Lithiated-phase powder mass [mg] (e.g. Li21Si5), summed over all layers.
    area_cm2 : float
        Electrode area [cm²].
    phase, target_phase : str
        Named phases (:data:`sianode.electrode.phases.LI_SI_PHASES`).

    Returns
    -------
    BlendResult

    Raises
    ------
    ParameterError
        Negative masses, no material at all, or a non-positive area.
    UnknownNameError
        Unknown phase name.

    References
    ----------
    Seed 002, Fig. 2a and text: 5 mg Si + 15 mg Li21Si5 on a 10 mm mould (0.785 cm²)
    gives 18.75 mAh/cm² theoretical maximum areal capacity.

    Examples
    --------
    >>> r = si_blend(5.0, 15.0, 0.785398)
    >>> round(r.uptake_areal_capacity_mAh_cm2, 2), round(r.li_per_si, 2)
    (18.76, 2.5)
    """
    check_params({"si_mass_mg": si_mass_mg, "phase_mass_mg": phase_mass_mg,
                  "area_cm2": area_cm2}, _CONSTRAINTS)
    if si_mass_mg + phase_mass_mg <= 0:
        check_params({"si_mass_mg + phase_mass_mg": 0.0},
                     {"si_mass_mg + phase_mass_mg": POSITIVE})
    p, t = get_phase(phase), get_phase(target_phase)
    free_si = si_mass_mg / MOLAR_MASS_SI_G_MOL
    phase_si = phase_mass_mg / p.molar_mass_per_host_g_mol
    si = free_si + phase_si
    li = phase_si * p.li_per_host
    x = li / si
    per = MAH_PER_MOL_ELECTRONS * 1e-3  # mAh per mmol of Li
    uptake = max(t.li_per_host - x, 0.0) * si * per
    reversible = t.li_per_host * si * per
    return BlendResult(
        si_mmol=si,
        li_mmol=li,
        li_per_si=x,
        prelithiation_degree=x / t.li_per_host if t.li_per_host else float("nan"),
        pristine_si_atom_fraction=free_si / si,
        uptake_capacity_mAh=uptake,
        reversible_capacity_mAh=reversible,
        stored_capacity_mAh=li * per,
        uptake_areal_capacity_mAh_cm2=uptake / area_cm2,
        reversible_areal_capacity_mAh_cm2=reversible / area_cm2,
    )


def si_blend_from_powders(
    layers: list[tuple[float, float]],
    area_cm2: float,
    phase: str = "Li21Si5",
    target_phase: str = "Li15Si4",
) -> BlendResult:
    """:func:`si_blend` for layers given as (powder mass [mg], phase weight fraction).

    Parameters
    ----------
    layers : list of (float, float)
        Each layer's powder mass [mg] and weight fraction of the lithiated phase [0-1];
        seed 002's double layer of 5 mg is ``[(5, 0.5), (5, 1.0)]``.
    area_cm2 : float
        Electrode area [cm²].

    Raises
    ------
    ParameterError
        A fraction outside [0, 1] or a negative mass (names the layer).

    References
    ----------
    Seed 002 Methods (Li21Si5 weight ratios 0, 50, 75, 100 wt%).

    Examples
    --------
    >>> round(si_blend_from_powders([(5, 0.5), (5, 1.0)], 0.785398).uptake_areal_capacity_mAh_cm2, 2)
    9.38
    """
    si = ph = 0.0
    for i, (mass, frac) in enumerate(layers):
        check_params({f"layers[{i}].mass_mg": mass, f"layers[{i}].phase_fraction": frac},
                     {f"layers[{i}].mass_mg": _MASS,
                      f"layers[{i}].phase_fraction": FRACTION})
        si += mass * (1 - frac)
        ph += mass * frac
    return si_blend(si, ph, area_cm2, phase=phase, target_phase=target_phase)
