"""Nyquist and Bode plots of impedance spectra and their equivalent-circuit fits."""

from __future__ import annotations

from typing import Any

import numpy as np

from sianode.experiments.io.impedance_files import ImpedanceSpectrum
from sianode.plots.style import new_axes, new_figure, styled

__all__ = ["plot_nyquist", "plot_bode", "plot_eis_summary"]


def _fit_curve(fit: Any, spectrum: ImpedanceSpectrum) -> tuple[np.ndarray, np.ndarray]:
    f = np.geomspace(spectrum.frequency_Hz.max(), spectrum.frequency_Hz.min(), 400)
    return f, fit.predict(f)


@styled
def plot_nyquist(spectrum: ImpedanceSpectrum, fit: Any = None, ax: Any = None,
                 label: str | None = None) -> Any:
    """Nyquist plot, ``Z'`` against ``-Z''`` [ohm] on equal axes, with the fit if given.

    Parameters
    ----------
    spectrum : ImpedanceSpectrum
    fit : EISFit, optional
        Drawn as a line over the measured frequency range, with SEI / charge-transfer
        apexes marked at their characteristic frequencies.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    References
    ----------
    Seed 002 Fig. 3d, e (Nyquist plots with Rs, Rsei, Rct, W fits).
    """
    ax = new_axes(ax, aspect=0.9)
    ax.plot(spectrum.z_real_ohm, -spectrum.z_imag_ohm, "o", ms=3, label=label or "data")
    if fit is not None:
        _, z = _fit_curve(fit, spectrum)
        ax.plot(z.real, -z.imag, "-", label=f"fit {fit.circuit.string}")
        for arc in getattr(fit, "arcs_", []):
            zc = fit.predict([arc["f_c_Hz"]])[0]
            ax.annotate(arc["role"].replace("_", " "), (zc.real, -zc.imag), fontsize=7,
                        textcoords="offset points", xytext=(0, 6), ha="center")
    ax.set_xlabel("Z' [Ω]")
    ax.set_ylabel("-Z'' [Ω]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend()
    return ax


@styled
def plot_bode(spectrum: ImpedanceSpectrum, fit: Any = None, ax: Any = None) -> Any:
    """Bode plot: ``|Z|`` [ohm] and phase [deg] against frequency [Hz].

    ``ax`` is a pair of axes (magnitude, phase) or None; returns the pair.

    References
    ----------
    Orazem & Tribollet, *Electrochemical Impedance Spectroscopy* (2008), ch. 18.
    """
    if ax is None:
        ax = new_axes(nrows=2, aspect=1.1, sharex=True)
    ax_m, ax_p = ax
    z = spectrum.z_ohm
    ax_m.loglog(spectrum.frequency_Hz, np.abs(z), "o", ms=3, label="data")
    ax_p.semilogx(spectrum.frequency_Hz, -np.degrees(np.angle(z)), "o", ms=3)
    if fit is not None:
        f, zf = _fit_curve(fit, spectrum)
        ax_m.loglog(f, np.abs(zf), "-", label="fit")
        ax_p.semilogx(f, -np.degrees(np.angle(zf)), "-")
    lo, hi = ax_m.get_ylim()
    if hi / lo < 20:  # less than ~a decade: plain numbers, not 2.25 x 10^1 minor labels
        from matplotlib import ticker

        ax_m.yaxis.set_major_locator(ticker.MaxNLocator(5))
        ax_m.yaxis.set_minor_locator(ticker.NullLocator())
        ax_m.yaxis.set_major_formatter(ticker.ScalarFormatter())
    ax_m.set_ylabel("|Z| [Ω]")
    ax_p.set_ylabel("-phase [deg]")
    ax_p.set_xlabel("frequency [Hz]")
    if fit is not None:
        ax_m.legend()
    return ax_m, ax_p


@styled
def plot_eis_summary(spectrum: ImpedanceSpectrum, fit: Any = None) -> Any:
    """Nyquist (left) and Bode (right, |Z| over phase) of one spectrum, double column.

    Returns
    -------
    matplotlib Figure

    References
    ----------
    Seed 002 Fig. 3d, e.
    """
    fig = new_figure(width="double", aspect=0.45)
    ax0 = fig.add_subplot(1, 2, 1)
    ax1 = fig.add_subplot(2, 2, 2)
    ax2 = fig.add_subplot(2, 2, 4, sharex=ax1)
    plot_nyquist(spectrum, fit, ax=ax0)
    plot_bode(spectrum, fit, ax=(ax1, ax2))
    return fig
