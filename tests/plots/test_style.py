"""The one figure style: units, formulas, legends, integer ticks, sizes, formats, no global
state touched."""

import matplotlib
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sianode.errors import ParameterError
from sianode.plots.style import (
    DPI,
    SINGLE_COLUMN_IN,
    auto_legend,
    formula_tex,
    integer_ticks,
    label,
    mathtext_to_html,
    new_axes,
    plain_text,
    save,
    styled,
)


@pytest.mark.parametrize(("text", "tex"), [
    ("Mg2Si", "Mg$_{2}$Si"),
    ("Li21Si5", "Li$_{21}$Si$_{5}$"),
    ("Li3.75Si", "Li$_{3.75}$Si"),
    ("LixSi", "Li$_{x}$Si"),
    ("Ca(OH)2", "Ca(OH)$_{2}$"),
    ("Si|Li21Si5|SSE", "Si|Li$_{21}$Si$_{5}$|SSE"),
    ("Li15Si4 plateau at 0.5 V", "Li$_{15}$Si$_{4}$ plateau at 0.5 V"),
    ("Si", "Si"), ("SSE", "SSE"), ("Max", "Max"), ("cycle 3", "cycle 3"),
    ("$K_{eff}$ 2", "$K_{eff}$ 2"),
])
def test_formula_tex(text, tex):
    assert formula_tex(text) == tex


@given(st.lists(st.sampled_from(["Li", "Si", "Mg", "Ge", "O"]), min_size=1, max_size=3),
       st.lists(st.integers(1, 40), min_size=3, max_size=3))
def test_formula_tex_reads_back_to_the_formula(elements, counts):
    formula = "".join(f"{e}{n}" for e, n in zip(elements, counts, strict=False))
    assert plain_text(formula_tex(formula)) == formula
    assert formula_tex(formula).count("$_{") == len(elements)


def test_units_and_html():
    assert label("capacity", "mAh/g") == "capacity [mAh g$^{-1}$]"
    assert label("current density", "mA/cm2") == "current density [mA cm$^{-2}$]"
    assert label("cycle") == "cycle"
    assert mathtext_to_html("voltage vs Li/Li$^+$ [V]") == "voltage vs Li/Li<sup>+</sup> [V]"
    assert (mathtext_to_html(r"$\mathit{K}_\mathrm{crit}$ [GPa$^{-1}$]")
            == "<i>K</i><sub>crit</sub> [GPa<sup>−1</sup>]")
    assert plain_text("Li$_{21}$Si$_{5}$ [mA cm$^{-2}$]") == "Li21Si5 [mA cm-2]"


def test_legend_only_for_several_series():
    ax = new_axes()
    ax.plot([0, 1], [0, 1], label="one")
    assert auto_legend(ax) is None
    ax.plot([0, 1], [1, 0], label="two")
    ax.plot([0, 1], [1, 1], label="_hidden")
    leg = auto_legend(ax)
    assert [t.get_text() for t in leg.get_texts()] == ["one", "two"]


def test_integer_ticks_on_counts():
    ax = new_axes()
    ax.bar(["a", "b"], [2, 1])
    integer_ticks(ax.yaxis)
    ticks = ax.get_yticks()
    assert np.allclose(ticks, np.round(ticks))


@pytest.mark.parametrize(("ext", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF"),
                                            ("svg", b"<?xml")])
def test_save_by_extension_and_size(tmp_path, ext, magic):
    ax = new_axes()
    ax.plot([0, 1], [0, 1])
    p = save(ax.figure, tmp_path / "sub" / f"f.{ext}")
    assert p.read_bytes()[:5].startswith(magic)
    assert not list(p.parent.glob(".*tmp"))  # atomic: no temporary left
    if ext == "png":
        from PIL import Image

        with Image.open(p) as im:
            assert im.size[0] == round(SINGLE_COLUMN_IN * DPI)  # one journal column
            assert round(im.info["dpi"][0]) == DPI


def test_save_refuses_unknown_extension(tmp_path):
    ax = new_axes()
    with pytest.raises(ParameterError, match=r"\.png, \.pdf, \.svg"):
        save(ax.figure, tmp_path / "f.jpg")
    assert not (tmp_path / "f.jpg").exists()


def test_double_column_and_bad_width():
    ax = new_axes(width="double", aspect=0.5)
    assert tuple(ax.figure.get_size_inches()) == pytest.approx((7.0, 3.5))
    with pytest.raises(ParameterError, match="width"):
        new_axes(width="wide")


def test_global_matplotlib_state_is_untouched():
    from sianode.plots.thermo import plot_capacity_vs_k

    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    ax = plot_capacity_vs_k([0, 1, 2], [3000, 1500, 0], "Si", k_stop_GPa=1.5)
    assert ax.xaxis.label.get_fontsize() == 8  # the style applied inside the call
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend

    @styled
    def inner():
        return matplotlib.rcParams["font.size"]

    assert inner() == 8
    assert matplotlib.rcParams["font.size"] == before["font.size"]
