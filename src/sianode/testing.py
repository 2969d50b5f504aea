"""Small, hand-checkable data and contract checks for tests of sianode and of plug-ins.

:func:`toy_lisi_entries` is a four-entry Li-Si system whose numbers can be done on paper:

=========  ====================  ====================
entry      energy [eV/f.u.]      volume [Å³/f.u.]
=========  ====================  ====================
Li         -1.9 (per atom)       20.0
Si         -5.4                  20.0
LiSi       -7.7                  35.0
Li2Si      -9.7                  50.0
=========  ====================  ====================

Steps: Si -> LiSi at 0.4 V, LiSi -> Li2Si at 0.1 V; 0 V reaction Si + 2 Li -> Li2Si with
G = -0.5 eV, U = 0.25 V, dV = 30 Å³ (strain 1.5), K_crit = 0.5/30 eV/Å³ = 2.670 GPa,
capacity 2 x 954.3 = 1908.6 mAh/g; each step expands by 15 Å³ per Li, so under K_eff the
plateaus fall as 0.4 - 15 K and 0.1 - 15 K (K in eV/Å³): the second vanishes at 1.068 GPa
and lithiation stops at K_stop = 0.4/15 eV/Å³ = 4.272 GPa.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["toy_lisi_entries", "check_lithiation_result", "random_entries", "pymatgen_lithiation",
           "two_atom_cif"]


def toy_lisi_entries() -> list[Any]:
    """The four-entry Li-Si system described in the module docstring."""
    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry

    rows = [("toy-Li", "Li", -1.9, 20.0), ("toy-Si", "Si", -5.4, 20.0),
            ("toy-LiSi", "LiSi", -7.7, 35.0), ("toy-Li2Si", "Li2Si", -9.7, 50.0)]
    return [ComputedEntry(Composition(f), e, entry_id=i, data={"volume_A3": v})
            for i, f, e, v in rows]


def check_lithiation_result(result: Any, rel: float = 1e-9) -> None:
    """Contract of a :class:`~sianode.thermo.LithiationResult`: the Fig. 3f identity.

    U * n / K_crit = eps * V_H / N_H * (6.2415e-3 eV/GPa per Å³) (seed 001 Methods), and the
    capacity equals n * 26801.48 / M per formula unit.
    """
    from sianode import units

    if result.k_crit_GPa is None:
        assert result.capacity_mAh_g == 0.0 or result.volume_change_A3 <= 0
        return
    lhs = result.voltage_V * result.li_per_host_atom / result.k_crit_GPa
    n_host = result.li_per_formula_unit / result.li_per_host_atom
    rhs = result.reaction_strain * result.host_volume_A3 / n_host * units.GPA_A3_IN_EV
    assert abs(lhs - rhs) <= rel * abs(rhs), (lhs, rhs)


def random_entries(n_systems: int = 50, seed: int = 0, max_nonli: int = 3,
                   compounds_per_system: int = 12) -> list[Any]:
    """A reproducible synthetic entry set over many Li-X(-Y-Z) systems, with volumes.

    Elemental references (one per element plus a higher-energy polymorph) are shared by all
    systems; each system gets ``compounds_per_system`` compounds of small integer
    stoichiometry, with and without Li, formation energies in [-0.6, +0.1] eV/atom and
    volumes near the atomic-fraction-weighted elemental volumes (x 0.85-1.2). Used by tests
    and by ``benchmarks/`` (MP-scale sets) for comparisons with pymatgen on the same input.
    """
    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry

    rng = np.random.default_rng(seed)
    pool = ["Si", "Ge", "Sn", "Mg", "Al", "Ag", "Zn", "In", "Ga", "Cu", "Ti", "Sb", "Bi", "Au",
            "Pb", "Ca", "Sr", "Ba", "Na", "K", "B", "C", "N", "O", "P", "S", "Se", "Te", "F",
            "Cl", "Mn", "Fe", "Co", "Ni", "Zr", "Nb", "Mo", "Cd", "Hg", "Pt", "Pd", "La", "Y",
            "Sc", "V", "Cr", "Ir", "Rh", "Ru", "W", "Ta", "Hf", "As", "Br", "I", "Tl", "Be"]
    e_el = {el: float(rng.uniform(-9.0, -1.0)) for el in pool}
    v_el = {el: float(rng.uniform(10.0, 40.0)) for el in pool}
    e_el["Li"], v_el["Li"] = -1.909, 20.3
    entries: list[Any] = []
    for el in ["Li", *pool]:
        entries.append(ComputedEntry(Composition(el), e_el[el], entry_id=f"rnd-{el}",
                                     data={"volume_A3": v_el[el]}))
        entries.append(ComputedEntry(Composition(el), e_el[el] + 0.05, entry_id=f"rnd-{el}-b",
                                     data={"volume_A3": v_el[el] * 0.95}))
    seen: set[str] = set()
    for s in range(n_systems):
        k = int(rng.integers(1, max_nonli + 1))
        els = list(rng.choice(pool, size=k, replace=False))
        for c in range(compounds_per_system):
            use_li = rng.random() < 0.7
            amounts = {el: int(rng.integers(1, 5)) for el in els if rng.random() < 0.8 or k == 1}
            if not amounts:
                amounts = {els[0]: 1}
            if use_li:
                amounts["Li"] = int(rng.integers(1, 9))
            comp = Composition(amounts)
            n = comp.num_atoms
            frac = {el.symbol: comp.get_atomic_fraction(el) for el in comp.elements}
            e_ref = sum(frac[el] * e_el[el] for el in frac)
            v_ref = sum(frac[el] * v_el[el] for el in frac)
            ef = float(rng.uniform(-0.6, 0.1))
            eid = f"rnd-{s}-{c}"
            if eid in seen:
                continue
            seen.add(eid)
            entries.append(ComputedEntry(
                comp, (e_ref + ef) * n, entry_id=eid,
                data={"volume_A3": v_ref * n * float(rng.uniform(0.85, 1.2)),
                      "band_gap": float(rng.choice([0.0, 0.0, 0.5, 2.0]))}))
    return entries


def pymatgen_lithiation(host: Any, entries: Sequence[Any]) -> dict[str, Any]:
    """The per-host peer route: one ``PhaseDiagram`` + ``get_element_profile(Li, host)``.

    Returns ``{"products": {formula: amount per host f.u.}, "li_per_formula_unit": n,
    "voltage_V": U}`` with G from the host entry's own energy (so metastable hosts are
    treated as in :func:`sianode.thermo.lithiate`). Used to cross-check the fast engine.
    """
    from pymatgen.analysis.phase_diagram import PhaseDiagram
    from pymatgen.core import Element

    els = {e.symbol for e in host.composition.elements} | {"Li"}
    sub = [e for e in entries if {x.symbol for x in e.composition.elements} <= els]
    pd = PhaseDiagram(sub)
    li = Element("Li")
    comp = host.composition.reduced_composition
    prof = sorted(pd.get_element_profile(li, comp), key=lambda a: a["evolution"])
    last = prof[-1]
    n = float(last["evolution"]) - 0.0
    if n <= 1e-6:
        return {"products": {}, "li_per_formula_unit": 0.0, "voltage_V": None}
    rxn = last["reaction"]
    mu = pd.el_refs[li].energy_per_atom
    e_prod = 0.0
    products = {}
    for ent in last["entries"]:
        coeff = rxn.get_coeff(ent.composition)
        red, factor = ent.composition.get_reduced_composition_and_factor()
        amount = coeff * ent.composition.num_atoms / red.num_atoms
        products[red.reduced_formula] = products.get(red.reduced_formula, 0.0) + amount
        e_prod += coeff * ent.energy
    e_host = host.energy_per_atom * comp.num_atoms
    g = e_prod - e_host - n * mu
    return {"products": products, "li_per_formula_unit": n, "voltage_V": -g / n}


def two_atom_cif(a: str = "5.431", element: str = "Si",
                 second_site: str = "0.25 0.25 0.25") -> str:
    """P1 CIF text of the two-atom diamond-Si primitive pair in a cubic cell of edge ``a`` [Å].

    Strings, not numbers, so tests can write what a broken file holds (``"nan"``, ``"1e300"``,
    element ``"Xx"``, a second site on top of the first).
    """
    return (f"data_{element}\n"
            f"_cell_length_a {a}\n_cell_length_b 5.431\n_cell_length_c 5.431\n"
            "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n"
            "_symmetry_space_group_name_H-M 'P 1'\nloop_\n_symmetry_equiv_pos_as_xyz\n 'x, y, z'\n"
            "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
            "_atom_site_fract_y\n_atom_site_fract_z\n"
            f"{element}1 {element} 0 0 0\nSi2 Si {second_site}\n")
