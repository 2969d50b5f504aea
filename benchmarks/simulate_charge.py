"""Runtime of one galvanostatic charge of sianode's alloy + plating model vs a plain PyBaMM SPM.

Target: one charge (full NMC | SE | Si cell, 0.5C, N/P 1.5, K_eff = 4 GPa, where alloying and plating share the charge) in < 2 s once
the model is built. Reference point: PyBaMM's own single-particle model (SPM, Chen2020
parameters) discharged at 1C on the same machine, solved with the same IDAKLU solver.
Both are timed as the median of repeated solves after a warm-up solve; the one-off build
(discretisation + casadi set-up) is reported separately.

The alloy OCV comes from the built-in entry set when it exists, else from the hand-made
Li-Si hull of tests/cell/test_simulate_model.py.

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


def main() -> None:
    import pybamm

    entries, source = _entries()
    t0 = time.perf_counter()
    ocv = alloy_ocv_from_thermo("Si", entries)
    t_ocv = time.perf_counter() - t0

    t0 = time.perf_counter()
    first = simulate(ocv, 4.0, cell="full", c_rate=0.5, np_ratio=1.5, delithiate=False)
    t_build = time.perf_counter() - t0
    t_ours = _median_time(lambda: simulate(ocv, 4.0, cell="full", c_rate=0.5, np_ratio=1.5,
                                           delithiate=False))

    model = pybamm.lithium_ion.SPM()
    sim = pybamm.Simulation(model, parameter_values=pybamm.ParameterValues("Chen2020"),
                            solver=pybamm.IDAKLUSolver())
    t0 = time.perf_counter()
    sim.solve([0, 3600])
    t_spm_build = time.perf_counter() - t0
    t_spm = _median_time(lambda: sim.solve([0, 3600]))

    print(f"OCV source: {source}; OCV table from the thermo layer: {t_ocv:.2f} s "
          f"({len(ocv.k_eff_GPa)} K_eff points)")
    print(f"sianode alloy+plating, one 0.5C charge at K_eff=4 GPa "
          f"(alloy {first.alloy_capacity_mAh_g:.0f} mAh/g, plated "
          f"{first.plated_capacity_mAh_cm2:.2f} mAh/cm2): first run incl. build "
          f"{t_build:.2f} s, median of {REPEATS} {t_ours * 1e3:.0f} ms")
    print(f"PyBaMM SPM (Chen2020), 1C discharge: first incl. build {t_spm_build:.2f} s, "
          f"median of {REPEATS} {t_spm * 1e3:.0f} ms")
    print(f"ratio ours/SPM (solve only): {t_ours / t_spm:.2f}; "
          f"target < 2 s per charge: {'met' if t_ours < 2.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
