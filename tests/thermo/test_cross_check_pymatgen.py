"""The fast engine against pymatgen's per-host PhaseDiagram + get_element_profile route."""

import pytest

from sianode import units
from sianode.testing import check_lithiation_result, pymatgen_lithiation, random_entries
from sianode.thermo import LithiationEngine
from sianode.thermo.screen import screen


@pytest.fixture(scope="module")
def entries():
    return random_entries(n_systems=25, seed=7, max_nonli=3)


def _hosts(entries):
    return [e for e in entries if e.composition.reduced_formula != "Li"]


def test_products_and_voltage_agree_on_every_host(entries):
    eng = LithiationEngine(entries, voltage_range_V=None)
    hosts = _hosts(entries)
    assert len(hosts) > 250
    n_react = 0
    for h in hosts:
        ours = eng.lithiate(h, steps=False, stop=False)
        peer = pymatgen_lithiation(h, entries)
        assert ours.li_per_formula_unit == pytest.approx(peer["li_per_formula_unit"], abs=1e-6)
        assert set(ours.products) == set(peer["products"]), h.entry_id
        for f, a in peer["products"].items():
            assert ours.products[f] == pytest.approx(a, rel=1e-6, abs=1e-9)
        if peer["voltage_V"] is not None:
            n_react += 1
            assert ours.voltage_V == pytest.approx(peer["voltage_V"], abs=1e-7)
        check_lithiation_result(ours, rel=1e-9)
    assert n_react > 100


def test_screen_table_matches_single_host_api(entries):
    df = screen(entries).set_index("id")
    eng = LithiationEngine(entries, voltage_range_V=None)
    for h in _hosts(entries)[::7]:
        r = eng.lithiate(h, steps=False, stop=True)
        row = df.loc[h.entry_id]
        assert row["li_per_host_atom"] == pytest.approx(r.li_per_host_atom, abs=1e-9)
        assert row["capacity_mAh_g"] == pytest.approx(r.capacity_mAh_g, rel=1e-9, abs=1e-9)
        if r.k_crit_GPa is not None:
            assert row["k_crit_GPa"] == pytest.approx(r.k_crit_GPa, rel=1e-9)
            # Fig. 3f identity x*y = eps V_H / N_H x 6.2415e-3 eV/GPa
            n_host = r.li_per_formula_unit / r.li_per_host_atom
            assert row["xy_eV_per_GPa"] == pytest.approx(
                r.reaction_strain * r.host_volume_A3 / n_host * units.GPA_A3_IN_EV, rel=1e-9)


def test_stop_modulus_is_where_capacity_vanishes(entries):
    eng = LithiationEngine(entries, voltage_range_V=None)
    checked = 0
    for h in _hosts(entries)[::5]:
        r = eng.lithiate(h, steps=False)
        if not r.reacts or r.k_stop_GPa is None or r.k_stop_GPa <= 0:
            continue
        below, above = eng.capacity_vs_k(h, [r.k_stop_GPa * (1 - 1e-4),
                                             r.k_stop_GPa * (1 + 1e-6) + 1e-9])
        assert below > 0, h.entry_id
        assert above == 0.0, h.entry_id
        checked += 1
    assert checked > 10

