"""The 0 V reaction, K_crit, stop modulus and constrained profiles on the paper-checkable toy
Li-Si system of :mod:`sianode.testing` (numbers derived by hand in its docstring)."""

import pytest

from sianode.errors import EntryError, ParameterError
from sianode.testing import check_lithiation_result, toy_lisi_entries
from sianode.thermo import LithiationEngine, LithiationResult, constrained_profiles, lithiate


@pytest.fixture(scope="module")
def engine():
    return LithiationEngine(toy_lisi_entries())


def test_zero_volt_reaction_by_hand(engine):
    r = engine.lithiate("Si")
    assert r.products == pytest.approx({"Li2Si": 1.0})
    assert r.li_per_formula_unit == pytest.approx(2.0)
    assert r.reaction_energy_eV == pytest.approx(-0.5)
    assert r.voltage_V == pytest.approx(0.25)
    assert r.volume_change_A3 == pytest.approx(30.0)
    assert r.reaction_strain == pytest.approx(1.5)
    assert r.k_crit_GPa == pytest.approx(0.5 / 30 * 160.21766, rel=1e-6)  # 2.670 GPa
    assert r.k_stop_GPa == pytest.approx(0.4 / 15 * 160.21766, rel=1e-6)  # 4.272 GPa
    assert r.capacity_mAh_g == pytest.approx(2 * 26801.48 / 28.0855, rel=1e-4)
    check_lithiation_result(r)


def test_steps_by_hand(engine):
    steps = engine.lithiate("Si").steps
    assert [s.voltage_V for s in steps] == pytest.approx([0.4, 0.1])
    assert [s.products for s in steps] == [("LiSi",), ("Li2Si",)]
    assert steps[0].capacity_end_mAh_g == pytest.approx(954.28, abs=0.05)


def test_host_with_li_and_partial_reaction(engine):
    r = engine.lithiate("LiSi")
    assert r.li_per_formula_unit == pytest.approx(1.0)
    assert r.li_per_host_atom == pytest.approx(0.5)
    assert r.voltage_V == pytest.approx(0.1)
    # capacity per gram of LiSi (host), not of the lithiated product
    assert r.capacity_mAh_g == pytest.approx(26801.48 / (28.0855 + 6.94), rel=1e-3)
    check_lithiation_result(r)


def test_fully_lithiated_host_does_not_react(engine):
    r = engine.lithiate("Li2Si")
    assert not r.reacts
    assert r.capacity_mAh_g == 0.0
    assert r.products == {}
    assert r.k_crit_GPa is None
    assert r.k_stop_GPa == 0.0


def test_constrained_plateaus_fall_linearly(engine):
    k = 1.0  # GPa
    prof = engine.profile("Si", k)
    dk = k / 160.21766 * 15.0  # eV per Li: K * dV per Li
    assert [s.voltage_V for s in prof.steps] == pytest.approx([0.4 - dk, 0.1 - dk])
    # second plateau gone above 0.1/15 eV/A3 = 1.068 GPa: half the capacity left
    assert engine.profile("Si", 1.2).capacity_mAh_g == pytest.approx(954.28, abs=0.05)
    assert engine.profile("Si", 4.3).steps == ()


def test_capacity_vs_k_and_stop_modulus_agree(engine):
    r = engine.lithiate("Si")
    caps = engine.capacity_vs_k("Si", [0.0, 1.0, 1.1, r.k_stop_GPa * 0.999,
                                       r.k_stop_GPa * 1.001])
    assert caps == pytest.approx([1908.56, 1908.56, 954.28, 954.28, 0.0], abs=0.05)
    # the fast engine and the pymatgen profile give the same capacity at each K
    for k in (0.0, 0.5, 1.5, 3.0, 4.0, 4.5):
        assert engine.capacity_vs_k("Si", [k])[0] == pytest.approx(
            engine.profile("Si", k).capacity_mAh_g, abs=1e-6)


def test_functional_api_and_roundtrip():
    ents = toy_lisi_entries()
    r = lithiate("Si", ents)
    assert LithiationResult.from_dict(r.as_dict()) == r
    profs = constrained_profiles("Si", ents, [0, 2])
    assert [p.k_eff_GPa for p in profs] == [0.0, 2.0]
    assert profs[1].capacity_mAh_g == pytest.approx(954.28, abs=0.05)
    assert type(profs[0]).from_dict(profs[0].as_dict()) == profs[0]


def test_bad_inputs(engine):
    with pytest.raises(ParameterError, match="k_eff_GPa"):
        engine.profile("Si", -1.0)
    with pytest.raises(ParameterError):
        engine.capacity_vs_k("Si", [float("nan")])
    with pytest.raises(EntryError, match="no entry for host 'Ge'"):
        engine.lithiate("Ge")
    with pytest.raises(EntryError, match="Li metal"):
        engine.lithiate("Li")
