"""Readers of cycler exports into one tidy schema (:mod:`sianode.experiments.schema`).

=========  ===========================  ==============================================
format     files                        reader
=========  ===========================  ==============================================
arbin      Arbin CSV / XLSX exports     :func:`read_arbin`
land       LAND Excel (or CSV) records  :func:`read_land`
neware     Neware .nda / .ndax          :func:`read_neware` (fastnda/NewareNDA, extra io)
biologic   EC-Lab .mpt / .mpr           :func:`read_mpt`; :func:`read_mpr` (galvani, extra gpl)
csv        BDF-named or mapped tables   :func:`read_table`
parquet    files from write_parquet     :func:`read_parquet`
=========  ===========================  ==============================================

Impedance spectra (CHI660E text exports, EIS CSV with explicit Z'' sign convention) are read
by :func:`read_impedance` into an :class:`ImpedanceSpectrum`.

:func:`read_cycler` picks the reader from the extension and the header. Heavy packages
(openpyxl, fastnda, galvani, pyarrow) are imported only when a file needs them.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

from sianode.errors import FileFormatError, UnknownNameError
from sianode.experiments.io._table import normalize_header, read_excel_sheets, read_text
from sianode.experiments.io.arbin import read_arbin
from sianode.experiments.io.biologic import read_mpr, read_mpt
from sianode.experiments.io.generic import read_table
from sianode.experiments.io.impedance_files import (
    ImpedanceSpectrum,
    read_chi_impedance,
    read_eis_csv,
    read_impedance,
)
from sianode.experiments.io.land import read_land
from sianode.experiments.io.neware import read_neware
from sianode.experiments.io.parquet import read_parquet, read_parquet_metadata, write_parquet
from sianode.experiments.schema import REQUIRED_COLUMNS

__all__ = [
    "FORMATS",
    "detect_format",
    "read_cycler",
    "read_arbin",
    "read_land",
    "read_neware",
    "read_mpt",
    "read_mpr",
    "read_table",
    "read_parquet",
    "read_parquet_metadata",
    "write_parquet",
    "ImpedanceSpectrum",
    "read_chi_impedance",
    "read_eis_csv",
    "read_impedance",
]

FORMATS = ("auto", "arbin", "land", "neware", "biologic", "csv", "parquet")


def _kind_from_header(keys: set[str]) -> str | None:
    if {"testtime(s)", "datapoint"} & keys or "cycleindex" in keys and "voltage(v)" in keys:
        return "arbin"
    if "voltage/v" in keys or "voltage/mv" in keys:
        return "land"
    if {normalize_header(c) for c in REQUIRED_COLUMNS} <= keys:
        return "csv"
    return None


def detect_format(path: str | PathLike[str]) -> str:
    """Guess the export format of ``path`` from its extension and header.

    Returns
    -------
    str
        One of ``arbin, land, neware, biologic, csv, parquet``.

    Raises
    ------
    FileFormatError
        The file matches no known layout (the message lists them).

    References
    ----------
    Module table.
    """
    ext = Path(path).suffix.lower()
    if ext in {".mpt", ".mpr"}:
        return "biologic"
    if ext in {".nda", ".ndax"}:
        return "neware"
    if ext in {".parquet", ".pq"}:
        return "parquet"
    if ext in {".xlsx", ".xlsm", ".xls"}:
        sheets = read_excel_sheets(path)
        if any(str(k).lower().startswith("channel") for k in sheets):
            return "arbin"
        for sheet in sheets.values():
            for i in range(min(len(sheet), 10)):
                kind = _kind_from_header({normalize_header(x) for x in sheet.iloc[i].tolist()})
                if kind:
                    return kind
        raise FileFormatError(path, "unrecognised Excel layout; pass format= (one of "
                              f"{', '.join(FORMATS[1:])})")
    text = read_text(path)
    first = text.lstrip().splitlines()[0]
    if first.upper().startswith("EC-LAB ASCII FILE"):
        return "biologic"
    keys = {normalize_header(x) for x in first.replace("\t", ",").replace(";", ",").split(",")}
    kind = _kind_from_header(keys)
    if kind is None:
        raise FileFormatError(path, "unrecognised layout of the header line; pass format= "
                              f"(one of {', '.join(FORMATS[1:])}) or a column map", row=1)
    return kind


def read_cycler(path: str | PathLike[str], format: str = "auto", **kwargs) -> pd.DataFrame:
    """Read any supported cycler export into the tidy schema.

    Parameters
    ----------
    path : str or PathLike
        The file.
    format : {"auto", "arbin", "land", "neware", "biologic", "csv", "parquet"}
        ``auto`` uses :func:`detect_format`.
    **kwargs
        Passed to the reader (``column_map``/``scale`` for ``csv``).

    Returns
    -------
    pandas.DataFrame
        Tidy time series.

    Raises
    ------
    UnknownNameError
        Unknown ``format``.
    FileFormatError
        The file cannot be read in that format.

    References
    ----------
    Module table; issue 5.
    """
    if format not in FORMATS:
        raise UnknownNameError("cycler format", format, FORMATS)
    if not Path(path).is_file():
        raise FileFormatError(path, "file not found")
    kind = detect_format(path) if format == "auto" else format
    if kind == "biologic":
        return read_mpr(path) if Path(path).suffix.lower() == ".mpr" else read_mpt(path)
    readers = {"arbin": read_arbin, "land": read_land, "neware": read_neware,
               "csv": read_table, "parquet": read_parquet}
    return readers[kind](path, **kwargs)
