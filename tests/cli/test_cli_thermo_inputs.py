"""lithiate / constrain / screen: absurd inputs refused up front (exit 2, one line naming the
entry or parameter), constrained capacities in the screen, the .jsonl reader."""

import json

import pandas as pd
import pytest

from sianode.cli.main import main


def _csv(tmp_path, energies, name="e.csv"):
    p = tmp_path / name
    pd.DataFrame({"id": ["li", "si", "lisi", "li2si"], "formula": ["Li", "Si", "LiSi", "Li2Si"],
                  "energy_eV": energies, "volume_A3": [20.0, 20.0, 35.0, 50.0]}).to_csv(p,
                                                                                     index=False)
    return p


GOOD = [-1.9, -5.4, -7.7, -9.7]


def _err(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    return err


@pytest.mark.parametrize("cmd", [["lithiate", "Si"], ["constrain", "Si", "--k-eff", "0", "1"]])
def test_1e300_energy_never_reaches_qhull(tmp_path, capsys, cmd):
    p = _csv(tmp_path, [-1.9, 1e300, -7.7, -9.7])
    err = _err(capsys, [*cmd, "--source", str(p)])
    assert "'si'" in err
    assert "row 3" in err


def test_li_reference_on_another_scale(tmp_path, capsys):
    p = _csv(tmp_path, [5.0, -5.4, -7.7, -9.7])
    err = _err(capsys, ["lithiate", "Si", "--source", str(p)])
    assert "outside the physical range" in err
    out = tmp_path / "s"
    assert main(["screen", "--source", str(p), "--out", str(out), "--no-progress", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["n_reacting"] == 0
    df = pd.read_parquet(out / "screen.parquet")
    assert not (df["status"] == "ok").any()


@pytest.mark.parametrize(("argv", "match"), [
    (["constrain", "Si", "--k-eff", "inf"], "--k-eff"),
    (["constrain", "Si", "--k-eff", "-0.5"], "--k-eff"),
    (["constrain", "Si", "--k-eff", "5000"], "--k-eff"),
    (["constrain", "Si", "--plot", "DIR"], "--plot"),
    (["constrain", "Si", "--plot-capacity", "out.txt"], "--plot-capacity"),
    (["constrain", "Si", "--plot", "FILE/x.png"], "--plot"),
    (["lithiate", "Xx2Si"], "Xx"),
    (["lithiate", "Si", "--source", "DIR"], "directory"),
    (["screen", "--out", "FILE", "--source", "builtin"], "--out"),
    (["screen", "--out", "OUT", "--jobs", "0"], "--jobs"),
    (["screen", "--out", "OUT", "--voltage-window", "1", "0"], "--voltage-window"),
    (["screen", "--out", "OUT", "--k-eff", "nan"], "--k-eff"),
    (["screen", "--out", "OUT", "--source", "mp"], "--chemsys"),
])
def test_bad_arguments_are_refused_up_front(tmp_path, capsys, argv, match):
    f = tmp_path / "file.txt"
    f.write_text("x")
    subs = {"DIR": str(tmp_path), "FILE": str(f), "OUT": str(tmp_path / "o")}
    argv = [subs.get(a, a.replace("FILE", str(f))) for a in argv]
    assert match in _err(capsys, argv)
    assert not (tmp_path / "o").exists()  # nothing was started


def test_screen_with_constrained_capacities(tmp_path, capsys):
    p = _csv(tmp_path, GOOD)
    out = tmp_path / "s"
    assert main(["screen", "--source", str(p), "--out", str(out), "--k-eff", "0", "1.2", "5",
                 "--no-progress", "--json"]) == 0
    df = pd.read_parquet(out / "screen.parquet").set_index("id")
    # the toy system by hand (sianode.testing): Si 1908.6 mAh/g at 0, one plateau left above
    # 1.068 GPa, none above 4.272 GPa
    assert df.loc["si", "capacity_mAh_g_at_0_GPa"] == pytest.approx(1908.56, abs=0.05)
    assert df.loc["si", "capacity_mAh_g_at_1.2_GPa"] == pytest.approx(954.28, abs=0.05)
    assert df.loc["si", "capacity_mAh_g_at_5_GPa"] == 0.0


def test_constrain_json_has_the_profiles(tmp_path, capsys):
    p = _csv(tmp_path, GOOD)
    assert main(["constrain", "Si", "--source", str(p), "--k-eff", "0", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    prof = out["profiles"][1]
    assert prof["k_eff_GPa"] == 1
    assert [s["products"] for s in prof["steps"]] == [["LiSi"], ["Li2Si"]]
    assert [s["voltage_V"] for s in prof["steps"]] == pytest.approx(
        [0.4 - 15 / 160.2176634, 0.1 - 15 / 160.2176634])


def test_lithiate_reads_compute_entries_jsonl(tmp_path, capsys):
    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry

    rows = [("li", "Li", -1.9, 20.0), ("si", "Si", -5.4, 20.0), ("li2si", "Li2Si", -9.7, 50.0)]
    p = tmp_path / "entries.jsonl"
    p.write_text("".join(json.dumps(ComputedEntry(Composition(f), e, entry_id=i,
                                                  data={"volume_A3": v}).as_dict()) + "\n"
                         for i, f, e, v in rows))
    assert main(["lithiate", "Si", "--source", str(p), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["voltage_V"] == pytest.approx(0.25)
