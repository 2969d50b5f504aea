"""Shared pieces of the ``sianode analyze`` subcommands (not a subcommand itself).

- the cycler-file input every time-series analysis takes (``FILE --format --map --scale``),
  read through :func:`sianode.experiments.io.read_cycler` into the BDF frame;
- up-front checks of numbers and output paths, so a bad option fails in well under a second
  with one line naming it, before any file is read or any fit runs.

Output paths go through the package's one check, :func:`sianode.validation.check_output_path`
(via :func:`sianode.cli._common.check_output`); missing parent folders are created on write.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable

__all__ = ["FORMATS", "CELLS", "FIGURE_EXTENSIONS", "add_cycler_input", "load_cycler",
           "resolve_cell", "check_output_path", "check_numbers", "parse_pairs", "save_figure",
           "write_csv"]

FORMATS = ("auto", "arbin", "land", "neware", "biologic", "csv", "parquet")
CELLS = ("full", "half", "symmetric", "asymmetric")
FIGURE_EXTENSIONS = (".png", ".pdf", ".svg")
_BDF_HELP = ("test_time_second, voltage_volt, current_ampere, cycle_count, step_index, "
             "charging_capacity_ah, ...")


def add_cycler_input(p: argparse.ArgumentParser, *, cell: bool = True,
                     cells: tuple[str, ...] = CELLS, file_help: str | None = None) -> None:
    """``FILE``, ``--format``, ``--map``, ``--scale`` (and ``--cell``) of a cycler file."""
    p.add_argument("file", metavar="FILE", help=file_help or "cycler file: Arbin CSV/XLSX/.res, "
                   "LAND XLSX/CSV, Neware .nda/.ndax/BTSDA CSV, BioLogic .mpt/.mpr, BDF CSV "
                   "(machine names or 'Quantity / unit' labels), Parquet")
    p.add_argument("--format", default="auto", choices=FORMATS,
                   help="file format; auto detects it from the bytes, extension and header")
    p.add_argument("--map", action="append", default=[], metavar="BDF=HEADER",
                   help=f"column of the file for a BDF column ({_BDF_HELP}), e.g. "
                   "current_ampere='I [mA]'; repeat for each; implies --format csv")
    p.add_argument("--scale", action="append", default=[], metavar="BDF=FACTOR",
                   help="multiply a column to convert units, e.g. current_ampere=1e-3 for mA, "
                   "current_ampere=-1 to flip the sign [factor]")
    if cell:
        p.add_argument("--cell", choices=cells, default=None,
                       help="cell type: decides which current sign lithiates the working "
                       "electrode (required unless stored in a Parquet file's metadata)")


def parse_pairs(items: Iterable[str], option: str, cast) -> dict:
    """``NAME=VALUE`` strings -> dict (ParameterError naming ``option`` on a bad item)."""
    from sianode.errors import ParameterError

    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ParameterError(option, item, "NAME=VALUE")
        try:
            v = cast(value.strip().strip("'\""))
        except ValueError:
            raise ParameterError(option, item, "NAME=NUMBER") from None
        if isinstance(v, float) and (not math.isfinite(v) or v == 0):
            raise ParameterError(option, item, "NAME=a finite non-zero number")
        out[key.strip()] = v
    return out


def check_numbers(values: dict, constraints: dict) -> None:
    """Check CLI numbers (``{"--mass-mg": value}``) against constraints; None is skipped."""
    from sianode.validation import check_params

    check_params({k: v for k, v in values.items() if v is not None}, constraints)


def check_output_path(path: str | None, option: str,
                      extensions: tuple[str, ...] = FIGURE_EXTENSIONS) -> None:
    """Refuse an output path that cannot be written, before any work (None: not given).

    :func:`sianode.validation.check_output_path` with ``extensions`` as the accepted suffixes.

    Raises
    ------
    PathError
        A folder where a file is expected, an unsupported extension, a parent that is a file,
        or a folder that is not writable.
    """
    from sianode.cli._common import check_output

    check_output(path, option, kind="file", suffixes=extensions)


def save_figure(ax, path: str) -> None:
    """Save the figure of ``ax`` atomically (300 dpi PNG, or PDF/SVG by extension), creating
    missing folders, without touching pyplot state (:func:`sianode.plots.style.save`)."""
    from sianode.plots.style import save

    save(ax.figure, path)


def write_csv(table, path: str) -> None:
    """Write a DataFrame as CSV atomically, creating missing folders."""
    from sianode.atomic import write_text

    write_text(path, table.to_csv(index=False))


def resolve_cell(args: argparse.Namespace, metadata: dict) -> str:
    """``--cell`` or the cell stored in a Parquet file's metadata."""
    from sianode.errors import MissingMetadataError

    cell = getattr(args, "cell", None) or metadata.get("cell")
    if cell is None:
        raise MissingMetadataError(
            "--cell is needed (full, half, symmetric or asymmetric): it decides whether "
            "positive current lithiates or delithiates the working electrode")
    return str(cell)


def load_cycler(args: argparse.Namespace) -> tuple:
    """Read ``args.file`` into the BDF frame; returns ``(frame, parquet metadata)``.

    ``--map`` implies ``--format csv``; ``--scale`` applies to any format (after reading).
    """
    import numpy as np

    from sianode.errors import ParameterError
    from sianode.experiments.io import open_source, read_cycler, read_parquet_metadata
    from sianode.experiments.schema import BDF_COLUMNS

    mapping = parse_pairs(getattr(args, "map", []), "--map", str)
    scale = parse_pairs(getattr(args, "scale", []), "--scale", float)
    for key in (*mapping, *scale):
        if key not in BDF_COLUMNS:
            opt = "--map" if key in mapping else "--scale"
            raise ParameterError(opt, key, f"a BDF column name ({', '.join(BDF_COLUMNS)})")
    fmt = args.format
    if mapping and fmt == "auto":
        fmt = "csv"
    src = open_source(args.file)
    kwargs = {"column_map": mapping} if fmt == "csv" and mapping else {}
    df = read_cycler(src, fmt, **kwargs)
    for key, factor in scale.items():
        if key not in df.columns:
            raise ParameterError("--scale", key, f"a column of the file ({list(df.columns)})")
        df[key] = df[key].to_numpy(dtype=float) * factor
        if key == "test_time_second" and factor < 0:
            raise ParameterError("--scale", f"{key}={factor}", "a positive factor for time")
    if "test_time_second" in scale:
        df["test_time_second"] = np.asarray(df["test_time_second"], dtype=float)
    meta = read_parquet_metadata(src) if fmt == "parquet" or src.kind == "parquet" else {}
    return df, meta
