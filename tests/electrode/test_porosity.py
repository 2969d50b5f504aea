"""Porosity = 1 - sum(m_i/rho_i)/(A t): seed 004 Table S1 and seed 003 from their inputs."""

import pytest

from sianode.electrode import (
    Component,
    dense_thickness_um,
    porosity,
    porosity_from_loading,
    thickness_for_porosity_um,
)
from sianode.errors import ParameterError


def test_seed004_table_s1_sinps_cnts_58p5_percent():
    # Table S1: carbon 0.000015 g at 2.1 g/cc, Si 0.000135 g at 2.33 g/cc, 0.0002 cm, 0.785 cm2
    comps = [Component("carbon", 0.015, 2.1), Component("Si", 0.135, 2.33)]
    phi = porosity(comps, 0.785, 2.0)
    assert 100 * phi == pytest.approx(58.546, abs=1e-3)  # table: 58.54600554 %


def test_seed004_table_s1_lisi_c_11p0_percent():
    # Table S1, LiSi-C column: LiSi 0.000260114 g at 1.22 g/cc, carbon volume 1.37626e-5 cc
    # as the table lists it, thickness 3.25 um over 0.785 cm2 -> 11.03553405 %
    comps = [Component("carbon", volume_cm3=1.37626e-5), Component("LiSi", 0.260114, 1.22)]
    assert 100 * porosity(comps, 0.785, 3.25) == pytest.approx(11.0355, abs=1e-3)


def test_seed004_table_s1_carbon_volume_was_scaled_by_lithiation():
    # The table's LiSi-C carbon volume is the pristine one (7.14286e-6 cc) times the
    # Li3.75Si/Si mass ratio 1.9268; with the unscaled carbon the porosity is 13.6 %.
    scaled_carbon_cm3 = 7.14286e-6 * 0.260114 / 0.135
    assert scaled_carbon_cm3 == pytest.approx(1.37626e-5, rel=1e-5)
    comps = [Component("carbon", 0.015, 2.1), Component("LiSi", 0.260114, 1.22)]
    assert 100 * porosity(comps, 0.785, 3.25) == pytest.approx(13.63, abs=0.01)


def test_seed003_pristine_usi_is_about_40_percent():
    # 3.8 mg/cm2, 99.9 wt% Si (2.33 g/cm3) + 0.1 wt% PVDF (1.78 g/cm3), 27 um -> "about 40 %"
    phi = porosity_from_loading(3.8, [0.999, 0.001], [2.33, 1.78], 27.0)
    assert phi == pytest.approx(0.396, abs=1e-3)
    assert round(phi, 1) == 0.4


def test_thickness_inverse_and_dense_thickness():
    comps = [Component("Si", 0.135, 2.33), Component("C", 0.015, 2.1)]
    t = thickness_for_porosity_um(comps, 0.785, 0.58546)
    assert t == pytest.approx(2.0, rel=1e-4)
    assert dense_thickness_um(comps, 0.785) == pytest.approx(2.0 * (1 - 0.58546), rel=1e-4)


def test_component_roundtrip():
    c = Component("Si", 0.1, 2.33)
    assert Component.from_dict(c.as_dict()) == c


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Component("Si", 0.0, 2.33), "Si.mass_mg"),
        (lambda: Component("Si", -1.0, 2.33), "Si.mass_mg"),
        (lambda: Component("Si", 1.0, 0.0), "Si.density_g_cm3"),
        (lambda: Component("Si", 1.0, -2.0), "Si.density_g_cm3"),
        (lambda: Component("Si", 1.0), "Si"),
        (lambda: Component("C", volume_cm3=0.0), "C.volume_cm3"),
        (lambda: porosity([Component("Si", 1, 2.33)], 0.0, 10), "area_cm2"),
        (lambda: porosity([Component("Si", 1, 2.33)], 1.0, 0.0), "thickness_um"),
        (lambda: porosity([Component("Si", 1, 2.33)], 1.0, -3.0), "thickness_um"),
        (lambda: porosity([], 1.0, 1.0), "components"),
        (lambda: thickness_for_porosity_um([Component("Si", 1, 2.33)], 1.0, 1.0), "porosity"),
    ],
)
def test_bad_porosity_inputs(make, field):
    with pytest.raises(ParameterError, match=field):
        make()


def test_negative_porosity_names_the_minimum_thickness():
    # 1 mg Si on 1 cm2 is 4.29 um dense: a 3 um electrode is impossible
    with pytest.raises(ParameterError, match=r"thickness_um.*>= 4.292 µm") as exc:
        porosity([Component("Si", 1.0, 2.33)], 1.0, 3.0)
    assert "inconsistent" in str(exc.value)


@pytest.mark.parametrize(
    ("fractions", "densities", "field"),
    [
        ([0.5, 0.6], [2.33, 2.1], "mass_fractions"),  # sum 1.1
        ([1.2, -0.2], [2.33, 2.1], r"mass_fractions\[0\]"),  # outside [0, 1]
        ([0.5, 0.5], [2.33], "densities_g_cm3"),  # lengths differ
        ([0.5, 0.5], [2.33, 0.0], "density_g_cm3"),
    ],
)
def test_bad_fractions(fractions, densities, field):
    with pytest.raises(ParameterError, match=field):
        porosity_from_loading(1.0, fractions, densities, 10.0)
