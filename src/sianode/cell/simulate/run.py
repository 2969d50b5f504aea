"""Galvanostatic lithiation/delithiation of full or asymmetric cells with an alloy anode.

``simulate`` runs one cell at one K_eff: a constant-current lithiation of the anode (the
charge of a full cell; the "discharge" of seed 001's asymmetric Li/G | SE | SiG cell in
Fig. 1a) to a cut-off, then optionally a delithiation back. ``sweep_k_eff`` repeats it for
several K_eff values on one built model (K_eff is a PyBaMM input parameter).

Assumed parameters and what the model leaves out are listed in :mod:`.model` and
:mod:`.parameters`; results are a lumped (0D) cell, not a resolved electrode.

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Fig. 1a, Fig. 3e, Methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

import numpy as np

from sianode.cell.simulate.ocv import AlloyOCV
from sianode.cell.simulate.parameters import cell_parameters
from sianode.errors import ComputationError, ParameterError, UnknownNameError
from sianode.validation import (
    C_RATE,
    CURRENT_DENSITY_MA_CM2,
    K_EFF_GPA,
    SPECIFIC_CAPACITY_MAH_G,
    Interval,
    check_params,
)

__all__ = ["SOLVERS", "SimulationResult", "simulate", "sweep_k_eff"]

_ARRAYS = ("time_s", "voltage_V", "anode_potential_V", "charge_mAh_cm2",
           "alloy_charge_mAh_cm2", "plated_charge_mAh_cm2", "alloy_current_mA_cm2",
           "plating_current_mA_cm2", "lithiating")

_NO_LIMIT_MAH_CM2 = 1.0e9  # a charge limit that never triggers

_RUN_CONSTRAINTS = {
    "k_eff_GPa": K_EFF_GPA,
    "c_rate": C_RATE,
    "np_ratio": Interval(0.0, 1000.0, left_closed=False, reason="N/P ratio"),
    "current_density_mA_cm2": CURRENT_DENSITY_MA_CM2,
    "capacity_limit_mAh_g": SPECIFIC_CAPACITY_MAH_G,
    "n_points": Interval(10, 100000, integer=True),
}


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """One galvanostatic run: time series and the numbers seed 001 reports.

    Charges are per cm2 of cell [mAh/cm2]; currents are positive when they lithiate the
    anode [mA/cm2]; potentials vs Li/Li+ [V]. ``lithiating`` is True during the first
    (lithiation) step and False during delithiation. ``termination`` holds, per step, the
    limit that ended it as PyBaMM reports it (``"event: Cathode fully delithiated"``,
    ``"event: Upper voltage cut-off"``, ...; see :attr:`lithiation_ended_by`).
    ``cathode_capacity_mAh_cm2`` and ``np_ratio`` are the full cell's practical cathode
    capacity [mAh/cm2] and nominal N/P (host loading x host practical capacity over it);
    None for an asymmetric cell.
    """

    host: str
    cell: str
    k_eff_GPa: float
    current_density_mA_cm2: float
    host_loading_mg_cm2: float
    thermodynamic_capacity_mAh_g: float
    time_s: np.ndarray
    voltage_V: np.ndarray
    anode_potential_V: np.ndarray
    charge_mAh_cm2: np.ndarray
    alloy_charge_mAh_cm2: np.ndarray
    plated_charge_mAh_cm2: np.ndarray
    alloy_current_mA_cm2: np.ndarray
    plating_current_mA_cm2: np.ndarray
    lithiating: np.ndarray
    termination: tuple[str, ...] = field(default=())
    cathode_capacity_mAh_cm2: float | None = None
    np_ratio: float | None = None

    def _end(self) -> int:
        idx = np.flatnonzero(self.lithiating)
        return int(idx[-1]) if idx.size else 0

    @property
    def lithiation_ended_by(self) -> str:
        """The limit that ended lithiation: an event name (``"Cathode fully delithiated"``:
        the cathode gave up its practical capacity; ``"Upper voltage cut-off"``,
        ``"Lower voltage cut-off"``, ``"Charge limit"``) or ``"final time"``."""
        return _limit_name(self.termination[0]) if self.termination else ""

    @property
    def delithiation_ended_by(self) -> str:
        """The limit that ended delithiation (as :attr:`lithiation_ended_by`); "" if none
        was run."""
        return _limit_name(self.termination[1]) if len(self.termination) > 1 else ""

    @property
    def alloy_capacity_mAh_g(self) -> float:
        """Alloy capacity at the end of lithiation [mAh/g of host]."""
        return float(self.alloy_charge_mAh_cm2[self._end()] / self.host_loading_mg_cm2 * 1e3)

    @property
    def plated_capacity_mAh_cm2(self) -> float:
        """Plated Li at the end of lithiation [mAh/cm2]."""
        return float(self.plated_charge_mAh_cm2[self._end()])

    @property
    def lithiation_capacity_mAh_g(self) -> float:
        """All charge passed in lithiation per host mass (alloy + plated) [mAh/g]."""
        return float(self.charge_mAh_cm2[self._end()] / self.host_loading_mg_cm2 * 1e3)

    @property
    def capacity_above_0V_mAh_g(self) -> float:
        """Charge per host mass passed before the cell voltage first drops below 0 V
        (asymmetric cell, seed 001 Fig. 1a's "200 mAh/g above 0 V") [mAh/g]; NaN for a
        full cell, whose voltage never approaches 0 V. The crossing is interpolated
        linearly between the two output points around it (not the first point below)."""
        if self.cell != "asymmetric":
            return float("nan")
        below = np.flatnonzero(self.lithiating & (self.voltage_V < 0))
        i = int(below[0]) if below.size else self._end()
        q = float(self.charge_mAh_cm2[i])
        if below.size and i > 0:
            v0, v1 = float(self.voltage_V[i - 1]), float(self.voltage_V[i])
            q0 = float(self.charge_mAh_cm2[i - 1])
            q = q0 + (q - q0) * v0 / (v0 - v1)
        return q / self.host_loading_mg_cm2 * 1e3

    @property
    def coulombic_efficiency(self) -> float:
        """Charge recovered on delithiation over charge passed on lithiation (NaN without a
        delithiation step, or when lithiation passed no charge: a limit reached at once,
        e.g. the cut-off at a rate whose overpotentials alone exceed it)."""
        if self.lithiating.all():
            return float("nan")
        end = self._end()
        q_in = self.charge_mAh_cm2[end] - self.charge_mAh_cm2[0]
        if not q_in > 0:
            return float("nan")
        return float((self.charge_mAh_cm2[end] - self.charge_mAh_cm2[-1]) / q_in)

    @property
    def min_anode_potential_V(self) -> float:
        """Lowest anode potential vs Li/Li+ during the run [V]."""
        return float(np.min(self.anode_potential_V))

    @property
    def charge_balance_error(self) -> float:
        """max |q_alloy + q_plated - q_passed| relative to the largest q_passed (should be
        ~0: every electron goes to alloying or plating)."""
        q0 = self.charge_mAh_cm2[0] - self.alloy_charge_mAh_cm2[0] - self.plated_charge_mAh_cm2[0]
        err = self.alloy_charge_mAh_cm2 + self.plated_charge_mAh_cm2 + q0 - self.charge_mAh_cm2
        scale = max(float(np.max(np.abs(self.charge_mAh_cm2))), 1e-300)
        return float(np.max(np.abs(err)) / scale)

    def summary(self) -> dict[str, Any]:
        """The per-run numbers of ``sianode simulate --json``."""
        out: dict[str, Any] = {
            "k_eff_GPa": self.k_eff_GPa,
            "alloy_capacity_mAh_g": self.alloy_capacity_mAh_g,
            "plated_capacity_mAh_cm2": self.plated_capacity_mAh_cm2,
            "min_anode_potential_V": self.min_anode_potential_V,
            "thermodynamic_capacity_mAh_g": self.thermodynamic_capacity_mAh_g,
            "lithiation_capacity_mAh_g": self.lithiation_capacity_mAh_g,
            "lithiation_ended_by": self.lithiation_ended_by,
        }
        if self.delithiation_ended_by:
            out["delithiation_ended_by"] = self.delithiation_ended_by
            out["coulombic_efficiency"] = self.coulombic_efficiency
        if self.cell == "asymmetric":
            out["capacity_above_0V_mAh_g"] = self.capacity_above_0V_mAh_g
        else:
            out["cathode_capacity_mAh_cm2"] = self.cathode_capacity_mAh_cm2
            out["np_ratio"] = self.np_ratio
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (arrays as lists); inverse of :meth:`from_dict`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.tolist() if isinstance(v, np.ndarray) else (
                list(v) if isinstance(v, tuple) else v)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SimulationResult:
        """Inverse of :meth:`as_dict`."""
        kw = dict(d)
        for name in _ARRAYS:
            kw[name] = np.asarray(kw[name], dtype=bool if name == "lithiating" else float)
        kw["termination"] = tuple(kw.get("termination", ()))
        return cls(**kw)


def _limit_name(termination: str) -> str:
    """``"event: Upper voltage cut-off"`` -> ``"Upper voltage cut-off"``."""
    return termination.removeprefix("event: ").strip()


#: the backends of :func:`simulate`: SciPy-free native integration (default) or PyBaMM
SOLVERS = ("native", "pybamm")


@lru_cache(maxsize=8)
def _built(ocv: AlloyOCV, cell: str, smoothing: float, wall: float, over: float,
           solver: str = "native"):
    """The model of one AlloyOCV and cell type, built once per backend: a
    :class:`~.native.NativeModel`, or a discretised PyBaMM model and its IDAKLU solver."""
    if solver == "native":
        from sianode.cell.simulate.native import NativeModel

        return NativeModel(ocv, cell, smoothing_mAh_g=smoothing, empty_wall_V=wall,
                           overlithiation_V=over), None
    from sianode.cell.simulate.model import build_model, import_pybamm

    pybamm = import_pybamm()
    model = build_model(ocv, cell, smoothing_mAh_g=smoothing, empty_wall_V=wall,
                        overlithiation_V=over)
    pybamm.Discretisation().process_model(model)
    solver_ = pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-9)
    return model, solver_


def _inputs(par: Mapping[str, float], current_A_m2: float, k: float,
            host_loading_mg_cm2: float, limit_mAh_cm2: float,
            cathode_mAh_cm2: float) -> dict[str, float]:
    ohmic = par["Separator thickness [m]"] / par["Separator conductivity [S.m-1]"] + par[
        "Cathode resistance [Ohm.m2]"]
    out = {
        "Current density [A.m-2]": current_A_m2,
        "Effective modulus [GPa]": k,
        "Host loading [kg.m-2]": host_loading_mg_cm2 * 1e-2,
        "Initial alloy charge [mAh.cm-2]": 0.0,
        "Initial plated charge [mAh.cm-2]": 0.0,
        "Initial charge passed [mAh.cm-2]": 0.0,
        "Initial anode potential guess [V]": 0.1,
        "Charge-transfer coefficient": par["Charge-transfer coefficient"],
        "Temperature [K]": par["Temperature [K]"],
        "Ohmic resistance [Ohm.m2]": ohmic,
        "Plated Li gate charge [mAh.cm-2]": par["Plated Li gate charge [mAh.cm-2]"],
        "Upper voltage cut-off [V]": par["Upper voltage cut-off [V]"],
        "Lower voltage cut-off [V]": par["Lower voltage cut-off [V]"],
        "Charge limit [mAh.cm-2]": limit_mAh_cm2,
        "Cathode capacity [mAh.cm-2]": cathode_mAh_cm2,
        "Cathode stoichiometry at 0% SOC": par.get("Cathode stoichiometry at 0% SOC", 0.9),
        "Cathode stoichiometry at 100% SOC": par.get("Cathode stoichiometry at 100% SOC", 0.3),
    }
    for name in ("Alloy exchange-current density [A.m-2]",
                 "Plating exchange-current density [A.m-2]",
                 "Counter exchange-current density [A.m-2]"):
        out[name] = par[name]
    return out


def simulate(
    ocv: AlloyOCV,
    k_eff_GPa: float,
    *,
    cell: str = "full",
    c_rate: float = 0.5,
    np_ratio: float | None = None,
    current_density_mA_cm2: float | None = None,
    capacity_limit_mAh_g: float | None = None,
    delithiate: bool = True,
    parameters: Mapping[str, float] | None = None,
    n_points: int = 400,
    solver: str = "native",
) -> SimulationResult:
    """Lithiate (and optionally delithiate) the anode of a cell at constant current.

    Parameters
    ----------
    ocv : AlloyOCV
        The host's alloy OCV vs K_eff (:func:`~sianode.cell.simulate.alloy_ocv_from_thermo`).
    k_eff_GPa : float
        Effective constriction modulus [GPa], >= 0.
    cell : {"full", "asymmetric"}
        NMC | SE | host (seed 001 Fig. 2, 4) or Li/G | SE | host (Fig. 1a).
    c_rate : float
        Current as a C-rate [1/h] of the cathode's capacity (full cell) or of the host's
        nominal capacity at the practical capacity (asymmetric cell).
    np_ratio : float, optional
        Nominal N/P of a full cell; sets the host loading (default: the parameter set's).
    current_density_mA_cm2 : float, optional
        Current density [mA/cm2]; overrides ``c_rate``.
    capacity_limit_mAh_g : float, optional
        Stop lithiation after this charge per host mass [mAh/g]; default: the cathode or
        the Li counter electrode (2.5x the host's nominal capacity) runs out.
    delithiate : bool
        Also run the reverse step to the opposite cut-off.
    parameters : mapping, optional
        Overrides of :func:`~sianode.cell.simulate.parameters.cell_parameters`.
    n_points : int
        Evenly spaced output points per step; the solver's own (adaptive) steps are
        output too.
    solver : {"native", "pybamm"}
        ``"native"`` integrates the model without PyBaMM (:mod:`.native`; no PyBaMM
        import: see ``benchmarks/simulate_charge.py`` for start and per-run times);
        ``"pybamm"`` builds it as a PyBaMM model and solves it with IDAKLU (:mod:`.model`).
        Both solve the same equations to rtol 1e-8.

    Returns
    -------
    SimulationResult

    Raises
    ------
    ParameterError
        K_eff < 0 or past the OCV table (while the host still lithiates there),
        c_rate/current/N/P <= 0, or a parameter out of range.
    UnknownNameError
        Unknown cell type or parameter name.
    ComputationError
        The solver fails.

    References
    ----------
    Seed 001 Fig. 1a, Fig. 3e, Methods (cell formats and N/P definition).
    """
    check_params({"k_eff_GPa": k_eff_GPa, "c_rate": c_rate, "np_ratio": np_ratio,
                  "current_density_mA_cm2": current_density_mA_cm2,
                  "capacity_limit_mAh_g": capacity_limit_mAh_g, "n_points": n_points},
                 _RUN_CONSTRAINTS)
    if cell not in ("full", "asymmetric"):
        raise UnknownNameError("cell type", cell, ("full", "asymmetric"))
    if solver not in SOLVERS:
        raise UnknownNameError("solver", solver, SOLVERS)
    k_top = ocv.k_eff_GPa[-1]
    if k_eff_GPa > k_top and ocv.staircases[-1]:
        raise ParameterError("k_eff_GPa", k_eff_GPa, f"<= {k_top:g} GPa, the end of the OCV "
                             "table's K_eff grid (the host still lithiates there)")
    par = cell_parameters(cell, parameters)
    loading, q_cat, npr, ref_mAh_cm2, limit = _bookkeeping(cell, par, np_ratio)
    if capacity_limit_mAh_g is not None:
        limit = min(limit, capacity_limit_mAh_g * loading * 1e-3)
    i_mA_cm2 = (float(current_density_mA_cm2) if current_density_mA_cm2 is not None
                else c_rate * ref_mAh_cm2)
    smoothing = par["OCV smoothing width [mAh.g-1]"]
    model, ida = _built(ocv, cell, smoothing, par["Empty host potential [V]"],
                        par["Overlithiation potential [V]"], solver)
    inputs = _inputs(par, i_mA_cm2 * 10.0, float(k_eff_GPa), loading, limit,
                     q_cat if q_cat is not None else 1.0)
    # the step ends on an event before t_end: at the latest when the charge limit or (full
    # cell) the cathode's practical capacity has been passed
    q_max = min(limit, q_cat) if q_cat is not None else limit
    steps = [_solve(model, ida, inputs, _seconds_to_pass(q_max, i_mA_cm2), n_points)]
    if delithiate:
        last = steps[0]
        q_in = last["charge"][-1] - last["charge"][0]
        # the reverse step starts from the state the forward one ended in (the events of the
        # forward direction are off when the current is reversed, see model.py); it can give
        # back at most what went in, plus the smoothed wall of the empty host
        q_back = q_in + 4 * smoothing * loading * 1e-3
        inputs2 = dict(inputs, **{
            "Current density [A.m-2]": -inputs["Current density [A.m-2]"],
            "Initial alloy charge [mAh.cm-2]": last["alloy"][-1],
            "Initial plated charge [mAh.cm-2]": last["plated"][-1],
            "Initial charge passed [mAh.cm-2]": last["charge"][-1],
            "Initial anode potential guess [V]": last["phi"][-1],
        })
        steps.append(_solve(model, ida, inputs2, _seconds_to_pass(q_back, i_mA_cm2),
                            n_points, t0=last["t"][-1]))
    cat = {k: np.concatenate([s[k] for s in steps]) for k in steps[0] if k != "termination"}
    return SimulationResult(
        host=ocv.host, cell=cell, k_eff_GPa=float(k_eff_GPa),
        current_density_mA_cm2=i_mA_cm2, host_loading_mg_cm2=float(loading),
        thermodynamic_capacity_mAh_g=ocv.thermodynamic_capacity_mAh_g(float(k_eff_GPa)),
        time_s=cat["t"], voltage_V=cat["V"], anode_potential_V=cat["phi"],
        charge_mAh_cm2=cat["charge"], alloy_charge_mAh_cm2=cat["alloy"],
        plated_charge_mAh_cm2=cat["plated"], alloy_current_mA_cm2=cat["i_al"],
        plating_current_mA_cm2=cat["i_pl"],
        lithiating=np.concatenate([np.full(len(s["t"]), i == 0) for i, s in enumerate(steps)]),
        termination=tuple(s["termination"] for s in steps),
        cathode_capacity_mAh_cm2=q_cat, np_ratio=npr,
    )


def _bookkeeping(cell: str, par: Mapping[str, float], np_ratio: float | None
                 ) -> tuple[float, float | None, float | None, float, float]:
    """Host loading [mg/cm2], cathode capacity [mAh/cm2] (None: asymmetric), nominal N/P
    (None: asymmetric), the capacity a C-rate refers to [mAh/cm2] and the charge limit of
    lithiation [mAh/cm2].

    Full cell: cathode capacity = active loading x practical capacity (seed 001: 25 mg/cm2
    x 200 mAh/g = 5 mAh/cm2) over the stoichiometry window of the cathode OCV; host loading
    from the nominal N/P at the host's practical capacity (seed 001 Methods: Si at
    3000 mAh/g). The cathode's Li limits lithiation (the "Cathode fully delithiated"
    event), so there is no separate charge limit. Asymmetric cell: the Li/G counter holds
    ``Counter capacity ratio`` x the host's nominal capacity (seed 001 Methods: 2.5:1).
    """
    from sianode.electrode.np_ratio import anode_loading_for_np_mg_cm2, areal_capacity_mAh_cm2

    host_cap = par["Host practical capacity [mAh.g-1]"]
    if cell == "full":
        q_cat = areal_capacity_mAh_cm2(par["Cathode active loading [mg.cm-2]"],
                                       par["Cathode practical capacity [mAh.g-1]"])
        npr = par["N/P ratio"] if np_ratio is None else float(np_ratio)
        loading = anode_loading_for_np_mg_cm2(npr, q_cat, host_cap)
        return loading, q_cat, npr, q_cat, _NO_LIMIT_MAH_CM2
    if np_ratio is not None:
        raise ParameterError("np_ratio", np_ratio, "None for an asymmetric cell "
                             "(set 'Host loading [mg.cm-2]' instead)")
    loading = par["Host loading [mg.cm-2]"]
    ref = areal_capacity_mAh_cm2(loading, host_cap)
    return loading, None, None, ref, par["Counter capacity ratio"] * ref


def _seconds_to_pass(q_mAh_cm2: float, i_mA_cm2: float) -> float:
    """Time [s] to pass ``q_mAh_cm2`` at ``i_mA_cm2``, with 5 % (and 1 s) to spare."""
    return max(q_mAh_cm2, 0.0) / i_mA_cm2 * 3600.0 * 1.05 + 1.0


def _solve(model, solver, inputs, t_end: float, n_points: int, t0: float = 0.0) -> dict:
    """One constant-current step. Output times: ``n_points`` evenly spaced over the step
    (it ends on an event before ``t_end``) and every step the adaptive solver took, so that
    sharp transitions (plateau ends, the onset of plating, the event itself) are resolved
    whatever ``n_points`` is. ``solver`` is None for a native model."""
    if solver is None:
        out = model.solve(inputs, t_end, n_points)
        out["t"] = out["t"] + t0
        return out
    try:
        sol = solver.solve(model, [0.0, t_end], inputs=inputs)
    except Exception as exc:  # pybamm raises its own SolverError and casadi errors
        raise ComputationError(f"cell simulation did not converge: {exc}") from exc
    t_solver = np.asarray(sol.t, dtype=float)
    t = np.union1d(t_solver, np.linspace(0.0, t_solver[-1], n_points))
    get = {"V": "Voltage [V]", "phi": "Anode potential [V]",
           "charge": "Charge passed [mAh.cm-2]", "alloy": "Alloy charge [mAh.cm-2]",
           "plated": "Plated charge [mAh.cm-2]", "i_al": "Alloy current density [A.m-2]",
           "i_pl": "Plating current density [A.m-2]"}
    out = {k: np.asarray(sol[v](t=t), dtype=float).ravel() for k, v in get.items()}
    out["t"] = t + t0
    out["i_al"] = out["i_al"] * 0.1  # A/m2 -> mA/cm2
    out["i_pl"] = out["i_pl"] * 0.1
    out["termination"] = str(sol.termination)  # "event: <name>" or "final time"
    return out


def sweep_k_eff(ocv: AlloyOCV, k_eff_GPa: Sequence[float], **kwargs: Any
                ) -> list[SimulationResult]:
    """:func:`simulate` at each K_eff [GPa] on one built model (same keyword arguments).

    References
    ----------
    Seed 001 Fig. 3e (capacity vs K_eff, here at cell level).
    """
    ks = [float(k) for k in k_eff_GPa]
    if not ks:
        raise ParameterError("k_eff_GPa", list(k_eff_GPa), "at least one value >= 0")
    return [simulate(ocv, k, **kwargs) for k in ks]
