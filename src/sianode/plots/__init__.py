"""Figures of every layer, in one style fit for a paper's supporting information.

One module per layer (``thermo``, ``simulate``, ``fields``, ``cell``, ``cycling``, ``eis``,
``diffraction``, ``kinetics``); each function takes data and ``ax=None`` and returns the
axes. The style (:mod:`sianode.plots.style`: journal column widths, mathtext units,
subscripted formulas, 300 dpi PNG or PDF/SVG by extension) is applied inside each call with
``matplotlib.rc_context``; the user's matplotlib settings and backend are left alone.
``sianode gallery DIR`` writes one example of every figure.

matplotlib is imported only when a figure is drawn.
"""

from sianode.plots.style import (
    DOUBLE_COLUMN_IN,
    SINGLE_COLUMN_IN,
    formula_tex,
    label,
    new_axes,
    save,
    styled,
)

__all__ = [
    "DOUBLE_COLUMN_IN",
    "SINGLE_COLUMN_IN",
    "formula_tex",
    "label",
    "new_axes",
    "save",
    "styled",
]
