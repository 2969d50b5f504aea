"""The equations of the lumped alloy + plating model, written once for every backend.

Each function takes ``ops``, a namespace with ``exp``, ``tanh``, ``arcsinh`` and
``maximum``: :data:`MATH_OPS` (Python floats, the native solver), ``numpy``, or ``pybamm``
(symbols, the PyBaMM model). The model itself is described in :mod:`.model`; the
native solver (:mod:`.native`) and the PyBaMM model (:mod:`.model`) both build on these
functions, so the two backends integrate the same equations.

Units: currents [A/m2], charges [mAh/cm2], potentials [V], f = F/RT [1/V].

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Fig. 1a and Fig. 3e; Chen et al.,
J. Electrochem. Soc. 167, 080534 (2020) (NMC811 OCP).
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

from sianode.units import FARADAY_C_MOL, GAS_CONSTANT_J_MOL_K

__all__ = [
    "A_M2_TO_MAH_CM2_S",
    "F_OVER_R",
    "MATH_OPS",
    "LIMITS",
    "butler_volmer_A_m2",
    "butler_volmer_with_slope",
    "cathode_stoichiometry",
    "cell_voltage_V",
    "counter_overpotential_V",
    "nmc811_ocp_V",
    "plating_current_A_m2",
    "plating_with_slope",
]

#: 1 A/m2 for 1 s in mAh/cm2 (1/36000)
A_M2_TO_MAH_CM2_S = 1e-4 * 1e3 / 3600.0
#: F/R [K/V]; f = F_OVER_R / T
F_OVER_R = FARADAY_C_MOL / GAS_CONSTANT_J_MOL_K

#: the operations the equations need, on Python floats
MATH_OPS = SimpleNamespace(exp=math.exp, tanh=math.tanh, arcsinh=math.asinh, maximum=max)


def butler_volmer_with_slope(ops: Any, j0_A_m2: Any, alpha: Any, f: Any, eta_V: Any
                             ) -> tuple[Any, Any]:
    """Butler-Volmer current density [A/m2], positive when it lithiates (eta < 0), and its
    derivative in eta [A/m2/V]: ``j0 [exp(-a f eta) - exp((1 - a) f eta)]``."""
    e_red, e_ox = ops.exp(-alpha * f * eta_V), ops.exp((1 - alpha) * f * eta_V)
    return (j0_A_m2 * (e_red - e_ox),
            -j0_A_m2 * f * (alpha * e_red + (1 - alpha) * e_ox))


def butler_volmer_A_m2(ops: Any, j0_A_m2: Any, alpha: Any, f: Any, eta_V: Any) -> Any:
    """The current of :func:`butler_volmer_with_slope` [A/m2]."""
    return butler_volmer_with_slope(ops, j0_A_m2, alpha, f, eta_V)[0]


def plating_with_slope(ops: Any, j0_A_m2: Any, alpha: Any, f: Any, phi_V: Any,
                       q_plated_mAh_cm2: Any, q_gate_mAh_cm2: Any) -> tuple[Any, Any]:
    """Li plating (> 0) or stripping (< 0) current density at anode potential ``phi_V``
    vs Li/Li+ [A/m2], and its derivative in phi [A/m2/V] (one-sided at 0 V): Butler-Volmer
    at 0 V, gated by ``theta = q_pl / (q_pl + q_gate)`` (0 for q_pl <= 0) so that no Li
    plates above 0 V and none is stripped once no plated Li is left."""
    q_pos = ops.maximum(q_plated_mAh_cm2, 0)
    theta = q_pos / (q_pos + q_gate_mAh_cm2)
    bv, slope = butler_volmer_with_slope(ops, j0_A_m2, alpha, f, phi_V)
    plating = phi_V < 0  # where bv > 0: the ungated part plates
    return (theta * bv + (1 - theta) * ops.maximum(bv, 0),
            (theta + (1 - theta) * plating) * slope)


def plating_current_A_m2(ops: Any, j0_A_m2: Any, alpha: Any, f: Any, phi_V: Any,
                         q_plated_mAh_cm2: Any, q_gate_mAh_cm2: Any) -> Any:
    """The current of :func:`plating_with_slope` [A/m2]."""
    return plating_with_slope(ops, j0_A_m2, alpha, f, phi_V, q_plated_mAh_cm2,
                              q_gate_mAh_cm2)[0]


def counter_overpotential_V(ops: Any, current_A_m2: Any, j0_A_m2: Any, f: Any) -> Any:
    """Symmetric Butler-Volmer overpotential of the counter electrode [V]:
    ``2/f asinh(I / 2 j0)``."""
    return 2 / f * ops.arcsinh(current_A_m2 / (2 * j0_A_m2))


def nmc811_ocp_V(ops: Any, sto: Any) -> Any:
    """NMC811 (LG M50) OCP vs stoichiometry [V] (Chen et al., J. Electrochem. Soc. 167,
    080534 (2020), as shipped in PyBaMM's Chen2020 set)."""
    return (-0.8090 * sto + 4.4875 - 0.0428 * ops.tanh(18.5138 * (sto - 0.5542))
            - 17.7326 * ops.tanh(15.7890 * (sto - 0.3117))
            + 17.5842 * ops.tanh(15.9308 * (sto - 0.3120)))


def cathode_stoichiometry(y0: Any, y1: Any, q_passed_mAh_cm2: Any, q_cathode_mAh_cm2: Any
                          ) -> Any:
    """Cathode stoichiometry after ``q_passed`` of its practical capacity ``q_cathode``
    (from y0 at 0 % SOC to y1 at 100 % SOC)."""
    return y0 + (y1 - y0) * q_passed_mAh_cm2 / q_cathode_mAh_cm2


def cell_voltage_V(cell: str, phi_V: Any, counter_ocv_V: Any, eta_counter_V: Any,
                   ohmic_V: Any) -> Any:
    """Cell voltage [V]: full cell ``U_c + eta_c + I R - phi_a``; asymmetric (Li counter)
    ``phi_a - eta_ce - I R`` (``counter_ocv_V`` unused)."""
    if cell == "full":
        return counter_ocv_V + eta_counter_V + ohmic_V - phi_V
    return phi_V - eta_counter_V - ohmic_V


def _full_limits(s: Any) -> list[tuple[str, int, Any]]:
    window = s.y0 - s.y1
    return [("Cathode fully delithiated", 1, (s.y - s.y1) / window),
            ("Cathode fully lithiated", -1, (s.y0 - s.y) / window),
            ("Upper voltage cut-off", 1, s.v_upper - s.voltage),
            ("Lower voltage cut-off", -1, s.voltage - s.v_lower)]


def _asymmetric_limits(s: Any) -> list[tuple[str, int, Any]]:
    # the Li counter takes up any amount: the host ends delithiation when it has given back
    # all its Li (alloyed and plated), not later on the smoothed wall of the empty host
    return [("Lower voltage cut-off", 1, s.voltage - s.v_lower),
            ("Upper voltage cut-off", -1, s.v_upper - s.voltage),
            ("Host empty", -1, s.q_al + s.q_pl)]


def _charge_limit(s: Any) -> list[tuple[str, int, Any]]:
    return [("Charge limit", 1, s.q_limit - (s.q_c - s.q_c0))]


#: the limits that end a step, per cell type: ``(name, direction, value)`` triples from a
#: namespace of model quantities; a limit applies only while the current flows in its
#: direction (+1 lithiates the anode, -1 delithiates it) and is reached at value = 0
LIMITS = {
    "full": lambda s: _full_limits(s) + _charge_limit(s),
    "asymmetric": lambda s: _asymmetric_limits(s) + _charge_limit(s),
}
