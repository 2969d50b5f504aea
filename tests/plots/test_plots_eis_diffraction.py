"""Nyquist/Bode and Williamson-Hall plots take data and ax=None and return the axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sianode.experiments.diffraction import fit_pseudo_voigt, pseudo_voigt, williamson_hall
from sianode.experiments.eis import EISFit
from sianode.experiments.io.impedance_files import ImpedanceSpectrum
from sianode.plots.diffraction import plot_peak_fit, plot_williamson_hall
from sianode.plots.eis import plot_bode, plot_nyquist


def test_nyquist_and_bode():
    f = np.logspace(5, -1, 31)
    fit = EISFit("R0-p(R1,CPE1)-p(R2,CPE2)").set_parameters(
        {"R0": 10, "R1": 5, "CPE1_Q": 2e-6, "CPE1_alpha": 0.9, "R2": 13, "CPE2_Q": 5e-4,
         "CPE2_alpha": 0.8})
    s = ImpedanceSpectrum.from_complex(f, fit.predict(f))
    ax = plot_nyquist(s, fit)
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(y, -s.z_imag_ohm)  # -Z'' upwards
    assert ax.get_xlabel() == "Z' [Ω]"
    assert {t.get_text() for t in ax.texts} == {"sei", "charge transfer"}
    ax_m, ax_p = plot_bode(s, fit)
    np.testing.assert_allclose(ax_m.lines[0].get_data()[1], np.abs(s.z_ohm))
    _, given = plt.subplots()
    assert plot_nyquist(s, ax=given) is given
    plt.close("all")


def test_peak_and_williamson_hall_plots():
    x = np.arange(27, 30, 0.01)
    y = pseudo_voigt(x, 28.44, 0.3, 100, 0.5) + 5
    pk = fit_pseudo_voigt(x, y)
    ax = plot_peak_fit(x, y, pk)
    assert "FWHM 0.300" in ax.get_legend().get_texts()[1].get_text()
    tt, fw = [28.44, 47.3, 56.1], [0.3, 0.35, 0.4]
    wh = williamson_hall(tt, fw, instrument_fwhm_deg=0.07)
    ax = plot_williamson_hall(tt, fw, wh, instrument_fwhm_deg=0.07)
    np.testing.assert_allclose(ax.lines[0].get_data()[1], np.array(fw) - 0.07)
    assert ax.lines[1].get_data()[1] == pytest.approx(ax.lines[2].get_data()[1]
                                                       + ax.lines[3].get_data()[1])
    plt.close("all")
