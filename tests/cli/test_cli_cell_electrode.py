"""CLI: ``sianode cell`` and ``sianode electrode ...`` print the library's numbers."""

import json
from pathlib import Path

import pytest

from sianode.cli.main import main

STACK = Path(__file__).resolve().parents[2] / "examples" / "stacks" / "ye2024_pouch.toml"


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_cell_json_seed001(capsys, tmp_path):
    fig = tmp_path / "breakdown.png"
    out = _json(capsys, ["cell", str(STACK), "--json", "--plot", str(fig)])
    assert set(out) >= {"areal_capacity_mAh_cm2", "areal_energy_mWh_cm2", "areal_mass_mg_cm2",
                        "specific_energy_Wh_kg", "energy_density_Wh_L", "layers"}
    assert out["areal_energy_mWh_cm2"] == pytest.approx(10.8)
    assert out["areal_mass_mg_cm2"] == pytest.approx(49.5, abs=0.1)
    assert round(out["specific_energy_Wh_kg"]) == 218
    assert len(out["layers"]) == 5
    assert fig.stat().st_size > 1000


def test_cell_text_and_pie(capsys, tmp_path):
    fig = tmp_path / "pie.png"
    assert main(["cell", str(STACK), "--plot", str(fig), "--plot-kind", "pie"]) == 0
    text = capsys.readouterr().out
    assert "217.9 Wh/kg" in text
    assert "Cu current collector" in text
    assert fig.exists()


def test_cell_missing_field_is_one_line_error(capsys, tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('[[layers]]\nkind = "cathode"\n')
    assert main(["cell", str(p), "--json"]) == 2
    err = capsys.readouterr().err
    assert "missing field 'name'" in err
    assert err.count("\n") == 1


def test_electrode_porosity_seed004(capsys):
    out = _json(capsys, ["electrode", "porosity", "--component", "Si:0.135:2.33",
                         "--component", "C:0.015:2.1", "--area-cm2", "0.785",
                         "--thickness-um", "2", "--json"])
    assert out["porosity_percent"] == pytest.approx(58.546, abs=1e-3)
    out = _json(capsys, ["electrode", "porosity", "--component-volume", "C:1.37626e-5",
                         "--component", "LiSi:0.260114:1.22", "--area-cm2", "0.785",
                         "--thickness-um", "3.25", "--json"])
    assert out["porosity_percent"] == pytest.approx(11.0355, abs=1e-3)


def test_electrode_porosity_from_loading_seed003(capsys):
    out = _json(capsys, ["electrode", "porosity", "--loading-mg-cm2", "3.8", "--mass-fraction",
                         "0.999:2.33", "--mass-fraction", "0.001:1.78", "--thickness-um", "27",
                         "--json"])
    assert out["porosity"] == pytest.approx(0.396, abs=1e-3)


def test_electrode_np_ratio_and_target(capsys):
    out = _json(capsys, ["electrode", "np-ratio", "--anode-loading-mg-cm2", "1.5",
                         "--anode-capacity-mAh-g", "3000", "--cathode-loading-mg-cm2", "15",
                         "--cathode-capacity-mAh-g", "200", "--json"])
    assert out["np_ratio"] == pytest.approx(1.5)
    out = _json(capsys, ["electrode", "np-ratio", "--target-np", "1.1",
                         "--anode-capacity-mAh-g", "3500", "--cathode-loading-mg-cm2", "60",
                         "--cathode-capacity-mAh-g", "200", "--json"])
    assert out["anode_loading_mg_cm2"] == pytest.approx(3.771, abs=1e-3)


def test_electrode_blend_prelithiation_thickness_expansion_phase(capsys):
    out = _json(capsys, ["electrode", "blend", "--layer", "10:0.5", "--layer", "10:1.0",
                         "--area-cm2", "0.785398", "--json"])
    assert out["uptake_areal_capacity_mAh_cm2"] == pytest.approx(18.75, rel=5e-3)
    out = _json(capsys, ["electrode", "prelithiation", "--si-loading-mg-cm2", "0.189",
                         "--foil-um", "30", "--json"])
    assert out["li_foil_thickness_um"] == pytest.approx(3.28, abs=0.01)
    assert out["capacity_mAh_cm2"] == pytest.approx(0.68, abs=0.005)
    out = _json(capsys, ["electrode", "thickness", "--si-loading-mg-cm2", "3.7962",
                         "--pristine-um", "27", "--li-per-si", "0", "--li-per-si", "3.35",
                         "--measured-um", "60", "--json"])
    assert out["states"][1]["thickness_um"] == pytest.approx(57.18, abs=0.05)
    assert out["porosity_at_measured"] == pytest.approx(1 - 57.18 / 60, abs=1e-3)
    out = _json(capsys, ["electrode", "expansion", "--before-um", "105", "--after-um",
                         "121.4", "--json"])
    assert out["expansion_percent"] == pytest.approx(15.6, abs=0.05)
    out = _json(capsys, ["electrode", "phase", "Li21Si5", "--json"])
    assert out["capacity_mAh_g_si"] == pytest.approx(4008, abs=1)
    out = _json(capsys, ["electrode", "capacity", "--capacity-mAh-g", "3000", "--json"])
    assert out["li_per_host"] == pytest.approx(3.1437, abs=1e-3)
    out = _json(capsys, ["electrode", "capacity", "--formula", "Li3Sb", "--json"])
    assert out["host"] == "Sb"
    assert out["capacity_mAh_g_host"] == pytest.approx(660.35, abs=0.05)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["electrode", "phase", "Li21Si6"], "did you mean 'Li21Si5'"),
        (["electrode", "porosity", "--component", "Si:1:2.33", "--area-cm2", "1",
          "--thickness-um", "1"], "thickness_um"),
        (["electrode", "porosity", "--component", "Si:1", "--area-cm2", "1",
          "--thickness-um", "10"], "NAME:MASS_MG:RHO_G_CM3"),
        (["electrode", "porosity", "--component", "Si:x:2.33", "--area-cm2", "1",
          "--thickness-um", "10"], "a mass"),
        (["electrode", "blend", "--layer", "5:1.5", "--area-cm2", "1"], "phase_fraction"),
        (["electrode", "porosity", "--loading-mg-cm2", "3.8", "--mass-fraction", "0.9:2.33",
          "--thickness-um", "27"], "summing to 1"),
        (["electrode", "porosity", "--component", "Si:1:2.33", "--thickness-um", "27"],
         "--area-cm2"),
        (["electrode", "np-ratio", "--anode-capacity-mAh-g", "3000",
          "--cathode-loading-mg-cm2", "15", "--cathode-capacity-mAh-g", "200"],
         "--anode-loading-mg-cm2"),
        (["electrode", "thickness", "--si-loading-mg-cm2", "-1", "--pristine-um", "27",
          "--li-per-si", "1"], "--si-loading-mg-cm2"),
    ],
)
def test_electrode_errors_are_one_line(capsys, argv, needle):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.startswith("sianode electrode: error:")


def test_electrode_help_documents_actions(capsys):
    assert main(["electrode"]) == 1
    text = capsys.readouterr().out
    for action in ("porosity", "np-ratio", "blend", "prelithiation", "thickness", "expansion"):
        assert action in text
