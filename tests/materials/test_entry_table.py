"""The columnar entry table: light formulas vs pymatgen, the shipped table vs its source,
validation of physical ranges, and the inputs the engine accepts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sianode.errors import (
    DuplicateEntryError,
    EntryError,
    InputError,
    InvalidEnergyError,
    InvalidVolumeError,
    UnknownElementError,
)
from sianode.materials.builtin import DATA_DIR, load_builtin_entries, load_builtin_table
from sianode.materials.formula import element_data, parse_formula, reduced_formula
from sianode.materials.table import EntryTable, as_entry_table, build_table_file, sha256_of
from sianode.testing import toy_lisi_entries

SYMBOLS = ["Li", "Si", "Ge", "Sn", "Mg", "Al", "O", "S", "P", "F", "Cl", "N", "H", "C", "Cu",
           "Fe", "Na", "K", "Ca", "Ba", "Se", "Te", "Br", "I", "Sb", "Bi", "B", "Zn", "Ag", "Ti"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(SYMBOLS), st.integers(1, 24), min_size=1, max_size=5),
       st.sampled_from([1, 0.5, 2, 0.25]))
def test_reduced_formula_equals_pymatgen(comp, scale):
    from pymatgen.core import Composition

    amounts = {k: v * scale for k, v in comp.items()}
    ref = Composition(amounts).get_reduced_formula_and_factor()
    ours = reduced_formula(amounts)
    assert ours[0] == ref[0]
    assert ours[1] == pytest.approx(ref[1])


@pytest.mark.parametrize("formula", ["Li15Si4", "Li2(SO4)", "Li0.5Si", "Mg2 Si", "Li3(PO4)1",
                                     "Ca(OH)2", "Li4Si2", "LiFePO4", "O2", "Li2O2"])
def test_parse_formula_equals_pymatgen(formula):
    from pymatgen.core import Composition

    assert parse_formula(formula) == pytest.approx(Composition(formula).get_el_amt_dict())
    assert reduced_formula(parse_formula(formula))[0] == Composition(formula).reduced_formula


@pytest.mark.parametrize(("formula", "match"), [("Xx", "'Xx'.*did you mean"), ("", "no atoms"),
                                                ("Si(", "unbalanced"), ("2Si", "without"),
                                                ("Si$", "unexpected"), ("Si1e9", "<= 1e6")])
def test_parse_formula_errors(formula, match):
    with pytest.raises(UnknownElementError, match=match):
        parse_formula(formula, where="host")


def test_element_masses_are_pymatgens():
    from pymatgen.core.periodic_table import Element

    data = element_data()
    assert len(data) == 118
    for sym in ("Li", "Si", "O", "Og"):
        assert data[sym][0] == pytest.approx(float(Element(sym).atomic_mass))


# -- the shipped built-in table is generated from entries.json.gz and agrees with it ----------
SOURCES = sorted(DATA_DIR.glob("*.json.gz"))


@pytest.mark.parametrize("src", SOURCES, ids=[p.name for p in SOURCES])
def test_shipped_table_matches_its_json_gz(src, tmp_path):
    """A stale table (entries.json.gz rebuilt without `python -m sianode.materials.table
    build`) fails here."""
    from sianode.materials.table import table_path_for

    shipped = table_path_for(src)
    assert shipped.is_file(), f"{shipped.name} missing: run python -m sianode.materials.table build"
    table, header = EntryTable.read_json(shipped)
    assert header["source_sha256"] == sha256_of(src)
    fresh, _ = EntryTable.read_json(build_table_file(src, tmp_path / "t.json"))
    assert table.ids == fresh.ids
    assert table.formulas == fresh.formulas
    assert [table.reduced_composition(i) for i in range(len(table))] == \
        [fresh.reduced_composition(i) for i in range(len(fresh))]
    np.testing.assert_array_equal(table.energy_eV, fresh.energy_eV)
    np.testing.assert_array_equal(table.volume_A3, fresh.volume_A3)
    assert table.info == fresh.info


@pytest.mark.parametrize("hypothetical", [False, True], ids=["builtin", "builtin+hypothetical"])
def test_builtin_table_equals_pymatgen_entries(hypothetical):
    entries = load_builtin_entries(include_hypothetical=hypothetical)
    table = load_builtin_table(include_hypothetical=hypothetical)
    assert table.ids == [e.entry_id for e in entries]
    assert table.formulas == [e.composition.reduced_formula for e in entries]
    np.testing.assert_allclose(table.energy_eV, [e.energy for e in entries], rtol=0, atol=1e-9)
    np.testing.assert_allclose(table.volume_A3, [e.structure.volume for e in entries], rtol=1e-12)
    np.testing.assert_allclose(table.mass_g_mol,
                               [e.composition.weight for e in entries], rtol=1e-9)
    assert all(s for s in table.info["source"])  # provenance travels with the table
    assert table.info["experimental"] == [e.data["experimental"] for e in entries]
    assert len(table) > 103 if hypothetical else len(table) == 103


def test_stale_table_is_not_used(tmp_path, monkeypatch):
    """A table whose recorded hash differs from entries.json.gz is replaced by a pymatgen read,
    with a warning."""
    import shutil

    from sianode.materials import builtin

    for p in DATA_DIR.iterdir():
        shutil.copy(p, tmp_path / p.name)
    t = tmp_path / "entries.table.json"
    doc = json.loads(t.read_text())
    doc["source_sha256"] = "0" * 64
    doc["columns"]["energy_eV"] = [e + 1.0 for e in doc["columns"]["energy_eV"]]
    t.write_text(json.dumps(doc))
    monkeypatch.setattr(builtin, "DATA_DIR", tmp_path)
    builtin._full_table.cache_clear()
    builtin._file_table.cache_clear()
    try:
        with pytest.warns(UserWarning, match="another version"):
            table = builtin.load_builtin_table()
        assert table.energy_eV[0] == pytest.approx(load_builtin_entries()[0].energy)
    finally:
        builtin._full_table.cache_clear()
        builtin._file_table.cache_clear()


def test_within_and_chemsys():
    t = load_builtin_table(["Li-Si"])
    assert {f for f in t.formulas} >= {"Li", "Si"}
    assert all(set(t.symbols_of(m)) <= {"Li", "Si"} for m in t.mask)
    assert t.within(["Si"]).ids == t.ids


# -- validation: physical ranges, named entries ---------------------------------------------
def _frame(**over):
    rows = {"id": ["li", "si", "lisi"], "formula": ["Li", "Si", "LiSi"],
            "energy_eV": [-1.9, -5.4, -7.7], "volume_A3": [20.0, 20.0, 35.0]}
    rows.update(over)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("over", "error", "match"),
    [({"energy_eV": [-1.9, 1e300, -7.7]}, InvalidEnergyError, r"'si'.*\[-30, 10\]"),
     ({"energy_eV": [-1.9, -np.inf, -7.7]}, InvalidEnergyError, "row 3"),
     ({"energy_eV": [-1.9, -5.4, -700.0]}, InvalidEnergyError, "'lisi'"),
     ({"volume_A3": [20.0, 1e300, 35.0]}, InvalidVolumeError, r"'si'.*\[1, 500\]"),
     ({"volume_A3": [20.0, 0.5, 35.0]}, InvalidVolumeError, "'si'"),
     ({"volume_A3": [20.0, 20.0, float("nan")]}, InvalidVolumeError, "'lisi'"),
     ({"id": ["a", "a", "b"]}, DuplicateEntryError, "'a'"),
     ({"formula": ["Li", "Xx", "LiSi"]}, UnknownElementError, "row 3")],
)
def test_nonphysical_entries_are_refused_by_id(over, error, match):
    with pytest.raises(error, match=match):
        EntryTable.from_frame(_frame(**over))


def test_gas_reference_may_be_a_molecule_in_a_box():
    t = EntryTable.from_frame(pd.DataFrame({"id": ["o2"], "formula": ["O2"],
                                            "energy_eV": [-9.8], "volume_A3": [1000.0]}))
    assert t.formulas == ["O2"]


def test_per_atom_columns_and_aliases():
    df = pd.DataFrame({"entry_id": ["a", "b", "c"], "composition": ["Li", "Si2", "Li2Si"],
                       "energy_per_atom_eV": [-1.9, -5.4, -9.7 / 3],
                       "volume_per_atom_A3": [20.0, 20.0, 50.0 / 3]})
    t = EntryTable.from_frame(df)
    assert t.energy_eV[1] == pytest.approx(-10.8)
    assert t.volume_A3[2] == pytest.approx(50.0)
    assert t.formulas == ["Li", "Si", "Li2Si"]


def test_engine_accepts_what_researchers_have():
    from pymatgen.analysis.phase_diagram import PhaseDiagram

    from sianode.materials import entries_to_table
    from sianode.thermo import LithiationEngine, lithiate
    from sianode.thermo.screen import screen

    ents = toy_lisi_entries()
    pd_ = PhaseDiagram(ents)
    for src in (ents, pd_, entries_to_table(ents), as_entry_table(ents)):
        assert lithiate("Si", src).voltage_V == pytest.approx(0.25)
        assert LithiationEngine(src).lithiate("LiSi").voltage_V == pytest.approx(0.1)
    assert len(screen(entries_to_table(ents))) == 3
    assert len(screen(pd_)) == 3
    for bad in ("entries.csv", 3.0, {"Si": -5.4}, [1, 2]):
        with pytest.raises(InputError, match="pass|pymatgen entry"):
            LithiationEngine(bad)


def test_li_reference_on_another_scale_is_refused():
    """A Li reference of +5 eV makes Si 'lithiate' at 7 V: refused, naming the entries."""
    from sianode.thermo import LithiationEngine

    df = _frame(energy_eV=[5.0, -5.4, -7.7])
    with pytest.raises(EntryError, match=r"outside the physical range.*'li'"):
        LithiationEngine(df).lithiate("Si")
    assert math.isclose(LithiationEngine(df, voltage_range_V=None).lithiate("Si").voltage_V,
                        7.7 - 5.4 + 5.0, rel_tol=1e-12)


def test_jsonl_from_compute_entries_is_read(tmp_path):
    """One reader: the .jsonl that `compute-entries` (relax_many) writes."""
    from pymatgen.core import Lattice, Structure
    from pymatgen.entries.computed_entries import ComputedStructureEntry

    from sianode.materials import load_entries, load_entry_table
    from sianode.materials.batch import _record

    si = Structure(Lattice.cubic(5.43), ["Si"] * 2, [[0, 0, 0], [0.25, 0.25, 0.25]])
    li = Structure(Lattice.cubic(3.44), ["Li"] * 2, [[0, 0, 0], [0.5, 0.5, 0.5]])
    p = tmp_path / "entries.jsonl"
    for e in (ComputedStructureEntry(si, -10.8, entry_id="s1"),
              ComputedStructureEntry(li, -3.8, entry_id="l1")):
        _record(p, e)
    assert [e.entry_id for e in load_entries(p)] == ["s1", "l1"]
    t = load_entry_table(p)
    assert t.volume_A3[0] == pytest.approx(5.43**3)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(p.read_text() + "{oops\n")
    from sianode.errors import FileFormatError

    with pytest.raises(FileFormatError, match="line 3"):
        load_entries(bad)
    with pytest.raises(FileFormatError, match="folder"):
        load_entries(tmp_path)


def test_table_file_roundtrip(tmp_path):
    t = as_entry_table(toy_lisi_entries())
    t.to_json(tmp_path / "x.table.json", note="test")
    back, header = EntryTable.read_json(tmp_path / "x.table.json")
    assert header["note"] == "test"
    assert back.ids == t.ids
    assert back.formulas == t.formulas
    np.testing.assert_array_equal(back.energy_eV, t.energy_eV)
    assert Path(tmp_path / "x.table.json").read_text().startswith("{\n\"format\"")
