"""``sianode analyze gitt FILE (--length-um L | --molar-volume ... --mass-mg ... ...)``.

FILE is any cycler file ``analyze cycling`` reads (same ``--format``/``--map``). The
diffusion length is given, or computed as ``m V_M / (M S)`` from all four of
``--molar-volume-cm3-mol``, ``--mass-mg``, ``--molar-mass-g-mol`` and ``--area-cm2``.
"""

from __future__ import annotations

import argparse
import sys

from sianode.cli._analyze_common import add_cycler_input, check_numbers, load_cycler

NAME = "gitt"
HELP = "Weppner-Huggins diffusion coefficients from a GITT record"
EXAMPLES = """\
sianode analyze gitt gitt.csv --length-um 1.5
sianode analyze gitt gitt.mpr --molar-volume-cm3-mol 12.06 --mass-mg 1.0 \
--molar-mass-g-mol 28.09 --area-cm2 1.13"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_cycler_input(p, cell=False)
    p.add_argument("--length-um", type=float, help="diffusion length [µm]")
    p.add_argument("--molar-volume-cm3-mol", type=float,
                   help="molar volume V_M of the active phase [cm³/mol]")
    p.add_argument("--mass-mg", type=float, help="active mass [mg]")
    p.add_argument("--molar-mass-g-mol", type=float,
                   help="molar mass M of the active phase [g/mol]")
    p.add_argument("--area-cm2", type=float, help="electrode area [cm²]")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.diffusion import gitt_diffusion_length_cm
    from sianode.experiments.diffusion_analysis import analyze_gitt
    from sianode.validation import Interval

    bound = Interval(0, 1e6, left_closed=False)
    check_numbers({"--length-um": args.length_um,
                   "--molar-volume-cm3-mol": args.molar_volume_cm3_mol,
                   "--mass-mg": args.mass_mg, "--molar-mass-g-mol": args.molar_mass_g_mol,
                   "--area-cm2": args.area_cm2},
                  {k: bound for k in ("--length-um", "--molar-volume-cm3-mol", "--mass-mg",
                                      "--molar-mass-g-mol", "--area-cm2")})
    length = gitt_diffusion_length_cm(
        diffusion_length_cm=None if args.length_um is None else args.length_um * 1e-4,
        molar_volume_cm3_mol=args.molar_volume_cm3_mol,
        active_mass_g=None if args.mass_mg is None else args.mass_mg * 1e-3,
        molar_mass_g_mol=args.molar_mass_g_mol, area_cm2=args.area_cm2)
    df, _ = load_cycler(args)
    res = analyze_gitt(df, diffusion_length_cm=length, source=str(args.file))
    for w in res.warnings:
        print(f"sianode analyze gitt: warning: {w}", file=sys.stderr)
    if args.json:
        print_json(res.as_dict())
        return 0
    print(f"{args.file}: {len(res.pulses)} pulses, L = {res.diffusion_length_um:.4g} µm")
    print("  pulse  voltage [V]  tau [s]  dEs [mV]  dEt [mV]  D [cm²/s]")
    for q in res.pulses:
        print(f"  {q['pulse']:5d}  {q['voltage_V']:11.4f}  {q['duration_s']:7.1f}  "
              f"{q['delta_Es_V'] * 1e3:8.3f}  {q['delta_Et_V'] * 1e3:8.3f}  "
              f"{q['diffusion_coefficient_cm2_s']:.3e}")
    return 0
