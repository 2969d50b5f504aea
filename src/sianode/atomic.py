"""Atomic file writes and lock files, so interrupted or concurrent runs never corrupt outputs.

Every output sianode writes goes through one of these:

- :func:`atomic_write` / :func:`write_text` / :func:`write_bytes` / :func:`write_json` --
  write to a temporary file with a **unique** name in the destination folder
  (``.NAME.<pid>-<random>.tmp<suffix>``), flush and ``fsync`` it, then :func:`os.replace` it
  over the destination. Readers see the old file or the new one, never half of one; two
  processes writing the same destination never share a temporary file.
- :func:`atomic_path` -- the same for libraries that write by file name (matplotlib
  ``savefig``, pyarrow ``write_table``): the temporary name keeps the destination's suffix so
  the format is still inferred from it.
- :func:`file_lock` -- an exclusive lock on ``DEST.lock`` (``fcntl.flock`` on POSIX,
  ``msvcrt.locking`` on Windows) around read-modify-write sequences such as "read the entries
  already in ``--out``, add one, write back". The operating system releases the lock when its
  holder exits, even if killed, so a lock is never stale. On POSIX the holder deletes the
  ``.lock`` file before releasing it, so a finished run leaves no lock file behind; a waiting
  process that then gets the lock on the deleted file sees that the name no longer points to
  it and locks the new file instead (the usual lock-then-check-inode protocol). On Windows,
  where an open file cannot be deleted, the small ``.lock`` file is left in place; so is the
  one of a killed run (harmless: it is never stale).
- :func:`append_line` -- append one line with ``O_APPEND`` and ``fsync`` (JSON-lines logs).

Temporary files of a killed writer (``.NAME.*.tmp*``) are harmless leftovers; they are never
read back.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_json(d / "summary.json", {"n": 1})
>>> with file_lock(d / "entries.jsonl"):
...     append_line(d / "entries.jsonl", '{"id": "a"}')
>>> (d / "entries.jsonl").read_text()
'{"id": "a"}\\n'
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sianode.errors import LockError

__all__ = [
    "temp_path",
    "atomic_write",
    "atomic_path",
    "write_text",
    "write_bytes",
    "write_json",
    "append_line",
    "file_lock",
    "lock_path",
]


def temp_path(path: str | os.PathLike[str]) -> Path:
    """A unique temporary name beside ``path`` that keeps its last suffix.

    ``out/fig.png`` -> ``out/.fig.png.<pid>-<8 hex>.tmp.png``.
    """
    p = Path(path)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    return p.with_name(f".{p.name}.{token}.tmp{p.suffix}")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open folders
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. some network file systems
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, mkdir: bool = True) -> Iterator[Path]:
    """Yield a unique temporary path; on success it replaces ``path`` atomically.

    Parameters
    ----------
    path : str or PathLike
        Destination.
    mkdir : bool
        Create missing parent folders.

    Yields
    ------
    pathlib.Path
        Write the content here (by name). If the block raises, the temporary file is removed
        and ``path`` is left as it was.
    """
    dest = Path(path)
    if mkdir:
        dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(dest)
    try:
        yield tmp
        if tmp.exists():
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
    mkdir: bool = True,
) -> Iterator[IO[Any]]:
    """Open a unique temporary file for writing; on success it replaces ``path`` atomically.

    Parameters
    ----------
    path : str or PathLike
        Destination.
    mode : {"w", "wb", "wt"}
        Text or binary.
    encoding, newline : str, optional
        For text mode.
    mkdir : bool
        Create missing parent folders.

    Yields
    ------
    file object
    """
    if mode not in ("w", "wt", "wb"):
        raise ValueError(f"atomic_write mode must be 'w', 'wt' or 'wb', not {mode!r}")
    binary = "b" in mode
    with atomic_path(path, mkdir=mkdir) as tmp:
        kwargs: dict[str, Any] = {} if binary else {"encoding": encoding, "newline": newline}
        with open(tmp, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_write(path, "w", encoding=encoding) as fh:
        fh.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def write_json(path: str | os.PathLike[str], obj: Any, **kwargs: Any) -> None:
    """Write ``obj`` as JSON to ``path`` atomically (``kwargs`` go to :func:`json.dump`)."""
    with atomic_write(path, "w") as fh:
        json.dump(obj, fh, **kwargs)
        fh.write("\n")


def append_line(path: str | os.PathLike[str], line: str, *, encoding: str = "utf-8") -> None:
    """Append one line to ``path`` with ``O_APPEND`` and ``fsync`` it.

    A newline is added if ``line`` lacks one. Hold :func:`file_lock` around it when other
    processes may append to the same file.
    """
    if not line.endswith("\n"):
        line += "\n"
    data = line.encode(encoding)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file guarding ``path`` (``path`` + ``.lock``; a folder's lives inside it)."""
    p = Path(path)
    return p / ".sianode.lock" if p.is_dir() else p.with_name(p.name + ".lock")


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, lp: Path) -> bool:
    """Whether the name ``lp`` still points to the open (locked) file ``fd``."""
    try:
        st = os.stat(lp)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


@contextlib.contextmanager
def file_lock(
    path: str | os.PathLike[str],
    *,
    timeout_s: float | None = None,
    poll_s: float = 0.05,
) -> Iterator[Path]:
    """Hold an exclusive lock on ``path`` (through ``path.lock``) for the block.

    The lock file is deleted when the block ends (POSIX; see the module docstring), so
    finished runs leave nothing beside their outputs.

    Parameters
    ----------
    path : str or PathLike
        The output to guard (file or folder); it need not exist.
    timeout_s : float, optional
        Give up after this many seconds [s]; ``None`` waits as long as it takes.
    poll_s : float
        Polling interval while waiting [s].

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    LockError
        ``timeout_s`` passed while another process held the lock.
    """
    lp = lock_path(path)
    lp.parent.mkdir(parents=True, exist_ok=True)
    posix = os.name == "posix"
    start = time.monotonic()
    while True:
        fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while not _try_lock(fd):
                if timeout_s is not None and time.monotonic() - start >= timeout_s:
                    raise LockError(f"{path}: another sianode run is writing it (lock file "
                                    f"{lp} held for more than {timeout_s:g} s)")
                time.sleep(poll_s)
        except BaseException:
            os.close(fd)
            raise
        if not posix or _same_file(fd, lp):
            break
        # the previous holder deleted this lock file while we waited: lock the current one
        _unlock(fd)
        os.close(fd)
    try:
        yield lp
    finally:
        try:
            if posix:  # delete while still holding it; waiters then retry on a new file
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(lp)
        finally:
            _unlock(fd)
            os.close(fd)
