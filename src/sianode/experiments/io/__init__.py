"""Readers of cycler and impedance files through one reading core, into one tidy schema.

=========  ==============================================  ===================================
format     files                                           reader
=========  ==============================================  ===================================
arbin      Arbin CSV/XLSX exports (with or without units   :func:`read_arbin`
           in the headers), native ``.res`` (MS Access)
land       LAND Excel (or CSV) records                     :func:`read_land`
neware     Neware .nda/.ndax (fastnda or NewareNDA), and   :func:`read_neware`,
           BTSDA CSV exports with stacked headers          :func:`read_neware_csv`
biologic   EC-Lab .mpt / .mpr (GCPL, MB, ...)              :func:`read_mpt`; :func:`read_mpr`
                                                           (galvani, extra gpl)
csv        BDF machine names, BDF labels with units        :func:`read_table`
           (``Test Time / h``), short names, or any table
           with a column map
parquet    files from write_parquet                        :func:`read_parquet`
=========  ==============================================  ===================================

The core (``_source``, ``_table``): a file is opened once (:class:`Source`: bytes, magic,
text decoded once, workbook parsed once with python-calamine), rows are parsed in one place
with one set of messages, and every vendor layout is a mapping onto the BDF columns of
:mod:`sianode.experiments.schema`. :func:`detect_format` and the reader share the Source.

Impedance spectra (CHI text, BioLogic PEIS ``.mpt``, Gamry ``.DTA``, CSV with or without a
header) are read by :func:`read_impedance` into an :class:`ImpedanceSpectrum`; handed to
:func:`read_cycler` they are refused with a message naming the format.
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from sianode.errors import FileFormatError, UnknownNameError
from sianode.experiments.io._source import MAGIC_NAMES, Source, open_source
from sianode.experiments.io._table import normalize_header, read_text
from sianode.experiments.io.arbin import is_arbin_header, read_arbin, read_arbin_res
from sianode.experiments.io.bdf import bdf_spec
from sianode.experiments.io.biologic import read_mpr, read_mpt
from sianode.experiments.io.generic import from_frame, read_table
from sianode.experiments.io.impedance_files import (
    ImpedanceSpectrum,
    detect_impedance_format,
    read_chi_impedance,
    read_eis_csv,
    read_impedance,
)
from sianode.experiments.io.land import read_land
from sianode.experiments.io.neware import is_neware_csv, read_neware, read_neware_csv
from sianode.experiments.io.parquet import read_parquet, read_parquet_metadata, write_parquet

__all__ = [
    "FORMATS",
    "Source",
    "open_source",
    "detect_format",
    "read_cycler",
    "read_arbin",
    "read_arbin_res",
    "read_land",
    "read_neware",
    "read_neware_csv",
    "read_mpt",
    "read_mpr",
    "read_table",
    "from_frame",
    "read_text",
    "read_parquet",
    "read_parquet_metadata",
    "write_parquet",
    "ImpedanceSpectrum",
    "read_chi_impedance",
    "read_eis_csv",
    "read_impedance",
]

FORMATS = ("auto", "arbin", "land", "neware", "biologic", "csv", "parquet")


#: extensions of formats sianode does not read, and what to export instead
UNSUPPORTED = {
    ".cex": "a LAND .cex binary (no maintained reader exists): export the record table "
            "from LANDdt to Excel (.xlsx) or CSV",
    ".bin": "a CHI binary: save the data as text from the CHI software (File > Save As .txt)",
    ".mps": "a BioLogic settings file (.mps), not data: read the .mpr or export an .mpt",
    ".mgr": "a BioLogic modulo-bat settings file, not data: read the .mpr or export an .mpt",
    ".idf": "a Maccor/Gamry binary: export the data as CSV or text",
}
_SUPPORTED = ("Arbin CSV/XLSX/.res, LAND XLSX/CSV, Neware .nda/.ndax or BTSDA CSV, BioLogic "
              ".mpt/.mpr, BDF CSV (machine names or 'Quantity / unit' labels) or Parquet")


def _kind_from_header(cells: list) -> str | None:
    keys = {normalize_header(x) for x in cells}
    if bdf_spec([str(x) for x in cells]) is not None:
        return "csv"  # BDF names and labels before any vendor layout
    if is_arbin_header(keys):
        return "arbin"
    if "voltage/v" in keys or "voltage/mv" in keys:
        return "land"
    return None


def _refuse_impedance(src: Source, kind: str) -> None:
    names = {"chi": "a CHI impedance text export", "biologic": "a BioLogic PEIS/GEIS .mpt",
             "gamry": "a Gamry .DTA impedance file", "csv": "an impedance table (frequency, "
             "Re(Z), Im(Z))"}
    raise FileFormatError(src.path, f"is {names[kind]}, not cycling data; analyse it with "
                          "`sianode analyze eis`")


def detect_format(path: str | PathLike[str] | Source) -> str:
    """Guess the export format from the magic bytes, the extension and the header.

    Parameters
    ----------
    path : str, PathLike or Source
        The file (a Source is reused, so detection and reading decode it once).

    Returns
    -------
    str
        One of ``arbin, land, neware, biologic, csv, parquet``.

    Raises
    ------
    FileFormatError
        An impedance file (named; use ``analyze eis``), a known format sianode does not read
        (named, with what to export instead), or no known layout (the header found is
        quoted, with the formats read and the ``--map`` hint).

    References
    ----------
    Module table; issue 11 (unknown formats named with what to export).
    """
    src = open_source(path)
    ext, kind = src.suffix, src.kind
    if UNSUPPORTED.get(ext):
        raise FileFormatError(src.path, f"is {UNSUPPORTED[ext]}")
    if ext in {".parquet", ".pq"} or kind == "parquet":
        return "parquet"
    if ext in {".nda", ".ndax"} or kind == "nda":
        return "neware"
    if ext == ".mpr" or kind == "mpr":
        return "biologic"
    if kind == "access" or ext == ".res":
        return "arbin"
    if kind in ("zip", "ole"):
        sheets = src.sheets
        if any(str(k).lower().startswith("channel") for k in sheets):
            return "arbin"
        for sheet in sheets.values():
            for row in sheet[:10]:
                found = _kind_from_header(row)
                if found:
                    return found
        raise FileFormatError(src.path, f"unrecognised Excel layout (sheets {list(sheets)}); "
                              f"sianode reads {_SUPPORTED}; pass --format/format= or map the "
                              "columns with --map/column_map")
    if not src.is_text:
        raise FileFormatError(src.path, f"is {MAGIC_NAMES[kind]}; sianode reads {_SUPPORTED}")
    lines = src.head_lines(12)
    if lines and lines[0].strip().upper().startswith("EC-LAB ASCII FILE"):
        from sianode.experiments.io.impedance_vendors import is_biologic_eis

        if is_biologic_eis(src):
            _refuse_impedance(src, "biologic")
        return "biologic"
    imp = detect_impedance_format(src)
    if imp is not None:
        _refuse_impedance(src, imp)
    if is_neware_csv(lines):
        return "neware"
    for line in lines[:10]:
        cells = [x.strip() for x in line.replace("\t", ",").replace(";", ",").split(",")]
        found = _kind_from_header(cells)
        if found:
            return found
    first = lines[0][:120] if lines else ""
    raise FileFormatError(src.path, f"unrecognised layout (header {first!r}); sianode reads "
                          f"{_SUPPORTED}; pass --format/format= or map the columns with "
                          "--map BDF_NAME=HEADER (column_map=)", row=1)


def read_cycler(path: str | PathLike[str] | Source, format: str = "auto", **kwargs
                ) -> pd.DataFrame:
    """Read any supported cycler export into the tidy schema.

    Parameters
    ----------
    path : str, PathLike or Source
        The file.
    format : {"auto", "arbin", "land", "neware", "biologic", "csv", "parquet"}
        ``auto`` uses :func:`detect_format`.
    **kwargs
        Passed to the reader (``column_map``/``scale`` for ``csv``; ``backend`` for
        ``neware``).

    Returns
    -------
    pandas.DataFrame
        Tidy time series.

    Raises
    ------
    UnknownNameError
        Unknown ``format``.
    FileFormatError
        The file cannot be read in that format (impedance files are refused, naming
        ``analyze eis``).

    References
    ----------
    Module table; issue 5; issue 11.
    """
    if format not in FORMATS:
        raise UnknownNameError("cycler format", format, FORMATS)
    src = open_source(path)
    kind = detect_format(src) if format == "auto" else format
    if kind == "biologic":
        return read_mpr(src) if src.suffix == ".mpr" or src.kind == "mpr" else read_mpt(src)
    if kind == "neware" and src.is_text and src.suffix not in (".nda", ".ndax"):
        return read_neware_csv(src)
    readers = {"arbin": read_arbin, "land": read_land, "neware": read_neware,
               "csv": read_table, "parquet": read_parquet}
    return readers[kind](src, **kwargs)
