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
  ``"entries"`` list), or a table (``.csv``, ``.parquet``) with the columns of
  :data:`TABLE_COLUMNS`.
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
    DuplicateEntryError,
    EmptySourceError,
    FileFormatError,
    InvalidEnergyError,
    InvalidVolumeError,
    MissingVolumeError,
    UnknownElementError,
)

if TYPE_CHECKING:
    from pymatgen.entries.computed_entries import ComputedEntry

__all__ = [
    "TABLE_COLUMNS",
    "load_entries",
    "read_entries_file",
    "entries_from_table",
    "entries_to_table",
    "entry_volume_A3",
    "validate_entries",
    "parse_formula",
]

#: Table columns: ``id`` and ``formula`` always; one of the energies; one of the volumes.
TABLE_COLUMNS = {
    "id": "unique entry id (str)",
    "formula": "chemical formula of the entry's cell or formula unit, e.g. Li15Si4",
    "energy_eV": "total energy of that formula [eV] (MP2020-compatible), or",
    "energy_per_atom_eV": "energy per atom [eV/atom]",
    "volume_A3": "volume of that formula [Å³], or",
    "volume_per_atom_A3": "volume per atom [Å³/atom]",
    "band_gap_eV": "optional band gap [eV] (screening filter)",
}

_ELEMENTS: frozenset[str] | None = None


def _element_symbols() -> frozenset[str]:
    global _ELEMENTS
    if _ELEMENTS is None:
        from pymatgen.core.periodic_table import Element

        _ELEMENTS = frozenset(e.symbol for e in Element)
    return _ELEMENTS


def parse_formula(formula: str, where: str = "") -> dict[str, float]:
    """Parse a formula into {element: amount}, with a clear error for unknown symbols.

    Raises
    ------
    UnknownElementError
        A symbol is not an element (``"Xx"``), or the formula is empty/unparsable.
    """
    from pymatgen.core import Composition

    ctx = f" ({where})" if where else ""
    try:
        comp = Composition(str(formula))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnknownElementError(
            f"cannot parse formula {formula!r}{ctx}: {exc}; expected element symbols and "
            "amounts such as 'Li15Si4'"
        ) from None
    out: dict[str, float] = {}
    known = _element_symbols()
    for el, amt in comp.items():
        sym = getattr(el, "symbol", str(el))
        if sym not in known:
            raise UnknownElementError(f"unknown element symbol {sym!r} in formula {formula!r}{ctx}")
        out[sym] = float(amt)
    if not out or sum(out.values()) <= 0:
        raise UnknownElementError(f"formula {formula!r}{ctx} has no atoms")
    return out


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
    """Check ids are unique, energies finite and volumes present and positive.

    Raises
    ------
    EmptySourceError, DuplicateEntryError, InvalidEnergyError, MissingVolumeError,
    InvalidVolumeError, UnknownElementError
    """
    if len(entries) == 0:
        raise EmptySourceError(f"{source}: no entries")
    seen: dict[str, int] = {}
    known = _element_symbols()
    for i, e in enumerate(entries):
        eid = e.entry_id
        if eid is None or str(eid) == "":
            raise DuplicateEntryError(f"{source}: entry #{i} ({e.composition}) has no id")
        if eid in seen:
            raise DuplicateEntryError(
                f"{source}: entry id {eid!r} is used by entries #{seen[eid]} and #{i}; "
                "ids must be unique"
            )
        seen[eid] = i
        for el in e.composition.elements:
            if getattr(el, "symbol", str(el)) not in known:
                raise UnknownElementError(f"{source}: entry {eid!r} contains {el!s}")
        if not math.isfinite(float(e.energy)):
            raise InvalidEnergyError(
                f"{source}: entry {eid!r} ({e.composition.reduced_formula}) has energy "
                f"{e.energy!r} eV; expected a finite number"
            )
        entry_volume_A3(e)


def _read_json_any(path: Path) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"not readable as (gzipped) JSON: {exc}") from None


def read_entries_file(path: str | os.PathLike[str]) -> list[ComputedEntry]:
    """Read entries from pymatgen JSON (``.json``/``.json.gz``) or a CSV/Parquet table.

    Raises
    ------
    PathError
        The file is missing, a folder or empty.
    FileFormatError
        The file is not in one of these formats (names the file and item).
    """
    from sianode.validation import check_input_file

    p = check_input_file(path, "entries file")  # missing, folder, empty: said as such
    name = p.name.lower()
    if name.endswith((".csv", ".parquet", ".pq")):
        import pandas as pd

        try:
            df = pd.read_csv(p) if name.endswith(".csv") else pd.read_parquet(p)
        except Exception as exc:  # pandas raises many types for bad files
            raise FileFormatError(p, f"not readable as a table: {exc}") from None
        return entries_from_table(df, source=str(p))
    if name.endswith((".json", ".json.gz")):
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
    raise FileFormatError(p, "unknown file type; expected .json, .json.gz, .csv or .parquet")


def entries_from_table(df: Any, source: str = "table") -> list[ComputedEntry]:
    """Entries from a DataFrame with the columns of :data:`TABLE_COLUMNS`.

    Each row becomes a ``ComputedEntry`` with ``data['volume_A3']`` (volume of the row's
    formula) and, if given, ``data['band_gap']``.
    """
    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry

    cols = {c.strip(): c for c in df.columns}
    for required in ("id", "formula"):
        if required not in cols:
            raise FileFormatError(source, f"missing column {required!r}", column=required)
    e_col = "energy_eV" if "energy_eV" in cols else "energy_per_atom_eV"
    v_col = "volume_A3" if "volume_A3" in cols else "volume_per_atom_A3"
    if e_col not in cols:
        raise FileFormatError(source, "missing energy column: 'energy_eV' or 'energy_per_atom_eV'",
                              column="energy_eV")
    if v_col not in cols:
        raise FileFormatError(
            source, "missing volume column: 'volume_A3' or 'volume_per_atom_A3' (volumes are "
            "required for reaction strain)", column="volume_A3")
    gap_col = cols.get("band_gap_eV")
    out = []
    for i, row in enumerate(df.itertuples(index=False), start=2):  # header is line 1
        rec = row._asdict() if hasattr(row, "_asdict") else dict(zip(df.columns, row, strict=True))
        rec = {k.strip(): v for k, v in rec.items()}
        formula = rec["formula"]
        if not isinstance(formula, str) or not formula.strip():
            raise FileFormatError(source, f"empty formula {formula!r}", row=i, column="formula")
        parse_formula(formula, where=f"{source}, row {i}")
        comp = Composition(formula)
        try:
            energy = float(rec[e_col])
            volume = float(rec[v_col])
        except (TypeError, ValueError):
            raise FileFormatError(source, "energy and volume must be numbers", row=i) from None
        if not math.isfinite(energy):
            raise InvalidEnergyError(f"{source}, row {i}: entry {rec['id']!r} has energy {energy}")
        if not (math.isfinite(volume) and volume > 0):
            raise InvalidVolumeError(
                f"{source}, row {i}: entry {rec['id']!r} has volume {volume}; expected > 0 Å³")
        if e_col == "energy_per_atom_eV":
            energy *= comp.num_atoms
        if v_col == "volume_per_atom_A3":
            volume *= comp.num_atoms
        data: dict[str, Any] = {"volume_A3": volume, "source": source}
        if gap_col is not None and rec.get("band_gap_eV") is not None:
            gap = float(rec["band_gap_eV"])
            if math.isfinite(gap):
                data["band_gap"] = gap
        out.append(ComputedEntry(comp, energy, entry_id=str(rec["id"]), data=data))
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
