"""Entries from the Materials Project (``mp-api``), cached on disk.

Entries are fetched per chemical system with ``MPRester.get_entries_in_chemsys`` (all
sub-systems included) on MP's GGA/GGA+U mixing scheme with MP2020 corrections
(``compatible_only=True``), as ``ComputedStructureEntry`` objects whose structures give the
volumes. Responses are cached as ``<cache>/mp-<Li-Si-...>.json.gz``, so a second run makes no
request. The API key comes from the ``api_key`` argument or ``MP_API_KEY``; it is never
printed, logged or written to the cache.

The whole database (:func:`load_mp_table`, ``sianode screen --source mp --all``) is fetched in
pages instead: each page of the summary endpoint (material id, formula, sites, volume, band
gap; sorted by material id) plus the GGA/GGA+U thermo energies of its materials becomes one
Parquet part, written atomically, so an interrupted download resumes at the first missing
page. A manifest records the database version; parts of another version are never mixed in.
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

__all__ = ["default_cache_dir", "load_mp_entries", "cache_path", "load_mp_table",
           "MP_TABLE_COLUMNS", "usable_rows"]

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
    from sianode.atomic import atomic_path

    with atomic_path(path) as tmp, gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh)
    return entries


# --- the whole database, in pages ---------------------------------------------------------

#: Columns of :func:`load_mp_table` (per-atom quantities, so cell size does not matter).
MP_TABLE_COLUMNS = {
    "id": "Materials Project material id",
    "formula": "reduced formula (formula_pretty)",
    "nsites": "sites in MP's structure",
    "energy_per_atom_eV": "GGA/GGA+U energy with MP2020 corrections [eV/atom]; NaN: none",
    "uncorrected_energy_per_atom_eV": "the same before corrections [eV/atom]",
    "volume_per_atom_A3": "structure volume / nsites [Å³/atom]",
    "band_gap_eV": "band gap [eV]; NaN where unknown",
}
_SUMMARY_FIELDS = ["material_id", "formula_pretty", "nsites", "volume", "band_gap"]
_THERMO_FIELDS = ["material_id", "energy_per_atom", "uncorrected_energy_per_atom"]
_THERMO_TYPE = "GGA_GGA+U"


def _field(doc: Any, name: str) -> Any:
    return doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)


def _num(x: Any) -> float:
    return float("nan") if x is None else float(x)


def _page_frame(summary: list[Any], thermo: list[Any]) -> Any:
    import pandas as pd

    energy: dict[str, tuple[Any, Any]] = {}
    for d in thermo:
        energy.setdefault(str(_field(d, "material_id")),
                          (_field(d, "energy_per_atom"), _field(d, "uncorrected_energy_per_atom")))
    rows = []
    for d in summary:
        mid = str(_field(d, "material_id"))
        n = int(_field(d, "nsites"))
        e, u = energy.get(mid, (None, None))
        rows.append((mid, str(_field(d, "formula_pretty")), n, _num(e), _num(u),
                     float(_field(d, "volume")) / n, _num(_field(d, "band_gap"))))
    return pd.DataFrame(rows, columns=list(MP_TABLE_COLUMNS))


def _write_parquet(df: Any, path: Path) -> None:
    from sianode.atomic import atomic_path

    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)


def load_mp_table(
    *,
    api_key: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    refresh: bool = False,
    client_factory: Callable[[str], Any] | None = None,
    page_size: int = 1000,
    include_gnome: bool = False,
    progress: bool = False,
) -> Any:
    """Every Materials Project material as one table (:data:`MP_TABLE_COLUMNS`), resumable.

    Parameters
    ----------
    api_key : str, optional
        Defaults to ``MP_API_KEY``; not needed once the table is cached. Never written.
    cache_dir : path, optional
        Defaults to :func:`default_cache_dir`; the download lives in ``<cache>/mp-all/``
        (``manifest.json``, ``pages/page-NNNNNN.parquet``, then ``mp_all.parquet``).
    refresh : bool
        Discard the cached table and pages and download again.
    client_factory : callable, optional
        ``api_key -> client`` (context manager with ``get_database_version()``,
        ``materials.summary.search`` and ``materials.thermo.search`` as in mp-api); tests
        pass a recorded fake. Default ``mp_api.client.MPRester``.
    page_size : int
        Materials per page (one summary request and one thermo request each).
    include_gnome : bool
        Also fetch the GNoME r2SCAN materials (none has a GGA/GGA+U energy).
    progress : bool
        A bar of pages on stderr.

    Returns
    -------
    pandas.DataFrame
        One row per non-deprecated material, sorted by material id; materials without a
        GGA/GGA+U energy are kept with NaN (see :func:`usable_rows`).

    Raises
    ------
    DataSourceError
        No key and no complete cache, a failed request (finished pages stay cached; the
        key is never shown), or pages that overlap.
    """
    import pandas as pd

    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        from sianode.errors import ParameterError

        raise ParameterError("page_size", page_size, "an integer >= 1")
    root = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "mp-all"
    final, pages, mpath = root / "mp_all.parquet", root / "pages", root / "manifest.json"
    if final.is_file() and not refresh:
        return pd.read_parquet(final)
    key = api_key or os.environ.get("MP_API_KEY")
    if not key:
        raise DataSourceError(
            f"no Materials Project key: set MP_API_KEY or pass api_key (no complete cached "
            f"copy at {final})")
    if refresh:
        for p in [final, mpath, *pages.glob("page-*.parquet")]:
            p.unlink(missing_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    factory = client_factory or _default_client
    page = 1
    bar = None
    try:
        with factory(key) as mpr:
            manifest = {"format": 1, "database_version": str(mpr.get_database_version()),
                        "page_size": page_size, "thermo_type": _THERMO_TYPE,
                        "include_gnome": include_gnome, "sort": "material_id",
                        "summary_fields": _SUMMARY_FIELDS, "thermo_fields": _THERMO_FIELDS}
            if mpath.is_file() and json.loads(mpath.read_text()) != manifest:
                import sys

                print(f"note: {root} holds pages of another database version or settings; "
                      "starting the download again", file=sys.stderr)
                for p in pages.glob("page-*.parquet"):
                    p.unlink()
            from sianode.atomic import write_json

            write_json(mpath, manifest, indent=1)
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(unit="page", desc="Materials Project")
            while True:
                part = pages / f"page-{page:06d}.parquet"
                if part.is_file():
                    import pyarrow.parquet as pq

                    n = pq.read_metadata(part).num_rows
                else:
                    summary = list(mpr.materials.summary.search(
                        deprecated=False, include_gnome=include_gnome, fields=_SUMMARY_FIELDS,
                        chunk_size=page_size, _page=page, _sort_fields="material_id"))
                    n = len(summary)
                    if n:
                        ids = [str(_field(d, "material_id")) for d in summary]
                        thermo = list(mpr.materials.thermo.search(
                            material_ids=ids, thermo_types=[_THERMO_TYPE],
                            fields=_THERMO_FIELDS))
                        _write_parquet(_page_frame(summary, thermo), part)
                if bar is not None:
                    bar.update()
                if n < page_size:
                    break
                page += 1
    except (DependencyError, DataSourceError):
        raise
    except Exception as exc:
        msg = str(exc).replace(key, "***")
        done = len(list(pages.glob("page-*.parquet")))
        raise DataSourceError(
            f"Materials Project download failed at page {page} ({type(exc).__name__}: {msg}); "
            f"{done} finished pages are kept in {pages}: run again to resume") from None
    finally:
        if bar is not None:
            bar.close()
    parts = sorted(pages.glob("page-*.parquet"))
    if not parts:
        raise EmptySourceError("Materials Project returned no materials")
    df = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    dup = df["id"][df["id"].duplicated()]
    if len(dup):
        raise DataSourceError(
            f"Materials Project pages overlap ({len(dup)} ids twice, e.g. {dup.iloc[0]}): the "
            f"database changed during the download; delete {root} and run again")
    _write_parquet(df, final)
    return df


def usable_rows(df: Any) -> tuple[Any, int]:
    """Rows of :func:`load_mp_table` with a GGA/GGA+U energy, and how many were left out."""
    import numpy as np

    ok = np.isfinite(df["energy_per_atom_eV"].to_numpy(float))
    return df[ok].reset_index(drop=True), int((~ok).sum())
