"""Point labels that do not overlap: a small greedy repulsion for named markers.

Each label is tried at offsets around its point (nearest ring first, right/up preferred) and
kept at the first position whose box overlaps no earlier label, no marker and stays inside
the axes; a leader line is drawn when the label sits away from its point. Deterministic, and
no dependency beyond matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["place_labels", "boxes_overlap"]

_DIRECTIONS = [(1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1), (0, 1), (0, -1)]
_RINGS_PT = (5.0, 8.0, 12.0, 18.0, 26.0, 36.0)


def _renderer(fig: Any) -> Any:
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    return fig._get_renderer()  # pragma: no cover - non-Agg canvases


def boxes_overlap(a: Any, b: Any, pad: float = 0.0) -> bool:
    """True if two display-space boxes (``Bbox``-like, ``x0, y0, x1, y1``) overlap."""
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0
                or b.y1 + pad <= a.y0)


def place_labels(ax: Any, x: Sequence[float], y: Sequence[float], texts: Sequence[str], *,
                 marker_radius_pt: float = 3.5, fontsize: float | None = None,
                 gids: Sequence[str] | None = None) -> list[Any]:
    """Annotate points ``(x[i], y[i])`` with ``texts[i]`` without overlaps.

    Parameters
    ----------
    ax : matplotlib Axes
        Axes holding the points (limits and scales must be final).
    x, y : sequence of float
        Data coordinates of the labelled points.
    texts : sequence of str
        Labels (mathtext allowed).
    marker_radius_pt : float
        Radius of the markers that labels must not cover [pt].
    fontsize : float, optional
        Label font size [pt]; the style's default if None.
    gids : sequence of str, optional
        ``gid`` of each annotation (a name to find it by, e.g. the plain formula).

    Returns
    -------
    list of matplotlib.text.Annotation
        One per label; ``ann.xyann`` holds the chosen offset [pt].
    """
    fig = ax.figure
    fig.draw_without_rendering()  # final layout, so display coordinates hold
    renderer = _renderer(fig)
    pt = fig.dpi / 72.0
    pts = ax.transData.transform(np.column_stack([np.asarray(x, float), np.asarray(y, float)]))
    from matplotlib.transforms import Bbox

    r = marker_radius_pt * pt
    markers = [Bbox([[px - r, py - r], [px + r, py + r]]) for px, py in pts]
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    anns = []
    for i, text in enumerate(texts):
        best = None
        for ring in _RINGS_PT:
            for dx, dy in _DIRECTIONS:
                norm = np.hypot(dx, dy)
                off = (ring * dx / norm, ring * dy / norm)
                ha = "left" if dx > 0 else ("right" if dx < 0 else "center")
                va = "bottom" if dy > 0 else ("top" if dy < 0 else "center")
                ann = ax.annotate(text, (x[i], y[i]), xytext=off, textcoords="offset points",
                                  ha=ha, va=va, fontsize=fontsize)
                box = ann.get_window_extent(renderer)
                ann.remove()
                inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                          and box.y1 <= frame.y1)
                hits = sum(boxes_overlap(box, b, pad=1.0) for b in placed + markers)
                score = hits + (0 if inside else 100)
                if best is None or score < best[0]:
                    best = (score, off, ha, va, box)
                if score == 0:
                    break
            if best[0] == 0:
                break
        _, off, ha, va, box = best
        arrow = ({"arrowstyle": "-", "lw": 0.5, "color": "0.3", "shrinkA": 0, "shrinkB": 2}
                 if np.hypot(*off) > 6 else None)
        ann = ax.annotate(text, (x[i], y[i]), xytext=off, textcoords="offset points", ha=ha,
                          va=va, fontsize=fontsize, arrowprops=arrow, zorder=5)
        if gids is not None:
            ann.set_gid(gids[i])
        ann.set_in_layout(False)
        placed.append(box)
        anns.append(ann)
    return anns
