"""``sianode analyze dqdv FILE --cell C``: differential capacity dQ/dV per cycle and half."""

from __future__ import annotations

import argparse

from sianode.cli._analyze_common import (
    add_cycler_input,
    check_numbers,
    check_output_path,
    load_cycler,
    resolve_cell,
    save_figure,
    write_csv,
)

NAME = "dqdv"
HELP = "dQ/dV of each cycle (Savitzky-Golay on capacity-interpolated data) and its plot"
EXAMPLES = """\
sianode analyze dqdv cell.mpr --cell half --cycles 1 2 5 --plot dqdv.png
sianode analyze dqdv export.csv --cell full --mass-mg 2.0 --out dqdv.csv"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_cycler_input(p)
    p.add_argument("--cycles", type=int, nargs="+", metavar="N",
                   help="cycles to differentiate [cycle]; default all")
    p.add_argument("--mass-mg", type=float, default=None,
                   help="active mass [mg]; adds dQ/dV per gram [mAh g⁻¹ V⁻¹]")
    p.add_argument("--points", type=int, default=400,
                   help="capacity and voltage grid size [points]")
    p.add_argument("--window", type=int, default=21,
                   help="Savitzky-Golay window, odd [points]")
    p.add_argument("--polyorder", type=int, default=3, help="Savitzky-Golay polynomial order")
    p.add_argument("--plot", metavar="FILE", help="write the dQ/dV figure (.png, .pdf, .svg)")
    p.add_argument("--out", metavar="FILE", help="write the dQ/dV table (.csv)")
    p.add_argument("--json", action="store_true", help="print the table as JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.dqdv import dqdv
    from sianode.validation import MASS_MG, Interval

    check_numbers({"--mass-mg": args.mass_mg, "--points": args.points,
                   "--window": args.window, "--polyorder": args.polyorder},
                  {"--mass-mg": MASS_MG, "--points": Interval(20, 1e6),
                   "--window": Interval(5, 1e6), "--polyorder": Interval(1, 5)})
    check_output_path(args.plot, "--plot")
    check_output_path(args.out, "--out", (".csv",))
    df, meta = load_cycler(args)
    cell = resolve_cell(args, meta)
    mass = args.mass_mg if args.mass_mg is not None else meta.get("mass_mg")
    table = dqdv(df, cell, cycles=args.cycles, mass_mg=mass, points=args.points,
                 window=args.window, polyorder=args.polyorder)
    if args.plot:
        from sianode.plots.cycling import plot_dqdv

        save_figure(plot_dqdv(table), args.plot)
    if args.out:
        write_csv(table, args.out)
    col = "dqdv_mAh_g_V" if "dqdv_mAh_g_V" in table else "dqdv_mAh_V"
    peaks = []
    for (c, half), sub in table.groupby(["cycle", "half"], sort=True):
        i = int(sub[col].to_numpy().argmax())
        peaks.append({"cycle": int(c), "half": half, "peak_voltage_V":
                      float(sub["voltage_V"].iloc[i]), "peak_dqdv": float(sub[col].iloc[i])})
    if args.json:
        print_json({"file": str(args.file), "cell": cell, "column": col, "peaks": peaks,
                    "skipped": table.attrs.get("skipped", []),
                    "table": table.to_dict(orient="list")})
        return 0
    unit = "mAh g⁻¹ V⁻¹" if col == "dqdv_mAh_g_V" else "mAh/V"
    print(f"{args.file}: dQ/dV of {len(peaks)} half cycles (cell {cell}; Savitzky-Golay "
          f"window {args.window}, order {args.polyorder}, {args.points} points)")
    print(f"  cycle  half           main peak [V]   dQ/dV [{unit}]")
    for p in peaks:
        print(f"  {p['cycle']:5d}  {p['half']:<13}  {p['peak_voltage_V']:13.4f}   "
              f"{p['peak_dqdv']:.5g}")
    if table.attrs.get("skipped"):
        print(f"  too short to differentiate: {', '.join(table.attrs['skipped'])}")
    return 0
