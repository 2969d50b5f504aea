"""Titration-GC bookkeeping (seed 003 Fig. 3b)."""

import pytest

from sianode.errors import ParameterError
from sianode.experiments.titration import (
    TitrationResult,
    h2_umol_to_li_mAh,
    titration_sei_bookkeeping,
)
from sianode.units import MAH_PER_MOL_ELECTRONS


def test_h2_to_li_is_two_electrons_per_h2():
    assert h2_umol_to_li_mAh(10.0) == pytest.approx(2 * 10e-6 * MAH_PER_MOL_ELECTRONS)
    assert h2_umol_to_li_mAh(1.0) == pytest.approx(0.053603, rel=1e-4)


def test_bookkeeping_by_hand():
    # 1 cycle: 5.00 mAh in, 4.20 out -> 0.80 lost; 0.215 mAh Li titrated -> SEI 0.585
    r = titration_sei_bookkeeping([5.00], [4.20], active_li_mAh=0.215)
    assert r.cumulative_loss_mAh == pytest.approx(0.80)
    assert r.sei_mAh == pytest.approx(0.585)
    assert r.sei_share == pytest.approx(0.117)  # the 11.7 % form of seed 003
    assert r.loss_share == pytest.approx(0.16)
    assert TitrationResult.from_dict(r.as_dict()) == r


def test_two_cycles_with_h2_and_reference():
    # second cycle adds 0.07 mAh loss; H2 equal to 0.235 mAh of Li -> SEI 0.635 of 5.12
    h2 = 0.235 / h2_umol_to_li_mAh(1.0)
    r = titration_sei_bookkeeping([5.00, 4.25], [4.20, 4.18], h2_umol=h2,
                                  reference_capacity_mAh=5.12)
    assert r.cycles == 2
    assert r.cumulative_loss_mAh == pytest.approx(0.87)
    assert r.active_li_mAh == pytest.approx(0.235)
    assert r.sei_share == pytest.approx(0.635 / 5.12)
    assert r.cumulative_lithiation_mAh == pytest.approx(9.25)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"lithiation_mAh": [5.0], "delithiation_mAh": [4.0, 3.9], "active_li_mAh": 0.1},
     "delithiation_mAh"),
    ({"lithiation_mAh": [], "delithiation_mAh": [], "active_li_mAh": 0.1}, "delithiation_mAh"),
    ({"lithiation_mAh": [5.0], "delithiation_mAh": [4.0]}, "exactly one"),
    ({"lithiation_mAh": [5.0], "delithiation_mAh": [4.0], "h2_umol": 1.0,
      "active_li_mAh": 0.1}, "exactly one"),
    ({"lithiation_mAh": [5.0], "delithiation_mAh": [4.0], "active_li_mAh": 2.0},
     "more Li titrated"),
    ({"lithiation_mAh": [5.0], "delithiation_mAh": [-4.0], "active_li_mAh": 0.1},
     "delithiation_mAh"),
    ({"lithiation_mAh": [5.0], "delithiation_mAh": [4.0], "active_li_mAh": 0.1,
      "reference_capacity_mAh": 0.0}, "reference_capacity_mAh"),
])
def test_bad_inputs(kwargs, match):
    lith = kwargs.pop("lithiation_mAh")
    deli = kwargs.pop("delithiation_mAh")
    with pytest.raises(ParameterError, match=match):
        titration_sei_bookkeeping(lith, deli, **kwargs)
