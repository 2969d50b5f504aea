"""``sianode analyze cycling FILE``: capacities, CE, ICE, retention and rates of one file."""

from __future__ import annotations

import argparse

NAME = "cycling"
HELP = "per-cycle capacities, CE, ICE, retention, CE mean ± std and rate table of a cycler file"
FORMATS = ("auto", "arbin", "land", "neware", "biologic", "csv", "parquet")
CELLS = ("full", "half", "symmetric", "asymmetric")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="cycler export (Arbin, LAND, Neware, "
                   "BioLogic, BDF-named CSV, Parquet)")
    p.add_argument("--format", default="auto", choices=FORMATS, help="file format (default auto)")
    p.add_argument("--map", action="append", default=[], metavar="BDF=HEADER",
                   help="for --format csv: the file's header for a BDF column, e.g. "
                   "current_ampere='I [mA]' (repeat)")
    p.add_argument("--scale", action="append", default=[], metavar="BDF=FACTOR",
                   help="for --format csv: unit factor, e.g. current_ampere=1e-3 (repeat)")
    p.add_argument("--cell", choices=CELLS, default=None,
                   help="cell type; decides which current sign lithiates the working electrode "
                   "(required unless stored in a Parquet file's metadata)")
    p.add_argument("--mass-mg", type=float, default=None, help="active mass [mg] (never defaulted)")
    p.add_argument("--area-cm2", type=float, default=None, help="electrode area [cm²]")
    p.add_argument("--ce-window", type=int, nargs=2, metavar=("FIRST", "LAST"), default=None,
                   help="inclusive cycle window for CE mean ± std (default 2..last)")
    p.add_argument("--reference-cycle", type=int, default=1,
                   help="cycle taken as 100 %% capacity (default 1)")
    p.add_argument("--threshold", type=float, default=0.8,
                   help="retention threshold for cycles_to_80_percent (default 0.8)")
    p.add_argument("--plot", metavar="FILE", default=None, help="write capacity/CE figure")
    p.add_argument("--json", action="store_true", help="print JSON")


def resolve_cell(args: argparse.Namespace, metadata: dict) -> str:
    from sianode.errors import MissingMetadataError

    cell = args.cell or metadata.get("cell")
    if cell is None:
        raise MissingMetadataError(
            "--cell is needed (full, half, symmetric or asymmetric): it decides whether "
            "positive current lithiates or delithiates the working electrode")
    return str(cell)


def _pairs(items: list[str], option: str, cast) -> dict:
    from sianode.errors import ParameterError

    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(option, item, "BDF_NAME=VALUE")
        try:
            out[key.strip()] = cast(value.strip())
        except ValueError:
            raise ParameterError(option, item, "BDF_NAME=NUMBER") from None
    return out


def load(args: argparse.Namespace) -> tuple:
    """Read FILE and its stored metadata (Parquet files carry cell, mass, area)."""
    from pathlib import Path

    from sianode.experiments.io import detect_format, read_cycler, read_parquet_metadata

    fmt = args.format
    mapping = _pairs(getattr(args, "map", []), "--map", str)
    scale = _pairs(getattr(args, "scale", []), "--scale", float)
    if (mapping or scale) and fmt == "auto":
        fmt = "csv"
    if fmt == "auto" and Path(args.file).is_file():
        fmt = detect_format(args.file)
    kwargs = {}
    if fmt == "csv":
        if mapping:
            kwargs["column_map"] = {**{c: c for c in ("test_time_second", "voltage_volt",
                                                      "current_ampere")}, **mapping}
        if scale:
            kwargs["scale"] = scale
    df = read_cycler(args.file, fmt, **kwargs)
    meta = read_parquet_metadata(args.file) if fmt == "parquet" else {}
    return df, meta


def run(args: argparse.Namespace) -> int:
    from sianode.cli._common import print_json
    from sianode.experiments.cycling import analyze_cycling

    df, meta = load(args)
    cell = resolve_cell(args, meta)
    mass = args.mass_mg if args.mass_mg is not None else meta.get("mass_mg")
    area = args.area_cm2 if args.area_cm2 is not None else meta.get("area_cm2")
    result = analyze_cycling(
        df, cell, mass_mg=mass, area_cm2=area,
        ce_window=tuple(args.ce_window) if args.ce_window else None,
        reference_cycle=args.reference_cycle, threshold=args.threshold)
    result["file"] = str(args.file)
    if args.plot:
        import pandas as pd

        from sianode.plots.cycling import plot_capacity_ce

        ax = plot_capacity_ce(pd.DataFrame(result["cycles"]))
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot)
        result["plot"] = str(args.plot)
    if args.json:
        print_json(result)
        return 0
    print(f"{'cycle':>5} {'lith mAh':>10} {'delith mAh':>10} {'CE %':>8} {'retention %':>11}")
    for c in result["cycles"]:
        print(f"{c['cycle']:>5} {c['lithiation_capacity_mAh']:>10.4f} "
              f"{c['delithiation_capacity_mAh']:>10.4f} {100 * c['coulombic_efficiency']:>8.3f} "
              f"{100 * c['retention']:>11.2f}")
    w = result["ce_window"]
    print(f"ICE = {100 * result['initial_coulombic_efficiency']:.2f} %; CE cycles {w[0]}-{w[1]} "
          f"= {100 * result['ce_mean']:.3f} ± {100 * result['ce_std']:.3f} %; cycles to "
          f"{100 * result['retention_threshold']:.0f} % of cycle "
          f"{result['retention_reference_cycle']}: {result['cycles_to_80_percent']}")
    return 0
