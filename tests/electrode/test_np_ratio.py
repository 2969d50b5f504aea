"""N/P ratios the seeds state, from their own loadings and practical capacities."""

import pytest

from sianode.electrode import (
    anode_loading_for_np_mg_cm2,
    areal_capacity_mAh_cm2,
    cathode_loading_for_np_mg_cm2,
    np_ratio,
    np_ratio_from_loadings,
)
from sianode.errors import ParameterError


def test_seed001_pouch_np_is_1p5():
    # Ext. Data Table 1: Si 1.5 mg/cm2, NMC83 15 mg/cm2; Methods: Si 3000, NMC83 200 mAh/g
    assert np_ratio_from_loadings(1.5, 3000, 15, 200) == pytest.approx(1.5)
    assert areal_capacity_mAh_cm2(15, 200) == pytest.approx(3.0)


def test_seed003_np_1p1_sizes_the_3p8_mg_si_electrode():
    # Fig. 5c: cathode sized to 12 mAh/cm2; N/P 1.1 with Si 3500 mAh/g -> ~3.8 mg/cm2 Si
    load = anode_loading_for_np_mg_cm2(1.1, 12.0, 3500)
    assert load == pytest.approx(3.771, abs=1e-3)
    assert round(load, 1) == 3.8
    # and 12 mAh/cm2 NCM811 at 200 mAh/g is 60 mg/cm2 of NCM811
    assert cathode_loading_for_np_mg_cm2(1.1, 1.1 * 12.0, 200) == pytest.approx(60.0)


@pytest.mark.parametrize(("cathode", "paper"), [(1.7, 11), (5.4, 3.5), (7.8, 2.4)])
def test_seed002_np_against_18p75(cathode, paper):
    # Fig. 5c text: cathodes of 12, 36, 54 mg/cm2 with 1.7, 5.4, 7.8 mAh/cm2 -> N/P 11, 3.5, 2.4
    assert np_ratio(18.75, cathode) == pytest.approx(paper, abs=0.05)


@pytest.mark.parametrize(("anode", "paper"), [(18.75, 6.7), (9.37, 3.3), (4.67, 1.6)])
def test_seed002_np_67_33_16_at_2p8(anode, paper):
    # Fig. 5e: same 2.8 mAh/cm2 cathode, anodes of Fig. 2a5/a4/a2; paper truncates to 1 decimal
    assert np_ratio(anode, 2.8) == pytest.approx(paper, abs=0.08)


def test_active_fraction_and_roundtrip():
    assert areal_capacity_mAh_cm2(10, 200, active_fraction=0.7) == pytest.approx(1.4)
    load = anode_loading_for_np_mg_cm2(1.3, 3.0, 3000, anode_active_fraction=0.5)
    assert np_ratio_from_loadings(load, 3000, 15, 200, anode_active_fraction=0.5) == (
        pytest.approx(1.3))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: areal_capacity_mAh_cm2(0, 200), "loading_mg_cm2"),
        (lambda: areal_capacity_mAh_cm2(-1, 200), "loading_mg_cm2"),
        (lambda: areal_capacity_mAh_cm2(1, 200, active_fraction=1.2), "active_fraction"),
        (lambda: areal_capacity_mAh_cm2(1, 200, active_fraction=0.0), "active_fraction"),
        (lambda: np_ratio(1.0, 0.0), "cathode_mAh_cm2"),
        (lambda: anode_loading_for_np_mg_cm2(-1, 3, 3000), "target_np"),
        (lambda: cathode_loading_for_np_mg_cm2(1, 3, 0), "cathode_capacity_mAh_g"),
    ],
)
def test_bad_np_inputs(call, field):
    with pytest.raises(ParameterError, match=field):
        call()
