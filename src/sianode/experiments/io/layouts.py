"""Write tidy records in instruments' export layouts (golden files for tests and demos).

These writers produce the files the readers accept, in the layout the instruments export,
so that reader tests run on files generated on the fly (no instrument files are stored):
Arbin MITS Pro CSV/XLSX, LANDdt Excel (indexed and State layouts) and EC-Lab ``.mpt``
(CRLF line ends, tab delimiter, ``Nb header lines``, optional decimal commas).

References
----------
Layouts described in :mod:`sianode.experiments.io.arbin`, :mod:`~sianode.experiments.io.land`
and :mod:`~sianode.experiments.io.biologic`.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from sianode.experiments.schema import CURRENT, CYCLE, STEP_INDEX, TIME, VOLTAGE

__all__ = ["arbin_frame", "write_arbin_csv", "write_arbin_xlsx", "land_frame",
           "write_land_xlsx", "write_mpt"]


def _counter_ah(df: pd.DataFrame, positive: bool) -> np.ndarray:
    """Cycler-style cumulative charge (or discharge) counter [Ah], reset each cycle."""
    t = df[TIME].to_numpy()
    i = df[CURRENT].to_numpy()
    dt = np.r_[0.0, np.diff(t)]
    dq = np.where(i > 0 if positive else i < 0, np.abs(i) * dt / 3600.0, 0.0)
    cyc = df[CYCLE].to_numpy() if CYCLE in df else np.ones(len(df), dtype=int)
    out = np.empty(len(df))
    for c in np.unique(cyc):
        m = cyc == c
        out[m] = np.cumsum(dq[m])
    return out


def arbin_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The tidy records as an Arbin MITS Pro export table (headers and units).

    References
    ----------
    :mod:`sianode.experiments.io.arbin` (layout).
    """
    n = len(df)
    t = df[TIME].to_numpy()
    start = pd.Timestamp("2024-03-01 09:00:00")
    dates = (start + pd.to_timedelta(t, unit="s")).strftime("%m/%d/%Y %H:%M:%S")
    step = df[STEP_INDEX].to_numpy() if STEP_INDEX in df else np.ones(n, dtype=int)
    new_step = np.r_[True, np.diff(step) != 0]
    step_start = t[np.maximum.accumulate(np.where(new_step, np.arange(n), 0))]
    return pd.DataFrame({
        "Data_Point": np.arange(1, n + 1),
        "Test_Time(s)": t,
        "Date_Time": dates,
        "Step_Time(s)": t - step_start,
        "Step_Index": step,
        "Cycle_Index": df[CYCLE].to_numpy() if CYCLE in df else np.ones(n, dtype=int),
        "Current(A)": df[CURRENT].to_numpy(),
        "Voltage(V)": df[VOLTAGE].to_numpy(),
        "Charge_Capacity(Ah)": _counter_ah(df, True),
        "Discharge_Capacity(Ah)": _counter_ah(df, False),
        "Charge_Energy(Wh)": np.zeros(n),
        "Discharge_Energy(Wh)": np.zeros(n),
        "dV/dt(V/s)": np.r_[0.0, np.diff(df[VOLTAGE].to_numpy()) / np.maximum(np.diff(t), 1e-9)],
        "Internal_Resistance(Ohm)": np.zeros(n),
    })


def write_arbin_csv(df: pd.DataFrame, path: str | PathLike[str]) -> None:
    """Write an Arbin MITS Pro CSV export of ``df``.

    References
    ----------
    :mod:`sianode.experiments.io.arbin` (layout).
    """
    arbin_frame(df).to_csv(path, index=False, float_format="%.10g")


def write_arbin_xlsx(df: pd.DataFrame, path: str | PathLike[str], rows_per_sheet: int = 65000,
                     channel: str = "Channel_1-006") -> None:
    """Write an Arbin XLSX export: ``Global_Info`` then data sheets of ``rows_per_sheet``.

    References
    ----------
    :mod:`sianode.experiments.io.arbin` (layout).
    """
    table = arbin_frame(df)
    info = pd.DataFrame({"TEST REPORT": ["Test Name", "Channel", "Schedule File Name"],
                         "": ["sianode_golden", "6", "Si_half_cell.sdx"]})
    chunks = [table.iloc[i:i + rows_per_sheet] for i in range(0, len(table), rows_per_sheet)]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        info.to_excel(xw, sheet_name="Global_Info", index=False)
        for k, chunk in enumerate(chunks):
            name = channel if len(chunks) == 1 else f"{channel}_{k + 1}"
            chunk.to_excel(xw, sheet_name=name, index=False)


def _hms(seconds: np.ndarray) -> list[str]:
    out = []
    for s in seconds:
        h, rem = divmod(float(s), 3600.0)
        m, sec = divmod(rem, 60.0)
        out.append(f"{int(h)}:{int(m):02d}:{sec:06.3f}")
    return out


def land_frame(df: pd.DataFrame, layout: str = "indexed") -> pd.DataFrame:
    """The tidy records as a LANDdt record table.

    ``layout="indexed"``: ``Record, Cycle-Index, Step-Index, TestTime/Sec, StepTime/Sec,
    Voltage/V, Current/mA, Capacity/mAh`` with signed current; ``layout="state"``: ``Record,
    TestTime, StepTime, Voltage/V, Current/mA, Capacity/mAh, State`` with ``h:mm:ss.sss``
    times, current magnitudes and ``C``/``D``/``R`` states.

    References
    ----------
    :mod:`sianode.experiments.io.land` (layouts).
    """
    n = len(df)
    t = df[TIME].to_numpy()
    i_mA = df[CURRENT].to_numpy() * 1e3
    step = df[STEP_INDEX].to_numpy() if STEP_INDEX in df else np.ones(n, dtype=int)
    new_step = np.r_[True, np.diff(step) != 0]
    step_start = t[np.maximum.accumulate(np.where(new_step, np.arange(n), 0))]
    cap = (_counter_ah(df, True) + _counter_ah(df, False)) * 1e3
    if layout == "indexed":
        return pd.DataFrame({
            "Record": np.arange(1, n + 1),
            "Cycle-Index": df[CYCLE].to_numpy() if CYCLE in df else np.ones(n, dtype=int),
            "Step-Index": step,
            "TestTime/Sec": t,
            "StepTime/Sec": t - step_start,
            "Voltage/V": df[VOLTAGE].to_numpy(),
            "Current/mA": i_mA,
            "Capacity/mAh": cap,
        })
    state = np.where(i_mA > 0, "C_CC", np.where(i_mA < 0, "D_CC", "R"))
    return pd.DataFrame({
        "Record": np.arange(1, n + 1),
        "TestTime": _hms(t),
        "StepTime": _hms(t - step_start),
        "Voltage/V": df[VOLTAGE].to_numpy(),
        "Current/mA": np.abs(i_mA),
        "Capacity/mAh": cap,
        "State": state,
    })


def write_land_xlsx(df: pd.DataFrame, path: str | PathLike[str], layout: str = "indexed") -> None:
    """Write a LANDdt Excel export: an ``Info`` sheet, then the ``Record`` sheet.

    References
    ----------
    :mod:`sianode.experiments.io.land` (layouts).
    """
    info = pd.DataFrame({"Test information": ["Equipment", "Channel"],
                         "": ["CT2001A", "5-3"]})
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        info.to_excel(xw, sheet_name="Info", index=False)
        land_frame(df, layout).to_excel(xw, sheet_name="Record", index=False)


def write_mpt(df: pd.DataFrame, path: str | PathLike[str], *, decimal_comma: bool = False,
              trailing_tab: bool = False) -> None:
    """Write an EC-Lab ``.mpt`` (GCPL) text export of ``df`` (CRLF line ends).

    References
    ----------
    :mod:`sianode.experiments.io.biologic` (layout; galvani ``MPTfile`` reads it too).
    """
    n = len(df)
    i_mA = df[CURRENT].to_numpy() * 1e3
    t = df[TIME].to_numpy()
    cols = {
        "mode": np.where(i_mA != 0, 1, 3),
        "ox/red": (i_mA > 0).astype(int),
        "error": np.zeros(n, dtype=int),
        "control changes": np.zeros(n, dtype=int),
        "Ns changes": np.r_[0, (np.diff(df[STEP_INDEX].to_numpy()) != 0).astype(int)]
        if STEP_INDEX in df else np.zeros(n, dtype=int),
        "counter inc.": np.zeros(n, dtype=int),
        "Ns": df[STEP_INDEX].to_numpy() if STEP_INDEX in df else np.zeros(n, dtype=int),
        "time/s": t,
        "control/V/mA": i_mA,
        "Ewe/V": df[VOLTAGE].to_numpy(),
        "I/mA": i_mA,
        "dQ/C": np.r_[0.0, i_mA[1:] * 1e-3 * np.diff(t)],
        "(Q-Qo)/mA.h": np.cumsum(np.r_[0.0, i_mA[1:] * np.diff(t) / 3600.0]),
        "cycle number": (df[CYCLE].to_numpy() - 1 if CYCLE in df else np.zeros(n)).astype(float),
    }
    settings = [
        "",
        "Galvanostatic Cycling with Potential Limitation",
        "",
        "Run on channel : 1 (SN 0324)",
        "Electrode connection : standard",
        "Ewe ctrl range : min = 0,00 V, max = 5,00 V",
        "Acquisition started on : 03/01/2024 09:00:00",
        "Device : VMP3 (SN 0324)",
        "Electrode material : Si",
        "Mass of active material : 1,000 mg",
        "Electrode surface area : 0,785 cm²",
        "",
    ]
    header = "\t".join(cols)
    nb = 2 + len(settings) + 1
    tail = "\t" if trailing_tab else ""

    def fmt(v) -> str:
        s = f"{v:.10g}" if isinstance(v, float | np.floating) else str(v)
        return s.replace(".", ",") if decimal_comma else s

    with open(path, "w", encoding="latin-1", newline="") as fh:
        fh.write("EC-Lab ASCII FILE\r\n")
        fh.write(f"Nb header lines : {nb}\r\n")
        for line in settings:
            fh.write(line + "\r\n")
        fh.write(header + tail + "\r\n")
        values = list(cols.values())
        for r in range(n):
            fh.write("\t".join(fmt(col[r]) for col in values) + tail + "\r\n")
