"""Arbin files into the tidy schema: MITS Pro CSV/XLSX exports and the native ``.res``.

Layout (MITS Pro "Export to CSV/Excel"): one header row ``Data_Point, Test_Time(s),
Date_Time, Step_Time(s), Step_Index, Cycle_Index, Current(A), Voltage(V),
Charge_Capacity(Ah), Discharge_Capacity(Ah), Charge_Energy(Wh), Discharge_Energy(Wh),
dV/dt(V/s), Internal_Resistance(Ohm), ...``; newer versions write ``Test Time (s)``,
``Current (A)`` (headers are matched without spaces/underscores). Excel exports hold a
``Global_Info`` sheet and one or more ``Channel_<n>-<m>[_k]`` data sheets, concatenated in
order. Arbin's current is positive while charging (the schema's convention).

Some exports (and beep's test files) write the same headers without units
(``Test_Time, DateTime, Step_Time, Step_Index, Cycle_Index, Current, Voltage,
Charge_Capacity, ...``); they are read in Arbin's units (s, A, V, Ah), and a ``DateTime``
column of Unix seconds becomes ``unix_time_second``.

``.res`` files are Arbin's native MS Access database: the ``Channel_Normal_Table`` holds the
same columns without units (s, A, V, Ah), sorted here by ``Test_ID`` and ``Data_Point``;
``DateTime`` is an OLE date (days since 1899-12-30). They are read with access-parser (pure
Python, extra ``io``), as navani reads them with mdbtools.

References
----------
Arbin MITS Pro data export layout (as documented by beep's and cellpy's Arbin loaders);
navani ``echem_file_loader`` (``.res`` through mdbtools' ``Channel_Normal_Table``).
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import (
    frame_from_sheet,
    map_columns,
    normalize_header,
    parse_delimited,
)
from sianode.experiments.schema import (
    CHARGE_CAPACITY,
    CURRENT,
    CYCLE,
    DISCHARGE_CAPACITY,
    RECORD,
    STEP_INDEX,
    STEP_TIME,
    TEMPERATURE,
    TIME,
    UNIX_TIME,
    VOLTAGE,
)

__all__ = ["read_arbin", "read_arbin_res", "ARBIN_COLUMNS", "ARBIN_UNITLESS_COLUMNS",
           "is_arbin_header"]

#: BDF column -> Arbin headers and unit factors
ARBIN_COLUMNS: dict[str, list[tuple[str, float]]] = {
    TIME: [("Test_Time(s)", 1.0)],
    VOLTAGE: [("Voltage(V)", 1.0)],
    CURRENT: [("Current(A)", 1.0), ("Current(mA)", 1e-3)],
    CYCLE: [("Cycle_Index", 1.0)],
    STEP_INDEX: [("Step_Index", 1.0)],
    RECORD: [("Data_Point", 1.0)],
    STEP_TIME: [("Step_Time(s)", 1.0)],
    CHARGE_CAPACITY: [("Charge_Capacity(Ah)", 1.0), ("Charge_Capacity(mAh)", 1e-3)],
    DISCHARGE_CAPACITY: [("Discharge_Capacity(Ah)", 1.0), ("Discharge_Capacity(mAh)", 1e-3)],
    TEMPERATURE: [("Temperature(C)", 1.0), ("Aux_Temperature_1(C)", 1.0)],
}
#: the same columns without units in the headers, in Arbin's units (s, A, V, Ah)
ARBIN_UNITLESS_COLUMNS: dict[str, list[tuple[str, float]]] = {
    TIME: [("Test_Time", 1.0)],
    VOLTAGE: [("Voltage", 1.0)],
    CURRENT: [("Current", 1.0)],
    CYCLE: [("Cycle_Index", 1.0)],
    STEP_INDEX: [("Step_Index", 1.0)],
    RECORD: [("Data_Point", 1.0)],
    STEP_TIME: [("Step_Time", 1.0)],
    CHARGE_CAPACITY: [("Charge_Capacity", 1.0)],
    DISCHARGE_CAPACITY: [("Discharge_Capacity", 1.0)],
    TEMPERATURE: [("Temperature", 1.0)],
}
_REQUIRED = (TIME, VOLTAGE, CURRENT)


def is_arbin_header(keys: set[str]) -> str | None:
    """``"units"`` or ``"unitless"`` if normalised header keys look like Arbin's, else None."""
    if "testtime(s)" in keys or ("cycleindex" in keys and "voltage(v)" in keys):
        return "units"
    if {"testtime", "current", "voltage"} <= keys and ({"datapoint", "cycleindex"} & keys):
        return "unitless"
    return None


def _spec_for(columns) -> dict[str, list[tuple[str, float]]]:
    keys = {normalize_header(c) for c in columns}
    return ARBIN_UNITLESS_COLUMNS if is_arbin_header(keys) == "unitless" else ARBIN_COLUMNS


def _with_unix_time(df: pd.DataFrame, table: pd.DataFrame, column: str | None,
                    ole: bool = False) -> pd.DataFrame:
    if column is None or column not in table.columns:
        return df
    col = table[column]
    if not ole and not pd.api.types.is_numeric_dtype(col):
        stamps = pd.to_datetime(col, errors="coerce")  # Excel date cells (local time)
        if stamps.notna().all():
            df[UNIX_TIME] = ((stamps - pd.Timestamp("1970-01-01")).dt.total_seconds()
                             .to_numpy())
        return df
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        return df
    if ole:  # OLE automation date: days since 1899-12-30
        values = (values - 25569.0) * 86400.0
    elif np.nanmax(np.abs(values)) < 1e8:  # not Unix seconds: leave it out
        return df
    df[UNIX_TIME] = values
    return df


def read_arbin(path: str | PathLike[str] | Source) -> pd.DataFrame:
    """Read an Arbin CSV or XLSX export, or a native ``.res`` file.

    Parameters
    ----------
    path : str, PathLike or Source
        ``.csv``, ``.xlsx``/``.xls`` exported by Arbin MITS Pro, or a ``.res`` database.

    Returns
    -------
    pandas.DataFrame
        Tidy time series (:mod:`sianode.experiments.schema`), current positive on charge.

    Raises
    ------
    FileFormatError
        No ``Channel`` sheet, missing columns, bad rows (file, row, column named).

    References
    ----------
    Module docstring (Arbin export layout); seed 001 (cells cycled on Arbin).
    """
    src = open_source(path)
    if src.kind == "access" or src.suffix == ".res":
        return read_arbin_res(src)
    if src.kind in ("zip", "ole"):
        sheets = src.sheets
        chans = [k for k in sheets if str(k).lower().startswith("channel")]
        if not chans:
            raise FileFormatError(src.path, f"no 'Channel_*' data sheet; sheets are "
                                  f"{list(sheets)}")
        tables, rows = [], []
        for k in chans:
            if not sheets[k]:
                raise FileFormatError(src.path, f"sheet {k!r} is empty")
            t, r = frame_from_sheet(sheets[k], 0)
            tables.append(t)
            rows.append(r)
        if len({tuple(t.columns) for t in tables}) > 1:
            raise FileFormatError(src.path, f"data sheets {chans} have different headers")
        table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
        line_rows = np.concatenate(rows)
    else:
        table, line_rows = parse_delimited(src)
    df = map_columns(table, line_rows, src.path, _spec_for(table.columns), required=_REQUIRED)
    date_col = next((c for c in table.columns if normalize_header(c) == "datetime"), None)
    return _with_unix_time(df, table, date_col)


def read_arbin_res(path: str | PathLike[str] | Source) -> pd.DataFrame:
    """Read an Arbin ``.res`` file (MS Access database) through access-parser.

    Parameters
    ----------
    path : str, PathLike or Source
        The ``.res`` file.

    Returns
    -------
    pandas.DataFrame
        Tidy time series from ``Channel_Normal_Table`` (s, V, A, Ah), with
        ``unix_time_second`` from the OLE ``DateTime``.

    Raises
    ------
    DependencyError
        access-parser is not installed (extra ``io``).
    FileFormatError
        Not an Access database, or no ``Channel_Normal_Table``.

    References
    ----------
    Module docstring; navani ``echem_file_loader`` (same table, via mdbtools).
    """
    src = open_source(path)
    try:
        from access_parser import AccessParser
    except ImportError as exc:
        raise DependencyError("access-parser", "io", "reading Arbin .res files") from exc
    if src.kind != "access":
        raise FileFormatError(src.path, "is not an MS Access database; an Arbin .res file is "
                              "one (export the test to CSV/XLSX from MITS Pro otherwise)")
    try:
        import logging

        logging.getLogger("access_parser").setLevel(logging.ERROR)
        db = AccessParser(str(src.path))
        if "Channel_Normal_Table" not in db.catalog:
            raise FileFormatError(src.path, "MS Access database without an Arbin "
                                  f"'Channel_Normal_Table' (tables: {sorted(db.catalog)})")
        raw = db.parse_table("Channel_Normal_Table")
    except FileFormatError:
        raise
    except Exception as exc:  # access-parser raises many types on damaged databases
        raise FileFormatError(src.path, f"access-parser cannot read it ({type(exc).__name__}: "
                              f"{exc})") from exc
    table = pd.DataFrame({k: list(v) for k, v in raw.items()})
    if table.empty:
        raise FileFormatError(src.path, "Channel_Normal_Table has no rows")
    keys = [c for c in ("Test_ID", "Data_Point") if c in table.columns]
    if keys:
        table = table.sort_values(keys, kind="stable").reset_index(drop=True)
    rows = np.arange(1, len(table) + 1)
    df = map_columns(table, rows, src.path, ARBIN_UNITLESS_COLUMNS, required=_REQUIRED)
    return _with_unix_time(df, table, "DateTime", ole=True)

