"""XRD peak fits and Williamson-Hall broadening plots (seed 001 Fig. 3c,d)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sianode.experiments.diffraction import (
    PeakFit,
    WilliamsonHallResult,
    pseudo_voigt,
    sample_fwhm_deg,
)
from sianode.plots.style import new_axes, styled

__all__ = ["plot_peak_fit", "plot_williamson_hall"]


@styled
def plot_peak_fit(two_theta_deg: ArrayLike, intensity: ArrayLike, peak: PeakFit,
                  ax: Any = None) -> Any:
    """Measured peak and its pseudo-Voigt + linear-background fit; returns the axes.

    References
    ----------
    Seed 001 Extended Data Fig. 6c-e (Si peaks over time).
    """
    ax = new_axes(ax)
    x = np.asarray(two_theta_deg, dtype=float)
    ax.plot(x, intensity, ".", ms=3, label="data")
    xx = np.linspace(x.min(), x.max(), 800)
    bg = peak.background_intercept + peak.background_slope * (xx - x.min())
    ax.plot(xx, pseudo_voigt(xx, peak.center_deg, peak.fwhm_deg, peak.area, peak.eta) + bg,
            "-", label=f"pseudo-Voigt, FWHM {peak.fwhm_deg:.3f}°")
    ax.set_xlabel("2θ [deg]")
    ax.set_ylabel("intensity [counts]")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.3 * (hi - lo))  # room for the legend above the peak
    ax.legend(loc="upper left")
    return ax


@styled
def plot_williamson_hall(two_theta_deg: ArrayLike, fwhm_deg: ArrayLike,
                         result: WilliamsonHallResult, *, instrument_fwhm_deg: ArrayLike = 0.0,
                         correction: str = "linear", ax: Any = None) -> Any:
    """Sample broadening against 2θ with the tan θ (strain) and 1/cos θ (size) terms.

    References
    ----------
    Seed 001 Fig. 3c,d (ΔFWHM vs 2θ fitted with tan θ and 1/cos θ).
    """
    ax = new_axes(ax)
    tt = np.asarray(two_theta_deg, dtype=float)
    beta = sample_fwhm_deg(fwhm_deg, instrument_fwhm_deg, correction)
    ax.plot(tt, beta, "o", label="sample FWHM")
    grid = np.linspace(max(tt.min() - 5, 1), min(tt.max() + 5, 170), 200)
    th = np.deg2rad(grid) / 2
    strain = np.rad2deg(result.strain_term * np.tan(th))
    size = np.rad2deg(result.size_term_rad / np.cos(th))
    ax.plot(grid, strain + size, "-", label="fit")
    ax.plot(grid, strain, "--", label=f"strain (tan θ), ε = {result.strain:.2e}")
    ax.plot(grid, size, ":", label=f"size (1/cos θ), D = {result.size_nm:.3g} nm")
    ax.set_xlabel("2θ [deg]")
    ax.set_ylabel("ΔFWHM [deg]")
    ax.legend()
    return ax
