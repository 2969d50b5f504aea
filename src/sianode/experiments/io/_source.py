"""Open a file once: bytes, magic, decoded text and Excel sheets, each computed at most once.

Every reader in :mod:`sianode.experiments.io` takes a path or a :class:`Source`; format
detection and the reader share one :class:`Source`, so a file is read from disk once, its
text decoded once (UTF-8 with or without BOM, else GBK, else Latin-1) and a workbook parsed
once (python-calamine, else openpyxl through pandas).

Errors name the file: missing, a directory, unreadable, empty, binary where text was
expected (with what the bytes look like: an Excel workbook, an MS Access database...).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from sianode.errors import DependencyError, FileFormatError

__all__ = ["Source", "open_source", "MAGIC_NAMES"]

#: what a binary file's first bytes say it is (used in messages)
MAGIC_NAMES = {
    "zip": "a ZIP container (Excel .xlsx or Neware .ndax)",
    "ole": "an OLE2 compound file (legacy Excel .xls)",
    "access": "an MS Access database (Arbin .res)",
    "parquet": "a Parquet file",
    "sqlite": "an SQLite database",
    "nda": "a Neware .nda binary",
    "mpr": "a BioLogic .mpr binary",
    "binary": "an unrecognised binary file",
}


def _magic(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head[4:19] in (b"Standard Jet DB", b"Standard ACE DB"):
        return "access"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    if head.startswith(b"NEWARE"):
        return "nda"
    if head.startswith(b"BIO-LOGIC MODULAR FILE"):
        return "mpr"
    if b"\x00" in head[:4096]:
        return "binary"
    return "text"


class Source:
    """A file opened once; properties are computed on first use and cached.

    Parameters
    ----------
    path : str or PathLike
        The file.

    Raises
    ------
    FileFormatError
        The path does not exist, is a directory, or cannot be read.
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileFormatError(path, "file not found")
        if self.path.is_dir():
            raise FileFormatError(path, "is a directory; expected a file")
        self._raw: bytes | None = None
        self._text: str | None = None
        self._lines: list[str] | None = None
        self._sheets: dict[str, list[list[Any]]] | None = None
        self._kind: str | None = None

    def __repr__(self) -> str:
        return f"Source({str(self.path)!r})"

    def release(self) -> None:
        """Forget the cached bytes (they are read again if needed): bounds peak memory."""
        self._raw = None

    @property
    def suffix(self) -> str:
        """Lower-case extension with the dot (``".csv"``)."""
        return self.path.suffix.lower()

    @property
    def raw(self) -> bytes:
        """The file's bytes (read once)."""
        if self._raw is None:
            try:
                self._raw = self.path.read_bytes()
            except OSError as exc:
                raise FileFormatError(self.path, f"cannot read file: {exc.strerror or exc}") \
                    from exc
            if not self._raw.strip():
                raise FileFormatError(self.path, "file is empty")
        return self._raw

    @property
    def kind(self) -> str:
        """``"text"`` or the binary kind from the magic bytes (keys of :data:`MAGIC_NAMES`)."""
        if self._kind is None:
            if self._raw is not None:
                head = self._raw[:4096]
            else:
                try:
                    with open(self.path, "rb") as fh:
                        head = fh.read(4096)
                except OSError as exc:
                    raise FileFormatError(self.path, f"cannot read file: "
                                          f"{exc.strerror or exc}") from exc
                if not head.strip() and self.path.stat().st_size < 4096:
                    raise FileFormatError(self.path, "file is empty")
            self._kind = _magic(head)
        return self._kind

    @property
    def is_text(self) -> bool:
        return self.kind == "text"

    @property
    def encoding(self) -> str:
        """Text encoding guessed from the first MiB (``utf-8``, ``gbk`` or ``latin-1``)."""
        head = self.raw[:1 << 20]
        for enc in ("utf-8", "gbk"):
            try:
                head.decode(enc)
                return enc
            except UnicodeDecodeError as exc:
                if exc.start > len(head) - 4:  # a character cut at the 1 MiB boundary
                    return enc
        return "latin-1"

    @property
    def text(self) -> str:
        """Decoded text: UTF-8 (BOM stripped), else GBK (Chinese cycler software), else Latin-1.

        Raises
        ------
        FileFormatError
            The file is binary (the message says what it looks like).
        """
        if self._text is None:
            if not self.is_text:
                raise FileFormatError(self.path, f"is {MAGIC_NAMES[self.kind]}, not a text "
                                      "export", row=1)
            raw = self.raw
            for enc in ("utf-8-sig", "gbk"):
                try:
                    self._text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                self._text = raw.decode("latin-1")
        return self._text

    def head_lines(self, n: int = 100) -> list[str]:
        """The first ``n`` lines of the text (no line ends), decoding only what is needed."""
        if self._lines is None or len(self._lines) < n:
            raw = self.raw if self._text is None else None
            if raw is not None:
                if not self.is_text:
                    raise FileFormatError(self.path, f"is {MAGIC_NAMES[self.kind]}, not a "
                                          "text export", row=1)
                cut = 0
                for _ in range(n):
                    pos = raw.find(b"\n", cut)
                    if pos < 0:
                        cut = len(raw)
                        break
                    cut = pos + 1
                chunk = raw[:cut]
                for enc in ("utf-8-sig", "gbk", "latin-1"):
                    try:
                        text = chunk.decode(enc)
                        break
                    except UnicodeDecodeError:
                        continue
            else:
                text = self._text
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            self._lines = lines
        return self._lines[:n]

    @property
    def sheets(self) -> dict[str, list[list[Any]]]:
        """Excel sheets as lists of rows of cell values (parsed once).

        Raises
        ------
        FileFormatError
            Not a readable workbook.
        DependencyError
            Neither python-calamine nor openpyxl is installed (extra ``io``).
        """
        if self._sheets is None:
            self._sheets = _read_workbook(self)
        return self._sheets


def _read_workbook(src: Source) -> dict[str, list[list[Any]]]:
    try:
        import python_calamine
    except ImportError:
        python_calamine = None
    if python_calamine is not None:
        try:
            import io

            wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(src.raw))
            return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    for name in wb.sheet_names}
        except Exception as exc:  # calamine raises its own error types on corrupt files
            raise FileFormatError(src.path, f"not a readable Excel workbook "
                                  f"({type(exc).__name__}: {exc})") from exc
    try:  # pragma: no cover - python-calamine is installed with the io extra
        import io

        import pandas as pd
        frames = pd.read_excel(io.BytesIO(src.raw), sheet_name=None, header=None, dtype=object)
    except ImportError as exc:  # pragma: no cover
        raise DependencyError("python-calamine or openpyxl", "io", "reading Excel exports") \
            from exc
    except Exception as exc:  # pragma: no cover
        raise FileFormatError(src.path, f"not a readable Excel workbook "
                              f"({type(exc).__name__}: {exc})") from exc
    return {str(k): [["" if v is None or v != v else v for v in row]  # NaN -> ""
                     for row in f.itertuples(index=False)] for k, f in frames.items()}


def open_source(path: str | PathLike[str] | Source) -> Source:
    """``path`` as a :class:`Source` (a Source is returned unchanged)."""
    return path if isinstance(path, Source) else Source(path)
