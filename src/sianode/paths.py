"""Up-front checks of input files and output paths, before any work (layer 0, no numpy).

Kept apart from :mod:`sianode.validation` (which re-exports both checks) so that a command
refuses a bad ``--out`` or ``--plot`` before numpy is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sianode.errors import PathError

__all__ = ["check_input_file", "check_output_path"]


def _suffix_ok(path: Path, suffixes: Iterable[str]) -> bool:
    name = path.name.lower()
    return any(name.endswith(s.lower()) and len(name) > len(s) for s in suffixes)


def _suffix_text(suffixes: Iterable[str]) -> str:
    return ", ".join(suffixes)


def check_input_file(
    path: str | os.PathLike[str],
    option: str = "file",
    *,
    suffixes: Iterable[str] | None = None,
    allow_empty: bool = False,
) -> Path:
    """Check that ``path`` is an existing, readable, non-empty regular file.

    Parameters
    ----------
    path : str or PathLike
        The file as given.
    option : str
        The option or parameter that named it (quoted in the message).
    suffixes : iterable of str, optional
        Accepted endings (``(".toml", ".yaml")``); case-insensitive.
    allow_empty : bool
        Accept a zero-byte file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    PathError
        Missing, a folder, not a regular file, unreadable, empty, or a refused extension;
        the message says which.
    """
    text = os.fspath(path)
    p = Path(text)
    if not text:
        raise PathError(text, "empty path; expected a file", option=option)
    if p.is_dir():
        raise PathError(p, "is a folder; expected a file", option=option)
    if not p.exists():
        raise PathError(p, "no such file", option=option)
    if not p.is_file():
        raise PathError(p, "is not a regular file", option=option)
    if not os.access(p, os.R_OK):
        raise PathError(p, "is not readable (permission denied)", option=option)
    if suffixes is not None and not _suffix_ok(p, suffixes):
        raise PathError(p, f"unsupported extension; expected {_suffix_text(suffixes)}",
                        option=option)
    if not allow_empty and p.stat().st_size == 0:
        raise PathError(p, "is empty", option=option)
    return p


def _nearest_existing(p: Path) -> Path:
    q = p.absolute()
    while not q.exists() and q != q.parent:
        q = q.parent
    return q


def _probe_writable(folder: Path, path: Path, option: str) -> None:
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise PathError(path, f"folder {str(folder)!r} is not writable ({why})",
                        option=option) from None


def check_output_path(
    path: str | os.PathLike[str],
    option: str = "out",
    *,
    kind: str = "file",
    suffixes: Iterable[str] | None = None,
) -> Path:
    """Check, before any work, that an output can be written where the user asked.

    Missing parent folders are allowed (writers create them) as long as the nearest existing
    ancestor is a writable folder; that folder is probed by creating and deleting a
    temporary file in it, so read-only file systems are caught even for root.

    Parameters
    ----------
    path : str or PathLike
        The output as given.
    option : str
        The option or parameter that named it (``"--plot"``).
    kind : {"file", "dir"}
        A file to be written, or a folder to write into.
    suffixes : iterable of str, optional
        Accepted endings of a file (``(".png", ".pdf")``); case-insensitive.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    PathError
        A folder where a file is expected (or the reverse), an unsupported or missing
        extension, a parent that is a file, or a folder that is not writable.
    """
    if kind not in ("file", "dir"):  # pragma: no cover - programming error
        raise ValueError(f"kind must be 'file' or 'dir', not {kind!r}")
    text = os.fspath(path)
    p = Path(text)
    if not text:
        raise PathError(text, f"empty path; expected a {'file' if kind == 'file' else 'folder'}",
                        option=option)
    if kind == "file":
        if text.endswith(("/", os.sep)) or p.is_dir():
            raise PathError(p, "is a folder; expected a file name", option=option)
        if p.exists() and not p.is_file():
            raise PathError(p, "exists and is not a regular file", option=option)
        if suffixes is not None and not _suffix_ok(p, suffixes):
            got = "".join(p.suffixes) or "no extension"
            raise PathError(p, f"unsupported extension ({got}); expected "
                            f"{_suffix_text(suffixes)}", option=option)
        target = p.parent
    else:
        if p.exists() and not p.is_dir():
            raise PathError(p, "is a file; expected a folder", option=option)
        target = p
    folder = _nearest_existing(target)
    if not folder.is_dir():
        raise PathError(p, f"{str(folder)!r} is a file, so no folder can be made under it",
                        option=option)
    _probe_writable(folder, p, option)
    return p
