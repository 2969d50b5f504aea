"""Impedance spectra from instrument files: BioLogic PEIS/GEIS ``.mpt`` and Gamry ``.DTA``.

BioLogic ``.mpt`` (EC-Lab ASCII, technique "Potentio Electrochemical Impedance
Spectroscopy" or its galvano/staircase variants): tab-separated columns ``freq/Hz,
Re(Z)/Ohm, -Im(Z)/Ohm, |Z|/Ohm, Phase(Z)/deg, time/s, <Ewe>/V, <I>/mA, ...`` after the
``Nb header lines`` block; the imaginary column holds ``-Im(Z)``. Decimal commas are
accepted as in cycling ``.mpt`` files.

Gamry ``.DTA`` (Framework, EISPOT/EISGALV): a ``ZCURVE TABLE`` block whose first line
holds the column names (``Pt Time Freq Zreal Zimag Zsig Zmod Zphz Idc Vdc IERange``) and
the second their units; rows are tab-separated and indented by one tab. ``Zimag`` is
``Im(Z)`` (negative for capacitive arcs).

References
----------
impedance.py ``preprocessing.readFile`` (instrument ``biologic`` and ``gamry``), whose
example files these layouts follow; Orazem & Tribollet (2008) ch. 1 for the sign.
"""

from __future__ import annotations

from os import PathLike

import numpy as np

from sianode.errors import FileFormatError
from sianode.experiments.io._source import Source, open_source
from sianode.experiments.io._table import column_values, normalize_header, parse_delimited
from sianode.experiments.io.biologic import EIS_TECHNIQUES, mpt_header_line
from sianode.experiments.io.impedance_files import ImpedanceSpectrum, _check_frequencies

__all__ = ["read_biologic_eis", "read_gamry_dta", "is_biologic_eis"]


def is_biologic_eis(src: Source) -> bool:
    """True for an EC-Lab ``.mpt`` holding an impedance technique (or ``freq/Hz`` column)."""
    header_line = mpt_header_line(src)
    lines = src.head_lines(header_line + 1)
    if any(t in x for t in EIS_TECHNIQUES for x in lines[:6]):
        return True
    return "freq/hz" in {normalize_header(x) for x in lines[header_line].split("\t")}


def _pick(table, path, rows, *names: str) -> tuple[str, np.ndarray]:
    keys = {normalize_header(c): c for c in table.columns}
    for n in names:
        if normalize_header(n) in keys:
            col = keys[normalize_header(n)]
            return col, column_values(table[col], path, col, rows)
    raise FileFormatError(path, f"missing column {names[0]!r}; found {list(table.columns)}",
                          column=names[0])


def read_biologic_eis(path: str | PathLike[str] | Source) -> ImpedanceSpectrum:
    """Read a BioLogic PEIS/GEIS ``.mpt`` export.

    Returns
    -------
    ImpedanceSpectrum
        ``z_imag_ohm = Im(Z)`` (the file's ``-Im(Z)/Ohm`` negated); ``metadata`` holds the
        technique and the ``key : value`` settings of the header block.

    Raises
    ------
    FileFormatError
        Not an EC-Lab file, no ``freq/Hz``/``Re(Z)/Ohm``/``-Im(Z)/Ohm`` columns, bad values,
        frequencies not monotonic.

    References
    ----------
    Module docstring; impedance.py ``readFile(instrument="biologic")``.
    """
    src = open_source(path)
    header_line = mpt_header_line(src)
    table, rows = parse_delimited(src, header_line=header_line, delimiter="\t")
    fcol, f = _pick(table, src.path, rows, "freq/Hz")
    _, zr = _pick(table, src.path, rows, "Re(Z)/Ohm")
    _, mim = _pick(table, src.path, rows, "-Im(Z)/Ohm")
    _check_frequencies(f, src.path, list(rows), fcol)
    meta = {"instrument": "BioLogic", "imaginary column": "-Im(Z)/Ohm",
            "imag_convention": "minus_im"}
    for line in src.head_lines(header_line)[2:]:
        key, sep, value = line.partition(" : ")
        if sep and key.strip():
            meta[key.strip()] = value.strip()
    lines = src.head_lines(6)
    tech = next((t for t in EIS_TECHNIQUES for x in lines if t in x), None)
    if tech:
        meta["technique"] = tech
    return ImpedanceSpectrum(f, zr, -mim, meta, str(src.path))


def read_gamry_dta(path: str | PathLike[str] | Source) -> ImpedanceSpectrum:
    """Read the ``ZCURVE`` table of a Gamry ``.DTA`` impedance file.

    Returns
    -------
    ImpedanceSpectrum
        ``z_imag_ohm`` is Gamry's ``Zimag`` (= ``Im(Z)``); ``metadata`` holds the
        ``TAG``, ``TITLE``, ``DATE`` and ``TIME`` labels.

    Raises
    ------
    FileFormatError
        No ``ZCURVE`` table (e.g. a Gamry file of another technique), bad values.

    References
    ----------
    Module docstring; impedance.py ``readFile(instrument="gamry")``.
    """
    src = open_source(path)
    text = src.text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, x in enumerate(lines) if x.startswith("ZCURVE")), None)
    if start is None:
        tag = next((x.split("\t")[1] for x in lines[:5] if x.startswith("TAG\t")), "unknown")
        raise FileFormatError(src.path, f"Gamry file (technique {tag}) without a ZCURVE "
                              "impedance table; export an EIS (EISPOT/EISGALV) file")
    end = start + 3
    while end < len(lines) and lines[end].startswith("\t") and lines[end].strip():
        end += 1
    body = [x[1:] for x in lines[start + 1:end]]
    del body[1]  # units line
    table, rows = parse_delimited("\n".join(body), src.path, delimiter="\t")
    rows = rows + start + 2  # line numbers in the file (header, units, then data)
    fcol, f = _pick(table, src.path, rows, "Freq")
    _, zr = _pick(table, src.path, rows, "Zreal")
    _, zi = _pick(table, src.path, rows, "Zimag")
    _check_frequencies(f, src.path, list(rows), fcol)
    meta = {"instrument": "Gamry", "imaginary column": "Zimag", "imag_convention": "im"}
    for x in lines[:10]:
        parts = x.split("\t")
        if parts[0] in ("TAG", "TITLE", "DATE", "TIME") and len(parts) > 1:
            meta[parts[0]] = parts[-1] if parts[0] == "TAG" else parts[2] if len(parts) > 2 \
                else parts[1]
    return ImpedanceSpectrum(f, zr, zi, meta, str(src.path))
