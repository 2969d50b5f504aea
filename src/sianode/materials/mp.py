"""Entries from the Materials Project (``mp-api``), cached on disk.

Entries are fetched per chemical system with ``MPRester.get_entries_in_chemsys`` (all
sub-systems included) on MP's GGA/GGA+U mixing scheme with MP2020 corrections
(``compatible_only=True``), as ``ComputedStructureEntry`` objects whose structures give the
volumes. Responses are cached as ``<cache>/mp-<Li-Si-...>.json.gz``, so a second run makes no
request. The API key comes from the ``api_key`` argument or ``MP_API_KEY``; it is never
printed, logged or written to the cache.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sianode.errors import DataSourceError, DependencyError, EmptySourceError

if TYPE_CHECKING:
    from pymatgen.entries.computed_entries import ComputedEntry

__all__ = ["default_cache_dir", "load_mp_entries", "cache_path"]

#: The mixing scheme requested; stored with every cache file.
THERMO_SCHEME = "GGA_GGA+U (MP2020 corrections)"


def default_cache_dir() -> Path:
    """``$SIANODE_CACHE/mp`` or ``~/.cache/sianode/mp``."""
    base = os.environ.get("SIANODE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache",
                                                           "sianode")
    return Path(base) / "mp"


def cache_path(chemsys: Sequence[str], cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Cache file of a chemical system."""
    d = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return d / f"mp-{'-'.join(sorted(set(chemsys)))}.json.gz"


def _default_client(api_key: str) -> Any:
    try:
        from mp_api.client import MPRester
    except ImportError:
        raise DependencyError("mp-api", "mp", "Materials Project access") from None
    return MPRester(api_key)


def load_mp_entries(
    chemsys: Sequence[str],
    *,
    api_key: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    refresh: bool = False,
    client_factory: Callable[[str], Any] | None = None,
) -> list[ComputedEntry]:
    """All MP entries of ``chemsys`` and its sub-systems, from the cache or the API.

    Parameters
    ----------
    chemsys : sequence of str
        Element symbols, e.g. ``["Li", "Si"]``.
    api_key : str, optional
        Defaults to ``MP_API_KEY``; needed only when the cache has no copy.
    cache_dir : path, optional
        Defaults to :func:`default_cache_dir`.
    refresh : bool
        Ignore the cache and fetch again.
    client_factory : callable, optional
        ``api_key -> client`` with ``get_entries_in_chemsys`` and context-manager support
        (tests pass a recorder); default ``mp_api.client.MPRester``.

    Raises
    ------
    DataSourceError
        No key and no cached copy, or the request failed (the key is never shown).
    """
    from monty.json import MontyDecoder

    path = cache_path(chemsys, cache_dir)
    if path.is_file() and not refresh:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
        return [MontyDecoder().process_decoded(d) for d in payload["entries"]]
    key = api_key or os.environ.get("MP_API_KEY")
    if not key:
        raise DataSourceError(
            f"no Materials Project key: set MP_API_KEY or pass api_key (no cached copy at {path})")
    factory = client_factory or _default_client
    try:
        with factory(key) as mpr:
            entries = list(mpr.get_entries_in_chemsys(sorted(set(chemsys)),
                                                      compatible_only=True))
    except DependencyError:
        raise
    except Exception as exc:
        msg = str(exc).replace(key, "***")
        raise DataSourceError(f"Materials Project request for {'-'.join(chemsys)} failed: "
                              f"{type(exc).__name__}: {msg}") from None
    if not entries:
        raise EmptySourceError(f"Materials Project has no entries for {'-'.join(chemsys)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"chemsys": sorted(set(chemsys)), "scheme": THERMO_SCHEME,
               "entries": [e.as_dict() for e in entries]}
    tmp = path.with_name(f".{path.name}.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh)
    os.replace(tmp, path)
    return entries
