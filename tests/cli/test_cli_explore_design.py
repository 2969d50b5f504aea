"""``sianode explore`` (page content, without a browser) and ``sianode design``: contract,
numbers, and one-line failures."""

import base64
import gzip
import json
import re

import numpy as np
import pandas as pd
import pytest
from pymatgen.core import Composition
from pymatgen.entries.computed_entries import ComputedEntry

from sianode.cli import design as design_cli
from sianode.cli import explore as explore_cli
from sianode.cli.main import build_parser, main
from sianode.testing import toy_lisi_entries
from sianode.thermo import LithiationEngine
from sianode.thermo.screen import screen

STACK = "examples/stacks/ye2024_pouch.toml"


def _entries():
    es = toy_lisi_entries()
    for e in es:
        e.data["experimental"] = e.entry_id != "toy-LiSi"  # one hand-made 'hypothetical'
    es.append(ComputedEntry(Composition("Cu"), -4.1, entry_id="toy-Cu",
                            data={"volume_A3": 11.8, "experimental": True}))
    return es


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    d = tmp_path_factory.mktemp("toy")
    src = d / "entries.json"
    src.write_text(json.dumps([e.as_dict() for e in _entries()]))
    df = screen(_entries(), out_dir=d / "scr", stop_modulus=True)
    return {"dir": d, "source": str(src), "screen": d / "scr", "df": df}


def _page_data(path):
    text = path.read_text(encoding="utf-8")
    b64 = re.search(r'<script id="sianode-data"[^>]*>([^<]*)</script>', text).group(1)
    raw = gzip.decompress(base64.b64decode(b64))
    n = int.from_bytes(raw[:4], "little")
    return text, json.loads(raw[4:4 + n])


def test_explore_writes_offline_page_with_curves(toy, capsys):
    assert main(["explore", str(toy["screen"]), "--source", toy["source"], "--k-eff", "0", "1",
                 "5", "--no-progress", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    page = toy["screen"] / "explorer.html"
    assert out["path"] == str(page)
    assert out["size_bytes"] == page.stat().st_size
    text, head = _page_data(page)
    # self-contained: nothing is fetched (no src=/href= to a URL, no import, no fetch)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text)
    assert "fetch(" not in text
    assert "import(" not in text
    assert head["n"] == len(toy["df"]) == 4  # Si, LiSi, Li2Si, Cu
    ids = head["id"]
    si = ids.index("toy-Si")
    curves = head["curves"][str(si)]
    # Fig. 3e of the toy: 0.4 and 0.1 V at K = 0; 0.4 - 15 K only at 1 GPa; nothing at 5 GPa
    k_ev = 1 / 160.21766339999998
    (k0, s0), (k1, s1), (k5, s5) = curves["profiles"]
    assert (k0, k1, k5) == (0, 1, 5)
    assert [round(s[0], 6) for s in s0] == [0.4, 0.1]
    assert s0[-1][2] == pytest.approx(1908.56, abs=0.05)
    assert s1[0][0] == pytest.approx(0.4 - 15 * k_ev, rel=1e-9)
    assert len(s1) == 2
    assert s5 == []
    assert curves["k_stop"] == pytest.approx(0.4 / 15 / k_ev, rel=1e-6)
    assert str(ids.index("toy-Cu")) not in head["curves"]  # does not react
    assert any("experimental flag from the entries" in n for n in head["notes"])
    assert head["region"] == [0.35, 0.55]


def test_explore_page_matches_engine_profiles(toy):
    from sianode.plots.explorer import precompute_curves

    eng = LithiationEngine(_entries())
    rows = [int(np.flatnonzero(toy["df"]["id"] == "toy-LiSi")[0])]
    cur = precompute_curves(eng, toy["df"], rows, [0.0, 0.5])
    prof = eng.profile("toy-LiSi", 0.5)
    assert cur[rows[0]]["profiles"][1][1] == [
        [s.voltage_V, s.capacity_start_mAh_g, s.capacity_end_mAh_g] for s in prof.steps]


def test_explore_no_curves_needs_no_source(toy, tmp_path, capsys):
    out_html = tmp_path / "p.html"
    assert main(["explore", str(toy["screen"]), "--no-curves", "--out", str(out_html),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_curves"] == 0
    _, head = _page_data(out_html)
    assert head["curves"] == {}
    assert any("unknown for every host" in n for n in head["notes"])


@pytest.mark.parametrize(("argv", "match"), [
    (["explore", "{missing}"], "no such folder"),
    (["explore", "{empty}"], "no screen.parquet"),
    (["explore", "{screen}/screen.parquet"], "is a file"),
    (["explore", "{screen}", "--out", "{screen}/x.txt"], "--out"),
    (["explore", "{screen}", "--k-eff", "-1"], "--k-eff"),
    (["explore", "{screen}", "--k-eff", "nan"], "--k-eff"),
    (["explore", "{screen}", "--region", "0.5", "0.3"], "--region"),
    (["explore", "{screen}", "--source", "builtin"], "not screened from --source builtin"),
    (["explore", "{screen}", "--source", "{dir}/nope.json"], "no such file"),
])
def test_explore_fails_in_one_line(toy, tmp_path, capsys, argv, match):
    (tmp_path / "empty").mkdir()
    fill = {"missing": str(tmp_path / "nowhere"), "empty": str(tmp_path / "empty"),
            "screen": str(toy["screen"]), "dir": str(toy["dir"])}
    assert main([a.format(**fill) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert match in err, err
    assert len(err.splitlines()) == 1, err


def test_explore_refuses_changed_entries(toy, tmp_path, capsys):
    es = _entries()
    es[2] = ComputedEntry(es[2].composition, -7.8, entry_id="toy-LiSi", data=es[2].data)
    p = tmp_path / "changed.json"
    p.write_text(json.dumps([e.as_dict() for e in es]))
    assert main(["explore", str(toy["screen"]), "--source", str(p)]) == 2
    assert "differ" in capsys.readouterr().err


def test_design_json_csv_plots(toy, tmp_path, capsys):
    argv = ["design", "--stack", STACK, "--hosts", "Si", "Cu", "--k-eff", "0", "2", "5",
            "--source", toy["source"], "--json", "--csv", str(tmp_path / "t.csv"),
            "--plot", str(tmp_path / "fig")]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert round(out["baseline"]["specific_energy_Wh_kg"]) == 218
    rows = out["rows"]
    assert len(rows) == 6
    assert [r["rank"] for r in rows] == list(range(1, 7))
    cu = [r for r in rows if r["host"] == "Cu"]
    assert all(r["plated_share"] == 1.0 and round(r["specific_energy_Wh_kg"]) == 218 for r in cu)
    si0 = next(r for r in rows if r["host"] == "Si" and r["k_eff_GPa"] == 0)
    assert si0["alloy_share"] == pytest.approx(1.5 * 1.90856 / 3.0, rel=1e-4)
    assert out["simulate"].startswith("sianode simulate --host ")
    assert any("no kinetics" in a for a in out["assumptions"])
    csv = pd.read_csv(tmp_path / "t.csv")
    assert list(csv["rank"]) == list(range(1, 7))
    assert csv["plated_share"].tolist() == [r["plated_share"] for r in rows]
    for name in ("design_wh_kg.png", "design_plated_share.png", "design_thickness.png"):
        assert (tmp_path / "fig" / name).stat().st_size > 5000


def test_design_text_output(toy, capsys):
    assert main(["design", "--stack", STACK, "--hosts", "Si", "--k-eff", "0", "5",
                 "--source", toy["source"]]) == 0
    out = capsys.readouterr().out
    assert "217.9 Wh/kg as given" in out
    assert "next: sianode simulate" in out


def test_design_from_screen(toy, capsys):
    assert main(["design", "--stack", STACK, "--from-screen", str(toy["screen"]), "--top", "2",
                 "--region", "0.0", "10", "--k-eff", "0", "--source", toy["source"],
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    # region 0-10 eV/GPa holds the three reacting toy hosts; top 2 by capacity: Si, LiSi
    assert sorted(r["host_id"] for r in rows) == ["toy-LiSi", "toy-Si"]


@pytest.mark.parametrize(("argv", "match"), [
    (["--stack", "nope.toml", "--hosts", "Si"], "no such file"),
    (["--stack", STACK, "--hosts", "Si", "--csv", "{dir}/t.txt"], "--csv"),
    (["--stack", STACK, "--hosts", "Si", "--plot", STACK], "--plot"),
    (["--stack", "{bad}", "--hosts", "Si"], "not valid TOML"),
    (["--stack", STACK, "--hosts", "Si", "--k-eff", "nan"], "--k-eff"),
    (["--stack", STACK, "--hosts", "Si", "--k-eff", "0", "-2"], "--k-eff"),
    (["--stack", STACK, "--hosts", "Ge"], "no entry for host"),
    (["--stack", STACK, "--hosts", "Xq"], "Xq"),
    (["--stack", STACK], "--hosts"),
    (["--stack", STACK, "--hosts", "Si", "--host-loading", "0"], "--host-loading"),
    (["--stack", STACK, "--from-screen", "{dir}/nowhere"], "no such folder"),
    (["--stack", STACK, "--from-screen", "{dir}", "--hosts", "Si"], "no screen.parquet"),
    (["--stack", STACK, "--from-screen", "{screen}", "--top", "0"], "--top"),
])
def test_design_fails_in_one_line(toy, tmp_path, capsys, argv, match):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[layers]\nname = 1\n")
    fill = {"bad": str(bad), "dir": str(toy["dir"]), "screen": str(toy["screen"])}
    assert main(["design", *[a.format(**fill) for a in argv], "--source", toy["source"]]) == 2
    err = capsys.readouterr().err.strip()
    assert match in err, err
    assert len(err.splitlines()) == 1, err


@pytest.mark.parametrize("mod", [explore_cli, design_cli])
def test_every_option_has_help_and_examples(mod):
    sub = build_parser()._subparsers._group_actions[0].choices[mod.COMMAND]
    for action in sub._actions:
        if action.dest != "help":
            assert action.help, action.dest
    assert f"sianode {mod.COMMAND}" in mod.EXAMPLES
