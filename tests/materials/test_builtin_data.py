"""The shipped built-in Li-X reference set: contract, Li-Si volumes and formation energies."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pytest

from sianode.errors import EmptySourceError, UnknownElementError
from sianode.materials.builtin import builtin_provenance, builtin_systems, load_builtin_entries

#: experimental volumes per Si [Å³]: Boukamp, Lesh & Huggins, J. Electrochem. Soc. 128, 725
#: (1981) table as quoted in seed 001's review sources; Li15Si4 from a = 10.685 Å
#: (Obrovac & Christensen 2004); Li12Si7 from Nesper et al. (1986): 2435.6 Å³ / 56 Si.
EXP_VOLUME_PER_SI = {
    "Si": 20.0,
    "Li12Si7": 43.5,
    "Li7Si3": 51.5,
    "Li13Si4": 67.3,
    "Li15Si4": 76.0,
    "Li22Si5": 82.4,
    "Li21Si5": 81.9,
}


@pytest.fixture(scope="module")
def lisi():
    return load_builtin_entries(["Li-Si"])


def test_contract_every_entry():
    entries = load_builtin_entries()
    ids = [e.entry_id for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e.entry_id.startswith("sianode-")
        assert e.structure.volume == pytest.approx(e.data.get("volume", e.structure.volume))
        assert e.data["source"]
        assert e.data.get("prototype") or e.data.get("spacegroup")
        assert "7net-0" in e.data["potential"] or "chgnet" in e.data["potential"]
        assert e.data["converged"] in (True, False)


def test_every_system_has_its_terminals():
    entries = load_builtin_entries()
    elemental = {e.composition.elements[0].symbol for e in entries if e.composition.is_element}
    for system in builtin_systems():
        assert set(system.split("-")) <= elemental, system


def test_lisi_phases_and_terminals(lisi):
    formulas = {e.composition.reduced_formula for e in lisi}
    assert {"Li", "Si", "Li12Si7", "Li13Si4", "Li15Si4"} <= formulas
    assert all(set(e.composition.chemical_system.split("-")) <= {"Li", "Si"} for e in lisi)


def test_lisi_volumes_per_si_within_6_percent(lisi):
    checked = 0
    for e in lisi:
        f = e.composition.reduced_formula
        if f in EXP_VOLUME_PER_SI:
            v = e.structure.volume / e.composition["Si"]
            assert v == pytest.approx(EXP_VOLUME_PER_SI[f], rel=0.06), f
            checked += 1
    assert checked >= 4


def test_mp2020_silicide_correction_is_0071_per_si(lisi):
    for e in lisi:
        n_si = e.composition["Si"]
        expected = 0.071 * n_si if (n_si and e.composition["Li"]) else 0.0
        assert e.correction == pytest.approx(expected, abs=1e-6)


def _exp_formation_energies_per_atom():
    from pymatgen.core import Composition

    path = resources.files("pymatgen.analysis.compatibility").joinpath("exp_compounds.json.gz")
    with path.open("rb") as fh, gzip.open(fh, "rt") as gz:
        rows = json.load(gz)
    out = {}
    for row in rows:
        comp = Composition(row["formula"])
        if {el.symbol for el in comp.elements} == {"Li", "Si"}:
            out[row["formula"]] = (comp, row["exp energy"] / comp.num_atoms)
    return out


def test_formation_energy_mae_vs_experiment(lisi):
    from pymatgen.analysis.phase_diagram import PhaseDiagram

    pd = PhaseDiagram(lisi)
    exp = _exp_formation_energies_per_atom()
    assert {"Li7Si3", "Li19Si6", "Li81Si19"} <= set(exp)
    errors = []
    for comp, h_exp in exp.values():
        refs = sum(comp.get_atomic_fraction(el) * pd.el_refs[el].energy_per_atom
                   for el in comp.elements)
        h_calc = pd.get_hull_energy_per_atom(comp) - refs
        assert h_calc < 0
        errors.append(abs(h_calc - h_exp))
    mae = sum(errors) / len(errors)
    # measured: 0.07 eV/atom with SevenNet-0 + MP2020 (GGA underbinds these Zintl phases)
    assert mae < 0.10


def test_provenance_records_potential_and_scale():
    prov = builtin_provenance()
    assert prov["potential"]["name"] == "7net-0"
    assert "MaterialsProject2020Compatibility" in prov["energy_scale"]
    assert prov["n_entries"] == len(load_builtin_entries())
    assert set(prov["entries"]) == {e.entry_id for e in load_builtin_entries()}


def test_unknown_and_empty_systems():
    with pytest.raises(UnknownElementError):
        load_builtin_entries(["Li-Qq"])
    with pytest.raises(EmptySourceError):
        load_builtin_entries(["Kr-Xe"])


@pytest.mark.parametrize(
    ("system", "formula", "tolerance"),
    [("Li-O", "Li2O", 0.05), ("Al-O", "Al2O3", 0.05), ("Si-O", "SiO2", 0.2),
     ("Li-Al", "LiAl", 0.06)],
)
def test_host_formation_energies_vs_experiment(system, formula, tolerance):
    """Measured: Li2O -2.061 (exp -2.066), Al2O3 -3.457 (-3.458), SiO2 -3.296 (-3.138),
    LiAl -0.182 (-0.2145) eV/atom; Mg2Si is off (-0.084 vs -0.269) and not asserted."""
    from pymatgen.analysis.phase_diagram import PhaseDiagram
    from pymatgen.core import Composition

    path = resources.files("pymatgen.analysis.compatibility").joinpath("exp_compounds.json.gz")
    with path.open("rb") as fh, gzip.open(fh, "rt") as gz:
        row = next(r for r in json.load(gz) if r["formula"] == formula)
    h_exp = row["exp energy"] / Composition(formula).num_atoms
    entries = load_builtin_entries([system])
    pd = PhaseDiagram(entries)
    best = min((e for e in entries if e.composition.reduced_formula == formula),
               key=lambda e: e.energy_per_atom)
    assert pd.get_form_energy_per_atom(best) == pytest.approx(h_exp, abs=tolerance)
