"""The design loop: from a host's constriction susceptibility to what it means for a cell.

Seed 001 argues by hand across Fig. 3e (a host's voltage-capacity curve falls with the
effective modulus K_eff and vanishes at its stop modulus), Fig. 1a (what the host cannot
take up is plated as Li metal at 0 V) and Extended Data Table 1 (the pouch cell's 218 Wh/kg).
:func:`design_hosts` does it for any host, K_eff and stack:

* constrained alloying capacity ``q(K)`` [mAh/g host] from the engine's constrained hull
  (:meth:`~sianode.thermo.LithiationEngine.capacity_vs_k`);
* with the cathode's areal charge ``Q`` [mAh/cm²] and host loading ``m`` [mg/cm²] the anode
  stores ``Q_alloy = min(Q, m q(K))`` by alloying (above 0 V, so first) and plates the rest;
* the alloyed part follows the constrained curve (:meth:`~LithiationEngine.profile`): its
  charge-weighted voltage ``U_alloy`` and the volume of its phases, each phase the polymorph
  the hull at K_eff selects, volumes linear in Li uptake between the curve's breakpoints;
* thickness change = alloy expansion (all into thickness) + plated Li (0.534 g/cm³);
* the cell from the stack calculator (:func:`~sianode.cell.evaluate_stack`): the host
  replaces the stack's host in the anode layer (other anode solids kept), the cell's
  average voltage is the stack's (cathode vs Li) less ``share_alloy x U_alloy``, Wh/L uses
  the charged (expanded) anode thickness.

Thermodynamics only: no kinetics, no nucleation, no stress relaxation, no pore filling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode import units
from sianode.cell.energy import StackReport, evaluate_stack
from sianode.cell.stack import Stack
from sianode.electrode.prelithiation import LI_METAL_DENSITY_G_CM3
from sianode.errors import ComputationError, ParameterError
from sianode.records import DictRecord
from sianode.validation import POSITIVE, OneOf, check_params

if TYPE_CHECKING:
    import pandas as pd

    from sianode.thermo import LithiationEngine, VoltageProfile

__all__ = ["ASSUMPTIONS", "RANK_BY", "DesignRow", "DesignResult", "design_hosts",
           "li_metal_thickness_um"]

#: The model's assumptions, in words (also in the README and in every result).
ASSUMPTIONS = (
    "alloying capacity is the thermodynamic one of the constrained hull at K_eff (seed 001 "
    "Fig. 3e); no kinetics, no diffusion limit, no nucleation barrier",
    "alloying (above 0 V) takes charge before plating; what the host cannot take up is "
    "plated as dense Li metal (0.534 g/cm3) at 0 V",
    "volumes: the phases the constrained hull selects, linear in Li uptake between the "
    "curve's breakpoints; the expansion goes entirely into thickness (no pore filling, "
    "no in-plane growth); cathode volume change ignored",
    "cell voltage: the stack's average voltage is the cathode's vs Li metal; the alloyed "
    "share lowers it by its charge-weighted plateau voltage (no hysteresis)",
    "the host replaces the stack's host in the anode layer; the anode's other solids "
    "(graphite, binder, electrolyte) keep their mass and volume",
)
#: Columns a result may be ranked by (descending).
RANK_BY = ("specific_energy_Wh_kg", "energy_density_Wh_L", "plated_share", "alloy_share",
           "alloy_capacity_mAh_g")


def li_metal_thickness_um(charge_mAh_cm2: float) -> float:
    """Thickness [µm] of dense Li metal holding ``charge_mAh_cm2`` [mAh/cm²].

    ``t = Q x 3.6 / F x M_Li / rho_Li``: 4.85 µm per mAh/cm² (rho_Li = 0.534 g/cm³).

    Examples
    --------
    >>> round(li_metal_thickness_um(1.0), 2)
    4.85
    """
    mol = charge_mAh_cm2 * 3.6 / units.FARADAY_C_MOL
    return float(units.cm_to_um(mol * units.MOLAR_MASS_LI_G_MOL / LI_METAL_DENSITY_G_CM3))


@dataclass(frozen=True)
class DesignRow(DictRecord):
    """One host at one K_eff in one stack. Units in the names; shares are fractions [-].

    ``alloy_products`` are the phases the alloyed part ends as ('+'-joined; two-phase
    mixture when the charge ends inside a plateau);
    ``anode_thickness_um`` is the charged anode layer; ``loading_source`` says where the
    host loading came from; ``rank`` is 1 for the best row by the result's ``rank_by``.
    """

    host: str
    host_id: str
    k_eff_GPa: float
    k_crit_GPa: float | None
    k_stop_GPa: float | None
    host_loading_mg_cm2: float
    loading_source: str
    nominal_capacity_mAh_g: float
    np_ratio: float | None
    alloy_capacity_mAh_g: float
    alloy_charge_mAh_cm2: float
    plated_charge_mAh_cm2: float
    alloy_share: float
    plated_share: float
    alloy_voltage_V: float | None
    alloy_products: str
    alloy_thickness_change_um: float
    plated_li_thickness_um: float
    anode_thickness_change_um: float
    anode_thickness_um: float | None
    areal_capacity_mAh_cm2: float
    areal_energy_mWh_cm2: float
    areal_mass_mg_cm2: float
    specific_energy_Wh_kg: float
    energy_density_Wh_L: float | None
    rank: int = 0


@dataclass(frozen=True)
class DesignResult:
    """Rows of a design run (ranked), the stack as given, the assumptions, and the host
    entry ids in the order they were asked for."""

    stack: str
    baseline: StackReport
    rows: tuple[DesignRow, ...]
    rank_by: str
    assumptions: tuple[str, ...] = ASSUMPTIONS
    host_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the CLI's ``--json``)."""
        return {"stack": self.stack, "baseline": self.baseline.as_dict(),
                "rank_by": self.rank_by, "assumptions": list(self.assumptions),
                "host_ids": list(self.host_ids), "rows": [r.as_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DesignResult:
        from sianode.cell.energy import LayerBreakdown

        b = dict(d["baseline"])
        b["layers"] = tuple(LayerBreakdown(**x) for x in b["layers"])
        return cls(d["stack"], StackReport(**b), tuple(DesignRow(**r) for r in d["rows"]),
                   d["rank_by"], tuple(d["assumptions"]), tuple(d.get("host_ids", ())))

    def table(self) -> pd.DataFrame:
        """The ranked rows as a DataFrame (one column per :class:`DesignRow` field)."""
        import pandas as pd

        return pd.DataFrame([r.as_dict() for r in self.rows],
                            columns=[f.name for f in fields(DesignRow)])


class _Phases:
    """Entries by reduced formula, to give the phases of a curve their volumes at K_eff."""

    def __init__(self, table: Any) -> None:
        """``table``: the engine's :class:`~sianode.materials.table.EntryTable`."""
        self.by_formula: dict[str, list[tuple[dict[str, float], float, float]]] = {}
        for i, formula in enumerate(table.formulas):
            n = float(table.n_atoms[i])
            frac = {table.elements[j]: a / n for j, a in table.comps[i].items()}
            self.by_formula.setdefault(formula, []).append(
                (frac, float(table.energy_eV[i]) / n, float(table.volume_A3[i]) / n))

    def volume_A3(self, formulas: Sequence[str], target: dict[str, float], k_ev: float,
                  where: str) -> float:
        """Volume [Å³] of ``target`` (element amounts) as the named phases at K_eff."""
        from scipy.optimize import nnls

        cols, vols = [], []
        for f in formulas:
            frac, _, v = min(self.by_formula[f], key=lambda c: c[1] + k_ev * c[2])
            cols.append(frac)
            vols.append(v)
        els = sorted(set(target) | {el for c in cols for el in c})
        a = np.array([[c.get(el, 0.0) for c in cols] for el in els])
        b = np.array([target.get(el, 0.0) for el in els])
        atoms, resid = nnls(a, b)
        if resid > 1e-6 * max(1.0, float(np.abs(b).sum())):
            raise ComputationError(f"{where}: the phases {', '.join(formulas)} do not add up "
                                   f"to the lithiated host (residual {resid:.2g})")
        return float(np.dot(atoms, vols))


def _anode_index(stack: Stack) -> int:
    idx = [i for i, layer in enumerate(stack.layers) if layer.kind == "anode"]
    if len(idx) != 1:
        raise ParameterError("layers", f"{len(idx)} anode layers",
                             "exactly one layer of kind 'anode' (the host's layer)")
    return idx[0]


def _walk(profile: VoltageProfile, charge_mAh_g: float) -> tuple[float | None, int, float]:
    """Charge-weighted voltage [V] of the first ``charge_mAh_g``, the step it ends in, and
    the fraction of that step used."""
    if charge_mAh_g <= 0 or not profile.steps:
        return None, -1, 0.0
    energy, last, frac = 0.0, -1, 0.0
    for k, s in enumerate(profile.steps):
        width = s.capacity_end_mAh_g - s.capacity_start_mAh_g
        used = min(charge_mAh_g, s.capacity_end_mAh_g) - s.capacity_start_mAh_g
        if used <= 0:
            break
        energy += s.voltage_V * used
        last, frac = k, min(used / width, 1.0) if width > 0 else 1.0
    return energy / charge_mAh_g, last, frac


def design_hosts(
    stack: Stack,
    hosts: Sequence[str],
    k_eff_GPa: Sequence[float],
    entries: Sequence[Any] | LithiationEngine,
    *,
    host_loading_mg_cm2: float | None = None,
    target_np: float | None = None,
    stack_host: str = "Si",
    rank_by: str = "specific_energy_Wh_kg",
) -> DesignResult:
    """Cell consequences of each host at each effective modulus (module docstring).

    Parameters
    ----------
    stack : Stack
        One cathode layer with capacity and average voltage (vs Li), one anode layer.
    hosts : sequence of str
        Host formulas or entry ids.
    k_eff_GPa : sequence of float
        Effective moduli [GPa], finite and >= 0.
    entries : sequence of ComputedEntry or LithiationEngine
        Entries with volumes (the engine's source).
    host_loading_mg_cm2 : float, optional
        Host mass per area [mg/cm²] for every host. Default: the anode layer's
        ``active_loading_mg_cm2`` (or, with ``target_np``, the loading giving that N/P).
    target_np : float, optional
        N/P with the host's unconstrained (K_eff = 0) capacity as the nominal capacity;
        a host that does not alloy keeps the stack's loading.
    stack_host : str
        The host the stack file was written for (its dense volume leaves the anode layer).
    rank_by : str
        One of :data:`RANK_BY`; rows are ranked by it, largest first (ties: by Wh/L, or
        by Wh/kg when ranking by Wh/L).

    Returns
    -------
    DesignResult

    Raises
    ------
    ParameterError
        Bad K_eff, loading or N/P; both a loading and a target N/P; no anode loading.
    EntryError
        A host (or ``stack_host``) is not in the entries.

    References
    ----------
    Seed 001 Fig. 3e, Fig. 1a and Extended Data Table 1 (218 Wh/kg).
    """
    from sianode.thermo import LithiationEngine

    ks = [float(k) for k in k_eff_GPa]
    if not ks or not all(math.isfinite(k) and k >= 0 for k in ks):
        raise ParameterError("k_eff_GPa", list(k_eff_GPa), "one or more finite values >= 0 [GPa]")
    if not hosts:
        raise ParameterError("hosts", list(hosts), "one or more host formulas or entry ids")
    check_params({"host_loading_mg_cm2": host_loading_mg_cm2, "target_np": target_np,
                  "rank_by": rank_by},
                 {"host_loading_mg_cm2": POSITIVE, "target_np": POSITIVE,
                  "rank_by": OneOf("ranking column", RANK_BY)})
    if host_loading_mg_cm2 is not None and target_np is not None:
        raise ParameterError("target_np", target_np, "None when host_loading_mg_cm2 is given")
    eng = entries if isinstance(entries, LithiationEngine) else LithiationEngine(entries)
    phases = _Phases(eng.table)
    baseline = evaluate_stack(stack)
    ia = _anode_index(stack)
    anode = stack.layers[ia]
    ic = next(i for i, la in enumerate(stack.layers)
              if la.kind == "cathode" and la.capacity_mAh_cm2 is not None)
    q_cell = baseline.areal_capacity_mAh_cm2
    v_cath = float(stack.layers[ic].average_voltage_V)
    m0 = anode.active_loading_mg_cm2
    if m0 is None and host_loading_mg_cm2 is None:
        raise ParameterError("host_loading_mg_cm2", None, "a loading [mg/cm2]: the stack's "
                             "anode layer has no active_loading_mg_cm2")
    ref = eng.lithiate(stack_host, steps=False, stop=False)
    rho_ref = _density_g_cm3(ref)
    # resolve every host first: an unknown one fails before any heavy work
    resolved: dict[str, Any] = {}
    for h in hosts:
        r = eng.lithiate(h, steps=False, stop=True)
        resolved.setdefault(r.host_id, r)
    rows: list[DesignRow] = []
    for res in resolved.values():
        mass_fu = _mass_fu(res.host)
        q0 = float(eng.capacity_vs_k(res.host_id, [0.0])[0])
        if host_loading_mg_cm2 is not None:
            m, src = float(host_loading_mg_cm2), "given"
        elif target_np is not None and q0 > 0:
            m, src = target_np * q_cell * 1000.0 / q0, f"N/P {target_np:g} at {q0:.0f} mAh/g"
        else:
            m = float(m0)
            src = "stack" if target_np is None else "stack (host does not alloy: no N/P)"
        t_built = (None if anode.thickness_um is None else
                   anode.thickness_um + 10.0 * (m / _density_g_cm3(res) - (m0 or 0.0) / rho_ref))
        n_fu_cm2 = m * 1e-3 / mass_fu * units.AVOGADRO_MOL
        caps = eng.capacity_vs_k(res.host_id, ks)
        for k, q in zip(ks, caps, strict=True):
            prof = eng.profile(res.host_id, k)
            if abs(prof.capacity_mAh_g - q) > 1.0 + 0.01 * q:
                raise ComputationError(
                    f"{res.host} at K_eff = {k:g} GPa: capacity_vs_k gives {q:.1f} mAh/g but "
                    f"the constrained curve ends at {prof.capacity_mAh_g:.1f} mAh/g")
            q_alloy = min(q_cell, m * q / 1000.0)
            c_star = q_alloy * 1000.0 / m
            u_alloy, last, frac = _walk(prof, c_star)
            dv = 0.0
            prods = ""
            if last >= 0:
                k_ev = float(units.gpa_to_ev_per_a3(k))
                where = f"{res.host} at K_eff = {k:g} GPa"
                v_prev = res.host_volume_A3
                if last > 0:
                    v_prev = _volume_at(phases, res.host, prof.steps[last - 1], k_ev, where)
                v_end = _volume_at(phases, res.host, prof.steps[last], k_ev, where)
                dv = v_prev + frac * (v_end - v_prev) - res.host_volume_A3
                ends = set(prof.steps[last].products)
                if frac < 1.0 - 1e-9:  # inside a plateau: both phases of the two-phase region
                    ends |= set(prof.steps[last - 1].products) if last > 0 else {res.host}
                prods = "+".join(sorted(ends))
            dt_alloy = float(units.cm_to_um(n_fu_cm2 * dv * 1e-24))
            q_plated = q_cell - q_alloy
            dt_li = li_metal_thickness_um(q_plated)
            share = q_alloy / q_cell
            new_layers = list(stack.layers)
            new_layers[ic] = replace(stack.layers[ic],
                                     average_voltage_V=v_cath - share * (u_alloy or 0.0))
            new_layers[ia] = replace(
                anode, areal_mass_mg_cm2=anode.mass_mg_cm2 - (m0 or 0.0) + m,
                active_loading_mg_cm2=m, specific_capacity_mAh_g=q0 if q0 > 0 else None,
                thickness_um=None if t_built is None else t_built + dt_alloy + dt_li)
            rep = evaluate_stack(replace(stack, layers=tuple(new_layers)))
            rows.append(DesignRow(
                host=res.host, host_id=res.host_id, k_eff_GPa=k, k_crit_GPa=res.k_crit_GPa,
                k_stop_GPa=res.k_stop_GPa, host_loading_mg_cm2=m, loading_source=src,
                nominal_capacity_mAh_g=q0, np_ratio=m * q0 / 1000.0 / q_cell if q0 > 0 else None,
                alloy_capacity_mAh_g=float(q), alloy_charge_mAh_cm2=q_alloy,
                plated_charge_mAh_cm2=q_plated, alloy_share=share, plated_share=1.0 - share,
                alloy_voltage_V=u_alloy, alloy_products=prods,
                alloy_thickness_change_um=dt_alloy, plated_li_thickness_um=dt_li,
                anode_thickness_change_um=dt_alloy + dt_li,
                anode_thickness_um=None if t_built is None else t_built + dt_alloy + dt_li,
                areal_capacity_mAh_cm2=rep.areal_capacity_mAh_cm2,
                areal_energy_mWh_cm2=rep.areal_energy_mWh_cm2,
                areal_mass_mg_cm2=rep.areal_mass_mg_cm2,
                specific_energy_Wh_kg=rep.specific_energy_Wh_kg,
                energy_density_Wh_L=rep.energy_density_Wh_L))
    tie = "energy_density_Wh_L" if rank_by == "specific_energy_Wh_kg" else "specific_energy_Wh_kg"
    order = sorted(range(len(rows)), key=lambda i: (-_key(getattr(rows[i], rank_by)),
                                                     -_key(getattr(rows[i], tie))))
    ranked = tuple(replace(rows[i], rank=r) for r, i in enumerate(order, start=1))
    return DesignResult(stack.name, baseline, ranked, rank_by, host_ids=tuple(resolved))


def _key(v: float | None) -> float:
    return -math.inf if v is None or not math.isfinite(v) else float(v)


def _mass_fu(formula: str) -> float:
    from pymatgen.core import Composition

    return float(Composition(formula).weight)


def _density_g_cm3(res: Any) -> float:
    """Dense host density [g/cm³] from its entry: mass / volume per formula unit."""
    return _mass_fu(res.host) / (units.AVOGADRO_MOL * res.host_volume_A3 * 1e-24)


def _volume_at(phases: _Phases, host: str, step: Any, k_ev: float, where: str) -> float:
    """Volume [Å³ per host formula unit] at the end of a curve step."""
    from pymatgen.core import Composition

    target = {el.symbol: amt for el, amt in Composition(host).items()}
    target["Li"] = target.get("Li", 0.0) + step.li_end
    return phases.volume_A3(step.products, target, k_ev, where)

