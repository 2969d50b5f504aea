"""The one row parser of :mod:`sianode.experiments.io`: delimited text, sheets, header maps.

Decoding lives in :mod:`~sianode.experiments.io._source` (a file is decoded once); this
module turns the decoded text or sheet into a table (delimiter and decimal-comma sniffing,
one set of messages for truncated rows, extra fields, non-numbers, units in cells, NaN) and
maps its headers onto the BDF columns (:func:`map_columns`). Every vendor layout is a
mapping ``{BDF column: [(header, unit factor), ...]}`` handed to :func:`map_columns`.

Every failure becomes a :class:`~sianode.errors.FileFormatError` naming the file, the row as
the user sees it in the file (1-based line or spreadsheet row) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.schema import validate_timeseries

__all__ = [
    "read_text",
    "sniff_delimiter",
    "sniff_decimal_comma",
    "parse_delimited",
    "normalize_header",
    "map_columns",
    "column_values",
    "frame_from_sheet",
    "parse_duration_s",
]

_DELIMITERS = (",", "\t", ";")


def read_text(path: str | PathLike[str] | Source) -> str:
    """The decoded text of ``path`` (see :attr:`Source.text`)."""
    return open_source(path).text


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


def _line_offset(raw: bytes, line: int) -> int:
    """Byte offset where 0-based ``line`` starts (``-1`` if the file is shorter)."""
    pos = 0
    for _ in range(line):
        nl = raw.find(b"\n", pos)
        if nl < 0:
            return -1
        pos = nl + 1
    return pos


def parse_delimited(
    source: Source | str, path: str | PathLike[str] | None = None, *, header_line: int = 0,
    delimiter: str | None = None, decimal_comma: bool | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Parse a delimited table whose header is line ``header_line`` (0-based).

    Parameters
    ----------
    source : Source or str
        The opened file, or text already decoded.
    path : str or PathLike, optional
        Named in errors (default ``source.path``).
    header_line : int
        0-based line of the column header; data follow it.
    delimiter : str, optional
        Default: sniffed among ``,`` TAB ``;`` from the header and the first data line.
    decimal_comma : bool, optional
        Default: sniffed (only with a non-comma delimiter).

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        The table (numbers where they parse, strings elsewhere; ``table.attrs
        ["decimal_comma"]`` says how numbers were written) and, for each data row, its
        1-based line in the file.

    Notes
    -----
    Well-formed tables go straight from the file's bytes through pandas' C parser (no
    decoded copy of the text is made: a 1-million-row export stays within a few hundred
    MB). Anything irregular goes through :mod:`csv` row by row so that the bad row can be
    named: too few fields are reported as truncated, too many as extra fields.
    """
    if isinstance(source, Source):
        path = source.path if path is None else path
        head = source.head_lines(header_line + 3)
    else:
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        head = text.split("\n", header_line + 3)[: header_line + 3]
    if header_line >= len(head):
        raise FileFormatError(path, "file ends before its header line", row=header_line + 1)
    header = head[header_line]
    first = head[header_line + 1] if len(head) > header_line + 1 else ""
    delim = delimiter or sniff_delimiter(header, first or None)
    try:
        names = next(csv.reader([header], delimiter=delim))
    except csv.Error as exc:
        raise FileFormatError(path, f"unreadable header: {exc}", row=header_line + 1) from exc
    names = [n.strip() for n in names]
    trailing = 0
    while names and names[-1] == "":
        names.pop()
        trailing += 1
    if not names:
        raise FileFormatError(path, "empty header line", row=header_line + 1)
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise FileFormatError(path, "duplicate column name", row=header_line + 1, column=dup)
    if decimal_comma is None:
        probe = [f.strip() for f in first.split(delim)] if first else []
        decimal_comma = delim != "," and any(
            re.fullmatch(r"[-+]?\d*,\d+(?:[eE][-+]?\d+)?", f) for f in probe)
    fast = None
    if isinstance(source, Source):
        fast = _parse_fast(source, header_line, names, trailing, delim, decimal_comma)
    if fast is not None:
        fast.attrs["decimal_comma"] = decimal_comma
        return fast, np.arange(len(fast)) + header_line + 2
    text = source.text if isinstance(source, Source) else source
    return _parse_careful(text, path, header_line, names, delim, decimal_comma)


def _parse_careful(text: str, path, header_line: int, names: list[str], delim: str,
                   decimal_comma: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Row-by-row parse through :mod:`csv` that names the first bad row."""
    if "\n" not in text and "\r" in text:  # classic-Mac line ends
        text = text.replace("\r", "\n")
    parts = text.split("\n", header_line + 1)
    rest = parts[header_line + 1].rstrip("\r\n") if len(parts) > header_line + 1 else ""
    body = [line.rstrip("\r") for line in rest.split("\n")] if rest else []
    while body and not body[-1].strip():
        body.pop()
    try:
        rows = list(csv.reader(body, delimiter=delim))
    except csv.Error as exc:
        raise FileFormatError(path, f"malformed line: {exc}") from exc
    n = len(names)
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
    df.attrs["decimal_comma"] = decimal_comma
    return df, np.arange(len(df)) + header_line + 2


def _parse_fast(src: Source, header_line: int, names: list[str], trailing: int, delim: str,
                decimal_comma: bool) -> pd.DataFrame | None:
    """C-parser path for well-formed tables straight from the bytes; None when in doubt,
    so the careful path can locate the problem."""
    if not src.is_text:
        return None
    raw = src.raw
    start = _line_offset(raw, header_line + 1)
    if start < 0 or start >= len(raw) or raw.find(b'"', start) >= 0:
        return None
    raw.count(b"\n", start) + (0 if raw.endswith(b"\n") else 1)
    cols = names + [f"_trailing{k}" for k in range(trailing)]
    buf = io.BytesIO(raw)
    buf.seek(start)
    try:
        df = pd.read_csv(buf, sep=delim, header=None, names=cols, engine="c",
                         encoding=src.encoding, low_memory=False, quoting=csv.QUOTE_NONE,
                         skip_blank_lines=True, decimal="," if decimal_comma else ".",
                         keep_default_na=False, na_values=[""])
    except (ValueError, pd.errors.ParserError, csv.Error, OverflowError, UnicodeDecodeError):
        return None
    end = len(raw)
    while end > start and raw[end - 1] in b"\r\n \t":
        end -= 1
    if len(df) != raw.count(b"\n", start, end) + 1:  # blank inner lines: careful path
        return None
    for c in cols[len(names):]:  # trailing fields must be empty, as the careful path demands
        if df[c].notna().any():
            return None
    df = df[names] if trailing else df
    if df[names[-1]].isna().any():  # a short (truncated) row: let the careful path name it
        return None
    src.release()  # the table holds the data now: drop the file's bytes (re-read if needed)
    return df


def normalize_header(name: object) -> str:
    """Header key for matching: lower case without spaces, underscores and dashes."""
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def column_values(series: pd.Series, path, column: str, rows: np.ndarray,
                  decimal_comma: bool = False) -> np.ndarray:
    """Finite floats of one column; names the row of the first empty, NaN or non-number."""
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
    decimal_comma: bool | None = None,
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
    if decimal_comma is None:
        decimal_comma = bool(table.attrs.get("decimal_comma", False))
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
            values = column_values(table[src], path, src, rows, decimal_comma)
        out[bdf] = values * factor
    return validate_timeseries(pd.DataFrame(out), path, rows=rows)


def frame_from_sheet(sheet: list[list], header_row: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Use row ``header_row`` (0-based) of a sheet (rows of cell values) as the header.

    Returns the table (object columns; empty header cells dropped) and, for each data row,
    its 1-based spreadsheet row. Trailing empty rows are dropped; inner ones are reported
    by the column parser.
    """
    names = [str(x).strip() for x in sheet[header_row]]
    keep = [i for i, c in enumerate(names) if c and c.lower() != "nan"]
    body = sheet[header_row + 1:]
    last = len(body)
    while last and all(v is None or v == "" for v in body[last - 1]):
        last -= 1
    body = body[:last]
    cols = {names[i]: [r[i] if i < len(r) else "" for r in body] for i in keep}
    table = pd.DataFrame(cols) if cols else pd.DataFrame(index=range(len(body)))
    for c in table.columns:  # numeric sheets come back as float columns (fast path)
        if table[c].dtype == object:
            conv = pd.to_numeric(table[c], errors="coerce")
            if not conv.isna().any():
                table[c] = conv
    rows = np.arange(len(table)) + header_row + 2
    return table, rows


def sniff_decimal_comma(table: pd.DataFrame, delimiter: str) -> bool:
    """True if the table's number-like cells use a decimal comma (``1,5``).

    Only possible when the delimiter is not a comma; decided on the first 50 rows.
    """
    if delimiter == ",":
        return False
    sample = table.iloc[:50]
    for c in sample.columns:
        col = sample[c]
        if col.dtype != object:
            continue
        text = col.astype(str)
        if text.str.fullmatch(r"\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*").any():
            return True
    return False


_DURATION = re.compile(r"^\s*(?:(\d+)[-d ]\s*)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$")


def parse_duration_s(series: pd.Series, path, column: str, rows: np.ndarray) -> np.ndarray:
    """Durations given as seconds or ``[d-]h:mm:ss[.ms]`` (LAND, Neware exports) -> [s].

    Vectorised: a column of strings is split once; numbers and ``datetime.time`` cells from
    Excel are accepted too.
    """
    if pd.api.types.is_numeric_dtype(series):
        out = series.to_numpy(dtype=float)
    else:
        text = series.astype(str)
        parts = text.str.extract(_DURATION)
        out = np.full(len(series), np.nan)
        hit = parts[1].notna().to_numpy()
        if hit.any():
            p = parts[hit]
            out[hit] = (pd.to_numeric(p[0]).fillna(0).to_numpy() * 86400
                        + pd.to_numeric(p[1]).to_numpy() * 3600
                        + pd.to_numeric(p[2]).to_numpy() * 60 + pd.to_numeric(p[3]).to_numpy())
        rest = ~hit
        if rest.any():
            vals = series[rest].tolist()
            conv = []
            for v in vals:
                if hasattr(v, "hour") and hasattr(v, "second"):  # datetime.time from Excel
                    conv.append(v.hour * 3600 + v.minute * 60 + v.second + v.microsecond * 1e-6)
                elif hasattr(v, "total_seconds"):  # timedelta from Excel
                    conv.append(v.total_seconds())
                else:
                    try:
                        conv.append(float(str(v).strip()))
                    except ValueError:
                        conv.append(None)
            bad = [i for i, v in enumerate(conv) if v is None]
            if bad:
                pos = np.flatnonzero(rest)[bad[0]]
                raise FileFormatError(path, f"value {vals[bad[0]]!r} is neither seconds nor "
                                      "h:mm:ss", row=int(rows[pos]), column=column)
            out[rest] = np.asarray(conv, dtype=float)
    if not np.all(np.isfinite(out)):
        i = int(np.argmax(~np.isfinite(out)))
        raise FileFormatError(path, "missing value (empty cell or NaN)", row=int(rows[i]),
                              column=column)
    return out
