"""Prelithiation budgets (seed 004): Li foil for Si -> Li3.75Si, or cathode capacity spent."""

import pytest

from sianode.electrode import PrelithiationBudget, prelithiation_budget
from sianode.errors import ParameterError, UnknownNameError

SI_CNT_SI_LOADING = 0.9 * 0.21  # seed 004 Methods: 0.21 mg/cm2 SiNPs:CNT = 90:10


def test_seed004_30um_foil_covers_the_si_cnt_layer_nine_times():
    b = prelithiation_budget(SI_CNT_SI_LOADING, "Li15Si4", foil_thickness_um=30.0)
    # 0.189 mg/cm2 Si = 6.730e-3 mmol/cm2 -> 3.75x Li = 0.1751 mg/cm2 Li = 3.28 um at 0.534 g/cm3
    assert b.li_areal_mass_mg_cm2 == pytest.approx(0.1751, abs=2e-4)
    assert b.li_foil_thickness_um == pytest.approx(3.28, abs=0.01)
    assert b.excess_li_um == pytest.approx(26.72, abs=0.01)
    assert b.foil_to_needed_ratio == pytest.approx(9.15, abs=0.01)


def test_seed004_si_lithiation_capacity_0p68():
    # Fig. 3c text: "the capacity portion coming from the Si (0.68 mAh cm-2)"
    b = prelithiation_budget(SI_CNT_SI_LOADING, "Li15Si4")
    assert b.capacity_mAh_cm2 == pytest.approx(0.68, abs=0.005)
    assert b.foil_thickness_um is None


def test_numeric_target_and_initial_state():
    full = prelithiation_budget(1.0, 3.75)
    half = prelithiation_budget(1.0, 3.75, initial_li_per_si=1.875)
    assert half.capacity_mAh_cm2 == pytest.approx(full.capacity_mAh_cm2 / 2)
    assert full.capacity_mAh_cm2 == pytest.approx(3.579, abs=1e-3)


def test_budget_roundtrip():
    b = prelithiation_budget(0.5, "Li21Si5", foil_thickness_um=20)
    assert PrelithiationBudget.from_dict(b.as_dict()) == b


@pytest.mark.parametrize(
    ("kwargs", "err", "field"),
    [
        ({"si_loading_mg_cm2": 0.0}, ParameterError, "si_loading_mg_cm2"),
        ({"si_loading_mg_cm2": -1.0}, ParameterError, "si_loading_mg_cm2"),
        ({"si_loading_mg_cm2": 1.0, "foil_thickness_um": 0.0}, ParameterError, "foil_thickness_um"),
        ({"si_loading_mg_cm2": 1.0, "li_density_g_cm3": -0.5}, ParameterError, "li_density_g_cm3"),
        ({"si_loading_mg_cm2": 1.0, "target": -1.0}, ParameterError, "target"),
        ({"si_loading_mg_cm2": 1.0, "target": 1.0, "initial_li_per_si": 2.0}, ParameterError,
         "target"),
        ({"si_loading_mg_cm2": 1.0, "target": "Li15Si5"}, UnknownNameError, "Li15Si4"),
    ],
)
def test_bad_prelithiation_inputs(kwargs, err, field):
    with pytest.raises(err, match=field):
        prelithiation_budget(**kwargs)
