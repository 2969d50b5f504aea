"""``sianode analyze plating FILE``: Li nucleation overpotential, ICE, soft shorts, CCD."""

from __future__ import annotations

import argparse

NAME = "plating"
HELP = "Li plating/stripping: nucleation overpotential, ICE (minus interlayer), soft shorts, CCD"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from sianode.cli._analyze_cycling import FORMATS

    p.add_argument("file", metavar="FILE", help="cycler export of a plating/stripping test")
    p.add_argument("--format", default="auto", choices=FORMATS)
    p.add_argument("--cell", choices=("asymmetric", "symmetric", "half", "full"), default=None,
                   help="cell type (plating = lithiation of the working electrode)")
    p.add_argument("--area-cm2", type=float, default=None,
                   help="electrode area [cm²]; needed for the CCD and areal values")
    p.add_argument("--interlayer-mAh", type=float, default=0.0,
                   help="capacity [mAh] of the interlayer's lithiation to subtract from the "
                   "first lithiation before ICE (seed 004: Si in LiSi-C)")
    p.add_argument("--ccd", action="store_true",
                   help="treat the file as a stepped-current CCD test (needs --area-cm2)")
    p.add_argument("--spike-V", type=float, default=0.5, help="CCD spike criterion [V]")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._analyze_cycling import load, resolve_cell
    from sianode.cli._common import print_json
    from sianode.experiments.cycling import cycle_capacities
    from sianode.experiments.plating import (
        critical_current_density,
        detect_soft_short,
        ice_after_interlayer,
        nucleation_overpotential,
    )
    from sianode.experiments.schema import require_metadata

    df, meta = load(args)
    cell = resolve_cell(args, meta)
    area = args.area_cm2 if args.area_cm2 is not None else meta.get("area_cm2")
    out: dict = {"file": str(args.file), "cell": cell, "area_cm2": area}
    if args.ccd:
        require_metadata(area_cm2=area)
        out["ccd"] = critical_current_density(df, area, spike_V=args.spike_V).as_dict()
    else:
        out["nucleation"] = nucleation_overpotential(df, cell).as_dict()
        summary = cycle_capacities(df, cell)
        first = summary[summary["cycle"] == 1].iloc[0]
        out["interlayer_mAh"] = args.interlayer_mAh
        out["initial_coulombic_efficiency"] = ice_after_interlayer(
            float(first["lithiation_capacity_mAh"]), float(first["delithiation_capacity_mAh"]),
            args.interlayer_mAh)
        out["soft_short"] = detect_soft_short(df, cell).as_dict()
    if args.json:
        print_json(out)
        return 0
    for key, value in out.items():
        print(f"{key}: {value}")
    return 0
