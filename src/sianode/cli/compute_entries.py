"""``sianode compute-entries FILES... --out entries.json.gz``: relax structures into entries."""

from __future__ import annotations

import argparse

from sianode.cli._parallel import add_backend_arguments, backend_from_args

COMMAND = "compute-entries"
EXAMPLES = """\
examples:
  sianode compute-entries Li15Si4.cif Si.cif --out entries.json.gz
  sianode compute-entries structures/*.cif --out entries.jsonl --potential chgnet --fmax 0.05
"""
HELP = "relax structure files (CIF/POSCAR/...) with an ML potential into MP2020-compatible entries"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from sianode.materials.calculators import DEFAULT_POTENTIAL, POTENTIALS

    p.add_argument("files", nargs="+", metavar="FILE", help="structure files pymatgen can read")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="output .json.gz/.json (rewritten atomically) or .jsonl (appended); "
                        "ids already there are skipped, so an interrupted run resumes, and "
                        "runs sharing one --out take turns through a lock file")
    p.add_argument("--potential", default=DEFAULT_POTENTIAL,
                   help=f"registered ML potential: {', '.join(POTENTIALS)}")
    p.add_argument("--device", default="cpu", help="torch device: cpu or cuda")
    p.add_argument("--fmax", type=float, default=0.02,
                   help="force convergence of the relaxation, in (0, 50] [eV/Å]")
    p.add_argument("--max-steps", type=int, default=300,
                   help="optimizer step cap per structure, >= 0 (0: energy of the given "
                        "structure) [count]")
    p.add_argument("--no-symmetry", action="store_true",
                   help="relax without keeping the space group")
    p.add_argument("--workers", type=int, default=1,
                   help="local worker processes, each loading the potential once [count]")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    add_backend_arguments(p)


def _check_inputs(args: argparse.Namespace) -> dict:
    """Options, output and every structure file, before a potential is loaded."""
    from pathlib import Path

    from sianode.cli._common import check_output
    from sianode.errors import DuplicateEntryError
    from sianode.materials.batch import ENTRY_SUFFIXES, read_entries_file
    from sianode.materials.calculators import POTENTIALS
    from sianode.materials.sanity import to_structure
    from sianode.validation import (
        FMAX_EV_A,
        NON_NEGATIVE_COUNT,
        Interval,
        OneOf,
        check_params,
    )

    check_params(
        {"--fmax": args.fmax, "--max-steps": args.max_steps, "--workers": args.workers,
         "--potential": args.potential, "--device": args.device},
        {"--fmax": FMAX_EV_A, "--max-steps": NON_NEGATIVE_COUNT,
         "--workers": Interval(1, None, integer=True),
         "--potential": OneOf("potential", tuple(POTENTIALS)),
         "--device": OneOf("device", ("cpu", "cuda"))},
    )
    check_output(args.out, "--out", suffixes=ENTRY_SUFFIXES)
    structures = {}
    for f in args.files:
        s = to_structure(f)
        key = f"{Path(f).stem}-{s.composition.reduced_formula}"
        if key in structures:
            raise DuplicateEntryError(f"{f}: gives the entry id {key!r} a second time (two "
                                      "files with one name and formula)")
        structures[key] = s
    read_entries_file(args.out)  # an --out holding something else is refused now, not later
    return structures


def run(args: argparse.Namespace) -> int:
    import sys

    from sianode.cli._common import print_json
    from sianode.materials.batch import failures_path, relax_many

    structures = _check_inputs(args)
    from sianode.materials.calculators import get_calculator

    if args.workers == 1 and args.scheduler is None and args.dask is None:
        calc = get_calculator(args.potential, device=args.device)
    else:  # each worker process builds it once
        import functools

        calc = functools.partial(get_calculator, args.potential, device=args.device)
    with backend_from_args(args, args.workers, "--workers") as backend:
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
    failed = sorted(set(structures) - {e.entry_id for e in entries})
    if args.json:
        print_json({"out": str(args.out), "entries": rows, "failed": failed})
    else:
        for r in rows:
            print(f"{r['entry_id']:40s} {r['formula']:10s} {r['energy_per_atom_eV']:9.4f} eV/atom "
                  f"{r['volume_per_atom_A3']:7.2f} Å³/atom converged={r['converged']}")
        print(f"{len(rows)} entries in {args.out}")
    if failed:
        print(f"sianode compute-entries: {len(failed)} of {len(structures)} relaxations failed "
              f"(see the warnings above and {failures_path(args.out)}): {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0
