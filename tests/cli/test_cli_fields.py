"""``sianode fields interlayer|particle`` (seed 002 Fig. 2i,j and 4c,d)."""

import json

import pytest

from sianode.cli.main import main


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_interlayer_json_both_designs(capsys):
    base = ["fields", "interlayer", "--h-um", "0.5", "--json"]
    bare = _json(capsys, [*base, "--design", "si,sse", "--thickness-um", "8,4"])
    inter = _json(capsys, [*base, "--design", "si,li21si5,sse", "--thickness-um", "8", "2",
                           "4"])
    for out in (bare, inter):
        for key in ("sse_flux_cv", "anode_flux_cv", "si_von_mises_p99_GPa",
                    "si_von_mises_max_GPa", "sse_interface_von_mises_mean_GPa", "note"):
            assert key in out
    assert bare["design"] == "si,sse"
    assert bare["thickness_um"] == [8.0, 4.0]
    assert bare["anode_flux_cv"] > 1.0 > 0.05 > inter["anode_flux_cv"]
    assert bare["sse_flux_cv"] > 3 * inter["sse_flux_cv"]
    assert bare["sse_interface_von_mises_mean_GPa"] > 100 * inter[
        "sse_interface_von_mises_mean_GPa"]
    assert "0.5-1.5 GPa" in bare["note"]


def test_interlayer_material_override_changes_the_answer(capsys):
    base = ["fields", "interlayer", "--design", "si,sse", "--h-um", "0.5", "--json",
            "--contact-fraction", "1"]
    out = _json(capsys, [*base, "--set", "si.conductivity_S_cm=1e-4"])
    assert out["asr_ohm_cm2"] == pytest.approx(8e-4 / 1e-4 + 4e-4 / 1e-3, rel=1e-8)


def test_particle_json_point_vs_shell(capsys):
    point = _json(capsys, ["fields", "particle", "--mode", "point", "--refine", "4", "--json"])
    shell = _json(capsys, ["fields", "particle", "--mode", "shell", "--refine", "4", "--json"])
    assert point["mode"] == "point"
    assert point["von_mises_max_GPa"] > 1.25 * shell["von_mises_max_GPa"]


def test_plots_are_written(tmp_path, capsys):
    assert main(["fields", "particle", "--mode", "shell", "--refine", "3",
                 "--plot", str(tmp_path)]) == 0
    assert main(["fields", "interlayer", "--design", "si,sse", "--h-um", "0.5",
                 "--capacity-mAh-cm2", "0.3", "--plot", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "sse_flux_cv" in text
    assert "wrote" in text
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["particle_shell_hydrostatic.png", "particle_shell_von_mises.png",
                     "si_sse_current.png", "si_sse_front.png", "si_sse_hydrostatic.png",
                     "si_sse_von_mises.png"]
    assert all(p.stat().st_size > 5000 for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["interlayer", "--thickness-um", "8", "0", "4"], "--thickness-um[1]"),
     (["interlayer", "--design", ""], "--design"),
     (["interlayer", "--design", "si,sse", "--thickness-um", "8"], "--thickness-um"),
     (["interlayer", "--set", "si.conductivity_S_cm=-1"], "si.conductivity_S_cm"),
     (["interlayer", "--set", "sse.youngs_modulus_GPa=-3"], "sse.youngs_modulus_GPa"),
     (["particle", "--set", "si.poisson_ratio=0.5"], "si.poisson_ratio"),
     (["particle", "--set", "si.density=2"], "material field"),
     (["particle", "--lithiated-fraction", "0"], "--lithiated-fraction"),
     (["interlayer", "--design", "si,li21s5,sse"], "did you mean 'li21si5'")],
)
def test_bad_input_is_one_line_naming_the_parameter(argv, message, capsys):
    assert main(["fields", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_no_model_prints_help(capsys):
    assert main(["fields"]) == 1
    assert "interlayer" in capsys.readouterr().out
