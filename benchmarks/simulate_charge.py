"""Runtime of one galvanostatic charge of sianode's alloy + plating model: the native solver
against the same model in PyBaMM (IDAKLU), and against a plain PyBaMM SPM.

One charge: full NMC | SE | Si cell, 0.5C, N/P 1.5, K_eff = 4 GPa, where alloying and
plating share the charge. Each backend is timed as the median of repeated solves after a
first solve (which includes building the model: discretisation and casadi set-up for
PyBaMM); the import of each backend is timed in a fresh process. The two backends' summary
numbers are compared (largest relative difference). Reference point: PyBaMM's own
single-particle model (SPM, Chen2020) discharged at 1C with the same IDAKLU solver.
Target of the first wave: one charge < 2 s once the model is built.

Run: ``PYTHONPATH=src OMP_NUM_THREADS=1 python benchmarks/simulate_charge.py``
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from sianode.cell.simulate import alloy_ocv_from_thermo, simulate

REPEATS = 7


def _entries():
    try:
        from sianode.materials import load_entries

        return load_entries("builtin", chemsys=["Si"]), "builtin"
    except Exception:  # builtin set not shipped yet
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cell"))
        from test_simulate_model import lisi_entries

        return lisi_entries(), "hand-made Li-Si (tests)"


def _median_time(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _import_time(module: str) -> float:
    """Seconds to import ``module`` in a fresh interpreter (median of 3)."""
    import subprocess

    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], check=True,
                                                  capture_output=True, text=True).stdout)
                             for _ in range(3))


def _charge(ocv, solver):
    return simulate(ocv, 4.0, cell="full", c_rate=0.5, np_ratio=1.5, delithiate=False,
                    solver=solver)


def main() -> None:
    entries, source = _entries()
    t0 = time.perf_counter()
    ocv = alloy_ocv_from_thermo("Si", entries)
    t_ocv = time.perf_counter() - t0

    import pybamm  # imported here so that the first PyBaMM run times the build, not this

    runs = {}
    for solver in ("native", "pybamm"):
        t0 = time.perf_counter()
        first = _charge(ocv, solver)
        t_first = time.perf_counter() - t0
        runs[solver] = (first, t_first, _median_time(lambda s=solver: _charge(ocv, s)))
    imports = {"native": _import_time("sianode.cell.simulate.native"),
               "pybamm": _import_time("pybamm")}
    a, b = runs["native"][0].summary(), runs["pybamm"][0].summary()
    worst = max(abs(a[k] - b[k]) / max(abs(b[k]), 1e-12) for k in a
                if isinstance(a[k], float) and abs(b[k]) > 1e-9)

    model = pybamm.lithium_ion.SPM()
    sim = pybamm.Simulation(model, parameter_values=pybamm.ParameterValues("Chen2020"),
                            solver=pybamm.IDAKLUSolver())
    t0 = time.perf_counter()
    sim.solve([0, 3600])
    t_spm_build = time.perf_counter() - t0
    t_spm = _median_time(lambda: sim.solve([0, 3600]))

    print(f"OCV source: {source}; OCV table from the thermo layer: {t_ocv:.2f} s "
          f"({len(ocv.k_eff_GPa)} K_eff points)")
    first = runs["native"][0]
    print(f"one 0.5C charge at K_eff = 4 GPa (alloy {first.alloy_capacity_mAh_g:.1f} mAh/g, "
          f"plated {first.plated_capacity_mAh_cm2:.4f} mAh/cm2, ended by "
          f"{first.lithiation_ended_by}):")
    for solver, (_, t_first, t_med) in runs.items():
        print(f"  {solver:6s}: import {imports[solver]:.2f} s, first run incl. build "
              f"{t_first:.2f} s, median of {REPEATS} {t_med * 1e3:.0f} ms")
    nat, pyb = runs["native"], runs["pybamm"]
    print(f"  PyBaMM / native: repeated solve {pyb[2] / nat[2]:.2f}, import + first run (what "
          f"one command pays) {(imports['pybamm'] + pyb[1]) / (imports['native'] + nat[1]):.1f}; "
          f"largest relative difference of the summary numbers {worst:.1e}")
    print(f"PyBaMM SPM (Chen2020), 1C discharge: first incl. build {t_spm_build:.2f} s, "
          f"median of {REPEATS} {t_spm * 1e3:.0f} ms; native / SPM (solve only) "
          f"{nat[2] / t_spm:.2f}")
    print(f"target < 2 s per charge: {'met' if nat[2] < 2.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
