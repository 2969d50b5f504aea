"""Figures for the cell layer: per-layer areal-mass breakdown of a stack (bar or pie)."""

from __future__ import annotations

from typing import Any

from sianode.errors import DependencyError
from sianode.validation import OneOf, check_params

__all__ = ["plot_stack_breakdown"]

_KINDS = OneOf("breakdown plot kind", ("bar", "pie"))


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
    DependencyError
        matplotlib is missing.

    References
    ----------
    Seed 001 Extended Data Table 1 (what the pouch cell's 49.5 mg/cm² is made of).
    """
    check_params({"kind": kind}, {"kind": _KINDS})
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a core dependency
        raise DependencyError("matplotlib", "plot", "stack breakdown plots") from None
    data = report.as_dict() if hasattr(report, "as_dict") else dict(report)
    rows = [row for row in data["layers"] if row["counted"]]
    names = [row["name"] for row in rows]
    masses = [row["areal_mass_mg_cm2"] for row in rows]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 2.0))
    if kind == "bar":
        ax.barh(names, masses, color="tab:blue")
        ax.invert_yaxis()
        ax.set_xlabel("areal mass [mg/cm²]")
        for y, m in enumerate(masses):
            ax.text(m, y, f" {m:.2f}", va="center", fontsize=8)
    else:
        ax.pie(masses, labels=names, autopct="%1.1f %%", textprops={"fontsize": 8})
        ax.set_aspect("equal")
    ax.set_title(
        f"{data.get('name', 'stack')}\n{data['areal_mass_mg_cm2']:.1f} mg/cm² counted, "
        f"{data['specific_energy_Wh_kg']:.0f} Wh/kg",
        fontsize=10,
    )
    return ax
