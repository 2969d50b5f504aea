"""Figures of the cell-level alloy + plating simulation (seed 001 Fig. 1a and Fig. 3e).

Each function takes :class:`~sianode.cell.simulate.SimulationResult` objects and ``ax=None``
and returns the matplotlib axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "plot_voltage_capacity",
    "plot_current_split",
    "plot_capacity_vs_k_eff",
    "plot_asymmetric_profile",
]


def _axes(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 3.6))
    return ax


def _specific(result: Any, charge: np.ndarray) -> np.ndarray:
    return charge / result.host_loading_mg_cm2 * 1e3


def plot_voltage_capacity(results: Sequence[Any], ax: Any = None, *, anode: bool = True) -> Any:
    """Cell voltage (solid) and anode potential vs Li/Li+ (dashed) vs charge per host mass
    during lithiation, one colour per K_eff.

    References
    ----------
    Seed 001 Fig. 3e (voltage-capacity vs K_eff), here at cell level.
    """
    ax = _axes(ax)
    for r in results:
        m = r.lithiating
        q = _specific(r, r.charge_mAh_cm2[m])
        (line,) = ax.plot(q, r.voltage_V[m], label=f"K_eff = {r.k_eff_GPa:g} GPa")
        if anode:
            ax.plot(q, r.anode_potential_V[m], ls="--", color=line.get_color())
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel("capacity [mAh/g host]")
    ax.set_ylabel("voltage (solid), anode vs Li/Li+ (dashed) [V]")
    ax.legend(fontsize=7)
    return ax


def plot_current_split(result: Any, ax: Any = None) -> Any:
    """Alloying and plating current densities vs time for one run (negative = stripping or
    dealloying).

    References
    ----------
    Seed 001 Fig. 3a (the interplay of surface lithiation and Li plating).
    """
    ax = _axes(ax)
    t_h = result.time_s / 3600.0
    ax.plot(t_h, result.alloy_current_mA_cm2, label="alloying")
    ax.plot(t_h, result.plating_current_mA_cm2, label="Li plating")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel("time [h]")
    ax.set_ylabel("current density [mA/cm2]")
    ax.set_title(f"{result.host}, K_eff = {result.k_eff_GPa:g} GPa", fontsize=9)
    ax.legend(fontsize=7)
    return ax


def plot_capacity_vs_k_eff(results: Sequence[Any], ax: Any = None) -> Any:
    """Alloy capacity at the end of lithiation (simulated) and the thermodynamic capacity
    vs K_eff: the cell-level analogue of seed 001 Fig. 3e.

    References
    ----------
    Seed 001 Fig. 3e.
    """
    ax = _axes(ax)
    k = [r.k_eff_GPa for r in results]
    ax.plot(k, [r.alloy_capacity_mAh_g for r in results], "o-", label="alloy, simulated")
    ax.plot(k, [r.thermodynamic_capacity_mAh_g for r in results], "s--",
            label="thermodynamic (above 0 V)")
    ax.set_xlabel("K_eff [GPa]")
    ax.set_ylabel("capacity [mAh/g host]")
    ax.legend(fontsize=7)
    return ax


def plot_asymmetric_profile(result: Any, ax: Any = None) -> Any:
    """Voltage of the host electrode vs the Li counter electrode vs charge per host mass,
    with the alloy share shaded (seed 001 Fig. 1a style).

    References
    ----------
    Seed 001 Fig. 1a.
    """
    ax = _axes(ax)
    m = result.lithiating
    q = _specific(result, result.charge_mAh_cm2[m])
    ax.plot(q, result.voltage_V[m], color="k")
    q_al = _specific(result, result.alloy_charge_mAh_cm2[m])
    ax.fill_between(q, result.voltage_V[m].min(), result.voltage_V[m].max(),
                    where=np.gradient(q_al) > 0.5 * np.gradient(q), alpha=0.15,
                    label="mostly alloying")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel("capacity [mAh/g host]")
    ax.set_ylabel("voltage vs Li counter [V]")
    ax.set_title(f"{result.host}, K_eff = {result.k_eff_GPa:g} GPa: "
                 f"{result.capacity_above_0V_mAh_g:.0f} mAh/g above 0 V", fontsize=9)
    ax.legend(fontsize=7)
    return ax
