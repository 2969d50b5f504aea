"""Generic CSV/TSV/Excel tables, with a column map or already in BDF names.

A CSV whose header uses the Battery Data Format machine names (``test_time_second``,
``voltage_volt``, ``current_ampere``...) needs no map; any other table is read with a
``column_map`` {BDF name: header in the file} and optional ``scale`` factors converting the
file's units to the schema's (``{"current_ampere": 1e-3}`` for a column in mA).
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike

import pandas as pd

from sianode.errors import FileFormatError, ParameterError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import frame_from_sheet, map_columns, parse_delimited
from sianode.experiments.io.bdf import bdf_spec
from sianode.experiments.schema import BDF_COLUMNS, REQUIRED_COLUMNS

__all__ = ["read_table", "from_frame"]

#: navani ``echem_file_loader`` frames (s, V, mA) and EC-Lab/galvani frames
_FRAME_LAYOUTS: dict[str, dict[str, list[tuple[str, float]]]] = {
    "navani": {"test_time_second": [("Time", 1.0)], "voltage_volt": [("Voltage", 1.0)],
               "current_ampere": [("Current", 1e-3)], "cycle_count": [("full cycle", 1.0)]},
    "EC-Lab": {"test_time_second": [("time/s", 1.0)], "voltage_volt": [("Ewe/V", 1.0),
               ("Ecell/V", 1.0)], "current_ampere": [("I/mA", 1e-3), ("<I>/mA", 1e-3)]},
}


def read_table(
    path: str | PathLike[str] | Source,
    column_map: Mapping[str, str] | None = None,
    *,
    scale: Mapping[str, float] | None = None,
    sheet: str | int | None = None,
    decimal_comma: bool | None = None,
) -> pd.DataFrame:
    """Read a delimited text or Excel table into the tidy schema.

    Parameters
    ----------
    path : str or PathLike
        ``.csv``/``.tsv``/``.txt`` (delimiter sniffed among ``,`` TAB ``;``) or Excel.
    column_map : mapping, optional
        BDF name -> header in the file. Without it the header must hold the BDF machine
        names, BDF preferred labels with units (``Test Time / h``) or sianode's short
        names (``time_s, voltage_V, current_A``); see :mod:`~sianode.experiments.io.bdf`.
        A partial map is completed from the header (e.g. only ``current_ampere``).
    scale : mapping, optional
        BDF name -> factor multiplying the file's values (unit conversion), default 1.
    sheet : str or int, optional
        Excel sheet (name or 0-based position); default the first.
    decimal_comma : bool, optional
        Numbers are written ``1,5`` (then the delimiter must not be ``,``); default sniffed.

    Returns
    -------
    pandas.DataFrame
        The tidy time series (:mod:`sianode.experiments.schema`).

    Raises
    ------
    FileFormatError
        Missing/duplicate columns, truncated rows, non-numeric cells, NaN, time going
        backwards (file, row and column named).
    ParameterError
        ``column_map`` names a column that is not a BDF name.

    References
    ----------
    Battery Data Format (Battery Data Alliance); issue 5.
    """
    column_map = dict(column_map or {})
    for key in column_map:
        if key not in BDF_COLUMNS:
            raise ParameterError("column_map", key, f"a BDF column name in {list(BDF_COLUMNS)}")
    scale = dict(scale or {})
    for key, value in scale.items():
        if key not in BDF_COLUMNS:
            raise ParameterError("scale", key, "a BDF column name")
        if not isinstance(value, int | float) or value == 0 or value != value \
                or abs(value) == float("inf"):
            raise ParameterError(f"scale[{key!r}]", value, "a finite non-zero number")
    src = open_source(path)
    path = src.path
    if src.kind in ("zip", "ole"):
        sheets = src.sheets
        names = list(sheets)
        if sheet is None:
            key = names[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise FileFormatError(path, f"sheet {sheet} does not exist ({len(names)} sheets)")
            key = names[sheet]
        elif sheet in sheets:
            key = sheet
        else:
            raise FileFormatError(path, f"no sheet {sheet!r}; sheets are {names}")
        if not sheets[key]:
            raise FileFormatError(path, f"sheet {key!r} is empty")
        table, rows = frame_from_sheet(sheets[key], 0)
    else:
        table, rows = parse_delimited(src, decimal_comma=decimal_comma)
    found = bdf_spec(list(table.columns))
    spec = dict(found[1]) if found else {}
    for bdf, src_col in column_map.items():
        if src_col not in table.columns:
            raise FileFormatError(path, f"--map/column_map names column {src_col!r} for {bdf}, "
                                  f"but the file has {list(map(str, table.columns))}",
                                  column=src_col)
        spec[bdf] = [(src_col, 1.0)]
    for bdf, factor in scale.items():
        if bdf not in spec:
            raise ParameterError("scale", bdf, "a column that is mapped or found in the header")
        spec[bdf] = [(h, f * float(factor)) for h, f in spec[bdf]]
    missing = [c for c in REQUIRED_COLUMNS if c not in spec]
    if missing:
        hint = " (only one column was found: wrong delimiter?)" if len(table.columns) == 1 \
            else ""
        raise FileFormatError(path, f"no column for {missing}: map them with column_map/--map "
                              f"BDF_NAME=HEADER; the file has {list(map(str, table.columns))}"
                              + hint)
    return map_columns(table, rows, path, spec, required=REQUIRED_COLUMNS,
                       decimal_comma=decimal_comma)


def from_frame(
    frame: pd.DataFrame,
    column_map: Mapping[str, str] | None = None,
    *,
    scale: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """A DataFrame already in memory (navani, EC-Lab/galvani, BDF, or mapped) as the BDF frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        BDF columns, BDF labels (``Test Time / h``), a navani frame (``Time`` [s],
        ``Voltage`` [V], ``Current`` [mA], ``full cycle``), an EC-Lab frame (``time/s``,
        ``Ewe/V``, ``I/mA``), or any frame with ``column_map``.
    column_map : mapping, optional
        BDF name -> column of ``frame``.
    scale : mapping, optional
        BDF name -> unit factor.

    Returns
    -------
    pandas.DataFrame
        Validated tidy time series.

    Raises
    ------
    InputError
        The columns match no known layout: the message lists them and says what to pass.

    References
    ----------
    Issue 12 ("a navani-style frame through a column map, or an error saying what to pass").
    """
    from sianode.errors import InputError
    from sianode.experiments.io._table import map_columns

    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    cols = [str(c) for c in frame.columns]
    table = frame.copy()
    table.columns = cols
    found = bdf_spec(cols)
    spec = dict(found[1]) if found else {}
    if not found:
        for layout in _FRAME_LAYOUTS.values():
            hit = {k: [(h, f) for h, f in v if h in cols][:1] for k, v in layout.items()}
            hit = {k: v for k, v in hit.items() if v}
            if all(c in hit for c in REQUIRED_COLUMNS):
                spec = hit
                break
    for bdf, col in dict(column_map or {}).items():
        if bdf not in BDF_COLUMNS:
            raise ParameterError("column_map", bdf, f"a BDF column name in {list(BDF_COLUMNS)}")
        if col not in cols:
            raise InputError(f"column_map names column {col!r} for {bdf}; the frame has {cols}")
        spec[bdf] = [(col, 1.0)]
    for bdf, factor in dict(scale or {}).items():
        if bdf not in spec:
            raise ParameterError("scale", bdf, "a mapped column")
        spec[bdf] = [(h, f * float(factor)) for h, f in spec[bdf]]
    missing = [c for c in REQUIRED_COLUMNS if c not in spec]
    if missing:
        raise InputError(f"the DataFrame's columns {cols} match no known layout; pass "
                         f"column_map={{BDF name: column}} for {missing} (and scale= for units, "
                         "e.g. {'current_ampere': 1e-3} for mA), e.g. "
                         "sianode.experiments.io.from_frame(df, {'current_ampere': 'I [mA]'}, "
                         "scale={'current_ampere': 1e-3})")
    import numpy as np

    return map_columns(table, np.arange(1, len(table) + 1), "<DataFrame>", spec,
                       required=REQUIRED_COLUMNS)
