"""Figures of the field models (seed 002, Fig. 2i,j and Fig. 4c,d).

Each function takes data (meshes, result objects of :mod:`sianode.electrode.fields`) and an
optional ``ax``, and returns the axes. matplotlib is imported lazily.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "plot_element_field",
    "plot_interface_flux",
    "plot_front_frames",
    "plot_stress_field",
]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 4))
    return ax


def plot_element_field(mesh, values: ArrayLike, ax=None, *, label: str = "",
                       cmap: str = "viridis", log: bool = False, symmetric: bool = False):
    """Colour each triangle by a per-element value.

    Parameters
    ----------
    mesh : skfem.MeshTri or object with ``p`` (2, n) and ``t`` (3, m)
        Coordinates in µm.
    values : array_like
        One value per element.
    label : str
        Colour-bar label with unit.
    log : bool
        Logarithmic colour scale (positive values).
    symmetric : bool
        Colour limits symmetric about 0 (diverging maps for signed stresses).

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    seed 002, Fig. 2i,j.
    """
    import matplotlib.colors as mcolors
    import matplotlib.tri as mtri

    ax = _axes(ax)
    v = np.asarray(values, dtype=float)
    tri = mtri.Triangulation(mesh.p[0], mesh.p[1], mesh.t.T)
    norm = None
    if log:
        pos = v[v > 0]
        norm = mcolors.LogNorm(vmin=pos.min() if pos.size else 1e-12, vmax=max(v.max(), 1e-12))
    elif symmetric:
        lim = float(np.abs(v).max()) or 1.0
        norm = mcolors.TwoSlopeNorm(vmin=-lim, vcenter=0.0, vmax=lim)
    pc = ax.tripcolor(tri, facecolors=np.clip(v, 1e-300, None) if log else v, cmap=cmap,
                      norm=norm)
    ax.figure.colorbar(pc, ax=ax, label=label)
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    return ax


def plot_interface_flux(flux, ax=None, *, resolution_um: float | None = 0.5, label: str = ""):
    """Normal current density along an interface (an ``InterfaceFlux``).

    Draws the segment values as steps and, if ``resolution_um`` is given, the
    window averages used by the CV metrics.

    References
    ----------
    seed 002, Fig. 2i,j (current distribution at the interface).
    """
    ax = _axes(ax)
    lo = flux.x_um - 0.5 * flux.length_um
    hi = flux.x_um + 0.5 * flux.length_um
    xs = np.column_stack([lo, hi]).ravel()
    ys = np.repeat(flux.flux_mA_cm2, 2)
    ax.plot(xs, ys, lw=0.8, label=label or f"y = {flux.y_um:g} µm ({flux.side})")
    if resolution_um:
        xc, fc = flux.binned(resolution_um)
        ax.plot(xc, fc, "o", ms=3, label=f"{resolution_um:g} µm windows")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("current density [mA/cm²]")
    ax.legend(fontsize=7)
    return ax


def plot_front_frames(front, ax=None, *, level: float = 0.5, cmap: str = "plasma"):
    """Front positions (contour ``s = level``) of a ``FrontResult`` at its frame times.

    References
    ----------
    seed 002, Fig. 2i,j and eqs. 2-4 (lithiation front).
    """
    import matplotlib.pyplot as plt
    import matplotlib.tri as mtri

    from sianode.electrode.fields import get_material

    ax = _axes(ax)
    lm = front.lmesh
    mesh = lm.mesh
    reactive = np.array([get_material(m, front.materials).reactive for m in lm.materials])[
        lm.layer_index]
    tri = mtri.Triangulation(mesh.p[0], mesh.p[1], mesh.t.T, mask=~reactive)
    from matplotlib.lines import Line2D

    colors = plt.get_cmap(cmap)(np.linspace(0, 0.9, len(front.frames)))
    handles = []
    for s, t, c in zip(front.frames, front.times_s, colors):
        if np.nanmin(s) < level < np.nanmax(s):
            ax.tricontour(tri, s, levels=[level], colors=[c], linewidths=1.2)
            handles.append(Line2D([], [], color=c, label=f"{t / 60:.0f} min"))
    for y in front.lmesh.cell.interfaces_um:
        ax.axhline(y, color="0.6", lw=0.6, ls="--")
    ax.set_xlim(0, front.lmesh.cell.width_um)
    ax.set_ylim(0, front.lmesh.cell.height_um)
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    if handles:
        ax.legend(handles=handles, fontsize=7, loc="lower right")
    return ax


def plot_stress_field(stress, ax=None, *, quantity: str = "von_mises", mirror: bool = False):
    """Element-averaged von Mises or hydrostatic stress of a ``StressResult`` [GPa].

    ``mirror=True`` reflects an axisymmetric half-section about the axis for display.
    Linear-elastic values: LixSi yields near 0.5-1.5 GPa.

    References
    ----------
    seed 002, Fig. 2i,j and Fig. 4c,d.
    """
    vals = stress.von_mises_GPa if quantity == "von_mises" else stress.hydrostatic_GPa
    per_el = np.sum(vals * stress.weight, axis=1) / np.sum(stress.weight, axis=1)
    mesh = stress.mesh
    label = f"{'von Mises' if quantity == 'von_mises' else 'hydrostatic'} stress [GPa]"
    cmap = "inferno" if quantity == "von_mises" else "RdBu_r"
    if mirror:
        from types import SimpleNamespace

        n = mesh.p.shape[1]
        p = np.hstack([mesh.p, mesh.p * np.array([[-1.0], [1.0]])])
        t = np.hstack([mesh.t, mesh.t[::-1] + n])
        mesh, per_el = SimpleNamespace(p=p, t=t), np.concatenate([per_el, per_el])
    ax = plot_element_field(mesh, per_el, ax, label=label, cmap=cmap,
                            symmetric=quantity != "von_mises")
    if mirror:
        ax.set_xlabel("r [µm]")
        ax.set_ylabel("z [µm]")
    return ax
