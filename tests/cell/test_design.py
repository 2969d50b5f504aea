"""The design loop against hand-checkable numbers (toy Li-Si, no-compound Cu) and seed 001."""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymatgen.core import Composition
from pymatgen.entries.computed_entries import ComputedEntry

from sianode import units
from sianode.cell import Layer, Stack, evaluate_stack, load_stack
from sianode.cell.design import DesignResult, design_hosts, li_metal_thickness_um
from sianode.errors import EntryError, ParameterError
from sianode.testing import toy_lisi_entries
from sianode.thermo import LithiationEngine

STACKS = Path(__file__).resolve().parents[2] / "examples" / "stacks"
GPA = units.EV_PER_A3_IN_GPA  # 1 eV/Å³ in GPa
M_SI = Composition("Si").weight


def _cu() -> ComputedEntry:
    # Cu forms no Li-Cu compound in the experimental phase diagram (seed 001 Ext. Data 6i)
    return ComputedEntry(Composition("Cu"), -4.1, entry_id="toy-Cu", data={"volume_A3": 11.8})


@pytest.fixture(scope="module")
def engine():
    return LithiationEngine([*toy_lisi_entries(), _cu()])


def _stack(si_mg_cm2=2.0, anode_um=20.0):
    return Stack("hand", (
        Layer("cathode", "cathode", active_loading_mg_cm2=15.0, active_fraction=0.75,
              specific_capacity_mAh_g=200.0, average_voltage_V=3.6, thickness_um=60.0),
        Layer("separator", "separator", thickness_um=30.0, density_g_cm3=2.0),
        Layer("anode", "anode", active_loading_mg_cm2=si_mg_cm2, active_fraction=0.5,
              thickness_um=anode_um),
    ))


def test_toy_si_hand_numbers(engine):
    # cathode 15 mg/cm2 x 200 mAh/g = 3 mAh/cm2; Si 2 mg/cm2 holds 2 x 1908.56 / 1000 at K=0
    res = design_hosts(_stack(), ["Si"], [0.0, 2.0, 5.0], engine)
    rows = {r.k_eff_GPa: r for r in res.rows}
    r0 = rows[0.0]
    assert r0.alloy_capacity_mAh_g == pytest.approx(2 * 954.28, abs=0.05)
    assert r0.alloy_share == 1.0
    assert r0.plated_share == 0.0
    # the first 1500 mAh/g: 954.28 at 0.4 V, the rest at 0.1 V
    c = 1500.0
    q1 = units.capacity_mAh_g(1.0, M_SI)
    assert r0.alloy_voltage_V == pytest.approx((0.4 * q1 + 0.1 * (c - q1)) / c, rel=1e-9)
    assert r0.alloy_products == "Li2Si+LiSi"  # 1500 mAh/g ends inside the LiSi-Li2Si plateau
    # 15 Å³ per Li in this toy: dV = 15 x (Li per Si)
    x = units.electrons_from_capacity(c, M_SI)
    n_si = 2e-3 / M_SI * units.AVOGADRO_MOL
    assert r0.alloy_thickness_change_um == pytest.approx(n_si * 15 * x * 1e-24 * 1e4, rel=1e-9)
    assert r0.plated_li_thickness_um == 0.0
    # K = 2 GPa: only the 0.4 V step survives (0.1 V step gone at 1.068 GPa), lowered by 15 K
    r2 = rows[2.0]
    assert r2.alloy_capacity_mAh_g == pytest.approx(q1, rel=1e-9)
    assert r2.alloy_share == pytest.approx(2 * q1 / 1000 / 3.0, rel=1e-9)
    assert r2.alloy_voltage_V == pytest.approx(0.4 - 15 * 2 / GPA, rel=1e-9)
    assert r2.alloy_products == "LiSi"
    assert r2.plated_li_thickness_um == pytest.approx(li_metal_thickness_um(r2.plated_charge_mAh_cm2))
    # past the stop modulus (4.272 GPa): everything plates, the cell is the stack as given
    r5 = rows[5.0]
    assert r5.k_stop_GPa == pytest.approx(0.4 / 15 * GPA, rel=1e-6)
    assert (r5.alloy_share, r5.plated_share, r5.alloy_voltage_V) == (0.0, 1.0, None)
    assert r5.specific_energy_Wh_kg == pytest.approx(res.baseline.specific_energy_Wh_kg)
    # energy: Q (V_cathode - share x U_alloy) over an unchanged mass
    for r in res.rows:
        e = 3.0 * (3.6 - r.alloy_share * (r.alloy_voltage_V or 0.0))
        assert r.areal_energy_mWh_cm2 == pytest.approx(e, rel=1e-12)
        assert r.areal_mass_mg_cm2 == pytest.approx(res.baseline.areal_mass_mg_cm2)
    # charged anode thickness: as built + alloy expansion + plated Li
    for r in res.rows:
        assert r.anode_thickness_um == pytest.approx(20.0 + r.anode_thickness_change_um)
    # ranked by Wh/kg: all-plating first, K = 0 last
    assert [r.k_eff_GPa for r in res.rows] == [5.0, 2.0, 0.0]
    assert [r.rank for r in res.rows] == [1, 2, 3]


def test_cu_all_plating_and_seed001_pouch_218(engine):
    stack = load_stack(STACKS / "ye2024_pouch.toml")
    res = design_hosts(stack, ["Cu", "Si"], [0, 1, 2, 3, 4, 5, 6], engine)
    assert round(res.baseline.specific_energy_Wh_kg) == 218  # Ext. Data Table 1
    cu = [r for r in res.rows if r.host == "Cu"]
    assert len(cu) == 7
    for r in cu:
        assert r.alloy_capacity_mAh_g == 0.0
        assert r.plated_share == 1.0
        assert r.plated_charge_mAh_cm2 == pytest.approx(3.0)
        assert round(r.specific_energy_Wh_kg) == 218  # same mass, Li metal at 0 V
        assert r.host_loading_mg_cm2 == 1.5
        assert r.loading_source == "stack"
    si = sorted((r for r in res.rows if r.host == "Si"), key=lambda r: r.k_eff_GPa)
    assert si[0].alloy_share == pytest.approx(min(1.0, 1.5 * 1908.56 / 1000 / 3.0), abs=1e-4)
    assert si[-1].plated_share == 1.0


def test_builtin_si_alloys_then_plates_cu_always_plates():
    """Relations only (the curated built-in set may still change): seed 001's Si and Cu."""
    from sianode.materials import load_entries

    eng = LithiationEngine(load_entries("builtin", chemsys=["Si", "Cu"]))
    k_stop = eng.lithiate("Si").k_stop_GPa
    assert k_stop is not None
    assert 2.0 < k_stop < 12.0
    ks = [0.0, 0.5 * k_stop, 0.9 * k_stop, 1.05 * k_stop, k_stop + 2.0]
    res = design_hosts(load_stack(STACKS / "ye2024_pouch.toml"), ["Si"], ks, eng)
    rows = sorted(res.rows, key=lambda r: r.k_eff_GPa)
    assert rows[0].alloy_share == 1.0  # Si >= 2000 mAh/g takes all 3 mAh/cm2 at K = 0
    assert rows[-1].plated_share == 1.0
    assert rows[-2].plated_share == 1.0
    shares = [r.plated_share for r in rows]
    assert shares == sorted(shares)
    wh = [r.specific_energy_Wh_kg for r in rows]
    assert wh == sorted(wh)
    assert rows[-1].specific_energy_Wh_kg == pytest.approx(res.baseline.specific_energy_Wh_kg)
    # Cu: no Li-Cu compound in the experimental phase diagram -> all plating at every K_eff
    cu = design_hosts(load_stack(STACKS / "ye2024_pouch.toml"), ["Cu"], [0, 1, 2, 3, 4, 5, 6],
                      eng)
    assert [r.plated_share for r in cu.rows] == [1.0] * 7
    assert all(round(r.specific_energy_Wh_kg) == 218 for r in cu.rows)


def test_target_np_and_loading_options(engine):
    res = design_hosts(_stack(), ["Si", "Cu"], [0.0], engine, target_np=1.5)
    si = next(r for r in res.rows if r.host == "Si")
    assert si.host_loading_mg_cm2 == pytest.approx(1.5 * 3.0 * 1000 / 1908.56, rel=1e-4)
    assert si.np_ratio == pytest.approx(1.5)
    cu = next(r for r in res.rows if r.host == "Cu")
    assert cu.host_loading_mg_cm2 == 2.0
    assert "no N/P" in cu.loading_source
    res = design_hosts(_stack(), ["Si"], [0.0], engine, host_loading_mg_cm2=1.0)
    r = res.rows[0]
    assert r.host_loading_mg_cm2 == 1.0
    assert r.alloy_share == pytest.approx(1.90856 / 3.0, rel=1e-4)
    # anode layer: 4 mg/cm2 with 2 mg Si, Si replaced by 1 mg -> 3 mg/cm2
    assert r.areal_mass_mg_cm2 == pytest.approx(res.baseline.areal_mass_mg_cm2 - 1.0)
    # 10 mg/cm2: 3 mAh/cm2 is 300 mAh/g, inside the first plateau (Si + LiSi at 0.4 V)
    r = design_hosts(_stack(), ["Si"], [0.0], engine, host_loading_mg_cm2=10.0).rows[0]
    assert r.alloy_products == "LiSi+Si"
    assert r.alloy_voltage_V == pytest.approx(0.4)
    x = units.electrons_from_capacity(300.0, M_SI)
    assert r.alloy_thickness_change_um == pytest.approx(
        10e-3 / M_SI * units.AVOGADRO_MOL * 15 * x * 1e-20, rel=1e-9)


def test_round_trip_and_table(engine):
    res = design_hosts(_stack(), ["Si", "Cu", "toy-Si"], [0.0, 3.0], engine)
    assert res.host_ids == ("toy-Si", "toy-Cu")  # as asked for, each host once
    again = DesignResult.from_dict(res.as_dict())
    assert again == res
    df = res.table()
    assert len(df) == 4
    assert list(df["rank"]) == [1, 2, 3, 4]
    assert {"alloy_share", "plated_share", "specific_energy_Wh_kg"} <= set(df.columns)


@pytest.mark.parametrize(("kwargs", "err", "match"), [
    ({"k_eff_GPa": [-1.0]}, ParameterError, "k_eff_GPa"),
    ({"k_eff_GPa": [math.nan]}, ParameterError, "k_eff_GPa"),
    ({"k_eff_GPa": []}, ParameterError, "k_eff_GPa"),
    ({"hosts": ["Ge"]}, EntryError, "no entry for host"),
    ({"hosts": []}, ParameterError, "hosts"),
    ({"host_loading_mg_cm2": 1.0, "target_np": 1.2}, ParameterError, "target_np"),
    ({"host_loading_mg_cm2": -1.0}, ParameterError, "host_loading_mg_cm2"),
    ({"rank_by": "price"}, Exception, "price"),
])
def test_bad_input(engine, kwargs, err, match):
    args = {"stack": _stack(), "hosts": ["Si"], "k_eff_GPa": [0.0], "entries": engine}
    args.update(kwargs)
    with pytest.raises(err, match=match):
        design_hosts(**args)


def test_stack_without_anode_layer(engine):
    st_ = Stack("no anode", (_stack().layers[0], _stack().layers[1]))
    with pytest.raises(ParameterError, match="anode"):
        design_hosts(st_, ["Si"], [0.0], engine)


def test_li_metal_thickness():
    # 1 mAh = 3.6 C = 3.731e-5 mol Li = 2.589e-4 g = 4.85e-4 cm3 at 0.534 g/cm3
    assert li_metal_thickness_um(1.0) == pytest.approx(4.849, abs=1e-3)
    assert li_metal_thickness_um(0.0) == 0.0


@settings(max_examples=25, deadline=None)
@given(k=st.floats(0.0, 6.0), loading=st.floats(0.05, 6.0))
def test_charge_balance_and_energy_bound(engine, k, loading):
    res = design_hosts(_stack(), ["Si"], [k], engine, host_loading_mg_cm2=loading)
    r = res.rows[0]
    assert r.alloy_charge_mAh_cm2 + r.plated_charge_mAh_cm2 == pytest.approx(3.0)
    assert 0.0 <= r.alloy_share <= 1.0
    assert r.alloy_charge_mAh_cm2 <= loading * r.alloy_capacity_mAh_g / 1000 + 1e-12
    # alloying sits above 0 V: the cell can only lose voltage against plating
    base = evaluate_stack(_stack(si_mg_cm2=2.0)).areal_energy_mWh_cm2
    assert r.areal_energy_mWh_cm2 <= base + 1e-12
    assert r.anode_thickness_change_um >= 0.0
