"""Shared machinery of the text/Excel readers: decoding, delimiter sniffing, header matching.

Private to :mod:`sianode.experiments.io` (its ``__all__`` lists what the reader modules use).

Every failure becomes a :class:`~sianode.errors.FileFormatError` naming the file, the row as
the user sees it in the file (1-based line or spreadsheet row) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.schema import validate_timeseries

__all__ = [
    "read_text",
    "sniff_delimiter",
    "parse_delimited",
    "normalize_header",
    "map_columns",
    "read_excel_sheets",
    "frame_from_sheet",
    "parse_duration_s",
]

_DELIMITERS = (",", "\t", ";")


def read_text(path: str | PathLike[str]) -> str:
    """The file's text (UTF-8 with or without BOM, else GBK, else Latin-1)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FileFormatError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise FileFormatError(path, "file is empty")
    if b"\x00" in raw[:4096]:
        raise FileFormatError(path, "binary file, expected a text export", row=1)
    for enc in ("utf-8-sig", "gbk"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def sniff_delimiter(header_line: str, data_line: str | None = None) -> str:
    """The delimiter among ``, TAB ;`` splitting ``header_line`` into the most fields."""
    best, best_n = ",", 1
    for d in _DELIMITERS:
        n = header_line.count(d)
        if data_line is not None and n and data_line.count(d) < n:
            n = min(n, data_line.count(d))
        if n + 1 > best_n:
            best, best_n = d, n + 1
    return best


def parse_delimited(
    text: str, path: str | PathLike[str] | None, *, header_line: int = 0,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Parse a delimited table whose header is line ``header_line`` (0-based) of ``text``.

    Returns the table (numbers where pandas' C parser read them, strings elsewhere) and, for
    each data row, its 1-based line in the file. Well-formed tables take the C parser;
    anything irregular goes through :mod:`csv` row by row so the bad row can be named.
    Rows with too few fields are reported as truncated, rows with too many as malformed.
    """
    if "\n" not in text and "\r" in text:  # classic-Mac line ends
        text = text.replace("\r", "\n")
    parts = text.split("\n", header_line + 1)
    if header_line >= len(parts):
        raise FileFormatError(path, "file ends before its header line", row=header_line + 1)
    header = parts[header_line].rstrip("\r")
    rest = parts[header_line + 1].rstrip("\r\n") if len(parts) > header_line + 1 else ""
    while rest:  # drop trailing blank lines
        cut = rest.rfind("\n")
        if rest[cut + 1:].strip():
            break
        rest = rest[:max(cut, 0)].rstrip("\r")
    first = rest[: rest.find("\n")] if "\n" in rest else rest
    delim = delimiter or sniff_delimiter(header, first or None)
    try:
        names = next(csv.reader([header], delimiter=delim))
    except csv.Error as exc:
        raise FileFormatError(path, f"unreadable header: {exc}", row=header_line + 1) from exc
    names = [n.strip() for n in names]
    while names and names[-1] == "":
        names.pop()
    if not names:
        raise FileFormatError(path, "empty header line", row=header_line + 1)
    n = len(names)
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise FileFormatError(path, "duplicate column name", row=header_line + 1, column=dup)
    fast = _parse_fast(rest, names, delim, header)
    if fast is not None:
        return fast, np.arange(len(fast)) + header_line + 2
    body = [line.rstrip("\r") for line in rest.split("\n")] if rest else []
    try:
        rows = list(csv.reader(body, delimiter=delim))
    except csv.Error as exc:
        raise FileFormatError(path, f"malformed line: {exc}") from exc
    data = []
    for i, fields in enumerate(rows):
        while len(fields) > n and fields[-1].strip() == "":
            fields.pop()
        if len(fields) != n:
            line = header_line + 2 + i
            what = "truncated" if len(fields) < n else "has extra fields"
            col = names[len(fields)] if len(fields) < n else None
            raise FileFormatError(
                path, f"row {what}: {len(fields)} fields, expected {n} "
                f"(delimiter {delim!r})", row=line, column=col)
        data.append(fields)
    df = pd.DataFrame(data, columns=names, dtype=object)
    line_numbers = np.arange(len(df)) + header_line + 2
    return df, line_numbers


def _parse_fast(rest: str, names: list[str], delim: str, header: str):
    """C-parser path for well-formed tables (every line has the header's field count and
    no quoting); returns None so the careful path can locate any problem."""
    if not rest or '"' in rest or '"' in header or rest.count("\r") != rest.count("\r\n"):
        return None
    extra = len(header) - len(header.rstrip(delim))  # trailing delimiters on the header
    raw = np.frombuffer(rest.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.r_[np.flatnonzero(raw == 10), raw.size]
    delims = np.flatnonzero(raw == ord(delim))
    counts = np.diff(np.r_[0, np.searchsorted(delims, ends)])
    if counts.size == 0 or not np.all(counts == counts[0]):
        return None
    width = int(counts[0]) + 1
    if width not in (len(names), len(names) + extra):
        return None
    cols = names + [f"_trailing{k}" for k in range(width - len(names))]
    try:
        df = pd.read_csv(io.StringIO(rest), sep=delim, header=None, names=cols,
                         na_filter=False, low_memory=False, engine="c",
                         quoting=csv.QUOTE_NONE, skip_blank_lines=False)
    except (ValueError, pd.errors.ParserError, csv.Error, OverflowError):
        return None
    if len(df) != ends.size:
        return None
    for c in cols[len(names):]:  # trailing fields must be empty, as the careful path demands
        if not (df[c].astype(str).str.strip() == "").all():
            return None
    return df[names]


def normalize_header(name: object) -> str:
    """Header key for matching: lower case without spaces, underscores and dashes."""
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def _to_float(series: pd.Series, path, column: str, rows: np.ndarray,
              decimal_comma: bool) -> np.ndarray:
    raw = series
    if not pd.api.types.is_numeric_dtype(raw):
        text = raw.astype(str).str.strip()
        if decimal_comma:
            text = text.str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    else:
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        v = raw.iloc[i]
        if v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "":
            msg = "missing value (empty cell or NaN)"
        elif re.search(r"[0-9][\s]*[a-zA-Zµ]+\s*$", str(v)):
            msg = f"value {v!r} carries a unit; put units in the header only (mixed units?)"
        else:
            msg = f"value {v!r} is not a finite number"
        raise FileFormatError(path, msg, row=int(rows[i]), column=column)
    return values


def map_columns(
    table: pd.DataFrame,
    rows: np.ndarray,
    path: str | PathLike[str] | None,
    spec: Mapping[str, Sequence[tuple[str, float]]],
    *,
    required: Sequence[str],
    decimal_comma: bool = False,
    converters: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Build the tidy frame from ``table`` using header candidates per BDF column.

    Parameters
    ----------
    spec : mapping
        BDF name -> candidate ``(header, factor)`` pairs; headers are matched after
        :func:`normalize_header`; the value is multiplied by ``factor`` (e.g. 1e-3 for mA).
    required : sequence of str
        BDF names that must be found.
    converters : mapping, optional
        BDF name -> function(series, path, column, rows) -> ndarray for non-numeric columns
        (durations written ``h:mm:ss``).
    """
    keys = {normalize_header(c): c for c in table.columns}
    out: dict[str, np.ndarray] = {}
    for bdf, candidates in spec.items():
        found = [(keys[normalize_header(h)], f) for h, f in candidates
                 if normalize_header(h) in keys]
        if not found:
            if bdf in required:
                hint = ""
                if len(table.columns) == 1:
                    hint = " (only one column was found: wrong delimiter?)"
                raise FileFormatError(
                    path, f"missing column for {bdf}: expected one of "
                    f"{[h for h, _ in candidates]}; found {list(map(str, table.columns))}{hint}",
                    column=candidates[0][0])
            continue
        if len({f for _, f in found}) > 1:
            raise FileFormatError(
                path, f"columns {[c for c, _ in found]} give {bdf} in different units "
                "(mixed units); keep one", column=found[1][0])
        src, factor = found[0]
        if converters and bdf in converters:
            values = converters[bdf](table[src], path, src, rows)  # type: ignore[operator]
        else:
            values = _to_float(table[src], path, src, rows, decimal_comma)
        out[bdf] = values * factor
    return validate_timeseries(pd.DataFrame(out), path, rows=rows)


def read_excel_sheets(path: str | PathLike[str]) -> dict[str, pd.DataFrame]:
    """All sheets of an Excel workbook as object frames without header interpretation."""
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:  # pragma: no cover - openpyxl is installed in dev
        raise DependencyError("openpyxl", "io", "reading Excel exports") from exc
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise FileFormatError(path, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # openpyxl/zipfile raise many unrelated types on corrupt files
        raise FileFormatError(path, f"not a readable Excel workbook ({type(exc).__name__}: "
                              f"{exc})") from exc


def frame_from_sheet(sheet: pd.DataFrame, header_row: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Use row ``header_row`` (0-based) of a raw sheet as header; rows are Excel rows."""
    names = [str(x).strip() for x in sheet.iloc[header_row].tolist()]
    body = sheet.iloc[header_row + 1:].reset_index(drop=True)
    body.columns = names
    keep = [c for c in names if c and c.lower() != "nan"]
    body = body[keep]
    empty = body.isna().all(axis=1).to_numpy()
    if empty.any():  # trailing empty rows of a sheet are dropped; inner ones reported later
        last = len(empty) - int(np.argmax(~empty[::-1])) if (~empty).any() else 0
        body = body.iloc[:last]
    rows = np.arange(len(body)) + header_row + 2
    return body, rows


_DURATION = re.compile(r"^\s*(?:(\d+)-)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$")


def parse_duration_s(series: pd.Series, path, column: str, rows: np.ndarray) -> np.ndarray:
    """Durations given as seconds or ``[d-]h:mm:ss[.ms]`` (LAND, Neware exports) -> [s]."""
    out = np.empty(len(series))
    for i, v in enumerate(series.tolist()):
        if isinstance(v, int | float | np.number) and not isinstance(v, bool):
            out[i] = float(v)
            continue
        if hasattr(v, "hour") and hasattr(v, "second"):  # datetime.time from Excel
            out[i] = v.hour * 3600 + v.minute * 60 + v.second + v.microsecond * 1e-6
            continue
        s = str(v)
        m = _DURATION.match(s)
        if m:
            d, h, mi, se = m.groups()
            out[i] = int(d or 0) * 86400 + int(h) * 3600 + int(mi) * 60 + float(se)
            continue
        try:
            out[i] = float(s.strip())
        except ValueError:
            raise FileFormatError(path, f"value {v!r} is neither seconds nor h:mm:ss",
                                  row=int(rows[i]), column=column) from None
    if not np.all(np.isfinite(out)):
        i = int(np.argmax(~np.isfinite(out)))
        raise FileFormatError(path, "missing value (empty cell or NaN)", row=int(rows[i]),
                              column=column)
    return out
