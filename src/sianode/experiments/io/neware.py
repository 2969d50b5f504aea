"""Neware files: ``.nda``/``.ndax`` binaries (fastnda or NewareNDA) and BTSDA CSV exports.

fastnda returns Battery Data Format columns directly (``columns="bdf"``: ``voltage_volt``,
``current_ampere``, ``test_time_second``, ``cycle_count``, ``step_count``, ``step_id``...);
NewareNDA returns ``Time`` [s] (step time, or test time in some file versions),
``Voltage`` [V], ``Current(mA)``, ``Cycle``, ``Step``, ``Step_Index`` and a timezone-aware
``Timestamp``. Both keep Neware's sign (positive on charge). ``cycle_count`` is the
numbering NewareNDA and the instrument's software report (a new cycle at each charge that
follows a discharge: ``cycle_mode="chg"`` of both readers), not fastnda's raw counter.

``test_time_second`` is the instrument's test time (accumulated step time, which excludes
pauses); ``unix_time_second`` is the wall clock, which can jump (pauses, clock changes:
one real file's clock goes back by 165 s), so capacities are never integrated over it.

BTSDA "regular export" CSV files stack three header rows: a cycle row (``Cycle Index,
Chg. Cap.(Ah), DChg. Cap.(Ah), ...``), a step row (``,Step Index, Step Number, Step Type,
...``) and a record row (``,,DataPoint, Time, Total Time, Current(A), Voltage(V),
Capacity(Ah), ...``); the data interleave them the same way. Records take the cycle and
step of the rows above them; times are ``h:mm:ss``.

References
----------
fastnda (Empa) ``fastnda.read``; NewareNDA (Solid Power) ``NewareNDA.read``; cellpy's
``nw_regular_export_ife_example.csv`` (BTSDA layout); seed 004 (Neware).
"""

from __future__ import annotations

import io
from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import map_columns, normalize_header, parse_duration_s
from sianode.experiments.schema import (
    CHARGE_CAPACITY,
    CURRENT,
    CYCLE,
    DISCHARGE_CAPACITY,
    RECORD,
    STEP,
    STEP_INDEX,
    STEP_TIME,
    TIME,
    UNIX_TIME,
    VOLTAGE,
    validate_timeseries,
)

__all__ = ["read_neware", "read_neware_csv", "is_neware_csv", "NEWARE_CSV_COLUMNS"]

_FASTNDA = {"step_id": STEP_INDEX}


def _with_fastnda(path) -> pd.DataFrame:
    import fastnda

    pl_df = fastnda.read(str(path), cycle_mode="chg", columns="bdf")
    df = pl_df.to_pandas() if hasattr(pl_df, "to_pandas") else pd.DataFrame(pl_df)
    return df.rename(columns=_FASTNDA)


def _test_time(time_s: np.ndarray) -> np.ndarray:
    """Test time from a time column that restarts at each step (or already runs on)."""
    if time_s.size == 0:
        return time_s
    d = np.diff(time_s)
    dt = np.where(d >= 0, d, time_s[1:])  # a restart: the new step's own time so far
    return time_s[0] + np.r_[0.0, np.cumsum(dt)]


def _with_newarenda(path) -> pd.DataFrame:
    import NewareNDA

    raw = NewareNDA.read(str(path), cycle_mode="chg")
    time_s = raw["Time"].to_numpy(dtype=float)
    out = pd.DataFrame({
        VOLTAGE: raw["Voltage"].to_numpy(dtype=float),
        CURRENT: raw["Current(mA)"].to_numpy(dtype=float) * 1e-3,
        CYCLE: raw["Cycle"].to_numpy(),
        STEP: raw["Step"].to_numpy(),
        STEP_INDEX: raw["Step_Index"].to_numpy(),
        RECORD: raw["Index"].to_numpy(),
    })
    out[TIME] = _test_time(time_s)
    if "Timestamp" in raw:
        ts = pd.to_datetime(raw["Timestamp"])
        epoch = pd.Timestamp("1970-01-01", tz=ts.dt.tz) if ts.dt.tz is not None \
            else pd.Timestamp("1970-01-01")
        out[UNIX_TIME] = (ts - epoch).dt.total_seconds().to_numpy()
    return out


def read_neware(path: str | PathLike[str] | Source, *, backend: str = "auto") -> pd.DataFrame:
    """Read a Neware ``.nda`` or ``.ndax`` file.

    Parameters
    ----------
    path : str, PathLike or Source
        The binary file (a BTSDA ``.csv`` export goes to :func:`read_neware_csv`).
    backend : {"auto", "fastnda", "newarenda"}
        ``auto`` uses fastnda when installed, else NewareNDA.

    Returns
    -------
    pandas.DataFrame
        Tidy time series (current in A, positive on charge).

    Raises
    ------
    DependencyError
        Neither fastnda nor NewareNDA is installed (extra ``io``).
    FileFormatError
        The backend cannot parse the file.

    References
    ----------
    Module docstring; seed 004 (Neware cycler).
    """
    src = open_source(path)
    if src.suffix not in (".nda", ".ndax") and src.is_text:
        return read_neware_csv(src)
    path = src.path
    backends = {"fastnda": _with_fastnda, "newarenda": _with_newarenda}
    if backend == "auto":
        order = ["fastnda", "newarenda"]
    elif backend in backends:
        order = [backend]
    else:
        from sianode.errors import UnknownNameError

        raise UnknownNameError("Neware backend", backend, ["auto", *backends])
    last: ImportError | None = None
    for name in order:
        try:
            df = backends[name](path)
        except ImportError as exc:
            last = exc
            continue
        except FileNotFoundError as exc:
            raise FileFormatError(path, "file not found") from exc
        except Exception as exc:  # the backends raise many types on corrupt files
            raise FileFormatError(path, f"{name} cannot read it ({type(exc).__name__}: {exc})") \
                from exc
        return validate_timeseries(df, path)
    raise DependencyError("fastnda or NewareNDA", "io", "reading Neware .nda/.ndax files") \
        from last


#: BDF column -> BTSDA record headers and unit factors
NEWARE_CSV_COLUMNS: dict[str, list[tuple[str, float]]] = {
    TIME: [("Total Time", 1.0)],
    VOLTAGE: [("Voltage(V)", 1.0), ("Voltage(mV)", 1e-3)],
    CURRENT: [("Current(A)", 1.0), ("Current(mA)", 1e-3)],
    RECORD: [("DataPoint", 1.0)],
    STEP_TIME: [("Time", 1.0)],
}


def is_neware_csv(lines: list[str]) -> bool:
    """True if the first lines are BTSDA's three stacked header rows."""
    if len(lines) < 3:
        return False
    keys = [{normalize_header(x) for x in line.split(",")} for line in lines[:3]]
    return ("cycleindex" in keys[0] and "stepindex" in keys[1] and lines[1].startswith(",")
            and "datapoint" in keys[2] and lines[2].startswith(",,"))


def read_neware_csv(path: str | PathLike[str] | Source) -> pd.DataFrame:
    """Read a Neware BTSDA CSV export with stacked cycle/step/record header rows.

    Parameters
    ----------
    path : str, PathLike or Source
        The ``.csv`` export.

    Returns
    -------
    pandas.DataFrame
        Tidy time series with ``cycle_count`` and ``step_count``/``step_index`` from the
        cycle and step rows, and ``charging_capacity_ah``/``discharging_capacity_ah`` from
        the record's step capacity and the sign of its current.

    Raises
    ------
    FileFormatError
        Not the stacked layout, records before any cycle/step row, bad values.

    References
    ----------
    Module docstring (BTSDA layout).
    """
    src = open_source(path)
    head = src.head_lines(3)
    if not is_neware_csv(head):
        raise FileFormatError(src.path, "not a Neware BTSDA export: expected three stacked "
                              "header rows (Cycle Index... / ,Step Index... / ,,DataPoint...)",
                              row=1)
    text = src.text
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[3:]
    while raw_lines and not raw_lines[-1].strip():
        raw_lines.pop()
    cyc_names = [x.strip() for x in head[0].split(",")]
    step_names = [x.strip() for x in head[1].split(",")]
    rec_names = [x.strip() for x in head[2].split(",")][2:]
    lines, numbers = [], []
    n_cyc = len(cyc_names)
    for k, line in enumerate(raw_lines):
        if line and line[0] != ",":  # a cycle row may carry its first step after its fields
            fields = line.split(",")
            if len(fields) > n_cyc:
                lines += [",".join(fields[:n_cyc]), "," + ",".join(fields[n_cyc:])]
                numbers += [k + 4, k + 4]
                continue
        lines.append(line)
        numbers.append(k + 4)
    arr = np.array(lines, dtype=object)
    is_rec = np.fromiter((s.startswith(",,") for s in lines), bool, len(lines))
    is_step = np.fromiter((s.startswith(",") for s in lines), bool, len(lines)) & ~is_rec
    is_cyc = ~is_rec & ~is_step
    line_no = np.asarray(numbers)
    if not is_rec.any():
        raise FileFormatError(src.path, "no record rows (lines starting with ',,')")
    first_rec = int(np.argmax(is_rec))
    if not is_cyc[:first_rec].any() or not is_step[:first_rec].any():
        raise FileFormatError(src.path, "record row before any cycle/step row",
                              row=int(line_no[first_rec]))

    def read_rows(mask: np.ndarray, skip: int, names: list[str]) -> pd.DataFrame:
        body = "\n".join(s[skip:] for s in arr[mask])
        return pd.read_csv(io.StringIO(body), header=None, names=names, usecols=range(len(names)),
                           dtype=str, keep_default_na=False, engine="c")

    try:
        cycles = read_rows(is_cyc, 0, cyc_names)
        steps = read_rows(is_step, 1, step_names[1:])
        records = read_rows(is_rec, 2, rec_names)
    except (ValueError, pd.errors.ParserError) as exc:
        raise FileFormatError(src.path, f"irregular row ({exc})") from exc
    cyc_of_line = np.cumsum(is_cyc) - 1
    step_of_line = np.cumsum(is_step) - 1
    rows = line_no[is_rec]
    df = map_columns(records, rows, src.path, NEWARE_CSV_COLUMNS,
                     required=(TIME, VOLTAGE, CURRENT),
                     converters={TIME: parse_duration_s, STEP_TIME: parse_duration_s})
    cyc_col = next(c for c in cyc_names if normalize_header(c) == "cycleindex")
    cyc_idx = pd.to_numeric(cycles[cyc_col], errors="coerce").to_numpy()
    step_num = pd.to_numeric(steps.get("Step Number"), errors="coerce")
    step_idx = pd.to_numeric(steps.get("Step Index"), errors="coerce")
    df[CYCLE] = cyc_idx[cyc_of_line[is_rec]].astype(np.int64)
    if step_num is not None:
        df[STEP] = step_num.to_numpy()[step_of_line[is_rec]].astype(np.int64)
    if step_idx is not None:
        df[STEP_INDEX] = step_idx.to_numpy()[step_of_line[is_rec]].astype(np.int64)
    if "Step Type" in steps:
        df["step_type"] = steps["Step Type"].to_numpy()[step_of_line[is_rec]]
    cap_col = next((c for c in rec_names if normalize_header(c) == "capacity(ah)"), None)
    if cap_col is not None:
        cap = pd.to_numeric(records[cap_col], errors="coerce").to_numpy(dtype=float)
        cur = df[CURRENT].to_numpy()
        df[CHARGE_CAPACITY] = np.where(cur > 0, cap, 0.0)
        df[DISCHARGE_CAPACITY] = np.where(cur < 0, cap, 0.0)
    from sianode.experiments.schema import validate_timeseries

    return validate_timeseries(df, src.path, rows=rows)
