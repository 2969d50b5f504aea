"""Start-up stays light: the CLI imports every subcommand module, so none may import a heavy
library at module level, and the everyday thermo commands run without pymatgen.
(Timings are in benchmarks/startup.py; this checks the cause: which modules get imported.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("pymatgen", "matplotlib", "pybamm", "skfem", "scipy", "pandas", "torch", "ase",
         "plotly", "impedance", "lmfit", "tqdm")


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ, MPLBACKEND="Agg", PYBAMM_DISABLE_TELEMETRY="true")
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in " \
        "sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_building_the_parser_imports_nothing_heavy():
    loaded = _modules_after("from sianode.cli.main import build_parser\nbuild_parser()")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("argv", [
    ["lithiate", "Si", "--json"],
    ["constrain", "Si", "--k-eff", "0", "1", "2", "3", "4", "5", "--json"],
])
def test_thermo_commands_on_builtin_data_need_no_pymatgen(argv):
    code = ("import contextlib, io\nfrom sianode.cli.main import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main({argv!r}) == 0")
    loaded = _modules_after(code)
    assert not loaded & {"pymatgen", "matplotlib", "pandas", "scipy", "pybamm", "skfem"}, \
        sorted(loaded & set(HEAVY))


def test_simulate_runs_without_pybamm_or_scipy():
    """The default (native) cell solver: no PyBaMM (~2.5 s of import) and no
    scipy.integrate (~0.8 s); issue 13's target is compute > import for simulate."""
    code = ("import contextlib, io\nfrom sianode.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['simulate', '--k-eff', '0', '4.5', '--json']) == 0")
    loaded = _modules_after(code)
    assert not loaded & {"pybamm", "casadi", "scipy", "pymatgen", "matplotlib", "pandas"}, \
        sorted(loaded & set(HEAVY))
    # and the PyBaMM backend is still one option away
    loaded = _modules_after(code.replace("'--json'", "'--json', '--solver', 'pybamm'"))
    assert "pybamm" in loaded


@pytest.mark.parametrize(("argv", "match"), [
    (["lithiate", "Xx"], "unknown element symbol 'Xx'"),
    (["constrain", "Si", "--k-eff", "nan"], "--k-eff"),
    (["constrain", "Si", "--k-eff", "1e6"], "--k-eff"),
    (["constrain", "Si", "--plot", "fig.xyz"], "--plot"),
    (["screen", "--out", "/proc/version"], "--out"),
])
def test_argument_errors_are_refused_before_numpy(argv, match):
    code = ("import contextlib, io\nfrom sianode.cli.main import main\nerr = io.StringIO()\n"
            f"with contextlib.redirect_stderr(err):\n    rc = main({argv!r})\n"
            f"assert rc == 2 and {match!r} in err.getvalue(), err.getvalue()")
    loaded = _modules_after(code)
    assert "numpy" not in loaded
    assert "pymatgen" not in loaded
