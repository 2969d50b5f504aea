"""``sianode constrain HOST --k-eff ...``: voltage-capacity curves under constriction (Fig. 3e)."""

from __future__ import annotations

import argparse

from sianode.cli._sources import (
    add_source_argument,
    check_k_eff,
    check_output_file,
    check_source,
    host_elements,
    load_table_for,
)

COMMAND = "constrain"
EXAMPLES = """\
examples:
  sianode constrain Si --k-eff 0 1 2 3 4 5 --plot si_fig3e.png
  sianode constrain Ge --plot-capacity ge_capacity.pdf --json
"""
HELP = "voltage-capacity curves of a host at effective moduli K_eff [GPa] (seed 001 Fig. 3e)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("host", help="host formula or entry id")
    parser.add_argument("--k-eff", nargs="+", type=float, default=[0, 1, 2, 3, 4, 5],
                        metavar="GPA", help="effective constriction moduli, one curve each [GPa]")
    add_source_argument(parser)
    parser.add_argument("--plot", metavar="FILE",
                        help="write the voltage-capacity curves (Fig. 3e) to FILE "
                             "(.png at 300 dpi, .pdf or .svg)")
    parser.add_argument("--plot-capacity", metavar="FILE",
                        help="write capacity above 0 V vs K_eff from 0 to 1.2 x the stop "
                             "modulus to FILE (.png/.pdf/.svg)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    k_eff = check_k_eff(args.k_eff)
    elements = host_elements(args.host)
    check_output_file(args.plot, "--plot")
    check_output_file(args.plot_capacity, "--plot-capacity")
    check_source(args.source)
    from sianode.cli._common import print_json
    from sianode.thermo import LithiationEngine

    eng = LithiationEngine(load_table_for(args, elements))
    res = eng.lithiate(args.host, steps=False)
    profiles = eng.profiles(args.host, k_eff)
    out = {
        "host": res.host,
        "host_id": res.host_id,
        "k_crit_GPa": res.k_crit_GPa,
        "k_stop_GPa": res.k_stop_GPa,
        "curves": [
            {"k_eff_GPa": p.k_eff_GPa, "capacity_mAh_g": p.capacity_mAh_g,
             "steps": [{"voltage_V": s.voltage_V, "capacity_mAh_g": c}
                       for s in p.steps for c in (s.capacity_start_mAh_g,
                                                  s.capacity_end_mAh_g)]}
            for p in profiles
        ],
        "profiles": [p.as_dict() for p in profiles],
    }
    if args.plot or args.plot_capacity:
        import numpy as np

        from sianode.plots.thermo import plot_capacity_vs_k, plot_constrained_profiles, save

        figures = []
        if args.plot:
            figures.append(str(save(plot_constrained_profiles(profiles).figure, args.plot)))
        if args.plot_capacity:
            k_max = 1.2 * (res.k_stop_GPa or max(k_eff) or 1.0)
            ks = np.linspace(0.0, k_max, 121)
            figures.append(str(save(plot_capacity_vs_k(ks, eng.capacity_vs_k(args.host, ks),
                                                       res.host, k_stop_GPa=res.k_stop_GPa
                                                       ).figure, args.plot_capacity)))
        out["figures"] = figures
    if args.json:
        print_json(out)
        return 0
    kc = "n/a" if res.k_crit_GPa is None else f"{res.k_crit_GPa:.3f} GPa"
    ks = "not stoppable" if res.k_stop_GPa is None else f"{res.k_stop_GPa:.3f} GPa"
    print(f"{res.host}: K_crit of the 0 V reaction {kc}, stop modulus {ks}")
    for p in profiles:
        plateaus = ", ".join(f"{s.voltage_V:.3f} V to {s.capacity_end_mAh_g:.0f}" for s in p.steps)
        print(f"  K_eff {p.k_eff_GPa:5.2f} GPa: {p.capacity_mAh_g:7.1f} mAh/g  [{plateaus}]")
    for path in out.get("figures", []):
        print(f"wrote {path}")
    return 0
