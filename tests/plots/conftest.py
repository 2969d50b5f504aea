"""Fixtures for figure tests: capture the figures a CLI command saves, then inspect them."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def saved(monkeypatch):
    """``{file name: Figure}`` of every figure saved through ``sianode.plots.style.save``
    (the figures stay open for inspection; closed at teardown)."""
    import matplotlib.pyplot as plt

    import sianode.plots.style as style
    import sianode.plots.thermo as thermo

    real = style.save
    figs: dict[str, object] = {}

    def keep(fig, path, dpi=style.DPI, close=True):
        out = real(fig, path, dpi=dpi, close=False)
        figs[Path(path).name] = fig
        return out

    monkeypatch.setattr(style, "save", keep)
    monkeypatch.setattr(thermo, "save", keep)
    yield figs
    plt.close("all")

