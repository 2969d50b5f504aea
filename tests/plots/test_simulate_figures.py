"""``sianode simulate --plot``: the figures say the table's numbers (the model case)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from sianode.cli.main import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cell"))
from test_simulate_model import lisi_entries


@pytest.fixture(scope="module")
def entries_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("entries") / "lisi.json"
    path.write_text(json.dumps([e.as_dict() for e in lisi_entries()]))
    return path


def _legend(ax):
    leg = ax.get_legend()
    return [] if leg is None else [t.get_text() for t in leg.get_texts()]


def _visible_legend_artists(ax):
    """Every legend entry is drawn with data inside the axes (nothing invisible)."""
    leg = ax.get_legend()
    if leg is None:
        return
    labels = set(_legend(ax))
    artists = [a for a in (*ax.lines, *ax.collections, *ax.patches)
               if a.get_label() in labels]
    assert {a.get_label() for a in artists} == labels
    x0, x1 = sorted(ax.get_xlim())
    for a in artists:
        assert a.get_visible()
        assert a.get_alpha() in (None, 1.0)
        if hasattr(a, "get_xdata"):
            x = np.asarray(a.get_xdata(), float)
            y = np.asarray(a.get_ydata(), float)
            ok = np.isfinite(x) & np.isfinite(y)
            assert ok.any(), a.get_label()
            assert ((x[ok] >= x0) & (x[ok] <= x1)).any(), a.get_label()


def test_asymmetric_title_says_the_table_numbers(capsys, saved, entries_file, tmp_path):
    argv = ["simulate", "--cell", "asymmetric", "--k-eff", "3", "--current-density", "0.2",
            "--source", str(entries_file), "--plot", str(tmp_path)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    header, row = [ln for ln in text.splitlines() if "alloy mAh/g" in ln or
                   ln.strip().startswith("3.00")]
    assert "above 0 V mAh/g" in header
    k, alloy, plated, phi, above = row.split()
    ax = saved["asymmetric_profile.png"].axes[0]
    title = ax.get_title()
    assert f"alloy {alloy} mAh g$^{{-1}}$" in title  # the same number as the table
    assert f"{above} mAh g$^{{-1}}$ above 0 V" in title
    assert "= 3 GPa" in title
    _visible_legend_artists(ax)
    assert any("0 V crossing" in t and above in t for t in _legend(ax))
    # the command says where each figure went, and every file is there
    wrote = re.findall(r"^wrote (.+)$", text, flags=re.M)
    assert sorted(Path(p).name for p in wrote) == sorted(saved)
    assert sorted(saved) == ["asymmetric_profile.png", "capacity_vs_k_eff.png",
                             "current_split.png", "voltage_capacity.png"]
    assert all(Path(p).stat().st_size > 10_000 for p in wrote)
    # current split: superscript units, alloying drawn over plating, title = table number
    ax = saved["current_split.png"].axes[0]
    assert ax.get_ylabel() == "current density [mA cm$^{-2}$]"
    lines = {ln.get_label(): ln for ln in ax.lines}
    alloying = next(v for k_, v in lines.items() if k_.startswith("alloying"))
    plating = next(v for k_, v in lines.items() if k_.startswith("Li plating"))
    assert alloying.get_zorder() > plating.get_zorder()
    assert plating.get_linestyle() == "--"
    assert plating.get_linewidth() > alloying.get_linewidth()
    assert f"alloy {alloy} mAh" in ax.get_title()
    assert f"plated {plated} mAh" in ax.get_title()
    # one K_eff: a marker annotated with the simulated capacity, beside the full curve
    ax = saved["capacity_vs_k_eff.png"].axes[0]
    sim = next(ln for ln in ax.lines if ln.get_label() == "alloy, simulated")
    assert len(sim.get_xdata()) == 1
    assert sim.get_marker() == "o"
    assert any(t.get_text().startswith(alloy) for t in ax.texts)
    thermo = next(ln for ln in ax.lines if ln.get_label().startswith("thermodynamic"))
    assert len(thermo.get_xdata()) > 100  # a curve, not a point
    _visible_legend_artists(ax)


def test_full_cell_figures(capsys, saved, entries_file, tmp_path):
    assert main(["simulate", "--k-eff", "0", "6", "--source", str(entries_file), "--plot",
                 str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(Path(p).name for p in out["figures"]) == [
        "capacity_vs_k_eff.png", "current_split.png", "voltage_capacity.png"]
    ax = saved["voltage_capacity.png"].axes[0]
    assert _legend(ax) == ["0 GPa", "6 GPa", "cell voltage", "anode vs Li/Li$^+$"]
    assert ax.get_xlabel() == "charge passed [mAh g$^{-1}$ Si]"
    ax = saved["capacity_vs_k_eff.png"].axes[0]
    sim = next(ln for ln in ax.lines if ln.get_label() == "alloy, simulated")
    assert list(sim.get_ydata()) == pytest.approx([r["alloy_capacity_mAh_g"]
                                                   for r in out["runs"]])
    assert any("stop" in t for t in _legend(ax))
