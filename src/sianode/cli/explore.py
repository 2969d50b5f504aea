"""``sianode explore SCREEN_DIR``: one offline, interactive page over a screening folder."""

from __future__ import annotations

import argparse
from typing import Any

from sianode.cli._sources import SOURCE_HELP

COMMAND = "explore"
HELP = ("write SCREEN_DIR/explorer.html: interactive Fig. 3f map, filters, Fig. 3e curves on "
        "click, selection statistics and table (offline, self-contained)")
EXAMPLES = """\
sianode explore results/screen
sianode explore results/screen --k-eff 0 1 2 3 4 5 6 --curves-top 300 --max-curve-hosts 1500 --json
"""

_HIGHLIGHT = ("Si", "Ag", "Mg2Si", "Mg", "Ge", "Sn", "Al", "In", "Zn", "Cu", "Ti")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("screen_dir", metavar="SCREEN_DIR",
                        help="output folder of `sianode screen` (holds screen.parquet)")
    parser.add_argument("--source", default="builtin",
                        help=SOURCE_HELP + "; must be the source the screen used (its entries "
                        "give the constrained curves and data['experimental'])")
    parser.add_argument("--mp-cache", default=None, metavar="DIR",
                        help="cache directory for Materials Project responses")
    parser.add_argument("--out", default=None, metavar="FILE",
                        help="page to write [.html]; unset: SCREEN_DIR/explorer.html")
    parser.add_argument("--k-eff", nargs="+", type=float, default=[0, 1, 2, 3, 4, 5, 6],
                        metavar="GPA", help="K_eff grid of the precomputed curves [GPa]")
    parser.add_argument("--region", nargs=2, type=float, default=None, metavar=("LOW", "HIGH"),
                        help="initial region lines x*y [eV/GPa]; unset: summary.json's, else "
                        "0.35 0.55")
    parser.add_argument("--curves-all-below", type=int, default=2000, metavar="N",
                        help="precompute curves for every reacting host if there are at most "
                        "N [hosts]")
    parser.add_argument("--curves-top", type=int, default=200, metavar="N",
                        help="larger screens: curves for the top N hosts by capacity [hosts]")
    parser.add_argument("--max-curve-hosts", type=int, default=1000, metavar="N",
                        help="larger screens: at most N hosts with curves, the rest from the "
                        "region by capacity [hosts]")
    parser.add_argument("--no-curves", action="store_true",
                        help="write the page without curves (no entries are read)")
    parser.add_argument("--highlight", nargs="*", default=list(_HIGHLIGHT), metavar="FORMULA",
                        help="host formulas labelled on the map")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")


def _validate(args: argparse.Namespace) -> None:
    import math

    from sianode.errors import ParameterError
    from sianode.validation import K_EFF_GPA, check_params

    for k in args.k_eff:
        check_params({"--k-eff": k}, {"--k-eff": K_EFF_GPA})
    if args.region is not None:
        lo, hi = args.region
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo < hi):
            raise ParameterError("--region", args.region, "0 <= LOW < HIGH [eV/GPa]")
    for name in ("curves_all_below", "curves_top", "max_curve_hosts"):
        if getattr(args, name) < 0:
            raise ParameterError("--" + name.replace("_", "-"), getattr(args, name),
                                 "an integer >= 0")


def _entries(args: argparse.Namespace, df) -> Any:
    """The source's entries: a columnar EntryTable (no pymatgen) except for 'mp'."""
    if args.source != "mp":
        from sianode.materials.entries import load_entry_table

        return load_entry_table(args.source)
    from sianode.materials.mp import load_mp_entries

    kw = {"cache_dir": args.mp_cache} if args.mp_cache else {}
    seen, out = set(), []
    for cs in sorted(set(df["chemsys"].astype(str))):
        for e in load_mp_entries(sorted(set(cs.split("-")) | {"Li"}), **kw):
            if e.entry_id not in seen:
                seen.add(e.entry_id)
                out.append(e)
    return out


def run(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from sianode.cli._common import print_json
    from sianode.cli._screendir import check_same_source, read_screen_dir
    from sianode.plots.explorer import (
        check_screen_columns,
        choose_curve_hosts,
        experimental_flags,
        precompute_curves,
        write_explorer,
    )

    t0 = time.perf_counter()
    _validate(args)
    from sianode.cli._common import check_output

    out = Path(args.out) if args.out else Path(args.screen_dir) / "explorer.html"
    df, summary, manifest = read_screen_dir(args.screen_dir)
    check_output(out, "--out" if args.out else "SCREEN_DIR", suffixes=(".html", ".htm"))
    check_screen_columns(df, str(Path(args.screen_dir) / "screen.parquet"))
    region = tuple(args.region or summary.get("region_eV_per_GPa") or (0.35, 0.55))
    notes, curves, entries = [], {}, None
    if not args.no_curves:
        from sianode.thermo import LithiationEngine

        entries = _entries(args, df)
        engine = LithiationEngine(entries)
        check_same_source(df, manifest if args.source != "mp" else {}, engine, args.source,
                          args.screen_dir)
        rows, note = choose_curve_hosts(df, region, all_below=args.curves_all_below,
                                        top=args.curves_top, max_hosts=args.max_curve_hosts)
        notes.append(note)
        from tqdm.auto import tqdm

        with tqdm(total=len(rows), unit="host", desc="curves",
                  disable=args.no_progress) as bar:
            curves = precompute_curves(engine, df, rows, args.k_eff, progress=bar.update)
    else:
        notes.append("no constrained curves in this page (written with --no-curves)")
    flags, exp_note = experimental_flags(df, entries)
    notes.append(exp_note)
    if "k_stop_GPa" not in df.columns:
        notes.append("the screen ran without --stop-modulus: stop moduli are shown only for "
                     "hosts with curves")
    path = write_explorer(
        df, out, curves=curves, k_eff_GPa=args.k_eff, region_eV_per_GPa=region,
        boundary_c_eV_per_GPa=summary.get("boundary_c_eV_per_GPa"), experimental=flags,
        notes=notes, highlight=args.highlight, source=f"--source {args.source}",
        title=f"sianode explorer: {Path(args.screen_dir).resolve().name}")
    res = {"path": str(path), "size_bytes": path.stat().st_size, "n_hosts": len(df),
           "n_curves": len(curves), "k_eff_GPa": list(args.k_eff), "region_eV_per_GPa": region,
           "notes": notes, "seconds": round(time.perf_counter() - t0, 2)}
    if args.json:
        print_json(res)
        return 0
    print(f"wrote {path} ({res['size_bytes'] / 1e6:.2f} MB): {len(df)} hosts, curves for "
          f"{len(curves)} in {res['seconds']} s")
    for n in notes:
        print(f"  {n}")
    return 0
