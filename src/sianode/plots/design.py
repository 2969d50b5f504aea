"""Figures of the design loop: a cell quantity against K_eff, one line per host."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sianode.plots.style import K_EFF, K_STOP, auto_legend, formula_tex, label, new_axes, styled
from sianode.validation import OneOf, check_params

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DESIGN_LABELS", "plot_design_vs_k"]

#: Columns of :class:`sianode.cell.design.DesignRow` that can be plotted, with axis labels.
DESIGN_LABELS = {
    "specific_energy_Wh_kg": label("specific energy", "Wh/kg"),
    "energy_density_Wh_L": label("energy density, charged", "Wh L$^{-1}$"),
    "plated_share": label("share of anode charge plated as Li", "-"),
    "alloy_share": label("share of anode charge stored by alloying", "-"),
    "alloy_capacity_mAh_g": label("constrained alloying capacity", "mAh/g"),
    "anode_thickness_change_um": label("anode thickness change, charged", "um"),
}


@styled
def plot_design_vs_k(result: Any, column: str = "specific_energy_Wh_kg",
                     ax: Axes | None = None) -> Axes:
    """One line per host of ``column`` against K_eff [GPa], stop moduli dotted.

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
    ax = new_axes(ax)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    by_host: dict[tuple[str, str], list[dict[str, Any]]] = {}
    order = {h: i for i, h in enumerate(data.get("host_ids", ()))}  # as asked for
    for row in sorted(data["rows"], key=lambda r: order.get(r["host_id"], len(order))):
        by_host.setdefault((row["host"], row["host_id"]), []).append(row)
    formulas = [h for h, _ in by_host]
    for (host, host_id), rows in by_host.items():
        rows = sorted(rows, key=lambda r: r["k_eff_GPa"])
        name = formula_tex(host) if formulas.count(host) == 1 else f"{formula_tex(host)} ({host_id})"
        xs = [r["k_eff_GPa"] for r in rows]
        ys = [float("nan") if r[column] is None else r[column] for r in rows]
        (line,) = ax.plot(xs, ys, marker="o", label=name)
        ks = rows[0]["k_stop_GPa"]
        if ks is not None and xs[0] <= ks <= xs[-1]:
            ax.axvline(ks, color=line.get_color(), ls=":", lw=0.8)
    if column == "specific_energy_Wh_kg":
        base = data["baseline"]["specific_energy_Wh_kg"]
        ax.axhline(base, color="0.3", ls="--", lw=0.8, label=f"stack as given ({base:.0f})")
    ax.set(xlabel=f"{K_EFF} [GPa]", ylabel=DESIGN_LABELS[column])
    ax.set_title(f"dotted: {K_STOP} of each host", fontsize="small", loc="right")
    auto_legend(ax, fontsize="small")
    return ax
