"""One figure style for every sianode figure, sized for a journal's supporting information.

What the style holds, and where each rule lives:

- sizes: :data:`SINGLE_COLUMN_IN` (3.5 in) or :data:`DOUBLE_COLUMN_IN` (7 in) wide,
  8 pt labels and 7 pt ticks/legends (:data:`RC`);
- units in brackets with mathtext exponents, ``capacity [mAh g$^{-1}$]``
  (:func:`label`, :data:`UNITS`);
- subscripted formulas, ``Mg2Si`` -> ``Mg$_{2}$Si`` (:func:`formula_tex`);
- a legend whenever more than one series is labelled (:func:`auto_legend`);
- integer ticks on counts (:func:`integer_ticks`);
- 300 dpi PNG, or PDF/SVG when the file name asks for it (:func:`save`).

The style is applied with :func:`matplotlib.rc_context` around each sianode plotting call
(:func:`styled`): the user's ``rcParams`` and backend are never changed. Figures that
sianode creates itself come from :func:`new_axes` (a :class:`~matplotlib.figure.Figure`
with its own Agg canvas, never registered with pyplot); axes passed in by the user are drawn
on as they are.

Examples
--------
>>> formula_tex("Li21Si5")
'Li$_{21}$Si$_{5}$'
>>> label("capacity", "mAh/g")
'capacity [mAh g$^{-1}$]'
>>> mathtext_to_html(r"$\\mathit{K}_\\mathrm{crit}$ [GPa$^{-1}$]")
'<i>K</i><sub>crit</sub> [GPa<sup>−1</sup>]'
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sianode.errors import ParameterError

__all__ = [
    "SINGLE_COLUMN_IN",
    "DOUBLE_COLUMN_IN",
    "DPI",
    "RC",
    "UNITS",
    "FORMATS",
    "K_EFF",
    "K_CRIT",
    "K_STOP",
    "context",
    "styled",
    "new_axes",
    "new_figure",
    "label",
    "formula_tex",
    "mathtext_to_html",
    "plain_text",
    "auto_legend",
    "integer_ticks",
    "save",
]

#: Width of a single journal column [in].
SINGLE_COLUMN_IN = 3.5
#: Width of a double (full-page) journal column [in].
DOUBLE_COLUMN_IN = 7.0
#: Resolution of raster output [dots per inch].
DPI = 300
#: File types :func:`save` writes, by extension.
FORMATS = ("png", "pdf", "svg")

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
_CYCLE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
          "#F0E442"]

#: rcParams of the sianode style (applied only inside :func:`context`).
RC: dict[str, Any] = {
    "figure.figsize": (SINGLE_COLUMN_IN, 0.75 * SINGLE_COLUMN_IN),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "savefig.dpi": DPI,
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "legend.frameon": True,
    "legend.framealpha": 0.85,
    "legend.edgecolor": "0.8",
    "legend.fancybox": False,
    "axes.linewidth": 0.6,
    "axes.prop_cycle": None,  # filled lazily (needs matplotlib's cycler)
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "mathtext.default": "regular",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
}

#: Unit spellings: plain key -> mathtext with exponents.
UNITS: dict[str, str] = {
    "mAh/g": "mAh g$^{-1}$",
    "mAh/cm2": "mAh cm$^{-2}$",
    "mA/cm2": "mA cm$^{-2}$",
    "mg/cm2": "mg cm$^{-2}$",
    "mWh/cm2": "mWh cm$^{-2}$",
    "Wh/kg": "Wh kg$^{-1}$",
    "1/GPa": "GPa$^{-1}$",
    "eV/GPa": "eV GPa$^{-1}$",
    "S/cm": "S cm$^{-1}$",
    "um": "µm",
    "deg": "°",
    "ohm": "Ω",
}

#: Mathtext symbols of the moduli (italic variable, upright subscript).
K_EFF = r"$\mathit{K}_\mathrm{eff}$"
K_CRIT = r"$\mathit{K}_\mathrm{crit}$"
K_STOP = r"$\mathit{K}_\mathrm{stop}$"

F = TypeVar("F", bound=Callable[..., Any])


def _rc() -> dict[str, Any]:
    from cycler import cycler

    rc = dict(RC)
    rc["axes.prop_cycle"] = cycler(color=_CYCLE)
    return rc


def context():
    """Context manager applying :data:`RC` (``matplotlib.rc_context``); restores on exit."""
    import matplotlib

    return matplotlib.rc_context(_rc())


def styled(func: F) -> F:
    """Decorator: run a plotting function inside :func:`context`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _width_in(width: str | float) -> float:
    if width == "single":
        return SINGLE_COLUMN_IN
    if width == "double":
        return DOUBLE_COLUMN_IN
    try:
        w = float(width)
    except (TypeError, ValueError):
        raise ParameterError("width", width, "'single', 'double' or a width in inches") from None
    if not 0.5 <= w <= 20:
        raise ParameterError("width", width, "a width between 0.5 and 20 in")
    return w


def new_axes(ax: Any = None, *, width: str | float = "single", aspect: float = 0.75,
             nrows: int = 1, ncols: int = 1, **subplot_kw: Any) -> Any:
    """The given axes, or a new styled figure's axes.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Returned unchanged if given.
    width : {"single", "double"} or float
        Figure width: one journal column (3.5 in), two (7 in), or inches.
    aspect : float
        Height over width of the whole figure.
    nrows, ncols : int
        Subplot grid (an array of axes is returned when it has more than one cell).
    **subplot_kw
        Passed to :meth:`matplotlib.figure.Figure.subplots` (``sharex``, ``subplot_kw``).

    Returns
    -------
    matplotlib Axes (or array of Axes)
        On a :class:`matplotlib.figure.Figure` with an Agg canvas, not registered with
        pyplot: nothing global changes; show it in a notebook with ``ax.figure``.
    """
    if ax is not None:
        return ax
    fig = new_figure(width=width, aspect=aspect)
    with context():
        return fig.subplots(nrows, ncols, **subplot_kw)


def new_figure(*, width: str | float = "single", aspect: float = 0.75) -> Any:
    """An empty styled :class:`~matplotlib.figure.Figure` (constrained layout, own Agg canvas,
    not registered with pyplot), ``width`` as in :func:`new_axes`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w = _width_in(width)
    with context():
        fig = Figure(figsize=(w, aspect * w), layout="constrained")
    FigureCanvasAgg(fig)  # a canvas of its own: pyplot and the backend are not involved
    return fig


def label(quantity: str, unit: str | None = None) -> str:
    """Axis label ``"quantity [unit]"`` with the unit in mathtext (:data:`UNITS`).

    >>> label("current density", "mA/cm2")
    'current density [mA cm$^{-2}$]'
    >>> label("cycle")
    'cycle'
    """
    if not unit:
        return quantity
    return f"{quantity} [{UNITS.get(unit, unit)}]"


_FORMULA = re.compile(r"(\(?[A-Z][a-z]?(\d+(\.\d+)?|[xyzδ])?\)?\d*)+")


def _sub_formula(token: str) -> str:
    if not _FORMULA.fullmatch(token):
        return token
    if not re.search(r"\d", token) and sum(c.isupper() for c in token) < 2:
        return token  # "Max", "Si": nothing to subscript, or not a formula
    return re.sub(r"(?<=[A-Za-z\)])(\d+(?:\.\d+)?|[xyzδ])", r"$_{\1}$", token)


def formula_tex(text: str) -> str:
    """Subscript the stoichiometric numbers of chemical formulas in ``text`` (mathtext).

    Only words that are formulas are changed (``"Li15Si4 plateau"`` ->
    ``"Li$_{15}$Si$_{4}$ plateau"``); text already holding ``$`` is returned as is.

    >>> formula_tex("Mg2Si")
    'Mg$_{2}$Si'
    >>> formula_tex("LixSi")
    'Li$_{x}$Si'
    >>> formula_tex("Si|Li21Si5|SSE")
    'Si|Li$_{21}$Si$_{5}$|SSE'
    """
    if "$" in text:
        return text
    return re.sub(r"[A-Za-z0-9().δ]+", lambda m: _sub_formula(m.group(0)), str(text))


def mathtext_to_html(text: str) -> str:
    r"""The HTML (plotly) spelling of a mathtext label: sub/superscripts, italics, minus.

    Handles what sianode's labels use: ``_{..}``/``_x``, ``^{..}``/``^x``,
    ``\mathit{..}``, ``\mathrm{..}``, ``\cdot``, ``\leq``.
    """
    def inner(m: re.Match[str]) -> str:
        s = m.group(1)
        s = re.sub(r"\\mathit\{([^{}]*)\}", r"<i>\1</i>", s)
        s = re.sub(r"\\mathrm\{([^{}]*)\}", r"{\1}", s)
        s = s.replace(r"\cdot", "·").replace(r"\leq", "≤").replace(r"\times", "×")
        s = re.sub(r"_\{([^{}]*)\}", r"<sub>\1</sub>", s)
        s = re.sub(r"_(<i>[^<]*</i>|\w)", r"<sub>\1</sub>", s)
        s = re.sub(r"\^\{([^{}]*)\}", r"<sup>\1</sup>", s)
        s = re.sub(r"\^(\w|\+|-)", r"<sup>\1</sup>", s)
        s = re.sub(r"(?<![_^])\{([^{}]*)\}", r"\1", s)  # leftover braces
        return re.sub(r"<sup>-", "<sup>−", s)

    return re.sub(r"\$([^$]*)\$", inner, text)


def plain_text(text: str) -> str:
    """Strip mathtext and HTML markup: what a reader sees, for comparing labels in tests."""
    s = mathtext_to_html(text)
    s = re.sub(r"</?(sub|sup|i|b)>", "", s)
    return s.replace("−", "-")


def auto_legend(ax: Any, **kwargs: Any) -> Any:
    """Add a legend when the axes hold more than one labelled artist; return it (or None).

    Labels starting with ``_`` (matplotlib's "no label") are not counted.
    """
    handles, labels = ax.get_legend_handles_labels()
    if len(labels) < 2:
        return None
    return ax.legend(handles, labels, **kwargs)


def integer_ticks(axis: Any) -> None:
    """Major ticks of ``axis`` (``ax.xaxis``/``ax.yaxis``/a colour-bar axis) on integers."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _format_of(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ParameterError("figure file", str(path),
                             f"a name ending in {', '.join('.' + f for f in FORMATS)}")
    return ext


def save(fig: Any, path: str | os.PathLike[str], dpi: int = DPI, close: bool = True) -> Path:
    """Write ``fig`` to ``path`` (PNG at ``dpi``, PDF or SVG by extension) atomically.

    The folder is created; the file appears complete or not at all (written to a temporary
    name beside it, then renamed). A pyplot figure is closed unless ``close=False``. A figure
    without a layout engine (not made by :func:`new_axes`) is cropped to its content, so no
    label is cut off.

    Raises
    ------
    ParameterError
        The extension is not one of :data:`FORMATS`.
    """
    from sianode.atomic import atomic_path

    p = Path(path)
    fmt = _format_of(p)
    tight = {} if fig.get_layout_engine() is not None else {"bbox_inches": "tight",
                                                              "pad_inches": 0.03}
    with atomic_path(p) as tmp, context():  # unique temporary name: runs never collide
        fig.savefig(tmp, dpi=dpi, format=fmt, **tight)
    if close and getattr(fig.canvas, "manager", None) is not None:  # a pyplot figure
        import matplotlib.pyplot as plt

        plt.close(fig)
    return p
