"""``sianode analyze pitt FILE --length-um L``: D per potential step of a PITT staircase.

FILE is any cycler file ``analyze cycling`` reads (same ``--format``/``--map``), e.g. a CSV
with ``time_s, voltage_V, current_A`` or BDF columns.
"""

from __future__ import annotations

import argparse

from sianode.cli._analyze_common import add_cycler_input, check_numbers, load_cycler

NAME = "pitt"
HELP = "diffusion coefficients from a PITT record (seed 002: 2 mV steps of 15 min)"
EXAMPLES = """\
sianode analyze pitt pitt_record.csv --length-um 2.5
sianode analyze pitt cell.mpt --length-um 0.5 --geometry sphere --json"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_cycler_input(p, cell=False)
    p.add_argument("--length-um", type=float, required=True,
                   help="diffusion length: film thickness (planar) or particle radius [µm]")
    p.add_argument("--geometry", choices=("planar", "sphere"), default="planar",
                   help="diffusion geometry of the electrode")
    p.add_argument("--method", choices=("long_time", "short_time"), default="long_time",
                   help="ln I vs t slope (long time) or Cottrell I vs t^-1/2 (short time)")
    p.add_argument("--min-step-mV", type=float, default=0.5,
                   help="voltage jump that starts a new step [mV]")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.diffusion_analysis import analyze_pitt
    from sianode.validation import Interval

    check_numbers({"--length-um": args.length_um, "--min-step-mV": args.min_step_mV},
                  {"--length-um": Interval(0, 1e5, left_closed=False),
                   "--min-step-mV": Interval(0, 1e4, left_closed=False)})
    df, _ = load_cycler(args)
    res = analyze_pitt(df, diffusion_length_um=args.length_um, geometry=args.geometry,
                       method=args.method, min_step_mV=args.min_step_mV, source=str(args.file))
    if args.json:
        print_json(res.as_dict())
        return 0
    print(f"{args.file}: {len(res.steps)} steps, L = {args.length_um:g} µm ({args.geometry}, "
          f"{args.method.replace('_', ' ')})")
    print("  step  voltage [V]  duration [s]  D [cm²/s]     R²")
    for s in res.steps:
        print(f"  {s['step']:4d}  {s['voltage_V']:11.4f}  {s['duration_s']:12.1f}  "
              f"{s['diffusion_coefficient_cm2_s']:.3e}  {s['r_squared']:.4f}")
    return 0
