"""Figures for the cell layer: per-layer areal-mass breakdown of a stack (bar or pie)."""

from __future__ import annotations

from typing import Any

from sianode.plots.style import label, new_axes, styled
from sianode.validation import OneOf, check_params

__all__ = ["plot_stack_breakdown"]

_KINDS = OneOf("breakdown plot kind", ("bar", "pie"))


@styled
def plot_stack_breakdown(report: Any, kind: str = "bar", ax: Any = None) -> Any:
    """Plot the counted layers' areal masses of a stack.

    Parameters
    ----------
    report : StackReport or dict
        From :func:`sianode.cell.evaluate_stack` (or its ``as_dict()``).
    kind : {"bar", "pie"}
        Horizontal bars [mg/cm²] or a pie of mass fractions.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new figure if None.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        ``kind`` is not "bar" or "pie".

    References
    ----------
    Seed 001 Extended Data Table 1 (what the pouch cell's 49.5 mg/cm² is made of).
    """
    check_params({"kind": kind}, {"kind": _KINDS})
    data = report.as_dict() if hasattr(report, "as_dict") else dict(report)
    rows = [row for row in data["layers"] if row["counted"]]
    names = [row["name"] for row in rows]
    masses = [row["areal_mass_mg_cm2"] for row in rows]
    if kind == "bar":
        ax = new_axes(ax, width="double", aspect=min(0.06 * len(rows) + 0.15, 0.9))
        bars = ax.barh(names, masses, color="#0072B2")
        ax.invert_yaxis()
        ax.set_xlabel(label("areal mass", "mg/cm2"))
        ax.bar_label(bars, fmt=" %.2f", fontsize=7)
        ax.set_xlim(0, max(masses, default=1) * 1.12)
    else:
        ax = new_axes(ax, width="double", aspect=0.55)
        ax.pie(masses, labels=names, autopct="%1.1f %%", textprops={"fontsize": 7})
        ax.set_aspect("equal")
    ax.set_title(
        f"{data.get('name', 'stack')}\n{data['areal_mass_mg_cm2']:.1f} mg cm$^{{-2}}$ counted, "
        f"{data['specific_energy_Wh_kg']:.0f} Wh kg$^{{-1}}$"
    )
    return ax
