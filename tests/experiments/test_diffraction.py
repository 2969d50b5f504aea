"""Pseudo-Voigt FWHM fits, Scherrer and Williamson-Hall on synthetic Si patterns."""

import numpy as np
import pytest

from sianode.errors import InputError, ParameterError, UnknownNameError
from sianode.experiments.diffraction import (
    PeakFit,
    WilliamsonHallResult,
    fit_pseudo_voigt,
    pseudo_voigt,
    sample_fwhm_deg,
    scherrer_size_nm,
    si_reflections_two_theta_deg,
    williamson_hall,
)
from sianode.units import CU_KALPHA1_WAVELENGTH_A

INSTRUMENT_DEG = 0.07  # pristine, pressed Si on a benchtop diffractometer


def synthetic_pattern(size_nm, strain, rng, eta=0.4):
    """Si reflections broadened by size (1/cos) + strain (tan) + instrument, linearly."""
    peaks = []
    for tt in si_reflections_two_theta_deg().values():
        th = np.deg2rad(tt) / 2
        beta = 0.9 * CU_KALPHA1_WAVELENGTH_A * 0.1 / (size_nm * np.cos(th)) + 4 * strain * np.tan(th)
        obs = np.rad2deg(beta) + INSTRUMENT_DEG
        x = np.arange(tt - 3, tt + 3, 0.01)
        y = pseudo_voigt(x, tt, obs, 1000.0, eta) + 50 + 0.02 * x + rng.normal(0, 2, x.size)
        peaks.append((x, y, tt, obs))
    return peaks


def test_si_reflections_cu_kalpha():
    r = si_reflections_two_theta_deg()
    assert r["111"] == pytest.approx(28.44, abs=0.01)
    assert r["220"] == pytest.approx(47.30, abs=0.01)
    assert r["311"] == pytest.approx(56.12, abs=0.01)


def test_pseudo_voigt_has_stated_fwhm_and_area():
    x = np.linspace(-20, 20, 400001)
    for eta in (0.0, 0.5, 1.0):
        y = pseudo_voigt(x, 0.0, 0.3, 2.0, eta)
        above = x[y >= y.max() / 2]
        assert above[-1] - above[0] == pytest.approx(0.3, abs=1e-4)
        assert np.trapezoid(y, x) == pytest.approx(2.0, rel=5e-3)


def test_peak_fit_recovers_fwhm():
    rng = np.random.default_rng(1)
    x, y, tt, obs = synthetic_pattern(40.0, 2e-3, rng)[0]
    p = fit_pseudo_voigt(x, y)
    assert p.center_deg == pytest.approx(tt, abs=3 * p.center_err_deg + 1e-4)
    assert p.fwhm_deg == pytest.approx(obs, abs=4 * p.fwhm_err_deg)
    assert p.eta == pytest.approx(0.4, abs=0.05)
    assert PeakFit.from_dict(p.as_dict()) == p
    assert fit_pseudo_voigt(x, y, window_deg=(tt - 1.5, tt + 1.5)).fwhm_deg == pytest.approx(
        obs, rel=0.01)


@pytest.mark.parametrize(("size_nm", "strain"), [(40.0, 2e-3), (120.0, 1e-3), (25.0, 5e-4)])
@pytest.mark.parametrize("form", ["broadening", "classic"])
def test_williamson_hall_separates_size_and_strain(size_nm, strain, form):
    rng = np.random.default_rng(2)
    fits = [fit_pseudo_voigt(x, y) for x, y, _, _ in synthetic_pattern(size_nm, strain, rng)]
    wh = williamson_hall([f.center_deg for f in fits], [f.fwhm_deg for f in fits],
                         instrument_fwhm_deg=INSTRUMENT_DEG, form=form)
    assert wh.n_peaks == 6
    assert wh.size_nm == pytest.approx(size_nm, rel=0.05)
    assert wh.strain == pytest.approx(strain, rel=0.05)
    assert abs(wh.size_nm - size_nm) < 4 * wh.size_err_nm + 0.01 * size_nm
    assert WilliamsonHallResult.from_dict(wh.as_dict()) == wh


def test_strain_only_gives_infinite_size_and_scherrer_matches_formula():
    tt = np.array(list(si_reflections_two_theta_deg().values()))
    th = np.deg2rad(tt) / 2
    fwhm = np.rad2deg(4 * 1.5e-3 * np.tan(th)) + INSTRUMENT_DEG
    wh = williamson_hall(tt, fwhm, instrument_fwhm_deg=INSTRUMENT_DEG)
    assert wh.strain == pytest.approx(1.5e-3, rel=1e-6)
    assert wh.size_nm > 1e5 or wh.size_nm == np.inf
    # seed 001 Fig. 3d: liquid electrolyte, dFWHM 0.25 deg after 10 min, 0.45 deg after 20 h;
    # read as pure size broadening of Si(111): D = K lambda / (beta cos theta)
    d10 = scherrer_size_nm(28.44, 0.25)
    assert d10 == pytest.approx(0.9 * 0.15405929 / (np.deg2rad(0.25) * np.cos(np.deg2rad(14.22))))
    assert d10 == pytest.approx(32.8, abs=0.1)
    assert scherrer_size_nm(28.44, 0.45) == pytest.approx(18.2, abs=0.1)
    # instrument subtraction, linear (seed 001's dFWHM) and quadratic
    assert sample_fwhm_deg(0.32, 0.07) == pytest.approx(0.25)
    assert sample_fwhm_deg(0.5, 0.3, "quadratic") == pytest.approx(0.4)
    assert scherrer_size_nm(28.44, 0.32, instrument_fwhm_deg=0.07) == pytest.approx(d10)


def test_diffraction_errors():
    with pytest.raises(InputError, match="peak 1: instrument FWHM 0.3"):
        sample_fwhm_deg([0.5, 0.2], 0.3)
    with pytest.raises(ParameterError, match="fwhm_deg"):
        sample_fwhm_deg(-0.1)
    with pytest.raises(UnknownNameError, match="quadratic"):
        sample_fwhm_deg(0.2, 0.1, "quadratc")
    with pytest.raises(ParameterError, match="two_theta_deg"):
        scherrer_size_nm(190.0, 0.2)
    with pytest.raises(InputError, match="two distinct"):
        williamson_hall([28.4, 28.4], [0.2, 0.2])
    with pytest.raises(InputError, match="3 peak positions but 2"):
        williamson_hall([28.4, 47.3, 56.1], [0.2, 0.3])
    with pytest.raises(InputError, match=">= 7 points"):
        fit_pseudo_voigt(np.arange(5.0), np.ones(5))
    with pytest.raises(InputError, match="no peak"):
        fit_pseudo_voigt(np.arange(20.0), np.ones(20))
    with pytest.raises(InputError, match="increase"):
        fit_pseudo_voigt(np.arange(20.0)[::-1], np.ones(20))
