"""Arbin MITS Pro exports (CSV and XLSX) into the tidy schema.

Layout (MITS Pro "Export to CSV/Excel"): one header row ``Data_Point, Test_Time(s),
Date_Time, Step_Time(s), Step_Index, Cycle_Index, Current(A), Voltage(V),
Charge_Capacity(Ah), Discharge_Capacity(Ah), Charge_Energy(Wh), Discharge_Energy(Wh),
dV/dt(V/s), Internal_Resistance(Ohm), ...``; newer versions write ``Test Time (s)``,
``Current (A)`` (headers are matched without spaces/underscores). Excel exports hold a
``Global_Info`` sheet and one or more ``Channel_<n>-<m>[_k]`` data sheets, concatenated in
order. Arbin's current is positive while charging (the schema's convention).

References
----------
Arbin MITS Pro data export layout (as documented by beep's and cellpy's Arbin loaders).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from sianode.errors import FileFormatError
from sianode.experiments.io._table import (
    frame_from_sheet,
    map_columns,
    parse_delimited,
    read_excel_sheets,
    read_text,
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
    VOLTAGE,
)

__all__ = ["read_arbin", "ARBIN_COLUMNS"]

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
_REQUIRED = (TIME, VOLTAGE, CURRENT)


def read_arbin(path: str | PathLike[str]) -> pd.DataFrame:
    """Read an Arbin CSV or XLSX export.

    Parameters
    ----------
    path : str or PathLike
        ``.csv`` or ``.xlsx``/``.xls`` exported by Arbin MITS Pro.

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
    if Path(path).suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        sheets = read_excel_sheets(path)
        chans = [k for k in sheets if str(k).lower().startswith("channel")]
        if not chans:
            raise FileFormatError(path, f"no 'Channel_*' data sheet; sheets are {list(sheets)}")
        tables, rows = [], []
        for k in chans:
            if sheets[k].empty:
                raise FileFormatError(path, f"sheet {k!r} is empty")
            t, r = frame_from_sheet(sheets[k], 0)
            tables.append(t)
            rows.append(r)
        if len({tuple(t.columns) for t in tables}) > 1:
            raise FileFormatError(path, f"data sheets {chans} have different headers")
        table = pd.concat(tables, ignore_index=True)
        line_rows = np.concatenate(rows)
    else:
        table, line_rows = parse_delimited(read_text(path), path)
    return map_columns(table, line_rows, path, ARBIN_COLUMNS, required=_REQUIRED)
