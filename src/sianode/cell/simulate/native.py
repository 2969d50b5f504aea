"""The lumped alloy + plating model solved without PyBaMM (the default backend).

The model of :mod:`.model` is a small index-1 DAE: three charges (alloy ``q_al``, plated
``q_pl``, passed ``q_c``) and the anode potential ``phi_a`` from the current balance
``i_al + i_pl = I``. At constant current two of the three charges follow in closed form,

    q_c(t) = q_c0 + c I t,        q_al = q_c - q_pl - (q_c0 - q_al0 - q_pl0),

(c = 1/36000 mAh/cm2 per A/m2 s; the second is charge conservation, exact here rather than
to the solver's tolerance), so one ODE is left, ``dq_pl/dt = c i_pl(phi_a)``, with
``phi_a`` the unique root of the current balance (both currents fall strictly with
``phi_a``), found by a safeguarded Newton iteration at every evaluation. Plated Li is the
integrated charge because it is exactly 0 while nothing plates (i_pl = 0 for phi_a > 0
with no plated Li), as in the PyBaMM model. The ODE is
integrated by :func:`sianode.cell.simulate.integrate.integrate` (adaptive, with dense
output and the step limits of :data:`.equations.LIMITS` located as roots).

Same equations (:mod:`.equations`), same inputs (:data:`.model.INPUT_NAMES`) and same
outputs as the PyBaMM model; the tests compare the two backends run by run. It exists
because importing PyBaMM takes 2.5-4.6 s here, several times the whole simulation
(``benchmarks/startup.py --simulate``).

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Fig. 1a and Fig. 3e.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import numpy as np

from sianode.cell.simulate import equations as eq
from sianode.cell.simulate.integrate import integrate
from sianode.cell.simulate.ocv import AlloyOCV, OCVRegime
from sianode.errors import ComputationError

__all__ = ["NativeModel"]

_PHI_TOL_V = 1e-13
_MAX_NEWTON = 200
_MAX_STEP_V = 0.1  # Newton steps on the exponential kinetics are damped to 100 mV


class NativeModel:
    """The model for one AlloyOCV and cell type, solved by :meth:`solve` for given inputs
    (the native counterpart of :func:`.model.build_model` with an IDAKLU solver).

    Parameters
    ----------
    ocv : AlloyOCV
        Alloy OCV staircases on a K_eff grid.
    cell : {"full", "asymmetric"}
        NMC cathode or Li metal counter electrode.
    smoothing_mAh_g, empty_wall_V, overlithiation_V : float
        OCV smoothing width [mAh/g] and wall potentials [V] (see :meth:`AlloyOCV.evaluate`).
    rtol, atol : float
        Relative and absolute [mAh/cm2] tolerances of the integration.
    """

    def __init__(self, ocv: AlloyOCV, cell: str, *, smoothing_mAh_g: float,
                 empty_wall_V: float, overlithiation_V: float, rtol: float = 1e-8,
                 atol: float = 1e-9) -> None:
        self.ocv, self.cell = ocv, cell
        self.smoothing_mAh_g = smoothing_mAh_g
        self.empty_wall_V, self.overlithiation_V = empty_wall_V, overlithiation_V
        self.rtol, self.atol = rtol, atol
        self._regimes = ocv.regimes()

    def _regime(self, k_GPa: float) -> OCVRegime:
        return next(r for r in self._regimes if r.k_low_GPa <= k_GPa < r.k_high_GPa)

    def solve(self, inputs: Mapping[str, float], t_end_s: float, n_points: int
              ) -> dict[str, Any]:
        """One constant-current step from the initial state in ``inputs`` until the first
        active limit or ``t_end_s``.

        Returns the dict of :func:`sianode.cell.simulate.run._solve`: ``t`` [s], ``V``,
        ``phi`` [V], ``charge``, ``alloy``, ``plated`` [mAh/cm2], ``i_al``, ``i_pl``
        [mA/cm2] at the solver's steps and ``n_points`` evenly spaced times, and
        ``termination`` (``"event: <limit>"`` or ``"final time"``).
        """
        step = _Step(self, inputs)
        sign = 1 if step.current > 0 else -1
        names = [name for name, direction, _ in eq.LIMITS[self.cell](step.quantities(
            0.0, step.q_pl0)) if direction == sign]

        def limits(t: float, q_pl: float) -> list[float]:
            return [value for _, direction, value in eq.LIMITS[self.cell](
                step.quantities(t, q_pl)) if direction == sign]

        res = integrate(step.rate, 0.0, t_end_s, step.q_pl0, limits, rtol=self.rtol,
                        atol=self.atol)
        if not res.success:
            raise ComputationError(f"cell simulation did not converge: {res.message}")
        t = np.union1d(res.t, np.linspace(0.0, res.t[-1], n_points))
        q_pl = res.evaluate(t)
        cols = [step.outputs(ti, qi) for ti, qi in zip(t.tolist(), q_pl.tolist())]
        out = {key: np.array([c[i] for c in cols]) for i, key in enumerate(
            ("V", "phi", "charge", "alloy", "plated", "i_al", "i_pl"))}
        out["t"] = t
        out["i_al"] = out["i_al"] * 0.1  # A/m2 -> mA/cm2
        out["i_pl"] = out["i_pl"] * 0.1
        out["termination"] = ("final time" if res.event is None
                              else f"event: {names[res.event]}")
        return out


class _Step:
    """Numbers of one constant-current step: the rate of plating and every output as
    functions of (t, q_pl)."""

    def __init__(self, model: NativeModel, inputs: Mapping[str, float]) -> None:
        p = inputs
        self.cell = model.cell
        self.current = float(p["Current density [A.m-2]"])
        self.f = eq.F_OVER_R / float(p["Temperature [K]"])
        self.alpha = float(p["Charge-transfer coefficient"])
        self.j0_al = float(p["Alloy exchange-current density [A.m-2]"])
        self.j0_pl = float(p["Plating exchange-current density [A.m-2]"])
        self.j0_c = float(p["Counter exchange-current density [A.m-2]"])
        self.q_gate = float(p["Plated Li gate charge [mAh.cm-2]"])
        self.loading_g_cm2 = float(p["Host loading [kg.m-2]"]) * 0.1
        k = float(p["Effective modulus [GPa]"])
        regime = model._regime(k)
        # U(q) for this K: the PyBaMM model's expression, evaluated on floats
        self._u = functools.partial(regime.expression, k=k, tanh=math.tanh,
                                    width=model.smoothing_mAh_g,
                                    empty_wall_V=model.empty_wall_V,
                                    overlithiation_V=model.overlithiation_V)
        self.q_pl0 = float(p["Initial plated charge [mAh.cm-2]"])
        self.q_c0 = float(p["Initial charge passed [mAh.cm-2]"])
        self.offset = self.q_c0 - self.q_pl0 - float(p["Initial alloy charge [mAh.cm-2]"])
        self.rate_c = self.current * eq.A_M2_TO_MAH_CM2_S
        self.ohmic = self.current * float(p["Ohmic resistance [Ohm.m2]"])
        self.eta_c = eq.counter_overpotential_V(eq.MATH_OPS, self.current, self.j0_c, self.f)
        self.y0 = float(p["Cathode stoichiometry at 0% SOC"])
        self.y1 = float(p["Cathode stoichiometry at 100% SOC"])
        self.q_cat = float(p["Cathode capacity [mAh.cm-2]"])
        self.q_limit = float(p["Charge limit [mAh.cm-2]"])
        self.v_upper = float(p["Upper voltage cut-off [V]"])
        self.v_lower = float(p["Lower voltage cut-off [V]"])
        self._phi = float(p["Initial anode potential guess [V]"])  # warm start of Newton

    # -- the current balance ------------------------------------------------------------
    def _balance(self, phi: float, u: float, q_pl: float) -> tuple[float, float, float, float]:
        """Residual i_al + i_pl - I [A/m2], its derivative in phi, i_al and i_pl
        (:mod:`.equations`)."""
        ops, a, f = eq.MATH_OPS, self.alpha, self.f
        i_al, d_al = eq.butler_volmer_with_slope(ops, self.j0_al, a, f, phi - u)
        i_pl, d_pl = eq.plating_with_slope(ops, self.j0_pl, a, f, phi, q_pl, self.q_gate)
        return i_al + i_pl - self.current, d_al + d_pl, i_al, i_pl

    def anode_potential(self, u: float, q_pl: float) -> tuple[float, float, float]:
        """phi_a [V] that balances the current, and the alloy and plating currents [A/m2]
        there (i_pl exactly 0 while phi_a > 0 and no Li is plated).

        g(phi) = i_al + i_pl - I falls strictly with phi, so the root is unique; Newton
        from the last root, damped to 100 mV steps and kept inside the bracket known so far
        (g(max(U, 0)) <= -I and g(min(U, 0)) >= -I)."""
        lo, hi = -math.inf, math.inf
        if self.current >= 0:
            hi = max(u, 0.0)
        else:
            lo = min(u, 0.0)
        x = min(max(self._phi, lo), hi)
        for _ in range(_MAX_NEWTON):
            g, dg, i_al, i_pl = self._balance(x, u, q_pl)
            step = min(max(-g / dg, -_MAX_STEP_V), _MAX_STEP_V)
            if abs(step) <= _PHI_TOL_V:
                break
            if g > 0:
                lo = x
            else:
                hi = x
            xn = x + step
            if not lo < xn < hi:  # Newton left the bracket: bisect (or walk out of it)
                xn = 0.5 * (lo + hi) if math.isfinite(lo) and math.isfinite(hi) else (
                    x + (_MAX_STEP_V if g > 0 else -_MAX_STEP_V))
            x = xn
        else:
            raise ComputationError("cell simulation: the current balance did not converge "
                                   f"(phi_a ~ {x:.6g} V, residual {g:.3g} A/m2)")
        self._phi = x
        return x, i_al, i_pl

    # -- functions of (t, q_pl) -----------------------------------------------------------
    def _state(self, t: float, q_pl: float) -> tuple[float, float, float, float, float]:
        """(q_c, q_al, phi_a, i_al, i_pl) at (t, q_pl)."""
        q_c = self.q_c0 + self.rate_c * t
        q_al = q_c - q_pl - self.offset
        phi, i_al, i_pl = self.anode_potential(self._u(q_al / self.loading_g_cm2), q_pl)
        return q_c, q_al, phi, i_al, i_pl

    def rate(self, t: float, q_pl: float) -> float:
        """dq_pl/dt [mAh/cm2/s]."""
        return self._state(t, q_pl)[4] * eq.A_M2_TO_MAH_CM2_S

    def _voltage(self, phi: float, q_c: float) -> tuple[float, float]:
        y = eq.cathode_stoichiometry(self.y0, self.y1, q_c, self.q_cat)
        u_c = eq.nmc811_ocp_V(eq.MATH_OPS, y) if self.cell == "full" else 0.0
        return eq.cell_voltage_V(self.cell, phi, u_c, self.eta_c, self.ohmic), y

    def quantities(self, t: float, q_pl: float) -> SimpleNamespace:
        """The namespace :data:`.equations.LIMITS` reads."""
        q_c, q_al, phi, _, _ = self._state(t, q_pl)
        voltage, y = self._voltage(phi, q_c)
        return SimpleNamespace(y=y, y0=self.y0, y1=self.y1, voltage=voltage, q_al=q_al,
                               q_pl=q_pl, q_c=q_c, q_c0=self.q_c0, q_limit=self.q_limit,
                               v_upper=self.v_upper, v_lower=self.v_lower)

    def outputs(self, t: float, q_pl: float) -> tuple[float, ...]:
        """(V, phi_a, q_c, q_al, q_pl, i_al, i_pl) at (t, q_pl); currents in A/m2."""
        q_c, q_al, phi, i_al, i_pl = self._state(t, q_pl)
        voltage, _ = self._voltage(phi, q_c)
        return voltage, phi, q_c, q_al, q_pl, i_al, i_pl
