"""``sianode screen``: high-throughput constriction screening of a source (seed 001 Fig. 3f)."""

from __future__ import annotations

import argparse

from sianode.cli._parallel import add_backend_arguments, backend_from_args
from sianode.cli._sources import add_source_argument

COMMAND = "screen"
HELP = "screen every host of a source: voltage vs n/K_crit map, boundary region statistics"

#: Largest accepted --max-band-gap [eV] (LiF, among the widest band gaps, has 13.6 eV).
BAND_GAP_MAX_EV = 20.0

HIGHLIGHT = ("Si", "Ag", "Mg2Si", "Mg", "Ge", "Sn", "Al", "In", "Zn", "Cu", "Ti")

#: What ``--source FILE`` may be; the table columns are those of
#: :data:`sianode.materials.entries.TABLE_COLUMNS` (a test keeps the two in step).
SOURCE_FILE_HELP = """\
--source FILE: a pymatgen entry JSON (.json/.json.gz: a list of ComputedEntry or
ComputedStructureEntry dicts; entries without a structure need data["volume_A3"]), or a
table (.csv/.parquet), one row per entry, with the columns
  id                  unique entry id (text)
  formula             formula of the row's cell or formula unit, e.g. Li15Si4
  energy_eV           total energy of that formula [eV], MP2020-compatible, or
  energy_per_atom_eV  energy per atom [eV/atom]
  volume_A3           volume of that formula [Å³], or
  volume_per_atom_A3  volume per atom [Å³/atom]
  band_gap_eV         optional band gap [eV] (used by --max-band-gap)
Every element of a host needs its elemental entry, and Li needs Li metal."""

EXAMPLES = """\
examples:
  sianode screen --source builtin --out results/screen
  sianode screen --source entries.parquet --out scr --jobs 2 --region 0.35 0.55 --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = f"{HELP} (seed 001 Fig. 3f).\n\n{SOURCE_FILE_HELP}"
    add_source_argument(parser)
    parser.add_argument("--chemsys", nargs="+", metavar="ELEMENTS",
                        help="with --source mp: chemical systems to fetch, e.g. Si Mg-Si Ag (Li is added)")
    parser.add_argument("--all", action="store_true", dest="mp_all",
                        help="with --source mp: every Materials Project entry (paged, cached "
                             "as Parquet, an interrupted download resumes)")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="output folder: screen.parquet, parts/ (resumable batches), summary.json, "
                         "fig3f_map.png/.html, region_elements.png, region_pairs.png")
    parser.add_argument("--jobs", type=int, default=1, help="local worker processes [count]")
    parser.add_argument("--batch-hosts", type=int, default=2000,
                        help="hosts per resumable batch written to parts/ [count]")
    parser.add_argument("--voltage-window", nargs=2, type=float, default=(0.0, 1.0),
                        metavar=("LOW", "HIGH"),
                        help="keep hosts whose 0 V lithiation voltage is in this window [V]")
    parser.add_argument("--capacity-window", nargs=2, type=float, default=(0.0, 10000.0),
                        metavar=("LOW", "HIGH"),
                        help="keep hosts whose capacity is in this window [mAh/g host]")
    parser.add_argument("--max-band-gap", type=float, default=None, metavar="EV",
                        help="keep hosts with band gap below this where known [eV]")
    parser.add_argument("--region", nargs=2, type=float, default=(0.35, 0.55),
                        metavar=("LOW", "HIGH"),
                        help="boundary region between the map's dashed lines, x*y = n U / K_crit "
                        "[eV/GPa] (seed 001: 0.35 0.55)")
    parser.add_argument("--stop-modulus", action="store_true",
                        help="also compute the stop modulus of every host (slower)")
    parser.add_argument("--k-eff", nargs="+", type=float, default=[], metavar="GPA",
                        help="also the 0 V capacity of every host under these effective "
                        "moduli, one column each [GPa]")
    parser.add_argument("--highlight", nargs="*", default=list(HIGHLIGHT),
                        help="host formulas to name on the map (none: --highlight with no value)")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar on stderr")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_backend_arguments(parser)


def _check(args: argparse.Namespace) -> list[float]:
    """Every argument, before any data is read."""
    import math

    from sianode.cli._sources import check_k_eff, check_output_dir, check_source
    from sianode.errors import InputError, ParameterError

    check_output_dir(args.out, "--out")
    check_source(args.source)
    if args.mp_all and (args.source != "mp" or args.chemsys):
        raise InputError("--all goes with --source mp and without --chemsys")
    if args.source == "mp" and not args.chemsys and not args.mp_all:
        raise InputError("--source mp needs --chemsys (element sets to fetch) or --all")
    for name, value in (("--jobs", args.jobs), ("--batch-hosts", args.batch_hosts)):
        if value < 1:
            raise ParameterError(name, value, "an integer >= 1")
    for name, (lo, hi) in (("--voltage-window", args.voltage_window),
                           ("--capacity-window", args.capacity_window),
                           ("--region", args.region)):
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ParameterError(name, [lo, hi], "finite LOW < HIGH")
    if args.region[0] < 0:
        raise ParameterError("--region", list(args.region), "0 <= LOW < HIGH [eV/GPa]")
    if args.max_band_gap is not None and not (math.isfinite(args.max_band_gap)
                                              and 0 <= args.max_band_gap <= BAND_GAP_MAX_EV):
        raise ParameterError("--max-band-gap", args.max_band_gap,
                             f"a finite number in [0, {BAND_GAP_MAX_EV:g}] [eV] (LiF, among "
                             "the widest gaps, has 13.6 eV)")
    return check_k_eff(args.k_eff) if args.k_eff else []


def run(args: argparse.Namespace) -> int:
    k_grid = _check(args)
    import json
    from pathlib import Path

    from sianode.cli._common import print_json, to_jsonable
    from sianode.errors import InputError
    from sianode.thermo.boundary import ScreenFilter, boundary_summary
    from sianode.thermo.screen import screen

    if args.mp_all and (args.source != "mp" or args.chemsys):
        raise InputError("--all goes with --source mp and without --chemsys")
    if args.mp_all:
        import sys

        from sianode.materials.mp import load_mp_table, usable_rows
        from sianode.thermo.system import EntryTable

        kw = {"cache_dir": args.mp_cache} if args.mp_cache else {}
        table, n_out = usable_rows(load_mp_table(progress=not args.no_progress, **kw))
        if n_out:
            print(f"note: {n_out} Materials Project materials have no GGA/GGA+U energy and "
                  "are not screened", file=sys.stderr)
        entries = EntryTable.from_frame(table, source="Materials Project")
    elif args.source == "mp":
        if not args.chemsys:
            raise InputError("--source mp needs --chemsys (element sets to fetch) or --all")
        kw = {"cache_dir": args.mp_cache} if args.mp_cache else {}
        from sianode.materials.mp import load_mp_entries

        entries = []
        seen = set()
        for cs in args.chemsys:
            for e in load_mp_entries(sorted(set(cs.split("-")) | {"Li"}), **kw):
                if e.entry_id not in seen:
                    seen.add(e.entry_id)
                    entries.append(e)
    else:
        from sianode.materials.entries import load_entry_table

        entries = load_entry_table(args.source)
    flt = ScreenFilter(tuple(args.voltage_window), tuple(args.capacity_window),
                       args.max_band_gap)
    with backend_from_args(args, args.jobs) as backend:
        df = screen(entries, out_dir=args.out, n_jobs=args.jobs, batch_hosts=args.batch_hosts,
                    stop_modulus=args.stop_modulus, k_eff_GPa=k_grid,
                    progress=not args.no_progress,
                    scheduler=backend if backend.kind == "dask" else None)
    summary = boundary_summary(df, flt, tuple(args.region))
    out = Path(args.out)
    tmp = out / ".summary.json.tmp"
    tmp.write_text(json.dumps(to_jsonable(summary), indent=1))
    tmp.replace(out / "summary.json")

    from sianode.plots.thermo import (
        plot_element_frequencies,
        plot_pair_cooccurrence,
        plot_screen_map,
        save,
        screen_label_offsets,
        screen_map_html,
        screen_map_rows,
    )

    # the windowed hosts, plus highlighted hosts that take up no Li (named under the map)
    sel = screen_map_rows(df, flt, args.highlight)
    region = tuple(args.region)
    ax = plot_screen_map(sel, region, summary["boundary_c_eV_per_GPa"], args.highlight)
    offsets = screen_label_offsets(ax)
    figs = [save(ax.figure, out / "fig3f_map.png")]
    figs.append(screen_map_html(sel, out / "fig3f_map.html", region,
                                summary["boundary_c_eV_per_GPa"], args.highlight, offsets))
    if summary["top_elements"]:
        figs.append(save(plot_element_frequencies(
            summary["top_elements"], region=region, n_hosts=summary["n_in_region"]).figure,
            out / "region_elements.png"))
    if summary["top_pairs"]:
        figs.append(save(plot_pair_cooccurrence(summary["top_pairs"],
                                                max_band_gap_eV=1.5).figure,
                         out / "region_pairs.png"))
    summary["table"] = str(out / "screen.parquet")
    summary["figures"] = [str(f) for f in figs]
    if args.json:
        print_json(summary)
        return 0
    print(f"screened {summary['n_hosts']} hosts: {summary['n_reacting']} react with Li, "
          f"{summary['n_in_window']} in the windows, {summary['n_errors']} errors")
    print(f"reciprocal boundary y = c/x with c = {summary['boundary_c_eV_per_GPa']:.3f} eV/GPa "
          f"({summary['boundary_share_below']:.0%} of the windowed hosts on or below it)")
    print(f"{summary['n_in_region']} hosts with {args.region[0]} <= x*y <= {args.region[1]} "
          "eV/GPa; most frequent elements there: "
          + ", ".join(f"{e} ({n})" for e, n in summary["top_elements"]))
    print(f"table: {summary['table']}; figures: {', '.join(summary['figures'])}")
    return 0
