"""``sianode diffusion HOST --strain 0 0.05 0.10``: strained Li migration barriers (CI-NEB)."""

from __future__ import annotations

import argparse

COMMAND = "diffusion"
HELP = "Li migration barrier and diffusivity ratio under compression/shear (CI-NEB, ML potential)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("host", metavar="HOST",
                   help="registered structure (Si, Ge, Sn-alpha, ...) or a structure file")
    p.add_argument("--strain", type=float, nargs="+", default=[0.0, 0.05, 0.10],
                   help="compressive strains (0.05 = 5 %%); the 0 point is the reference")
    p.add_argument("--strain-kind", choices=["linear", "volume"], default="linear")
    p.add_argument("--shear-deg", type=float, default=None,
                   help="also compute each non-zero strain with cell angle gamma [deg]")
    p.add_argument("--temperature-K", type=float, default=300.0)
    p.add_argument("--sites", type=float, nargs=6, metavar="F", default=None,
                   help="start and end sites, fractional in the host cell (x1 y1 z1 x2 y2 z2); "
                        "default: diamond Td -> Td")
    p.add_argument("--supercell", type=int, nargs=3, default=[2, 2, 2])
    p.add_argument("--images", type=int, default=5)
    p.add_argument("--frozen-host", action="store_true",
                   help="keep host atoms fixed (inflates barriers; for comparison)")
    from sianode.materials.calculators import DEFAULT_POTENTIAL, POTENTIALS

    p.add_argument("--potential", default=DEFAULT_POTENTIAL, help=", ".join(POTENTIALS))
    p.add_argument("--fmax", type=float, default=0.05, help="force convergence [eV/Å]")
    p.add_argument("--max-steps", type=int, default=200)
    p.add_argument("--plot", default=None, help="write the energy paths to this image file")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.kinetics.diffusion import strain_scan

    sites = None
    if args.sites:
        sites = (tuple(args.sites[:3]), tuple(args.sites[3:]))
    result = strain_scan(
        args.host, args.strain, shear_deg=args.shear_deg, temperature_K=args.temperature_K,
        calculator=args.potential, strain_kind=args.strain_kind, sites=sites,
        supercell=tuple(args.supercell), n_images=args.images, relax_host=not args.frozen_host,
        fmax=args.fmax, max_steps=args.max_steps,
    )
    if args.plot:
        from sianode.plots.kinetics import plot_migration_paths

        ax = plot_migration_paths(result["points"])
        ax.figure.savefig(args.plot, dpi=150, bbox_inches="tight")
    if args.json:
        keys = ("strain", "strain_kind", "shear_deg", "barrier_eV", "diffusivity_ratio",
                "status", "path_energies_eV", "path_distance_A", "n_atoms", "neb_steps",
                "wall_s", "potential", "host_change")
        print_json({"host": result["host"], "temperature_K": result["temperature_K"],
                    "points": [{k: p[k] for k in keys} for p in result["points"]]})
    else:
        print(f"host {result['host']}, T = {result['temperature_K']:g} K")
        for p in result["points"]:
            shear = f"gamma={p['shear_deg']:g}" if p["shear_deg"] is not None else "no shear"
            if p["barrier_eV"] is None:
                print(f"  strain {p['strain']:.3f} {shear}: {p['status']} (no barrier)")
            else:
                print(f"  strain {p['strain']:.3f} {shear}: Ea = {p['barrier_eV']:.3f} eV, "
                      f"D/D0 = {p['diffusivity_ratio']:.3g} [{p['status']}]")
    return 0
