"""The gallery's index page: every figure of :mod:`sianode.plots.gallery` in one HTML file."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["write_index"]


def write_index(out: Path, items: Sequence[Any], timings: dict[str, float]) -> Path:
    """Write ``out/index.html`` showing every gallery item, section by section.

    ``items`` are :class:`sianode.plots.gallery.GalleryItem`; ``timings`` maps each section
    title to its drawing time [s]. HTML files are shown in frames (the screen explorer is
    also linked from the top of the page), images as links to themselves.
    """
    from sianode import __version__

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>sianode figure gallery</title><style>",
        "body{font-family:sans-serif;max-width:1500px;margin:auto;padding:1em}",
        ".grid{display:flex;flex-wrap:wrap;gap:1.5em}",
        "figure{margin:0;width:460px}figure.wide{width:940px}",
        "img{width:100%;border:1px solid #ddd}figcaption{font-size:0.85em;color:#333}",
        "iframe{width:940px;height:640px;border:1px solid #ddd}code{font-size:0.95em}",
        "</style></head><body>",
        f"<h1>sianode {html.escape(__version__)}: one example of every figure</h1>",
        "<p>PNG files at 300 dpi, 3.5 in (single column) or 7 in (double column) wide. "
        "Inputs are built-in or synthetic; each caption says which, and the command that "
        "draws the figure from your own data.</p>",
    ]
    if any(i.file == "explorer.html" for i in items):
        parts.append("<p><b>Interactive:</b> <a href='explorer.html'>explorer.html</a>, the "
                     "screen explorer (filters, hover, curves on click), shown below.</p>")
    for title in dict.fromkeys(i.section for i in items):
        parts.append(f"<h2>{html.escape(title)} <small>({timings[title]:.1f} s)</small></h2>")
        parts.append("<div class='grid'>")
        for it in (i for i in items if i.section == title):
            if it.skipped:
                parts.append(f"<p><em>skipped: {html.escape(it.skipped)}</em></p>")
                continue
            cap = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(it.caption))
            if it.file.endswith(".html"):
                parts.append(f"<figure class='wide'><iframe src='{it.file}'></iframe>"
                             f"<figcaption><a href='{it.file}'>{it.file}</a>: {cap}"
                             "</figcaption></figure>")
            else:
                wide = " class='wide'" if it.file.startswith(("fields_interlayer_current",
                                                              "cell_breakdown")) else ""
                parts.append(f"<figure{wide}><a href='{it.file}'><img src='{it.file}' "
                             f"alt='{it.file}'></a><figcaption><b>{it.file}</b>: {cap}"
                             "</figcaption></figure>")
        parts.append("</div>")
    parts.append("</body></html>")
    path = out / "index.html"
    tmp = out / ".index.html.tmp"
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(path)
    return path
