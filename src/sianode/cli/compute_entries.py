"""``sianode compute-entries FILES... --out entries.json.gz``: relax structures into entries."""

from __future__ import annotations

import argparse

COMMAND = "compute-entries"
EXAMPLES = """\
examples:
  sianode compute-entries Li15Si4.cif Si.cif --out entries.json.gz
  sianode compute-entries structures/*.cif --out entries.jsonl --potential chgnet --fmax 0.05
"""
HELP = "relax structure files (CIF/POSCAR/...) with an ML potential into MP2020-compatible entries"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="structure files pymatgen can read")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="output .json.gz/.json (rewritten atomically) or .jsonl (appended); "
                        "ids already there are skipped, so an interrupted run resumes")
    p.add_argument("--potential", default="7net-0",
                   help="registered ML potential: 7net-0, 7net-l3i5 or chgnet")
    p.add_argument("--device", default="cpu", help="torch device: cpu or cuda")
    p.add_argument("--fmax", type=float, default=0.02,
                   help="force convergence of the relaxation [eV/Å]")
    p.add_argument("--max-steps", type=int, default=300,
                   help="optimizer step cap per structure [count]")
    p.add_argument("--no-symmetry", action="store_true",
                   help="relax without keeping the space group")
    p.add_argument("--workers", type=int, default=1, help="worker processes, 1 or 2 [count]")
    p.add_argument("--json", action="store_true", help="print a JSON summary")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sianode.cli._common import print_json
    from sianode.materials.relax import relax_many, to_structure

    structures = {}
    for f in args.files:
        s = to_structure(f)
        structures[f"{Path(f).stem}-{s.composition.reduced_formula}"] = s
    calc = args.potential
    if args.workers == 1:
        from sianode.materials.calculators import get_calculator

        calc = get_calculator(args.potential, device=args.device)
    entries = relax_many(
        structures, args.out, calc, n_workers=args.workers, fmax=args.fmax,
        max_steps=args.max_steps, fix_symmetry=not args.no_symmetry,
    )
    rows = [
        {
            "entry_id": e.entry_id,
            "formula": e.composition.reduced_formula,
            "energy_per_atom_eV": e.energy_per_atom,
            "correction_eV": e.correction,
            "volume_per_atom_A3": e.structure.volume / e.composition.num_atoms,
            "converged": e.data.get("converged"),
            "relax_seconds": e.data.get("relax_seconds"),
        }
        for e in entries
    ]
    if args.json:
        print_json({"out": str(args.out), "entries": rows})
    else:
        for r in rows:
            print(f"{r['entry_id']:40s} {r['formula']:10s} {r['energy_per_atom_eV']:9.4f} eV/atom "
                  f"{r['volume_per_atom_A3']:7.2f} Å³/atom converged={r['converged']}")
        print(f"{len(rows)} entries in {args.out}")
    return 0
