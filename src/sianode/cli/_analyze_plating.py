"""``sianode analyze plating FILE``: Li nucleation overpotential, ICE, soft shorts, CCD."""

from __future__ import annotations

import argparse

from sianode.cli._analyze_common import (
    add_cycler_input,
    check_numbers,
    load_cycler,
    resolve_cell,
)

NAME = "plating"
HELP = "Li plating/stripping: nucleation overpotential, ICE (minus interlayer), soft shorts, CCD"
EXAMPLES = """\
sianode analyze plating sus_lisic_li.csv --cell asymmetric --interlayer-mAh 0.53
sianode analyze plating ccd.nda --cell symmetric --ccd --area-cm2 0.785"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_cycler_input(p, cells=("asymmetric", "symmetric", "half", "full"),
                     file_help="cycler file of a plating/stripping test (any format "
                     "`analyze cycling` reads)")
    p.add_argument("--area-cm2", type=float, default=None,
                   help="electrode area [cm²]; needed for the CCD and areal values")
    p.add_argument("--interlayer-mAh", type=float, default=0.0,
                   help="capacity of the interlayer's lithiation to subtract from the first "
                   "lithiation before ICE [mAh] (seed 004: Si in LiSi-C)")
    p.add_argument("--ccd", action="store_true",
                   help="treat the file as a stepped-current CCD test (needs --area-cm2)")
    p.add_argument("--spike-V", type=float, default=0.5, help="CCD voltage-spike criterion [V]")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.errors import InputError
    from sianode.experiments.cycling import complete_cycles, cycle_capacities
    from sianode.experiments.plating import (
        critical_current_density,
        detect_soft_short,
        ice_after_interlayer,
        nucleation_overpotential,
    )
    from sianode.experiments.schema import require_metadata
    from sianode.validation import AREA_CM2, NON_NEGATIVE, Interval

    check_numbers({"--area-cm2": args.area_cm2, "--interlayer-mAh": args.interlayer_mAh,
                   "--spike-V": args.spike_V},
                  {"--area-cm2": AREA_CM2, "--interlayer-mAh": NON_NEGATIVE,
                   "--spike-V": Interval(0, 1e3, left_closed=False)})
    if args.ccd and args.area_cm2 is None:
        require_metadata(area_cm2=None)
    df, meta = load_cycler(args)
    cell = resolve_cell(args, meta)
    area = args.area_cm2 if args.area_cm2 is not None else meta.get("area_cm2")
    out: dict = {"file": str(args.file), "cell": cell, "area_cm2": area}
    if args.ccd:
        require_metadata(area_cm2=area)
        out["ccd"] = critical_current_density(df, area, spike_V=args.spike_V).as_dict()
    else:
        out["nucleation"] = nucleation_overpotential(df, cell).as_dict()
        full = complete_cycles(cycle_capacities(df, cell))
        if full.empty:
            raise InputError(f"{args.file}: no complete plating/stripping cycle for ICE")
        first = full.iloc[0]
        out["ice_cycle"] = int(first["cycle"])
        out["interlayer_mAh"] = args.interlayer_mAh
        out["initial_coulombic_efficiency"] = ice_after_interlayer(
            float(first["lithiation_capacity_mAh"]), float(first["delithiation_capacity_mAh"]),
            args.interlayer_mAh)
        out["soft_short"] = detect_soft_short(df, cell).as_dict()
    if args.json:
        print_json(out)
        return 0
    print(f"{args.file}: cell {cell}" + (f", area {area:g} cm²" if area else ""))
    if args.ccd:
        c = out["ccd"]
        if c["ccd_mA_cm2"] is None:
            print(f"  no failure; highest current density passed {c['max_passed_mA_cm2']:.4g} "
                  "mA/cm²")
        else:
            print(f"  CCD = {c['ccd_mA_cm2']:.4g} mA/cm² ({c['failure']} in step "
                  f"{c['failed_step']}, at {c['areal_capacity_mAh_cm2']:.4g} mAh/cm²)")
        for s in c["steps"]:
            print(f"    step {s['step']:3d}: {s['current_density_mA_cm2']:8.4g} mA/cm²  "
                  f"{s['areal_capacity_mAh_cm2']:8.4g} mAh/cm²  |V| {s['median_abs_voltage_V']:.4g}"
                  f" V  {s['failure'] or 'ok'}")
        return 0
    n = out["nucleation"]
    print(f"  nucleation overpotential {n['overpotential_mV']:.2f} mV (dip {n['dip_V']:.4f} V at "
          f"{n['dip_time_s']:.1f} s, plateau {n['plateau_V']:.4f} V)")
    print(f"  ICE (cycle {out['ice_cycle']}, interlayer {args.interlayer_mAh:g} mAh subtracted) "
          f"= {100 * out['initial_coulombic_efficiency']:.2f} %")
    ss = out["soft_short"]
    print("  soft short: " + ("none flagged" if not ss["cycles"] else "; ".join(
        f"cycle {c}: {', '.join(r)}" for c, r in ss["reasons"].items())))
    return 0
