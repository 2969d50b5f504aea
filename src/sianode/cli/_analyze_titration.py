"""``sianode analyze titration``: titration-GC split of lost Li into SEI and Li-Si (seed 003)."""

from __future__ import annotations

import argparse

from sianode.cli._analyze_common import CELLS, FORMATS, check_numbers

NAME = "titration"
HELP = "titration-GC bookkeeping: SEI share of capacity from cumulative losses and titrated H2"
EXAMPLES = """\
sianode analyze titration --lithiation-mAh 3.2 --delithiation-mAh 2.85 --h2-umol 2.1
sianode analyze titration --file cell.nda --cell full --active-li-mAh 0.05"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--file", metavar="FILE", help="cycler file of the titrated cell (any "
                     "format `analyze cycling` reads)")
    src.add_argument("--lithiation-mAh", type=float, nargs="+", metavar="Q",
                     help="per-cycle lithiation (full cell: charge) capacities [mAh]")
    p.add_argument("--delithiation-mAh", type=float, nargs="+", metavar="Q",
                   help="per-cycle delithiation capacities [mAh] (with --lithiation-mAh)")
    p.add_argument("--format", default="auto", choices=FORMATS, help="format of --file")
    p.add_argument("--map", action="append", default=[], metavar="BDF=HEADER",
                   help="column of --file for a BDF column (as in analyze cycling)")
    p.add_argument("--scale", action="append", default=[], metavar="BDF=FACTOR",
                   help="unit factor for a column of --file [factor]")
    p.add_argument("--cell", choices=CELLS, default=None, help="cell type of --file")
    li = p.add_mutually_exclusive_group(required=True)
    li.add_argument("--h2-umol", type=float, help="H2 measured by gas chromatography [µmol]")
    li.add_argument("--active-li-mAh", type=float, help="titrated Li in Li-Si [mAh]")
    p.add_argument("--reference-capacity-mAh", type=float, default=None,
                   help="capacity the shares refer to [mAh]; default the first lithiation")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.errors import ParameterError
    from sianode.experiments.titration import titration_sei_bookkeeping
    from sianode.validation import Interval

    mah = Interval(0.0, 1e6, reason="charge of one cell [mAh]")
    mah_pos = Interval(0.0, 1e6, left_closed=False, reason="charge of one cell [mAh]")

    check_numbers({"--h2-umol": args.h2_umol, "--active-li-mAh": args.active_li_mAh,
                   "--reference-capacity-mAh": args.reference_capacity_mAh,
                   "--lithiation-mAh": args.lithiation_mAh,
                   "--delithiation-mAh": args.delithiation_mAh},
                  {"--h2-umol": Interval(0.0, 1e6, reason="H2 from one cell [µmol]"),
                   "--active-li-mAh": mah, "--reference-capacity-mAh": mah_pos,
                   "--lithiation-mAh": mah_pos, "--delithiation-mAh": mah})
    if args.file:
        from sianode.cli._analyze_common import load_cycler, resolve_cell
        from sianode.experiments.cycling import complete_cycles, cycle_capacities

        df, meta = load_cycler(args)
        summary = complete_cycles(cycle_capacities(df, resolve_cell(args, meta)))
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
