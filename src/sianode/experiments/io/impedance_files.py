"""Impedance spectra from files: CHI (CHI660E) text exports and a generic EIS CSV.

Sign convention, stated once: :class:`ImpedanceSpectrum` stores ``z_imag_ohm = Im(Z)``, the
imaginary part with its mathematical sign, so a capacitive arc has ``z_imag_ohm < 0`` and
a Nyquist plot shows ``-z_imag_ohm`` upwards. Files differ: CHI writes ``Z"/ohm`` as
``Im(Z)`` (its ``Phase/deg`` column is ``atan2(Z", Z')``, checked when present), BioLogic
writes ``-Im(Z)/Ohm``, many hand-made CSVs write ``-Z''``. The CSV reader therefore takes
the convention explicitly (``imag_convention="im"`` or ``"minus_im"``) or reads it from a
header that says it (a leading minus sign in the column name).

CHI text layout (CHI660E "Save As" text, A.C. Impedance technique)::

    Nov. 23, 2024   17:47:14
    A.C. Impedance
    File: e:\\data\\eis.bin
    Data Source:  Experiment
    Instrument Model:  CHI660E
    Header:
    Note:

    Init E (V) = 0.848
    High Frequency (Hz) = 1e+5
    Low Frequency (Hz) = 0.1
    Amplitude (V) = 0.005
    Quiet Time (sec) = 2

    Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg

    9.995e+4, 5.072e+0, 3.690e-1, 5.086e+0, 4.2
    ...
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np

from sianode.errors import FileFormatError, InputError, ParameterError, UnknownNameError
from sianode.experiments.io._source import MAGIC_NAMES, Source, open_source
from sianode.experiments.io._table import column_values, parse_delimited

__all__ = [
    "ImpedanceSpectrum",
    "read_chi_impedance",
    "read_eis_csv",
    "read_impedance",
    "detect_impedance_format",
    "IMAG_CONVENTIONS",
    "IMPEDANCE_FORMATS",
]

IMAG_CONVENTIONS = ("auto", "im", "minus_im")
IMPEDANCE_FORMATS = ("chi", "csv", "biologic", "gamry")

_CHI_HEADER = re.compile(r"^\s*freq\s*/\s*hz\s*,\s*z'\s*/\s*ohm", re.IGNORECASE)


@dataclass(frozen=True)
class ImpedanceSpectrum:
    """One impedance spectrum, ``Z(f) = z_real_ohm + 1j * z_imag_ohm``.

    Parameters
    ----------
    frequency_Hz : ndarray
        Frequencies [Hz], all finite and > 0.
    z_real_ohm, z_imag_ohm : ndarray
        Real part and imaginary part ``Im(Z)`` [ohm] (capacitive arcs are negative).
    metadata : dict
        Instrument settings read from the file header (strings as written).
    source : str or None
        The file the spectrum came from.
    """

    frequency_Hz: np.ndarray
    z_real_ohm: np.ndarray
    z_imag_ohm: np.ndarray
    metadata: dict[str, str] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        f = np.asarray(self.frequency_Hz, dtype=float)
        zr = np.asarray(self.z_real_ohm, dtype=float)
        zi = np.asarray(self.z_imag_ohm, dtype=float)
        if not (f.ndim == zr.ndim == zi.ndim == 1 and f.size == zr.size == zi.size):
            raise InputError("frequency_Hz, z_real_ohm and z_imag_ohm must be 1-D and equally long")
        if f.size < 1:
            raise InputError("an impedance spectrum needs at least one point")
        for name, arr in (("frequency_Hz", f), ("z_real_ohm", zr), ("z_imag_ohm", zi)):
            bad = np.flatnonzero(~np.isfinite(arr))
            if bad.size:
                raise InputError(f"{name}[{bad[0]}] is not finite ({float(arr[bad[0]])!r})")
        if np.any(f <= 0):
            i = int(np.flatnonzero(f <= 0)[0])
            raise InputError(f"frequency_Hz[{i}] = {float(f[i])!r} is invalid: expected > 0")
        object.__setattr__(self, "frequency_Hz", f)
        object.__setattr__(self, "z_real_ohm", zr)
        object.__setattr__(self, "z_imag_ohm", zi)

    @property
    def z_ohm(self) -> np.ndarray:
        """Complex impedance [ohm]."""
        return self.z_real_ohm + 1j * self.z_imag_ohm

    def __len__(self) -> int:
        return int(self.frequency_Hz.size)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (lists of floats)."""
        return {
            "frequency_Hz": self.frequency_Hz.tolist(),
            "z_real_ohm": self.z_real_ohm.tolist(),
            "z_imag_ohm": self.z_imag_ohm.tolist(),
            "metadata": dict(self.metadata),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ImpedanceSpectrum:
        """Inverse of :meth:`as_dict`."""
        return cls(
            np.asarray(d["frequency_Hz"], dtype=float),
            np.asarray(d["z_real_ohm"], dtype=float),
            np.asarray(d["z_imag_ohm"], dtype=float),
            dict(d.get("metadata", {})),
            d.get("source"),
        )

    @classmethod
    def from_complex(cls, frequency_Hz: np.ndarray, z_ohm: np.ndarray, **kw: Any
                     ) -> ImpedanceSpectrum:
        """Build from frequencies [Hz] and complex impedance [ohm]."""
        z = np.asarray(z_ohm, dtype=complex)
        return cls(np.asarray(frequency_Hz, dtype=float), z.real, z.imag, **kw)


def _read_text(path: str | PathLike[str] | Source) -> str:
    src = open_source(path)
    if not src.is_text:
        raise FileFormatError(src.path, f"is {MAGIC_NAMES[src.kind]}; expected an impedance "
                              "text export (CHI text, BioLogic .mpt, Gamry .DTA or CSV)")
    return src.text


def _parse_float(text: str, path: Any, row: int, column: str) -> float:
    s = text.strip()
    try:
        value = float(s)
    except ValueError:
        raise FileFormatError(path, f"expected a number, found {s[:30]!r}", row=row,
                              column=column) from None
    if not math.isfinite(value):
        raise FileFormatError(path, f"expected a finite number, found {s[:30]!r}", row=row,
                              column=column)
    return value


def _check_frequencies(f: np.ndarray, path: Any, rows: list[int], column: str) -> None:
    bad = np.flatnonzero(f <= 0)
    if bad.size:
        raise FileFormatError(path, f"frequency must be > 0, found {float(f[bad[0]])!r}",
                              row=rows[bad[0]], column=column)
    d = np.diff(f)
    if d.size and not (np.all(d < 0) or np.all(d > 0)):
        i = int(np.flatnonzero(d == 0)[0]) if np.any(d == 0) else int(
            np.flatnonzero(np.sign(d) != np.sign(d[0]))[0])
        raise FileFormatError(path, "frequencies must be strictly monotonic (one sweep per "
                              f"file), found {float(f[i])!r} then {float(f[i + 1])!r}", row=rows[i + 1],
                              column=column)


def read_chi_impedance(path: str | PathLike[str] | Source) -> ImpedanceSpectrum:
    """Read a CHI (CHI660E and relatives) A.C. Impedance text export.

    Parameters
    ----------
    path : str or PathLike
        The ``.txt`` file written by the CHI software (layout in the module docstring).

    Returns
    -------
    ImpedanceSpectrum
        ``z_imag_ohm`` is CHI's ``Z"`` column, which is ``Im(Z)`` (negative for a
        capacitive arc); ``metadata`` holds the ``key = value`` header lines.

    Raises
    ------
    FileFormatError
        No ``Freq/Hz, Z'/ohm, Z"/ohm ...`` header, a row with the wrong number of fields,
        a non-number, a non-positive or non-monotonic frequency, a ``Z"`` whose sign
        disagrees with the ``Phase/deg`` column, or no data rows. Rows are counted as
        line numbers of the file.

    References
    ----------
    Seed 002 Methods: CHI660E, 100 kHz to 0.1 Hz, 10 mV amplitude.
    """
    text = _read_text(path)
    lines = text.splitlines()
    metadata: dict[str, str] = {}
    header_idx = None
    for i, line in enumerate(lines):
        if _CHI_HEADER.match(line):
            header_idx = i
            break
        if "=" in line:
            k, _, v = line.partition("=")
            metadata[k.strip()] = v.strip()
        elif ":" in line and i > 0:
            k, _, v = line.partition(":")
            if k.strip() in ("File", "Data Source", "Instrument Model", "Header", "Note"):
                metadata[k.strip()] = v.strip()
    if header_idx is None:
        raise FileFormatError(path, "no CHI impedance column header 'Freq/Hz, Z'/ohm, "
                              "Z\"/ohm, ...' found; is this a CHI A.C. Impedance text export?")
    columns = [c.strip() for c in lines[header_idx].split(",")]
    norm = [c.lower().replace(" ", "") for c in columns]
    try:
        i_f = 0
        i_re = norm.index("z'/ohm")
        i_im = norm.index('z"/ohm') if 'z"/ohm' in norm else norm.index('-z"/ohm')
    except ValueError:
        raise FileFormatError(path, f"expected columns Freq/Hz, Z'/ohm, Z\"/ohm; found {columns}",
                              row=header_idx + 1) from None
    sign = -1.0 if norm[i_im].startswith("-") else 1.0
    i_ph = norm.index("phase/deg") if "phase/deg" in norm else None
    f, zr, zi, rows = [], [], [], []
    for j in range(header_idx + 1, len(lines)):
        line = lines[j].strip()
        if not line:
            continue
        fields = [s for s in line.split(",")]
        if len(fields) != len(columns):
            hint = " (wrong delimiter?)" if len(fields) == 1 else " (truncated row?)"
            raise FileFormatError(path, f"expected {len(columns)} comma-separated fields, found "
                                  f"{len(fields)}{hint}", row=j + 1)
        fj = _parse_float(fields[i_f], path, j + 1, columns[i_f])
        rj = _parse_float(fields[i_re], path, j + 1, columns[i_re])
        ij = sign * _parse_float(fields[i_im], path, j + 1, columns[i_im])
        if i_ph is not None:
            ph = _parse_float(fields[i_ph], path, j + 1, columns[i_ph])
            expect = math.degrees(math.atan2(ij, rj))
            if abs(ph) > 1.0 and abs(expect) > 1.0 and (ph > 0) != (expect > 0):
                raise FileFormatError(path, f"Z\" = {ij!r} has the opposite sign to Phase/deg = "
                                      f"{ph!r}; expected Z\" = Im(Z)", row=j + 1,
                                      column=columns[i_im])
        f.append(fj)
        zr.append(rj)
        zi.append(ij)
        rows.append(j + 1)
    if not f:
        raise FileFormatError(path, "has a column header but no data rows (truncated file?)")
    fa = np.asarray(f)
    _check_frequencies(fa, path, rows, columns[i_f])
    return ImpedanceSpectrum(fa, np.asarray(zr), np.asarray(zi), metadata, str(path))


_FREQ_NAMES = ("frequency_hz", "freq/hz", "freq_hz", "frequency", "freq", "f/hz", "f")
_RE_NAMES = ("z_real_ohm", "z'/ohm", "z'", "zreal", "z_real", "re(z)/ohm", "re(z)", "zre")
_IM_NAMES = ("z_imag_ohm", 'z"/ohm', 'z"', "z''", "z''/ohm", "zimag", "z_imag", "im(z)/ohm",
             "im(z)", "zim")


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "")


def read_eis_csv(
    path: str | PathLike[str] | Source,
    *,
    imag_convention: str = "auto",
    delimiter: str | None = None,
    column_map: dict[str, str] | None = None,
) -> ImpedanceSpectrum:
    """Read a generic EIS table: frequency, real part and imaginary part, one row per point.

    Columns (header row required, names case-insensitive, extra columns ignored):
    frequency as ``frequency_Hz`` (or ``freq``, ``Freq/Hz``, ``f``); real part as
    ``z_real_ohm`` (or ``Z'``, ``Zreal``, ``Re(Z)``); imaginary part as ``z_imag_ohm``
    (or ``Z''``, ``Z"``, ``Zimag``, ``Im(Z)``) or, with a minus sign, ``-z_imag_ohm``
    (``-Z''``, ``-Im(Z)/Ohm``, ``-Zimag``). A file without a header whose rows are three
    numbers is read as impedance.py's ``readCSV`` reads it: frequency, ``Re(Z)``,
    ``Im(Z)``.

    Parameters
    ----------
    path : str or PathLike
        The CSV file.
    imag_convention : {"auto", "im", "minus_im"}
        What the imaginary column holds: ``"im"`` is ``Im(Z)``, ``"minus_im"`` is
        ``-Im(Z)``; ``"auto"`` reads it from the header (a leading ``-`` means minus) and
        raises if the header does not say.
    delimiter : str, optional
        Field separator (sniffed among ``,`` TAB ``;`` by default).
    column_map : dict, optional
        ``{"frequency_Hz" | "z_real_ohm" | "z_imag_ohm": header in the file}`` for headers
        not recognised (CLI ``--map``).

    Returns
    -------
    ImpedanceSpectrum
        With ``z_imag_ohm = Im(Z)`` whatever the file held.

    Raises
    ------
    FileFormatError
        Missing column, wrong delimiter, non-number, NaN, non-positive or non-monotonic
        frequency, ambiguous imaginary-part sign; rows are file line numbers.
    UnknownNameError
        ``imag_convention`` is not one of :data:`IMAG_CONVENTIONS`.

    References
    ----------
    Sign conventions: Orazem & Tribollet, *Electrochemical Impedance Spectroscopy*
    (Wiley, 2008), ch. 1 (``Z = Z_r + j Z_j``; Nyquist plots show ``-Z_j``).
    """
    if imag_convention not in IMAG_CONVENTIONS:
        raise UnknownNameError("imaginary-part convention", imag_convention, IMAG_CONVENTIONS)
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise ParameterError("delimiter", delimiter, "one character such as ',', ';' or '\\t'")
    src = open_source(path)
    path = src.path
    _read_text(src)
    first = src.head_lines(1)[0] if src.head_lines(1) else ""
    fields = re.split(r"[,;\t]", first.strip()) if first.strip() else []
    headerless = len(fields) >= 3 and all(_is_number(x) for x in fields)
    if headerless:
        delim = delimiter or next((d for d in (",", "\t", ";") if d in first), ",")
        text = delim.join(["frequency_Hz", "z_real_ohm", "z_imag_ohm"]
                          + [f"column{k}" for k in range(4, len(first.split(delim)) + 1)])
        table, rows = parse_delimited(text + "\n" + src.text, path, delimiter=delim)
        rows = rows - 1
        if imag_convention == "auto":
            imag_convention = "im"  # impedance.py readCSV: the third column is Im(Z)
    else:
        table, rows = parse_delimited(src, delimiter=delimiter)
    header = [str(c) for c in table.columns]
    names = [_norm(c) for c in header]
    if len(header) == 1:
        raise FileFormatError(path, f"header has one column {header[0][:40]!r}; expected "
                              "columns separated by ',', ';' or TAB (wrong delimiter?)", row=1)
    hrow = 1

    def find(choices: tuple[str, ...], minus: bool = False) -> int | None:
        for c in choices:
            key = ("-" + c) if minus else c
            if key in names:
                return names.index(key)
        return None

    i_f = find(_FREQ_NAMES)
    i_re = find(_RE_NAMES)
    i_im, i_mim = find(_IM_NAMES), find(_IM_NAMES, minus=True)
    for key, col_name in (column_map or {}).items():
        if key not in ("frequency_Hz", "z_real_ohm", "z_imag_ohm"):
            raise ParameterError("column_map", key, "frequency_Hz, z_real_ohm or z_imag_ohm")
        if col_name not in header:
            raise FileFormatError(path, f"--map names column {col_name!r} for {key}, but the "
                                  f"file has {header}", column=col_name)
        idx = header.index(col_name)
        if key == "frequency_Hz":
            i_f = idx
        elif key == "z_real_ohm":
            i_re = idx
        else:
            i_im, i_mim = (None, idx) if col_name.strip().startswith("-") else (idx, None)
    for idx, what in ((i_f, "frequency (frequency_Hz)"), (i_re, "real part (z_real_ohm)")):
        if idx is None:
            raise FileFormatError(path, f"missing column for {what}; found {header} (name it "
                                  "with --map/column_map)", row=hrow)
    if i_im is None and i_mim is None:
        raise FileFormatError(path, "missing column for the imaginary part (z_imag_ohm or "
                              f"-z_imag_ohm); found {header}", row=hrow)
    if imag_convention == "auto":
        if i_im is not None and i_mim is not None:
            raise FileFormatError(path, "both Im(Z) and -Im(Z) columns present; pass "
                                  "imag_convention to choose", row=hrow)
        sign = -1.0 if i_mim is not None else 1.0
        col = i_mim if i_mim is not None else i_im
        if i_mim is None and names[col] in ("z''", 'z"', "z''/ohm", 'z"/ohm'):
            raise FileFormatError(path, f"column {header[col]!r} does not say whether it holds "
                                  "Im(Z) or -Im(Z); pass imag_convention='im' or 'minus_im'",
                                  row=hrow, column=header[col])
    else:
        col = i_mim if i_mim is not None else i_im
        sign = -1.0 if imag_convention == "minus_im" else 1.0
    assert col is not None
    assert i_f is not None
    assert i_re is not None
    if len(table) == 0:
        raise FileFormatError(path, "has a header but no data rows")
    f = column_values(table[header[i_f]], path, header[i_f], rows)
    zr = column_values(table[header[i_re]], path, header[i_re], rows)
    zi = sign * column_values(table[header[col]], path, header[col], rows)
    _check_frequencies(f, path, list(rows), header[i_f])
    meta = {"imaginary column": "third column (no header)" if headerless else header[col],
            "imag_convention": "minus_im" if sign < 0 else "im"}
    return ImpedanceSpectrum(f, zr, zi, meta, str(path))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def detect_impedance_format(path: str | PathLike[str] | Source) -> str | None:
    """``"chi"``, ``"biologic"``, ``"gamry"`` or ``"csv"`` for an impedance file, else None.

    ``"csv"`` is returned for a table whose header names a frequency column and an
    impedance column, or for a header-less table of three or more numbers per row.
    """
    src = open_source(path)
    if not src.is_text:
        return None
    lines = src.head_lines(120)
    if not lines:
        return None
    if lines[0].strip().upper().startswith("EC-LAB ASCII FILE"):
        from sianode.experiments.io.impedance_vendors import is_biologic_eis

        return "biologic" if is_biologic_eis(src) else None
    if lines[0].strip().upper() == "EXPLAIN" or any(x.startswith("ZCURVE") for x in lines):
        return "gamry"
    if any(_CHI_HEADER.match(x) for x in lines[:80]):
        return "chi"
    first = next((x for x in lines if x.strip()), "")
    fields = [x.strip() for x in re.split(r"[,;\t]", first)]
    if len(fields) >= 3 and all(_is_number(x) for x in fields):
        return "csv"
    names = {_norm(x).lstrip("-") for x in fields}
    if names & set(_FREQ_NAMES) and names & (set(_RE_NAMES) | set(_IM_NAMES)):
        return "csv"
    return None


def read_impedance(path: str | PathLike[str] | Source, format: str | None = None, **kw: Any
                   ) -> ImpedanceSpectrum:
    """Read an impedance file; ``format`` among :data:`IMPEDANCE_FORMATS` or guessed.

    Raises
    ------
    UnknownNameError
        ``format`` is not one of :data:`IMPEDANCE_FORMATS`.
    FileFormatError
        The format cannot be recognised (the message names what was found and what to
        export), or as the chosen reader.

    References
    ----------
    See :func:`read_chi_impedance`, :func:`read_eis_csv` and
    :mod:`~sianode.experiments.io.impedance_vendors`.
    """
    if format is not None and format not in IMPEDANCE_FORMATS:
        raise UnknownNameError("impedance file format", format, IMPEDANCE_FORMATS)
    src = open_source(path)
    if format is None:
        _read_text(src)
        format = detect_impedance_format(src)
        if format is None:
            raise FileFormatError(src.path, "is not an impedance format sianode reads (CHI "
                                  "text, BioLogic PEIS/GEIS .mpt, Gamry .DTA, or a CSV with "
                                  "frequency, Re(Z), Im(Z) columns); export the spectrum as "
                                  "one of these, or name the columns with --map")
    if format == "chi":
        return read_chi_impedance(src)
    if format == "csv":
        return read_eis_csv(src, **kw)
    from sianode.experiments.io import impedance_vendors as vendors

    reader = vendors.read_biologic_eis if format == "biologic" else vendors.read_gamry_dta
    return reader(src)
