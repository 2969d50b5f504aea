"""Figures of the field models (seed 002, Fig. 2i,j and Fig. 4c,d).

Each ``plot_*`` function takes data (meshes, result objects of
:mod:`sianode.electrode.fields`) and an optional ``ax``, and returns the axes. Layers of a
layered cell are named on the maps (Si, Li$_{21}$Si$_5$, SSE), the lithiated region of a
particle is outlined, the hydrostatic maps state their sign (tension > 0) and the von Mises
maps the yield stress their "fraction above yield" uses. :func:`interlayer_figures` and
:func:`particle_figures` build the figure sets ``sianode fields ... --plot`` writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sianode.plots.style import auto_legend, formula_tex, new_axes, styled
from sianode.plots.style import label as unit_label

__all__ = [
    "material_label",
    "label_layers",
    "plot_element_field",
    "plot_interface_flux",
    "plot_front_frames",
    "plot_stress_field",
    "interlayer_figures",
    "particle_figures",
    "HYDROSTATIC_LABEL",
]

_NAMES = {"si": "Si", "li21si5": "Li21Si5", "sse": "SSE", "lixsi": "LixSi"}

#: Colour-bar label of hydrostatic maps: the sign convention is part of the label.
HYDROSTATIC_LABEL = "hydrostatic stress $\\sigma_m$ [GPa]\n(tension > 0, compression < 0)"
_VM_LABEL = "von Mises stress [GPa]"
_YIELD_COLOR = "#56B4E9"


def material_label(name: str) -> str:
    """Display name of a field material key (``"li21si5"`` -> ``"Li$_{21}$Si$_{5}$"``)."""
    return formula_tex(_NAMES.get(str(name).lower(), str(name)))


def _yield_GPa() -> float:
    from sianode.electrode.fields.parameters import YIELD_STRENGTH_LIXSI_GPA

    return float(YIELD_STRENGTH_LIXSI_GPA[1])


def label_layers(ax: Any, cell: Any) -> list[Any]:
    """Dashed interface lines and each layer's name inside its band (right edge).

    Parameters
    ----------
    cell : LayeredCell
        Geometry (layers bottom to top, ``interfaces_um``, ``width_um``).

    Returns
    -------
    list of matplotlib.text.Text
        The layer labels, bottom to top.
    """
    for y in cell.interfaces_um:
        ax.axhline(y, color="0.55", lw=0.7, ls="--", zorder=4)
    texts = []
    y0 = 0.0
    for layer in cell.layers:
        y1 = y0 + layer.thickness_um
        texts.append(ax.text(0.98 * cell.width_um, 0.5 * (y0 + y1),
                             material_label(layer.material), ha="right", va="center",
                             fontsize=7, zorder=5,
                             bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                   "alpha": 0.8}))
        y0 = y1
    return texts


@styled
def plot_element_field(mesh: Any, values: ArrayLike, ax: Any = None, *, label: str = "",
                       cmap: str = "viridis", log: bool = False, symmetric: bool = False,
                       cell: Any = None) -> Any:
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
    cell : LayeredCell, optional
        If given, the layers are named and their interfaces drawn.

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    seed 002, Fig. 2i,j.
    """
    import matplotlib.colors as mcolors
    import matplotlib.tri as mtri

    ax = new_axes(ax, aspect=0.9)
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
                      norm=norm, rasterized=True)
    ax.figure.colorbar(pc, ax=ax, label=label)
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    if cell is not None:
        label_layers(ax, cell)
    return ax


@styled
def plot_interface_flux(flux: Any, ax: Any = None, *, resolution_um: float | None = 0.5,
                        label: str = "", **line_kw: Any) -> Any:
    """Normal current density along an interface (an ``InterfaceFlux``).

    Draws the segment values as steps and, if ``resolution_um`` is given, the window
    averages used by the CV metrics. ``line_kw`` go to the step line (colour, style).

    References
    ----------
    seed 002, Fig. 2i,j (current distribution at the interface).
    """
    ax = new_axes(ax)
    lo = flux.x_um - 0.5 * flux.length_um
    hi = flux.x_um + 0.5 * flux.length_um
    xs = np.column_stack([lo, hi]).ravel()
    ys = np.repeat(flux.flux_mA_cm2, 2)
    (line,) = ax.plot(xs, ys, lw=line_kw.pop("lw", 1.0),
                      label=label or f"y = {flux.y_um:g} µm ({flux.side})", **line_kw)
    if resolution_um:
        xc, fc = flux.binned(resolution_um)
        ax.plot(xc, fc, "o", ms=3, color=line.get_color(),
                label=f"{resolution_um:g} µm window means")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel(unit_label("current density", "mA/cm2"))
    auto_legend(ax)
    return ax


@styled
def plot_front_frames(front: Any, ax: Any = None, *, level: float = 0.5,
                      cmap: str = "plasma") -> Any:
    """Front positions (contour ``s = level``) of a ``FrontResult`` at its frame times, with
    the layers named.

    References
    ----------
    seed 002, Fig. 2i,j and eqs. 2-4 (lithiation front).
    """
    import matplotlib
    import matplotlib.tri as mtri
    from matplotlib.lines import Line2D

    ax = new_axes(ax, aspect=0.9)
    from sianode.electrode.fields import get_material

    mesh = front.lmesh.mesh
    tri = mtri.Triangulation(mesh.p[0], mesh.p[1], mesh.t.T)
    flags = np.array([get_material(m, front.materials).reactive for m in front.lmesh.materials])
    tri.set_mask(~flags[front.lmesh.layer_index])  # the front lives in the Si layers only
    colors = matplotlib.colormaps[cmap](np.linspace(0, 0.85, len(front.frames)))
    handles = []
    for s, t, c in zip(front.frames, front.times_s, colors):
        if np.nanmin(s) < level < np.nanmax(s):
            ax.tricontour(tri, s, levels=[level], colors=[c], linewidths=1.2)
            handles.append(Line2D([], [], color=c, label=f"{t / 60:.0f} min"))
    cell = front.lmesh.cell
    label_layers(ax, cell)
    ax.set_xlim(0, cell.width_um)
    ax.set_ylim(0, cell.height_um)
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    ax.set_title("LixSi | Si front (s = 0.5): LixSi above, Si below".replace(
        "LixSi", formula_tex("LixSi")))
    if handles:
        ax.legend(handles=handles, title="time", loc="lower left")
    return ax


def _mirror(mesh: Any, per_el: np.ndarray) -> tuple[Any, np.ndarray]:
    from types import SimpleNamespace

    n = mesh.p.shape[1]
    p = np.hstack([mesh.p, mesh.p * np.array([[-1.0], [1.0]])])
    t = np.hstack([mesh.t, mesh.t[::-1] + n])
    return SimpleNamespace(p=p, t=t), np.concatenate([per_el, per_el])


@styled
def plot_stress_field(stress: Any, ax: Any = None, *, quantity: str = "von_mises",
                      mirror: bool = False, cell: Any = None,
                      yield_GPa: float | None = None, title: str | None = None,
                      regions: ArrayLike | None = None) -> Any:
    """Element-averaged von Mises or hydrostatic stress of a ``StressResult`` [GPa].

    Hydrostatic stress is the mean normal stress, positive in tension (the colour bar says
    so). Von Mises maps outline where the stress exceeds ``yield_GPa`` (default: the upper
    LixSi flow stress, 1.5 GPa) and give the volume fraction above it in the title, the
    ``fraction_above_yield`` of :meth:`StressResult.summary`. ``mirror=True`` reflects an
    axisymmetric half-section about the axis. ``regions`` (one id per element, e.g. the
    layer index) keeps the yield contour from being smeared across material interfaces.
    ``title`` replaces the first line of the
    title (what is shown); the second line (sign convention or yield fraction) stays.
    Linear-elastic values: LixSi yields near 0.5-1.5 GPa.

    References
    ----------
    seed 002, Fig. 2i,j and Fig. 4c,d.
    """
    from sianode.validation import OneOf, check_params

    check_params({"quantity": quantity},
                 {"quantity": OneOf("stress quantity", ("von_mises", "hydrostatic"))})
    vm = quantity == "von_mises"
    vals = stress.von_mises_GPa if vm else stress.hydrostatic_GPa
    per_el = np.sum(vals * stress.weight, axis=1) / np.sum(stress.weight, axis=1)
    mesh = stress.mesh
    if regions is not None:
        regions = np.asarray(regions)
    if mirror:
        mesh, per_el = _mirror(mesh, per_el)
        if regions is not None:
            regions = np.concatenate([regions, regions])
    ax = plot_element_field(mesh, per_el, ax, label=_VM_LABEL if vm else HYDROSTATIC_LABEL,
                            cmap="inferno" if vm else "RdBu_r", symmetric=not vm, cell=cell)
    if vm:
        y = _yield_GPa() if yield_GPa is None else float(yield_GPa)
        frac = stress.summary(yield_GPa=y)["fraction_above_yield"]
        _region_contour(ax, mesh, per_el, y, regions)
        head = title or "von Mises stress, linear elastic"
        ax.set_title(f"{head}\n{100 * frac:.1f} % of volume > {y:g} GPa (Li$_x$Si yield)")
        cb = ax.collections[0].colorbar
        if cb is not None:  # the yield stress on the colour bar, in the contour's colour
            cb.ax.axhline(y, color=_YIELD_COLOR, lw=1.5)
            cb.ax.annotate("yield", (1.0, y), xycoords=("axes fraction", "data"),
                           xytext=(-2, 3), textcoords="offset points", ha="right",
                           va="bottom", fontsize=6, color=_YIELD_COLOR)
    else:
        head = title or "hydrostatic stress, linear elastic"
        ax.set_title(f"{head}\n$\\sigma_m = (\\sigma_{{11}}+\\sigma_{{22}}+\\sigma_{{33}})/3$, "
                     "tension > 0")
    if mirror:
        ax.set_xlabel("r [µm]")
        ax.set_ylabel("z [µm]")
    return ax


def _region_contour(ax: Any, mesh: Any, per_el: np.ndarray, level: float,
                    regions: np.ndarray | None) -> None:
    """Contour ``level`` of an element field, vertex-averaged within each region only."""
    import matplotlib.tri as mtri

    regions = np.zeros(len(per_el), dtype=int) if regions is None else regions
    for rid in np.unique(regions):
        sel = regions == rid
        t = mesh.t[:, sel]
        acc = np.zeros(mesh.p.shape[1])
        cnt = np.zeros(mesh.p.shape[1])
        np.add.at(acc, t.ravel(), np.repeat(per_el[sel][None], 3, axis=0).ravel())
        np.add.at(cnt, t.ravel(), 1)
        vv = np.where(cnt > 0, acc / np.maximum(cnt, 1), np.nan)
        if not np.nanmin(vv) < level < np.nanmax(vv):
            continue
        tri = mtri.Triangulation(mesh.p[0], mesh.p[1], t.T)
        ax.tricontour(tri, np.nan_to_num(vv, nan=level), levels=[level], colors=[_YIELD_COLOR],
                      linewidths=0.8)


def _outline_lithiated(ax: Any, result: Any) -> None:
    """Contour s = 0.5 of a particle (both halves) with region names."""
    import matplotlib.tri as mtri

    x = result.stress.x_um
    r, z, s = x[0].ravel(), x[1].ravel(), np.asarray(result.si_fraction).ravel()
    tri = mtri.Triangulation(np.r_[r, -r], np.r_[z, z])
    ax.tricontour(tri, np.r_[s, s], levels=[0.5], colors=["#009E73"], linewidths=1.0,
                  linestyles="--")
    inside = s > 0.5
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}
    zc = float(np.average(z[inside])) if inside.any() else 0.0
    ax.text(0.0, zc, "Si", ha="center", va="center", fontsize=7, bbox=box, zorder=5)
    if (~inside).any():  # the lithiated region always reaches the south pole
        ax.text(0.0, z[~inside].min() + 0.06 * result.radius_um, formula_tex("LixSi"),
                ha="center", va="bottom", fontsize=7, bbox=box, zorder=5)


@styled
def interlayer_figures(res: Any) -> dict[str, Any]:
    """The figures of an ``InterlayerResult``: current, front, von Mises, hydrostatic.

    Returns
    -------
    dict
        ``{"current": Figure, "front": ..., "von_mises": ..., "hydrostatic": ...}``.

    References
    ----------
    seed 002, Fig. 2i,j.
    """
    cell = res.pristine.lmesh.cell
    mats = res.pristine.lmesh.materials
    n = len(mats)
    axes = new_axes(width="double", aspect=0.42, ncols=2)
    j = res.pristine.current_A_cm2
    plot_element_field(res.pristine.lmesh.mesh, np.hypot(*j) * 1e3, axes[0], log=True,
                       label=unit_label("|J|, pristine cell", "mA/cm2"), cell=cell)
    axes[0].set_title(f"{' | '.join(material_label(m) for m in mats)}: current density")
    below = material_label(mats[n - 2])
    m_pristine = res.pristine.metrics()
    m_final = res.front.conduction.metrics()
    plot_interface_flux(res.pristine.interface_flux(n - 2, "above"), axes[1],
                        label=f"into {below} from SSE, pristine (CV "
                              f"{m_pristine['sse_flux_cv']:.3f})",
                        color="#0072B2", lw=2.2)
    plot_interface_flux(res.front.conduction.interface_flux(n - 2, "above"), axes[1],
                        resolution_um=None, color="#D55E00", ls="--",
                        label=f"same, end of lithiation (CV {m_final['sse_flux_cv']:.3f})")
    from sianode.electrode.fields import get_material

    mat_over = res.pristine.materials
    reactive = [i for i, m in enumerate(mats[:-1]) if get_material(m, mat_over).reactive]
    if reactive and reactive[-1] != n - 2:  # an interlayer between Si and the SSE
        k = reactive[-1]
        plot_interface_flux(res.pristine.interface_flux(k, "below"), axes[1],
                            resolution_um=None, color="#009E73",
                            label=f"into top of {material_label(mats[k])}, pristine (CV "
                                  f"{m_pristine['anode_flux_cv']:.3f})")
    axes[1].set_title("Current density across the interfaces")
    lo, hi = axes[1].get_ylim()
    axes[1].set_ylim(min(lo, 0.0), hi + 0.45 * (hi - min(lo, 0.0)))
    axes[1].legend(loc="upper center")
    figs = {"current": axes[0].figure}
    ax = new_axes(aspect=1.12)
    plot_front_frames(res.front, ax)
    figs["front"] = ax.figure
    for q in ("von_mises", "hydrostatic"):
        ax = new_axes(aspect=1.12)
        plot_stress_field(res.stress, ax, quantity=q, cell=cell,
                          regions=res.front.lmesh.layer_index)
        figs[q] = ax.figure
    return figs


@styled
def particle_figures(res: Any) -> dict[str, Any]:
    """von Mises and hydrostatic maps of a ``ParticleResult`` (mirrored section), with the
    lithiated region outlined and named.

    References
    ----------
    seed 002, Fig. 4c,d.
    """
    figs = {}
    mode = {"point": "point contact", "shell": "Li-Si shell"}.get(res.mode, res.mode)
    for q in ("von_mises", "hydrostatic"):
        ax = new_axes(aspect=0.9)
        what = "von Mises" if q == "von_mises" else "hydrostatic"
        plot_stress_field(res.stress, ax, quantity=q, mirror=True,
                          title=f"{mode}, {100 * res.lithiated_fraction:.0f} % lithiated: "
                                f"{what}")
        _outline_lithiated(ax, res)
        figs[q] = ax.figure
    return figs

