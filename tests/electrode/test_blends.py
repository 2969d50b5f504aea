"""Si + Li21Si5 blends (seed 002): equilibrated composition and areal capacities."""

import math

import pytest

from sianode.electrode import si_blend, si_blend_from_powders
from sianode.electrode.blends import BlendResult
from sianode.errors import ParameterError, UnknownNameError

MOULD_10MM_CM2 = math.pi * 0.5**2  # 10 mm diameter ASSB mould (assumed; seed 002 Methods)


@pytest.mark.parametrize(
    ("layers", "paper"),
    [
        ([(5, 0.75)], 4.67),  # Fig. 2a2: 5 mg, 75 wt% Li21Si5
        ([(5, 0.5), (5, 1.0)], 9.37),  # Fig. 2a4: 5 mg 50 wt% + 5 mg Li21Si5
        ([(10, 0.5), (10, 1.0)], 18.75),  # Fig. 2a5: 10 mg + 10 mg
    ],
)
def test_seed002_theoretical_maximum_areal_capacity(layers, paper):
    # uptake to Li15Si4 after self-discharge equilibration, over the 10 mm mould
    r = si_blend_from_powders(layers, MOULD_10MM_CM2)
    assert r.uptake_areal_capacity_mAh_cm2 == pytest.approx(paper, rel=5e-3)


def test_seed002_equilibrated_composition_and_prelithiation():
    r = si_blend(5.0, 15.0, MOULD_10MM_CM2)
    # 15 mg Li21Si5 = 0.05242 mmol fu -> 1.1008 mmol Li, 0.2621 mmol Si; + 0.1780 mmol Si
    assert r.li_mmol == pytest.approx(1.1008, abs=2e-4)
    assert r.si_mmol == pytest.approx(0.44012, abs=2e-5)
    assert r.li_per_si == pytest.approx(2.501, abs=1e-3)
    assert r.prelithiation_degree == pytest.approx(2.501 / 3.75, abs=1e-3)
    assert r.pristine_si_atom_fraction == pytest.approx(0.1780 / 0.44012, abs=1e-3)
    # stored + uptake = reversible (between Si and Li15Si4)
    assert r.stored_capacity_mAh + r.uptake_capacity_mAh == pytest.approx(
        r.reversible_capacity_mAh)


def test_pure_si_and_pure_phase_limits():
    si = si_blend(1.0, 0.0, 1.0)
    assert si.li_per_si == 0.0
    assert si.uptake_areal_capacity_mAh_cm2 == pytest.approx(3.579, abs=1e-3)
    li21 = si_blend(0.0, 1.0, 1.0)
    assert li21.li_per_si == pytest.approx(4.2)
    assert li21.uptake_capacity_mAh == 0.0  # already beyond Li15Si4


def test_blend_roundtrip():
    r = si_blend(2.0, 3.0, 1.0)
    assert BlendResult.from_dict(r.as_dict()) == r


def test_bad_blend_inputs():
    with pytest.raises(ParameterError, match="si_mass_mg"):
        si_blend(-1.0, 1.0, 1.0)
    with pytest.raises(ParameterError, match="area_cm2"):
        si_blend(1.0, 1.0, 0.0)
    with pytest.raises(ParameterError, match=r"si_mass_mg \+ phase_mass_mg"):
        si_blend(0.0, 0.0, 1.0)
    with pytest.raises(ParameterError, match=r"layers\[1\].phase_fraction"):
        si_blend_from_powders([(5, 0.5), (5, 1.5)], 1.0)
    with pytest.raises(ParameterError, match=r"layers\[0\].mass_mg"):
        si_blend_from_powders([(-5, 0.5)], 1.0)
    with pytest.raises(UnknownNameError, match="Li21Si5"):
        si_blend(1.0, 1.0, 1.0, phase="Li21Si")
