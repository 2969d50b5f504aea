"""Structure sanity before an ML potential sees a structure; one named default potential."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from ase.calculators.emt import EMT
from pymatgen.core import Lattice, Structure

from sianode.errors import ParameterError, PathError, StructureError
from sianode.materials.relax import relax_many, relax_structure
from sianode.materials.sanity import MIN_DISTANCE_A, check_structure, to_structure
from sianode.testing import two_atom_cif

SRC = Path(__file__).resolve().parents[2] / "src" / "sianode"


def _si(a=5.431, second=(0.25, 0.25, 0.25), species=("Si", "Si")):
    return Structure(Lattice.cubic(a), list(species), [[0, 0, 0], list(second)])


def test_a_real_structure_passes():
    s = _si()
    assert check_structure(s) is s


@pytest.mark.parametrize(("make", "match"), [
    (lambda: _si(second=(0.01, 0, 0)), "0.0543 Å apart"),
    (lambda: Structure(Lattice.orthorhombic(0.4, 10, 10), ["Si"], [[0, 0, 0]]),
     "periodic image"),
    (lambda: _si(a=40.0), "volume per atom 3.2e\\+04"),
    (lambda: _si(a=1.2), "volume per atom"),
    (lambda: Structure(Lattice(np.array([[np.nan, 0, 0], [0, 5, 0], [0, 0, 5]])), ["Si"],
                       [[0, 0, 0]]), "lattice is not finite"),
    (lambda: _si(species=("Si", "X0+")), "not a chemical element"),
    (lambda: Structure(Lattice.cubic(5.431), [{"Si": 0.5, "Ge": 0.5}], [[0, 0, 0]]),
     "partial occupancy"),
])
def test_unphysical_structures_are_refused_with_their_name(make, match):
    with pytest.raises(StructureError, match=match) as info:
        check_structure(make(), "structure 'mine'")
    assert str(info.value).startswith("structure 'mine': ")


def test_min_distance_is_below_the_shortest_bond():
    assert MIN_DISTANCE_A < 0.74  # H-H, the shortest bond there is
    check_structure(Structure(Lattice.cubic(6.0), ["H", "H"], [[0, 0, 0], [0.74 / 6, 0, 0]]))


@pytest.mark.parametrize(("a", "el", "match"), [
    ("nan", "Si", "lattice is not finite"),  # segfaulted inside the neighbour list
    ("5.431", "Xx", "'Xx' is not a chemical element"),  # KeyError inside the potential
])
def test_files_are_refused_naming_the_file_and_silently(tmp_path, a, el, match, recwarn):
    p = tmp_path / "bad.cif"
    p.write_text(two_atom_cif(a=a, element=el))
    with pytest.raises(StructureError, match=match) as info:
        to_structure(p)
    assert "bad.cif" in str(info.value)
    assert not [w for w in recwarn if "cif" in str(w.filename)], "pymatgen warnings leaked"


def test_bad_structure_never_reaches_the_calculator(tmp_path):
    class Exploding(EMT):
        def calculate(self, *args, **kwargs):  # pragma: no cover - must not run
            raise AssertionError("the calculator was called")

    bad = _si(second=(0.001, 0, 0))
    with pytest.raises(StructureError, match="structure 'x'"):
        relax_structure(bad, Exploding(), entry_id="x")
    out = tmp_path / "e.jsonl"
    good = Structure(Lattice.cubic(3.6), ["Cu"] * 4,
                     [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    with pytest.raises(StructureError, match="structure 'b'"):
        relax_many({"a": good, "b": bad}, out, Exploding(), progress=False)
    assert not out.exists(), "nothing relaxed: the batch was refused before its first step"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"fmax": float("nan")}, "fmax"), ({"fmax": -1}, "fmax"), ({"fmax": 1e300}, "fmax"),
    ({"max_steps": -1}, "max_steps"), ({"max_steps": 2.5}, "max_steps"),
])
def test_batch_options_are_refused_before_any_work(tmp_path, kwargs, match):
    """Today's bug: a bad --fmax was a per-structure warning and exit status 0."""
    with pytest.raises(ParameterError, match=match):
        relax_many({"a": _si()}, tmp_path / "e.jsonl", EMT(), progress=False, **kwargs)


def test_batch_output_path_is_checked(tmp_path):
    with pytest.raises(PathError, match="extension"):
        relax_many({"a": _si()}, tmp_path / "e.txt", EMT(), progress=False)
    with pytest.raises(PathError, match="is a folder"):
        relax_many({"a": _si()}, tmp_path, EMT(), progress=False)


def test_default_potential_is_named_once():
    """The literal name of the default potential appears only in its registry."""
    pattern = re.compile(r"""["']7net-0["']""")
    hits = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
            if pattern.search(p.read_text(encoding="utf-8"))]
    assert hits == ["materials/calculators.py"], hits
