"""Plots of the kinetics layer: NEB energy paths under strain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sianode.plots.style import label, new_axes, styled

__all__ = ["plot_migration_paths"]


@styled
def plot_migration_paths(points: Sequence[Mapping[str, Any]], ax: Any = None) -> Any:
    """Energy along the Li hop for each strain point (seed 001 Fig. 3b style).

    Drawn in the package style (:mod:`sianode.plots.style`: one journal column, 3.5 in;
    nothing global changes); the legend names each strain with its barrier [eV].

    Parameters
    ----------
    points : sequence of mapping
        ``MigrationResult.as_dict()`` records or the ``points`` of
        :func:`sianode.kinetics.diffusion.strain_scan` (need ``path_distance_A``,
        ``path_energies_eV``, ``strain``, ``shear_deg``, ``barrier_eV``).
    ax : matplotlib Axes, optional
        Axes to draw on; a new styled figure if None.

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    Seed 001, Fig. 3b.
    """
    ax = new_axes(ax)
    for p in points:
        name = f"{100 * p['strain']:.0f} % compression"
        if p.get("shear_deg") is not None:
            name += f", γ = {p['shear_deg']:g}°"
        if p.get("barrier_eV") is None:
            ax.plot([], [], " ", label=f"{name}: host changed")
            continue
        ax.plot(p["path_distance_A"], p["path_energies_eV"], "o-", ms=3,
                label=f"{name}: {p['barrier_eV']:.2f} eV")
    ax.set_xlabel(label("path length, all atoms", "Å"))
    ax.set_ylabel(label("energy", "eV"))
    if points:
        ax.legend(fontsize="small", title="strain: barrier", title_fontsize="small")
    return ax
