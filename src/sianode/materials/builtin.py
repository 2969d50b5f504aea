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

References
----------
Seed 001 (Fig. 3, Methods); Park et al., J. Chem. Theory Comput. 20, 4857 (2024)
(SevenNet); Wang et al., npj Comput. Mater. 7, 137 (2021) (MP2020).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sianode.errors import EmptySourceError, UnknownElementError

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.entries.computed_entries import ComputedStructureEntry

__all__ = ["load_builtin_entries", "builtin_provenance", "builtin_systems", "builtin_validation"]

_PKG = "sianode.data.builtin"
_DEFAULT_FILE = "entries.json.gz"
_EXPLORATORY_FILE = "exploratory.json.gz"


@lru_cache(maxsize=2)
def _read_gz(name: str) -> tuple[dict[str, Any], ...]:
    ref = resources.files(_PKG).joinpath(name)
    with ref.open("rb") as fh, gzip.open(fh, "rt", encoding="utf-8") as gz:
        return tuple(json.load(gz))


def _raw_dicts(include_hypothetical: bool = False) -> tuple[dict[str, Any], ...]:
    dicts = _read_gz(_DEFAULT_FILE)
    return dicts + _read_gz(_EXPLORATORY_FILE) if include_hypothetical else dicts


def _elements_of(d: dict[str, Any]) -> frozenset[str]:
    return frozenset(s["species"][0]["element"] for s in d["structure"]["sites"])


def _parse_system(system: str) -> frozenset[str]:
    from pymatgen.core.periodic_table import Element

    parts = [p.strip() for p in system.replace(" ", "").split("-") if p.strip()]
    for p in parts:
        if not Element.is_valid_symbol(p):
            raise UnknownElementError(f"chemical system {system!r}: {p!r} is not an element")
    return frozenset(parts)


def builtin_systems(include_hypothetical: bool = False) -> list[str]:
    """Chemical systems (``"Li-Si"``) that have at least one binary/ternary entry."""
    systems = {"-".join(sorted(_elements_of(d))) for d in _raw_dicts(include_hypothetical)}
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
        Fresh objects (safe to modify); energies [eV] on the MP2020-compatible scale,
        volumes [Å³].

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
    ref = resources.files(_PKG).joinpath("provenance.json")
    return json.loads(ref.read_text(encoding="utf-8"))


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
    ref = resources.files(_PKG).joinpath("validation.json")
    return json.loads(ref.read_text(encoding="utf-8"))
