"""``sianode cell STACK.toml``: areal capacity, energy, mass, Wh/kg and Wh/L of a cell stack."""

from __future__ import annotations

import argparse

COMMAND = "cell"
HELP = "areal capacity/energy/mass, Wh/kg and Wh/L of a layer stack (TOML)"

EXAMPLES = """\
The stack file lists [[layers]] (cathode, separator, anode, current_collector, li_metal,
interlayer, packaging, other) with thickness_um, density_g_cm3, porosity, areal_mass_mg_cm2,
active_loading_mg_cm2, active_fraction, specific_capacity_mAh_g, average_voltage_V, counted.
Examples ship in examples/stacks/ (seed 001: examples/stacks/ye2024_pouch.toml).

examples:
  sianode cell examples/stacks/ye2024_pouch.toml
  sianode cell examples/stacks/ye2024_pouch.toml --json --plot breakdown.png
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("stack", help="stack specification (.toml), see the layer keys below")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--plot", metavar="FILE",
                        help="write the per-layer areal-mass breakdown to FILE "
                             "(.png at 300 dpi, .pdf or .svg)")
    parser.add_argument("--plot-kind", choices=("bar", "pie"), default="bar",
                        help="breakdown figure: bars [mg/cm²] or a pie of mass fractions")


def run(args: argparse.Namespace) -> int:
    from sianode.cell import evaluate_stack, load_stack
    from sianode.cli._common import check_figure, print_json

    check_figure(args.plot, "--plot")  # before any work: writable, a figure extension
    report = evaluate_stack(load_stack(args.stack))
    out = report.as_dict()
    if args.plot:
        from sianode.plots.cell import plot_stack_breakdown
        from sianode.plots.style import save

        out["figure"] = str(save(plot_stack_breakdown(report, kind=args.plot_kind).figure,
                                 args.plot))
    if args.json:
        print_json(out)
        return 0
    print(f"{report.name}")
    print(f"  areal capacity   {report.areal_capacity_mAh_cm2:8.3f} mAh/cm²")
    print(f"  areal energy     {report.areal_energy_mWh_cm2:8.3f} mWh/cm²")
    print(f"  areal mass       {report.areal_mass_mg_cm2:8.3f} mg/cm² (counted layers)")
    print(f"  specific energy  {report.specific_energy_Wh_kg:8.1f} Wh/kg")
    if report.energy_density_Wh_L is not None:
        print(f"  energy density   {report.energy_density_Wh_L:8.1f} Wh/L")
    if report.np_ratio is not None:
        print(f"  N/P              {report.np_ratio:8.3f}")
    print("  layers:")
    for row in report.layers:
        flag = "" if row.counted else "  (not counted)"
        t = f"{row.thickness_um:7.2f} µm" if row.thickness_um is not None else "       -  "
        print(f"    {row.name:<48s} {row.areal_mass_mg_cm2:8.3f} mg/cm² {t} "
              f"{100 * row.mass_fraction:5.1f} %{flag}")
    if args.plot:
        print(f"wrote {out['figure']}")
    return 0
