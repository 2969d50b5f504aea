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
    NO_REACTION_LABEL,
    no_reaction_strip,
    plot_element_frequencies,
    plot_pair_cooccurrence,
    plot_screen_map,
    screen_label_offsets,
    screen_map_plotly,
    screen_map_rows,
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
    # the text of each label (an Annotation's own extent also spans its leader line, which
    # may pass near another marker without hiding it)
    from matplotlib.text import Text

    boxes = {k: Text.get_window_extent(t, r) for k, t in texts.items()}
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


# ---- hosts that take up no Li (seed 001: "Cu and Ti, which lack lithiation capacity") ------

ISSUE10_NAMED = ("Si", "Ag", "Mg2Si", "Cu", "Ti")


@pytest.fixture(scope="module")
def table_with_inert(table):
    """The random table with Cu and Ti as screen() reports them (no reaction: NaN x, y) and
    Fe as a host whose screening failed (an error, not "no lithiation")."""
    t = table[table["formula"] != "Cu"].copy()
    t["status"] = "ok"
    extra = pd.DataFrame({
        "formula": ["Cu", "Ti", "Fe"], "x_per_GPa": np.nan, "voltage_V": np.nan,
        "id": ["id-cu", "id-ti", "id-fe"], "products": "", "k_crit_GPa": np.nan,
        "reaction_energy_eV_per_atom": [0.0, 0.0, np.nan],
        "status": ["no_reaction", "no_reaction", "error: no elemental Fe entry"]})
    return pd.concat([t, extra], ignore_index=True)


def _finite_artists(ax):
    """Every scatter offset and line vertex drawn in ``ax`` is finite."""
    for coll in ax.collections:
        off = np.asarray(coll.get_offsets(), float)
        assert off.size == 0 or np.isfinite(off).all(), coll.get_label()
    for line in ax.lines:
        xy = np.asarray(line.get_xydata(), float)
        assert np.isfinite(xy).all(), line.get_label()


def test_non_reacting_hosts_are_named_under_the_map(table_with_inert):
    ax = plot_screen_map(table_with_inert, (0.35, 0.55), 0.27, ISSUE10_NAMED + ("Fe",))
    strip = no_reaction_strip(ax)
    assert strip is not None
    texts = {t.get_gid(): t.get_text() for t in strip.texts}
    assert texts == {"no-reaction-label": NO_REACTION_LABEL, "no-reaction:Cu": "Cu",
                     "no-reaction:Ti": "Ti"}
    assert NO_REACTION_LABEL == "no lithiation at 0 V"
    # the map names the reacting hosts at their points; Cu and Ti get no point, Fe (an
    # error, not a host without lithiation) is named nowhere
    assert {t.get_gid() for t in ax.texts if t.get_gid()} == {"Si", "Ag", "Mg2Si"}
    n = int(np.isfinite(table_with_inert["x_per_GPa"]).sum())
    assert ax.get_title().endswith(f"{n} hosts")
    assert len(ax.collections[0].get_offsets()) == n
    (markers,) = strip.collections
    assert len(markers.get_offsets()) == 2
    _finite_artists(ax)
    _finite_artists(strip)
    # the strip is inside the figure, under the x label, as wide as the map
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    sbox, lbox, abox = (strip.get_window_extent(r), ax.xaxis.label.get_window_extent(r),
                        ax.get_window_extent(r))
    assert fig.bbox.y0 <= sbox.y0
    assert sbox.y1 < lbox.y0
    assert sbox.x0 == pytest.approx(abox.x0)
    assert sbox.x1 == pytest.approx(abox.x1)
    boxes = [t.get_window_extent(r) for t in strip.texts]
    for i, a in enumerate(boxes):
        assert sbox.x0 <= a.x0
        assert a.x1 <= sbox.x1
        assert sbox.y0 <= a.y0
        assert a.y1 <= sbox.y1
        for b in boxes[i + 1:]:
            assert not boxes_overlap(a, b)
    # the markers sit left of their names, not under the label
    label_right = boxes[0].x1
    for (px, _), t in zip(strip.transData.transform(markers.get_offsets()),
                          strip.texts[1:], strict=True):
        assert label_right < px < t.get_window_extent(r).x0


def test_non_reacting_hosts_in_the_html_map_agree(table_with_inert):
    ax = plot_screen_map(table_with_inert, (0.35, 0.55), 0.27, ISSUE10_NAMED)
    fig = screen_map_plotly(table_with_inert, (0.35, 0.55), 0.27, ISSUE10_NAMED,
                            screen_label_offsets(ax))
    (tr,) = [t for t in fig.data if t.xaxis == "x2"]
    assert [plain_text(t) for t in tr.text] == ["Cu", "Ti"]
    assert tr.showlegend is False
    strip = no_reaction_strip(ax)
    assert list(tr.x) == pytest.approx(strip.collections[0].get_offsets()[:, 0])
    notes = {a.text: a.xref for a in fig.layout.annotations}
    assert notes[NO_REACTION_LABEL] == "x2"
    assert {plain_text(k) for k, ref in notes.items() if ref != "x2"} == {"Si", "Ag", "Mg2Si"}
    # the strip lies under the map, on axes of its own
    assert fig.layout.yaxis2.domain[1] < fig.layout.yaxis.domain[0]
    assert fig.layout.xaxis2.anchor == "y2"
    for t in fig.data:
        assert np.isfinite(np.asarray(t.x, float)).all(), t.name
        assert np.isfinite(np.asarray(t.y, float)).all(), t.name
    assert len(fig.data[0].x) == int(np.isfinite(table_with_inert["x_per_GPa"]).sum())


def test_no_strip_without_named_non_reacting_hosts(table, table_with_inert):
    ax = plot_screen_map(table, (0.35, 0.55), 0.27, NAMED)
    assert no_reaction_strip(ax) is None
    assert [a.get_gid() for a in ax.figure.axes] == [None, "screen-legend"]
    fig = screen_map_plotly(table, (0.35, 0.55), 0.27, NAMED)
    assert all(t.xaxis in (None, "x") for t in fig.data)
    # not highlighted: Cu and Ti are not named anywhere
    ax = plot_screen_map(table_with_inert, (0.35, 0.55), 0.27, ("Si",))
    assert no_reaction_strip(ax) is None


def test_strip_under_a_given_axes(table_with_inert):
    from sianode.plots.style import new_axes

    ax = new_axes(None, aspect=1.0)
    out = plot_screen_map(table_with_inert, (0.35, 0.55), 0.27, ISSUE10_NAMED, ax=ax)
    assert out is ax
    strip = no_reaction_strip(ax)
    assert strip in ax.child_axes
    assert sorted(t.get_text() for t in strip.texts)[:2] == ["Cu", "Ti"]


def test_map_rows_add_only_highlighted_non_reacting_hosts(table_with_inert):
    from sianode.thermo.boundary import ScreenFilter, apply_filter

    t = table_with_inert.assign(capacity_mAh_g=500.0, band_gap_eV=np.nan)
    t.loc[t["status"] != "ok", "capacity_mAh_g"] = 0.0
    flt = ScreenFilter((0.0, 1.0), (0.0, 10000.0), None)
    rows = screen_map_rows(t, flt, ISSUE10_NAMED + ("Fe",))
    assert len(rows) == len(apply_filter(t, flt)) + 2
    assert set(rows["formula"]) - set(apply_filter(t, flt)["formula"]) == {"Cu", "Ti"}
    assert len(screen_map_rows(t, flt, ("Si",))) == len(apply_filter(t, flt))


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
                                                                         "Al", "Ag", "Cu", "Ti"}]
                     ).to_csv(src, index=False)
    assert main(["screen", "--source", str(src), "--out", str(tmp_path / "s"), "--no-progress",
                 "--region", "0.2", "0.55", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    ax = saved["fig3f_map.png"].axes[0]
    html = (tmp_path / "s" / "fig3f_map.html").read_text()

    def as_in_plotly_json(text):  # plotly escapes <, > and / inside its JSON
        return mathtext_to_html(text).replace("<", "\\u003c").replace(">", "\\u003e").replace(
            "/", "\\u002f")

    for text in (ax.get_xlabel(), ax.get_ylabel(), ax.get_title(), "Mg$_{2}$Si",
                 NO_REACTION_LABEL):
        assert f'"text":"{as_in_plotly_json(text)}"' in html, text
    # Cu and Ti (default --highlight) take up no Li: named under the map in both files
    strip = no_reaction_strip(ax)
    assert [t.get_text() for t in strip.texts[1:]] == ["Cu", "Ti"]
    assert '"text":["Cu","Ti"]' in html
    assert "Cu" not in {t.get_gid() for t in ax.texts}
    assert f"{summary['n_in_window']} hosts" in ax.get_title()
    assert f"{summary['boundary_c_eV_per_GPa']:.2f} eV" in _legend(ax)[2]
    assert "(≥95 % below)" in _legend(ax)[2]  # the envelope says what it bounds
    assert summary["boundary_share_below"] >= summary["boundary_fraction_below"] == 0.95
    el = saved["region_elements.png"].axes[0]
    heights = [p.get_height() for p in el.patches]
    assert heights == [n for _, n in summary["top_elements"]]
    assert f"{summary['n_in_region']} hosts" in el.get_title()


@pytest.mark.parametrize("inert", [False, True])
def test_screen_map_legend_hides_no_point(table, table_with_inert, inert):
    """The legend sits in a row of its own under the map (stop 19 noted it covering grey
    points near 0.7-0.9 V in the upper right): outside the map's frame, clear of the x
    label and of the no-lithiation strip."""
    df = table_with_inert if inert else table
    ax = plot_screen_map(df, (0.35, 0.55), 0.27, ISSUE10_NAMED if inert else NAMED)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    leg = ax.get_legend().get_window_extent(r)
    frame = ax.get_window_extent(r)
    assert leg.y1 < frame.y0  # below the map
    assert leg.y1 < ax.xaxis.label.get_window_extent(r).y0  # and below its x label
    assert frame.x0 - 1 <= leg.x0
    assert leg.x1 <= fig.bbox.x1
    strip = no_reaction_strip(ax)
    if strip is not None:
        assert strip.get_window_extent(r).y1 < leg.y0
    for coll in ax.collections:
        pts = ax.transData.transform(np.asarray(coll.get_offsets(), float))
        inside = ((pts[:, 0] > leg.x0) & (pts[:, 0] < leg.x1) & (pts[:, 1] > leg.y0)
                  & (pts[:, 1] < leg.y1))
        assert not inside.any()
