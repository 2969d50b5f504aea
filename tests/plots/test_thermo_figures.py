"""Fig. 3e/3f figures checked against the numbers they show, PNG and HTML maps in agreement."""

import json

import numpy as np
import pandas as pd
import pytest

from sianode.cli.main import main
from sianode.materials import entries_to_table, load_entries
from sianode.plots.labels import boxes_overlap
from sianode.plots.style import mathtext_to_html, plain_text
from sianode.plots.thermo import (
    plot_element_frequencies,
    plot_pair_cooccurrence,
    plot_screen_map,
    screen_label_offsets,
    screen_map_plotly,
)
from sianode.testing import toy_lisi_entries

NAMED = ("Si", "Ag", "Mg2Si", "Zn", "Al", "Cu")


def _legend(ax):
    leg = ax.get_legend()
    return [] if leg is None else [t.get_text() for t in leg.get_texts()]


@pytest.fixture(scope="module")
def table():
    """200 random hosts plus named hosts, Zn and Al almost on top of each other (as in the
    built-in set, where their labels used to overlap)."""
    rng = np.random.default_rng(3)
    x = 10 ** rng.uniform(-2, 1, 200)
    y = np.clip(0.3 / x * rng.uniform(0.2, 1.0, 200), 0.01, 0.95)
    named = {"Si": (1.2, 0.275), "Ag": (1.45, 0.21), "Mg2Si": (3.4, 0.105),
             "Zn": (2.0, 0.16), "Al": (2.2, 0.142), "Cu": (0.3, 0.2)}
    rows = [{"formula": f"X{i}", "x_per_GPa": a, "voltage_V": b} for i, (a, b) in
            enumerate(zip(x, y, strict=True))]
    rows += [{"formula": f, "x_per_GPa": a, "voltage_V": b} for f, (a, b) in named.items()]
    df = pd.DataFrame(rows)
    df["id"] = [f"id-{i}" for i in range(len(df))]
    df["products"] = "Li"
    df["k_crit_GPa"] = 1.0
    df["reaction_energy_eV_per_atom"] = -0.1
    return df


def test_screen_map_png_and_html_agree(table):
    ax = plot_screen_map(table, (0.35, 0.55), 0.27, NAMED)
    fig = screen_map_plotly(table, (0.35, 0.55), 0.27, NAMED, screen_label_offsets(ax))
    lay = fig.layout
    assert lay.xaxis.title.text == mathtext_to_html(ax.get_xlabel())
    assert lay.yaxis.title.text == mathtext_to_html(ax.get_ylabel())
    assert plain_text(lay.title.text) == plain_text(ax.get_title())
    assert list(lay.yaxis.range) == pytest.approx(ax.get_ylim())
    assert list(lay.xaxis.range) == pytest.approx(np.log10(ax.get_xlim()))
    assert lay.xaxis.type == "log"
    assert ax.get_xscale() == "log"
    html_legend = [plain_text(t.name) for t in fig.data if t.showlegend is not False]
    assert html_legend == [plain_text(t) for t in _legend(ax)]
    # the numbers: n points, both region lines in one legend entry, the envelope constant
    n = len(table)
    assert ax.get_title().endswith(f"{n} hosts")
    assert _legend(ax)[0] == f"{n} hosts"
    assert "0.35, 0.55 eV GPa$^{-1}$" in _legend(ax)[1]
    assert "0.27 eV" in _legend(ax)[2]
    assert plain_text(ax.get_xlabel()) == "lithiation composition n / Kcrit [GPa-1]"
    assert ax.get_ylabel() == "voltage vs Li/Li$^+$ [V]"


def test_screen_map_labels_are_subscripted_and_do_not_overlap(table):
    ax = plot_screen_map(table, (0.35, 0.55), 0.27, NAMED)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    texts = {t.get_gid(): t for t in ax.texts if t.get_gid()}
    assert set(texts) == set(NAMED)
    assert texts["Mg2Si"].get_text() == "Mg$_{2}$Si"
    boxes = {k: t.get_window_extent(r) for k, t in texts.items()}
    frame = ax.get_window_extent(r)
    for a in boxes:
        assert frame.x0 <= boxes[a].x0
        assert boxes[a].x1 <= frame.x1
        for b in boxes:
            if a < b:
                assert not boxes_overlap(boxes[a], boxes[b]), (a, b)
    # no label covers a named marker
    pts = ax.transData.transform([[table.set_index("formula").loc[k, "x_per_GPa"],
                                   table.set_index("formula").loc[k, "voltage_V"]]
                                  for k in NAMED])
    for box in boxes.values():
        for px, py in pts:
            assert not (box.x0 < px < box.x1 and box.y0 < py < box.y1)


def test_region_counts_have_integer_ticks_and_labels():
    ax = plot_element_frequencies([("Mg", 2), ("Si", 1), ("Ba", 1)], region=(0.35, 0.55),
                                  n_hosts=3)
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert np.allclose(ticks, np.round(ticks))
    assert len(ticks) >= 2
    assert ax.get_xlabel() == "element"
    assert ax.get_ylabel()
    assert "3 hosts" in ax.get_title()
    assert "0.35" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["2", "1", "1"]  # bar labels
    ax = plot_pair_cooccurrence([("Mg-Si", 2), ("Mg-O", 1)], max_band_gap_eV=1.5)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "2", "2"]
    cbar_ticks = ax.images[0].colorbar.get_ticks()
    assert np.allclose(cbar_ticks, np.round(cbar_ticks))
    assert "1.5 eV" in ax.get_title()


@pytest.fixture
def toy_csv(tmp_path):
    p = tmp_path / "toy.csv"
    entries_to_table(toy_lisi_entries()).to_csv(p, index=False)
    return p


def test_constrain_figures_show_the_printed_numbers(capsys, saved, toy_csv, tmp_path):
    assert main(["constrain", "Si", "--source", str(toy_csv), "--k-eff", "0", "2", "5",
                 "--plot", str(tmp_path / "e.pdf"), "--plot-capacity", str(tmp_path / "c.png"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (tmp_path / "e.pdf").read_bytes()[:4] == b"%PDF"
    ax = saved["e.pdf"].axes[0]
    assert _legend(ax)[:2] == ["0", "2"]
    assert ax.get_legend().get_title().get_text() == r"$\mathit{K}_\mathrm{eff}$ [GPa]"
    assert ax.get_xlabel() == "capacity [mAh g$^{-1}$ Si]"
    ends = [max(line.get_xdata()) for line in ax.lines]
    assert ends == pytest.approx([c["capacity_mAh_g"] for c in out["curves"]], abs=1e-6)
    # capacity vs K_eff: the K_stop label sits inside the frame and says the printed value
    ax = saved["c.png"].axes[0]
    fig = saved["c.png"]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    (ann,) = [t for t in ax.texts if "stop" in t.get_text()]
    assert f"{out['k_stop_GPa']:.2f} GPa" in ann.get_text()
    box, frame = ann.get_window_extent(r), ax.get_window_extent(r)
    assert frame.x0 <= box.x0
    assert box.x1 <= frame.x1
    assert frame.y0 <= box.y0
    assert box.y1 <= frame.y1


def test_screen_cli_writes_agreeing_png_and_html(capsys, saved, tmp_path):
    src = tmp_path / "si.csv"
    entries_to_table([e for e in load_entries("builtin")
                      if {str(el) for el in e.composition.elements} <= {"Li", "Si", "Mg", "Zn",
                                                                         "Al", "Ag"}]
                     ).to_csv(src, index=False)
    assert main(["screen", "--source", str(src), "--out", str(tmp_path / "s"), "--no-progress",
                 "--region", "0.2", "0.55", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    ax = saved["fig3f_map.png"].axes[0]
    html = (tmp_path / "s" / "fig3f_map.html").read_text()

    def as_in_plotly_json(text):  # plotly escapes <, > and / inside its JSON
        return mathtext_to_html(text).replace("<", "\\u003c").replace(">", "\\u003e").replace(
            "/", "\\u002f")

    for text in (ax.get_xlabel(), ax.get_ylabel(), ax.get_title(), "Mg$_{2}$Si"):
        assert f'"text":"{as_in_plotly_json(text)}"' in html, text
    assert f"{summary['n_in_window']} hosts" in ax.get_title()
    assert f"{summary['boundary_c_eV_per_GPa']:.2f} eV" in _legend(ax)[2]
    el = saved["region_elements.png"].axes[0]
    heights = [p.get_height() for p in el.patches]
    assert heights == [n for _, n in summary["top_elements"]]
    assert f"{summary['n_in_region']} hosts" in el.get_title()
