"""Small numeric CSV tables with named columns (PITT/GITT records, XRD patterns, peak lists).

Each analysis declares the columns it needs as ``{canonical name: (aliases...)}``; the
header is matched case-insensitively against the canonical name and its aliases (e.g.
``time_s`` also accepts the Battery Data Format name ``test_time_second``). Every value
must be a finite number; errors name the file, the line and the column.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path

import numpy as np

from sianode.errors import FileFormatError

__all__ = ["read_columns_csv", "TIME_SERIES_COLUMNS", "XRD_PATTERN_COLUMNS", "XRD_PEAK_COLUMNS"]

#: time, voltage and current of a PITT/GITT record (BDF names accepted).
TIME_SERIES_COLUMNS: dict[str, tuple[str, ...]] = {
    "time_s": ("test_time_second", "time", "time/s", "t_s"),
    "voltage_V": ("voltage_volt", "voltage", "ewe/v", "e_v"),
    "current_A": ("current_ampere", "current", "i/a", "i_a"),
}
#: an XRD pattern.
XRD_PATTERN_COLUMNS: dict[str, tuple[str, ...]] = {
    "two_theta_deg": ("2theta", "two_theta", "2theta_deg", "angle"),
    "intensity": ("counts", "intensity_counts", "i"),
}
#: a list of fitted peaks.
XRD_PEAK_COLUMNS: dict[str, tuple[str, ...]] = {
    "two_theta_deg": ("2theta", "two_theta", "2theta_deg", "center_deg"),
    "fwhm_deg": ("fwhm",),
}


def read_columns_csv(
    path: str | PathLike[str],
    columns: Mapping[str, Sequence[str]],
    *,
    optional: Mapping[str, Sequence[str]] | None = None,
    delimiter: str = ",",
) -> dict[str, np.ndarray]:
    """Read the named numeric columns of a CSV file.

    Parameters
    ----------
    path : str or PathLike
    columns : mapping
        Required canonical names -> accepted aliases.
    optional : mapping, optional
        Columns read when present.
    delimiter : str
        One character.

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
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise FileFormatError(path, f"cannot be read ({exc.strerror or exc})") from exc
    rows = []
    for i, line in enumerate(text.splitlines()):
        try:
            fields = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error as exc:
            raise FileFormatError(path, f"not valid CSV ({exc})", row=i + 1) from None
        if any(c.strip() for c in fields) and not line.lstrip().startswith("#"):
            rows.append((i + 1, fields))
    if not rows:
        raise FileFormatError(path, "is empty; expected a header row and data rows")
    hline, header = rows[0]
    names = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for group, required in ((columns, True), (optional or {}, False)):
        for canon, aliases in group.items():
            keys = [canon.lower(), *[a.lower() for a in aliases]]
            hit = next((names.index(k) for k in keys if k in names), None)
            if hit is None and required:
                hint = " (wrong delimiter?)" if len(header) == 1 else ""
                raise FileFormatError(path, f"missing column {canon!r} (or {', '.join(aliases)})"
                                      f"; found {header}{hint}", row=hline)
            if hit is not None:
                found[canon] = hit
    data: dict[str, list[float]] = {k: [] for k in found}
    for line_no, r in rows[1:]:
        if len(r) != len(header):
            raise FileFormatError(path, f"expected {len(header)} fields, found {len(r)} "
                                  "(truncated row or wrong delimiter?)", row=line_no)
        for canon, j in found.items():
            s = r[j].strip()
            try:
                v = float(s)
            except ValueError:
                raise FileFormatError(path, f"expected a number, found {s[:30]!r}", row=line_no,
                                      column=header[j].strip()) from None
            if not np.isfinite(v):
                raise FileFormatError(path, f"expected a finite number, found {s[:30]!r}",
                                      row=line_no, column=header[j].strip())
            data[canon].append(v)
    if len(rows) < 2:
        raise FileFormatError(path, "has a header but no data rows")
    return {k: np.asarray(v) for k, v in data.items()}
