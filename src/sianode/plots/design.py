"""Figures of the design loop: a cell quantity against K_eff, one line per host."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sianode.validation import OneOf, check_params

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DESIGN_LABELS", "plot_design_vs_k"]

#: Columns of :class:`sianode.cell.design.DesignRow` that can be plotted, with axis labels.
DESIGN_LABELS = {
    "specific_energy_Wh_kg": "specific energy [Wh/kg]",
    "energy_density_Wh_L": "energy density, charged [Wh/L]",
    "plated_share": "share of anode charge plated as Li [-]",
    "alloy_share": "share of anode charge stored by alloying [-]",
    "alloy_capacity_mAh_g": "constrained alloying capacity [mAh/g host]",
    "anode_thickness_change_um": "anode thickness change, charged [µm]",
}


def plot_design_vs_k(result: Any, column: str = "specific_energy_Wh_kg",
                     ax: Axes | None = None) -> Axes:
    """One line per host of ``column`` against K_eff [GPa], stop moduli marked.

    Parameters
    ----------
    result : DesignResult or dict
        From :func:`sianode.cell.design.design_hosts` (or its ``as_dict()``).
    column : str
        One of :data:`DESIGN_LABELS`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    Seed 001 Fig. 3e (capacity falls with K_eff) carried to the cell (Ext. Data Table 1).
    """
    check_params({"column": column}, {"column": OneOf("design column", tuple(DESIGN_LABELS))})
    from sianode.plots.thermo import _ax

    ax = _ax(ax, (5.5, 4.0))
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    by_host: dict[str, list[dict[str, Any]]] = {}
    for row in data["rows"]:
        by_host.setdefault(f"{row['host']} ({row['host_id']})", []).append(row)
    names = {k.split(" (")[0] for k in by_host}
    for key, rows in by_host.items():
        rows = sorted(rows, key=lambda r: r["k_eff_GPa"])
        label = key.split(" (")[0] if len(names) == len(by_host) else key
        xs = [r["k_eff_GPa"] for r in rows]
        ys = [float("nan") if r[column] is None else r[column] for r in rows]
        (line,) = ax.plot(xs, ys, marker="o", ms=3.5, lw=1.6, label=label)
        ks = rows[0]["k_stop_GPa"]
        if ks is not None and xs[0] <= ks <= xs[-1]:
            ax.axvline(ks, color=line.get_color(), ls=":", lw=0.9)
    if column == "specific_energy_Wh_kg":
        base = data["baseline"]["specific_energy_Wh_kg"]
        ax.axhline(base, color="0.3", ls="--", lw=0.9, label=f"stack as given ({base:.0f})")
    ax.set(xlabel="$K_{eff}$ [GPa]", ylabel=DESIGN_LABELS[column],
           title=f"{data['stack']}" if len(data["stack"]) < 60 else None)
    ax.legend(fontsize="small", title="host (dotted: stop modulus)", title_fontsize="small")
    return ax
