"""A lumped (0D) PyBaMM model of an alloy anode that can also plate Li metal.

Per unit electrode area, the anode holds two stores of Li: the alloy (charge ``q_al``) and
plated Li metal (``q_pl``). Both are charged from one anode potential ``phi_a`` (vs Li/Li+)
that is solved, at every instant, from the current balance

    I = i_al(phi_a, q_al, K_eff) + i_pl(phi_a, q_pl)

    i_al = j0_al [exp(-a f eta) - exp((1 - a) f eta)],  eta = phi_a - U_al(q_al, K_eff)
    b    = exp(-a f phi_a) - exp((1 - a) f phi_a)
    i_pl = j0_pl [theta b + (1 - theta) max(b, 0)],  theta = q_pl / (q_pl + q_theta)

with f = F/RT, ``U_al`` the alloy OCV from the thermo layer lowered by the constriction
penalty (see :mod:`.ocv`), and Li plating at 0 V vs Li/Li+ with its own Butler-Volmer
kinetics, gated by ``theta`` so that no Li plates above 0 V and none is stripped once no
plated Li is left. On discharge the plated Li (at 0 V) is therefore stripped before the
alloy (at U_al > 0) gives up its Li. The cell voltage adds a counter electrode:

* full cell: a cathode OCV ``U_c(y)`` (NMC, stoichiometry ``y`` from the charge passed) with
  a symmetric Butler-Volmer overpotential and an ohmic term I (L_SE/sigma_SE + R_c):
  ``V = U_c + eta_c + I R - phi_a``;
* asymmetric cell (Li/G | SE | host, seed 001 Fig. 1a): a Li counter electrode stripping
  at 0 V: ``V = phi_a - eta_ce - I R``.

The cathode stoichiometry is ``y = y0 + (y1 - y0) q_c / Q_cat``: its practical capacity
``Q_cat`` spans the OCV's window from 0 % SOC (``y0``) to 100 % SOC (``y1``), and no more.
A step ends on the first of its limits (PyBaMM events), each active only in the direction
of travel (current > 0 lithiates the anode):

===================  =====================================  ==================================
direction            full cell                              asymmetric cell
===================  =====================================  ==================================
lithiation           "Cathode fully delithiated" (y = y1),  "Lower voltage cut-off",
                     "Upper voltage cut-off", "Charge       "Charge limit"
                     limit"
delithiation         "Lower voltage cut-off", "Cathode      "Upper voltage cut-off", "Host
                     fully lithiated" (y = y0)              empty" (q_al + q_pl = 0)
===================  =====================================  ==================================

so a reverse step can start exactly where the forward one stopped (PyBaMM refuses to start
a solve at which an active event is <= 0).

What the model leaves out (say so wherever its numbers are used): loss of contact and
porosity, stack pressure and its effect on K_eff (K_eff is a given input, not computed),
where the plated Li sits (voids, current-collector side; no spatial resolution), the
nucleation barrier of plating, diffusion inside particles and the shell/core structure of
constricted Si, electrolyte concentration gradients (sulfide SEs are single-ion
conductors), SEI growth and dead Li (so the coulombic efficiency is 1 up to the OCV
smoothing), and temperature changes.

The model is built once per AlloyOCV and cell type; K_eff, current, loadings, kinetics and
initial state are PyBaMM input parameters, so a sweep re-solves one built model.

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)): Fig. 1a (asymmetric cell), Fig. 3e
(constrained OCV), Methods (cell formats, cut-off voltages, N/P).
"""

from __future__ import annotations

import os
from types import SimpleNamespace

from sianode.cell.simulate import equations as eq
from sianode.cell.simulate.ocv import AlloyOCV

__all__ = ["INPUT_NAMES", "build_model", "import_pybamm"]

#: every input parameter of the built model, "Name [unit]"
INPUT_NAMES = (
    "Current density [A.m-2]",
    "Effective modulus [GPa]",
    "Host loading [kg.m-2]",
    "Initial alloy charge [mAh.cm-2]",
    "Initial plated charge [mAh.cm-2]",
    "Initial charge passed [mAh.cm-2]",
    "Initial anode potential guess [V]",
    "Alloy exchange-current density [A.m-2]",
    "Plating exchange-current density [A.m-2]",
    "Counter exchange-current density [A.m-2]",
    "Charge-transfer coefficient",
    "Temperature [K]",
    "Ohmic resistance [Ohm.m2]",
    "Plated Li gate charge [mAh.cm-2]",
    "Cathode capacity [mAh.cm-2]",
    "Cathode stoichiometry at 0% SOC",
    "Cathode stoichiometry at 100% SOC",
    "Upper voltage cut-off [V]",
    "Lower voltage cut-off [V]",
    "Charge limit [mAh.cm-2]",
)

def import_pybamm():
    """Import PyBaMM without its telemetry prompt; DependencyError if it is missing."""
    os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
    try:
        import pybamm
    except ImportError as exc:  # pragma: no cover - pybamm is installed in CI
        from sianode.errors import DependencyError

        raise DependencyError("pybamm", "cell", "the PyBaMM backend of the cell simulation "
                              "(--solver pybamm; the default native solver needs no PyBaMM)"
                              ) from exc
    return pybamm


def _directed(pybamm, name: str, active, value):
    """Event ``name`` at ``value = 0`` while ``active`` (a 0/1 symbol), else a constant 1."""
    return pybamm.Event(name, active * value + (1 - active))


def build_model(ocv: AlloyOCV, cell: str, *, smoothing_mAh_g: float, empty_wall_V: float,
                overlithiation_V: float):
    """Build the model for one AlloyOCV and cell type.

    Parameters
    ----------
    ocv : AlloyOCV
        Alloy OCV staircases on a K_eff grid.
    cell : {"full", "asymmetric"}
        Counter electrode: NMC cathode, or Li metal (seed 001 Fig. 1a).
    smoothing_mAh_g, empty_wall_V, overlithiation_V : float
        OCV smoothing width [mAh/g] and wall potentials [V] (see :meth:`AlloyOCV.evaluate`).

    Returns
    -------
    pybamm.BaseModel
        A 0D model (to be discretised with an empty ``pybamm.Discretisation``) whose
        parameters are all input parameters (:data:`INPUT_NAMES`).

    References
    ----------
    Seed 001 Fig. 1a and Fig. 3e.
    """
    import numpy as np

    pybamm = import_pybamm()
    p = {name: pybamm.InputParameter(name) for name in INPUT_NAMES}
    model = pybamm.BaseModel(name=f"sianode alloy+plating ({ocv.host}, {cell})")

    q_al = pybamm.Variable("Alloy charge [mAh.cm-2]")
    q_pl = pybamm.Variable("Plated charge [mAh.cm-2]")
    q_c = pybamm.Variable("Charge passed [mAh.cm-2]")
    phi_a = pybamm.Variable("Anode potential [V]")

    current = p["Current density [A.m-2]"]
    f = eq.F_OVER_R / p["Temperature [K]"]
    alpha = p["Charge-transfer coefficient"]
    loading_g_cm2 = p["Host loading [kg.m-2]"] * 0.1  # kg/m2 -> g/cm2
    cap_al = q_al / loading_g_cm2  # mAh/g of host

    k_in = p["Effective modulus [GPa]"]
    u_al = pybamm.Scalar(0.0)
    for reg in ocv.regimes():  # K is constant during a solve: exact switches are fine
        inside = pybamm.Scalar(1.0)
        if np.isfinite(reg.k_low_GPa):
            inside = inside * (k_in >= reg.k_low_GPa)
        if np.isfinite(reg.k_high_GPa):
            inside = inside * (k_in < reg.k_high_GPa)
        u_al = u_al + inside * reg.expression(cap_al, k_in, pybamm.tanh, smoothing_mAh_g,
                                              empty_wall_V, overlithiation_V)

    eta_al = phi_a - u_al
    j0_al = p["Alloy exchange-current density [A.m-2]"]
    j0_pl = p["Plating exchange-current density [A.m-2]"]
    i_al = eq.butler_volmer_A_m2(pybamm, j0_al, alpha, f, eta_al)
    i_pl = eq.plating_current_A_m2(pybamm, j0_pl, alpha, f, phi_a, q_pl,
                                   p["Plated Li gate charge [mAh.cm-2]"])
    model.rhs = {
        q_al: i_al * eq.A_M2_TO_MAH_CM2_S,
        q_pl: i_pl * eq.A_M2_TO_MAH_CM2_S,
        q_c: current * eq.A_M2_TO_MAH_CM2_S,
    }
    # current balance, scaled to O(1) by the plating exchange current
    model.algebraic = {phi_a: (i_al + i_pl - current) / j0_pl}
    model.initial_conditions = {
        q_al: p["Initial alloy charge [mAh.cm-2]"],
        q_pl: p["Initial plated charge [mAh.cm-2]"],
        q_c: p["Initial charge passed [mAh.cm-2]"],
        # a guess only: the solver makes phi_a consistent with the current balance
        phi_a: p["Initial anode potential guess [V]"],
    }

    ohmic = current * p["Ohmic resistance [Ohm.m2]"]
    eta_c = eq.counter_overpotential_V(pybamm, current,
                                       p["Counter exchange-current density [A.m-2]"], f)
    y0 = p["Cathode stoichiometry at 0% SOC"]
    y1 = p["Cathode stoichiometry at 100% SOC"]
    # the practical capacity is the window y0 -> y1: the cathode holds no more cyclable Li
    # than that (no overshoot past 100 % SOC)
    y = eq.cathode_stoichiometry(y0, y1, q_c, p["Cathode capacity [mAh.cm-2]"])
    u_c = eq.nmc811_ocp_V(pybamm, y) if cell == "full" else pybamm.Scalar(0.0)
    voltage = eq.cell_voltage_V(cell, phi_a, u_c, eta_c, ohmic)
    if cell == "full":
        model.variables["Cathode stoichiometry"] = y
        model.variables["Cathode OCV [V]"] = u_c
    # Each limit applies only in the direction that approaches it (current > 0 lithiates the
    # anode). A step that ended on one limit can then be reversed from exactly that state:
    # PyBaMM refuses to start a solve at which any active event is <= 0.
    quantities = SimpleNamespace(
        y=y, y0=y0, y1=y1, voltage=voltage, q_al=q_al, q_pl=q_pl, q_c=q_c,
        q_c0=p["Initial charge passed [mAh.cm-2]"], q_limit=p["Charge limit [mAh.cm-2]"],
        v_upper=p["Upper voltage cut-off [V]"], v_lower=p["Lower voltage cut-off [V]"])
    model.events = [_directed(pybamm, name, current > 0 if sign > 0 else current < 0, value)
                    for name, sign, value in eq.LIMITS[cell](quantities)]
    model.variables.update({
        "Alloy charge [mAh.cm-2]": q_al,
        "Plated charge [mAh.cm-2]": q_pl,
        "Charge passed [mAh.cm-2]": q_c,
        "Anode potential [V]": phi_a,
        "Voltage [V]": voltage,
        "Alloy capacity [mAh.g-1]": cap_al,
        "Alloy OCV [V]": u_al,
        "Alloy current density [A.m-2]": i_al,
        "Plating current density [A.m-2]": i_pl,
        "Current density [A.m-2]": current,
        "Counter overpotential [V]": eta_c,
    })
    return model
