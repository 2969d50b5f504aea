"""Small helpers shared by the subcommands: JSON output, output-path checks, atomic figures.

Output paths are checked before any work (:func:`check_output`): a folder where a file is
expected (or the reverse), an extension no writer supports, or a folder that cannot be
written is refused as one line naming the option. Figures (:func:`sianode.plots.style.save`)
and files are then written atomically (:mod:`sianode.atomic`), so a killed run or two runs
into one folder never leave a half-written file.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "FIGURE_SUFFIXES",
    "check_output",
    "check_figure",
    "print_json",
    "to_jsonable",
]

def _figure_suffixes() -> tuple[str, ...]:
    from sianode.plots.style import FORMATS  # light: no matplotlib at import

    return tuple(f".{f}" for f in FORMATS)


#: Figure files the CLI writes (:data:`sianode.plots.style.FORMATS`).
FIGURE_SUFFIXES: tuple[str, ...] = _figure_suffixes()


def check_output(path: str | os.PathLike[str] | None, option: str, *, kind: str = "file",
                 suffixes: Iterable[str] | None = None) -> Path | None:
    """Check an output option up front (``None``: option not given, nothing to check).

    Parameters
    ----------
    path : str, PathLike or None
        The value of the option.
    option : str
        The option's name as typed (``"--out"``).
    kind : {"file", "dir"}
        A file to write, or a folder to write into.
    suffixes : iterable of str, optional
        Accepted file endings.

    Returns
    -------
    pathlib.Path or None

    Raises
    ------
    PathError
        See :func:`sianode.validation.check_output_path`.
    """
    if path is None:
        return None
    from sianode.paths import check_output_path  # no numpy: refused before heavy imports

    return check_output_path(path, option, kind=kind, suffixes=suffixes)


def check_figure(path: str | os.PathLike[str] | None, option: str = "--plot") -> Path | None:
    """Check a figure file option: writable and an extension matplotlib can write."""
    return check_output(path, option, kind="file", suffixes=FIGURE_SUFFIXES)


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays and non-finite floats (-> null) for strict JSON."""
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def print_json(obj: Any, indent: int | None = 2) -> None:
    """Write ``obj`` as strict JSON (NaN/inf become null) to stdout."""
    json.dump(to_jsonable(obj), sys.stdout, indent=indent, allow_nan=False)
    sys.stdout.write("\n")
