"""Li-Si phase bookkeeping: capacities on both bases, x <-> capacity, named phases."""

import pytest

from sianode.electrode import phases as ph
from sianode.errors import ParameterError, SianodeError, UnknownElementError, UnknownNameError


@pytest.mark.parametrize(
    ("name", "capacity_host", "x"),
    [("LiSi", 954.3, 1.0), ("Li15Si4", 3579, 3.75), ("Li21Si5", 4008, 4.2), ("Li22Si5", 4199, 4.4)],
)
def test_named_phase_capacities_match_design_checks(name, capacity_host, x):
    # DESIGN.md: Li21Si5 4008, Li15Si4 3579, Li22Si5 4199 mAh/g(Si); seed 001 954.3 per Li
    p = ph.get_phase(name)
    assert p.li_per_host == pytest.approx(x)
    assert p.capacity_host_mAh_g == pytest.approx(capacity_host, abs=0.5)


def test_capacity_per_lithiated_gram_is_smaller_and_consistent():
    # Li15Si4 per gram of Li15Si4: 3.75 * 26801.48 / (28.085 + 3.75 * 6.94) = 1857 mAh/g
    q = ph.capacity_per_gram_lithiated_mAh_g(3.75)
    assert q == pytest.approx(1857.2, abs=0.5)
    assert ph.get_phase("Li15Si4").capacity_lithiated_mAh_g == pytest.approx(q)


@pytest.mark.parametrize("basis", ["host", "lithiated"])
def test_li_per_host_roundtrip(basis):
    for x in (0.5, 2.0, 3.75, 4.4):
        q = (ph.capacity_per_gram_host_mAh_g(x) if basis == "host"
             else ph.capacity_per_gram_lithiated_mAh_g(x))
        assert ph.li_per_host_from_capacity(q, basis=basis) == pytest.approx(x)


def test_practical_si_3000_is_li314si():
    # seed 001 Methods: practical Si capacity ~3000 mAh/g
    assert ph.li_per_host_from_capacity(3000) == pytest.approx(3.1437, abs=1e-3)


def test_other_host_via_pymatgen_molar_mass():
    # LiAl: 1 Li per Al (26.98 g/mol) -> 993.4 mAh/g(Al); Mg host by symbol
    assert ph.capacity_per_gram_host_mAh_g(1.0, "Al") == pytest.approx(993.4, abs=0.5)
    assert ph.capacity_per_gram_host_mAh_g(1.0, 24.305) == pytest.approx(
        ph.capacity_per_gram_host_mAh_g(1.0, "Mg"), rel=1e-4)


def test_volumes_and_densities():
    si = ph.get_phase("Si")
    assert si.volume_per_host_A3 == pytest.approx(20.02, abs=0.01)
    assert si.density_g_cm3 == pytest.approx(2.329, abs=0.002)  # CRC: 2.329 g/cm3
    li15 = ph.get_phase("Li15Si4")
    # 280 % volume expansion to Li15Si4 (Obrovac & Christensen 2004)
    assert li15.volume_per_host_A3 / si.volume_per_host_A3 == pytest.approx(3.81, abs=0.01)
    assert li15.density_g_cm3 == pytest.approx(1.18, abs=0.01)
    # volume per Si grows monotonically with x across the named phases
    vols = [p.volume_per_host_A3 for p in sorted(ph.LI_SI_PHASES.values(),
                                                 key=lambda p: p.li_per_host)]
    assert vols == sorted(vols)
    assert all(p.reference for p in ph.LI_SI_PHASES.values())


def test_amorphous_volume_is_linear_between_si_and_li15si4():
    assert ph.amorphous_volume_per_si_A3(0) == pytest.approx(20.024, abs=1e-3)
    assert ph.amorphous_volume_per_si_A3(3.75) == pytest.approx(76.24, abs=0.01)
    mid = ph.amorphous_volume_per_si_A3(1.875)
    assert mid == pytest.approx((20.024 + 76.24) / 2, abs=0.01)


def test_phase_roundtrip():
    p = ph.get_phase("Li13Si4")
    assert ph.LiXPhase.from_dict(p.as_dict()) == p


def test_unknown_phase_suggests_close_names():
    with pytest.raises(UnknownNameError, match="Li21Si5"):
        ph.get_phase("Li21Si6")
    with pytest.raises(SianodeError):
        ph.get_phase("Li4.4Si")


def test_unknown_element_and_bad_values():
    with pytest.raises(UnknownNameError, match="element"):
        ph.capacity_per_gram_host_mAh_g(1.0, "Xx")
    with pytest.raises(ParameterError, match="li_per_host"):
        ph.capacity_per_gram_host_mAh_g(-1.0)
    with pytest.raises(ParameterError, match="host_molar_mass_g_mol"):
        ph.capacity_per_gram_host_mAh_g(1.0, 0.0)
    with pytest.raises(ParameterError, match="capacity_mAh_g"):
        ph.li_per_host_from_capacity(-5.0)
    with pytest.raises(ParameterError, match="Li metal"):
        ph.li_per_host_from_capacity(4000.0, basis="lithiated")
    with pytest.raises(UnknownNameError, match="capacity basis"):
        ph.li_per_host_from_capacity(1000.0, basis="anode")


@pytest.mark.parametrize("name", ["LiSi", "Li12Si7", "Li7Si3", "Li13Si4", "Li15Si4", "Li21Si5"])
def test_lithiated_capacity_matches_pymatgen_composition_weight(name):
    # peer: pymatgen's formula weight per Si gives the same per-lithiated-gram capacity
    from pymatgen.core import Composition

    from sianode.units import MAH_PER_MOL_ELECTRONS

    comp = Composition(name)
    x = comp["Li"] / comp["Si"]
    q_pmg = x * MAH_PER_MOL_ELECTRONS / (float(comp.weight) / comp["Si"])
    assert ph.get_phase(name).capacity_lithiated_mAh_g == pytest.approx(q_pmg, rel=2e-4)


def test_any_binary_formula():
    # Li3Sb: 3 Li per Sb (121.76 g/mol) -> 660.4 mAh/g(Sb); Li21Si5 -> ("Si", 4.2)
    host, x = ph.li_per_host_of_formula("Li3Sb")
    assert (host, x) == ("Sb", 3.0)
    assert ph.capacity_per_gram_host_mAh_g(x, host) == pytest.approx(660.35, abs=0.05)
    assert ph.li_per_host_of_formula("Li21Si5") == ("Si", pytest.approx(4.2))


@pytest.mark.parametrize(
    ("formula", "err"),
    [("Li", ParameterError), ("LiSiGe", ParameterError), ("Xx3", UnknownElementError),
     ("Li2$", UnknownElementError)],
)
def test_bad_formulas(formula, err):
    with pytest.raises(err, match="formula"):
        ph.li_per_host_of_formula(formula)
