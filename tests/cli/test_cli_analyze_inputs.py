"""``sianode analyze``: dQ/dV, figures, help, and bad inputs refused up front in one line."""

import argparse
import json
import time
from pathlib import Path

import pytest

from sianode.cli.main import build_parser, main
from sianode.experiments.io.layouts import write_arbin_csv
from sianode.experiments.synthetic import synthetic_cycling

DATA = Path(__file__).parents[1] / "data" / "instruments"
LITH = [1.00, 0.95, 0.90, 0.85, 0.78]
DELI = [0.90, 0.94, 0.89, 0.80, 0.70]


@pytest.fixture(scope="module")
def arbin(tmp_path_factory):
    f = tmp_path_factory.mktemp("a") / "arbin.csv"
    write_arbin_csv(synthetic_cycling(LITH, DELI, 1e-3, "half", dt_s=3.6), f)
    return f


def test_dqdv_cli_table_plot_and_csv(arbin, tmp_path, capsys):
    png, csv = tmp_path / "d.png", tmp_path / "d.csv"
    assert main(["analyze", "dqdv", str(arbin), "--cell", "half", "--cycles", "1", "2",
                 "--plot", str(png), "--out", str(csv), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {(p["cycle"], p["half"]) for p in out["peaks"]} == {
        (1, "lithiation"), (1, "delithiation"), (2, "lithiation"), (2, "delithiation")}
    assert png.stat().st_size > 1000
    assert csv.stat().st_size > 1000


def test_cycling_figures_have_legend_units_and_mass(arbin, tmp_path, monkeypatch):
    import matplotlib
    import matplotlib.figure

    saved = []
    def fake_savefig(self, path, **kw):  # record the figure; leave a file for the atomic rename
        saved.append((self, path))
        Path(path).write_bytes(b"")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", fake_savefig)
    backend = matplotlib.get_backend()
    assert main(["analyze", "cycling", str(arbin), "--cell", "half", "--mass-mg", "0.5",
                 "--plot", str(tmp_path / "c.png"), "--profile-plot",
                 str(tmp_path / "p.svg")]) == 0
    assert matplotlib.get_backend() == backend  # the user's backend is never switched
    cap_ax = saved[0][0].axes[0]
    assert cap_ax.get_ylabel() == r"delithiation capacity [mAh g$^{-1}$]"
    labels = [t.get_text() for t in cap_ax.get_legend().get_texts()]
    assert labels == ["delithiation capacity", "coulombic efficiency"]
    assert all(float(x).is_integer() for x in cap_ax.get_xticks())
    prof = saved[1][0].axes[0]
    assert prof.get_xlabel() == r"capacity [mAh g$^{-1}$]"
    assert max(prof.lines[1].get_xdata()) == pytest.approx(DELI[0] / 0.5e-3)


def test_text_output_names_units_and_threshold(arbin, capsys):
    assert main(["analyze", "cycling", str(arbin), "--cell", "half", "--mass-mg", "0.5",
                 "--threshold", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "lith mAh/g" in out
    assert "1800" in out
    assert "cycles to 90 % of cycle 1's delithiation capacity: cycle 4" in out


@pytest.mark.parametrize(("argv", "needle"), [
    (["cycling", "{missing}", "--cell", "half"], "file not found"),
    (["cycling", "{dir}", "--cell", "half"], "is a directory"),
    (["cycling", "{empty}", "--cell", "half"], "file is empty"),
    (["cycling", "{binary}", "--cell", "half"], "binary"),
    (["cycling", "{arbin}", "--cell", "half", "--mass-mg", "nan"], "--mass-mg"),
    (["cycling", "{arbin}", "--cell", "half", "--mass-mg", "inf"], "--mass-mg"),
    (["cycling", "{arbin}", "--cell", "half", "--mass-mg", "0"], "--mass-mg"),
    (["cycling", "{arbin}", "--cell", "half", "--area-cm2", "-1"], "--area-cm2"),
    (["cycling", "{arbin}", "--cell", "half", "--threshold", "1e300"], "--threshold"),
    (["cycling", "{arbin}", "--cell", "half", "--plot", "{dir}"], "--plot"),
    (["cycling", "{arbin}", "--cell", "half", "--plot", "x.txt"], "--plot"),
    (["cycling", "{arbin}", "--cell", "half", "--plot", "{binary}/sub/c.png"], "--plot"),
    (["cycling", "{arbin}", "--cell", "half", "--scale", "current_ampere=nan"], "--scale"),
    (["cycling", "{arbin}", "--cell", "half", "--map", "nope=x"], "--map"),
    (["cycling", "{eis}", "--cell", "half"], "analyze eis"),
    (["dqdv", "{arbin}", "--cell", "half", "--window", "0"], "--window"),
    (["dqdv", "{arbin}", "--cell", "half", "--out", "x.png"], "--out"),
    (["pitt", "{arbin}", "--length-um", "1e300"], "--length-um"),
    (["pitt", "{arbin}", "--length-um", "nan"], "--length-um"),
    (["gitt", "{arbin}", "--length-um", "1e300"], "--length-um"),
    (["plating", "{arbin}", "--cell", "asymmetric", "--spike-V", "-1"], "--spike-V"),
    (["xrd", "{arbin}", "--wavelength-A", "0"], "--wavelength-A"),
    (["xrd", "{arbin}", "--peaks", "nan"], "--peaks"),
    (["xrd", "{arbin}", "--plot", "wh.doc"], "--plot"),
    (["eis", "{arbin}", "--plot", "{dir}"], "--plot"),
    (["eis", "{missing}"], "file not found"),
    (["titration", "--lithiation-mAh", "nan", "--delithiation-mAh", "1", "--h2-umol", "1"],
     "--lithiation-mAh"),
])
def test_bad_inputs_exit_2_with_one_line(argv, needle, arbin, tmp_path, capsys):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02binary")
    paths = {"missing": str(tmp_path / "nope.csv"), "dir": str(tmp_path),
             "empty": str(tmp_path / "empty.csv"), "binary": str(tmp_path / "bin.csv"),
             "arbin": str(arbin), "eis": str(DATA / "imp_exampleDataBioLogic.mpt")}
    argv = [a.format(**paths) for a in argv]
    t0 = time.perf_counter()
    assert main(["analyze", *argv]) == 2
    assert time.perf_counter() - t0 < 5
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert needle in err
    assert "Traceback" not in err


def _analyze_parsers():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    analyze = sub.choices["analyze"]
    asub = next(a for a in analyze._actions if isinstance(a, argparse._SubParsersAction))
    return asub.choices


def test_every_analyze_option_has_help_and_every_module_examples():
    import importlib

    for name, p in _analyze_parsers().items():
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"analyze {name}: {action.option_strings or action.dest}"
            assert "(default" not in action.help
        mod = importlib.import_module(f"sianode.cli._analyze_{name}")
        assert mod.EXAMPLES.strip().startswith("sianode analyze " + name)


def test_file_based_analyses_accept_format_and_map():
    for name, p in _analyze_parsers().items():
        if name == "depth":  # takes numbers, no file
            continue
        opts = {o for a in p._actions for o in a.option_strings}
        assert {"--format", "--map"} <= opts, name
