"""``sianode compute-entries FILES... --out entries.json.gz``: relax structures into entries."""

from __future__ import annotations

import argparse

from sianode.cli._parallel import add_backend_arguments, backend_from_args

COMMAND = "compute-entries"
HELP = "relax structure files (CIF/POSCAR/...) with an ML potential into MP2020-compatible entries"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="structure files pymatgen can read")
    p.add_argument("--out", required=True,
                   help="output .json.gz/.json (rewritten atomically) or .jsonl (appended); "
                        "ids already there are skipped, so an interrupted run resumes")
    p.add_argument("--potential", default="7net-0",
                   help="registered potential: 7net-0 (default), 7net-l3i5, chgnet")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--fmax", type=float, default=0.02, help="force convergence [eV/Å]")
    p.add_argument("--max-steps", type=int, default=300, help="optimizer step cap")
    p.add_argument("--no-symmetry", action="store_true", help="do not keep the space group")
    p.add_argument("--workers", type=int, default=1,
                   help="local worker processes, each loading the potential once")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    add_backend_arguments(p)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sianode.cli._common import print_json
    from sianode.materials.relax import relax_many, to_structure

    structures = {}
    for f in args.files:
        s = to_structure(f)
        structures[f"{Path(f).stem}-{s.composition.reduced_formula}"] = s
    from sianode.materials.calculators import get_calculator

    if args.workers == 1 and args.scheduler is None and args.dask is None:
        calc = get_calculator(args.potential, device=args.device)
    else:  # workers build it once each
        import functools

        from sianode.materials.calculators import potential_info

        potential_info(args.potential)  # an unknown name fails here, not on every worker
        calc = functools.partial(get_calculator, args.potential, device=args.device)
    with backend_from_args(args, args.workers) as backend:
        entries = relax_many(
            structures, args.out, calc, n_workers=args.workers, fmax=args.fmax,
            max_steps=args.max_steps, fix_symmetry=not args.no_symmetry,
            scheduler=backend if backend.kind == "dask" else None,
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
