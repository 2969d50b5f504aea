"""Start-up cost of everyday commands: whole processes, side by side, median of N runs.

Each command runs as a fresh ``python -m sianode.cli.main ...`` process (what the ``sianode``
script does), interleaved with the baseline ``python -c "import numpy"`` so load changes hit
both; prints the median wall time of each and its ratio to the baseline, against the targets
of issue 13 (<= 3x for the thermo commands and an argument error, <= 2x for ``--help``).
With ``--simulate`` it also splits ``sianode simulate`` into import and compute time, for
the native solver (the default; target: compute > import) and for PyBaMM.

    python benchmarks/startup.py            # 5 runs each
    python benchmarks/startup.py --runs 9 --simulate
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

BASELINE = ("import numpy", [sys.executable, "-c", "import numpy"])
CLI = [sys.executable, "-m", "sianode.cli.main"]
COMMANDS = [
    ("sianode --help", ["--help"], 2.0),
    ("sianode lithiate Si --json", ["lithiate", "Si", "--json"], 3.0),
    ("sianode constrain Si --k-eff 0 1 2 3 4 5 --json",
     ["constrain", "Si", "--k-eff", "0", "1", "2", "3", "4", "5", "--json"], 3.0),
    ("sianode lithiate Xx (unknown element)", ["lithiate", "Xx"], 3.0),
    ("sianode constrain Si --k-eff nan (argument error)",
     ["constrain", "Si", "--k-eff", "nan"], 3.0),
]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--simulate", action="store_true",
                    help="also split `sianode simulate` into import and compute time")
    a = ap.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS="1", PYBAMM_DISABLE_TELEMETRY="true",
               MPLBACKEND="Agg")
    cmds = [BASELINE] + [(name, CLI + argv) for name, argv, _ in COMMANDS]
    times: dict[str, list[float]] = {name: [] for name, _ in cmds}
    for _name, cmd in cmds:  # warm the file cache once
        _time(cmd, env)
    for _ in range(a.runs):
        for name, cmd in cmds:
            times[name].append(_time(cmd, env))
    base = statistics.median(times[BASELINE[0]])
    print(f"median of {a.runs} runs; baseline python -c 'import numpy': {base:.3f} s")
    print(f"{'command':52s} {'median s':>9s} {'ratio':>6s} {'target':>7s}")
    failed = 0
    for name, _argv, target in COMMANDS:
        med = statistics.median(times[name])
        ok = med / base <= target
        failed += not ok
        print(f"{name:52s} {med:9.3f} {med / base:6.2f} {'<=' + format(target, 'g'):>7s}"
              f" {'ok' if ok else 'MISSED'}")
    if a.simulate:
        failed += _simulate(env)
    print(f"targets missed: {failed}")


_SPLIT = """
import contextlib, io, sys, time
solver = sys.argv[1]
t0 = time.perf_counter()
if solver == "pybamm":
    import pybamm
import sianode.cell.simulate, sianode.cli.main, sianode.cli.simulate, sianode.thermo
import sianode.cell.simulate.native
from sianode.materials.entries import load_entry_table
t1 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    sianode.cli.main.main(["simulate", "--json", "--solver", solver])
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _simulate(env: dict[str, str]) -> int:
    """`sianode simulate --json` (the README's K_eff 0, 3, 5.5 GPa full cells) in one
    process per solver: time to import what it needs, then the command itself (the median
    of 3 fresh processes). Target of issue 13: the compute dominates its import. Returns
    the number of missed targets (the native solver is the default; PyBaMM is reported)."""
    missed = 0
    for solver in ("native", "pybamm"):
        runs = []
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", _SPLIT, solver], env=env,
                                 capture_output=True, text=True, check=True)
            runs.append(tuple(map(float, out.stdout.split()[-2:])))
        t_imp = statistics.median(r[0] for r in runs)
        t_run = statistics.median(r[1] for r in runs)
        whole = statistics.median(_time(CLI + ["simulate", "--json", "--solver", solver], env)
                                  for _ in range(3))
        ok = t_run > t_imp
        if solver == "native":
            missed += not ok
        print(f"sianode simulate --json --solver {solver:6s}: process {whole:.2f} s; imports "
              f"{t_imp:.2f} s, then the command {t_run:.2f} s (entries, OCV, 3 runs); "
              f"compute / import = {t_run / t_imp:.2f} (target > 1: "
              f"{'ok' if ok else 'MISSED'}{'' if solver == 'native' else ', reported only'})")
    return missed


if __name__ == "__main__":
    main()
