"""BioLogic EC-Lab files: ``.mpt`` text exports (own parser) and ``.mpr`` (galvani, GPL).

``.mpt`` layout: line 1 ``EC-Lab ASCII FILE``, line 2 ``Nb header lines : N``, then the
settings; line N is the tab-separated column header (``mode, ox/red, error, control
changes, Ns changes, counter inc., Ns, time/s, control/V/mA, Ewe/V, I/mA, dQ/C,
(Q-Qo)/mA.h, ..., cycle number, ...``) and data start at line N + 1. Exports made with a
European locale write decimal commas. A file saved without header starts directly with the
column header. BioLogic's current is positive for oxidation at the working electrode,
i.e. while a cell whose positive terminal is the working electrode is charged (the schema's
convention).

References
----------
EC-Lab ASCII export layout (as parsed by galvani ``MPTfile`` and yadg ``eclabmpt``).
"""

from __future__ import annotations

import re
from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.io._table import map_columns, parse_delimited, read_text
from sianode.experiments.schema import CURRENT, CYCLE, STEP_INDEX, TIME, VOLTAGE

__all__ = ["read_mpt", "read_mpr", "BIOLOGIC_COLUMNS"]

#: BDF column -> EC-Lab headers and unit factors
BIOLOGIC_COLUMNS: dict[str, list[tuple[str, float]]] = {
    TIME: [("time/s", 1.0)],
    VOLTAGE: [("Ewe/V", 1.0), ("<Ewe>/V", 1.0), ("Ecell/V", 1.0), ("<Ecell>/V", 1.0)],
    CURRENT: [("I/mA", 1e-3), ("<I>/mA", 1e-3), ("I/A", 1.0), ("<I>/A", 1.0)],
    CYCLE: [("cycle number", 1.0)],
    STEP_INDEX: [("Ns", 1.0)],
}
_REQUIRED = (TIME, VOLTAGE, CURRENT)
_NB_HEADER = re.compile(r"^\s*Nb\s+header\s+lines\s*:\s*(\d+)\s*$", re.IGNORECASE)


def read_mpt(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a BioLogic EC-Lab ``.mpt`` text export.

    Parameters
    ----------
    path : str or PathLike
        The ``.mpt`` file (with or without its header block).

    Returns
    -------
    pandas.DataFrame
        Tidy time series (current converted from mA to A).

    Raises
    ------
    FileFormatError
        Bad ``Nb header lines``, file shorter than its header, missing columns, bad rows.

    References
    ----------
    Module docstring (EC-Lab ASCII layout).
    """
    text = read_text(path)
    lines = text.splitlines()
    if lines[0].strip().upper().startswith("EC-LAB ASCII FILE"):
        m = _NB_HEADER.match(lines[1]) if len(lines) > 1 else None
        if not m:
            raise FileFormatError(path, "expected 'Nb header lines : N' on line 2", row=2)
        n = int(m.group(1))
        if n < 3 or n > len(lines):
            raise FileFormatError(path, f"header claims {n} lines but the file has "
                                  f"{len(lines)}; truncated?", row=2)
        header_line = n - 1
    else:
        header_line = 0
    table, rows = parse_delimited(text, path, header_line=header_line, delimiter="\t")
    sample = table.iloc[:50].astype(str)
    decimal_comma = bool(sample.apply(lambda s: s.str.contains(",", regex=False)).any().any())
    return map_columns(table, rows, path, BIOLOGIC_COLUMNS, required=_REQUIRED,
                       decimal_comma=decimal_comma)


def read_mpr(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a BioLogic ``.mpr`` binary through galvani (optional extra ``gpl``).

    Parameters
    ----------
    path : str or PathLike
        The ``.mpr`` file.

    Returns
    -------
    pandas.DataFrame
        Tidy time series.

    Raises
    ------
    DependencyError
        galvani is not installed (``pip install 'sianode[gpl]'``).
    FileFormatError
        galvani cannot parse the file, or columns are missing.

    References
    ----------
    galvani (echemdata/galvani, GPL-3.0) ``BioLogic.MPRfile``.
    """
    try:
        from galvani import BioLogic
    except ImportError as exc:
        raise DependencyError("galvani", "gpl", "reading BioLogic .mpr files") from exc
    try:
        mpr = BioLogic.MPRfile(str(path))
    except FileNotFoundError as exc:
        raise FileFormatError(path, "file not found") from exc
    except Exception as exc:  # galvani raises ValueError, struct.error and others on unknown files
        raise FileFormatError(path, f"galvani cannot read it ({type(exc).__name__}: {exc})") \
            from exc
    data = mpr.data
    table = pd.DataFrame({name: data[name] for name in data.dtype.names})
    rows = np.arange(1, len(table) + 1)
    return map_columns(table, rows, path, BIOLOGIC_COLUMNS, required=_REQUIRED)
