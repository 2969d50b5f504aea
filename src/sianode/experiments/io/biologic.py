"""BioLogic EC-Lab files: ``.mpt`` text exports (own parser) and ``.mpr`` (galvani, GPL).

``.mpt`` layout: line 1 ``EC-Lab ASCII FILE``, line 2 ``Nb header lines : N``, then the
settings; line N is the tab-separated column header (``mode, ox/red, error, control
changes, Ns changes, counter inc., Ns, time/s, control/V/mA, Ewe/V, I/mA, dQ/C,
(Q-Qo)/mA.h, ..., cycle number, ...``) and data start at line N + 1. Exports made with a
European locale write decimal commas. A file saved without header starts directly with the
column header. BioLogic's current is positive for oxidation at the working electrode,
i.e. while a cell whose positive terminal is the working electrode is charged (the schema's
convention).

Cycle numbers: EC-Lab's ``cycle number`` counts from 0; ``cycle_count`` is that plus 1
(1-based, as Arbin, Neware and navani count). Where a file has only ``half cycle`` (galvani's
``.mpr`` columns for GCPL), ``cycle_count = half cycle // 2 + 1``.

``.mpr`` files written by GCPL often carry no current column: the current of each record is
then rebuilt from the charge passed since the previous record and the time step,
``I = dq / dt`` (``dq/mA.h`` x 3.6 As/mAh, as navani and galvani users do), so that the
integrated current reproduces EC-Lab's own ``dq`` exactly. Impedance techniques (PEIS/GEIS)
are refused here: they are spectra, read by :func:`~sianode.experiments.io.read_impedance`.

References
----------
EC-Lab ASCII export layout (as parsed by galvani ``MPTfile`` and yadg ``eclabmpt``); navani
``echem_file_loader`` (current from ``dq/mA.h`` and time; cycle from ``half cycle``).
"""

from __future__ import annotations

import re
from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import map_columns, normalize_header, parse_delimited
from sianode.experiments.schema import CURRENT, CYCLE, STEP_INDEX, TIME, VOLTAGE

__all__ = ["read_mpt", "read_mpr", "BIOLOGIC_COLUMNS", "mpt_header_line", "EIS_TECHNIQUES"]

#: technique names (line 4 of an .mpt) and columns that mark an impedance file
EIS_TECHNIQUES = ("Potentio Electrochemical Impedance", "Galvano Electrochemical Impedance",
                  "Staircase Potentio Electrochemical Impedance")
_EIS_COLUMNS = {"freq/hz", "re(z)/ohm", "-im(z)/ohm"}

#: BDF column -> EC-Lab headers and unit factors
BIOLOGIC_COLUMNS: dict[str, list[tuple[str, float]]] = {
    TIME: [("time/s", 1.0)],
    VOLTAGE: [("Ewe/V", 1.0), ("<Ewe>/V", 1.0), ("Ecell/V", 1.0), ("<Ecell>/V", 1.0)],
    CURRENT: [("I/mA", 1e-3), ("<I>/mA", 1e-3), ("I/A", 1.0), ("<I>/A", 1.0)],
    CYCLE: [("cycle number", 1.0)],
    STEP_INDEX: [("Ns", 1.0)],
}
_MPR_COLUMNS = {
    TIME: [("time/s", 1.0)],
    VOLTAGE: BIOLOGIC_COLUMNS[VOLTAGE],
    CURRENT: BIOLOGIC_COLUMNS[CURRENT],
    STEP_INDEX: [("Ns", 1.0)],
}
_REQUIRED = (TIME, VOLTAGE, CURRENT)
_NB_HEADER = re.compile(r"^\s*Nb\s+header\s+lines\s*:\s*(\d+)\s*$", re.IGNORECASE)


def mpt_header_line(src: Source) -> int:
    """0-based line of the column header of an ``.mpt`` (0 for a file saved without header).

    Raises
    ------
    FileFormatError
        Bad ``Nb header lines``, or a header longer than the file.
    """
    lines = src.head_lines(3)
    if not lines[0].strip().upper().startswith("EC-LAB ASCII FILE"):
        return 0
    m = _NB_HEADER.match(lines[1]) if len(lines) > 1 else None
    if not m:
        raise FileFormatError(src.path, "expected 'Nb header lines : N' on line 2", row=2)
    n = int(m.group(1))
    have = len(src.head_lines(n + 1))
    if n < 3 or n > have:
        raise FileFormatError(src.path, f"header claims {n} lines but the file has {have}; "
                              "truncated?", row=2)
    return n - 1


def _refuse_impedance(src: Source, header_line: int) -> None:
    lines = src.head_lines(header_line + 1)
    technique = next((t for t in EIS_TECHNIQUES if any(t in x for x in lines[:6])), None)
    keys = {normalize_header(x) for x in lines[header_line].split("\t")}
    if technique or keys >= _EIS_COLUMNS:
        raise FileFormatError(src.path, f"is an impedance spectrum (BioLogic "
                              f"{technique or 'EIS'} .mpt), not cycling data; analyse it with "
                              "`sianode analyze eis`")


def read_mpt(path: str | PathLike[str] | Source) -> pd.DataFrame:
    """Read a BioLogic EC-Lab ``.mpt`` text export of a cycling technique (GCPL, MB, ...).

    Parameters
    ----------
    path : str, PathLike or Source
        The ``.mpt`` file (with or without its header block).

    Returns
    -------
    pandas.DataFrame
        Tidy time series (current converted from mA to A; ``cycle_count`` 1-based).

    Raises
    ------
    FileFormatError
        Bad ``Nb header lines``, file shorter than its header, an impedance file, missing
        columns, bad rows.

    References
    ----------
    Module docstring (EC-Lab ASCII layout).
    """
    src = open_source(path)
    header_line = mpt_header_line(src)
    _refuse_impedance(src, header_line)
    table, rows = parse_delimited(src, header_line=header_line, delimiter="\t")
    df = map_columns(table, rows, src.path, BIOLOGIC_COLUMNS, required=_REQUIRED)
    if CYCLE in df:
        df[CYCLE] = df[CYCLE] + 1
    return df


def _current_from_dq(table: pd.DataFrame, path) -> np.ndarray:
    """Current [mA] of each record from ``dq/mA.h`` and ``time/s`` (``I = dq / dt``)."""
    t = table["time/s"].to_numpy(dtype=float)
    dq = table["dq/mA.h"].to_numpy(dtype=float) * 3600.0  # mA s
    dt = np.r_[np.inf, np.diff(t)]
    with np.errstate(divide="ignore", invalid="ignore"):
        cur = np.where(dt > 0, dq / dt, 0.0)
    lost = (dt <= 0) & (dq != 0)
    if lost[1:].any():
        i = int(np.flatnonzero(lost[1:])[0]) + 1
        raise FileFormatError(path, f"charge {dq[i] / 3600:g} mAh passed in zero time; cannot "
                              "rebuild the current", row=i + 1, column="dq/mA.h")
    return cur


def read_mpr(path: str | PathLike[str] | Source) -> pd.DataFrame:
    """Read a BioLogic ``.mpr`` binary through galvani (optional extra ``gpl``).

    Parameters
    ----------
    path : str, PathLike or Source
        The ``.mpr`` file.

    Returns
    -------
    pandas.DataFrame
        Tidy time series; the current is rebuilt from ``dq/mA.h`` when the file has no
        current column, and ``cycle_count`` comes from ``cycle number`` or ``half cycle``.

    Raises
    ------
    DependencyError
        galvani is not installed (``pip install 'sianode[gpl]'``).
    FileFormatError
        galvani cannot parse the file, it holds an impedance spectrum, or columns are
        missing.

    References
    ----------
    galvani (echemdata/galvani, GPL-3.0) ``BioLogic.MPRfile``; navani (current from dq).
    """
    src = open_source(path)
    try:
        from galvani import BioLogic
    except ImportError as exc:
        raise DependencyError("galvani", "gpl", "reading BioLogic .mpr files") from exc
    try:
        mpr = BioLogic.MPRfile(str(src.path))
    except FileNotFoundError as exc:
        raise FileFormatError(src.path, "file not found") from exc
    except Exception as exc:  # galvani raises ValueError, struct.error and others on unknown files
        raise FileFormatError(src.path, f"galvani cannot read it ({type(exc).__name__}: {exc})"
                              ) from exc
    data = mpr.data
    table = pd.DataFrame({name: data[name] for name in data.dtype.names})
    if "freq/hz" in {normalize_header(c) for c in table.columns}:
        raise FileFormatError(src.path, "is an impedance spectrum (BioLogic EIS .mpr), not "
                              "cycling data; export it as .mpt and analyse it with "
                              "`sianode analyze eis`")
    has_current = any(h in table.columns for h, _ in _MPR_COLUMNS[CURRENT])
    if not has_current and {"dq/mA.h", "time/s"} <= set(table.columns):
        table["I/mA"] = _current_from_dq(table, src.path)
    rows = np.arange(1, len(table) + 1)
    spec = dict(_MPR_COLUMNS)
    if "Ns" in table.columns:
        spec[STEP_INDEX] = [("Ns", 1.0)]
    df = map_columns(table, rows, src.path, spec, required=_REQUIRED)
    if "cycle number" in table.columns:
        df[CYCLE] = table["cycle number"].to_numpy(dtype=np.int64) + 1
    elif "half cycle" in table.columns:
        df[CYCLE] = table["half cycle"].to_numpy(dtype=np.int64) // 2 + 1
    return df
