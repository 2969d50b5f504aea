"""LAND (Wuhan LANHE) CT2001A/CT3001A Excel exports into the tidy schema.

The ``.cex`` binary has no maintained Python reader; LANDdt exports the record table to
Excel (one sheet per table). The record sheet has one header row such as ``Record,
Cycle-Index, Step-Index, TestTime/Sec, StepTime/Sec, Voltage/V, Current/mA, Capacity/mAh``
(older exports: ``Record, TestTime, StepTime, Voltage/V, Current/mA, Capacity/mAh, State``
with times written ``h:mm:ss`` or ``d-hh:mm:ss``). The sheet is found by its header (a
``Voltage/V`` column in its first rows). Current is signed positive on charge; where the
export writes magnitudes with a ``State`` column (``C``/``CC``/``C_CC`` charge, ``D...``
discharge, ``R`` rest), the sign is taken from the state. The same layout saved as CSV is
accepted too.

References
----------
LANDdt export layout (as configured in cellpy's ``landt`` instrument file); seed 002 (cells
cycled on LAND CT2001A).
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import (
    frame_from_sheet,
    map_columns,
    normalize_header,
    parse_delimited,
    parse_duration_s,
)
from sianode.experiments.schema import CURRENT, CYCLE, RECORD, STEP_INDEX, STEP_TIME, TIME, VOLTAGE

__all__ = ["read_land", "LAND_COLUMNS"]

#: BDF column -> LAND headers and unit factors
LAND_COLUMNS: dict[str, list[tuple[str, float]]] = {
    TIME: [("TestTime/Sec", 1.0), ("TestTime/s", 1.0), ("TestTime", 1.0), ("Test Time", 1.0)],
    VOLTAGE: [("Voltage/V", 1.0), ("Voltage/mV", 1e-3)],
    CURRENT: [("Current/mA", 1e-3), ("Current/A", 1.0), ("Current/uA", 1e-6),
              ("Current/µA", 1e-6)],
    CYCLE: [("Cycle-Index", 1.0), ("Cycle", 1.0)],
    STEP_INDEX: [("Step-Index", 1.0), ("Step", 1.0)],
    RECORD: [("Record", 1.0), ("Index", 1.0)],
    STEP_TIME: [("StepTime/Sec", 1.0), ("StepTime/s", 1.0), ("StepTime", 1.0)],
}
_REQUIRED = (TIME, VOLTAGE, CURRENT)
_CONVERTERS = {TIME: parse_duration_s, STEP_TIME: parse_duration_s}
_STATE_SIGN = {"C": 1.0, "D": -1.0, "R": 0.0, "O": 0.0}


def _find_header(sheet: list[list]) -> int | None:
    for i in range(min(len(sheet), 10)):
        keys = {normalize_header(x) for x in sheet[i]}
        if "voltage/v" in keys or "voltage/mv" in keys:
            return i
    return None


def read_land(path: str | PathLike[str] | Source) -> pd.DataFrame:
    """Read a LAND Excel (or CSV) record export.

    Parameters
    ----------
    path : str, PathLike or Source
        ``.xlsx``/``.xls`` from LANDdt, or the record table saved as ``.csv``.

    Returns
    -------
    pandas.DataFrame
        Tidy time series, current positive on charge.

    Raises
    ------
    FileFormatError
        No record sheet, missing columns, unknown ``State`` codes, bad rows.

    References
    ----------
    Module docstring (LAND export layout); seed 002 (LAND CT2001A).
    """
    src = open_source(path)
    path = src.path
    if src.kind in ("zip", "ole"):
        sheets = src.sheets
        for sheet in sheets.values():
            h = _find_header(sheet)
            if h is not None:
                table, rows = frame_from_sheet(sheet, h)
                break
        else:
            raise FileFormatError(path, f"no sheet with a 'Voltage/V' header; sheets are "
                                  f"{list(sheets)}")
    else:
        table, rows = parse_delimited(src)
    df = map_columns(table, rows, path, LAND_COLUMNS, required=_REQUIRED,
                     converters=_CONVERTERS)
    state_col = next((c for c in table.columns if normalize_header(c) == "state"), None)
    if state_col is not None:
        codes = table[state_col].astype(str).str.strip().str.upper().str[:1].to_numpy()
        sign = np.array([_STATE_SIGN.get(c, np.nan) for c in codes])
        if np.isnan(sign).any():
            i = int(np.argmax(np.isnan(sign)))
            raise FileFormatError(path, f"unknown state {table[state_col].iloc[i]!r}; expected "
                                  "C (charge), D (discharge) or R (rest)", row=int(rows[i]),
                                  column=str(state_col))
        cur = df[CURRENT].to_numpy()
        if np.all(cur >= 0):
            df[CURRENT] = np.abs(cur) * sign
    return df
