"""Tests of the cell-level alloy + plating model (sianode.cell.simulate).

The OCV comes from a hand-made Li-Si entry set whose hull can be done on paper: plateaus at
0.33, 0.26, 0.15 and 0.08 V (Si -> LiSi -> Li7Si3 -> Li13Si4 -> Li21Si5, 4008 mAh/g) and
volumes chosen so that the first step stops at K = 0.33 V / (9.6 A3 / 160.2 GPa A3/eV)
= 5.5 GPa, as seed 001 reports for Si (Fig. 3e). The staircases are read with pymatgen's
PhaseDiagram.get_element_profile after adding K_eff * V to every solid entry (DESIGN.md).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymatgen.analysis.phase_diagram import PhaseDiagram
from pymatgen.core import Composition, Element
from pymatgen.entries.computed_entries import ComputedEntry

from sianode.cell.simulate import (
    AlloyOCV,
    SimulationResult,
    alloy_ocv_from_thermo,
    cell_parameters,
    simulate,
    sweep_k_eff,
)
from sianode.errors import ParameterError, UnknownNameError
from sianode.units import GPA_A3_IN_EV, MOLAR_MASS_SI_G_MOL, capacity_mAh_g

# x (Li per Si), energy per Si [eV] vs Li and Si at 0, volume per Si [A3]
_PLATEAUS_V = (0.33, 0.26, 0.15, 0.08)
_X = (1.0, 7 / 3, 3.25, 4.2)
_VOL = (29.6, 49.6, 63.4, 78.0)
K_STOP = 0.33 / (9.6 * GPA_A3_IN_EV)  # 5.495 GPa


def lisi_entries() -> list[ComputedEntry]:
    ents = [ComputedEntry("Si", 0.0, data={"volume_A3": 20.0}, entry_id="Si"),
            ComputedEntry("Li", 0.0, data={"volume_A3": 20.3}, entry_id="Li")]
    e, x_prev = 0.0, 0.0
    for f, x, u, v in zip(("LiSi", "Li7Si3", "Li13Si4", "Li21Si5"), _X, _PLATEAUS_V, _VOL):
        e -= u * (x - x_prev)
        x_prev = x
        n_si = Composition(f)["Si"]
        ents.append(ComputedEntry(f, e * n_si, data={"volume_A3": v * n_si}, entry_id=f))
    return ents


def _profile(entries, k):
    li = Element("Li")
    shifted = [ComputedEntry(e.composition, e.energy + (
        0.0 if e.composition.reduced_formula == "Li" else k * GPA_A3_IN_EV * e.data["volume_A3"]),
        entry_id=e.entry_id) for e in entries]
    pd = PhaseDiagram(shifted)
    prof = pd.get_element_profile(li, Composition("Si"))
    mu_li = pd.el_refs[li].energy_per_atom
    steps = []
    for j in range(len(prof) - 1, 0, -1):
        steps.append(SimpleNamespace(
            voltage_V=-(prof[j]["chempot"] - mu_li),
            capacity_start_mAh_g=capacity_mAh_g(prof[j]["evolution"], MOLAR_MASS_SI_G_MOL),
            capacity_end_mAh_g=capacity_mAh_g(prof[j - 1]["evolution"], MOLAR_MASS_SI_G_MOL)))
    return SimpleNamespace(k_eff_GPa=float(k), steps=steps)


@pytest.fixture(scope="module")
def builtin_si():
    from sianode.materials import load_entries
    from sianode.thermo import lithiate

    return lithiate("Si", load_entries("builtin"))


# ---- the OCV as data -------------------------------------------------------------------

def test_staircase_at_zero_modulus_is_the_paper_hull(ocv):
    stair = ocv.staircases[0]
    assert [s[0] for s in stair] == pytest.approx(_PLATEAUS_V, abs=1e-6)
    assert stair[-1][2] == pytest.approx(4008.05, abs=0.1)  # Li21Si5, seed 001 "4,000"
    assert ocv.thermodynamic_capacity_mAh_g(0.0) == pytest.approx(4008.05, abs=0.1)


def test_plateau_falls_linearly_with_k(ocv):
    # U_1(K) = U_1(0) - K dV_1/dn_1 with dV_1 = 9.6 A3 per Li (exact while the hull holds)
    i = ocv.k_eff_GPa.index(2.0)
    assert ocv.staircases[i][0][0] == pytest.approx(0.33 - 2.0 * 9.6 * GPA_A3_IN_EV, abs=1e-9)
    caps = [ocv.thermodynamic_capacity_mAh_g(k) for k in ocv.k_eff_GPa]
    assert np.all(np.diff(caps) <= 1e-9)
    assert ocv.thermodynamic_capacity_mAh_g(K_STOP + 0.1) == 0.0


def test_smoothed_ocv_reproduces_plateaus(ocv):
    q = np.array([477.0, 1590.0, 2664.0, 3554.0, -200.0, 4400.0])
    u = ocv.evaluate(q, 0.0, smoothing_mAh_g=20.0, empty_wall_V=2.0, overlithiation_V=-0.3)
    assert u[:4] == pytest.approx(_PLATEAUS_V, abs=1e-4)
    assert u[4] == pytest.approx(2.0, abs=1e-4)
    assert u[5] == pytest.approx(-0.3, abs=1e-4)


def test_ocv_between_grid_points_is_exact_within_a_regime(ocv):
    # 2.05 GPa lies between grid points; the LiSi plateau is still linear in K there
    u = ocv.evaluate([477.0], 2.05, smoothing_mAh_g=10.0, empty_wall_V=2.0,
                     overlithiation_V=-0.3)
    assert u[0] == pytest.approx(0.33 - 2.05 * 9.6 * GPA_A3_IN_EV, abs=1e-6)
    regimes = ocv.regimes()
    assert regimes[0].k_low_GPa == -np.inf
    assert regimes[-1].k_high_GPa == np.inf
    assert regimes[-1].bounds_mAh_g == ()  # past the stop modulus nothing lithiates


def test_thermo_adapter_matches_pymatgen_element_profile(ocv):
    """sianode.thermo's constrained profiles vs pymatgen's element profile, same entries."""
    ours = alloy_ocv_from_thermo("Si", lisi_entries())
    assert ours.k_stop_GPa == pytest.approx(K_STOP, rel=1e-6)
    for k in (0.0, 1.0, 2.0, 3.5, 5.0, 6.0):
        a = ours.staircases[ours.k_eff_GPa.index(k)]
        b = ocv.staircases[ocv.k_eff_GPa.index(k)]
        assert len(a) == len(b)
        # capacities differ by the Si molar mass used (28.0855 vs 28.085 g/mol)
        assert np.asarray(a) == pytest.approx(np.asarray(b), rel=3e-5, abs=1e-9)
    # the bisection puts grid points within 1 MPa of each hull change (e.g. the stop)
    near = [k for k in ours.k_eff_GPa if abs(k - K_STOP) < 1e-3]
    assert len(near) >= 1


def test_unknown_host_is_named():
    with pytest.raises(UnknownNameError, match="unknown host 'Ge'"):
        alloy_ocv_from_thermo("Ge", lisi_entries())
    with pytest.raises(ParameterError, match="k_eff_grid_GPa"):
        alloy_ocv_from_thermo("Si", lisi_entries(), [0.0, -1.0])


def test_k_past_the_table_is_refused_while_host_lithiates():
    stairs = (((0.3, 0.0, 100.0),), ((0.2, 0.0, 100.0),))
    short = AlloyOCV("Si", (0.0, 1.0), stairs)
    with pytest.raises(ParameterError, match="k_eff_GPa"):
        simulate(short, 2.0)


def test_alloy_ocv_round_trip(ocv):
    assert AlloyOCV.from_dict(ocv.as_dict()) == ocv


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"k_eff_GPa": (0.0,), "staircases": ((),)}, "k_eff_GPa"),
    ({"k_eff_GPa": (1.0, 2.0), "staircases": ((), ())}, "k_eff_GPa"),
    ({"k_eff_GPa": (0.0, 1.0), "staircases": ((),)}, "staircases"),
    ({"k_eff_GPa": (0.0, 1.0), "staircases": (((0.3, 10.0, 5.0),), ())}, "staircases[0][0]"),
])
def test_alloy_ocv_rejects_bad_data(kwargs, name):
    with pytest.raises(ParameterError, match=name.replace("[", r"\[")):
        AlloyOCV(host="Si", **kwargs)


# ---- the simulation ----------------------------------------------------------------------

def test_charge_conservation_full_and_asymmetric(builtin_ocv):
    for cell in ("full", "asymmetric"):
        r = simulate(builtin_ocv, 4.0, cell=cell, c_rate=0.5)
        assert r.charge_balance_error < 1e-6
        # every electron went to alloying or plating at the end of lithiation
        end = np.flatnonzero(r.lithiating)[-1]
        total = r.alloy_charge_mAh_cm2[end] + r.plated_charge_mAh_cm2[end]
        assert total == pytest.approx(r.charge_mAh_cm2[end], rel=1e-6)


def test_low_rate_zero_modulus_reaches_thermodynamic_capacity(builtin_ocv, builtin_si):
    r = simulate(builtin_ocv, 0.0, cell="asymmetric", c_rate=0.05, delithiate=False)
    # the built-in hull ends at Li17Si4: 4.25 Li/Si x 954.3 = 4056 mAh/g (catalogue, issue 10)
    assert r.thermodynamic_capacity_mAh_g == pytest.approx(builtin_si.capacity_mAh_g, rel=1e-9)
    assert r.thermodynamic_capacity_mAh_g == pytest.approx(4055.7, abs=2.0)
    assert r.alloy_capacity_mAh_g == pytest.approx(r.thermodynamic_capacity_mAh_g, rel=0.01)
    assert r.alloy_capacity_mAh_g < r.thermodynamic_capacity_mAh_g + 50.0
    assert r.capacity_above_0V_mAh_g > 0.98 * r.thermodynamic_capacity_mAh_g
    # the 0 V crossing is interpolated: below the hull's capacity at any output resolution
    # (the first point below 0 V read 4066 mAh/g with 400 points over 7.5 mAh/cm2)
    assert r.capacity_above_0V_mAh_g < r.thermodynamic_capacity_mAh_g
    fine = simulate(builtin_ocv, 0.0, cell="asymmetric", c_rate=0.05, delithiate=False,
                    n_points=4000)
    assert r.capacity_above_0V_mAh_g == pytest.approx(fine.capacity_above_0V_mAh_g, abs=1.0)


def test_hand_made_hull_zero_modulus_reaches_4008(ocv):
    r = simulate(ocv, 0.0, cell="asymmetric", c_rate=0.05, delithiate=False)
    assert r.alloy_capacity_mAh_g == pytest.approx(4008.0, rel=0.01)


def test_alloy_capacity_falls_with_k_and_vanishes_past_stop(builtin_ocv, builtin_si):
    k_stop = builtin_si.k_stop_GPa
    assert builtin_ocv.k_stop_GPa == pytest.approx(k_stop)
    ks = [0.0, 1.0, 2.0, 3.0, 0.97 * k_stop, k_stop + 0.01, k_stop + 0.5]
    runs = sweep_k_eff(builtin_ocv, ks, cell="asymmetric", c_rate=0.05, delithiate=False)
    alloy = np.array([r.alloy_capacity_mAh_g for r in runs])
    assert np.all(np.diff(alloy) <= 1e-6)
    # at 3 GPa only the first plateau (Si -> Li7Si3, 7/3 x 954.3 mAh/g) is left
    assert alloy[3] == pytest.approx(2226.7, abs=30.0)
    assert alloy[3] < 0.6 * alloy[0]
    # ~0 at the stop modulus: what is left is the tanh smoothing (10 mAh/g) of the wall
    assert alloy[-2] < 0.01 * alloy[0]
    # each run follows its own thermodynamic capacity, short of it by about one smoothing
    # width where the plateau meets the over-lithiation wall
    for r in runs:
        assert r.alloy_capacity_mAh_g == pytest.approx(r.thermodynamic_capacity_mAh_g, abs=30.0)


def test_hand_made_hull_capacity_falls_with_k(ocv):
    runs = sweep_k_eff(ocv, [0.0, 2.0, 4.0, K_STOP + 0.1], cell="asymmetric", c_rate=0.05,
                       delithiate=False)
    alloy = [r.alloy_capacity_mAh_g for r in runs]
    assert alloy == pytest.approx([4008.0, 2226.7, 954.3, 0.0], abs=30.0)


def test_full_cell_plates_only_under_constriction(builtin_ocv):
    free, stiff = sweep_k_eff(builtin_ocv, [0.0, 5.0], cell="full", c_rate=0.5, np_ratio=1.5)
    assert free.plated_capacity_mAh_cm2 < 1e-6
    assert free.min_anode_potential_V > 0.05
    # past the stop modulus nearly all of the charge plates, below 0 V
    assert stiff.plated_capacity_mAh_cm2 > 0.95 * stiff.charge_mAh_cm2[stiff.lithiating][-1]
    assert stiff.min_anode_potential_V < 0.0


def test_plating_only_below_zero_volt(ocv):
    r = simulate(ocv, 3.0, cell="full", c_rate=1.0)
    plating = r.lithiating & (r.plating_current_mA_cm2 > 1e-3)
    assert plating.any()
    assert np.all(r.anode_potential_V[plating] < 0.0)


def test_plated_li_is_stripped_before_dealloying(ocv):
    r = simulate(ocv, 3.0, cell="full", c_rate=0.5)
    d = ~r.lithiating
    q_pl, q_al = r.plated_charge_mAh_cm2[d], r.alloy_charge_mAh_cm2[d]
    assert q_pl[0] > 0.5
    gone = np.flatnonzero(q_pl < 0.01 * q_pl[0])[0]
    # the alloy keeps its charge until the plated Li is gone, but for the smoothed wall at
    # the plateau's end (a few smoothing widths of 10 mAh/g)
    assert q_al[0] - q_al[gone] < 4 * 10.0 * r.host_loading_mg_cm2 * 1e-3
    assert q_pl[0] > 10 * (q_al[0] - q_al[gone])
    assert q_al[-1] < 0.2 * q_al[0]  # and is dealloyed afterwards
    assert "Lower voltage cut-off" in r.termination[1]


def test_asymmetric_profile_fig1a_shape(builtin_ocv):
    # Fig. 1a: little capacity above 0 V, thousands of mAh/g below (plating); 0.2 mA/cm2
    r = simulate(builtin_ocv, builtin_ocv.k_stop_GPa + 0.1, cell="asymmetric",
                 current_density_mA_cm2=0.2, delithiate=False)
    assert r.capacity_above_0V_mAh_g < 200.0
    assert r.lithiation_capacity_mAh_g > 5000.0
    assert r.voltage_V[r.lithiating][-1] < 0.0


def test_result_round_trip_and_summary(ocv):
    r = simulate(ocv, 2.0, cell="full", c_rate=1.0, n_points=50)
    back = SimulationResult.from_dict(r.as_dict())
    assert back.summary() == r.summary()
    assert set(r.summary()) >= {"k_eff_GPa", "alloy_capacity_mAh_g", "plated_capacity_mAh_cm2",
                                "min_anode_potential_V"}


def test_sweep_reuses_one_built_model(ocv):
    from sianode.cell.simulate.run import _built

    simulate(ocv, 1.0, n_points=20)
    before = _built.cache_info()
    sweep_k_eff(ocv, [0.5, 2.5], n_points=20, delithiate=False)
    after = _built.cache_info()
    assert after.misses == before.misses
    assert after.hits == before.hits + 2


# ---- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "name"), [
    ({"k_eff_GPa": -1.0}, "k_eff_GPa"),
    ({"c_rate": -0.5}, "c_rate"),
    ({"c_rate": 0.0}, "c_rate"),
    ({"np_ratio": 0.0}, "np_ratio"),
    ({"np_ratio": -1.5}, "np_ratio"),
    ({"current_density_mA_cm2": -0.2}, "current_density_mA_cm2"),
    ({"capacity_limit_mAh_g": 0.0}, "capacity_limit_mAh_g"),
    ({"parameters": {"Temperature [K]": -5.0}}, "Temperature"),
    ({"parameters": {"Charge-transfer coefficient": 1.0}}, "Charge-transfer coefficient"),
])
def test_bad_run_input_names_the_parameter(ocv, kwargs, name):
    args = {"k_eff_GPa": 1.0, **kwargs}
    k = args.pop("k_eff_GPa")
    with pytest.raises(ParameterError, match=name):
        simulate(ocv, k, **args)


def test_unknown_cell_and_parameter_names(ocv):
    with pytest.raises(UnknownNameError, match="cell type"):
        simulate(ocv, 1.0, cell="pouch")
    with pytest.raises(UnknownNameError, match="Temperatur"):
        cell_parameters("full", {"Temperatur [K]": 300.0})
    with pytest.raises(ParameterError, match="np_ratio"):
        simulate(ocv, 1.0, cell="asymmetric", np_ratio=1.0)
    with pytest.raises(ParameterError, match="k_eff_GPa"):
        sweep_k_eff(ocv, [])


def test_low_rate_full_cell_starts_below_the_lower_cut_off(builtin_ocv):
    # a fresh cell sits near 2.42 V, under the 2.5 V discharge cut-off: charging must start.
    # With the catalogue's Li-Si hull (issue 10) the anode sits on the Li7Si3 plateau (0.35 V)
    # at N/P 1.5, so at 0.1C the cathode gives up its practical capacity (5 mAh/cm2) before
    # the 4.1 V cut-off is reached: the charge ends there, not 2 % past it.
    r = simulate(builtin_ocv, 0.0, cell="full", c_rate=0.1, delithiate=False)
    assert r.voltage_V[0] < 2.5
    assert r.lithiation_ended_by == "Cathode fully delithiated"
    assert r.charge_mAh_cm2[-1] == pytest.approx(5.0, rel=1e-9)
    assert r.alloy_capacity_mAh_g == pytest.approx(3000.0 / 1.5, rel=1e-9)
    assert r.voltage_V[-1] < 4.1
    assert r.lithiating.sum() > 350  # the output grid spans this step, not 10x its length


def test_full_cell_reverses_after_the_cathode_empties(builtin_ocv):
    """The xfail of issue 10: the reversal starts exactly where the charge stopped."""
    r = simulate(builtin_ocv, 0.0, cell="full", c_rate=0.1)
    assert r.termination == ("event: Cathode fully delithiated", "event: Lower voltage cut-off")
    assert (r.lithiation_ended_by, r.delithiation_ended_by) == (
        "Cathode fully delithiated", "Lower voltage cut-off")
    end = np.flatnonzero(r.lithiating)[-1]
    for q in (r.charge_mAh_cm2, r.alloy_charge_mAh_cm2, r.plated_charge_mAh_cm2, r.time_s):
        assert q[end + 1] == pytest.approx(q[end], abs=1e-9)
    # the alloy gives its Li back but for the smoothed wall of the empty host (~2 mAh/g)
    assert 0.998 < r.coulombic_efficiency <= 1.0
    assert r.voltage_V[-1] == pytest.approx(2.5, abs=1e-6)
    assert r.charge_balance_error < 1e-9


# ---- the README runs on the built-in Si, checked against hand-derived end points ---------

def _nmc811_ocp_V(y):
    """Chen 2020 NMC811 OCP (numpy), as in PyBaMM's Chen2020 set."""
    return (-0.8090 * y + 4.4875 - 0.0428 * np.tanh(18.5138 * (y - 0.5542))
            - 17.7326 * np.tanh(15.7890 * (y - 0.3117))
            + 17.5842 * np.tanh(15.9308 * (y - 0.3120)))


@pytest.fixture(scope="module")
def readme_full_runs(builtin_ocv):
    """``sianode simulate --host Si --k-eff 0 3 5.5 --c-rate 0.5 --np 1.5``."""
    return sweep_k_eff(builtin_ocv, [0.0, 3.0, 5.5], cell="full", c_rate=0.5, np_ratio=1.5)


@pytest.fixture(scope="module")
def si_plateaus_V():
    """Plateau voltages of the built-in Si at K_eff = 0, 3, 5.5 GPa from the thermo layer."""
    from sianode.materials import load_entries
    from sianode.thermo import LithiationEngine, constrained_profiles

    profiles = constrained_profiles("Si", LithiationEngine(load_entries("builtin")),
                                    k_eff_GPa=[0.0, 3.0, 5.5])
    return {p.k_eff_GPa: [s.voltage_V for s in p.steps if s.voltage_V > 0] for p in profiles}


def _cut_off_charge_mAh_cm2(phi_a_V, cutoff_V=4.1, i_A_m2=25.0):
    """Charge at which U_c(y) + eta_c + I R - phi_a reaches the cut-off, for a 5 mAh/cm2
    cathode over y 0.9084 -> 0.2661 (seed-001 parameter set, 0.5C)."""
    from scipy.optimize import brentq

    par = cell_parameters("full")
    ohmic = i_A_m2 * (par["Separator thickness [m]"] / par["Separator conductivity [S.m-1]"]
                      + par["Cathode resistance [Ohm.m2]"])
    eta_c = _bv_overpotential_V(i_A_m2, par["Counter exchange-current density [A.m-2]"])
    y = brentq(lambda y: _nmc811_ocp_V(y) + eta_c + ohmic - phi_a_V - cutoff_V, 0.2661, 0.9084)
    return (0.9084 - y) / (0.9084 - 0.2661) * 5.0


def test_full_cell_bookkeeping_n_p_and_cathode(readme_full_runs):
    for r in readme_full_runs:
        # seed 001: 25 mg/cm2 NMC83 x 200 mAh/g; Si loading from N/P 1.5 at 3000 mAh/g
        assert r.cathode_capacity_mAh_cm2 == pytest.approx(5.0, rel=1e-12)
        assert r.np_ratio == 1.5
        assert r.host_loading_mg_cm2 == pytest.approx(2.5, rel=1e-12)
        assert r.current_density_mA_cm2 == pytest.approx(2.5, rel=1e-12)  # 0.5C
        q_in = r.charge_mAh_cm2[r.lithiating][-1]
        assert q_in <= 5.0 * (1 + 1e-9)  # never more Li than the cathode holds
        assert r.charge_balance_error < 1e-9  # every electron alloys or plates
        assert r.coulombic_efficiency <= 1.0 + 1e-9
        assert r.summary()["lithiation_ended_by"] == r.lithiation_ended_by


def test_full_cell_zero_modulus_is_cathode_limited(readme_full_runs, si_plateaus_V):
    r = readme_full_runs[0]
    assert r.lithiation_ended_by == "Cathode fully delithiated"
    assert r.alloy_capacity_mAh_g == pytest.approx(2000.0, rel=1e-9)  # 3000 mAh/g / 1.5
    assert r.plated_capacity_mAh_cm2 < 1e-9
    # end of charge: cathode at 100 % SOC, anode on the Li7Si3 plateau (0.352 V) - eta_al
    phi = si_plateaus_V[0.0][0] - _bv_overpotential_V(25.0, 5.0)
    assert si_plateaus_V[0.0][0] == pytest.approx(0.352, abs=5e-4)
    assert r.anode_potential_V[r.lithiating][-1] == pytest.approx(phi, abs=1e-6)
    v_end = _nmc811_ocp_V(0.2661) + _bv_overpotential_V(25.0, 30.0) + 25.0 * 0.0014 - phi
    assert r.voltage_V[r.lithiating][-1] == pytest.approx(v_end, abs=1e-6)
    assert v_end == pytest.approx(4.0733, abs=1e-4)
    assert r.delithiation_ended_by == "Lower voltage cut-off"
    assert r.coulombic_efficiency == pytest.approx(0.9984, abs=5e-4)


def test_full_cell_at_3_gpa_stops_at_the_upper_cut_off(readme_full_runs, si_plateaus_V):
    r = readme_full_runs[1]
    assert r.lithiation_ended_by == "Upper voltage cut-off"
    # at 3 GPa two plateaus are left (0.130, 0.100 V; Si -> LiSi -> Li7Si3); 4.1 V is reached
    # on the second, at phi_a = 0.100 V - eta_al
    assert si_plateaus_V[3.0] == pytest.approx([0.1297, 0.1000], abs=5e-4)
    phi = si_plateaus_V[3.0][1] - _bv_overpotential_V(25.0, 5.0)
    q = _cut_off_charge_mAh_cm2(phi)
    assert r.alloy_capacity_mAh_g == pytest.approx(q / 2.5e-3, rel=1e-6)
    assert r.alloy_capacity_mAh_g == pytest.approx(1490.7, abs=0.1)
    assert r.plated_capacity_mAh_cm2 < 1e-9
    assert r.thermodynamic_capacity_mAh_g == pytest.approx(7 / 3 * 954.3, abs=1.0)


def test_full_cell_past_the_stop_modulus_plates(readme_full_runs, si_plateaus_V, builtin_si):
    r = readme_full_runs[2]
    assert 5.5 > builtin_si.k_stop_GPa == pytest.approx(4.914, abs=1e-3)
    assert si_plateaus_V[5.5] == []
    assert r.thermodynamic_capacity_mAh_g == 0.0
    # ~0 alloying: what is left is the tanh smoothing (10 mAh/g) of the empty host's wall
    assert r.alloy_capacity_mAh_g < 15.0
    # all else plates at phi_a = -eta_pl until 4.1 V
    assert r.anode_potential_V[r.lithiating][-1] == pytest.approx(
        -_bv_overpotential_V(25.0, 10.0), abs=1e-6)
    q = _cut_off_charge_mAh_cm2(-_bv_overpotential_V(25.0, 10.0))
    assert r.charge_mAh_cm2[r.lithiating][-1] == pytest.approx(q, rel=1e-6)
    assert r.plated_capacity_mAh_cm2 == pytest.approx(q - r.alloy_capacity_mAh_g * 2.5e-3,
                                                      rel=1e-6)
    assert r.plated_capacity_mAh_cm2 == pytest.approx(3.269, abs=1e-3)
    assert r.lithiation_ended_by == "Upper voltage cut-off"
    # plated Li comes back first; the cathode is full again when the host is empty
    assert r.delithiation_ended_by == "Cathode fully lithiated"
    assert r.coulombic_efficiency == pytest.approx(1.0, abs=1e-6)


def test_full_cell_capacities_are_monotone_in_k_eff(readme_full_runs):
    alloy = [r.alloy_capacity_mAh_g for r in readme_full_runs]
    plated = [r.plated_capacity_mAh_cm2 for r in readme_full_runs]
    passed = [r.charge_mAh_cm2[r.lithiating][-1] for r in readme_full_runs]
    assert alloy[0] > alloy[1] > alloy[2]
    assert plated[0] <= plated[1] < plated[2]
    assert passed[0] > passed[1] > passed[2]  # the anode potential falls: 4.1 V comes sooner
    mins = [r.min_anode_potential_V for r in readme_full_runs]
    assert mins[0] > mins[1] > 0.0 > mins[2]


def test_asymmetric_cell_readme_run(builtin_ocv):
    """``sianode simulate --cell asymmetric --k-eff 4.2 --current-density 0.2``."""
    r = simulate(builtin_ocv, 4.2, cell="asymmetric", current_density_mA_cm2=0.2)
    # at 4.2 GPa only Si -> LiSi is left (1 Li/Si, 954.3 mAh/g)
    assert r.thermodynamic_capacity_mAh_g == pytest.approx(954.3, abs=0.1)
    assert r.alloy_capacity_mAh_g == pytest.approx(954.3, abs=10.0)
    assert r.capacity_above_0V_mAh_g == pytest.approx(r.alloy_capacity_mAh_g, abs=5.0)
    # the Li/G counter holds 2.5 x 1 mg/cm2 x 3000 mAh/g (seed 001 Methods): it runs out
    assert r.lithiation_ended_by == "Charge limit"
    q_in = r.charge_mAh_cm2[r.lithiating][-1]
    assert q_in == pytest.approx(7.5, rel=1e-9)
    assert r.plated_capacity_mAh_cm2 == pytest.approx(q_in - r.alloy_capacity_mAh_g * 1e-3,
                                                      rel=1e-6)
    assert r.min_anode_potential_V < 0.0
    # delithiation gives back exactly what went in, plated Li first
    assert r.delithiation_ended_by == "Host empty"
    assert r.coulombic_efficiency == pytest.approx(1.0, abs=1e-6)
    assert r.charge_balance_error < 1e-9
    assert r.cathode_capacity_mAh_cm2 is None
    assert r.np_ratio is None


@settings(max_examples=20, deadline=None)
@given(k=st.floats(0.0, 7.0), c_rate=st.floats(0.05, 3.0),
       cell=st.sampled_from(("full", "asymmetric")))
def test_every_step_ends_on_a_limit_and_reverses(ocv, k, c_rate, cell):
    """Any K_eff, rate and cell: both steps end on a named limit (never the solver's final
    time, never an initial-event failure), and no Li is made or lost."""
    r = simulate(ocv, k, cell=cell, c_rate=c_rate, n_points=60)
    assert all(t.startswith("event: ") for t in r.termination)
    assert r.charge_balance_error < 1e-8
    assert 0.0 < r.coulombic_efficiency <= 1.0 + 1e-8
    if cell == "full":
        assert r.charge_mAh_cm2.max() <= r.cathode_capacity_mAh_cm2 * (1 + 1e-9)


def test_faster_charge_plates_more_at_the_same_modulus(builtin_ocv):
    # alloying (j0 5 A/m2) is slower than plating (10 A/m2): rate shifts the split
    slow, fast = (simulate(builtin_ocv, 4.0, cell="full", c_rate=c, delithiate=False)
                  for c in (0.1, 2.0))
    assert fast.alloy_capacity_mAh_g < slow.alloy_capacity_mAh_g
    assert fast.min_anode_potential_V < slow.min_anode_potential_V < 0.0
    share = [r.plated_capacity_mAh_cm2 / r.charge_mAh_cm2[r.lithiating][-1] for r in (slow, fast)]
    assert share[1] > share[0]


def _bv_overpotential_V(i_A_m2: float, j0_A_m2: float, temperature_K: float = 298.15) -> float:
    """Symmetric Butler-Volmer (alpha = 0.5): eta = 2RT/F asinh(i / 2 j0)."""
    from sianode.units import FARADAY_C_MOL, GAS_CONSTANT_J_MOL_K

    return 2 * GAS_CONSTANT_J_MOL_K * temperature_K / FARADAY_C_MOL * np.arcsinh(
        i_A_m2 / (2 * j0_A_m2))


def test_anode_potential_matches_butler_volmer_on_a_plateau(ocv):
    # mid-plateau of LiSi -> Li7Si3 (0.26 V) at K = 0, no plating: phi_a = U - eta_al
    r = simulate(ocv, 0.0, cell="asymmetric", current_density_mA_cm2=0.5, delithiate=False,
                 n_points=2000)
    q = r.alloy_charge_mAh_cm2 / r.host_loading_mg_cm2 * 1e3
    mid = r.lithiating & (np.abs(q - 1590.0) < 30.0)
    expected = 0.26 - _bv_overpotential_V(5.0, 5.0)
    assert r.anode_potential_V[mid] == pytest.approx(expected, abs=2e-5)
    assert np.all(np.abs(r.plating_current_mA_cm2[mid]) < 1e-9)


def test_plating_potential_matches_butler_volmer_past_stop(ocv):
    # past the stop modulus the alloy is full at once: all current plates at 0 V - eta_pl,
    # and the asymmetric cell reads phi_a - eta_counter - I R
    r = simulate(ocv, 6.0, cell="asymmetric", current_density_mA_cm2=1.0, delithiate=False)
    late = r.lithiating & (r.plated_charge_mAh_cm2 > 0.5)
    eta = _bv_overpotential_V(10.0, 10.0)
    assert r.anode_potential_V[late] == pytest.approx(-eta, abs=1e-5)
    par = cell_parameters("asymmetric")
    ohmic = 10.0 * par["Separator thickness [m]"] / par["Separator conductivity [S.m-1]"]
    assert r.voltage_V[late] == pytest.approx(-eta - eta - ohmic, abs=1e-5)
    assert np.isnan(r.coulombic_efficiency)  # no delithiation step


def test_no_loss_mechanism_means_unit_coulombic_efficiency(builtin_ocv):
    # no SEI, no dead Li in the model: CE = 1 up to the smoothed wall of the empty host
    for k in (0.0, 4.0):
        r = simulate(builtin_ocv, k, cell="full", c_rate=0.5)
        assert r.coulombic_efficiency == pytest.approx(1.0, abs=5e-3)


def test_native_solver_needs_no_pybamm(ocv, monkeypatch):
    """Without PyBaMM installed the default solver runs; the PyBaMM backend names the extra."""
    import sys

    from sianode.cell.simulate import run
    from sianode.errors import DependencyError

    run._built.cache_clear()
    monkeypatch.setitem(sys.modules, "pybamm", None)  # import pybamm -> ImportError
    r = simulate(ocv, 2.0, cell="full", c_rate=1.0, n_points=50)
    assert r.lithiation_ended_by == "Upper voltage cut-off"
    with pytest.raises(DependencyError, match=r"sianode\[cell\].*") as err:
        simulate(ocv, 2.0, cell="full", c_rate=1.0, n_points=50, solver="pybamm")
    assert "--solver pybamm" in str(err.value)
    run._built.cache_clear()
