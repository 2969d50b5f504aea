"""The cited catalogue of experimentally reported Li-X compounds (issue 10, item 1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sianode.errors import FileFormatError, UnknownNameError
from sianode.materials.catalogue import (
    KINDS,
    STRUCTURE_ORIGINS,
    CatalogueRow,
    _check_row,
    catalogue_elements,
    catalogue_row,
    catalogue_rows,
    load_catalogue,
    row_structure,
)

#: elements that form no compound with Li (seed 001 uses Cu and Ti as non-lithiating hosts)
NO_COMPOUND = ("Cu", "Ni", "Fe", "Co", "Ti", "V", "Cr", "Zr", "Nb", "Mo", "Hf", "Ta", "W")


@pytest.fixture(scope="module")
def rows():
    return load_catalogue()


def test_every_row_is_cited_and_typed(rows):
    assert len(rows) > 80
    for r in rows:
        assert r.kind in KINDS
        assert len(r.phase_diagram_source) > 20, r.id
        if r.built:
            assert r.structure_origin in STRUCTURE_ORIGINS, r.id
            assert len(r.coordinates_source) > 20, r.id
            assert r.coordinates_of, r.id
            assert r.lattice is not None or r.lattice_matrix is not None, r.id
            if r.lattice is not None:
                assert r.lattice_source, r.id
        if r.kind != "none":
            assert r.structure_type, r.id
        else:
            assert r.formula is None
            assert not r.built


def test_covers_every_element_of_the_builtin_set(rows):
    from pymatgen.core import Composition

    from sianode.materials.builtin import builtin_provenance

    comps = [Composition(v["formula"]) for v in builtin_provenance()["entries"].values()]
    elements = {c.elements[0].symbol for c in comps if c.is_element} - {"Li"}
    assert elements <= set(catalogue_elements())
    assert len(elements) >= 45
    assert "Ga" in elements


@pytest.mark.parametrize("element", NO_COMPOUND)
def test_no_compound_rows(element):
    found = catalogue_rows(element)
    assert [r.kind for r in found] == ["none"]
    assert not found[0].in_default


@pytest.mark.parametrize(
    ("old", "new"),
    [("Li22Si5", "Li17Si4"), ("Li21Si5", "Li17Si4"), ("Li22Sn5", "Li17Sn4"),
     ("Li22Pb5", "Li17Pb4"), ("Li22Ge5", "Li17Ge4")],
)
def test_superseded_reports_recorded_and_current_phase_default(old, new):
    assert catalogue_row(old).status == "superseded"
    assert catalogue_row(old).superseded_by == new
    assert not catalogue_row(old).in_default
    assert catalogue_row(new).in_default


def test_li_mg_is_a_solid_solution_represented_by_bcc_orderings():
    mg = catalogue_rows("Mg")
    assert {r.kind for r in mg} == {"solid-solution"}
    assert {r.formula for r in mg} == {"LiMg", "Li3Mg"}
    for r in mg:
        assert r.structure_origin == "solid-solution-approximant"
        assert "bcc" in r.notes
        assert "representation" in r.notes


def test_li_richest_built_phases_of_the_target_hosts():
    """The experimental end products the issue asks for are catalogued and built."""
    for rid in ("Li17Si4", "Li17Ge4", "Li17Sn4", "Li9Al4", "Li17Pb4", "Li3Sb", "Li3Bi",
                "Li15Au4", "Li23Sr6"):
        assert catalogue_row(rid).in_default, rid


def test_built_rows_reproduce_formula_and_space_group(rows):
    from pymatgen.core import Composition
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    checked = 0
    for r in rows:
        if not r.built:
            continue
        s = row_structure(r)
        assert s.composition.reduced_formula == Composition(r.formula).reduced_formula, r.id
        if len(s) <= 80:  # the 400-atom cubic cells take seconds each
            assert SpacegroupAnalyzer(s, symprec=1e-3).get_space_group_number() == \
                r.spacegroup_number, r.id
            checked += 1
    assert checked >= 35


def test_li17si4_model_has_the_published_cell():
    s = row_structure("Li17Si4")
    assert s.composition.formula == "Li340 Si80"  # Z = 20 (Zeilinger et al. 2013)
    assert s.lattice.a == pytest.approx(18.7259)
    assert s.volume / 80 == pytest.approx(82.08, abs=0.01)


def test_published_li2sb_and_li7pb2_cells():
    """Li2Sb (Mueller 1977) is P-62c, Z = 6; Li7Pb2 (Zalkin & Ramsey 1956) P-3m1, Z = 1."""
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    sb = row_structure("Li2Sb")
    assert sb.composition.formula == "Li12 Sb6"
    assert SpacegroupAnalyzer(sb, symprec=1e-3).get_space_group_symbol() == "P-62c"
    assert sb.volume == pytest.approx(7.946**2 * 6.527 * 3**0.5 / 2, rel=1e-6)
    pb = row_structure("Li7Pb2")
    assert pb.composition.formula == "Li7 Pb2"
    assert catalogue_row("Li7Pb2").structure_origin == "published"


def test_estimated_lattices_are_flagged_and_never_checked(rows):
    """Rows without an experimental lattice (Li23Sr6, Li15Au4) start from an estimated cell
    and say so; the validation report then has no literature volume for them."""
    from sianode.materials.builtin import builtin_validation

    est = {r.id for r in rows if r.lattice_estimated}
    assert est == {"Li23Sr6", "Li15Au4"}
    for rid in est:
        r = catalogue_row(rid)
        assert not r.lattice_checked
        assert r.structure_origin == "isotypic-model"
        assert "not a measurement" in r.lattice_source
    vols = {v["catalogue_id"]: v for v in builtin_validation()["volumes"]}
    for rid in est:
        assert vols[rid]["literature_A3_atom"] is None
        assert vols[rid]["deviation"] is None


def test_gallium_rows_and_terminal():
    ga = {r.id: r for r in catalogue_rows("Ga")}
    assert set(ga) == {"LiGa", "Li5Ga4", "Li3Ga2", "Li2Ga"}
    assert [r.id for r in ga.values() if r.in_default] == ["LiGa"]
    assert "Li-richest" in ga["Li2Ga"].notes


def test_unknown_names_raise():
    with pytest.raises(UnknownNameError, match="Li17Si4"):
        catalogue_row("Li17Si")
    with pytest.raises(UnknownNameError):
        catalogue_rows("Qq")
    with pytest.raises(UnknownNameError, match="built catalogue row"):
        row_structure("Li-Cu:none")


@pytest.mark.parametrize(
    ("change", "message"),
    [({"phase_diagram_source": ""}, "phase_diagram_source"),
     ({"kind": "alloy"}, "kind"),
     ({"status": "maybe"}, "status"),
     ({"system": "Li-Ge"}, "does not match"),
     ({"structure_origin": "guess"}, "structure_origin"),
     ({"coordinates_source": ""}, "coordinates_source"),
     ({"status": "superseded", "superseded_by": None}, "superseded_by"),
     ({"lattice_estimated": True, "lattice_checked": True}, "estimated lattice")],
)
def test_bad_rows_are_refused(change, message):
    good = catalogue_row("Li17Si4").as_dict()
    _check_row(0, good)  # the real row passes
    with pytest.raises(FileFormatError, match=message):
        _check_row(3, {**good, **change})


@given(st.sampled_from([r.id for r in load_catalogue()]))
def test_row_dict_round_trip(row_id):
    r = catalogue_row(row_id)
    assert CatalogueRow.from_dict(r.as_dict()) == r
