"""argparse usage mistakes print one line on stderr and exit 2, at every subcommand level."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sianode.cli.main import build_parser, main

CASES = [
    (["lithiate"], "sianode lithiate: error: the following arguments are required: host"),
    (["nosuch"], "sianode: error: argument COMMAND: invalid choice: 'nosuch'"),
    (["constrain", "Si", "--k-eff", "x"],
     "sianode constrain: error: argument --k-eff: invalid float value: 'x'"),
    (["analyze", "cycling"], "sianode analyze cycling: error: the following arguments are "
                             "required: FILE"),
    (["analyze", "cycling", "f.csv", "--cell", "nope"], "sianode analyze cycling: error: "
                                                        "argument --cell: invalid choice"),
    (["electrode", "porosity", "--bogus", "1"], "sianode electrode porosity: error:"),
    (["fields", "interlayerx"], "sianode fields: error: argument MODEL: invalid choice"),
    (["screen", "--source", "builtin"], "sianode screen: error: the following arguments are "
                                        "required: --out"),
]


@pytest.mark.parametrize(("argv", "start"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_usage_error_is_one_line_exit_2(argv, start, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(start)
    assert lines[0].endswith("--help')")
    assert "usage:" not in err


def test_every_nested_parser_has_the_one_line_class():
    import argparse

    from sianode.cli._parser import OneLineParser

    todo, seen = [build_parser()], 0
    while todo:
        p = todo.pop()
        assert isinstance(p, OneLineParser), p.prog
        seen += 1
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                todo.extend(a.choices.values())
    assert seen > 20


def test_console_prints_one_line():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    r = subprocess.run([sys.executable, "-m", "sianode.cli.main", "analyze", "xrd"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith("sianode analyze xrd: error: ")
