"""The built-in Li-X reference set shipped with sianode (offline, no API key).

Relaxed :class:`~pymatgen.entries.computed_entries.ComputedStructureEntry` objects made by
``scripts/build_builtin_data.py`` with the SevenNet-0 potential. The default set holds only
the elements, the experimentally reported Li-X phases of the cited catalogue
(:mod:`sianode.materials.catalogue`) and the non-binary hosts of seed 001
(:mod:`sianode.materials.structures_lisi`); every entry has ``data["experimental"] = True``,
``data["structure_origin"]`` (``published``, ``isotypic-model``, ``MP-derived``, ...) and, for a
Li-X phase, ``data["catalogue_id"]``. The exploratory set (``include_hypothetical=True``,
source name ``"builtin+hypothetical"``) adds superseded reports and hypothetical Li-X binaries
on generic prototypes (:mod:`sianode.materials.prototypes`), each with
``data["experimental"] = False``. Energies are on the
MP2020-compatible GGA scale as far as the potential allows: SevenNet-0's raw PBE energies
were processed by ``MaterialsProject2020Compatibility`` (anion corrections only; see
:func:`builtin_provenance` ``["energy_scale"]``). Each entry has a unique ``entry_id``
(``sianode-Li15Si4-I-43d``), ``volume`` = relaxed structure volume [Å³] and ``data`` with
``source`` (structure citation), ``prototype``/``spacegroup`` and ``potential``.

The thermodynamics reads the columnar form of each file (``entries.table.json``,
``exploratory.table.json``; :mod:`sianode.materials.table`) through
:func:`load_builtin_table`, without pymatgen; structures stay in the ``.json.gz`` files.

References
----------
Seed 001 (Fig. 3, Methods); Park et al., J. Chem. Theory Comput. 20, 4857 (2024)
(SevenNet); Wang et al., npj Comput. Mater. 7, 137 (2021) (MP2020).
"""

from __future__ import annotations

import gzip
import json
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sianode.errors import EmptySourceError, UnknownElementError

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.entries.computed_entries import ComputedStructureEntry

    from sianode.materials.table import EntryTable

__all__ = ["load_builtin_entries", "load_builtin_table", "builtin_provenance", "builtin_systems",
           "builtin_validation"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "builtin"
_DEFAULT = "entries"
_EXPLORATORY = "exploratory"


def _json_gz(name: str) -> Path:
    return DATA_DIR / f"{name}.json.gz"


@lru_cache(maxsize=4)
def _read_gz(name: str) -> tuple[dict[str, Any], ...]:
    with gzip.open(_json_gz(name), "rt", encoding="utf-8") as gz:
        return tuple(json.load(gz))


def _raw_dicts(include_hypothetical: bool = False) -> tuple[dict[str, Any], ...]:
    dicts = _read_gz(_DEFAULT)
    return dicts + _read_gz(_EXPLORATORY) if include_hypothetical else dicts


def _elements_of(d: dict[str, Any]) -> frozenset[str]:
    return frozenset(s["species"][0]["element"] for s in d["structure"]["sites"])


def _parse_system(system: str) -> frozenset[str]:
    from sianode.materials.formula import element_data

    parts = [p.strip() for p in system.replace(" ", "").split("-") if p.strip()]
    known = element_data()
    for p in parts:
        if p not in known:
            raise UnknownElementError(f"chemical system {system!r}: {p!r} is not an element")
    return frozenset(parts)


@lru_cache(maxsize=4)
def _file_table(name: str) -> EntryTable:
    from sianode.materials.table import EntryTable, sha256_of, table_path_for

    src = _json_gz(name)
    path = table_path_for(src)
    if path.is_file():
        table, header = EntryTable.read_json(path)
        if header.get("source_sha256") == sha256_of(src):
            return table
        why = f"{path.name} was built from another version of {src.name}"
    else:
        why = f"{path.name} is missing"
    warnings.warn(f"built-in table: {why}; reading {src.name} with pymatgen instead (slow). "
                  "Regenerate with: python -m sianode.materials.table build", stacklevel=3)
    from monty.json import MontyDecoder

    dec = MontyDecoder()
    return EntryTable.from_entries([dec.process_decoded(d) for d in _read_gz(name)],
                                   source=str(src))


@lru_cache(maxsize=2)
def _full_table(include_hypothetical: bool = False) -> EntryTable:
    table = _file_table(_DEFAULT)
    if not include_hypothetical:
        return table
    from sianode.materials.table import EntryTable

    parts = [table, _file_table(_EXPLORATORY)]
    keys = list(dict.fromkeys(k for t in parts for k in t.info))
    return EntryTable.from_compositions(
        [i for t in parts for i in t.ids],
        [{t.elements[j]: a for j, a in c.items()} for t in parts for c in t.comps],
        [e for t in parts for e in t.energy_eV], [v for t in parts for v in t.volume_A3],
        [None if g != g else float(g) for t in parts for g in t.band_gap_eV],
        {k: [v for t in parts for v in t.info.get(k, [None] * len(t))] for k in keys},
        source="builtin+hypothetical")


def load_builtin_table(systems: Iterable[str] | None = None,
                       include_hypothetical: bool = False) -> EntryTable:
    """The built-in entries as a columnar :class:`~sianode.materials.table.EntryTable`.

    The fast path (no pymatgen): compositions, energies [eV], volumes [Å³] and provenance
    columns (``source``, ``experimental``, ``catalogue_id``, ...) read from
    ``entries.table.json`` (plus ``exploratory.table.json`` with ``include_hypothetical``);
    structures stay in the ``.json.gz`` files (:func:`load_builtin_entries`). A table that does
    not match its ``.json.gz`` (the recorded SHA-256) is not used: the entries are then read
    with pymatgen, with a warning.

    Parameters
    ----------
    systems : iterable of str, optional
        Chemical systems such as ``["Li-Si"]``; entries whose elements are a subset of one
        of them (terminals included). ``None``: every entry.
    include_hypothetical : bool
        Also the exploratory set (as :func:`load_builtin_entries`).

    Raises
    ------
    UnknownElementError, EmptySourceError
        As :func:`load_builtin_entries`.
    """
    table = _full_table(bool(include_hypothetical))
    if systems is None:
        return table
    if isinstance(systems, str):
        systems = [systems]
    wanted = [_parse_system(s) for s in systems]
    sets = [frozenset(table.symbols_of(m)) for m in table.mask]
    rows = [i for i, els in enumerate(sets) if any(els <= w for w in wanted)]
    if not rows:
        raise EmptySourceError(
            f"no built-in entries in chemical systems {sorted(map('-'.join, wanted))}; "
            f"built-in systems: {', '.join(builtin_systems(include_hypothetical))}")
    return table.take(rows)


def builtin_systems(include_hypothetical: bool = False) -> list[str]:
    """Chemical systems (``"Li-Si"``) that have at least one binary/ternary entry."""
    t = _full_table(bool(include_hypothetical))
    systems = {"-".join(sorted(t.symbols_of(m))) for m in t.mask}
    return sorted(s for s in systems if "-" in s)


def load_builtin_entries(
    systems: Iterable[str] | None = None, include_hypothetical: bool = False
) -> list[ComputedStructureEntry]:
    """Load the built-in entries, optionally only those inside the given chemical systems.

    Parameters
    ----------
    systems : iterable of str, optional
        Chemical systems such as ``["Li-Si", "Li-Mg-Si"]``. An entry is returned when its
        elements are a subset of one system's elements (so the pure-Li and pure-element
        terminals come with it). ``None``: every entry.
    include_hypothetical : bool
        Also load the exploratory set: superseded reports and hypothetical prototypes
        (``data["experimental"] = False``). Default False: experimentally reported phases only.

    Returns
    -------
    list of ComputedStructureEntry
        Fresh objects (safe to modify) with structures; energies [eV] on the
        MP2020-compatible scale, volumes [Å³]. (The thermodynamics needs no structures:
        :func:`load_builtin_table` is the fast path.)

    Raises
    ------
    UnknownElementError
        A system names something that is not an element.
    EmptySourceError
        No built-in entry lies in the requested systems.

    References
    ----------
    See module docstring; provenance in :func:`builtin_provenance`.

    Examples
    --------
    >>> entries = load_builtin_entries(["Li-Si"])
    >>> sorted({e.composition.reduced_formula for e in entries})[:3]
    ['Li', 'Li12Si7', 'Li13Si4']
    """
    from pymatgen.entries.computed_entries import ComputedStructureEntry

    dicts = _raw_dicts(include_hypothetical)
    if systems is not None:
        if isinstance(systems, str):
            systems = [systems]
        wanted = [_parse_system(s) for s in systems]
        dicts = tuple(d for d in dicts if any(_elements_of(d) <= w for w in wanted))
        if not dicts:
            raise EmptySourceError(
                f"no built-in entries in chemical systems {sorted(map('-'.join, wanted))}; "
                f"built-in systems: {', '.join(builtin_systems(include_hypothetical))}"
            )
    return [ComputedStructureEntry.from_dict(d) for d in dicts]


def builtin_provenance() -> dict[str, Any]:
    """Provenance of the built-in set: potential, versions, settings, date, source per entry.

    Returns
    -------
    dict
        Contents of ``sianode/data/builtin/provenance.json``.

    References
    ----------
    ``scripts/build_builtin_data.py`` writes it.
    """
    return json.loads((DATA_DIR / "provenance.json").read_text(encoding="utf-8"))


def builtin_validation() -> dict[str, Any]:
    """The build's validation report: catalogued Li-X phases on/off the computed hull.

    Returns
    -------
    dict
        Contents of ``sianode/data/builtin/validation.json``: per system the catalogued phases
        within 25 meV/atom of the hull (``on_hull``), above it (``off_hull``, with
        ``e_above_hull_meV_atom``), ``not_built`` and ``superseded``; the overall
        ``fraction_on_hull``; relaxed vs literature ``volumes``.

    References
    ----------
    ``scripts/build_builtin_data.py`` writes it.
    """
    return json.loads((DATA_DIR / "validation.json").read_text(encoding="utf-8"))
