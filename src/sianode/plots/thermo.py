"""Figures of the thermo layer: Fig. 3e (constrained profiles), capacity vs K_eff, Fig. 3f map.

Each function takes data and an optional matplotlib ``ax`` and returns the axes; the PNG map
and the interactive HTML map are built from one description (:func:`screen_map_spec`), so
their titles, axis labels, ranges and legend names agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode.plots.style import (
    K_CRIT,
    K_EFF,
    K_STOP,
    formula_tex,
    integer_ticks,
    label,
    mathtext_to_html,
    new_axes,
    save,
    styled,
)
from sianode.thermo.boundary import ENVELOPE_FRACTION_BELOW

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "save",
    "plot_constrained_profiles",
    "plot_capacity_vs_k",
    "screen_map_spec",
    "screen_map_rows",
    "plot_screen_map",
    "screen_label_offsets",
    "no_reaction_strip",
    "plot_element_frequencies",
    "plot_pair_cooccurrence",
    "screen_map_plotly",
    "screen_map_html",
]


def _per_gram(host: str) -> str:
    return f"mAh g$^{{-1}}$ {formula_tex(host)}" if host else "mAh g$^{-1}$"


@styled
def plot_constrained_profiles(profiles: Sequence[Any], ax: Axes | None = None) -> Axes:
    """Voltage [V] vs capacity [mAh/g host] at each K_eff (seed 001 Fig. 3e).

    Parameters
    ----------
    profiles : sequence of ConstrainedProfile
        From :meth:`sianode.thermo.LithiationEngine.profile`, one per K_eff.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    References
    ----------
    Seed 001, Fig. 3e.
    """
    ax = new_axes(ax)
    import matplotlib

    cmap = matplotlib.colormaps["viridis"]
    n = max(len(profiles) - 1, 1)
    for i, p in enumerate(profiles):
        xs, ys = [0.0], []
        for s in p.steps:
            xs += [s.capacity_start_mAh_g, s.capacity_end_mAh_g]
            ys += [s.voltage_V, s.voltage_V]
        if p.steps:
            xs = xs[1:] + [p.steps[-1].capacity_end_mAh_g]
            ys = ys + [0.0]
        else:
            xs, ys = [0.0, 0.0], [0.0, 0.0]
        name = f"{p.k_eff_GPa:g}" if p.steps else f"{p.k_eff_GPa:g} (no lithiation)"
        ax.plot(xs, ys, color=cmap(0.9 * i / n), lw=1.5, label=name)
    host = profiles[0].host if profiles else ""
    ax.set(xlabel=label("capacity", _per_gram(host)), ylabel="voltage vs Li/Li$^+$ [V]",
           title=f"{formula_tex(host)} under constriction")
    top = max((s.voltage_V for p in profiles for s in p.steps), default=0.1)
    ax.set_ylim(0, 1.45 * top)  # the legend sits above the curves
    ax.set_xlim(left=0)
    ax.legend(title=f"{K_EFF} [GPa]", loc="upper right", ncols=2 if len(profiles) > 3 else 1,
              columnspacing=1.0)
    return ax


@styled
def plot_capacity_vs_k(k_eff_GPa: Iterable[float], capacity_mAh_g: Iterable[float], host: str,
                       k_stop_GPa: float | None = None, ax: Axes | None = None) -> Axes:
    """Capacity above 0 V [mAh/g host] vs effective modulus [GPa], stop modulus marked.

    The ``K_stop`` label sits inside the frame, left of its line.

    References
    ----------
    Seed 001, Fig. 3e (capacity falls to 0 at K_crit = 5.5 GPa for Si).
    """
    ax = new_axes(ax)
    ax.plot(list(k_eff_GPa), list(capacity_mAh_g), lw=1.5, drawstyle="steps-post",
            label="capacity above 0 V")
    title = f"{formula_tex(host)}: lithiation capacity under constriction"
    if k_stop_GPa is not None:
        ax.axvline(k_stop_GPa, ls="--", color="k", lw=0.8, label=f"{K_STOP}")
        ax.annotate(f"{K_STOP} = {k_stop_GPa:.2f} GPa", xy=(k_stop_GPa, 0.95),
                    xycoords=("data", "axes fraction"), xytext=(-3, 0),
                    textcoords="offset points", ha="right", va="top")
    else:
        ax.text(0.97, 0.95, "lithiation not stoppable", transform=ax.transAxes, ha="right",
                va="top")
    ax.set(xlabel=f"{K_EFF} [GPa]", ylabel=label("capacity above 0 V", _per_gram(host)),
           title=title)
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    return ax


# --- seed 001 Fig. 3f -----------------------------------------------------------------------

SCREEN_X_LABEL = rf"lithiation composition $\mathit{{n}}$ / {K_CRIT} [GPa$^{{-1}}$]"
#: % of the windowed hosts on or below the fitted envelope (summary.json's boundary)
_ENVELOPE_PCT = round(100 * ENVELOPE_FRACTION_BELOW, 1)
_NU_K = r"$\mathit{nU}$/" + K_CRIT  # x*y of the map: lithiation energy per unit constriction
SCREEN_Y_LABEL = "voltage vs Li/Li$^+$ [V]"
#: label of the strip under the map that names highlighted hosts without a point on it
NO_REACTION_LABEL = "no lithiation at 0 V"


def _nice_top(v: float) -> float:
    return float(np.ceil(max(v, 0.05) * 1.05 * 10) / 10)


def screen_map_spec(df: Any, region: tuple[float, float] = (0.35, 0.55),
                    boundary_c: float | None = None,
                    highlight: Sequence[str] = ()) -> dict[str, Any]:
    """What the Fig. 3f map shows, shared by the PNG and the HTML renderer.

    Parameters
    ----------
    df : pandas.DataFrame
        Screening rows with ``x_per_GPa`` (n/K_crit [1/GPa]), ``voltage_V``, ``formula``,
        ``reaction_energy_eV_per_atom``.
    region : (float, float)
        Boundary region x*y [eV/GPa] (seed 001's dashed lines: 0.35 and 0.55).
    boundary_c : float, optional
        Fitted reciprocal envelope ``y = c/x`` [eV/GPa].
    highlight : sequence of str
        Host formulas to name (the lowest-reaction-energy row of each that is present).
        A highlighted host whose rows say it takes up no Li at 0 V (``status`` is
        ``"no_reaction"``, or without a ``status`` column ``li_per_host_atom`` is 0) has no
        point (n = 0 and no K_crit, so no x on a log axis): it is named in ``no_reaction``,
        which both renderers draw as a strip under the map (seed 001 names Cu and Ti so).

    Returns
    -------
    dict
        ``x``, ``y`` (finite points), ``xlim``, ``ylim`` (log-x and linear-y limits),
        ``curve_x``, ``title``, ``xlabel``, ``ylabel`` (mathtext), ``region``,
        ``boundary_c``, ``named`` (list of (formula, x, y)), ``no_reaction`` (formulas),
        ``no_reaction_label``, ``n``.

    References
    ----------
    Seed 001, Fig. 3f.
    """
    x = df["x_per_GPa"].to_numpy(float)
    y = df["voltage_V"].to_numpy(float)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0)
    if ok.any():
        lo, hi = np.log10(x[ok].min()), np.log10(x[ok].max())
        xlim = (10 ** (np.floor(lo * 2) / 2), 10 ** (np.ceil(hi * 2) / 2))
        ylim = (0.0, min(_nice_top(float(y[ok].max())), 3.0))
    else:
        xlim, ylim = (1e-2, 1e1), (0.0, 1.0)
    named, no_reaction = [], []
    none = _takes_no_li(df) & ~ok
    for name in highlight:
        rows = df[(df["formula"] == name) & ok]
        if len(rows):
            r = rows.iloc[int(np.argmin(rows["reaction_energy_eV_per_atom"].to_numpy()))]
            named.append((name, float(r["x_per_GPa"]), float(r["voltage_V"])))
        elif (none & (df["formula"] == name).to_numpy()).any():
            no_reaction.append(name)
    n = int(ok.sum())
    c = boundary_c if boundary_c is not None and np.isfinite(boundary_c) else None
    return {
        "x": x[ok], "y": y[ok], "ok": ok, "xlim": xlim, "ylim": ylim, "n": n,
        "curve_x": np.logspace(np.log10(xlim[0]), np.log10(xlim[1]), 200),
        "title": f"Voltage vs constriction susceptibility, {n} hosts",
        "xlabel": SCREEN_X_LABEL, "ylabel": SCREEN_Y_LABEL,
        "region": tuple(float(v) for v in region), "boundary_c": c, "named": named,
        "no_reaction": no_reaction, "no_reaction_label": NO_REACTION_LABEL,
        "points_label": f"{n} hosts",
        "region_label": f"{_NU_K} = {region[0]:g}, {region[1]:g} eV GPa$^{{-1}}$",
        # the constant of thermo.boundary.fit_reciprocal_envelope (summary.json)
        "envelope_label": None if c is None else (
            f"envelope (≥{_ENVELOPE_PCT:g} % below), {c:.2f} eV GPa$^{{-1}}$"),
    }


def _takes_no_li(df: Any) -> np.ndarray:
    """Rows of a screening table whose host takes up no Li at 0 V."""
    if "status" in df:
        return (df["status"] == "no_reaction").to_numpy()
    if "li_per_host_atom" in df:
        return (df["li_per_host_atom"].to_numpy(float) == 0)
    return np.zeros(len(df), dtype=bool)


def screen_map_rows(df: Any, flt: Any = None, highlight: Sequence[str] = ()) -> Any:
    """The rows the Fig. 3f map is drawn from: the reacting hosts inside the windows of
    ``flt`` (:func:`sianode.thermo.boundary.apply_filter`) and the rows of the ``highlight``
    hosts that take up no Li at 0 V (named in the strip under the map, not plotted).

    Parameters
    ----------
    df : pandas.DataFrame
        The whole screening table (:func:`sianode.thermo.screen.screen`).
    flt : ScreenFilter, optional
        Voltage, capacity and band-gap windows.
    highlight : sequence of str
        Host formulas named on the map.

    References
    ----------
    Seed 001, Fig. 3f (Cu and Ti, "which lack lithiation capacity").
    """
    import pandas as pd

    from sianode.thermo.boundary import apply_filter

    sel = apply_filter(df, flt)
    extra = df[_takes_no_li(df) & df["formula"].isin(list(highlight)).to_numpy()]
    return pd.concat([sel, extra]) if len(extra) else sel


#: where the no-lithiation strip sits when the caller gives the map's axes: [x0, y0, width,
#: height] in that axes' fraction (leave room under it); on a new figure it is its own row
_STRIP_BOUNDS = (0.0, -0.4, 1.0, 0.1)


def _strip_positions(n: int) -> np.ndarray:
    """x of each name in the strip (strip fraction), right of its label."""
    step = min(0.13, 0.52 / max(n, 1))
    return 0.46 + step * np.arange(n)


@styled
def plot_screen_map(df: Any, region: tuple[float, float] = (0.35, 0.55),
                    boundary_c: float | None = None, highlight: Sequence[str] = (),
                    ax: Axes | None = None) -> Axes:
    """Fig. 3f: voltage vs n/K_crit with the region lines, envelope and named hosts.

    Named hosts are labelled without overlap (:func:`sianode.plots.labels.place_labels`);
    each label's ``gid`` is the plain formula (see :func:`screen_label_offsets`). Named
    hosts that take up no Li at 0 V (Cu, Ti) have no point on the map: they are named in a
    framed strip under the x axis labelled "no lithiation at 0 V" (axes with gid
    ``"no-reaction-strip"``, see :func:`no_reaction_strip`; each name's gid is
    ``"no-reaction:<formula>"``): a row of its own on a new figure, an inset under a given
    ``ax`` (leave room below it). On a new figure the legend (``ax.get_legend()``) sits in
    a row of its own under the map (axes with gid ``"screen-legend"``), so it hides no
    point; on a given ``ax`` it goes in the upper right.

    References
    ----------
    Seed 001, Fig. 3f.
    """
    from sianode.plots.labels import place_labels

    spec = screen_map_spec(df, region, boundary_c, highlight)
    strip = legend_row = None
    if ax is None:  # rows under the map: the legend, then hosts without a point
        heights = [1.0, 0.24] + ([0.085] if spec["no_reaction"] else [])
        axes = new_axes(None, aspect=0.8 + sum(heights[1:]) * 0.9, nrows=len(heights),
                        gridspec_kw={"height_ratios": heights})
        ax, legend_row = axes[0], axes[1]
        strip = axes[2] if spec["no_reaction"] else None
        legend_row.set_gid("screen-legend")
        legend_row.axis("off")
    ax.scatter(spec["x"], spec["y"], s=3, alpha=0.45, color="0.45", lw=0,
               label=spec["points_label"], rasterized=True)
    xs = spec["curve_x"]
    for i, c in enumerate(spec["region"]):
        ax.plot(xs, c / xs, ls="--", color="#0072B2", lw=0.9,
                label=spec["region_label"] if i == 0 else "_nolegend_")
    if spec["boundary_c"] is not None:
        ax.plot(xs, spec["boundary_c"] / xs, color="#D55E00", lw=1.0,
                label=spec["envelope_label"])
    ax.set_xscale("log")
    ax.set_xlim(*spec["xlim"])
    ax.set_ylim(*spec["ylim"])
    ax.set(xlabel=spec["xlabel"], ylabel=spec["ylabel"], title=spec["title"])
    if spec["named"]:
        names, nx, ny = zip(*spec["named"])
        ax.scatter(nx, ny, s=16, color="#E69F00", edgecolor="k", lw=0.5, zorder=4,
                   label="named hosts")
    if legend_row is None:  # a given axes: the legend on it
        ax.legend(loc="upper right", markerscale=1.5)
    else:  # the map's legend in its own row, so that it hides no point (ax.get_legend())
        leg = ax.legend(loc="center", bbox_to_anchor=(0.5, 0.5),
                        bbox_transform=legend_row.transAxes, markerscale=1.5,
                        fontsize="small", frameon=False, borderaxespad=0.0, labelspacing=0.3)
        leg.set_in_layout(False)
    if spec["named"]:
        place_labels(ax, nx, ny, [formula_tex(n) for n in names], gids=names)
    if spec["no_reaction"]:
        _draw_no_reaction_strip(strip if strip is not None else ax.inset_axes(_STRIP_BOUNDS),
                                spec["no_reaction"], spec["no_reaction_label"])
    return ax


def no_reaction_strip(ax: Axes) -> Axes | None:
    """The strip :func:`plot_screen_map` drew under ``ax`` (None if it drew none)."""
    for a in (*ax.child_axes, *ax.figure.axes):
        if a.get_gid() == "no-reaction-strip":
            return a
    return None


def _draw_no_reaction_strip(strip: Axes, names: Sequence[str], text: str) -> Axes:
    """A framed strip naming hosts that have no point on the map."""
    strip.set_gid("no-reaction-strip")
    strip.set(xlim=(0, 1), ylim=(0, 1), xticks=[], yticks=[])
    strip.text(0.015, 0.5, text, ha="left", va="center", gid="no-reaction-label")
    xs = _strip_positions(len(names))
    strip.scatter(xs, np.full(len(xs), 0.5), s=16, color="#E69F00", edgecolor="k", lw=0.5,
                  clip_on=False)
    for x, name in zip(xs, names, strict=True):
        strip.text(x + 0.018, 0.5, formula_tex(name), ha="left", va="center",
                   gid=f"no-reaction:{name}")
    return strip


def screen_label_offsets(ax: Axes) -> dict[str, tuple[float, float]]:
    """Offsets [pt] of the host labels :func:`plot_screen_map` placed, by formula."""
    return {t.get_gid(): tuple(t.xyann) for t in ax.texts if t.get_gid()}


@styled
def plot_element_frequencies(counts: Sequence[tuple[str, int]], ax: Axes | None = None, *,
                             region: tuple[float, float] | None = None,
                             n_hosts: int | None = None) -> Axes:
    """Bar chart of how many boundary-region hosts contain each element (Fig. 3f inset).

    Parameters
    ----------
    counts : sequence of (element, count)
        Most frequent first (``boundary_summary(...)["top_elements"]``).
    region : (float, float), optional
        The x*y region [eV/GPa], for the title.
    n_hosts : int, optional
        Hosts in the region, for the title.

    References
    ----------
    Seed 001, Fig. 3f inset.
    """
    ax = new_axes(ax, aspect=0.6)
    labels = [c[0] for c in counts]
    values = [int(c[1]) for c in counts]
    bars = ax.bar(labels, values, color="#0072B2")
    ax.bar_label(bars, padding=1, fontsize=6)
    integer_ticks(ax.yaxis)
    ax.set_ylim(0, max(values, default=1) * 1.15 + 0.5)
    ax.set(xlabel="element", ylabel="hosts containing the element")
    head = "Elements in the boundary region"
    if n_hosts is not None:
        head = f"Elements of the {n_hosts} hosts in the boundary region"
    if region is not None:
        head += f"\n{region[0]:g} $\\leq$ {_NU_K} $\\leq$ {region[1]:g} eV GPa$^{{-1}}$"
    ax.set_title(head)
    return ax


@styled
def plot_pair_cooccurrence(pairs: Sequence[tuple[str, int]], ax: Axes | None = None, *,
                           max_band_gap_eV: float | None = None) -> Axes:
    """Heat map of element-pair counts in the boundary region (Extended Data Fig. 6g).

    Cells are annotated with their counts; the diagonal (an element with itself) is blank.

    References
    ----------
    Seed 001, Extended Data Fig. 6g.
    """
    ax = new_axes(ax, aspect=0.9)
    els = sorted({e for p, _ in pairs for e in p.split("-")})
    m = np.zeros((len(els), len(els)))
    for p, n in pairs:
        a, b = p.split("-")
        i, j = els.index(a), els.index(b)
        m[i, j] = m[j, i] = n
    shown = np.where(np.eye(len(els), dtype=bool), np.nan, m)
    import matplotlib

    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="0.85")
    im = ax.imshow(shown, cmap=cmap, vmin=0)
    vmax = np.nanmax(shown) if np.isfinite(shown).any() else 1
    for i in range(len(els)):
        for j in range(len(els)):
            if i != j and m[i, j] > 0:
                ax.text(j, i, f"{int(m[i, j])}", ha="center", va="center", fontsize=6,
                        color="white" if m[i, j] > 0.6 * vmax else "black")
    ax.set_xticks(range(len(els)), els)
    ax.set_yticks(range(len(els)), els)
    cb = ax.figure.colorbar(im, ax=ax, label="hosts containing both")
    integer_ticks(cb.ax.yaxis)
    gap = f"\nhosts with band gap < {max_band_gap_eV:g} eV" if max_band_gap_eV is not None else ""
    ax.set_title(f"Element pairs in the boundary region{gap}")
    return ax


def screen_map_plotly(df: Any, region: tuple[float, float] = (0.35, 0.55),
                      boundary_c: float | None = None, highlight: Sequence[str] = (),
                      label_offsets_pt: Mapping[str, tuple[float, float]] | None = None) -> Any:
    """The interactive Fig. 3f as a ``plotly.graph_objects.Figure``.

    Title, axis labels, axis ranges and legend names are those of :func:`plot_screen_map`
    (both come from :func:`screen_map_spec`); ``label_offsets_pt`` (from
    :func:`screen_label_offsets`) puts the host labels where the PNG has them.

    Raises
    ------
    DependencyError
        plotly (extra ``plot``) is not installed.

    References
    ----------
    Seed 001, Fig. 3f.
    """
    try:
        import plotly.graph_objects as go
    except ImportError:
        from sianode.errors import DependencyError

        raise DependencyError("plotly", "plot", "interactive figures") from None
    spec = screen_map_spec(df, region, boundary_c, highlight)
    d = df[spec["ok"]]
    h = mathtext_to_html
    fig = go.Figure(go.Scattergl(
        x=d["x_per_GPa"], y=d["voltage_V"], mode="markers",
        marker={"size": 4, "opacity": 0.5, "color": "gray"},
        text=[f"{f} ({i})<br>-> {p}<br>K_crit {k:.2f} GPa" for f, i, p, k in
              zip(d["formula"], d["id"], d["products"], d["k_crit_GPa"], strict=True)],
        hoverinfo="text", name=spec["points_label"]))
    xs = spec["curve_x"]
    for i, c in enumerate(spec["region"]):
        fig.add_trace(go.Scatter(x=xs, y=c / xs, mode="lines", name=h(spec["region_label"]),
                                 legendgroup="region", showlegend=i == 0,
                                 line={"dash": "dash", "color": "#0072B2"}, hoverinfo="skip"))
    if spec["boundary_c"] is not None:
        fig.add_trace(go.Scatter(x=xs, y=spec["boundary_c"] / xs, mode="lines",
                                 name=h(spec["envelope_label"]),
                                 line={"color": "#D55E00"}, hoverinfo="skip"))
    if spec["named"]:
        names, nx, ny = zip(*spec["named"])
        fig.add_trace(go.Scatter(x=nx, y=ny, mode="markers", name="named hosts",
                                 marker={"size": 8, "color": "#E69F00",
                                         "line": {"width": 1, "color": "black"}},
                                 text=list(names), hoverinfo="text"))
        px = 96 / 72 * 1.5
        for name, x, y in spec["named"]:
            dx, dy = (label_offsets_pt or {}).get(name, (4.0, 4.0))
            fig.add_annotation(x=np.log10(x), y=y, text=h(formula_tex(name)), ax=dx * px,
                               ay=-dy * px, showarrow=True, arrowhead=0, arrowwidth=0.6,
                               xanchor="left" if dx > 0 else ("right" if dx < 0 else "center"),
                               yanchor="bottom" if dy > 0 else ("top" if dy < 0 else "middle"))
    fig.update_layout(
        xaxis={"type": "log", "title": h(spec["xlabel"]),
               "range": [np.log10(spec["xlim"][0]), np.log10(spec["xlim"][1])]},
        yaxis={"title": h(spec["ylabel"]), "range": list(spec["ylim"])},
        title=h(spec["title"]), template="simple_white")
    if spec["no_reaction"]:
        _plotly_no_reaction_strip(fig, go, spec["no_reaction"], spec["no_reaction_label"])
    return fig


def _plotly_no_reaction_strip(fig: Any, go: Any, names: Sequence[str], text: str) -> None:
    """The PNG's strip under the map: its own x2/y2 axes, framed, the same names."""
    xs = _strip_positions(len(names))
    fig.add_trace(go.Scatter(
        x=xs, y=[0.5] * len(xs), xaxis="x2", yaxis="y2", mode="markers+text",
        text=[mathtext_to_html(formula_tex(n)) for n in names], textposition="middle right",
        marker={"size": 8, "color": "#E69F00", "line": {"width": 1, "color": "black"}},
        name=text, showlegend=False, hovertext=[f"{n}: {text}" for n in names],
        hoverinfo="text"))
    fig.add_annotation(x=0.015, y=0.5, xref="x2", yref="y2", text=text, showarrow=False,
                       xanchor="left")
    hidden = {"range": [0, 1], "showticklabels": False, "ticks": "", "showgrid": False,
              "zeroline": False, "mirror": True, "showline": True, "linecolor": "black"}
    fig.update_layout(
        yaxis={"domain": [0.22, 1.0]},
        xaxis2={**hidden, "domain": [0.0, 1.0], "anchor": "y2"},
        yaxis2={**hidden, "domain": [0.0, 0.07], "anchor": "x2"},
        height=620)


def screen_map_html(df: Any, path: str | Path, region: tuple[float, float] = (0.35, 0.55),
                    boundary_c: float | None = None, highlight: Sequence[str] = (),
                    label_offsets_pt: Mapping[str, tuple[float, float]] | None = None
                    ) -> Path:
    """Write :func:`screen_map_plotly` as one self-contained HTML file (atomically).

    References
    ----------
    Seed 001, Fig. 3f.
    """
    fig = screen_map_plotly(df, region, boundary_c, highlight, label_offsets_pt)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.tmp")
    fig.write_html(tmp, include_plotlyjs=True)
    tmp.replace(p)
    return p
