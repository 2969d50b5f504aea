"""``sianode design``: hosts x K_eff -> alloying vs plating, thickness and cell energy."""

from __future__ import annotations

import argparse

from sianode.cli._sources import SOURCE_HELP

COMMAND = "design"
HELP = ("design loop: each host's constrained alloying capacity at each K_eff -> share "
        "plated, anode thickness change, cell Wh/kg and Wh/L for a stack (seed 001)")
EXAMPLES = """\
sianode design --stack examples/stacks/ye2024_pouch.toml --hosts Si Ag Mg2Si Sn Cu --k-eff 0 1 2 3 4 5 6 --plot design/ --csv design.csv
sianode design --stack examples/stacks/ye2024_pouch.toml --from-screen scr/ --top 5 --target-np 1.5 --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, metavar="FILE",
                        help="cell stack [.toml/.yaml] with one cathode and one anode layer "
                        "(see `sianode cell`)")
    parser.add_argument("--hosts", nargs="+", default=[], metavar="HOST",
                        help="host formulas or entry ids, e.g. Si Ag Mg2Si Sn Cu")
    parser.add_argument("--from-screen", default=None, metavar="DIR",
                        help="also take hosts from a `sianode screen` folder: the top N of "
                        "its region by capacity")
    parser.add_argument("--top", type=int, default=5, metavar="N",
                        help="with --from-screen: how many hosts of the region [hosts]")
    parser.add_argument("--region", nargs=2, type=float, default=None, metavar=("LOW", "HIGH"),
                        help="with --from-screen: region x*y [eV/GPa]; unset: the screen's "
                        "summary.json, else 0.35 0.55")
    parser.add_argument("--k-eff", nargs="+", type=float, default=[0, 1, 2, 3, 4, 5, 6],
                        metavar="GPA", help="effective moduli [GPa]")
    parser.add_argument("--source", default="builtin", help=SOURCE_HELP)
    parser.add_argument("--mp-cache", default=None, metavar="DIR",
                        help="cache directory for Materials Project responses")
    load = parser.add_mutually_exclusive_group()
    load.add_argument("--host-loading", type=float, default=None, metavar="MG_CM2",
                      help="host mass per area for every host [mg/cm2]; unset: the stack's "
                      "anode active loading")
    load.add_argument("--target-np", type=float, default=None, metavar="NP",
                      help="size each host's loading for this N/P with its unconstrained "
                      "capacity [-]")
    parser.add_argument("--stack-host", default="Si", metavar="FORMULA",
                        help="the host the stack file describes (its volume leaves the anode "
                        "layer when another host replaces it)")
    parser.add_argument("--rank-by", default="specific_energy_Wh_kg",
                        choices=("specific_energy_Wh_kg", "energy_density_Wh_L", "plated_share",
                                 "alloy_share", "alloy_capacity_mAh_g"),
                        help="column the table is ranked by, largest first")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--csv", default=None, metavar="FILE",
                        help="write the ranked table [.csv]")
    parser.add_argument("--plot", default=None, metavar="DIR",
                        help="write figures: Wh/kg, plated share and thickness change vs K_eff")


def _validate(args: argparse.Namespace) -> None:
    import math

    from sianode.errors import ParameterError

    if not args.hosts and not args.from_screen:
        raise ParameterError("--hosts", None, "host formulas/ids, or --from-screen DIR")
    from sianode.validation import K_EFF_GPA, LOADING_MG_CM2, Interval, check_params

    for k in args.k_eff:
        check_params({"--k-eff": k}, {"--k-eff": K_EFF_GPA})
    nums = {"--host-loading": args.host_loading, "--target-np": args.target_np}
    check_params({k: v for k, v in nums.items() if v is not None},
                 {"--host-loading": LOADING_MG_CM2,
                  "--target-np": Interval(0.0, 100.0, left_closed=False,
                                          reason="N/P ratio, anode over cathode capacity")})
    if args.top < 1:
        raise ParameterError("--top", args.top, "an integer >= 1")
    if args.region is not None:
        lo, hi = args.region
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo < hi):
            raise ParameterError("--region", args.region, "0 <= LOW < HIGH [eV/GPa]")
    from sianode.cli._common import check_output
    from sianode.validation import check_input_file

    check_input_file(args.stack, "--stack", suffixes=(".toml", ".yaml", ".yml"))
    check_output(args.csv, "--csv", suffixes=(".csv",))
    check_output(args.plot, "--plot", kind="dir")


def _screen_hosts(args: argparse.Namespace) -> list[str]:
    import numpy as np

    from sianode.cli._screendir import read_screen_dir
    from sianode.errors import EmptySourceError
    from sianode.plots.explorer import check_screen_columns, select_hosts

    df, summary, _ = read_screen_dir(args.from_screen, "--from-screen")
    check_screen_columns(df, args.from_screen)
    region = tuple(args.region or summary.get("region_eV_per_GPa") or (0.35, 0.55))
    mask = select_hosts(df, region_eV_per_GPa=region) & (df["status"].to_numpy() == "ok")
    sel = df[mask]
    if not len(sel):
        raise EmptySourceError(f"{args.from_screen}: no host in the region {region[0]:g}-"
                               f"{region[1]:g} eV/GPa")
    order = np.argsort(-sel["capacity_mAh_g"].to_numpy(dtype=float), kind="stable")
    return [str(i) for i in sel["id"].to_numpy()[order][:args.top]]


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sianode.cell import load_stack
    from sianode.cell.design import design_hosts
    from sianode.cli._common import print_json, to_jsonable
    from sianode.cli._sources import host_elements, load_for

    _validate(args)
    stack = load_stack(args.stack)
    hosts = list(args.hosts)
    if args.from_screen:
        hosts += [h for h in _screen_hosts(args) if h not in hosts]
    elements: set[str] | None = set(host_elements(args.stack_host))
    for h in hosts:
        try:
            elements |= set(host_elements(h))
        except Exception:  # an entry id, not a formula: load every entry
            elements = None
            break
    entries = load_for(args, sorted(elements) if elements is not None else None)
    result = design_hosts(stack, hosts, args.k_eff, entries,
                          host_loading_mg_cm2=args.host_loading, target_np=args.target_np,
                          stack_host=args.stack_host, rank_by=args.rank_by)
    table = result.table()
    out = result.as_dict()
    best = result.rows[0]
    np_arg = f" --np {best.np_ratio:.3g}" if best.np_ratio else ""
    out["simulate"] = (f"sianode simulate --host {best.host} --k-eff {best.k_eff_GPa:g}"
                       f"{np_arg} --source {args.source}")
    if args.csv:
        from sianode.atomic import write_text

        write_text(args.csv, table.to_csv(index=False))
        out["csv"] = str(args.csv)
    if args.plot:
        from sianode.plots.design import plot_design_vs_k
        from sianode.plots.style import save

        d = Path(args.plot)
        out["figures"] = [str(save(plot_design_vs_k(result, col).figure, d / name)) for col, name
                          in (("specific_energy_Wh_kg", "design_wh_kg.png"),
                              ("plated_share", "design_plated_share.png"),
                              ("anode_thickness_change_um", "design_thickness.png"))]
    if args.json:
        print_json(to_jsonable(out))
        return 0
    b = result.baseline
    print(f"{result.stack}: {b.areal_capacity_mAh_cm2:.3f} mAh/cm2, "
          f"{b.areal_energy_mWh_cm2:.2f} mWh/cm2, {b.specific_energy_Wh_kg:.1f} Wh/kg as given")
    print(f"{'rank':>4} {'host':<10} {'K_eff':>5} {'q_alloy':>8} {'alloy':>6} {'plated':>6} "
          f"{'U_alloy':>7} {'dt_um':>6} {'Wh/kg':>6} {'Wh/L':>6}")
    order = {h: i for i, h in enumerate(result.host_ids)}
    for r in sorted(result.rows, key=lambda r: (order[r.host_id], r.k_eff_GPa)):
        u = "-" if r.alloy_voltage_V is None else f"{r.alloy_voltage_V:.3f}"
        whl = "-" if r.energy_density_Wh_L is None else f"{r.energy_density_Wh_L:.0f}"
        print(f"{r.rank:4d} {r.host:<10} {r.k_eff_GPa:5.2f} {r.alloy_capacity_mAh_g:8.0f} "
              f"{r.alloy_share:6.3f} {r.plated_share:6.3f} {u:>7} "
              f"{r.anode_thickness_change_um:6.2f} {r.specific_energy_Wh_kg:6.1f} {whl:>6}")
    print(f"next: {out['simulate']}")
    if "csv" in out:
        print(f"table: {out['csv']}")
    if "figures" in out:
        print(f"figures: {', '.join(out['figures'])}")
    return 0
