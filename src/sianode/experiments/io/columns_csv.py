"""Small numeric tables with named columns (XRD patterns, peak lists), through the core parser.

Each caller declares the columns it needs as ``{canonical name: (aliases...)}``; the header
is matched case-insensitively against the canonical name and its aliases, or a
``column_map`` names the file's header for a canonical name. Delimiters ``,`` TAB ``;`` are
sniffed, and whitespace-separated ``.xy``/``.xye``/``.dat`` files (with or without a
header; ``#`` comment lines skipped) are read as well: a header-less file's columns are
taken in the declared order. Every value must be a finite number; errors name the file,
the line and the column (one message set with the cycler readers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from os import PathLike

import numpy as np

from sianode.errors import FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import column_values, parse_delimited

__all__ = ["read_columns_csv", "TIME_SERIES_COLUMNS", "XRD_PATTERN_COLUMNS", "XRD_PEAK_COLUMNS"]

#: time, voltage and current of a record (BDF names accepted); kept for compatibility, the
#: analyses now read records through :func:`sianode.experiments.io.read_cycler`.
TIME_SERIES_COLUMNS: dict[str, tuple[str, ...]] = {
    "time_s": ("test_time_second", "time", "time/s", "t_s"),
    "voltage_V": ("voltage_volt", "voltage", "ewe/v", "e_v"),
    "current_A": ("current_ampere", "current", "i/a", "i_a"),
}
#: an XRD pattern.
XRD_PATTERN_COLUMNS: dict[str, tuple[str, ...]] = {
    "two_theta_deg": ("2theta", "two_theta", "2theta_deg", "angle", "2theta/deg", "2θ"),
    "intensity": ("counts", "intensity_counts", "i", "intensity/counts"),
}
#: a list of fitted peaks.
XRD_PEAK_COLUMNS: dict[str, tuple[str, ...]] = {
    "two_theta_deg": ("2theta", "two_theta", "2theta_deg", "center_deg"),
    "fwhm_deg": ("fwhm",),
}
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _table_text(src: Source) -> tuple[str, int, bool]:
    """Text without leading comment lines, the number of lines dropped, and whether the
    columns are separated by whitespace only."""
    text = src.text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    skip = 0
    while skip < len(lines) and (not lines[skip].strip() or lines[skip].lstrip().startswith("#")):
        skip += 1
    body = lines[skip:]
    first = body[0] if body else ""
    spaced = not any(d in first for d in (",", "\t", ";")) and len(first.split()) > 1
    if spaced:
        body = [",".join(x.split()) for x in body]
    return "\n".join(body), skip, spaced


def read_columns_csv(
    path: str | PathLike[str] | Source,
    columns: Mapping[str, Sequence[str]],
    *,
    optional: Mapping[str, Sequence[str]] | None = None,
    delimiter: str | None = None,
    column_map: Mapping[str, str] | None = None,
) -> dict[str, np.ndarray]:
    """Read the named numeric columns of a CSV/TSV/whitespace table.

    Parameters
    ----------
    path : str, PathLike or Source
    columns : mapping
        Required canonical names -> accepted aliases.
    optional : mapping, optional
        Columns read when present.
    delimiter : str, optional
        Default: sniffed (``,`` TAB ``;`` or whitespace).
    column_map : mapping, optional
        Canonical name -> header in the file (CLI ``--map``).

    Returns
    -------
    dict
        Canonical name -> float array (only columns found).

    Raises
    ------
    FileFormatError
        Unreadable file, missing column, wrong delimiter, short row, non-number or NaN,
        no data rows; the message names the file, line and column.

    References
    ----------
    Battery Data Format column names (Battery Data Alliance, 2024), used as aliases.
    """
    src = open_source(path)
    text, skip, _ = _table_text(src)
    if not text.strip():
        raise FileFormatError(src.path, "is empty; expected a header row and data rows")
    first = text.split("\n", 1)[0]
    fields = [x.strip() for x in re.split(r"[,;\t]", first)]
    if all(_NUMBER.match(x) for x in fields if x) and len(fields) >= len(columns):
        names = list(columns) + [f"column{k + 1}" for k in range(len(columns), len(fields))]
        text = ",".join(names) + "\n" + text
        skip -= 1
        delimiter = ","
    table, rows = parse_delimited(text, src.path, delimiter=delimiter)
    rows = rows + skip
    header = [str(c) for c in table.columns]
    lower = [h.strip().lower() for h in header]
    found: dict[str, str] = {}
    for group, required in ((columns, True), (optional or {}, False)):
        for canon, aliases in group.items():
            if column_map and canon in column_map:
                if column_map[canon] not in header:
                    raise FileFormatError(src.path, f"--map names column {column_map[canon]!r} "
                                          f"for {canon}, but the file has {header}",
                                          column=column_map[canon])
                found[canon] = column_map[canon]
                continue
            keys = [canon.lower(), *[a.lower() for a in aliases]]
            hit = next((header[lower.index(k)] for k in keys if k in lower), None)
            if hit is None and required:
                hint = " (wrong delimiter?)" if len(header) == 1 else ""
                raise FileFormatError(src.path, f"missing column {canon!r} (or "
                                      f"{', '.join(aliases)}); found {header}{hint}; name it "
                                      "with --map", row=skip + 1)
            if hit is not None:
                found[canon] = hit
    if len(table) == 0:
        raise FileFormatError(src.path, "has a header but no data rows")
    return {k: column_values(table[h], src.path, h, rows) for k, h in found.items()}
