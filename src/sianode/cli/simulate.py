"""``sianode simulate``: galvanostatic alloying vs Li plating of a host at several K_eff."""

from __future__ import annotations

import argparse

COMMAND = "simulate"
HELP = "simulate alloying vs Li plating in a full or asymmetric cell at several K_eff"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="Si", help="host formula (default Si)")
    p.add_argument("--k-eff", type=float, nargs="+", default=[0.0, 3.0, 5.5],
                   metavar="GPA", help="effective constriction moduli [GPa]")
    p.add_argument("--c-rate", type=float, default=0.5,
                   help="C-rate of the cathode (full) or of the host's nominal capacity")
    p.add_argument("--current-density", type=float, default=None, metavar="MA_CM2",
                   help="current density [mA/cm2]; overrides --c-rate")
    p.add_argument("--np", type=float, default=None, dest="np_ratio",
                   help="nominal N/P of a full cell (default 1.5, seed 001)")
    p.add_argument("--host-loading", type=float, default=None, metavar="MG_CM2",
                   help="host loading of an asymmetric cell [mg/cm2] (default 1)")
    p.add_argument("--cell", choices=("full", "asymmetric"), default="full")
    p.add_argument("--capacity-limit", type=float, default=None, metavar="MAH_G",
                   help="stop lithiation at this charge per host mass [mAh/g]")
    p.add_argument("--source", default="builtin", help="'builtin' or an entries file")
    p.add_argument("--plot", default=None, metavar="DIR", help="write PNG figures here")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cell.simulate import alloy_ocv_from_thermo, simulate
    from sianode.cli._common import print_json
    from sianode.errors import ParameterError
    from sianode.materials.entries import load_entry_table
    from sianode.validation import NON_NEGATIVE, POSITIVE, check_params

    check_params({"--k-eff": args.k_eff, "--c-rate": args.c_rate, "--np": args.np_ratio,
                  "--current-density": args.current_density, "--host-loading": args.host_loading,
                  "--capacity-limit": args.capacity_limit},
                 {"--k-eff": NON_NEGATIVE, "--c-rate": POSITIVE, "--np": POSITIVE,
                  "--current-density": POSITIVE, "--host-loading": POSITIVE,
                  "--capacity-limit": POSITIVE})
    if args.host_loading is not None and args.cell != "asymmetric":
        raise ParameterError("--host-loading", args.host_loading, "only with --cell asymmetric")
    if args.np_ratio is not None and args.cell != "full":
        raise ParameterError("--np", args.np_ratio, "only with --cell full")
    entries = load_entry_table(args.source)
    ocv = alloy_ocv_from_thermo(args.host, entries)
    overrides = ({"Host loading [mg.cm-2]": args.host_loading}
                 if args.host_loading is not None else None)
    from sianode.progress import Progress

    results = []
    with Progress(len(args.k_eff), "simulate", unit="run") as bar:
        for k in args.k_eff:
            bar.set_postfix(f"K_eff {k:g} GPa")
            results.append(simulate(
                ocv, k, cell=args.cell, c_rate=args.c_rate, np_ratio=args.np_ratio,
                current_density_mA_cm2=args.current_density,
                capacity_limit_mAh_g=args.capacity_limit, parameters=overrides))
            bar.update()
    if args.plot:
        _plots(results, args.plot)
    summary = {"host": args.host, "cell": args.cell, "k_stop_GPa": ocv.k_stop_GPa,
               "runs": [r.summary() for r in results]}
    if args.json:
        print_json(summary)
    else:
        print(f"{args.host} ({args.cell} cell), K_stop = {ocv.k_stop_GPa} GPa")
        print(f"{'K_eff/GPa':>9} {'alloy mAh/g':>12} {'plated mAh/cm2':>15} {'min phi_a/V':>12}")
        for r in results:
            print(f"{r.k_eff_GPa:9.2f} {r.alloy_capacity_mAh_g:12.1f} "
                  f"{r.plated_capacity_mAh_cm2:15.3f} {r.min_anode_potential_V:12.4f}")
    return 0


def _plots(results, out_dir: str) -> None:
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sianode.plots.simulate import (
        plot_asymmetric_profile,
        plot_capacity_vs_k_eff,
        plot_current_split,
        plot_voltage_capacity,
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figs = {"voltage_capacity.png": lambda ax: plot_voltage_capacity(results, ax=ax),
            "capacity_vs_k_eff.png": lambda ax: plot_capacity_vs_k_eff(results, ax=ax),
            "current_split.png": lambda ax: plot_current_split(results[-1], ax=ax)}
    if results[0].cell == "asymmetric":
        figs["asymmetric_profile.png"] = lambda ax: plot_asymmetric_profile(results[-1], ax=ax)
    for name, draw in figs.items():
        fig, ax = plt.subplots(figsize=(5, 3.6))
        draw(ax)
        fig.tight_layout()
        fig.savefig(out / name, dpi=120)
        plt.close(fig)
