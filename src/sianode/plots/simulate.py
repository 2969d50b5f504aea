"""Figures of the cell-level alloy + plating simulation (seed 001 Fig. 1a and Fig. 3e).

Each function takes :class:`~sianode.cell.simulate.SimulationResult` objects and ``ax=None``
and returns the matplotlib axes. Numbers in titles are formatted by :func:`capacity_text`,
the same text the ``sianode simulate`` table prints, so a figure and its table agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sianode.plots.style import (
    K_EFF,
    K_STOP,
    UNITS,
    auto_legend,
    formula_tex,
    label,
    new_axes,
    styled,
)

__all__ = [
    "capacity_text",
    "plot_voltage_capacity",
    "plot_current_split",
    "plot_capacity_vs_k_eff",
    "plot_asymmetric_profile",
]

_ALLOY, _PLATING = "#0072B2", "#D55E00"


def capacity_text(value_mAh_g: float) -> str:
    """A capacity as the simulate table prints it: one decimal [mAh/g]."""
    return f"{value_mAh_g:.1f}"


def _specific(result: Any, charge: np.ndarray) -> np.ndarray:
    return charge / result.host_loading_mg_cm2 * 1e3


def _per_gram(host: str) -> str:
    return f"mAh g$^{{-1}}$ {formula_tex(host)}"


@styled
def plot_voltage_capacity(results: Sequence[Any], ax: Any = None, *, anode: bool = True) -> Any:
    """Cell voltage (solid) and anode potential vs Li/Li+ (dashed) vs charge per host mass
    during lithiation, one colour per K_eff.

    References
    ----------
    Seed 001 Fig. 3e (voltage-capacity vs K_eff), here at cell level.
    """
    ax = new_axes(ax)
    import matplotlib

    cmap = matplotlib.colormaps["viridis"]
    n = max(len(results) - 1, 1)
    for i, r in enumerate(results):
        m = r.lithiating
        q = _specific(r, r.charge_mAh_cm2[m])
        color = cmap(0.9 * i / n)
        ax.plot(q, r.voltage_V[m], color=color, label=f"{r.k_eff_GPa:g} GPa")
        if anode and r.cell != "asymmetric":
            ax.plot(q, r.anode_potential_V[m], ls="--", color=color, label="_nolegend_")
    ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
    host = results[0].host if results else ""
    ax.set_xlabel(label("charge passed", _per_gram(host)))
    ax.set_ylabel("voltage [V]")
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    if anode and results and results[0].cell != "asymmetric":
        handles += [Line2D([], [], color="k"), Line2D([], [], color="k", ls="--")]
        labels += ["cell voltage", "anode vs Li/Li$^+$"]
    ax.legend(handles, labels, title=K_EFF, loc="best")
    if results:
        r = results[0]
        ax.set_title(f"{formula_tex(r.host)}, {r.cell} cell, "
                     f"{r.current_density_mA_cm2:.3g} {UNITS['mA/cm2']}")
    return ax


@styled
def plot_current_split(result: Any, ax: Any = None) -> Any:
    """Alloying and Li plating current densities vs time for one run.

    Positive currents lithiate the host or plate Li; negative ones de-alloy or strip. The
    alloying line is drawn on top (solid), plating beneath it (wider, dashed), so both stay
    visible where they coincide.

    References
    ----------
    Seed 001 Fig. 3a (the interplay of surface lithiation and Li plating).
    """
    ax = new_axes(ax)
    t_h = result.time_s / 3600.0
    ax.plot(t_h, result.plating_current_mA_cm2, color=_PLATING, lw=2.2, ls="--",
            label="Li plating (+) / stripping (−)", zorder=2)
    ax.plot(t_h, result.alloy_current_mA_cm2, color=_ALLOY, lw=1.2,
            label="alloying (+) / de-alloying (−)", zorder=3)
    ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
    if not result.lithiating.all():
        t_end = t_h[np.flatnonzero(result.lithiating)[-1]]
        ax.axvline(t_end, color="0.5", lw=0.6, ls=":", zorder=0)
    ax.set_xlabel("time [h]")
    ax.set_ylabel(label("current density", "mA/cm2"))
    ax.set_title(f"{formula_tex(result.host)}, {K_EFF} = {result.k_eff_GPa:g} GPa: alloy "
                 f"{capacity_text(result.alloy_capacity_mAh_g)} mAh g$^{{-1}}$,\nplated "
                 f"{result.plated_capacity_mAh_cm2:.3f} mAh cm$^{{-2}}$")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.35 * (hi - lo))  # room for the legend above the curves
    ax.legend(loc="upper right")
    return ax


@styled
def plot_capacity_vs_k_eff(results: Sequence[Any], ax: Any = None, *, ocv: Any = None) -> Any:
    """Simulated alloy capacity at the end of lithiation vs K_eff, with the thermodynamic
    capacity: the cell-level analogue of seed 001 Fig. 3e.

    Parameters
    ----------
    results : sequence of SimulationResult
        One per K_eff.
    ocv : AlloyOCV, optional
        If given, the thermodynamic capacity above 0 V is drawn as a continuous curve from
        0 to beyond the largest K_eff (so even one simulated point has a reference), and the
        stop modulus is marked.

    References
    ----------
    Seed 001 Fig. 3e.
    """
    ax = new_axes(ax)
    order = np.argsort([r.k_eff_GPa for r in results])
    rs = [results[i] for i in order]
    k = [r.k_eff_GPa for r in rs]
    host = rs[0].host if rs else ""
    if ocv is not None:
        k_top = max([*k, ocv.k_stop_GPa or 0.0, 1.0]) * 1.15
        grid = np.linspace(0.0, k_top, 241)
        ax.plot(grid, [ocv.thermodynamic_capacity_mAh_g(g) for g in grid], color="0.3",
                lw=1.0, label="thermodynamic (above 0 V)", zorder=2)
        if ocv.k_stop_GPa is not None:
            ax.axvline(ocv.k_stop_GPa, color="0.3", ls=":", lw=0.8, zorder=1,
                       label=f"{K_STOP} = {ocv.k_stop_GPa:.2f} GPa")
    else:
        ax.plot(k, [r.thermodynamic_capacity_mAh_g for r in rs], "s--", color="0.3",
                label="thermodynamic (above 0 V)")
    ax.plot(k, [r.alloy_capacity_mAh_g for r in rs], "o-" if len(rs) > 1 else "o",
            color=_ALLOY, ms=5, label="alloy, simulated", zorder=3)
    if len(rs) == 1:
        r = rs[0]
        ax.annotate(f"{capacity_text(r.alloy_capacity_mAh_g)} mAh g$^{{-1}}$",
                    (r.k_eff_GPa, r.alloy_capacity_mAh_g), xytext=(6, 6),
                    textcoords="offset points", color=_ALLOY)
    ax.set_xlabel(f"{K_EFF} [GPa]")
    ax.set_ylabel(label("capacity", _per_gram(host)))
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    if rs:
        ax.set_title(f"{formula_tex(host)}, {rs[0].cell} cell: alloy capacity vs {K_EFF}")
    auto_legend(ax, loc="best")
    return ax


@styled
def plot_asymmetric_profile(result: Any, ax: Any = None) -> Any:
    """Voltage of the host electrode vs the Li counter electrode against charge per host mass,
    coloured by the process that carries most of the current (seed 001 Fig. 1a style).

    The title states the alloy capacity and the capacity above 0 V with the digits of the
    ``sianode simulate`` table (:func:`capacity_text`).

    References
    ----------
    Seed 001 Fig. 1a ("200 mAh g^-1 above 0 V").
    """
    ax = new_axes(ax)
    m = result.lithiating
    q = _specific(result, result.charge_mAh_cm2[m])
    v = result.voltage_V[m]
    alloying = result.alloy_current_mA_cm2[m] >= result.plating_current_mA_cm2[m]
    # draw each process where it dominates; neighbours share the switching point
    for mask, color, name in ((alloying, _ALLOY, "mostly alloying"),
                              (~alloying, _PLATING, "mostly Li plating")):
        show = mask | np.r_[mask[1:], False] | np.r_[False, mask[:-1]]
        if show.any():
            ax.plot(q, np.where(show, v, np.nan), color=color, lw=1.5, label=name)
    above = result.capacity_above_0V_mAh_g
    alloy = result.alloy_capacity_mAh_g
    ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
    ax.axvline(above, color="0.3", ls=":", lw=0.8,
               label=f"first 0 V crossing, {capacity_text(above)} mAh g$^{{-1}}$")
    ax.set_xlabel(label("charge passed", _per_gram(result.host)))
    ax.set_ylabel("voltage vs Li counter electrode [V]")
    ax.set_title(f"{formula_tex(result.host)}, {K_EFF} = {result.k_eff_GPa:g} GPa: alloy "
                 f"{capacity_text(alloy)} mAh g$^{{-1}}$,\n{capacity_text(above)} "
                 f"mAh g$^{{-1}}$ above 0 V")
    auto_legend(ax, loc="upper right")
    return ax
