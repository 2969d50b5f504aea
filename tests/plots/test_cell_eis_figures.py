"""Stack breakdown and EIS figures show the computed numbers in the package style."""

import numpy as np
import pytest

from sianode.cell import evaluate_stack, load_stack
from sianode.plots.cell import plot_stack_breakdown


def test_stack_breakdown_numbers(tmp_path):
    from pathlib import Path

    stack = Path(__file__).resolve().parents[2] / "examples" / "stacks" / "ye2024_pouch.toml"
    report = evaluate_stack(load_stack(stack))
    ax = plot_stack_breakdown(report)
    counted = [r for r in report.layers if r.counted]
    assert [p.get_width() for p in ax.patches] == pytest.approx(
        [r.areal_mass_mg_cm2 for r in counted])
    assert [t.get_text() for t in ax.texts] == [f" {r.areal_mass_mg_cm2:.2f}" for r in counted]
    assert ax.get_xlabel() == "areal mass [mg cm$^{-2}$]"
    assert f"{report.specific_energy_Wh_kg:.0f} Wh kg$^{{-1}}$" in ax.get_title()
    assert ax.figure.get_size_inches()[0] == pytest.approx(7.0)


def test_eis_summary_figure():
    from sianode.experiments.eis import EISFit
    from sianode.experiments.io.impedance_files import ImpedanceSpectrum
    from sianode.plots.eis import plot_eis_summary

    f = np.logspace(5, -1, 31)
    fit = EISFit("R0-p(R1,CPE1)").set_parameters({"R0": 10, "R1": 5, "CPE1_Q": 2e-6,
                                                  "CPE1_alpha": 0.9})
    fig = plot_eis_summary(ImpedanceSpectrum.from_complex(f, fit.predict(f)), fit)
    nyq, mag, phase = fig.axes
    assert nyq.get_xlabel() == "Z' [Ω]"
    assert mag.get_ylabel() == "|Z| [Ω]"
    assert phase.get_xlabel() == "frequency [Hz]"
    # a narrow |Z| range gets plain tick labels, not 1.25 x 10^1 minor labels
    labels = [t.get_text() for t in mag.get_yticklabels()]
    assert labels
    assert not any("times" in t for t in labels)
    assert fig.get_size_inches()[0] == pytest.approx(7.0)
