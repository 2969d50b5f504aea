"""``sianode simulate``: galvanostatic alloying vs Li plating of a host at several K_eff."""

from __future__ import annotations

import argparse

COMMAND = "simulate"
EXAMPLES = """\
examples:
  sianode simulate --host Si --k-eff 0 3 5.5 --plot figs/
  sianode simulate --cell asymmetric --k-eff 3 --current-density 0.2 --plot figs/ --json
  sianode simulate --k-eff 4 --solver pybamm --json
"""
HELP = "simulate alloying vs Li plating in a full or asymmetric cell at several K_eff"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="Si", help="host formula (a Li-Si-type alloy host)")
    p.add_argument("--k-eff", type=float, nargs="+", default=[0.0, 3.0, 5.5],
                   metavar="GPA", help="effective constriction moduli [GPa]")
    p.add_argument("--c-rate", type=float, default=0.5,
                   help="C-rate of the cathode (full cell) or of the host's nominal capacity "
                        "(asymmetric cell), in (0, 100] [1/h]")
    p.add_argument("--current-density", type=float, default=None, metavar="MA_CM2",
                   help="current density, in (0, 1000]; overrides --c-rate [mA/cm²]")
    p.add_argument("--np", type=float, default=None, dest="np_ratio",
                   help="nominal N/P capacity ratio of a full cell [-] (if not given: 1.5, "
                        "seed 001)")
    p.add_argument("--host-loading", type=float, default=None, metavar="MG_CM2",
                   help="host loading of an asymmetric cell, in (0, 1000] [mg/cm²] (if not "
                        "given: 1)")
    p.add_argument("--cell", choices=("full", "asymmetric"), default="full",
                   help="full cell against NMC, or asymmetric host | SE | Li cell (seed 001 "
                        "Fig. 1a)")
    p.add_argument("--capacity-limit", type=float, default=None, metavar="MAH_G",
                   help="stop lithiation at this charge per host mass [mAh/g]")
    p.add_argument("--source", default="builtin",
                   help="where entries come from: 'builtin' or an entries file "
                        "(.json/.json.gz/.csv/.parquet; see 'sianode screen --help')")
    p.add_argument("--plot", default=None, metavar="DIR",
                   help="write voltage_capacity.png, capacity_vs_k_eff.png, current_split.png "
                        "(and asymmetric_profile.png) into DIR")
    p.add_argument("--solver", choices=("native", "pybamm"), default="native",
                   help="integrate the cell model natively (fast start, no PyBaMM import) or "
                        "as a PyBaMM model with its IDAKLU solver (same equations; the "
                        "cross-check)")
    p.add_argument("--json", action="store_true", help="print the runs as JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cell.simulate import alloy_ocv_from_thermo, simulate
    from sianode.cli._common import print_json
    from sianode.materials.entries import load_entry_table

    _check_inputs(args)
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
                capacity_limit_mAh_g=args.capacity_limit, parameters=overrides,
                solver=args.solver))
            bar.update()
    figures = _plots(results, args.plot, ocv) if args.plot else []
    summary = {"host": args.host, "cell": args.cell, "k_stop_GPa": ocv.k_stop_GPa,
               "runs": [r.summary() for r in results], "figures": figures}
    if args.json:
        print_json(summary)
        return 0
    from sianode.plots.simulate import capacity_text

    asym = args.cell == "asymmetric"
    print(f"{args.host} ({args.cell} cell), K_stop = {ocv.k_stop_GPa} GPa")
    print(f"{'K_eff/GPa':>9} {'alloy mAh/g':>12} {'plated mAh/cm2':>15} {'min phi_a/V':>12}"
          + (f" {'above 0 V mAh/g':>16}" if asym else ""))
    for r in results:
        print(f"{r.k_eff_GPa:9.2f} {capacity_text(r.alloy_capacity_mAh_g):>12} "
              f"{r.plated_capacity_mAh_cm2:15.3f} {r.min_anode_potential_V:12.4f}"
              + (f" {capacity_text(r.capacity_above_0V_mAh_g):>16}" if asym else ""))
    for path in figures:
        print(f"wrote {path}")
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
    if args.source not in ("builtin", "builtin+hypothetical", "mp"):
        check_input_file(args.source, "--source")
    check_output(args.plot, "--plot", kind="dir")


def _plots(results, out_dir: str, ocv) -> list[str]:
    """Write the figures of a run into ``out_dir``; returns their paths."""
    from pathlib import Path

    from sianode.plots.simulate import (
        plot_asymmetric_profile,
        plot_capacity_vs_k_eff,
        plot_current_split,
        plot_voltage_capacity,
    )
    from sianode.plots.style import save

    out = Path(out_dir)
    figs = {"voltage_capacity.png": lambda: plot_voltage_capacity(results),
            "capacity_vs_k_eff.png": lambda: plot_capacity_vs_k_eff(results, ocv=ocv),
            "current_split.png": lambda: plot_current_split(results[-1])}
    if results[0].cell == "asymmetric":
        figs["asymmetric_profile.png"] = lambda: plot_asymmetric_profile(results[-1])
    return [str(save(draw().figure, out / name)) for name, draw in figs.items()]
