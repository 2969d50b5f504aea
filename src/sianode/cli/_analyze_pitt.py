"""``sianode analyze pitt FILE --length-um L``: D per potential step of a PITT staircase.

CSV columns: ``time_s``, ``voltage_V``, ``current_A`` (BDF ``test_time_second``,
``voltage_volt``, ``current_ampere`` accepted).
"""

from __future__ import annotations

import argparse

NAME = "pitt"
HELP = "diffusion coefficients from a PITT record (seed 002: 2 mV steps of 15 min)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="CSV with time_s, voltage_V, current_A")
    p.add_argument("--length-um", type=float, required=True,
                   help="diffusion length: film thickness (planar) or particle radius [um]")
    p.add_argument("--geometry", choices=("planar", "sphere"), default="planar")
    p.add_argument("--method", choices=("long_time", "short_time"), default="long_time")
    p.add_argument("--min-step-mV", type=float, default=0.5,
                   help="voltage jump that starts a new step [mV]")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.diffusion import pitt_steps
    from sianode.experiments.io.columns_csv import TIME_SERIES_COLUMNS, read_columns_csv
    from sianode.units import um_to_cm
    from sianode.validation import POSITIVE, check_params

    check_params({"--length-um": args.length_um}, {"--length-um": POSITIVE})
    d = read_columns_csv(args.file, TIME_SERIES_COLUMNS)
    steps = pitt_steps(d["time_s"], d["voltage_V"], d["current_A"],
                       diffusion_length_cm=float(um_to_cm(args.length_um)),
                       geometry=args.geometry, min_step_mV=args.min_step_mV, method=args.method)
    out = {"file": args.file, "diffusion_length_um": args.length_um, "geometry": args.geometry,
           "method": args.method, "steps": steps}
    if args.json:
        print_json(out)
        return 0
    print(f"{args.file}: {len(steps)} steps, L = {args.length_um} um ({args.geometry})")
    print("  step  voltage_V  duration_s   D_cm2_s     r2")
    for s in steps:
        print(f"  {s['step']:4d}  {s['voltage_V']:9.4f}  {s['duration_s']:10.1f}  "
              f"{s['diffusion_coefficient_cm2_s']:.3e}  {s['r_squared']:.4f}")
    return 0
