"""Relaxation and NEB wall times on this CPU: sianode vs plain ASE, SevenNet-0 vs CHGNet.

1. Relaxation of the Li-Si phases (Li, Si, Li12Si7, Li13Si4, Li15Si4; primitive cells):
   sianode's ``relax_structure`` (FIRE + FrechetCellFilter + FixSymmetry) against the plain
   ASE loop a user would write (FIRE + FrechetCellFilter, no symmetry), same calculator and
   fmax; prints times, their ratio, volumes per Si and formation energies vs experiment.
2. One CI-NEB Li hop in Si (Td -> Td) with each potential (``--neb-cell 1`` for the 9-atom
   cell, 2 for the 65-atom cell of seed 001), with its force calls. The strain scan and
   its comparison with the wave-1 route are in ``benchmarks/neb_scan.py``.

Usage: ``OMP_NUM_THREADS=1 python benchmarks/relax_neb_timing.py [--potentials 7net-0 chgnet]
[--neb-cell 2] [--skip-neb]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

EXP_V_PER_SI = {"Si": 20.0, "Li12Si7": 43.5, "Li13Si4": 67.3, "Li15Si4": 76.0}
#: pymatgen exp_compounds.json.gz, eV/atom, nearest built composition
EXP_HF = {"Li12Si7": -0.2653, "Li13Si4": -0.3151, "Li15Si4": -0.2529}


def plain_ase_relax(atoms, calc, fmax, steps):
    from ase.filters import FrechetCellFilter
    from ase.optimize import FIRE

    atoms = atoms.copy()
    atoms.calc = calc
    t0 = time.perf_counter()
    FIRE(FrechetCellFilter(atoms), logfile=None).run(fmax=fmax, steps=steps)
    return time.perf_counter() - t0, atoms


def bench_relax(potential: str, fmax: float, steps: int) -> None:
    from pymatgen.analysis.phase_diagram import PhaseDiagram
    from pymatgen.io.ase import AseAtomsAdaptor
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    from sianode.materials.calculators import get_calculator
    from sianode.materials.relax import relax_structure
    from sianode.materials.structures_lisi import LISI_PHASES, build_structure

    calc = get_calculator(potential)
    entries, t_ours, t_peer = [], 0.0, 0.0
    print(f"\n== relaxation, {potential}, fmax {fmax} eV/Å ==")
    print(f"{'phase':8s} {'atoms':>5s} {'sianode s':>9s} {'ASE s':>7s} {'V/Si':>7s} {'exp':>5s}")
    for name in LISI_PHASES:
        prim = SpacegroupAnalyzer(build_structure(name), 1e-3).get_primitive_standard_structure()
        t0 = time.perf_counter()
        e = relax_structure(prim, calc, entry_id=name, fmax=fmax, max_steps=steps)
        t1 = time.perf_counter() - t0
        tp, _ = plain_ase_relax(AseAtomsAdaptor.get_atoms(prim), calc, fmax, steps)
        t_ours, t_peer = t_ours + t1, t_peer + tp
        entries.append(e)
        nsi = e.composition["Si"]
        v = e.structure.volume / nsi if nsi else float("nan")
        print(f"{name:8s} {len(prim):5d} {t1:9.1f} {tp:7.1f} {v:7.2f} "
              f"{EXP_V_PER_SI.get(name, float('nan')):5.1f}")
    print(f"total: sianode {t_ours:.1f} s, plain ASE {t_peer:.1f} s, "
          f"ratio {t_ours / t_peer:.2f}")
    pd = PhaseDiagram(entries)
    errs = []
    for e in entries:
        f = e.composition.reduced_formula
        if f in EXP_HF:
            hf = pd.get_form_energy_per_atom(e)
            errs.append(abs(hf - EXP_HF[f]))
            print(f"  Hf {f}: {hf:.3f} eV/atom (exp {EXP_HF[f]:.3f})")
    print(f"  MAE vs experiment (stoichiometry-matched): {sum(errs) / len(errs):.3f} eV/atom")


def bench_neb(potential: str, cell: int) -> None:
    from sianode.kinetics.neb import li_migration_barrier

    t0 = time.perf_counter()
    r = li_migration_barrier("Si", potential, supercell=(cell,) * 3, n_images=5)
    print(f"== NEB {potential}, {r.n_atoms} atoms: Ea = {r.barrier_eV:.3f} eV, "
          f"{r.neb_steps} band steps, {r.force_calls} force calls, "
          f"{time.perf_counter() - t0:.0f} s ({r.status}; init {r.extra.get('init')}, "
          f"optimiser {r.extra.get('optimizer')})")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--potentials", nargs="+", default=["7net-0", "chgnet"])
    p.add_argument("--fmax", type=float, default=0.02)
    p.add_argument("--max-steps", type=int, default=300)
    p.add_argument("--neb-cell", type=int, default=1)
    p.add_argument("--skip-neb", action="store_true")
    args = p.parse_args()
    for pot in args.potentials:
        bench_relax(pot, args.fmax, args.max_steps)
        if not args.skip_neb:
            bench_neb(pot, args.neb_cell)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
