"""``sianode analyze cycling|plating|titration`` end to end on generated instrument files."""

import json

import numpy as np
import pandas as pd
import pytest

from sianode.cli.main import main
from sianode.experiments.io import write_parquet
from sianode.experiments.io.layouts import write_arbin_csv, write_mpt
from sianode.experiments.schema import CURRENT, TIME, VOLTAGE
from sianode.experiments.synthetic import synthetic_cycling

LITH = [1.00, 0.95, 0.90, 0.85, 0.78]
DELI = [0.90, 0.94, 0.89, 0.80, 0.70]


@pytest.fixture(scope="module")
def records():
    return synthetic_cycling(LITH, DELI, 1e-3, "half", dt_s=3.6)


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_cycling_json_keys_and_values(records, tmp_path, capsys):
    f = tmp_path / "arbin.csv"
    write_arbin_csv(records, f)
    png = tmp_path / "cap.png"
    out = _json(capsys, ["analyze", "cycling", str(f), "--cell", "half", "--mass-mg", "0.5",
                         "--area-cm2", "0.25", "--ce-window", "2", "4", "--reference-cycle",
                         "2", "--plot", str(png), "--json"])
    for key in ("cycles", "initial_coulombic_efficiency", "ce_mean", "ce_std",
                "retention_reference_cycle", "cycles_to_threshold", "threshold_fraction"):
        assert key in out
    c1 = out["cycles"][0]
    assert {"cycle", "lithiation_capacity_mAh", "delithiation_capacity_mAh",
            "coulombic_efficiency"} <= set(c1)
    assert [c["cycle"] for c in out["cycles"]] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose([c["lithiation_capacity_mAh"] for c in out["cycles"]], LITH)
    assert c1["lithiation_capacity_mAh_g"] == pytest.approx(2000.0)
    assert out["initial_coulombic_efficiency"] == pytest.approx(0.9)
    assert out["ce_mean"] == pytest.approx(np.mean(np.divide(DELI, LITH)[1:4]))
    assert out["ce_std"] == pytest.approx(np.std(np.divide(DELI, LITH)[1:4], ddof=1))
    assert out["retention_reference_cycle"] == 2
    assert out["cycles_to_threshold"] == 5
    assert out["threshold_fraction"] == 0.8
    assert png.stat().st_size > 1000


def test_cycling_text_output_and_format_flag(records, tmp_path, capsys):
    f = tmp_path / "cell.mpt"
    write_mpt(records, f)
    assert main(["analyze", "cycling", str(f), "--format", "biologic", "--cell", "half"]) == 0
    out = capsys.readouterr().out
    assert "ICE (cycle 1) = 90.00 %" in out
    assert "cycles to 80 % of cycle 1's delithiation capacity: cycle 5" in out
    assert "rate table" in out
    assert "{" not in out  # no raw dicts


def test_parquet_carries_cell_and_mass(records, tmp_path, capsys):
    f = tmp_path / "cell.parquet"
    write_parquet(records, f, {"cell": "half", "mass_mg": 1.0})
    out = _json(capsys, ["analyze", "cycling", str(f), "--json"])
    assert out["cell"] == "half"
    assert out["mass_mg"] == 1.0
    assert out["cycles"][0]["delithiation_capacity_mAh_g"] == pytest.approx(900.0)


def test_missing_cell_and_bad_file_are_one_line_errors(records, tmp_path, capsys):
    f = tmp_path / "arbin.csv"
    write_arbin_csv(records, f)
    assert main(["analyze", "cycling", str(f)]) == 2
    assert "--cell is needed" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("test_time_second,voltage_volt,current_ampere\n0,1,0\n1,x,0\n")
    assert main(["analyze", "cycling", str(bad), "--cell", "half"]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err
    assert "voltage_volt" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["analyze", "cycling", str(f), "--cell", "half", "--mass-mg", "-1"]) == 2
    assert "--mass-mg" in capsys.readouterr().err


def test_plating_cli(tmp_path, capsys):
    n, dt = 2000, 20.0
    t = np.arange(n) * dt
    v = -1.5e-3 - 14.2e-3 * np.exp(-(((t - 400) / 120) ** 2))
    cur = np.full(n, -0.1e-3)
    cur[0] = 0
    t2 = t[-1] + dt * np.arange(1, 1001)
    df = pd.DataFrame({TIME: np.r_[t, t2], VOLTAGE: np.r_[v, np.full(1000, 0.004)],
                       CURRENT: np.r_[cur, np.full(1000, 0.1e-3)]})
    f = tmp_path / "plating.csv"
    df.to_csv(f, index=False)
    out = _json(capsys, ["analyze", "plating", str(f), "--cell", "asymmetric", "--json"])
    assert out["nucleation"]["overpotential_mV"] == pytest.approx(14.2, abs=1e-6)
    assert out["initial_coulombic_efficiency"] == pytest.approx(1000 / 1999, rel=1e-9)
    assert out["soft_short"]["cycles"] == []
    assert main(["analyze", "plating", str(f), "--cell", "asymmetric", "--ccd"]) == 2
    assert "area_cm2" in capsys.readouterr().err


def test_titration_cli(capsys):
    out = _json(capsys, ["analyze", "titration", "--lithiation-mAh", "5.0",
                         "--delithiation-mAh", "4.2", "--active-li-mAh", "0.215", "--json"])
    assert out["sei_share"] == pytest.approx(0.117)
    assert main(["analyze", "titration", "--lithiation-mAh", "5.0", "--h2-umol", "1"]) == 2
    assert "--delithiation-mAh" in capsys.readouterr().err


def test_cycling_csv_with_column_map_and_scale(records, tmp_path, capsys):
    f = tmp_path / "own.csv"
    pd.DataFrame({"t/s": records[TIME], "U/V": records[VOLTAGE],
                  "I/mA": records[CURRENT] * 1e3}).to_csv(f, index=False)
    out = _json(capsys, ["analyze", "cycling", str(f), "--cell", "half",
                         "--map", "test_time_second=t/s", "--map", "voltage_volt=U/V",
                         "--map", "current_ampere=I/mA", "--scale", "current_ampere=1e-3",
                         "--json"])
    np.testing.assert_allclose([c["delithiation_capacity_mAh"] for c in out["cycles"]], DELI)
    assert main(["analyze", "cycling", str(f), "--cell", "half", "--scale", "x"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err
