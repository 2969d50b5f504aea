"""One exception hierarchy for sianode.

Every error a user can cause derives from :class:`SianodeError`, and each subclass also
inherits the builtin exception it refines (``ValueError``, ``KeyError``, ``ImportError``...)
so that generic ``except ValueError`` code keeps working. Messages say what was given,
what was expected and, where it helps, the nearest valid name.

The CLI catches :class:`SianodeError`, prints its one-line message and exits with status 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from os import PathLike

__all__ = [
    "SianodeError",
    "InputError",
    "ParameterError",
    "UnknownNameError",
    "UnknownElementError",
    "EntryError",
    "MissingVolumeError",
    "InvalidEnergyError",
    "InvalidVolumeError",
    "DuplicateEntryError",
    "MissingTerminalError",
    "EmptySourceError",
    "FileFormatError",
    "PathError",
    "StructureError",
    "MissingMetadataError",
    "DataSourceError",
    "DependencyError",
    "ComputationError",
    "WorkerLostError",
    "LockError",
    "closest_names",
]


def closest_names(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` entries of ``choices`` closest to ``name`` (for error hints)."""
    return difflib.get_close_matches(str(name), [str(c) for c in choices], n=n, cutoff=0.5)


class SianodeError(Exception):
    """Base class of every error sianode raises on purpose."""


class InputError(SianodeError, ValueError):
    """A value given by the user is not acceptable."""


class ParameterError(InputError):
    """A named parameter is outside its allowed range or of the wrong kind.

    Parameters
    ----------
    name : str
        Parameter name as the user wrote it (``"mass_mg"``, ``"--k-eff"``).
    value : object
        The value given.
    expected : str
        What is allowed, in words (``"> 0"``, ``"in [0, 1]"``).
    """

    def __init__(self, name: str, value: object, expected: str) -> None:
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"parameter {name!r} = {value!r} is invalid: expected {expected}")


class UnknownNameError(InputError, KeyError):
    """A name (phase, circuit element, reader, model...) is not known."""

    def __init__(self, kind: str, name: str, choices: Iterable[str]) -> None:
        choices = list(choices)
        self.kind, self.name, self.choices = kind, name, choices
        hint = closest_names(name, choices)
        msg = f"unknown {kind} {name!r}"
        msg += f"; did you mean {', '.join(map(repr, hint))}?" if hint else ""
        if len(choices) <= 20:
            msg += f" (known: {', '.join(sorted(map(str, choices)))})"
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class UnknownElementError(InputError):
    """A formula contains a symbol that is not a chemical element."""


class EntryError(InputError):
    """An entry (composition, energy, volume) is unusable; the message names the entry."""


class MissingVolumeError(EntryError):
    """An entry has no volume, but reaction strain and K_crit need one."""


class InvalidEnergyError(EntryError):
    """An entry's energy is NaN or infinite."""


class InvalidVolumeError(EntryError):
    """An entry's volume is not a positive finite number."""


class DuplicateEntryError(EntryError):
    """Two entries share one id (pymatgen's stable/unstable split breaks on duplicates)."""


class MissingTerminalError(EntryError):
    """The entries of a chemical system lack pure Li or a pure host element."""


class EmptySourceError(InputError):
    """A source (file, database, query) holds no usable entries or rows."""


class FileFormatError(InputError):
    """A file cannot be read as the expected format.

    Parameters
    ----------
    path : str or PathLike
        The file.
    message : str
        What was expected and what was found.
    row, column : optional
        Where (1-based data row as a user would count it; column name).
    """

    def __init__(
        self,
        path: str | PathLike[str] | None,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path, self.row, self.column = path, row, column
        where = [str(path) if path is not None else "<input>"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


class PathError(FileFormatError):
    """A path given by the user is missing, of the wrong kind, not writable or has an
    unsupported extension.

    A :class:`FileFormatError` (code catching that for a missing input keeps working), but
    named by the option that gave the path.

    Parameters
    ----------
    path : str or PathLike
        The path as given.
    message : str
        What is wrong and what is expected.
    option : str, optional
        The option or parameter that named the path (``"--plot"``, ``"out"``).
    """

    def __init__(self, path: str | PathLike[str], message: str, *,
                 option: str | None = None) -> None:
        self.path, self.option, self.row, self.column = path, option, None, None
        where = f"{option} {str(path)!r}" if option else str(path)
        InputError.__init__(self, f"{where}: {message}")


class StructureError(InputError):
    """A crystal structure is not physical (non-finite lattice, unknown element, atoms on top
    of each other, absurd volume); the message names the structure or its file."""


class MissingMetadataError(InputError):
    """A metric needs a quantity (active mass, electrode area...) that was not given.

    sianode never defaults such quantities.
    """


class DataSourceError(SianodeError, RuntimeError):
    """An external data source (Materials Project, a cache) failed or is misconfigured."""


class DependencyError(SianodeError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, package: str, extra: str, purpose: str = "") -> None:
        self.package, self.extra = package, extra
        what = f" for {purpose}" if purpose else ""
        super().__init__(
            f"{package} is needed{what}; install it with: pip install 'sianode[{extra}]'"
        )


class ComputationError(SianodeError, RuntimeError):
    """A calculation could not produce a meaningful result (no convergence, collapsed host)."""


class WorkerLostError(ComputationError):
    """Worker processes died more often than the retries allow (finished results are kept)."""


class LockError(SianodeError, RuntimeError):
    """Another process holds the lock on an output (two runs writing into one ``--out``)."""
