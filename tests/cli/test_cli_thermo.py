"""The stable CLI contract of lithiate / constrain / screen, and one-line errors."""

import json

import pandas as pd
import pytest

from sianode.cli.main import main
from sianode.materials import entries_to_table
from sianode.testing import random_entries, toy_lisi_entries


@pytest.fixture
def toy_csv(tmp_path):
    rows = entries_to_table(toy_lisi_entries())
    cu = pd.DataFrame([{"id": "toy-Cu", "formula": "Cu", "energy_eV": -4.1, "volume_A3": 11.8,
                        "band_gap_eV": 0.0}])
    p = tmp_path / "toy.csv"
    pd.concat([rows, cu]).to_csv(p, index=False)
    return p


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_lithiate_json_keys(capsys, toy_csv):
    out = _json(capsys, ["lithiate", "Si", "--source", str(toy_csv), "--json"])
    for key in ("host", "products", "li_per_host_atom", "voltage_V", "capacity_mAh_g",
                "reaction_strain", "k_crit_GPa", "k_stop_GPa"):
        assert key in out
    assert out["products"] == {"Li2Si": pytest.approx(1.0)}
    assert out["voltage_V"] == pytest.approx(0.25)
    assert out["k_crit_GPa"] == pytest.approx(2.6703, abs=1e-4)


def test_non_reacting_host_is_valid(capsys, toy_csv):
    out = _json(capsys, ["lithiate", "Cu", "--source", str(toy_csv), "--json"])
    assert out["capacity_mAh_g"] == 0.0
    assert out["products"] == {}
    assert out["k_crit_GPa"] is None
    assert out["voltage_V"] is None


def test_constrain_json_and_plots(capsys, toy_csv, tmp_path):
    out = _json(capsys, ["constrain", "Si", "--source", str(toy_csv), "--k-eff", "0", "2", "5",
                         "--plot", str(tmp_path / "f.png"),
                         "--plot-capacity", str(tmp_path / "c.png"), "--json"])
    assert out["host"] == "Si"
    assert [c["k_eff_GPa"] for c in out["curves"]] == [0, 2, 5]
    assert [c["capacity_mAh_g"] for c in out["curves"]] == pytest.approx([1908.56, 954.28, 0.0],
                                                                         abs=0.05)
    first = out["curves"][0]["steps"]
    assert first[0] == {"voltage_V": pytest.approx(0.4), "capacity_mAh_g": 0.0}
    assert (tmp_path / "f.png").stat().st_size > 1000
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_screen_writes_table_summary_figures(capsys, tmp_path):
    p = tmp_path / "rnd.csv"
    entries_to_table(random_entries(20, seed=5)).to_csv(p, index=False)
    out = _json(capsys, ["screen", "--source", str(p), "--out", str(tmp_path / "s"),
                         "--no-progress", "--json"])
    for key in ("n_hosts", "n_in_region", "top_elements"):
        assert key in out
    df = pd.read_parquet(tmp_path / "s" / "screen.parquet")
    assert len(df) == out["n_hosts"]
    assert (tmp_path / "s" / "fig3f_map.png").exists()
    assert "plotly" in (tmp_path / "s" / "fig3f_map.html").read_text()[:200000]
    assert json.loads((tmp_path / "s" / "summary.json").read_text())["n_hosts"] == len(df)


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["lithiate", "Xq", "--source", "TOY"], "Xq"),
        (["lithiate", "Ge", "--source", "TOY"], "no entry for host"),
        (["constrain", "Si", "--source", "TOY", "--k-eff", "-1"], "--k-eff"),
        (["lithiate", "Si", "--source", "missing.csv"], "no such file"),
    ],
)
def test_errors_are_one_line(capsys, toy_csv, argv, match):
    argv = [str(toy_csv) if a == "TOY" else a for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
