"""Cycling figures: capacity/CE vs cycle, voltage profiles, rate capability (matplotlib).

Each function takes data and ``ax=None`` and returns the axes; matplotlib is imported
lazily (extra ``plot`` for plotly is not needed here).

References
----------
Seed 002 Fig. 5f (capacity and CE vs cycle), Fig. 5d (rate capability); seed 004 Fig. 3a
(voltage profiles of plating).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sianode.errors import DependencyError, ParameterError

__all__ = ["plot_capacity_ce", "plot_voltage_profiles", "plot_rate_capability"]


def _plt():
    try:
        import matplotlib.pyplot as plt  # the user's backend is left alone
    except ImportError as exc:  # pragma: no cover - matplotlib is a core dependency here
        raise DependencyError("matplotlib", "plot", "plotting") from exc
    return plt


def plot_capacity_ce(summary: pd.DataFrame, ax: Any = None, *,
                     capacity: str = "delithiation_capacity_mAh") -> Any:
    """Capacity (left axis) and CE [%] (right axis) vs cycle.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`sianode.experiments.cycling.cycle_capacities`.
    ax : matplotlib Axes, optional
        Axes to draw on (a new figure otherwise).
    capacity : str
        Capacity column to plot (``..._mAh``, ``..._mAh_g`` or ``..._mAh_cm2``).

    Returns
    -------
    matplotlib Axes
        The capacity axes (the CE twin is ``ax.ce_axes``).

    References
    ----------
    Seed 002 Fig. 5f.
    """
    if capacity not in summary.columns:
        raise ParameterError("capacity", capacity, f"one of {list(summary.columns)}")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(summary["cycle"], summary[capacity], "o", ms=3, label=capacity)
    ax.set_xlabel("cycle")
    ax.set_ylabel(capacity.replace("_", " "))
    ce_ax = ax.twinx()
    ce_ax.plot(summary["cycle"], 100 * summary["coulombic_efficiency"], "s", ms=2, color="C1")
    ce_ax.set_ylabel("coulombic efficiency [%]")
    ax.ce_axes = ce_ax
    return ax


def plot_voltage_profiles(df: pd.DataFrame, cell: str, cycles: list[int] | None = None,
                          ax: Any = None) -> Any:
    """Voltage [V] vs capacity [mAh] within each selected cycle (lithiation and delithiation).

    References
    ----------
    Seed 004 Fig. 3a; seed 003 Fig. 3a.
    """
    import numpy as np

    from sianode.experiments.cycling import assign_cycles
    from sianode.experiments.schema import CURRENT, TIME, VOLTAGE
    from sianode.units import ampere_seconds_to_mAh

    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    lab = assign_cycles(df, cell)
    lab["_dq_As"] = np.abs(lab[CURRENT].to_numpy()) * np.r_[0.0, np.diff(lab[TIME].to_numpy())]
    cycles = cycles or sorted(set(lab["cycle"]) - {0})[:5]
    for c in cycles:
        sub = lab[lab["cycle"] == c]
        for direction, style in ((1, "-"), (-1, "--")):
            s = sub[sub["direction"] == direction]
            if s.empty:
                continue
            q = ampere_seconds_to_mAh(np.cumsum(s["_dq_As"].to_numpy()))
            ax.plot(q, s[VOLTAGE], style, label=f"cycle {c} {'lith' if direction > 0 else 'delith'}")
    ax.set_xlabel("capacity [mAh]")
    ax.set_ylabel("voltage [V]")
    ax.legend(fontsize=7)
    return ax


def plot_rate_capability(table: pd.DataFrame, ax: Any = None) -> Any:
    """Mean delithiation capacity per rate step (bars labelled with the current).

    References
    ----------
    Seed 002 Fig. 5d; seed 003 Fig. 5a.
    """
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    key = "current_density_mA_cm2" if "current_density_mA_cm2" in table else "current_mA"
    ax.bar(table["step"], table["delithiation_capacity_mAh"],
           yerr=table["delithiation_capacity_std_mAh"])
    ax.set_xticks(table["step"], [f"{x:.3g}" for x in table[key]])
    ax.set_xlabel(key.replace("_", " "))
    ax.set_ylabel("delithiation capacity [mAh]")
    return ax
