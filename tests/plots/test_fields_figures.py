"""``sianode fields ... --plot``: layers named, sign convention and yield stress stated, legend
numbers equal to the printed metrics; the particle output carries the Lamé check."""

from __future__ import annotations

import json

import pytest

from sianode.cli.main import main


def _legend(ax):
    leg = ax.get_legend()
    return [] if leg is None else [t.get_text() for t in leg.get_texts()]


def _colorbar_label(ax):
    return ax.collections[0].colorbar.ax.get_ylabel()


def test_interlayer_figures_name_layers_and_state_conventions(capsys, saved, tmp_path):
    assert main(["fields", "interlayer", "--design", "si,li21si5,sse", "--thickness-um", "8",
                 "2", "4", "--h-um", "0.5", "--capacity-mAh-cm2", "0.3", "--json", "--plot",
                 str(tmp_path)]) == 0
    m = json.loads(capsys.readouterr().out)
    assert sorted(saved) == ["si_li21si5_sse_current.png", "si_li21si5_sse_front.png",
                             "si_li21si5_sse_hydrostatic.png", "si_li21si5_sse_von_mises.png"]
    assert m["yield_stress_GPa"] == 1.5
    assert "von Mises > yield_stress_GPa (1.5 GPa)" in m["note"]
    assert "tension > 0" in m["note"]
    layers = ["Si", "Li$_{21}$Si$_{5}$", "SSE"]
    for name in ("current", "front", "hydrostatic", "von_mises"):
        ax = saved[f"si_li21si5_sse_{name}.png"].axes[0]
        assert [t.get_text() for t in ax.texts if t.get_text() in layers] == layers, name
    hyd = saved["si_li21si5_sse_hydrostatic.png"].axes[0]
    assert "tension > 0" in _colorbar_label(hyd)
    assert "tension > 0" in hyd.get_title()
    vm = saved["si_li21si5_sse_von_mises.png"].axes[0]
    assert f"{100 * m['fraction_above_yield']:.1f} % of volume > 1.5 GPa" in vm.get_title()
    flux = saved["si_li21si5_sse_current.png"].axes[1]
    legend = _legend(flux)
    assert any(f"(CV {m['sse_flux_cv']:.3f})" in t and "pristine" in t for t in legend)
    assert any(f"(CV {m['final_sse_flux_cv']:.3f})" in t and "end of lithiation" in t
               for t in legend)
    assert any(f"(CV {m['anode_flux_cv']:.3f})" in t and "top of Si" in t for t in legend)
    assert not any(t in ("SSE side", "SSE side, end") for t in legend)
    assert flux.get_ylabel() == "current density [mA cm$^{-2}$]"
    front = saved["si_li21si5_sse_front.png"].axes[0]
    assert front.get_legend().get_title().get_text() == "time"
    assert all(t.endswith(" min") for t in _legend(front))


def test_particle_output_has_lame_check_and_labelled_maps(capsys, saved, tmp_path):
    assert main(["fields", "particle", "--mode", "shell", "--refine", "4", "--json",
                 "--plot", str(tmp_path)]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["lame_core_hydrostatic_GPa"] == pytest.approx(6.725, abs=0.01)
    assert m["fe_core_hydrostatic_GPa"] == pytest.approx(m["lame_core_hydrostatic_GPa"],
                                                          rel=0.02)
    assert m["lame_check_rel_error"] < 0.02
    for q in ("von_mises", "hydrostatic"):
        ax = saved[f"particle_shell_{q}.png"].axes[0]
        texts = [t.get_text() for t in ax.texts]
        assert "Si" in texts
        assert "Li$_{x}$Si" in texts
        assert ax.get_title().startswith("Li-Si shell, 30 % lithiated")
        assert ax.get_xlabel() == "r [µm]"
    vm = saved["particle_shell_von_mises.png"].axes[0]
    assert f"{100 * m['fraction_above_yield']:.1f} % of volume" in vm.get_title()
    assert main(["fields", "particle", "--mode", "point", "--refine", "3"]) == 0
    text_out = capsys.readouterr().out
    assert "lame_check_rel_error" in text_out
    assert "von Mises > 1.5 GPa" in text_out
