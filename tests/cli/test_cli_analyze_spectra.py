"""``sianode analyze eis|pitt|gitt|xrd|depth`` end to end on generated files."""

import json

import numpy as np
import pytest

from sianode.cli.main import main
from sianode.experiments.diffraction import pseudo_voigt, si_reflections_two_theta_deg
from sianode.experiments.diffusion import pitt_current_transient
from sianode.experiments.eis import SEED002_CIRCUIT, EISFit

F_HZ = np.logspace(5, -1, 61)
TRUTH = {"Rs": 12.9, "Rsei": 5.3, "CPEsei_Q": 2e-6, "CPEsei_alpha": 0.9, "Rct": 13.3,
         "CPEct_Q": 5e-4, "CPEct_alpha": 0.8, "W1": 8.0}


def _chi_file(path, z):
    rows = [f"{f:.4e}, {v.real:.6e}, {v.imag:.6e}, {abs(v):.6e}, {np.degrees(np.angle(v)):.2f}"
            for f, v in zip(F_HZ, z)]
    path.write_text("Nov. 23, 2024   17:47:14\nA.C. Impedance\nFile: x.bin\nData Source:  "
                    "Experiment\nInstrument Model:  CHI660E\nHeader:\nNote:\n\n"
                    "High Frequency (Hz) = 1e+5\nLow Frequency (Hz) = 0.1\n"
                    "Amplitude (V) = 0.01\n\nFreq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg\n\n"
                    + "\n".join(rows) + "\n")
    return path


def _run_json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_eis_chi_json_and_plot(tmp_path, capsys):
    z = EISFit(SEED002_CIRCUIT).set_parameters(TRUTH).predict(F_HZ)
    f = _chi_file(tmp_path / "cell.txt", z)
    png = tmp_path / "nyq.png"
    out = _run_json(capsys, ["analyze", "eis", str(f), "--format", "chi", "--plot", str(png),
                             "--json"])
    assert out["Rs_ohm"] == pytest.approx(12.9, rel=1e-3)
    assert out["Rsei_ohm"] == pytest.approx(5.3, rel=1e-2)
    assert out["Rct_ohm"] == pytest.approx(13.3, rel=1e-3)
    assert {a["role"] for a in out["arcs"]} == {"sei", "charge_transfer"}
    assert png.stat().st_size > 10_000


def test_eis_csv_batch_text_output(tmp_path, capsys):
    files = []
    for k, rct in enumerate((13.3, 38.9)):
        z = EISFit(SEED002_CIRCUIT).set_parameters({**TRUTH, "Rct": rct}).predict(F_HZ)
        p = tmp_path / f"s{k}.csv"
        p.write_text("frequency_Hz,z_real_ohm,-z_imag_ohm\n"
                     + "\n".join(f"{a},{b.real},{-b.imag}" for a, b in zip(F_HZ, z)))
        files.append(str(p))
    out = _run_json(capsys, ["analyze", "eis", *files, "--json"])
    assert [r["Rct_ohm"] for r in out] == pytest.approx([13.3, 38.9], rel=1e-3)
    assert main(["analyze", "eis", files[0], "--circuit", "R0-p(R1,CPE1)-p(R2,CPE2)-W1"]) == 0
    text = capsys.readouterr().out
    assert "Rct_ohm" in text
    assert "charge_transfer" in text


def test_eis_bad_inputs_are_one_line_errors(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text("frequency_Hz,z_real_ohm,z_imag_ohm\n100,1,2\n10,x,1\n")
    assert main(["analyze", "eis", str(p)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv, row 3, column 'z_real_ohm'" in err
    assert main(["analyze", "eis", str(p), "--circuit", "R0-Q1"]) == 2
    assert "known type" in capsys.readouterr().err
    assert main(["analyze", "eis", str(p), "--initial", "R0"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def _pitt_csv(path, ds):
    rows = ["time_s,voltage_V,current_A"]
    for k, d in enumerate(ds):
        t = np.arange(0.0, 900.0, 1.0)
        i = pitt_current_transient(t + 0.5, d, 0.025, 5e-4)
        rows += [f"{a + 900 * k},{3.896 + 0.002 * k},{b}" for a, b in zip(t, i)]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_pitt_cli(tmp_path, capsys):
    p = _pitt_csv(tmp_path / "pitt.csv", [1e-6, 2.09e-6])
    out = _run_json(capsys, ["analyze", "pitt", str(p), "--length-um", "250", "--json"])
    got = [s["diffusion_coefficient_cm2_s"] for s in out["steps"]]
    assert got == pytest.approx([1e-6, 2.09e-6], rel=1e-4)
    assert main(["analyze", "pitt", str(p), "--length-um", "-1"]) == 2
    assert "--length-um" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("time_s;voltage_V\n0;1\n")
    assert main(["analyze", "pitt", str(bad), "--length-um", "250"]) == 2
    err = capsys.readouterr().err
    assert "unrecognised layout" in err
    assert "--map" in err


def test_gitt_cli_geometry_is_never_defaulted(tmp_path, capsys):
    t = np.concatenate([np.arange(0, 10.0), np.arange(10, 20.0), np.arange(20, 60.0)])
    i = np.where((t >= 10) & (t < 20), 1e-4, 0.0)
    v = 3.5 + np.where(i > 0, 0.01 + 0.001 * np.sqrt(np.clip(t - 9, 0, None)), 0.0) + np.where(t >= 20, 0.002, 0)
    p = tmp_path / "gitt.csv"
    p.write_text("test_time_second,voltage_volt,current_ampere\n"
                 + "\n".join(f"{a},{b},{c}" for a, b, c in zip(t, v, i)))
    assert main(["analyze", "gitt", str(p), "--mass-mg", "2.8"]) == 2
    assert "missing: molar_volume_cm3_mol, molar_mass_g_mol, area_cm2" in capsys.readouterr().err
    out = _run_json(capsys, ["analyze", "gitt", str(p), "--length-um", "2", "--json"])
    assert len(out["pulses"]) == 1
    q = out["pulses"][0]
    assert q["delta_Es_V"] == pytest.approx(0.002)
    assert q["diffusion_coefficient_cm2_s"] == pytest.approx(
        4 / (np.pi * q["duration_s"]) * (2e-4) ** 2 * (q["delta_Es_V"] / q["delta_Et_V"]) ** 2)


def test_xrd_cli_pattern_and_peak_list(tmp_path, capsys):
    x = np.arange(20, 80, 0.01)
    y = 50 + np.zeros_like(x)
    for tt in si_reflections_two_theta_deg().values():
        th = np.deg2rad(tt) / 2
        beta = np.rad2deg(0.9 * 0.15405929 / (40 * np.cos(th)) + 4 * 2e-3 * np.tan(th))
        y += pseudo_voigt(x, tt, beta + 0.07, 1000, 0.4)
    p = tmp_path / "pattern.csv"
    p.write_text("two_theta_deg,intensity\n" + "\n".join(f"{a:.3f},{b:.4f}" for a, b in zip(x, y)))
    png = tmp_path / "wh.png"
    out = _run_json(capsys, ["analyze", "xrd", str(p), "--si", "--instrument-fwhm-deg", "0.07",
                             "--plot", str(png), "--json"])
    assert len(out["peaks"]) == 5
    assert out["williamson_hall"]["size_nm"] == pytest.approx(40, rel=0.02)
    assert out["williamson_hall"]["strain"] == pytest.approx(2e-3, rel=0.02)
    assert png.stat().st_size > 10_000
    peaks = tmp_path / "peaks.csv"
    peaks.write_text("two_theta_deg,fwhm_deg\n28.44,0.32\n47.30,0.40\n")
    out = _run_json(capsys, ["analyze", "xrd", str(peaks), "--instrument-fwhm-deg", "0.07",
                             "--json"])
    assert out["scherrer_size_nm"][0] == pytest.approx(32.8, abs=0.1)
    assert main(["analyze", "xrd", str(p)]) == 2
    assert "--peaks" in capsys.readouterr().err


def test_depth_cli(capsys):
    out = _run_json(capsys, ["analyze", "depth", "xps", "--etch-time-s", "500", "1500",
                             "--rate", "SiO2", "--json"])
    assert [r["depth_nm"] for r in out["rows"]] == pytest.approx([26.0, 78.0])
    out = _run_json(capsys, ["analyze", "depth", "eels", "--log-ratio", "0.54",
                             "--collection-mrad", "43", "--composition", "Li15Si4", "--json"])
    assert out["rows"][0]["thickness_nm"] == pytest.approx(68.0, abs=0.3)
    assert main(["analyze", "depth", "eels", "--log-ratio", "0.54"]) == 2
    assert "--mean-free-path-nm" in capsys.readouterr().err
    assert main(["analyze", "depth", "xps", "--etch-time-s", "5"]) == 2
    assert "--rate" in capsys.readouterr().err
