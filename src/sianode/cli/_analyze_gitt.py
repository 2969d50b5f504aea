"""``sianode analyze gitt FILE (--length-um L | --molar-volume ... --mass-mg ... ...)``.

CSV columns: ``time_s``, ``voltage_V``, ``current_A`` (BDF names accepted). The
diffusion length is given, or computed as ``m V_M / (M S)`` from all four of
``--molar-volume-cm3-mol``, ``--mass-mg``, ``--molar-mass-g-mol`` and ``--area-cm2``.
"""

from __future__ import annotations

import argparse

NAME = "gitt"
HELP = "Weppner-Huggins diffusion coefficients from a GITT record"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="CSV with time_s, voltage_V, current_A")
    p.add_argument("--length-um", type=float, help="diffusion length [um]")
    p.add_argument("--molar-volume-cm3-mol", type=float, help="V_M of the active phase")
    p.add_argument("--mass-mg", type=float, help="active mass [mg]")
    p.add_argument("--molar-mass-g-mol", type=float, help="M of the active phase [g/mol]")
    p.add_argument("--area-cm2", type=float, help="electrode area [cm2]")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.diffusion import gitt_diffusion_length_cm, gitt_pulses
    from sianode.experiments.io.columns_csv import TIME_SERIES_COLUMNS, read_columns_csv

    length = gitt_diffusion_length_cm(
        diffusion_length_cm=None if args.length_um is None else args.length_um * 1e-4,
        molar_volume_cm3_mol=args.molar_volume_cm3_mol,
        active_mass_g=None if args.mass_mg is None else args.mass_mg * 1e-3,
        molar_mass_g_mol=args.molar_mass_g_mol, area_cm2=args.area_cm2)
    d = read_columns_csv(args.file, TIME_SERIES_COLUMNS)
    pulses = gitt_pulses(d["time_s"], d["voltage_V"], d["current_A"], diffusion_length_cm=length)
    out = {"file": args.file, "diffusion_length_um": length * 1e4, "pulses": pulses}
    if args.json:
        print_json(out)
        return 0
    print(f"{args.file}: {len(pulses)} pulses, L = {length * 1e4:.4g} um")
    print("  pulse  voltage_V  tau_s    dEs_mV   dEt_mV   D_cm2_s")
    for q in pulses:
        print(f"  {q['pulse']:5d}  {q['voltage_V']:9.4f}  {q['duration_s']:6.1f}  "
              f"{q['delta_Es_V'] * 1e3:7.3f}  {q['delta_Et_V'] * 1e3:7.3f}  "
              f"{q['diffusion_coefficient_cm2_s']:.3e}")
    return 0
