"""Cited parameter sets for the alloy + plating cell model ("Name [unit]" keys).

Two sets, one per cell format of seed 001. Every value is either taken from a source
(``citations``) or marked as assumed in :data:`ASSUMED`; the model's results depend on the
assumed kinetic constants, so treat them as the knobs they are.

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Methods: NMC83 at 200 mAh/g, Si at
3000 mAh/g for the nominal N/P, N/P 1.5, 25 mg/cm2 cathode (Fig. 4a), cut-offs 2.5-4.1 V,
asymmetric Li/G counter at 2.5:1 capacity and 0.2 mA/cm2 (Fig. 1a).
Chen et al., J. Electrochem. Soc. 167, 080534 (2020): NMC811 OCP and its stoichiometry window.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sianode.errors import UnknownNameError
from sianode.validation import FRACTION, POSITIVE, Interval, check_params

__all__ = [
    "ASSUMED",
    "CITATIONS",
    "CONSTRAINTS",
    "FULL_CELL_SEED001",
    "ASYMMETRIC_CELL_SEED001",
    "cell_parameters",
]

CITATIONS = (
    "Ye, L. et al. Fast cycling of lithium metal in solid-state batteries by "
    "constriction-susceptible anode materials. Nat. Mater. 23, 244-251 (2024) (seed 001).",
    "Chen, C.-H. et al. Development of experimental techniques for parameterization of "
    "multi-scale lithium-ion battery models. J. Electrochem. Soc. 167, 080534 (2020).",
)

_COMMON: dict[str, float] = {
    "Host practical capacity [mAh.g-1]": 3000.0,  # seed 001 Methods (nominal N/P)
    "Temperature [K]": 298.15,  # room temperature (seed 001 Fig. 1a)
    "Charge-transfer coefficient": 0.5,  # assumed (symmetric Butler-Volmer)
    "Alloy exchange-current density [A.m-2]": 5.0,  # assumed: alloying slower than plating
    "Plating exchange-current density [A.m-2]": 10.0,  # assumed (1 mA/cm2 per cm2 of cell)
    "Separator thickness [m]": 1.0e-4,  # assumed (sulfide SE pellet/cast layer)
    "Separator conductivity [S.m-1]": 0.25,  # assumed (2.5 mS/cm, argyrodite order)
    "Plated Li gate charge [mAh.cm-2]": 1.0e-3,  # numerical: stripping fades below this
    "OCV smoothing width [mAh.g-1]": 10.0,  # numerical
    "Empty host potential [V]": 2.0,  # numerical wall for a delithiated host
    "Overlithiation potential [V]": -0.3,  # assumed: next hull step lies below 0 V
}

FULL_CELL_SEED001: Mapping[str, float] = MappingProxyType({
    **_COMMON,
    "Cathode active loading [mg.cm-2]": 25.0,  # seed 001 Fig. 4a
    "Cathode practical capacity [mAh.g-1]": 200.0,  # seed 001 Methods (NMC83)
    "N/P ratio": 1.5,  # seed 001 Fig. 2a, Extended Data Fig. 4
    "Cathode stoichiometry at 0% SOC": 0.9084,  # Chen 2020
    "Cathode stoichiometry at 100% SOC": 0.2661,  # Chen 2020
    "Counter exchange-current density [A.m-2]": 30.0,  # assumed (thick NMC composite)
    "Cathode resistance [Ohm.m2]": 1.0e-3,  # assumed (10 Ohm cm2 composite cathode)
    "Upper voltage cut-off [V]": 4.1,  # seed 001 Methods
    "Lower voltage cut-off [V]": 2.5,  # seed 001 Methods
})

ASYMMETRIC_CELL_SEED001: Mapping[str, float] = MappingProxyType({
    **_COMMON,
    "Host loading [mg.cm-2]": 1.0,  # assumed (not stated for Fig. 1a)
    "Counter capacity ratio": 2.5,  # seed 001 Methods: Li/G at 2.5:1
    "Counter exchange-current density [A.m-2]": 10.0,  # assumed, as plating
    "Cathode resistance [Ohm.m2]": 0.0,  # no cathode
    "Upper voltage cut-off [V]": 1.5,  # assumed for delithiation
    "Lower voltage cut-off [V]": -1.0,  # assumed; Fig. 1a runs to a short
})

#: keys whose values are assumed rather than taken from a source
ASSUMED = (
    "Charge-transfer coefficient",
    "Alloy exchange-current density [A.m-2]",
    "Plating exchange-current density [A.m-2]",
    "Counter exchange-current density [A.m-2]",
    "Separator thickness [m]",
    "Separator conductivity [S.m-1]",
    "Cathode resistance [Ohm.m2]",
    "Overlithiation potential [V]",
    "Host loading [mg.cm-2]",
)

_NONNEG = Interval(0.0, None)
CONSTRAINTS: dict[str, object] = {
    "Host practical capacity [mAh.g-1]": POSITIVE,
    "Temperature [K]": POSITIVE,
    "Charge-transfer coefficient": Interval(0.0, 1.0, left_closed=False, right_closed=False),
    "Alloy exchange-current density [A.m-2]": POSITIVE,
    "Plating exchange-current density [A.m-2]": POSITIVE,
    "Counter exchange-current density [A.m-2]": POSITIVE,
    "Separator thickness [m]": _NONNEG,
    "Separator conductivity [S.m-1]": POSITIVE,
    "Cathode resistance [Ohm.m2]": _NONNEG,
    "Plated Li gate charge [mAh.cm-2]": POSITIVE,
    "OCV smoothing width [mAh.g-1]": POSITIVE,
    "Cathode active loading [mg.cm-2]": POSITIVE,
    "Cathode practical capacity [mAh.g-1]": POSITIVE,
    "N/P ratio": POSITIVE,
    "Cathode stoichiometry at 0% SOC": FRACTION,
    "Cathode stoichiometry at 100% SOC": FRACTION,
    "Host loading [mg.cm-2]": POSITIVE,
    "Counter capacity ratio": POSITIVE,
    "Overlithiation potential [V]": Interval(None, 0.0, right_closed=False),
}


def cell_parameters(cell: str = "full", overrides: Mapping[str, Any] | None = None
                    ) -> dict[str, float]:
    """The seed-001 parameter set of ``cell`` with ``overrides`` applied and checked.

    Parameters
    ----------
    cell : {"full", "asymmetric"}
        NMC | SE | host full cell, or Li/G | SE | host asymmetric cell.
    overrides : mapping, optional
        ``"Name [unit]"`` -> value; names must exist in the set.

    Returns
    -------
    dict
        A fresh, checked parameter dict.

    Raises
    ------
    UnknownNameError
        ``cell`` or an override name is unknown (with the nearest names).
    ParameterError
        A value is out of range (names the parameter).

    References
    ----------
    Seed 001 Methods (cell formats); Chen et al. 2020 (NMC811 OCP).
    """
    sets = {"full": FULL_CELL_SEED001, "asymmetric": ASYMMETRIC_CELL_SEED001}
    if cell not in sets:
        raise UnknownNameError("cell type", cell, sets)
    out = dict(sets[cell])
    for name, value in (overrides or {}).items():
        if name not in out:
            raise UnknownNameError(f"{cell}-cell parameter", name, out)
        out[name] = float(value)
    check_params(out, CONSTRAINTS)
    return out
