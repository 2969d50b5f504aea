"""``sianode simulate`` end to end on a hand-made Li-Si entry file (and the built-in set
when main ships it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sianode.cli.main import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cell"))
from test_simulate_model import K_STOP, lisi_entries


@pytest.fixture(scope="module")
def entries_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("entries") / "lisi.json"
    path.write_text(json.dumps([e.as_dict() for e in lisi_entries()]))
    return path


def _run_json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_simulate_json_full_cell_builtin(capsys, tmp_path):
    from sianode.materials import load_entries
    from sianode.thermo import lithiate

    si = lithiate("Si", load_entries("builtin"))
    out = _run_json(capsys, ["simulate", "--host", "Si", "--k-eff", "0", "3", "4", "5.5",
                             "--c-rate", "0.5", "--np", "1.5", "--plot", str(tmp_path / "figs"),
                             "--json"])
    assert out["host"] == "Si"
    assert out["k_stop_GPa"] == pytest.approx(si.k_stop_GPa)
    runs = out["runs"]
    assert [r["k_eff_GPa"] for r in runs] == [0.0, 3.0, 4.0, 5.5]
    alloy = [r["alloy_capacity_mAh_g"] for r in runs]
    assert alloy[0] > alloy[1] > alloy[2] > alloy[3]
    assert alloy[3] < 30.0  # past the stop modulus
    plated = [r["plated_capacity_mAh_cm2"] for r in runs]
    assert plated[0] < 1e-6
    assert plated[3] > plated[2] > 0.1
    assert runs[3]["min_anode_potential_V"] < 0.0 < runs[0]["min_anode_potential_V"]
    assert {p.name for p in (tmp_path / "figs").iterdir()} == {
        "voltage_capacity.png", "capacity_vs_k_eff.png", "current_split.png"}
    # which limit ended each step, and the cell's bookkeeping, are in the JSON
    assert [r["lithiation_ended_by"] for r in runs] == [
        "Cathode fully delithiated", "Upper voltage cut-off", "Upper voltage cut-off",
        "Upper voltage cut-off"]
    assert alloy[0] == pytest.approx(2000.0, rel=1e-9)  # 5 mAh/cm2 into 2.5 mg/cm2 of Si
    assert all(r["np_ratio"] == 1.5 and r["cathode_capacity_mAh_cm2"] == pytest.approx(5.0)
               for r in runs)
    assert all(r["coulombic_efficiency"] <= 1.0 + 1e-9 for r in runs)


def test_simulate_asymmetric_builtin_readme_row(capsys, tmp_path):
    """README: ``sianode simulate --cell asymmetric --k-eff 4.2 --current-density 0.2
    --plot DIR`` on the built-in data, end to end."""
    argv = ["simulate", "--cell", "asymmetric", "--k-eff", "4.2", "--current-density", "0.2",
            "--plot", str(tmp_path)]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Si (asymmetric cell), K_stop = 4.91")
    k, alloy, plated, phi, above = next(ln for ln in lines if ln.strip().startswith("4.20")
                                        ).split()
    assert float(alloy) == pytest.approx(954.3, abs=10.0)  # LiSi is all that is left
    assert float(plated) == pytest.approx(7.5 - float(alloy) * 1e-3, abs=2e-3)
    assert float(phi) < 0.0
    assert float(above) == pytest.approx(float(alloy), abs=5.0)
    assert {p.name for p in tmp_path.iterdir()} == {
        "voltage_capacity.png", "capacity_vs_k_eff.png", "current_split.png",
        "asymmetric_profile.png"}


def test_simulate_json_on_an_entry_file(capsys, entries_file):
    out = _run_json(capsys, ["simulate", "--k-eff", "0", "6", "--source", str(entries_file),
                             "--json"])
    assert out["k_stop_GPa"] == pytest.approx(K_STOP, rel=1e-6)
    assert out["runs"][0]["alloy_capacity_mAh_g"] > 1000.0
    assert out["runs"][1]["alloy_capacity_mAh_g"] < 30.0


def test_simulate_asymmetric_text_and_plot(capsys, entries_file, tmp_path):
    argv = ["simulate", "--cell", "asymmetric", "--k-eff", "5.6", "--current-density", "0.2",
            "--source", str(entries_file), "--plot", str(tmp_path)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "asymmetric" in text
    assert "5.60" in text
    assert (tmp_path / "asymmetric_profile.png").stat().st_size > 1000


@pytest.mark.parametrize(("extra", "needle"), [
    (["--c-rate", "-1"], "'--c-rate' = -1.0"),
    (["--np", "0"], "'--np' = 0.0"),
    (["--np", "-2"], "'--np' = -2.0"),
    (["--k-eff", "0", "-1"], "'--k-eff' = [0.0, -1.0]"),
    (["--current-density", "0"], "'--current-density'"),
    (["--host", "Xx2"], "unknown element symbol 'Xx'"),
    (["--host", "Li"], "'--host' = 'Li'"),
    (["--plot", "/etc/passwd"], "--plot"),
    (["--host", "Ge"], "unknown host"),
    (["--cell", "asymmetric", "--np", "1.5"], "--np"),
    (["--host-loading", "1"], "--host-loading"),
])
def test_simulate_bad_input_is_one_line(capsys, entries_file, extra, needle):
    assert main(["simulate", "--source", str(entries_file), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sianode simulate: error:")
    assert needle in err
    assert "\n" not in err
