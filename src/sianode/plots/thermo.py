"""Figures of the thermo layer: Fig. 3e (constrained profiles), capacity vs K_eff, Fig. 3f map.

Each function takes data and an optional matplotlib ``ax`` and returns the axes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "save",
    "plot_constrained_profiles",
    "plot_capacity_vs_k",
    "plot_screen_map",
    "plot_element_frequencies",
    "plot_pair_cooccurrence",
    "screen_map_html",
]


def _ax(ax: Axes | None, figsize: tuple[float, float] = (5.0, 4.0)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # the user's backend is left alone

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def save(fig: Any, path: str | Path, dpi: int = 150) -> Path:
    """Save a figure, creating the folder, and close it."""
    import matplotlib.pyplot as plt

    from sianode.atomic import atomic_path

    p = Path(path)
    with atomic_path(p) as tmp:  # unique temporary name: concurrent runs never collide
        fig.savefig(tmp, dpi=dpi, format=p.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    return p


def plot_constrained_profiles(profiles: Sequence[Any], ax: Axes | None = None) -> Axes:
    """Voltage [V] vs capacity [mAh/g] at each K_eff (seed 001 Fig. 3e)."""
    ax = _ax(ax)
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("viridis")
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
        ax.plot(xs, ys, color=cmap(i / n), lw=2, label=f"{p.k_eff_GPa:g} GPa")
    host = profiles[0].host if profiles else ""
    ax.set(xlabel=f"capacity [mAh/g {host}]", ylabel="voltage vs Li/Li$^+$ [V]",
           title=f"{host} under constriction $K_{{eff}}$")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.legend(title="$K_{eff}$", fontsize="small")
    return ax


def plot_capacity_vs_k(k_eff_GPa: Iterable[float], capacity_mAh_g: Iterable[float], host: str,
                       k_stop_GPa: float | None = None, ax: Axes | None = None) -> Axes:
    """0 V capacity [mAh/g] vs effective modulus [GPa], with the stop modulus marked."""
    ax = _ax(ax)
    ax.plot(list(k_eff_GPa), list(capacity_mAh_g), lw=2, drawstyle="steps-post")
    if k_stop_GPa is not None:
        ax.axvline(k_stop_GPa, ls="--", color="k", lw=1)
        ax.annotate(f"$K_{{stop}}$ = {k_stop_GPa:.2f} GPa", (k_stop_GPa, 0),
                    xytext=(4, 20), textcoords="offset points", fontsize="small")
    ax.set(xlabel="$K_{eff}$ [GPa]", ylabel=f"capacity above 0 V [mAh/g {host}]")
    ax.set_ylim(bottom=0)
    return ax


def plot_screen_map(df: Any, region: tuple[float, float] = (0.35, 0.55),
                    boundary_c: float | None = None, highlight: Sequence[str] = (),
                    ax: Axes | None = None) -> Axes:
    """Fig. 3f: voltage vs n/K_crit with reciprocal lines and named hosts highlighted."""
    ax = _ax(ax, (6.0, 4.5))
    x = df["x_per_GPa"].to_numpy(float)
    y = df["voltage_V"].to_numpy(float)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0)
    ax.scatter(x[ok], y[ok], s=4, alpha=0.35, color="0.4", lw=0, label=f"{ok.sum()} entries")
    xs = np.logspace(np.log10(max(x[ok].min(), 1e-4)), np.log10(x[ok].max()), 100) if ok.any() \
        else np.logspace(-2, 1, 100)
    for c in region:
        ax.plot(xs, c / xs, ls="--", color="tab:blue", lw=1)
    if boundary_c is not None and np.isfinite(boundary_c):
        ax.plot(xs, boundary_c / xs, color="tab:red", lw=1.2, label=f"y = {boundary_c:.2f}/x")
    for name in highlight:
        rows = df[(df["formula"] == name) & ok]
        if len(rows):
            r = rows.iloc[int(np.argmin(rows["reaction_energy_eV_per_atom"].to_numpy()))]
            ax.scatter([r["x_per_GPa"]], [r["voltage_V"]], s=40, zorder=3)
            ax.annotate(name, (r["x_per_GPa"], r["voltage_V"]), xytext=(4, 4),
                        textcoords="offset points", fontsize="small")
    ax.set_xscale("log")
    top = float(np.nanmax(y[ok])) if ok.any() else 1.0
    ax.set_ylim(0, min(max(top * 1.05, 0.1), 3.0))
    ax.set(xlabel="lithiation composition / $K_{crit}$ [Li atom$^{-1}$ GPa$^{-1}$]",
           ylabel="voltage vs Li/Li$^+$ [V]")
    ax.legend(fontsize="small")
    return ax


def plot_element_frequencies(counts: Sequence[tuple[str, int]], ax: Axes | None = None) -> Axes:
    """Bar chart of element counts in the boundary region (Fig. 3f inset)."""
    ax = _ax(ax, (6.0, 3.0))
    labels = [c[0] for c in counts]
    ax.bar(labels, [c[1] for c in counts], color="tab:blue")
    ax.set(ylabel="entries in region")
    return ax


def plot_pair_cooccurrence(pairs: Sequence[tuple[str, int]], ax: Axes | None = None) -> Axes:
    """Heat map of element-pair counts in the boundary region (Extended Data Fig. 6g)."""
    ax = _ax(ax, (5.0, 4.5))
    els = sorted({e for p, _ in pairs for e in p.split("-")})
    m = np.zeros((len(els), len(els)))
    for p, n in pairs:
        a, b = p.split("-")
        i, j = els.index(a), els.index(b)
        m[i, j] = m[j, i] = n
    im = ax.imshow(m, cmap="Blues")
    ax.set_xticks(range(len(els)), els, rotation=90)
    ax.set_yticks(range(len(els)), els)
    ax.figure.colorbar(im, ax=ax, label="co-occurrences")
    return ax


def screen_map_html(df: Any, path: str | Path, region: tuple[float, float] = (0.35, 0.55),
                    boundary_c: float | None = None) -> Path:
    """Interactive Fig. 3f (plotly HTML, hover shows formula, id, products); self-contained."""
    try:
        import plotly.graph_objects as go
    except ImportError:
        from sianode.errors import DependencyError

        raise DependencyError("plotly", "plot", "interactive figures") from None
    x = df["x_per_GPa"].to_numpy(float)
    ok = np.isfinite(x) & (x > 0) & np.isfinite(df["voltage_V"].to_numpy(float))
    d = df[ok]
    fig = go.Figure(go.Scattergl(
        x=d["x_per_GPa"], y=d["voltage_V"], mode="markers", marker={"size": 4, "opacity": 0.5},
        text=[f"{f} ({i})<br>-> {p}<br>K_crit {k:.2f} GPa" for f, i, p, k in
              zip(d["formula"], d["id"], d["products"], d["k_crit_GPa"], strict=True)],
        hoverinfo="text", name="entries"))
    if len(d):
        xs = np.logspace(np.log10(d["x_per_GPa"].min()), np.log10(d["x_per_GPa"].max()), 100)
        for c in region:
            fig.add_trace(go.Scatter(x=xs, y=c / xs, mode="lines", name=f"x*y = {c:g} eV/GPa",
                                     line={"dash": "dash"}))
        if boundary_c is not None and np.isfinite(boundary_c):
            fig.add_trace(go.Scatter(x=xs, y=boundary_c / xs, mode="lines",
                                     name=f"envelope c = {boundary_c:.2f}"))
    fig.update_layout(xaxis={"type": "log", "title": "n / K_crit [1/GPa]"},
                      yaxis={"title": "voltage vs Li/Li+ [V]", "range": [0, 1.2]},
                      title="Constriction susceptibility map (seed 001 Fig. 3f)")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.write_html(p, include_plotlyjs=True)
    return p
