"""Plots of the kinetics layer: NEB energy paths under strain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["plot_migration_paths"]


def plot_migration_paths(points: Sequence[Mapping[str, Any]], ax: Any = None) -> Any:
    """Energy along the Li hop for each strain point (seed 001 Fig. 3b style).

    Parameters
    ----------
    points : sequence of mapping
        ``MigrationResult.as_dict()`` records or the ``points`` of
        :func:`sianode.kinetics.diffusion.strain_scan` (need ``path_distance_A``,
        ``path_energies_eV``, ``strain``, ``shear_deg``, ``barrier_eV``; optional
        ``method``: saddle-shortcut points, which have only start, saddle and end, are
        drawn dashed with square markers).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure if None.

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    Seed 001, Fig. 3b.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.4))
    for p in points:
        label = f"{100 * p['strain']:.0f} % compression"
        if p.get("shear_deg") is not None:
            label += f", γ = {p['shear_deg']:g}°"
        if p.get("barrier_eV") is None:
            ax.plot([], [], " ", label=f"{label}: host changed")
            continue
        saddle = p.get("method") == "saddle"
        label += f": {p['barrier_eV']:.2f} eV" + (" (saddle)" if saddle else "")
        ax.plot(p["path_distance_A"], p["path_energies_eV"], "s--" if saddle else "o-",
                label=label)
    ax.set_xlabel("path length, all atoms [Å]")
    ax.set_ylabel("energy [eV]")
    ax.legend(fontsize=8)
    return ax
