"""Reading entries from files and tables, and every bad-input path."""

import gzip
import json

import pandas as pd
import pytest
from pymatgen.core import Composition, Lattice, Structure
from pymatgen.entries.computed_entries import ComputedEntry, ComputedStructureEntry

from sianode.errors import (
    DuplicateEntryError,
    EmptySourceError,
    FileFormatError,
    InvalidEnergyError,
    InvalidVolumeError,
    MissingTerminalError,
    MissingVolumeError,
    UnknownElementError,
)
from sianode.materials import entries_to_table, entry_volume_A3, load_entries, validate_entries
from sianode.testing import toy_lisi_entries
from sianode.thermo import LithiationEngine


def _table(tmp_path, rows, name="e.csv"):
    p = tmp_path / name
    pd.DataFrame(rows).to_csv(p, index=False)
    return p


def test_csv_roundtrip_gives_same_reaction(tmp_path):
    p = tmp_path / "toy.csv"
    entries_to_table(toy_lisi_entries()).to_csv(p, index=False)
    ents = load_entries(p)
    assert [e.entry_id for e in ents] == ["toy-Li", "toy-Si", "toy-LiSi", "toy-Li2Si"]
    r = LithiationEngine(ents).lithiate("Si")
    assert r.voltage_V == pytest.approx(0.25)
    assert r.k_crit_GPa == pytest.approx(2.6703, abs=1e-4)


def test_parquet_and_per_atom_columns(tmp_path):
    p = tmp_path / "toy.parquet"
    pd.DataFrame({"id": ["a", "b", "c"], "formula": ["Li", "Si2", "Li2Si"],
                  "energy_per_atom_eV": [-1.9, -5.4, -9.7 / 3],
                  "volume_per_atom_A3": [20.0, 20.0, 50.0 / 3]}).to_parquet(p)
    ents = load_entries(p)
    assert ents[1].energy == pytest.approx(-10.8)
    assert entry_volume_A3(ents[1]) == pytest.approx(40.0)
    assert LithiationEngine(ents).lithiate("Si").voltage_V == pytest.approx(0.25)


def test_pymatgen_json_gz_with_structures(tmp_path):
    si = Structure(Lattice.cubic(5.43), ["Si"] * 2, [[0, 0, 0], [0.25, 0.25, 0.25]])
    li = Structure(Lattice.cubic(3.44), ["Li"] * 2, [[0, 0, 0], [0.5, 0.5, 0.5]])
    ents = [ComputedStructureEntry(si, -10.8, entry_id="s1"),
            ComputedStructureEntry(li, -3.8, entry_id="l1")]
    p = tmp_path / "e.json.gz"
    with gzip.open(p, "wt") as fh:
        json.dump([e.as_dict() for e in ents], fh)
    back = load_entries(p)
    assert entry_volume_A3(back[0]) == pytest.approx(5.43**3)
    # structure holding a multiple of the entry composition is scaled
    half = ComputedStructureEntry(si, -10.8, entry_id="s2")
    assert entry_volume_A3(half) == pytest.approx(si.volume)


def test_missing_volume_names_entry():
    e = ComputedEntry(Composition("Si"), -5.4, entry_id="mp-149")
    with pytest.raises(MissingVolumeError, match="mp-149"):
        entry_volume_A3(e)


@pytest.mark.parametrize(
    ("rows", "error", "match"),
    [
        ({"id": ["a"], "formula": ["Xx2"], "energy_eV": [-1.0], "volume_A3": [10.0]},
         UnknownElementError, "Xx"),
        ({"id": ["a"], "formula": ["Si"], "energy_eV": [float("nan")], "volume_A3": [10.0]},
         InvalidEnergyError, "row 2"),
        ({"id": ["a"], "formula": ["Si"], "energy_eV": [-1.0], "volume_A3": [0.0]},
         InvalidVolumeError, "row 2"),
        ({"id": ["a"], "formula": ["Si"], "energy_eV": [-1.0], "volume_A3": [-3.0]},
         InvalidVolumeError, r"volume per atom -3 .* \[1, 500\]"),
        ({"id": ["a"], "formula": ["Si"], "energy_eV": [-1.0]}, FileFormatError, "volume"),
        ({"id": ["a"], "formula": ["Si"], "volume_A3": [1.0]}, FileFormatError, "energy"),
        ({"formula": ["Si"], "energy_eV": [-1.0], "volume_A3": [1.0]}, FileFormatError, "'id'"),
        ({"id": ["a", "a"], "formula": ["Si", "Li"], "energy_eV": [-1.0, -2.0],
          "volume_A3": [1.0, 2.0]}, DuplicateEntryError, "'a'"),
        ({"id": ["a"], "formula": ["Si"], "energy_eV": ["x"], "volume_A3": [1.0]},
         FileFormatError, "row 2"),
    ],
)
def test_bad_tables(tmp_path, rows, error, match):
    with pytest.raises(error, match=match):
        load_entries(_table(tmp_path, rows))


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(EmptySourceError):
        load_entries(_table(tmp_path, {"id": [], "formula": [], "energy_eV": [],
                                       "volume_A3": []}))
    with pytest.raises(FileFormatError, match="no such file"):
        load_entries(tmp_path / "nope.csv")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(FileFormatError, match="JSON"):
        load_entries(bad)
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(FileFormatError, match="unknown file type"):
        load_entries(tmp_path / "x.txt")


def test_infinite_energy_in_entries():
    ents = toy_lisi_entries()
    ents.append(ComputedEntry(Composition("Si"), float("inf"), entry_id="bad",
                              data={"volume_A3": 20.0}))
    with pytest.raises(InvalidEnergyError, match="'bad'"):
        validate_entries(ents)


def test_missing_terminals():
    ents = [e for e in toy_lisi_entries() if e.entry_id != "toy-Li"]
    with pytest.raises(MissingTerminalError, match="Li"):
        LithiationEngine(ents).lithiate("Si")
    ents = [e for e in toy_lisi_entries() if e.entry_id != "toy-Si"]
    with pytest.raises(MissingTerminalError, match="no pure Si"):
        LithiationEngine(ents).lithiate("LiSi")
