"""``sianode diffusion HOST --strain 0 0.05 0.10``: strained Li migration barriers.

Every input (numbers, host, potential, output paths) is checked before any model is
loaded; a bad one exits 2 with one line naming the parameter and its allowed range.
"""

from __future__ import annotations

import argparse

from sianode.cli._parallel import add_backend_arguments, backend_from_args

COMMAND = "diffusion"
HELP = ("Li migration barrier and diffusivity ratio under compression/shear "
        "(CI-NEB or symmetric saddle, ML potential)")
EXAMPLES = """\
sianode diffusion Si --strain 0 0.05 0.10 --shear-deg 80 --json
sianode diffusion Si --strain 0 0.02 0.04 0.06 --method saddle --plot si_barriers.png
sianode diffusion Si --strain 0 0.05 0.10 --shear-deg 80 --scheduler tcp://10.0.0.5:8786
"""

def add_arguments(p: argparse.ArgumentParser) -> None:
    from sianode.kinetics.optimizers import DEFAULT_NEB_OPTIMIZER, NEB_OPTIMIZER_NAMES

    p.add_argument("host", metavar="HOST",
                   help="registered structure (Si, Ge, Sn-alpha, ...) or a structure file")
    p.add_argument("--strain", type=float, nargs="+", default=[0.0, 0.05, 0.10],
                   help="compressive strains, each in (-0.5, 0.5); 0.05 = 5 %%; the 0 point "
                        "is the reference [fraction]")
    p.add_argument("--strain-kind", choices=["linear", "volume"], default="linear",
                   help="linear: every lattice parameter x (1 - strain); volume: volume x "
                        "(1 - strain)")
    p.add_argument("--shear-deg", type=float, default=None,
                   help="also compute each non-zero strain with cell angle gamma in "
                        "[30, 150]; always by CI-NEB [deg]")
    p.add_argument("--temperature-K", type=float, default=300.0,
                   help="temperature of the diffusivity ratio D/D0, in (0, 10000] [K]")
    p.add_argument("--sites", type=float, nargs=6, metavar="F", default=None,
                   help="start and end sites x1 y1 z1 x2 y2 z2 in the host cell, each in "
                        "[0, 1]; default: diamond Td -> Td [fractional]")
    p.add_argument("--supercell", type=int, nargs=3, default=[2, 2, 2], metavar="N",
                   help="repetitions of the conventional cell, each in [1, 6]; 2 2 2 = 64 Si "
                        "+ 1 Li [count]")
    p.add_argument("--images", type=int, default=5,
                   help="intermediate NEB images, in [1, 25] [count]")
    p.add_argument("--method", choices=["neb", "saddle"], default="neb",
                   help="neb: climbing-image NEB; saddle: E(Hex site, constrained "
                        "relaxation) - E(Td), unsheared symmetric hops only (sheared states "
                        "use the NEB)")
    p.add_argument("--optimizer", choices=NEB_OPTIMIZER_NAMES, default=DEFAULT_NEB_OPTIMIZER,
                   help="NEB band optimiser; the default is the one measured fastest "
                        "(benchmarks/neb_scan.py --optimizers)")
    p.add_argument("--frozen-host", action="store_true",
                   help="keep host atoms fixed (inflates barriers; for comparison)")
    from sianode.materials.calculators import DEFAULT_POTENTIAL, POTENTIALS

    p.add_argument("--potential", default=DEFAULT_POTENTIAL,
                   help=f"registered ML potential: {', '.join(POTENTIALS)}")
    p.add_argument("--fmax", type=float, default=0.05,
                   help="force convergence of relaxations and bands, in (0, 5] [eV/Å]")
    p.add_argument("--max-steps", type=int, default=200,
                   help="step cap of each optimisation, in [1, 100000] [count]")
    p.add_argument("--jobs", type=int, default=2,
                   help="worker processes for the strain states, one model load each, "
                        "in [1, 64] [count]")
    add_backend_arguments(p)
    p.add_argument("--cold", action="store_true",
                   help="start every band afresh instead of from the nearest finished "
                        "strain state (for comparison)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar on stderr")
    p.add_argument("--plot", default=None, metavar="FILE",
                   help="write the energy paths to this figure (.png at 300 dpi, .pdf or .svg; "
                        "missing folders are made)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="write the full result as JSON to this .json file (atomically; "
                        "missing folders are made)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import check_figure, check_output, print_json
    from sianode.kinetics.diffusion import check_scan_inputs

    sites = (tuple(args.sites[:3]), tuple(args.sites[3:])) if args.sites else None
    check_scan_inputs(args.host, args.strain, shear_deg=args.shear_deg,
                      temperature_K=args.temperature_K, sites=sites,
                      supercell=args.supercell, n_images=args.images, fmax=args.fmax,
                      max_steps=args.max_steps, strain_kind=args.strain_kind,
                      method=args.method, jobs=args.jobs, potential=args.potential)
    check_figure(args.plot, "--plot")
    check_output(args.out, "--out", suffixes=(".json",))

    from sianode.kinetics.diffusion import strain_scan

    with backend_from_args(args, args.jobs) as backend:  # one task per strain state
        result = strain_scan(
            args.host, args.strain, shear_deg=args.shear_deg,
            temperature_K=args.temperature_K, calculator=args.potential,
            strain_kind=args.strain_kind, sites=sites, supercell=tuple(args.supercell),
            n_images=args.images, relax_host=not args.frozen_host, fmax=args.fmax,
            max_steps=args.max_steps, method=args.method, optimizer=args.optimizer,
            jobs=args.jobs, warm_start=not args.cold, progress=not args.no_progress,
            backend=backend,
        )
        where = (backend.describe() if backend.kind == "dask"
                 else f"{result['jobs']} process(es)")
    if args.plot:
        from sianode.plots.kinetics import plot_migration_paths
        from sianode.plots.style import save

        save(plot_migration_paths(result["points"]).figure, args.plot)
    if args.out:
        from sianode.atomic import write_json
        from sianode.cli._common import to_jsonable

        write_json(args.out, to_jsonable(result), indent=2, allow_nan=False)
    keys = ("strain", "strain_kind", "shear_deg", "barrier_eV", "diffusivity_ratio",
            "status", "method", "path_energies_eV", "path_distance_A", "n_atoms",
            "neb_steps", "force_calls", "wall_s", "potential", "host_change")
    if args.json:
        print_json({"host": result["host"], "temperature_K": result["temperature_K"],
                    "force_calls": result["force_calls"], "wall_s": result["wall_s"],
                    "jobs": result["jobs"],
                    "points": [{k: p[k] for k in keys} for p in result["points"]]})
        return 0
    print(f"host {result['host']}, T = {result['temperature_K']:g} K, "
          f"{result['force_calls']} force calls, {result['wall_s']:.0f} s on {where}")
    for p in result["points"]:
        shear = f"gamma={p['shear_deg']:g}" if p["shear_deg"] is not None else "no shear"
        if p["barrier_eV"] is None:
            print(f"  strain {p['strain']:.3f} {shear}: {p['status']} (no barrier)")
        else:
            print(f"  strain {p['strain']:.3f} {shear}: Ea = {p['barrier_eV']:.3f} eV "
                  f"({p['method']}), D/D0 = {p['diffusivity_ratio']:.3g} [{p['status']}]")
    return 0
