"""Reading a ``sianode screen`` output folder (shared by ``explore`` and ``design``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sianode.errors import FileFormatError, InputError, PathError

__all__ = ["read_screen_dir", "check_same_source"]


def read_screen_dir(path: str, option: str = "SCREEN_DIR"
                    ) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """``(screen table, summary.json or {}, manifest.json or {})`` of a screen folder.

    Raises
    ------
    PathError
        Not a folder, or no ``screen.parquet`` in it.
    FileFormatError
        ``screen.parquet`` (or a JSON file) cannot be read.
    """
    import pandas as pd

    d = Path(path)
    if d.exists() and not d.is_dir():
        raise PathError(d, "is a file; expected the --out folder of `sianode screen`",
                        option=option)
    if not d.is_dir():
        raise PathError(d, "no such folder (expected the --out folder of `sianode screen`)",
                        option=option)
    table = d / "screen.parquet"
    if not table.is_file():
        raise PathError(d, "holds no screen.parquet; run `sianode screen --out "
                        f"{d}` first", option=option)
    try:
        df = pd.read_parquet(table)
    except Exception as exc:  # pyarrow raises several types for bad files
        raise FileFormatError(table, f"not readable as Parquet: {exc}") from None
    out = []
    for name in ("summary.json", "manifest.json"):
        p = d / name
        if not p.is_file():
            out.append({})
            continue
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise FileFormatError(p, f"not readable as JSON: {exc}") from None
    return df, out[0], out[1]


def check_same_source(df: Any, manifest: dict[str, Any], engine: Any, source: str,
                      screen_dir: str) -> None:
    """Refuse entries that are not the ones the screen was computed from.

    Every host id of the table must be an entry id, and where the folder's manifest has
    a fingerprint, the entries' fingerprint must equal it.

    Raises
    ------
    InputError
        Names the folder, the source and the first missing id.
    """
    from sianode.thermo.screen import _fingerprint

    ids = set(engine.table.ids)
    missing = [i for i in df["id"].astype(str) if i not in ids]
    if missing:
        raise InputError(
            f"{screen_dir} was not screened from --source {source}: {len(missing)} host id(s) "
            f"such as {missing[0]!r} are not in it; pass the source the screen used")
    fp = manifest.get("fingerprint")
    if fp and fp != _fingerprint(engine.table):
        raise InputError(
            f"{screen_dir} was screened from entries that differ from --source {source} "
            "(energies or volumes changed since); rerun `sianode screen` or pass that source")
