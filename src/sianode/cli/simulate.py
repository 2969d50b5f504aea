"""``sianode simulate``: galvanostatic alloying vs Li plating of a host at several K_eff."""

from __future__ import annotations

import argparse

COMMAND = "simulate"
HELP = "simulate alloying vs Li plating in a full or asymmetric cell at several K_eff"


EXAMPLES = """\
  sianode simulate --host Si --k-eff 0 3 5.5 --c-rate 0.5
  sianode simulate --cell asymmetric --host-loading 1 --k-eff 0 5.5 --plot figures/ --json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="Si", help="host formula (default Si)")
    p.add_argument("--k-eff", type=float, nargs="+", default=[0.0, 3.0, 5.5],
                   metavar="GPA", help="effective constriction moduli, 0 to 500 [GPa]")
    p.add_argument("--c-rate", type=float, default=0.5,
                   help="C-rate of the cathode (full) or of the host's nominal capacity, "
                        "in (0, 100] [1/h]")
    p.add_argument("--current-density", type=float, default=None, metavar="MA_CM2",
                   help="current density, in (0, 1000]; overrides --c-rate [mA/cm2]")
    p.add_argument("--np", type=float, default=None, dest="np_ratio",
                   help="nominal N/P of a full cell (default 1.5, seed 001) [-]")
    p.add_argument("--host-loading", type=float, default=None, metavar="MG_CM2",
                   help="host loading of an asymmetric cell, in (0, 1000] (default 1) "
                        "[mg/cm2]")
    p.add_argument("--cell", choices=("full", "asymmetric"), default="full")
    p.add_argument("--capacity-limit", type=float, default=None, metavar="MAH_G",
                   help="stop lithiation at this charge per host mass, in (0, 10000] [mAh/g]")
    p.add_argument("--source", default="builtin",
                   help="'builtin' or an entries file (.json/.json.gz/.jsonl/.csv/.parquet)")
    p.add_argument("--plot", default=None, metavar="DIR",
                   help="folder to write PNG figures into (created if missing)")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sianode.cell.simulate import alloy_ocv_from_thermo, simulate
    from sianode.cli._common import print_json
    from sianode.materials import load_entries
    _check_inputs(args)
    entries = load_entries(args.source)
    ocv = alloy_ocv_from_thermo(args.host, entries)
    overrides = ({"Host loading [mg.cm-2]": args.host_loading}
                 if args.host_loading is not None else None)
    results = []
    for k in tqdm(args.k_eff, desc="simulate", unit="run", disable=None):
        results.append(simulate(
            ocv, k, cell=args.cell, c_rate=args.c_rate, np_ratio=args.np_ratio,
            current_density_mA_cm2=args.current_density,
            capacity_limit_mAh_g=args.capacity_limit, parameters=overrides))
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


def _check_inputs(args: argparse.Namespace) -> None:
    """Every option, the host formula, the entries file and the figure folder, up front."""
    from sianode.cli._common import check_output
    from sianode.errors import ParameterError
    from sianode.materials.entries import parse_formula
    from sianode.validation import (
        C_RATE,
        CURRENT_DENSITY_MA_CM2,
        K_EFF_GPA,
        LOADING_MG_CM2,
        SPECIFIC_CAPACITY_MAH_G,
        Interval,
        check_input_file,
        check_params,
    )

    check_params({"--k-eff": args.k_eff, "--c-rate": args.c_rate, "--np": args.np_ratio,
                  "--current-density": args.current_density, "--host-loading": args.host_loading,
                  "--capacity-limit": args.capacity_limit},
                 {"--k-eff": K_EFF_GPA, "--c-rate": C_RATE,
                  "--np": Interval(0.0, 1000.0, left_closed=False, reason="N/P ratio"),
                  "--current-density": CURRENT_DENSITY_MA_CM2, "--host-loading": LOADING_MG_CM2,
                  "--capacity-limit": SPECIFIC_CAPACITY_MAH_G})
    if args.host_loading is not None and args.cell != "asymmetric":
        raise ParameterError("--host-loading", args.host_loading, "only with --cell asymmetric")
    if args.np_ratio is not None and args.cell != "full":
        raise ParameterError("--np", args.np_ratio, "only with --cell full")
    elements = parse_formula(args.host, where="--host")
    if set(elements) <= {"Li"}:
        raise ParameterError("--host", args.host, "a host formula with an element other than "
                             "Li (Li metal is the Li source, not a host)")
    if args.source not in ("builtin", "mp"):
        check_input_file(args.source, "--source")
    check_output(args.plot, "--plot", kind="dir")


def _plots(results, out_dir: str) -> None:
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sianode.cli._common import save_figure
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
        save_figure(fig, out / name, dpi=120)
        plt.close(fig)
