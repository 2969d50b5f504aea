"""``sianode diffusion``: every bad input refused up front (exit 2, one line, < 2 s, no
model load), help texts with units, and a full run on the toy potential."""

import json
import os
import time

import pytest

from sianode.cli import diffusion as cli_diffusion
from sianode.cli.main import build_parser, main


@pytest.fixture
def no_model(monkeypatch):
    """Fail loudly if anything tries to load an ML potential; modules imported once first
    (the < 2 s budget is for the refusal, not for importing the CLI on a loaded machine)."""
    import sianode.kinetics.diffusion
    import sianode.materials.calculators
    import sianode.materials.structures_lisi  # noqa: F401

    build_parser()

    def boom(*a, **k):
        raise AssertionError("model loaded before validation")

    monkeypatch.setattr("sianode.materials.calculators.get_calculator", boom)


BAD = [
    (["--strain", "nan"], "'strain'", "(-0.5, 0.5)"),
    (["--strain", "1.5"], "'strain'", "(-0.5, 0.5)"),
    (["--strain", "1e300"], "'strain'", "(-0.5, 0.5)"),
    (["--strain", "0", "-0.7"], "'strain'", "(-0.5, 0.5)"),
    (["--images", "0"], "'n_images'", "[1, 25]"),
    (["--fmax", "-1"], "'fmax'", "(0, 5]"),
    (["--fmax", "inf"], "'fmax'", "(0, 5]"),
    (["--max-steps", "0"], "'max_steps'", "[1, 100000]"),
    (["--temperature-K", "-5"], "'temperature_K'", "in (0, 10000]"),
    (["--shear-deg", "10"], "'shear_deg'", "[30, 150]"),
    (["--supercell", "2", "2", "0"], "'supercell'", "[1, 6]"),
    (["--jobs", "0"], "'jobs'", "[1, 64]"),
    (["--potential", "mace"], "potential", "7net-0"),
    (["--sites", "0", "0", "0", "2", "0", "0"], "'sites'", "[0, 1]"),
    (["--dask", "0"], "--dask", ">= 1"),
    (["--scheduler", " "], "--scheduler", "tcp://"),
]


@pytest.mark.parametrize(("extra", "name", "allowed"), BAD)
def test_bad_numbers_exit_2_with_one_line_before_any_model(no_model, capsys, extra, name,
                                                           allowed):
    t0 = time.perf_counter()
    assert main(["diffusion", "Si", *extra]) == 2
    assert time.perf_counter() - t0 < 2.0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("sianode diffusion: error:")
    assert name in err
    assert allowed in err


def test_dask_options_reach_the_scan_as_its_backend(no_model, monkeypatch, capsys):
    seen = {}

    def fake_scan(*args, backend=None, **kwargs):
        seen.update(kind=backend.kind, jobs=backend.n_workers, calc=kwargs["calculator"])
        return {"host": "Si", "temperature_K": 300.0, "force_calls": 0, "wall_s": 0.0,
                "jobs": backend.n_workers, "points": []}

    monkeypatch.setattr("sianode.kinetics.diffusion.strain_scan", fake_scan)
    assert main(["diffusion", "Si", "--strain", "0", "--jobs", "3", "--no-progress"]) == 0
    assert "on 3 process(es)" in capsys.readouterr().out
    assert seen == {"kind": "processes", "jobs": 3, "calc": "7net-0"}
    with pytest.raises(SystemExit) as exc:
        main(["diffusion", "Si", "--dask", "1", "--scheduler", "tcp://x:1"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_unknown_host_and_missing_sites(no_model, capsys):
    assert main(["diffusion", "Xx", "--strain", "0"]) == 2
    err = capsys.readouterr().err
    assert "unknown host" in err
    assert "'Xx'" in err
    assert err.count("\n") == 1
    assert main(["diffusion", "Mg2Si", "--strain", "0"]) == 2
    assert "sites" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--plot", "--out"])
def test_unwritable_outputs_are_refused_up_front(no_model, capsys, tmp_path, option):
    # the same checks as every other command (sianode.paths.check_output_path): missing
    # folders are made on write, a file cannot be one
    ext = "png" if option == "--plot" else "json"
    (tmp_path / "plain.txt").write_text("x")
    cases = {str(tmp_path / "plain.txt" / f"x.{ext}"): "no folder can be made",
             str(tmp_path): "is a folder",
             str(tmp_path / "x.xyz"): "unsupported extension"}
    if option == "--plot":
        cases[str(tmp_path / "x.jpg")] = "expected .png, .pdf, .svg"
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        cases[str(locked / f"x.{ext}")] = "not writable"
    for path, why in cases.items():
        t0 = time.perf_counter()
        assert main(["diffusion", "Si", option, path]) == 2
        assert time.perf_counter() - t0 < 2.0
        err = capsys.readouterr().err
        assert option in err
        assert why in err
        assert err.count("\n") == 1


def test_every_option_has_help_and_examples_parse():
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices["diffusion"]
    for action in sub._actions:
        if action.dest in ("help",):
            continue
        assert action.help, action.dest
    for unit, opt in (("[fraction]", "--strain"), ("[deg]", "--shear-deg"), ("[K]",
                      "--temperature-K"), ("[eV/Å]", "--fmax"), ("[count]", "--images")):
        action = next(a for a in sub._actions if opt in a.option_strings)
        assert unit in action.help, opt
    lines = [ln for ln in cli_diffusion.EXAMPLES.splitlines() if ln.strip()]
    assert lines
    for line in lines:
        args = parser.parse_args(line.split()[1:])
        assert args.command == "diffusion"


def test_full_run_on_the_toy_potential(monkeypatch, tmp_path, capsys):
    from ase.build import bulk

    from sianode.kinetics.toy import ToyHopCalculator

    si = bulk("Si", "diamond", a=5.43, cubic=True)
    monkeypatch.setattr("sianode.kinetics.scan._calculator", lambda name: ToyHopCalculator())
    monkeypatch.setattr("sianode.kinetics.hosts.prepare_host", lambda host, calc: si)
    out, png = tmp_path / "new" / "scan.json", tmp_path / "figs" / "scan.png"  # folders made
    code = main(["diffusion", "Si", "--strain", "0", "0.05", "--shear-deg", "80",
                 "--supercell", "1", "1", "1", "--method", "saddle", "--jobs", "1",
                 "--json", "--out", str(out), "--plot", str(png), "--no-progress"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads(out.read_text())
    assert [p["method"] for p in printed["points"]] == ["saddle", "saddle", "neb"]
    assert printed["force_calls"] == sum(p["force_calls"] for p in saved["points"])
    assert printed["points"][1]["barrier_eV"] > printed["points"][0]["barrier_eV"]
    assert png.stat().st_size > 1000
