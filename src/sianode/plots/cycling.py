"""Cycling figures: capacity/CE vs cycle, voltage profiles, dQ/dV, rate capability.

Each function takes data and ``ax=None`` and returns the axes. A new figure is a
:class:`matplotlib.figure.Figure` built through the object API, so the user's pyplot state
and backend are never touched. Units are mathtext in brackets; counts get integer ticks.

References
----------
Seed 002 Fig. 5f (capacity and CE vs cycle), Fig. 5d (rate capability); seed 004 Fig. 3a
(voltage profiles of plating); seed 001 (dQ/dV of Si).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sianode.errors import ParameterError
from sianode.plots.style import new_axes as _styled_axes
from sianode.plots.style import styled

__all__ = ["plot_capacity_ce", "plot_voltage_profiles", "plot_dqdv", "plot_rate_capability",
           "new_axes", "CAPACITY_LABELS"]

#: capacity column suffix -> axis unit (mathtext)
CAPACITY_LABELS = {"_mAh": r"[mAh]", "_mAh_g": r"[mAh g$^{-1}$]", "_mAh_cm2": r"[mAh cm$^{-2}$]"}


def new_axes(width_in: float = 3.5, height_in: float = 2.6) -> Any:
    """Axes on a new :class:`~matplotlib.figure.Figure` in the package style
    (:func:`sianode.plots.style.new_axes`; single journal column by default)."""
    return _styled_axes(width=width_in, aspect=height_in / width_in)


def _unit(column: str) -> str:
    for suffix in ("_mAh_g", "_mAh_cm2", "_mAh"):
        if column.endswith(suffix):
            return CAPACITY_LABELS[suffix]
    return ""


def _integer_ticks(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


@styled
def plot_capacity_ce(summary: pd.DataFrame, ax: Any = None, *,
                     capacity: str = "delithiation_capacity_mAh") -> Any:
    """Capacity (left axis) and CE [%] (right axis) vs cycle, with a legend for both series.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`sianode.experiments.cycling.cycle_capacities` (or
        ``CyclingResult.table()``); incomplete cycles (``complete`` False) are drawn hollow.
    ax : matplotlib Axes, optional
        Axes to draw on (a new figure otherwise).
    capacity : str
        Capacity column (``..._mAh``, ``..._mAh_g`` or ``..._mAh_cm2``).

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
    ax = ax if ax is not None else new_axes()
    done = summary["complete"].to_numpy(dtype=bool) if "complete" in summary else \
        np.ones(len(summary), bool)
    what = capacity.replace("_capacity", "").split("_mAh")[0]
    h1 = ax.plot(summary["cycle"][done], summary[capacity][done], "o", ms=3, color="C0",
                 label=f"{what} capacity")
    h_inc = []
    if (~done).any():
        h_inc = ax.plot(summary["cycle"][~done], summary[capacity][~done], "o", ms=3,
                        mfc="none", color="C0", label="incomplete cycle")
    ax.set_xlabel("cycle")
    ax.set_ylabel(f"{what} capacity {_unit(capacity)}")
    _integer_ticks(ax.xaxis)
    ce_ax = ax.twinx()
    h2 = ce_ax.plot(summary["cycle"][done], 100 * summary["coulombic_efficiency"][done], "s",
                    ms=2.5, color="C1", label="coulombic efficiency")
    ce_ax.set_ylabel("coulombic efficiency [%]")
    ax.legend(handles=h1 + h_inc + h2, loc="lower left", fontsize=7, frameon=False)
    ax.ce_axes = ce_ax
    return ax


@styled
def plot_voltage_profiles(df: pd.DataFrame, cell: str, cycles: list[int] | None = None,
                          ax: Any = None, *, mass_mg: float | None = None) -> Any:
    """Voltage [V] vs capacity within each selected cycle (solid lithiation, dashed
    delithiation); capacity in mAh g⁻¹ when ``mass_mg`` is given.

    References
    ----------
    Seed 004 Fig. 3a; seed 003 Fig. 3a.
    """
    from sianode.experiments.cycle_labels import label_cycles
    from sianode.experiments.schema import CURRENT, TIME, VOLTAGE

    ax = ax if ax is not None else new_axes()
    lab = label_cycles(df, cell)
    dq = np.abs(df[CURRENT].to_numpy()) * np.r_[0.0, np.diff(df[TIME].to_numpy())] / 3.6
    scale = 1.0 / (mass_mg * 1e-3) if mass_mg else 1.0
    present = sorted(set(int(c) for c in np.unique(lab.cycle[lab.direction != 0])))
    cycles = cycles or present[:5]
    v = df[VOLTAGE].to_numpy()
    for k, c in enumerate(cycles):
        for direction, style, half in ((1, "-", "lith."), (-1, "--", "delith.")):
            pos = np.flatnonzero((lab.cycle == c) & (lab.direction == direction))
            if pos.size == 0:
                continue
            ax.plot(np.cumsum(dq[pos]) * scale, v[pos], style, color=f"C{k % 10}", lw=1,
                    label=f"cycle {c} {half}")
    ax.set_xlabel("capacity " + (r"[mAh g$^{-1}$]" if mass_mg else "[mAh]"))
    ax.set_ylabel("voltage [V]")
    ax.legend(fontsize=6, frameon=False, ncol=2)
    return ax


@styled
def plot_dqdv(table: pd.DataFrame, ax: Any = None) -> Any:
    """dQ/dV vs voltage per cycle and half (from :func:`sianode.experiments.dqdv.dqdv`).

    References
    ----------
    Bloom et al., J. Power Sources 139, 295 (2005).
    """
    ax = ax if ax is not None else new_axes()
    col = "dqdv_mAh_g_V" if "dqdv_mAh_g_V" in table else "dqdv_mAh_V"
    for k, (c, sub) in enumerate(table.groupby("cycle", sort=True)):
        for half, style in (("lithiation", "-"), ("delithiation", "--")):
            s = sub[sub["half"] == half]
            if s.empty:
                continue
            sign = -1.0 if half == "lithiation" else 1.0
            ax.plot(s["voltage_V"], sign * s[col], style, color=f"C{k % 10}", lw=1,
                    label=f"cycle {c} {half[:5]}.")
    ax.axhline(0.0, color="0.6", lw=0.5)
    unit = r"[mAh g$^{-1}$ V$^{-1}$]" if col == "dqdv_mAh_g_V" else r"[mAh V$^{-1}$]"
    ax.set_xlabel("voltage [V]")
    ax.set_ylabel(f"dQ/dV {unit}\n(lithiation < 0 < delithiation)")
    ax.legend(fontsize=6, frameon=False, ncol=2)
    return ax


@styled
def plot_rate_capability(table: pd.DataFrame, ax: Any = None) -> Any:
    """Mean delithiation capacity per rate step (bars labelled with the current).

    References
    ----------
    Seed 002 Fig. 5d; seed 003 Fig. 5a.
    """
    ax = ax if ax is not None else new_axes()
    key = "current_density_mA_cm2" if "current_density_mA_cm2" in table else "current_mA"
    ax.bar(table["step"], table["delithiation_capacity_mAh"],
           yerr=table["delithiation_capacity_std_mAh"], label="mean ± std of the step")
    ax.set_xticks(table["step"], [f"{x:.3g}" for x in table[key]])
    ax.set_xlabel("current density [mA cm$^{-2}$]" if key == "current_density_mA_cm2"
                  else "current [mA]")
    ax.set_ylabel("delithiation capacity [mAh]")
    return ax
