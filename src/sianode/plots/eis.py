"""Nyquist and Bode plots of impedance spectra and their equivalent-circuit fits."""

from __future__ import annotations

from typing import Any

import numpy as np

from sianode.experiments.io.impedance_files import ImpedanceSpectrum

__all__ = ["plot_nyquist", "plot_bode"]


def _fit_curve(fit: Any, spectrum: ImpedanceSpectrum) -> tuple[np.ndarray, np.ndarray]:
    f = np.geomspace(spectrum.frequency_Hz.max(), spectrum.frequency_Hz.min(), 400)
    return f, fit.predict(f)


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
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
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
    ax.legend(fontsize=7)
    return ax


def plot_bode(spectrum: ImpedanceSpectrum, fit: Any = None, ax: Any = None) -> Any:
    """Bode plot: ``|Z|`` [ohm] and phase [deg] against frequency [Hz].

    ``ax`` is a pair of axes (magnitude, phase) or None; returns the pair.

    References
    ----------
    Orazem & Tribollet, *Electrochemical Impedance Spectroscopy* (2008), ch. 18.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(2, 1, sharex=True, figsize=(4.5, 5))
    ax_m, ax_p = ax
    z = spectrum.z_ohm
    ax_m.loglog(spectrum.frequency_Hz, np.abs(z), "o", ms=3, label="data")
    ax_p.semilogx(spectrum.frequency_Hz, -np.degrees(np.angle(z)), "o", ms=3)
    if fit is not None:
        f, zf = _fit_curve(fit, spectrum)
        ax_m.loglog(f, np.abs(zf), "-", label="fit")
        ax_p.semilogx(f, -np.degrees(np.angle(zf)), "-")
    ax_m.set_ylabel("|Z| [Ω]")
    ax_p.set_ylabel("-phase [deg]")
    ax_p.set_xlabel("frequency [Hz]")
    ax_m.legend(fontsize=7)
    return ax_m, ax_p
