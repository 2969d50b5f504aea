"""Lithiation of a host at 0 V vs Li, its voltage steps, K_crit and the stop modulus.

Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Methods "Computational methods" and Fig. 3e/3f:

    H + n Li -> sum_j nu_j P_j          products: equilibrium with Li metal (mu_Li = mu_Li^metal)
    G      = sum_j nu_j E(P_j) - E(H) - n mu_Li        [eV per host formula unit]
    U      = -G / n                                    [V]
    dV     = sum_j nu_j V(P_j) - V(H)                  [Å³], solids only (no Li reservoir)
    eps    = dV / V(H);   K_crit = -G / dV  (x 160.2177 -> GPa)
    capacity = n * F / (3.6 M(H))                      [mAh per g of host]

Under constriction K_eff every solid entry's energy is raised by K_eff * V and the hull is
rebuilt (:meth:`LithiationEngine.profile`, :mod:`sianode.thermo.profile`); lithiation stops
entirely at ``k_stop_GPa`` (:mod:`sianode.thermo.stop`), a different number from ``k_crit_GPa``.

The engine works on a columnar :class:`~sianode.materials.table.EntryTable` and needs no
pymatgen; it accepts pymatgen entries, a ``PhaseDiagram`` or a DataFrame as well
(:func:`sianode.materials.table.as_entry_table`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode import units
from sianode.errors import EntryError, ParameterError
from sianode.materials.table import as_entry_table
from sianode.thermo.profile import plateaus
from sianode.thermo.stop import stop_modulus_eV_A3
from sianode.thermo.system import SystemArrays, solve_system, submasks, system_arrays
from sianode.validation import K_EFF_GPA

if TYPE_CHECKING:
    from pymatgen.entries.computed_entries import ComputedEntry

__all__ = [
    "VoltageStep",
    "VoltageProfile",
    "LithiationResult",
    "LithiationEngine",
    "lithiate",
    "constrained_profiles",
    "VOLTAGE_RANGE_V",
]

_LI_TOL = 1e-6
#: A lithiation voltage outside this range [V vs Li/Li+] is not physical: it means the
#: entries' energies are on different scales (e.g. a Li reference of +5 eV) and is refused.
VOLTAGE_RANGE_V = (-1.0, 5.0)


@dataclass(frozen=True)
class VoltageStep:
    """One plateau of a voltage-capacity curve.

    Attributes
    ----------
    voltage_V : float
        Plateau voltage vs Li/Li+ [V].
    capacity_start_mAh_g, capacity_end_mAh_g : float
        Capacity per gram of host at the plateau's ends [mAh/g].
    li_start, li_end : float
        Li taken up per host formula unit at the plateau's ends.
    products : tuple of str
        Reduced formulas of the phases at the end of the plateau.
    """

    voltage_V: float
    capacity_start_mAh_g: float
    capacity_end_mAh_g: float
    li_start: float
    li_end: float
    products: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["products"] = list(self.products)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VoltageStep:
        return cls(**{**d, "products": tuple(d["products"])})


@dataclass(frozen=True)
class VoltageProfile:
    """Voltage-capacity curve of a host at one effective modulus (seed 001 Fig. 3e)."""

    host: str
    k_eff_GPa: float
    steps: tuple[VoltageStep, ...]

    @property
    def capacity_mAh_g(self) -> float:
        """Total capacity above 0 V [mAh/g of host]."""
        return self.steps[-1].capacity_end_mAh_g if self.steps else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "k_eff_GPa": self.k_eff_GPa,
            "capacity_mAh_g": self.capacity_mAh_g,
            "steps": [s.as_dict() for s in self.steps],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VoltageProfile:
        return cls(d["host"], float(d["k_eff_GPa"]),
                   tuple(VoltageStep.from_dict(s) for s in d["steps"]))


@dataclass(frozen=True)
class LithiationResult:
    """The 0 V lithiation reaction of one host (seed 001 Methods, Fig. 3f).

    ``k_crit_GPa`` is ``None`` for a host that does not react with Li (Cu, Ti in the paper) or
    whose reaction does not expand; ``k_stop_GPa`` is ``None`` if constriction cannot stop it.
    """

    host: str
    host_id: str
    products: dict[str, float]
    product_ids: tuple[str, ...]
    li_per_formula_unit: float
    li_per_host_atom: float
    reaction_energy_eV: float
    voltage_V: float | None
    capacity_mAh_g: float
    host_volume_A3: float
    volume_change_A3: float
    reaction_strain: float
    k_crit_GPa: float | None
    k_stop_GPa: float | None
    steps: tuple[VoltageStep, ...] = field(default=())

    @property
    def reacts(self) -> bool:
        return self.li_per_formula_unit > _LI_TOL

    @property
    def susceptibility_x(self) -> float | None:
        """Fig. 3f x axis: Li per host atom / K_crit [1/GPa]."""
        if self.k_crit_GPa is None or self.k_crit_GPa <= 0:
            return None
        return self.li_per_host_atom / self.k_crit_GPa

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["product_ids"] = list(self.product_ids)
        d["steps"] = [s.as_dict() for s in self.steps]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LithiationResult:
        d = dict(d)
        d["product_ids"] = tuple(d["product_ids"])
        d["steps"] = tuple(VoltageStep.from_dict(s) for s in d.get("steps", []))
        return cls(**d)


class LithiationEngine:
    """Lithiation of many hosts against one set of entries, reusing per-system arrays.

    Parameters
    ----------
    entries : EntryTable, sequence of ComputedEntry, PhaseDiagram or DataFrame
        Entries with volumes (see :func:`sianode.materials.table.as_entry_table` for the
        DataFrame columns: ``id``, ``formula``, ``energy_eV`` total per row formula [eV] or
        ``energy_per_atom_eV``, ``volume_A3`` or ``volume_per_atom_A3``).
    validate : bool
        Check ids, energies and volumes (physical ranges) first.
    voltage_range_V : (float, float) or None
        A 0 V reaction whose average voltage falls outside this range [V] raises
        :class:`~sianode.errors.EntryError` (default :data:`VOLTAGE_RANGE_V`; ``None``: no
        check, e.g. for synthetic entries).

    Raises
    ------
    InputError
        ``entries`` is none of the above (the message says what to pass).
    EntryError
        An entry is unusable (names it).
    """

    def __init__(self, entries: Any, validate: bool = True,
                 voltage_range_V: tuple[float, float] | None = VOLTAGE_RANGE_V) -> None:
        self.voltage_range_V = voltage_range_V
        if isinstance(entries, LithiationEngine):
            entries = entries.table
        self.table = as_entry_table(entries)
        if validate:
            self.table.validate()
        self._groups = self.table.groups()
        self._arrays: dict[int, SystemArrays] = {}

    # -- system bookkeeping ------------------------------------------------------------
    def _host(self, host: str | ComputedEntry) -> int:
        if not isinstance(host, str):
            host = str(host.entry_id)
        i = self.table.find_host(host)
        if self.table.mask[i] == 1:
            raise EntryError(f"host {host!r} is Li metal itself; choose a host material")
        return i

    def members(self, mask: int) -> list[int]:
        """Entry indices whose elements are a subset of ``mask``."""
        out: list[int] = []
        for sub in submasks(mask):
            out.extend(self._groups.get(sub, ()))
        return out

    def arrays(self, mask: int) -> SystemArrays:
        if mask not in self._arrays:
            self._arrays[mask] = system_arrays(self.table, mask)
        return self._arrays[mask]

    # -- public computations -----------------------------------------------------------
    def lithiate(self, host: str | ComputedEntry, steps: bool = True,
                 stop: bool = True) -> LithiationResult:
        """The 0 V reaction of ``host`` (formula, entry id or entry); see module docstring."""
        t = self.table
        i = self._host(host)
        mask = t.mask[i] | 1
        sa = self.arrays(mask)
        sol = solve_system(t, mask, [i], arrays=sa)
        comp = t.reduced_composition(i)
        atoms_fu = sum(comp.values())
        nonli_fu = atoms_fu * sol.nonli_frac[0]
        scale = nonli_fu  # per non-Li atom -> per formula unit
        d_li = float(sol.d_li[0] * scale)
        reacts = d_li > _LI_TOL
        g = float(sol.g_eV[0] * scale) if reacts else 0.0
        dv = float(sol.dv_A3[0] * scale) if reacts else 0.0
        v_host = float(sol.u_host_A3[0] * scale)
        mass_fu = float(t.mass_g_mol[i] * atoms_fu / t.n_atoms[i])
        products: dict[str, float] = {}
        pids: list[str] = []
        if reacts:
            for j, w in zip(sol.product_idx[0], sol.product_w[0], strict=True):
                if w <= 1e-9:
                    continue
                pcomp = t.reduced_composition(int(j))
                p_nonli = sum(a for el, a in pcomp.items() if el != "Li")
                amount = float(w * nonli_fu / p_nonli)
                products[t.formulas[j]] = products.get(t.formulas[j], 0.0) + amount
                pids.append(t.ids[j])
        k_crit = None
        if reacts and dv > 0 and g < 0:
            k_crit = float(units.ev_per_a3_to_gpa(-g / dv))
        voltage = (-g / d_li) if reacts else None
        vr = self.voltage_range_V
        if voltage is not None and vr is not None and not (vr[0] <= voltage <= vr[1]):
            raise EntryError(
                f"host {t.ids[i]!r} ({t.formulas[i]}): 0 V reaction to {'+'.join(products)} "
                f"gives {voltage:.4g} V, outside the physical range {list(vr)} V "
                f"vs Li/Li+; the entries' energies are not on one energy scale (check the Li "
                f"reference {t.ids[sa.li_ref]!r}, the host and {', '.join(pids)})")
        k_stop: float | None = None
        if stop:
            ks = stop_modulus_eV_A3(sa, sa.local_of[i])
            k_stop = float(units.ev_per_a3_to_gpa(ks)) if math.isfinite(ks) else None
        return LithiationResult(
            host=t.formulas[i],
            host_id=t.ids[i],
            products=products,
            product_ids=tuple(pids),
            li_per_formula_unit=d_li if reacts else 0.0,
            li_per_host_atom=d_li / atoms_fu if reacts else 0.0,
            reaction_energy_eV=g,
            voltage_V=voltage,
            capacity_mAh_g=float(units.capacity_mAh_g(d_li, mass_fu)) if reacts else 0.0,
            host_volume_A3=v_host,
            volume_change_A3=dv,
            reaction_strain=dv / v_host if reacts else 0.0,
            k_crit_GPa=k_crit,
            k_stop_GPa=k_stop,
            steps=self.profile(i, 0.0).steps if (steps and reacts) else (),
        )

    def capacity_vs_k(self, host: str | ComputedEntry,
                      k_eff_GPa: Iterable[float]) -> np.ndarray:
        """0 V capacity [mAh/g host] at each K_eff [GPa] (hull rebuilt at each K)."""
        t = self.table
        i = self._host(host)
        mask = t.mask[i] | 1
        sa = self.arrays(mask)
        atoms_fu = t.atoms_fu[i]
        mass_fu = t.mass_g_mol[i] * atoms_fu / t.n_atoms[i]
        out = []
        for k in _check_k(k_eff_GPa):
            sol = solve_system(t, mask, [i], k_eff_eV_A3=float(units.gpa_to_ev_per_a3(k)),
                               arrays=sa)
            d_li = max(0.0, float(sol.d_li[0]) * atoms_fu * sol.nonli_frac[0])
            out.append(units.capacity_mAh_g(d_li, mass_fu) if d_li > _LI_TOL else 0.0)
        return np.asarray(out, dtype=float)

    def profile(self, host: str | ComputedEntry | int, k_eff_GPa: float) -> VoltageProfile:
        """Voltage-capacity steps of ``host`` at ``k_eff_GPa`` [GPa] (seed 001 Fig. 3e).

        Every solid entry of the host's system gets E + K_eff * V (Li metal untouched) and the
        plateaus are read from the engine's own hull (:mod:`sianode.thermo.profile`); the
        result equals pymatgen's ``PhaseDiagram.get_element_profile(Li, host)`` on the
        penalised entries (checked in the tests). No entry is pre-filtered: phases unstable
        at K = 0 may become stable under K.
        """
        (k,) = _check_k([k_eff_GPa])
        t = self.table
        i = int(host) if isinstance(host, int | np.integer) else self._host(host)
        mask = t.mask[i] | 1
        sa = self.arrays(mask)
        comp = t.reduced_composition(i)
        atoms_fu = sum(comp.values())
        nonli_fu = sum(a for el, a in comp.items() if el != "Li")
        mass_fu = t.mass_g_mol[i] * atoms_fu / t.n_atoms[i]
        l_host = sa.li[sa.local_of[i]]
        steps = []
        for p in plateaus(sa, sa.local_of[i], float(units.gpa_to_ev_per_a3(k))):
            lo = max(p.li_low - l_host, 0.0) * nonli_fu
            hi = (p.li_high - l_host) * nonli_fu
            if hi - lo <= _LI_TOL:
                continue
            prods = tuple(sorted({t.formulas[j] for j in p.product_idx}))
            steps.append(VoltageStep(
                voltage_V=p.voltage_V,
                capacity_start_mAh_g=float(units.capacity_mAh_g(lo, mass_fu)),
                capacity_end_mAh_g=float(units.capacity_mAh_g(hi, mass_fu)),
                li_start=float(lo), li_end=float(hi), products=prods))
        return VoltageProfile(t.formulas[i], float(k), tuple(steps))

    def profiles(self, host: str | ComputedEntry, k_eff_GPa: Iterable[float]
                 ) -> list[VoltageProfile]:
        """:meth:`profile` at each K_eff [GPa]."""
        i = self._host(host)
        return [self.profile(i, k) for k in _check_k(k_eff_GPa)]


#: Largest accepted effective modulus [GPa]: :data:`sianode.validation.K_EFF_GPA` (diamond's
#: bulk modulus is 443 GPa).
K_EFF_MAX_GPA = float(K_EFF_GPA.high)


def _check_k(values: Iterable[float]) -> list[float]:
    out = []
    for k in values:
        try:
            kf = float(k)
        except (TypeError, ValueError):
            kf = math.nan
        if not (math.isfinite(kf) and 0 <= kf <= K_EFF_MAX_GPA):
            raise ParameterError("k_eff_GPa", k, f"a finite number in [0, {K_EFF_MAX_GPA:g}] GPa")
        out.append(kf)
    if not out:
        raise ParameterError("k_eff_GPa", [], "at least one value [GPa]")
    return out


def _engine(entries: Any) -> LithiationEngine:
    return entries if isinstance(entries, LithiationEngine) else LithiationEngine(entries)


def lithiate(
    host: str | ComputedEntry, entries: Any) -> LithiationResult:
    """Lithiation of ``host`` at 0 V vs Li with the given entries.

    Parameters
    ----------
    host : str or ComputedEntry
        Formula (lowest-energy polymorph is used), entry id, or entry.
    entries : EntryTable, sequence of ComputedEntry, PhaseDiagram, DataFrame or LithiationEngine

    Returns
    -------
    LithiationResult

    References
    ----------
    Seed 001 Methods (G = -nFU, K_crit = -G/(V eps)) and Fig. 3e/3f.

    Examples
    --------
    >>> from sianode.testing import toy_lisi_entries
    >>> r = lithiate("Si", toy_lisi_entries())
    >>> r.products
    {'Li2Si': 1.0}
    """
    return _engine(entries).lithiate(host)


def constrained_profiles(
    host: str | ComputedEntry,
    entries: Any,
    k_eff_GPa: Iterable[float],
) -> list[VoltageProfile]:
    """Voltage-capacity curves of ``host`` at each effective modulus [GPa] (seed 001 Fig. 3e).

    Parameters
    ----------
    host : str or ComputedEntry
    entries : as :func:`lithiate`
    k_eff_GPa : iterable of float
        Effective constriction moduli [GPa], finite and >= 0.

    Returns
    -------
    list of VoltageProfile
        One per K_eff, from the engine's own hull (:mod:`sianode.thermo.profile`).

    References
    ----------
    Seed 001 Fig. 3e (G'(K) = G + K dV on every solid entry).
    """
    return _engine(entries).profiles(host, k_eff_GPa)
