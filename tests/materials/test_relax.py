"""Relaxation API: EMT on tiny cells (fast), MP2020 scale handling, resumable batches."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from ase.build import bulk
from ase.calculators.emt import EMT
from pymatgen.core import Lattice, Structure
from pymatgen.entries.computed_entries import ComputedStructureEntry

from sianode.errors import (
    DuplicateEntryError,
    FileFormatError,
    InputError,
    ParameterError,
    PathError,
    UnknownNameError,
)
from sianode.materials.relax import (
    apply_energy_scale,
    read_entries_file,
    relax_many,
    relax_structure,
    to_structure,
)


class CountingEMT(EMT):
    """EMT that counts energy evaluations (to see what a resumed batch recomputes)."""

    calls = 0

    def calculate(self, *args, **kwargs):
        type(self).calls += 1
        super().calculate(*args, **kwargs)


def _cu(a=3.8):
    return Structure(Lattice.cubic(a), ["Cu"] * 4,
                     [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])


def _emt_equilibrium_a():
    """Peer approach on the same calculator: ASE equation-of-state fit."""
    from ase.eos import EquationOfState

    vols, ens = [], []
    for a in np.linspace(3.5, 3.7, 9):
        at = bulk("Cu", "fcc", a=a, cubic=True)
        at.calc = EMT()
        vols.append(at.get_volume())
        ens.append(at.get_potential_energy())
    v0, _, _ = EquationOfState(vols, ens).fit()
    return (v0) ** (1 / 3)


def test_relaxed_cell_matches_eos_minimum():
    entry = relax_structure(_cu(3.8), EMT(), entry_id="cu", fmax=0.001, max_steps=200)
    a = entry.structure.lattice.a
    assert a == pytest.approx(_emt_equilibrium_a(), rel=2e-3)
    assert entry.data["converged"] is True
    assert entry.data["energy_scale"] == "none"  # an unregistered calculator: stored as is
    assert entry.correction == 0
    assert entry.data["initial_volume_A3"] == pytest.approx(3.8**3)
    assert entry.structure.volume == pytest.approx(a**3)


def test_fixed_cell_keeps_volume_and_ase_atoms_accepted():
    atoms = bulk("Cu", "fcc", a=3.7, cubic=True)
    entry = relax_structure(atoms, EMT(), relax_cell=False, fmax=0.01)
    assert entry.structure.volume == pytest.approx(3.7**3)


def test_step_cap_is_recorded_as_not_converged():
    entry = relax_structure(_cu(4.2), EMT(), fmax=1e-4, max_steps=2)
    assert entry.data["converged"] is False
    assert entry.data["relax_steps"] == 2


def _entry(formula_species, coords, energy=-10.0):
    s = Structure(Lattice.cubic(6.35), formula_species, coords)
    return ComputedStructureEntry(s, energy, entry_id="x")


def test_gga_scale_adds_mp2020_anion_corrections():
    mg2si = _entry(["Si", "Mg", "Mg"], [[0, 0, 0], [0.25, 0.25, 0.25], [0.75, 0.75, 0.75]])
    assert apply_energy_scale(mg2si, "GGA").correction == pytest.approx(0.071)
    li2o = _entry(["O", "Li", "Li"], [[0, 0, 0], [0.25, 0.25, 0.25], [0.75, 0.75, 0.75]])
    assert apply_energy_scale(li2o, "GGA").correction == pytest.approx(-0.687)
    lial = _entry(["Li", "Al"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    assert apply_energy_scale(lial, "GGA").correction == 0.0  # intermetallic: nothing
    again = _entry(["Si", "Mg", "Mg"], [[0, 0, 0], [0.25, 0.25, 0.25], [0.75, 0.75, 0.75]])
    assert apply_energy_scale(again, "MP2020").correction == 0.0  # CHGNet: already corrected


@pytest.mark.parametrize("suffix", [".jsonl", ".json.gz"])
def test_batch_appends_and_resumes(tmp_path, suffix):
    out = tmp_path / f"entries{suffix}"
    calc = CountingEMT()
    first = relax_many({"a": _cu(3.7), "b": _cu(3.5)}, out, calc, progress=False, fmax=0.01)
    assert [e.entry_id for e in first] == ["a", "b"]
    CountingEMT.calls = 0
    both = relax_many({"a": _cu(3.7), "b": _cu(3.5), "c": _cu(3.6)}, out, calc,
                      progress=False, fmax=0.01)
    assert [e.entry_id for e in both] == ["a", "b", "c"]
    calls_one = CountingEMT.calls
    CountingEMT.calls = 0
    relax_structure(_cu(3.6), calc, fmax=0.01)
    assert calls_one == CountingEMT.calls  # only "c" was relaxed on resume
    assert [e.entry_id for e in read_entries_file(out)] == ["a", "b", "c"]
    if suffix == ".json.gz":
        with gzip.open(out, "rt") as fh:
            assert len(json.load(fh)) == 3


def test_batch_errors(tmp_path):
    with pytest.raises(DuplicateEntryError):
        relax_many([("a", _cu()), ("a", _cu())], tmp_path / "x.jsonl", EMT(), progress=False)
    with pytest.raises(ParameterError, match="n_workers"):
        relax_many({"a": _cu()}, tmp_path / "x.jsonl", EMT(), n_workers=0)
    with pytest.raises(ParameterError, match="calculator"):
        relax_many({"a": _cu()}, tmp_path / "x.jsonl", EMT(), n_workers=2)
    with pytest.raises(ParameterError, match="fmax"):
        relax_structure(_cu(), EMT(), fmax=0)
    with pytest.raises(UnknownNameError, match="FIRE"):
        relax_structure(_cu(), EMT(), optimizer="CG")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(FileFormatError, match="bad.jsonl"):
        read_entries_file(bad)


def test_to_structure_from_files_and_errors(tmp_path):
    cif = tmp_path / "cu.cif"
    _cu().to(filename=str(cif))
    assert to_structure(cif).composition.reduced_formula == "Cu"
    with pytest.raises(PathError, match="no such"):
        to_structure(tmp_path / "missing.cif")
    with pytest.raises(PathError, match="is a folder"):
        to_structure(tmp_path)
    junk = tmp_path / "junk.cif"
    junk.write_text("hello")
    with pytest.raises(FileFormatError):
        to_structure(junk)
    with pytest.raises(InputError):
        to_structure(42)


@pytest.mark.ml
def test_compute_entries_cli_json(tmp_path, capsys):
    from sianode.cli.main import main

    cif = tmp_path / "cu.cif"
    _cu(3.7).to(filename=str(cif))
    out = tmp_path / "e.json.gz"
    assert main(["compute-entries", str(cif), "--out", str(out), "--potential", "chgnet",
                 "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)  # stdout is pure JSON
    (row,) = payload["entries"]
    assert row["formula"] == "Cu"
    # CHGNet fcc Cu: ~11.9 Å³/atom (exp. 11.8)
    assert row["volume_per_atom_A3"] == pytest.approx(11.8, rel=0.05)
    assert read_entries_file(out)[0].entry_id == row["entry_id"]


def test_compute_entries_cli_bad_file_is_one_line_error(tmp_path, capsys):
    from sianode.cli.main import main

    assert main(["compute-entries", str(tmp_path / "nope.cif"), "--out",
                 str(tmp_path / "e.jsonl")]) == 2
    assert "nope.cif" in capsys.readouterr().err
