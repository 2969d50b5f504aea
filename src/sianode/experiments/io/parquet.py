"""Parquet storage of the tidy schema, lossless, with the metadata that travels with it.

The file's key-value metadata holds ``sianode.schema`` (the BDF columns and the current sign
convention) and any user metadata (``mass_mg``, ``area_cm2``, ``cell``...) as JSON, so a
read-back returns the identical frame and the same metadata.

References
----------
Apache Parquet via pyarrow; Battery Data Format (Parquet is its recommended container).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from os import PathLike
from typing import Any

import pandas as pd

from sianode.errors import FileFormatError, ParameterError
from sianode.experiments.schema import validate_timeseries

__all__ = ["write_parquet", "read_parquet", "read_parquet_metadata"]

_KEY = b"sianode"
SIGN_CONVENTION = "current_ampere > 0 while the cell is being charged"


def write_parquet(
    df: pd.DataFrame, path: str | PathLike[str], metadata: Mapping[str, Any] | None = None
) -> None:
    """Write a tidy time series to Parquet with its metadata.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series (validated before writing).
    path : str or PathLike
        Output file.
    metadata : mapping, optional
        JSON-serialisable user metadata (``mass_mg``, ``area_cm2``, ``cell``...).

    Raises
    ------
    ParameterError
        ``metadata`` holds values that cannot be written as JSON.

    References
    ----------
    Module docstring.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = validate_timeseries(df)
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    try:
        blob = json.dumps({"sign_convention": SIGN_CONVENTION,
                           "metadata": dict(metadata or {})}, default=_plain)
    except TypeError as exc:
        raise ParameterError("metadata", str(exc), "JSON-serialisable values") from exc
    meta[_KEY] = blob.encode()
    pq.write_table(table.replace_schema_metadata(meta), str(path))


def _plain(obj: Any) -> Any:
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")


def _open(path):
    import pyarrow.parquet as pq

    path = getattr(path, "path", path)  # a Source from the reading core

    try:
        return pq.read_table(str(path))
    except FileNotFoundError as exc:
        raise FileFormatError(path, "file not found") from exc
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError on non-Parquet input
        raise FileFormatError(path, f"not a Parquet file ({type(exc).__name__}: {exc})") \
            from exc


def read_parquet(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a Parquet file written by :func:`write_parquet` (or any BDF-named Parquet).

    References
    ----------
    Module docstring.
    """
    return validate_timeseries(_open(path).to_pandas(), getattr(path, "path", path))


def read_parquet_metadata(path: str | PathLike[str]) -> dict[str, Any]:
    """The user metadata stored by :func:`write_parquet` (``{}`` when there is none).

    References
    ----------
    Module docstring.
    """
    meta = _open(path).schema.metadata or {}
    if _KEY not in meta:
        return {}
    return dict(json.loads(meta[_KEY])["metadata"])
