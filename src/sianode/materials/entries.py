"""Entries (composition, energy, volume, id) from files and tables, validated.

The currency between layers is pymatgen's ``ComputedEntry`` / ``ComputedStructureEntry``.
sianode needs one thing pymatgen entries do not always carry: the **volume** of the entry's
composition [Å³]. It is ``structure.volume`` for a ``ComputedStructureEntry`` and
``entry.data["volume_A3"]`` otherwise (tables, JSON without structures). A missing volume is
an error naming the entry, never a guess (reaction strain and K_crit need it; seed 001 Methods).

Sources
-------
- ``"builtin"``: the reference set shipped with sianode (:mod:`sianode.materials.builtin`):
  elements and experimentally reported phases only.
- ``"builtin+hypothetical"``: the same plus the opt-in exploratory set (superseded reports and
  hypothetical prototype binaries, ``data["experimental"] = False``).
- ``"mp"``: the Materials Project (:mod:`sianode.materials.mp`, needs ``MP_API_KEY``).
- a file: pymatgen entry JSON (``.json``/``.json.gz``: a list of entry dicts, or a dict with an
  ``"entries"`` list), JSON lines (``.jsonl``: one entry dict per line, as
  ``sianode compute-entries`` writes), or a table (``.csv``, ``.parquet``) with the columns of
  :data:`TABLE_COLUMNS`.

:func:`load_entries` returns pymatgen entries; :func:`load_entry_table` returns the same
entries as a columnar :class:`~sianode.materials.table.EntryTable` (the fast path of the
thermodynamics, no pymatgen for the built-in set and for tables). Both validate: unique ids,
finite energies and volumes within physical ranges, each refusal naming the entry.
"""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sianode.errors import (
    EmptySourceError,
    FileFormatError,
    InvalidVolumeError,
    MissingVolumeError,
)
from sianode.materials.formula import parse_formula
from sianode.materials.table import TABLE_COLUMNS

if TYPE_CHECKING:
    from pymatgen.entries.computed_entries import ComputedEntry

    from sianode.materials.table import EntryTable

__all__ = [
    "TABLE_COLUMNS",
    "load_entries",
    "load_entry_table",
    "read_entries_file",
    "entries_from_table",
    "entries_to_table",
    "entry_volume_A3",
    "validate_entries",
    "parse_formula",
]


def entry_volume_A3(entry: ComputedEntry) -> float:
    """Volume of the entry's composition [Å³] (structure volume, else ``data['volume_A3']``).

    Raises
    ------
    MissingVolumeError
        Neither a structure nor ``data['volume_A3']`` is present.
    InvalidVolumeError
        The volume is not a positive finite number.
    """
    structure = getattr(entry, "structure", None)
    if structure is not None:
        vol = float(structure.volume)
        # a structure may hold a multiple of the entry composition
        n_struct = structure.composition.num_atoms
        n_entry = entry.composition.num_atoms
        if n_struct > 0 and abs(n_struct - n_entry) > 1e-6:
            vol *= n_entry / n_struct
    else:
        data = entry.data or {}
        if "volume_A3" not in data or data["volume_A3"] is None:
            raise MissingVolumeError(
                f"entry {entry.entry_id!r} ({entry.composition.reduced_formula}) has no volume: "
                "give a structure or data['volume_A3'] in Å³ (needed for reaction strain)"
            )
        vol = data["volume_A3"]
    try:
        vol = float(vol)
    except (TypeError, ValueError):
        vol = math.nan
    if not (math.isfinite(vol) and vol > 0):
        raise InvalidVolumeError(
            f"entry {entry.entry_id!r} ({entry.composition.reduced_formula}) has volume {vol!r} Å³;"
            " expected a positive finite number"
        )
    return vol


def validate_entries(entries: Sequence[ComputedEntry], source: str = "entries") -> None:
    """Check ids are unique, energies and volumes finite and within physical ranges.

    The ranges are :data:`sianode.validation.ENERGY_PER_ATOM_EV` and
    :data:`~sianode.validation.VOLUME_PER_ATOM_A3`, checked by
    :func:`sianode.validation.check_entry_values` (gas-phase references such as O2 in a box:
    up to :data:`sianode.materials.table.GAS_VOLUME_PER_ATOM_MAX_A3`).

    Raises
    ------
    EmptySourceError, DuplicateEntryError, InvalidEnergyError, MissingVolumeError,
    InvalidVolumeError, UnknownElementError
        Each naming the entry.
    """
    from sianode.materials.table import EntryTable

    EntryTable.from_entries(entries, source=source)


def _read_json_any(path: Path) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            if path.name.lower().endswith((".jsonl", ".jsonl.gz")):
                items = []
                for n, line in enumerate(fh, start=1):
                    if line.strip():
                        try:
                            items.append(json.loads(line))
                        except json.JSONDecodeError as exc:
                            raise FileFormatError(path, f"line {n} is not JSON: {exc}") from None
                return items
            return json.load(fh)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"not readable as (gzipped) JSON: {exc}") from None


_JSON_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz")
_TABLE_SUFFIXES = (".csv", ".parquet", ".pq")


def _check_file(path: str | os.PathLike[str]) -> Path:
    from sianode.validation import check_input_file

    p = check_input_file(path, "entries file")  # missing, folder, empty: said as such
    if not p.name.lower().endswith(_JSON_SUFFIXES + _TABLE_SUFFIXES):
        raise FileFormatError(p, "unknown file type; expected .json, .json.gz, .jsonl, .csv "
                              "or .parquet")
    return p


def _read_frame(p: Path) -> Any:
    import pandas as pd

    try:
        return pd.read_csv(p) if p.name.lower().endswith(".csv") else pd.read_parquet(p)
    except Exception as exc:  # pandas raises many types for bad files
        raise FileFormatError(p, f"not readable as a table: {exc}") from None


def read_entries_file(path: str | os.PathLike[str]) -> list[ComputedEntry]:
    """Read entries from pymatgen JSON (``.json``/``.json.gz``), JSON lines (``.jsonl``, as
    ``sianode compute-entries`` writes) or a CSV/Parquet table.

    Raises
    ------
    PathError
        The file is missing, a folder or empty.
    FileFormatError
        The file is not in one of these formats (names the file and the item or line).
    """
    p = _check_file(path)
    name = p.name.lower()
    if name.endswith(_TABLE_SUFFIXES):
        return entries_from_table(_read_frame(p), source=str(p))
    from monty.json import MontyDecoder
    from pymatgen.entries.computed_entries import ComputedEntry

    raw = _read_json_any(p)
    items = raw.get("entries") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise FileFormatError(p, "expected a list of entry dicts or {'entries': [...]}")
    out = []
    dec = MontyDecoder()
    for i, d in enumerate(items):
        try:
            obj = dec.process_decoded(d)
        except Exception as exc:
            raise FileFormatError(p, f"item {i} is not a pymatgen entry: {exc}") from None
        if not isinstance(obj, ComputedEntry):
            raise FileFormatError(
                p, f"item {i} is a {type(obj).__name__}, expected a ComputedEntry dict"
            )
        out.append(obj)
    return out


def entries_from_table(df: Any, source: str = "table") -> list[ComputedEntry]:
    """Entries from a DataFrame with the columns of :data:`TABLE_COLUMNS`.

    The rows are validated first (:meth:`EntryTable.from_frame`: errors name row and column).
    Each row becomes a ``ComputedEntry`` with ``data['volume_A3']`` (volume of the row's
    formula) and, if given, ``data['band_gap']``.
    """
    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry

    from sianode.materials.table import EntryTable

    table = EntryTable.from_frame(df, source=source)
    out = []
    for i in range(len(table)):
        comp = Composition({table.elements[j]: a for j, a in table.comps[i].items()})
        data: dict[str, Any] = {"volume_A3": float(table.volume_A3[i]), "source": source}
        if math.isfinite(table.band_gap_eV[i]):
            data["band_gap"] = float(table.band_gap_eV[i])
        out.append(ComputedEntry(comp, float(table.energy_eV[i]), entry_id=table.ids[i],
                                 data=data))
    return out


def entries_to_table(entries: Iterable[ComputedEntry]) -> Any:
    """Entries -> DataFrame with ``id, formula, energy_eV, volume_A3[, band_gap_eV]``."""
    import pandas as pd

    rows = []
    for e in entries:
        rows.append({
            "id": e.entry_id,
            "formula": e.composition.formula.replace(" ", ""),
            "energy_eV": float(e.energy),
            "volume_A3": entry_volume_A3(e),
            "band_gap_eV": (e.data or {}).get("band_gap", float("nan")),
        })
    return pd.DataFrame(rows)


def load_entries(
    source: str | os.PathLike[str] = "builtin",
    *,
    chemsys: Iterable[str] | None = None,
    validate: bool = True,
    **kwargs: Any,
) -> list[ComputedEntry]:
    """Load and validate entries from ``"builtin"``, ``"mp"`` or a file path.

    Parameters
    ----------
    source : str or path
        ``"builtin"`` (experimentally reported phases), ``"builtin+hypothetical"`` (plus the
        exploratory prototypes), ``"mp"`` or a file (see module docstring).
    chemsys : iterable of str, optional
        Element symbols; keep (``builtin``/file) or fetch (``mp``) only entries whose
        elements are a subset of these plus Li. Required for ``"mp"``.
    validate : bool
        Run :func:`validate_entries` (unique ids, finite energies, volumes present).
    **kwargs
        Passed to the Materials Project loader (``api_key``, ``cache_dir``).
    """
    src = str(source)
    if src in ("builtin", "builtin+hypothetical"):
        from sianode.materials.builtin import load_builtin_entries

        entries = list(load_builtin_entries(include_hypothetical=src != "builtin"))
    elif src == "mp":
        from sianode.materials.mp import load_mp_entries

        if chemsys is None:
            raise EmptySourceError("source 'mp' needs the chemical systems to fetch (chemsys=)")
        entries = load_mp_entries(sorted(set(chemsys) | {"Li"}), **kwargs)
    else:
        entries = read_entries_file(src)
    if chemsys is not None:
        allowed = set(chemsys) | {"Li"}
        entries = [e for e in entries
                   if {el.symbol for el in e.composition.elements} <= allowed]
    if validate:
        validate_entries(entries, source=src)
    return entries


def load_entry_table(
    source: str | os.PathLike[str] = "builtin",
    *,
    chemsys: Iterable[str] | None = None,
    **kwargs: Any,
) -> EntryTable:
    """The entries of ``source`` as a validated columnar table (fast path of the thermo CLI).

    Parameters
    ----------
    source, chemsys, **kwargs
        As :func:`load_entries`. ``"builtin"``, ``.csv`` and ``.parquet`` are read without
        pymatgen.

    Raises
    ------
    EmptySourceError
        No entries (in ``chemsys``).
    FileFormatError, EntryError
        As :func:`load_entries`.
    """
    from sianode.materials.table import EntryTable

    src = str(source)
    if src in ("builtin", "builtin+hypothetical"):
        from sianode.materials.builtin import load_builtin_table

        table = load_builtin_table(include_hypothetical=src != "builtin")
    elif src != "mp" and str(src).lower().endswith(_TABLE_SUFFIXES):
        p = _check_file(src)
        table = EntryTable.from_frame(_read_frame(p), source=str(p))
    else:
        return EntryTable.from_entries(load_entries(src, chemsys=chemsys, validate=False,
                                                    **kwargs), source=src)
    if chemsys is not None:
        table = table.within(chemsys)
        if len(table) == 0:
            raise EmptySourceError(f"{src}: no entries with elements in "
                                   f"{sorted(set(chemsys) | {'Li'})}")
    return table
