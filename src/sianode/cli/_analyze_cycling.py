"""``sianode analyze cycling FILE``: capacities, CE, ICE, retention and rates of one file."""

from __future__ import annotations

import argparse
import sys

from sianode.cli._analyze_common import (
    CELLS,
    FORMATS,
    add_cycler_input,
    check_numbers,
    check_output_path,
    load_cycler,
    resolve_cell,
    save_figure,
)

NAME = "cycling"
HELP = "per-cycle capacities, CE, ICE, retention, CE mean ± std and rate table of a cycler file"
EXAMPLES = """\
sianode analyze cycling cell.mpr --cell half --mass-mg 1.2 --plot capacity.png
sianode analyze cycling export.csv --map current_ampere='I [mA]' --scale current_ampere=1e-3 \
--cell full --json"""
__all__ = ["NAME", "HELP", "EXAMPLES", "FORMATS", "CELLS", "add_arguments", "run", "load",
           "resolve_cell"]
load = load_cycler  # kept for the other analyze modules and older imports


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_cycler_input(p)
    p.add_argument("--mass-mg", type=float, default=None,
                   help="active mass of the working electrode [mg]; adds mAh/g (never "
                   "defaulted)")
    p.add_argument("--area-cm2", type=float, default=None,
                   help="electrode area [cm²]; adds mAh/cm² and current densities")
    p.add_argument("--ce-window", type=int, nargs=2, metavar=("FIRST", "LAST"), default=None,
                   help="inclusive cycle window for CE mean ± std [cycle]; default the complete "
                   "cycles after the first")
    p.add_argument("--reference-cycle", type=int, default=None,
                   help="cycle taken as 100 %% capacity [cycle]; default the first complete "
                   "cycle")
    p.add_argument("--threshold", type=float, default=0.8,
                   help="retention threshold for cycles-to-threshold [fraction]")
    p.add_argument("--theoretical-mAh-g", type=float, default=None,
                   help="theoretical capacity of the working electrode for unit checks "
                   "[mAh/g]; default Si to Li22Si5, 4199")
    p.add_argument("--plot", metavar="FILE", default=None,
                   help="write the capacity/CE figure (.png, .pdf or .svg)")
    p.add_argument("--profile-plot", metavar="FILE", default=None,
                   help="write voltage profiles of the first five cycles (.png, .pdf, .svg)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _check(args: argparse.Namespace) -> None:
    from sianode.validation import AREA_CM2, MASS_MG, SPECIFIC_CAPACITY_MAH_G, Interval

    check_numbers({"--mass-mg": args.mass_mg, "--area-cm2": args.area_cm2,
                   "--threshold": args.threshold, "--reference-cycle": args.reference_cycle,
                   "--theoretical-mAh-g": args.theoretical_mAh_g},
                  {"--mass-mg": MASS_MG, "--area-cm2": AREA_CM2,
                   "--threshold": Interval(0, 1, left_closed=False, right_closed=False),
                   "--reference-cycle": Interval(0, None), "--theoretical-mAh-g": SPECIFIC_CAPACITY_MAH_G})
    if args.ce_window:
        check_numbers({"--ce-window": list(args.ce_window)}, {"--ce-window": Interval(0, None)})
    check_output_path(args.plot, "--plot")
    check_output_path(args.profile_plot, "--profile-plot")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.cycling_analysis import SI_MAX_CAPACITY_MAH_G, analyze_cycling

    _check(args)
    df, meta = load_cycler(args)
    cell = resolve_cell(args, meta)
    mass = args.mass_mg if args.mass_mg is not None else meta.get("mass_mg")
    area = args.area_cm2 if args.area_cm2 is not None else meta.get("area_cm2")
    result = analyze_cycling(
        df, cell, mass_mg=mass, area_cm2=area,
        ce_window=tuple(args.ce_window) if args.ce_window else None,
        reference_cycle=args.reference_cycle, threshold_fraction=args.threshold,
        theoretical_capacity_mAh_g=args.theoretical_mAh_g or SI_MAX_CAPACITY_MAH_G,
        source=str(args.file))
    for w in result.warnings:
        print(f"sianode analyze cycling: warning: {w}", file=sys.stderr)
    out = result.as_dict()
    if args.plot:
        from sianode.plots.cycling import plot_capacity_ce

        col = "delithiation_capacity_mAh_g" if mass else "delithiation_capacity_mAh"
        save_figure(plot_capacity_ce(result.table(), capacity=col), args.plot)
        out["plot"] = str(args.plot)
    if args.profile_plot:
        from sianode.plots.cycling import plot_voltage_profiles

        save_figure(plot_voltage_profiles(df, cell, mass_mg=mass), args.profile_plot)
        out["profile_plot"] = str(args.profile_plot)
    if args.json:
        print_json(out)
        return 0
    print_text(result)
    return 0


def _pct(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or x != x else f"{100 * x:.{digits}f} %"


def print_text(r) -> None:
    """Human-readable report: the per-cycle table, the summary lines and the rate table."""
    g = r.mass_mg is not None
    unit = "mAh/g" if g else "mAh"
    suf = "_mAh_g" if g else "_mAh"
    src = f" ({r.cycle_source_reason})" if r.cycle_source_reason else ""
    print(f"{r.source}: cell {r.cell}, cycles from {r.cycle_source}{src}")
    print(f"{'cycle':>5} {'lith ' + unit:>12} {'delith ' + unit:>13} {'CE %':>8} "
          f"{'retention %':>11}  status")
    for c in r.cycles:
        ce = c["coulombic_efficiency"]
        ret = c.get("retention")
        print(f"{c['cycle']:>5} {c['lithiation_capacity' + suf]:>12.5g} "
              f"{c['delithiation_capacity' + suf]:>13.5g} "
              f"{'' if ce != ce else f'{100 * ce:.3f}':>8} "
              f"{'' if ret is None or ret != ret else f'{100 * ret:.2f}':>11}  {c['status']}")
    print(f"ICE (cycle {r.ice_cycle}) = {_pct(r.initial_coulombic_efficiency)}"
          + (" (suspect: see the warning above)" if r.ice_warning else ""))
    if r.ce_n_cycles:
        print(f"CE over cycles {r.ce_window[0]}-{r.ce_window[1]} ({r.ce_n_cycles} complete) = "
              f"{_pct(r.ce_mean, 3)} ± {100 * r.ce_std:.3f} percentage points")
    else:
        print("CE mean ± std: fewer than two complete cycles in the window")
    thr = f"{100 * r.threshold_fraction:g} %"
    ctt = r.cycles_to_threshold
    print(f"cycles to {thr} of cycle {r.retention_reference_cycle}'s delithiation capacity: "
          + (f"cycle {ctt}" if ctt is not None else "not reached"))
    if r.incomplete_cycles:
        why = "; ".join(f"cycle {c['cycle']}: {c['status']}" for c in r.cycles
                        if not c["complete"])
        print(f"left out of ICE, CE, retention and thresholds: {why}")
    if r.rate_capability:
        dens = "current_density_mA_cm2" in r.rate_capability[0]
        print("rate table (complete cycles):")
        print(f"  {'step':>4} {'cycles':>9} {'I mA':>10} "
              + (f"{'j mA/cm²':>9} " if dens else "")
              + f"{'delith ' + unit:>13} {'CE %':>8}")
        for s in r.rate_capability:
            cap = s["delithiation_capacity_mAh_g"] if g else s["delithiation_capacity_mAh"]
            print(f"  {s['step']:>4} {s['first_cycle']:>4}-{s['last_cycle']:<4} "
                  f"{s['current_mA']:>10.4g} "
                  + (f"{s['current_density_mA_cm2']:>9.4g} " if dens else "")
                  + f"{cap:>13.5g} {100 * s['coulombic_efficiency']:>8.3f}")
