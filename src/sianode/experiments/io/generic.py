"""Generic CSV/TSV/Excel tables, with a column map or already in BDF names.

A CSV whose header uses the Battery Data Format machine names (``test_time_second``,
``voltage_volt``, ``current_ampere``...) needs no map; any other table is read with a
``column_map`` {BDF name: header in the file} and optional ``scale`` factors converting the
file's units to the schema's (``{"current_ampere": 1e-3}`` for a column in mA).
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import pandas as pd

from sianode.errors import FileFormatError, ParameterError
from sianode.experiments.io._table import (
    frame_from_sheet,
    map_columns,
    parse_delimited,
    read_excel_sheets,
    read_text,
)
from sianode.experiments.schema import BDF_COLUMNS, REQUIRED_COLUMNS

__all__ = ["read_table"]

_EXCEL = {".xlsx", ".xlsm", ".xls"}


def read_table(
    path: str | PathLike[str],
    column_map: Mapping[str, str] | None = None,
    *,
    scale: Mapping[str, float] | None = None,
    sheet: str | int | None = None,
    decimal_comma: bool = False,
) -> pd.DataFrame:
    """Read a delimited text or Excel table into the tidy schema.

    Parameters
    ----------
    path : str or PathLike
        ``.csv``/``.tsv``/``.txt`` (delimiter sniffed among ``,`` TAB ``;``) or Excel.
    column_map : mapping, optional
        BDF name -> header in the file. Without it the header must hold the BDF names.
    scale : mapping, optional
        BDF name -> factor multiplying the file's values (unit conversion), default 1.
    sheet : str or int, optional
        Excel sheet (name or 0-based position); default the first.
    decimal_comma : bool
        Numbers are written ``1,5`` (then the delimiter must not be ``,``).

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
    column_map = dict(column_map) if column_map else {c: c for c in BDF_COLUMNS}
    for key in column_map:
        if key not in BDF_COLUMNS:
            raise ParameterError("column_map", key, f"a BDF column name in {list(BDF_COLUMNS)}")
    scale = dict(scale or {})
    for key, value in scale.items():
        if key not in BDF_COLUMNS:
            raise ParameterError("scale", key, "a BDF column name")
        if not isinstance(value, int | float) or value == 0:
            raise ParameterError(f"scale[{key!r}]", value, "a non-zero number")
    if Path(path).suffix.lower() in _EXCEL:
        sheets = read_excel_sheets(path)
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
        if sheets[key].empty:
            raise FileFormatError(path, f"sheet {key!r} is empty")
        table, rows = frame_from_sheet(sheets[key], 0)
    else:
        table, rows = parse_delimited(read_text(path), path)
    spec = {bdf: [(src, float(scale.get(bdf, 1.0)))] for bdf, src in column_map.items()}
    required = [c for c in REQUIRED_COLUMNS if c in spec] or list(REQUIRED_COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in spec]
    if missing:
        raise ParameterError("column_map", sorted(column_map), f"entries for {missing}")
    return map_columns(table, rows, path, spec, required=required,
                       decimal_comma=decimal_comma)
