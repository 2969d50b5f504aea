"""The catalogue of experimentally reported binary Li-X compounds (cited data, no energies).

``sianode/data/catalogue/li_binaries.json`` holds one row per reported Li-X phase of every
element X of the built-in set, one ``"none"`` row per element that forms no compound with Li,
and ``"solid-solution"`` rows where a system is a solution rather than compounds (Li-Mg bcc).
Each row says which structure the built-in set uses and where its coordinates come from:

========================== ===============================================================
``structure_origin``        meaning
========================== ===============================================================
``published``               this compound's own coordinates (or fixed by its type's symmetry)
``isotypic-model``          an isotypic compound's coordinates on this compound's lattice
``MP-derived``              DFT-relaxed (Materials Project-type) coordinates of this compound
``ordered-approximant``     ordered model of a phase with partial occupancy
``proposed-approximant``    our proposal (not published coordinates)
``idealized-model``         reported space group and Wyckoff orbits, coordinates at the ideal
                            positions of the parent lattice (published ones not located)
``solid-solution-approximant`` ordered superstructure standing for a solid solution
========================== ===============================================================

Superseded reports (Li22Si5 -> Li17Si4, Li22Sn5 -> Li17Sn4, Li22Pb5 -> Li17Pb4, ...) stay in the
catalogue with ``status="superseded"`` and ``superseded_by``; the default built-in set holds
only rows with :attr:`CatalogueRow.in_default`. ``scripts/build_builtin_data.py`` relaxes the
structures; ``sianode/data/builtin/validation.json`` reports which lie on the computed hull.

References
----------
Row by row (``phase_diagram_source``, ``lattice_source``, ``coordinates_source``); general:
Massalski (ed.), Binary Alloy Phase Diagrams, 2nd ed., ASM International (1990).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sianode.errors import FileFormatError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.core import Structure

__all__ = [
    "KINDS",
    "STATUSES",
    "STRUCTURE_ORIGINS",
    "CatalogueRow",
    "load_catalogue",
    "catalogue_rows",
    "catalogue_row",
    "catalogue_elements",
    "row_structure",
]

_PKG = "sianode.data.catalogue"
_FILE = "li_binaries.json"

#: Row kinds: a reported compound, no compound at all, or a solid-solution representation.
KINDS = ("compound", "none", "solid-solution")
#: Phase status as reported: current (stable), metastable, superseded by a later study.
STATUSES = ("current", "metastable", "superseded", "none")
#: Where a built structure's coordinates come from (module docstring).
STRUCTURE_ORIGINS = (
    "published",
    "isotypic-model",
    "MP-derived",
    "ordered-approximant",
    "proposed-approximant",
    "idealized-model",
    "solid-solution-approximant",
)


@dataclass(frozen=True)
class CatalogueRow:
    """One catalogue row (see the module docstring).

    Attributes
    ----------
    id : str
        Unique key, e.g. ``"Li17Si4"`` or ``"Li-Cu:none"``.
    system, element : str
        ``"Li-Si"`` and ``"Si"``.
    kind : str
        One of :data:`KINDS`.
    formula : str or None
        Formula as reported (None for ``"none"`` rows).
    status : str
        One of :data:`STATUSES`.
    superseded_by : str or None
        Catalogue id of the phase that replaced this report.
    structure_type : str
        Structure type / prototype as reported.
    spacegroup_number : int or None
        International Tables number of the reported structure.
    lattice : dict or None
        Literature lattice ``a, b, c`` [Å], ``alpha, beta, gamma`` [deg] (conventional cell).
    lattice_source : str
        Citation of the lattice parameters.
    lattice_checked : bool
        True when the lattice was read in a stored source while curating; False when it is
        recalled from the cited paper and was not re-read (volume checks treat it as looser).
    structure_origin : str or None
        One of :data:`STRUCTURE_ORIGINS`; None when no structure is built.
    coordinates_of : str or None
        Compound whose coordinates are used (this one when ``"published"``).
    coordinates_source : str
        Citation of the coordinates (repository, path and commit, original paper).
    sites : tuple or None
        Wyckoff representatives ``(element, wyckoff, (x, y, z))``; None: not built.
    lattice_matrix : tuple or None
        Cell vectors [Å] when ``sites`` is a full P1 listing instead of representatives.
    phase_diagram_source : str
        Citation that the phase exists (or that the system has no compound).
    notes : str
        Remarks (why not built, approximations).
    lattice_estimated : bool
        True when no experimental lattice was located and ``lattice`` is only the start of the
        relaxation (scaled to atomic volumes); such a row has no literature volume to check.
    """

    id: str
    system: str
    element: str
    kind: str
    formula: str | None
    status: str
    superseded_by: str | None
    structure_type: str
    spacegroup_number: int | None
    lattice: dict[str, float] | None
    lattice_source: str
    lattice_checked: bool
    structure_origin: str | None
    coordinates_of: str | None
    coordinates_source: str
    sites: tuple[tuple[str, str, tuple[float, float, float]], ...] | None
    lattice_matrix: tuple[tuple[float, float, float], ...] | None
    phase_diagram_source: str
    notes: str
    lattice_estimated: bool = False

    @property
    def built(self) -> bool:
        """True when the catalogue gives a structure for this row."""
        return self.sites is not None

    @property
    def in_default(self) -> bool:
        """True when the default built-in set holds this phase (built and not superseded)."""
        return self.built and self.status != "superseded"

    def as_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-ready)."""
        d = asdict(self)
        if self.sites is not None:
            d["sites"] = [[e, w, list(x)] for e, w, x in self.sites]
        if self.lattice_matrix is not None:
            d["lattice_matrix"] = [list(v) for v in self.lattice_matrix]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CatalogueRow:
        """Inverse of :meth:`as_dict` (also reads the JSON rows)."""
        d = dict(d)
        if d.get("sites") is not None:
            d["sites"] = tuple((e, w, tuple(float(v) for v in x)) for e, w, x in d["sites"])
        if d.get("lattice_matrix") is not None:
            d["lattice_matrix"] = tuple(tuple(float(v) for v in r) for r in d["lattice_matrix"])
        return cls(**d)


_REQUIRED = ("id", "system", "element", "kind", "status", "phase_diagram_source")


def _check_row(i: int, d: dict[str, Any]) -> None:
    where = f"{_FILE} row {i} ({d.get('id', '?')})"
    for key in _REQUIRED:
        if not d.get(key):
            raise FileFormatError(where, f"field {key!r} is empty; every row must say it")
    if d["kind"] not in KINDS:
        raise FileFormatError(where, f"kind {d['kind']!r} not in {KINDS}")
    if d["status"] not in STATUSES:
        raise FileFormatError(where, f"status {d['status']!r} not in {STATUSES}")
    if d["system"] != f"Li-{d['element']}":
        raise FileFormatError(where, f"system {d['system']!r} does not match element {d['element']!r}")
    if d.get("sites") is not None:
        origin = d.get("structure_origin")
        if origin not in STRUCTURE_ORIGINS:
            raise FileFormatError(where, f"structure_origin {origin!r} not in {STRUCTURE_ORIGINS}")
        if not d.get("coordinates_source") or not d.get("spacegroup_number"):
            raise FileFormatError(where, "a built row needs coordinates_source and spacegroup_number")
        if d.get("lattice") is None and d.get("lattice_matrix") is None:
            raise FileFormatError(where, "a built row needs a lattice or a lattice_matrix")
    if d.get("lattice_estimated") and d.get("lattice_checked"):
        raise FileFormatError(where, "an estimated lattice cannot be lattice_checked")
    if d["status"] == "superseded" and not d.get("superseded_by"):
        raise FileFormatError(where, "a superseded row must name superseded_by")


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[CatalogueRow, ...]:
    """Read and check every catalogue row.

    Returns
    -------
    tuple of CatalogueRow
        In file order.

    Raises
    ------
    FileFormatError
        A row lacks a citation, has an unknown kind/status/origin, or a built row lacks its
        coordinate source, space group or lattice.

    Examples
    --------
    >>> rows = load_catalogue()
    >>> next(r for r in rows if r.id == "Li17Si4").superseded_by is None
    True
    """
    ref = resources.files(_PKG).joinpath(_FILE)
    doc = json.loads(ref.read_text(encoding="utf-8"))
    raw = doc.get("rows")
    if not isinstance(raw, list):
        raise FileFormatError(_FILE, "no 'rows' list")
    for i, d in enumerate(raw):
        _check_row(i, d)
    rows = tuple(CatalogueRow.from_dict(d) for d in raw)
    ids = [r.id for r in rows]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise FileFormatError(_FILE, f"duplicate row ids: {', '.join(dup)}")
    known = set(ids)
    for r in rows:
        if r.superseded_by and r.superseded_by not in known:
            raise FileFormatError(_FILE, f"row {r.id}: superseded_by {r.superseded_by!r} is not a row")
    return rows


def catalogue_rows(element: str | None = None, *, default_only: bool = False) -> list[CatalogueRow]:
    """Rows of one element (or all), optionally only those in the default built-in set.

    Parameters
    ----------
    element : str, optional
        Element X of the Li-X system (``"Sn"``).
    default_only : bool
        Keep only :attr:`CatalogueRow.in_default` rows.

    Raises
    ------
    UnknownNameError
        ``element`` has no row.
    """
    rows = load_catalogue()
    if element is not None:
        rows = tuple(r for r in rows if r.element == element)
        if not rows:
            raise UnknownNameError("catalogue element", element, catalogue_elements())
    return [r for r in rows if r.in_default or not default_only]


def catalogue_row(row_id: str) -> CatalogueRow:
    """The row with id ``row_id``.

    Raises
    ------
    UnknownNameError
        No such row.
    """
    for r in load_catalogue():
        if r.id == row_id:
            return r
    raise UnknownNameError("catalogue row", row_id, [r.id for r in load_catalogue()])


def catalogue_elements() -> list[str]:
    """Every element X with at least one row (sorted)."""
    return sorted({r.element for r in load_catalogue()})


def row_structure(row: CatalogueRow | str) -> Structure:
    """The conventional-cell structure of a built row (before relaxation).

    Wyckoff representatives are expanded with the space-group operations (pymatgen settings);
    images within 1e-3 (fractional) of each other are one site, so special positions given to
    4-5 decimals do not double. Rows with a
    ``lattice_matrix`` are P1 listings and are used as given.

    Parameters
    ----------
    row : CatalogueRow or str
        A row or its id.

    Returns
    -------
    pymatgen.core.Structure

    Raises
    ------
    UnknownNameError
        ``row`` names no row, or the row has no structure (``built`` is False).

    Examples
    --------
    >>> row_structure("Li17Si4").composition.reduced_formula
    'Li17Si4'
    """
    from pymatgen.core import Lattice, Structure

    from sianode.materials.structures_lisi import expand_spacegroup

    if isinstance(row, str):
        row = catalogue_row(row)
    if row.sites is None:
        raise UnknownNameError("built catalogue row", row.id,
                               [r.id for r in load_catalogue() if r.built])
    species = [s[0] for s in row.sites]
    coords = [s[2] for s in row.sites]
    if row.lattice_matrix is not None:
        return Structure(Lattice(row.lattice_matrix), species, coords)
    lat = row.lattice or {}
    lattice = Lattice.from_parameters(lat["a"], lat["b"], lat["c"],
                                      lat["alpha"], lat["beta"], lat["gamma"])
    return expand_spacegroup(int(row.spacegroup_number or 1), lattice, species, coords)
