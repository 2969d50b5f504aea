"""Progress and time-left estimates on stderr for long commands (layer 0, standard library only).

``Progress`` counts work units (runs, time steps, spectra, seconds of simulated time) and
prints ``desc: done/total unit [pct%] elapsed m:ss, ETA m:ss`` on stderr. On a terminal the
line is redrawn in place (at most every 0.2 s); elsewhere (logs, CI) a full line is printed at
most every ``log_interval_s`` and when the work is finished, so the ETA reaches log files too.

Whether it shows: ``enabled=None`` (default) means "stderr is a terminal"; the environment
variable ``SIANODE_PROGRESS=1`` forces it on (e.g. in a batch job's log), ``0`` turns it off.
The ETA is elapsed x remaining / done: it assumes the remaining units cost what the finished
ones did.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> with Progress(4, "fits", unit="spectrum", enabled=True, file=out) as bar:
...     for _ in range(4):
...         bar.update()
>>> "fits: 4/4 spectrum [100%]" in out.getvalue()
True
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

__all__ = ["Progress", "progress", "format_duration", "progress_enabled"]

T = TypeVar("T")


def format_duration(seconds: float) -> str:
    """``75`` -> ``"1:15"``, ``3725`` -> ``"1:02:05"``; ``"?"`` if unknown."""
    if seconds is None or seconds != seconds or seconds < 0 or seconds == float("inf"):
        return "?"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def progress_enabled(enabled: bool | None = None, file: IO[str] | None = None) -> bool:
    """Resolve ``enabled``: explicit value, else ``SIANODE_PROGRESS``, else stderr is a tty."""
    env = os.environ.get("SIANODE_PROGRESS", "").strip()
    if env == "0":
        return False
    if enabled is not None:
        return bool(enabled)
    if env == "1":
        return True
    stream = file if file is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """Count work units and show progress with an ETA on stderr.

    Parameters
    ----------
    total : float or None
        Units of work in all (``None``: unknown, no percentage or ETA).
    desc : str
        What is being done (``"simulate"``).
    unit : str
        Name of a unit (``"run"``, ``"step"``, ``"s"``).
    enabled : bool or None
        See module docstring.
    file : text stream, optional
        Default ``sys.stderr``.
    log_interval_s : float
        Seconds between lines when not on a terminal.
    """

    def __init__(self, total: float | None, desc: str, unit: str = "it", *,
                 enabled: bool | None = None, file: IO[str] | None = None,
                 log_interval_s: float = 10.0) -> None:
        self.total = None if total is None else float(total)
        self.desc, self.unit = desc, unit
        self.file = file if file is not None else sys.stderr
        self.enabled = progress_enabled(enabled, self.file)
        try:
            self._tty = bool(self.file.isatty())
        except (AttributeError, ValueError):
            self._tty = False
        self.log_interval_s = log_interval_s
        self.done = 0.0
        self.postfix = ""
        self.t0 = time.perf_counter()
        self._last = -1e9
        self._closed = False

    # -- counting ------------------------------------------------------------------------
    def update(self, n: float = 1.0) -> None:
        """Add ``n`` finished units."""
        self.done += n
        self._show()

    def set(self, done: float) -> None:
        """Set the number of finished units."""
        self.done = float(done)
        self._show()

    def set_postfix(self, text: str) -> None:
        """Extra text at the end of the line (e.g. ``"fmax 0.12 eV/Å"``)."""
        self.postfix = text
        self._show()

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self.t0

    @property
    def eta_s(self) -> float | None:
        """Seconds left (elapsed x remaining / done), ``None`` before the first unit."""
        if self.total is None or self.done <= 0:
            return None
        return self.elapsed_s * max(self.total - self.done, 0.0) / self.done

    def line(self) -> str:
        """The current status line."""
        done = f"{self.done:g}"
        if self.total is None:
            count = f"{done} {self.unit}"
            tail = f"elapsed {format_duration(self.elapsed_s)}"
        else:
            pct = 100.0 * self.done / self.total if self.total > 0 else 100.0
            count = f"{done}/{self.total:g} {self.unit} [{pct:3.0f}%]"
            eta = self.eta_s
            tail = (f"elapsed {format_duration(self.elapsed_s)}, ETA "
                    f"{format_duration(eta) if eta is not None else '?'}")
        extra = f", {self.postfix}" if self.postfix else ""
        return f"{self.desc}: {count} {tail}{extra}"

    # -- output --------------------------------------------------------------------------
    def _show(self, force: bool = False) -> None:
        if not self.enabled or self._closed:
            return
        now = time.perf_counter()
        finished = self.total is not None and self.done >= self.total
        interval = 0.2 if self._tty else self.log_interval_s
        if not (force or finished or now - self._last >= interval):
            return
        self._last = now
        try:
            if self._tty:
                self.file.write("\r\x1b[K" + self.line())
            else:
                self.file.write(self.line() + "\n")
            self.file.flush()
        except (OSError, ValueError):  # closed stderr: progress is never worth a crash
            self.enabled = False

    def close(self) -> None:
        """Finish the line (prints the final state once)."""
        if self._closed:
            return
        if self.enabled and self._tty:
            self._show(force=True)
            try:
                self.file.write("\n")
                self.file.flush()
            except (OSError, ValueError):
                pass
        elif self.enabled and not (self.total is not None and self.done >= self.total):
            self._show(force=True)
        self._closed = True

    def start(self) -> Progress:
        """Show the initial line (the context manager does this on entry)."""
        self._show(force=True)
        return self

    def __enter__(self) -> Progress:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()


def progress(iterable: Iterable[T], desc: str, *, total: float | None = None,
             unit: str = "it", enabled: bool | None = None) -> Iterator[T]:
    """Iterate with a :class:`Progress` line (one unit per item)."""
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    with Progress(total, desc, unit, enabled=enabled) as bar:
        for item in iterable:
            yield item
            bar.update()
