"""The tidy time-series schema every cycler reader returns.

Columns use the Battery Data Format (BDF) machine names (Battery Data Alliance,
https://battery-data-alliance.github.io/battery-data-format/; also fastnda's ``columns="bdf"``):

========================  ======  ==========================================================
column                    unit    meaning
========================  ======  ==========================================================
``test_time_second``      s       time since the test started (non-decreasing), required
``voltage_volt``          V       cell voltage (working vs counter electrode), required
``current_ampere``        A       cell current, required; sign convention below
``cycle_count``           1       the instrument's cycle number, optional
``step_count``            1       the instrument's step number (increments each step)
``step_index``            1       the step of the schedule (repeats across cycles)
``record_index``          1       the instrument's record number
``step_time_second``      s       time since the step started
``unix_time_second``      s       wall-clock time
``charging_capacity_ah``  Ah      the instrument's charge counter
``discharging_capacity_ah`` Ah    the instrument's discharge counter
``ambient_temperature_celsius`` °C  temperature
========================  ======  ==========================================================

Sign convention (stated once, used everywhere): ``current_ampere`` is **positive while the
cell is being charged** (its voltage pushed up), as Arbin, BioLogic and Neware export it.
The analyses never use the cycler's charge/discharge labels; they use the direction of the
*working electrode* (the Si-family anode under study), lithiation or delithiation, which
the cell type decides:

==============  =============================  ==========================================
cell            working electrode              lithiation of the working electrode when
==============  =============================  ==========================================
``full``        anode vs a cathode             current > 0 (charging the cell)
``half``        anode vs Li metal              current < 0 (cell voltage falls to 0 V)
``symmetric``   electrode on + terminal        current < 0
``asymmetric``  host/current collector vs Li   current < 0 (Li plated on the host)
==============  =============================  ==========================================

References
----------
Battery Data Format (Battery Data Alliance, 2024); seed 004 (SUS/LiSi-C/SSE/Li asymmetric
cells, Li plating = lithiation of the working electrode); seed 003 (Si||NCM811 full cells).
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import FileFormatError, MissingMetadataError
from sianode.validation import OneOf, check_params

__all__ = [
    "TIME",
    "VOLTAGE",
    "CURRENT",
    "CYCLE",
    "STEP",
    "STEP_INDEX",
    "RECORD",
    "STEP_TIME",
    "UNIX_TIME",
    "CHARGE_CAPACITY",
    "DISCHARGE_CAPACITY",
    "TEMPERATURE",
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "BDF_COLUMNS",
    "CELL_TYPES",
    "lithiation_sign",
    "validate_timeseries",
    "require_metadata",
]

TIME = "test_time_second"
VOLTAGE = "voltage_volt"
CURRENT = "current_ampere"
CYCLE = "cycle_count"
STEP = "step_count"
STEP_INDEX = "step_index"
RECORD = "record_index"
STEP_TIME = "step_time_second"
UNIX_TIME = "unix_time_second"
CHARGE_CAPACITY = "charging_capacity_ah"
DISCHARGE_CAPACITY = "discharging_capacity_ah"
TEMPERATURE = "ambient_temperature_celsius"

REQUIRED_COLUMNS: tuple[str, ...] = (TIME, VOLTAGE, CURRENT)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    CYCLE, STEP, STEP_INDEX, RECORD, STEP_TIME, UNIX_TIME, CHARGE_CAPACITY,
    DISCHARGE_CAPACITY, TEMPERATURE,
)
BDF_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
_INTEGER_COLUMNS = (CYCLE, STEP, STEP_INDEX, RECORD)

#: cell types and the sign of ``current_ampere`` that lithiates the working electrode
CELL_TYPES: dict[str, int] = {"full": +1, "half": -1, "symmetric": -1, "asymmetric": -1}
_CELL = {"cell": OneOf("cell type", tuple(CELL_TYPES))}


def lithiation_sign(cell: str) -> int:
    """Sign of ``current_ampere`` [A] that lithiates the working electrode of ``cell``.

    Parameters
    ----------
    cell : {"full", "half", "symmetric", "asymmetric"}
        Cell type (see the module table).

    Returns
    -------
    int
        ``+1`` (full cell: charging lithiates the anode) or ``-1`` (the working electrode is
        the positive terminal against Li metal or its twin).

    Raises
    ------
    UnknownNameError
        ``cell`` is not a known cell type.

    References
    ----------
    Module docstring (sign convention); seeds 003 (full) and 004 (asymmetric).

    Examples
    --------
    >>> lithiation_sign("full"), lithiation_sign("half")
    (1, -1)
    """
    check_params({"cell": cell}, _CELL)
    return CELL_TYPES[cell]


def validate_timeseries(
    df: pd.DataFrame,
    path: str | PathLike[str] | None = None,
    *,
    rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """Check a tidy time series and return it with float/int dtypes in schema order.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns named as in :data:`BDF_COLUMNS` (others are kept after them).
    path : str or PathLike, optional
        The file the data came from (named in errors).
    rows : numpy.ndarray, optional
        For each row of ``df``, the row number in the file (errors quote it); defaults to
        1-based positions.

    Returns
    -------
    pandas.DataFrame
        Required columns as float64, integer counters as int64, index 0..n-1.

    Raises
    ------
    FileFormatError
        A required column is missing, the table is empty, a value is NaN/infinite,
        ``test_time_second`` decreases, or ``cycle_count`` goes back or skips a cycle (an
        empty cycle); the message names the file, row and column.

    References
    ----------
    Battery Data Format column names (module docstring).
    """
    rows = np.arange(1, len(df) + 1) if rows is None else np.asarray(rows)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise FileFormatError(
            path, f"missing required column(s) {missing}; found {list(map(str, df.columns))}",
            column=missing[0],
        )
    if len(df) == 0:
        raise FileFormatError(path, "no data rows")
    out = {}
    for col in [c for c in BDF_COLUMNS if c in df.columns]:
        values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            i = int(np.argmax(bad))
            raise FileFormatError(path, f"value {df[col].iloc[i]!r} is not a finite number",
                                  row=int(rows[i]), column=col)
        if col in _INTEGER_COLUMNS:
            if np.any(values != np.round(values)):
                i = int(np.argmax(values != np.round(values)))
                raise FileFormatError(path, f"value {values[i]!r} is not an integer",
                                      row=int(rows[i]), column=col)
            out[col] = values.astype(np.int64)
        else:
            out[col] = values
    t = out[TIME]
    back = np.flatnonzero(np.diff(t) < 0)
    if back.size:
        i = int(back[0]) + 1
        raise FileFormatError(
            path, f"time goes backwards ({t[i - 1]:g} s -> {t[i]:g} s); expected "
            "non-decreasing test time", row=int(rows[i]), column=TIME)
    if CYCLE in out and out[CYCLE].size > 1:
        step = np.diff(out[CYCLE])
        bad = np.flatnonzero((step < 0) | (step > 1))
        if bad.size:
            i = int(bad[0]) + 1
            a, b = int(out[CYCLE][i - 1]), int(out[CYCLE][i])
            what = (f"cycle number goes back from {a} to {b}" if b < a else
                    f"cycle(s) {a + 1}..{b - 1} have no records (empty cycle)")
            raise FileFormatError(path, what + "; expected cycle numbers rising by 0 or 1",
                                  row=int(rows[i]), column=CYCLE)
    result = pd.DataFrame(out)
    for col in df.columns:
        if col not in result.columns:
            result[col] = df[col].to_numpy()
    return result


def require_metadata(**values: float | None) -> None:
    """Raise :class:`MissingMetadataError` naming every quantity given as ``None``.

    sianode never defaults an active mass or an electrode area.

    Parameters
    ----------
    **values : float or None
        Name (with unit, e.g. ``mass_mg``) -> value.

    References
    ----------
    Issue 5 ("active mass and electrode area are never defaulted").
    """
    missing = [k for k, v in values.items() if v is None]
    if missing:
        raise MissingMetadataError(
            f"this metric needs {', '.join(missing)}, which was not given "
            "(sianode never defaults active mass or electrode area)")
