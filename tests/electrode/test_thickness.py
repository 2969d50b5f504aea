"""Thickness/porosity through lithiation (seed 003) and expansion rates (seed 002)."""

import pytest

from sianode.electrode import (
    expansion_rate,
    li_per_si_at_thickness,
    porosity_at_thickness,
    si_dense_thickness_um,
    thickness_at_porosity_um,
    thickness_through_lithiation,
)
from sianode.electrode.thickness import ThicknessState
from sianode.errors import ParameterError, UnknownNameError

SI_LOADING = 3.8 * 0.999  # seed 003: ~3.8 mg/cm2 electrodes of 99.9 wt% Si


@pytest.mark.parametrize(
    ("before", "after", "paper_percent"),
    [
        (22.1, 37.4, 69.2),  # N/P 1.6 electrode (Fig. 2a2 thickness)
        (50.2, 64.9, 29.3),  # N/P 3.3 (Fig. 2a4)
        (105.0, 121.4, 15.6),  # N/P 6.7 (Fig. 2a5)
        (105.0, 120.3, 14.5),  # Fig. 6 post-mortem, "14.5 %"
    ],
)
def test_seed002_expansion_rates(before, after, paper_percent):
    # Supplementary Fig. 16 text and Fig. 6; the paper truncates 14.57 -> 14.5
    assert 100 * expansion_rate(before, after) == pytest.approx(paper_percent, abs=0.08)


def test_seed003_pristine_porosity_40_percent():
    phi = porosity_at_thickness(SI_LOADING, 0.0, 27.0)
    assert phi == pytest.approx(0.396, abs=1e-3)


def test_seed003_lithiated_55um_means_porosity_below_10_percent():
    # Li3.35Si: pore-free 57.2 um; 10 % porosity would need 63.6 um > ~55 um measured
    dense = si_dense_thickness_um(SI_LOADING, 3.35)
    assert dense == pytest.approx(57.18, abs=0.05)
    assert thickness_at_porosity_um(SI_LOADING, 3.35, 0.10) == pytest.approx(63.53, abs=0.05)
    assert thickness_at_porosity_um(SI_LOADING, 3.35, 0.10) > 55.0
    assert dense == pytest.approx(55.0, rel=0.05)  # the dense electrode is the ~55 um one


def test_seed003_pore_filling_path_predicts_57um():
    states = thickness_through_lithiation(SI_LOADING, 27.0, [0.0, 1.0, 3.35])
    assert states[0].thickness_um == pytest.approx(27.0)
    assert states[0].porosity == pytest.approx(0.396, abs=1e-3)
    # x = 1: solids 16.3 * 1.748 = 28.5 um > 27 um: already dense, thickness grows
    assert states[1].porosity == 0.0
    assert states[2].thickness_um == pytest.approx(57.18, abs=0.05)
    assert states[2].expansion_rate == pytest.approx(57.18 / 27 - 1, abs=2e-3)


def test_constant_porosity_path_and_areal_strain():
    s = thickness_through_lithiation(SI_LOADING, 27.0, [3.35], mode="constant-porosity")[0]
    assert s.porosity == pytest.approx(0.396, abs=1e-3)
    assert s.thickness_um == pytest.approx(57.18 / (1 - 0.3963), abs=0.1)
    relaxed = si_dense_thickness_um(SI_LOADING, 3.35, areal_strain=0.1)
    assert relaxed == pytest.approx(57.18 / 1.1, abs=0.05)


def test_seed003_delithiated_40um_30_percent_implies_residual_li():
    # ~40 um and ~30 % porosity after delithiation: Li0.96Si stays in the anode
    x = li_per_si_at_thickness(SI_LOADING, 40.0, 0.30)
    assert x == pytest.approx(0.96, abs=0.01)
    assert porosity_at_thickness(SI_LOADING, x, 40.0) == pytest.approx(0.30, abs=1e-6)


def test_named_phase_volume_option():
    from sianode.electrode import get_phase

    v = get_phase("Li15Si4").volume_per_host_A3
    assert si_dense_thickness_um(1.0, 3.75, volume_per_si_A3=v) == pytest.approx(
        si_dense_thickness_um(1.0, 3.75), rel=1e-9)


def test_state_roundtrip():
    s = thickness_through_lithiation(SI_LOADING, 27.0, [2.0])[0]
    assert ThicknessState.from_dict(s.as_dict()) == s


def test_negative_porosity_raises_naming_thickness():
    with pytest.raises(ParameterError, match=r"thickness_um.*57.18 µm"):
        porosity_at_thickness(SI_LOADING, 3.35, 50.0)
    with pytest.raises(ParameterError, match="thickness_um"):
        thickness_through_lithiation(SI_LOADING, 10.0, [1.0])  # 10 um < 16.3 um of Si
    with pytest.raises(ParameterError, match="pristine Si"):
        li_per_si_at_thickness(SI_LOADING, 10.0, 0.0)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: expansion_rate(0.0, 10.0), "thickness_before_um"),
        (lambda: expansion_rate(10.0, -1.0), "thickness_after_um"),
        (lambda: si_dense_thickness_um(0.0, 1.0), "si_loading_mg_cm2"),
        (lambda: si_dense_thickness_um(1.0, -1.0), "li_per_si"),
        (lambda: si_dense_thickness_um(1.0, 1.0, volume_per_si_A3=0.0), "volume_per_si_A3"),
        (lambda: si_dense_thickness_um(1.0, 1.0, areal_strain=-0.9), "areal_strain"),
        (lambda: thickness_at_porosity_um(1.0, 1.0, 1.0), "porosity"),
        (lambda: thickness_at_porosity_um(1.0, 1.0, -0.1), "porosity"),
    ],
)
def test_bad_thickness_inputs(call, field):
    with pytest.raises(ParameterError, match=field):
        call()


def test_unknown_mode():
    with pytest.raises(UnknownNameError, match="pore-filling"):
        thickness_through_lithiation(SI_LOADING, 27.0, [1.0], mode="pore-filing")
