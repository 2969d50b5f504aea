"""``sianode analyze titration``: titration-GC split of lost Li into SEI and Li-Si (seed 003)."""

from __future__ import annotations

import argparse

NAME = "titration"
HELP = "titration-GC bookkeeping: SEI share of capacity from cumulative losses and titrated H2"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from sianode.cli._analyze_cycling import FORMATS

    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--file", metavar="FILE", help="cycler file of the titrated cell")
    src.add_argument("--lithiation-mAh", type=float, nargs="+", metavar="Q",
                     help="per-cycle lithiation (full cell: charge) capacities [mAh]")
    p.add_argument("--delithiation-mAh", type=float, nargs="+", metavar="Q",
                   help="per-cycle delithiation capacities [mAh] (with --lithiation-mAh)")
    p.add_argument("--format", default="auto", choices=FORMATS)
    p.add_argument("--cell", choices=("full", "half", "symmetric", "asymmetric"), default=None)
    li = p.add_mutually_exclusive_group(required=True)
    li.add_argument("--h2-umol", type=float, help="H2 measured by GC [µmol]")
    li.add_argument("--active-li-mAh", type=float, help="titrated Li in Li-Si [mAh]")
    p.add_argument("--reference-capacity-mAh", type=float, default=None,
                   help="capacity the shares refer to (default: first lithiation)")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.errors import ParameterError
    from sianode.experiments.titration import titration_sei_bookkeeping

    if args.file:
        from sianode.cli._analyze_cycling import load, resolve_cell
        from sianode.experiments.cycling import cycle_capacities

        args.file = args.file
        df, meta = load(args)
        summary = cycle_capacities(df, resolve_cell(args, meta))
        summary = summary[summary["cycle"] >= 1]
        lith = summary["lithiation_capacity_mAh"].tolist()
        deli = summary["delithiation_capacity_mAh"].tolist()
    else:
        if args.delithiation_mAh is None:
            raise ParameterError("--delithiation-mAh", None, "one value per lithiation value")
        lith, deli = args.lithiation_mAh, args.delithiation_mAh
    res = titration_sei_bookkeeping(lith, deli, h2_umol=args.h2_umol,
                                    active_li_mAh=args.active_li_mAh,
                                    reference_capacity_mAh=args.reference_capacity_mAh)
    if args.json:
        print_json(res.as_dict())
        return 0
    print(f"after {res.cycles} cycle(s): lost {res.cumulative_loss_mAh:.4f} mAh "
          f"({100 * res.loss_share:.2f} %), Li in Li-Si {res.active_li_mAh:.4f} mAh "
          f"({100 * res.active_li_share:.2f} %), SEI {res.sei_mAh:.4f} mAh "
          f"({100 * res.sei_share:.2f} %) of {res.reference_capacity_mAh:.4f} mAh")
    return 0
