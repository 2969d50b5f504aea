"""The columnar entry table: composition, energy, volume and provenance of every entry as arrays.

The thermodynamics engine (:mod:`sianode.thermo`) works on an :class:`EntryTable`, never on
pymatgen objects, so it runs without importing pymatgen. A table comes from

- the built-in set: ``sianode/data/builtin/<name>.table.json``, generated from
  ``<name>.json.gz`` (the source of truth: pymatgen ``ComputedStructureEntry`` dicts, holding
  the structures) by :func:`build_table_file` (``python -m sianode.materials.table build``,
  also the last step of ``scripts/build_builtin_data.py``). The table records the SHA-256 of
  the file it was built from; a stale table is never used silently (see
  :func:`sianode.materials.builtin.load_builtin_table`);
- pymatgen entries (:meth:`EntryTable.from_entries`), a ``PhaseDiagram``, or a DataFrame with
  the columns of :data:`TABLE_COLUMNS` (:meth:`EntryTable.from_frame`); :func:`as_entry_table`
  takes any of these.

Every table is validated when built: unique ids, finite energies and volumes within physical
ranges (:data:`ENERGY_PER_ATOM_RANGE_EV`, :data:`VOLUME_PER_ATOM_RANGE_A3`); an entry outside
them is refused with its id, so absurd numbers (1e300 eV) never reach a hull.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sianode.errors import (
    DuplicateEntryError,
    EmptySourceError,
    EntryError,
    FileFormatError,
    InputError,
    InvalidEnergyError,
    InvalidVolumeError,
    MissingTerminalError,
    UnknownElementError,
    closest_names,
)
from sianode.materials.formula import element_data, parse_formula, reduced_formula
from sianode.validation import ENERGY_PER_ATOM_EV, VOLUME_PER_ATOM_A3, check_entry_values

__all__ = [
    "EntryTable",
    "TABLE_COLUMNS",
    "ENERGY_PER_ATOM_RANGE_EV",
    "VOLUME_PER_ATOM_RANGE_A3",
    "GAS_ELEMENTS",
    "as_entry_table",
    "build_table_file",
    "table_path_for",
    "sha256_of",
]

#: Allowed total energy per atom [eV/atom] (:data:`sianode.validation.ENERGY_PER_ATOM_EV`):
#: MP-compatible DFT energies lie within about -15 to 0 eV/atom; formation energies (also
#: usable: only differences matter) within +-5.
ENERGY_PER_ATOM_RANGE_EV = (float(ENERGY_PER_ATOM_EV.low), float(ENERGY_PER_ATOM_EV.high))
#: Allowed volume per atom [Å³/atom] of a solid (:data:`sianode.validation.VOLUME_PER_ATOM_A3`;
#: diamond C 5.7, Cs 117).
VOLUME_PER_ATOM_RANGE_A3 = (float(VOLUME_PER_ATOM_A3.low), float(VOLUME_PER_ATOM_A3.high))
#: Elements whose pure reference may be a molecule in a box: volume per atom up to this [Å³].
GAS_ELEMENTS = frozenset({"H", "N", "O", "F", "Cl", "He", "Ne", "Ar", "Kr", "Xe", "Rn"})
GAS_VOLUME_PER_ATOM_MAX_A3 = 5000.0

#: DataFrame columns understood by :meth:`EntryTable.from_frame` (aliases in brackets).
TABLE_COLUMNS = {
    "id": "unique entry id, str [alias: entry_id]",
    "formula": "formula of the entry (its cell or a formula unit), e.g. Li15Si4; a pymatgen "
               "Composition or {element: amount} dict is also accepted [alias: composition]",
    "energy_eV": "total energy of that formula [eV] (MP2020-compatible scale), or",
    "energy_per_atom_eV": "energy per atom [eV/atom]",
    "volume_A3": "volume of that formula [Å³], or",
    "volume_per_atom_A3": "volume per atom [Å³/atom]",
    "band_gap_eV": "optional band gap [eV] (screening filter)",
}

LI = "Li"
FORMAT = "sianode-entry-table"
VERSION = 1


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class EntryTable:
    """Flat arrays of a set of entries (one row per entry).

    Attributes
    ----------
    ids : list of str
    formulas : list of str
        Reduced formulas (as pymatgen writes them).
    elements : list of str
        Element order; column j of the composition is ``elements[j]``; Li is always 0.
    comps : list of dict
        {element index: atoms in the entry's composition}.
    energy_eV : (n,) array
        Total (corrected) energy of the entry's composition [eV].
    volume_A3 : (n,) array
        Volume of the entry's composition [Å³].
    n_atoms : (n,) array
    mass_g_mol : (n,) array
        Molar mass of the entry's composition [g/mol].
    mask : list of int
        Bit mask of the entry's elements (bit j = ``elements[j]``).
    band_gap_eV : (n,) array
        NaN where unknown.
    atoms_fu : (n,) array
        Atoms per reduced formula unit.
    info : dict of str -> list
        Provenance columns (``source``, ``set``, ...), one value per entry; may be empty.
    """

    ids: list[str]
    formulas: list[str]
    elements: list[str]
    comps: list[dict[int, float]]
    energy_eV: np.ndarray
    volume_A3: np.ndarray
    n_atoms: np.ndarray
    mass_g_mol: np.ndarray
    mask: list[int]
    band_gap_eV: np.ndarray
    atoms_fu: np.ndarray
    info: dict[str, list[Any]] = field(default_factory=dict)

    # -- construction ----------------------------------------------------------------
    @classmethod
    def from_compositions(
        cls,
        ids: Sequence[Any],
        compositions: Sequence[dict[str, float]],
        energy_eV: Sequence[float],
        volume_A3: Sequence[float],
        band_gap_eV: Sequence[float | None] | None = None,
        info: dict[str, list[Any]] | None = None,
        *,
        source: str = "entries",
        rows: Sequence[int] | None = None,
        validate: bool = True,
    ) -> EntryTable:
        """Build from {element: amount} compositions, energies [eV] and volumes [Å³].

        ``rows`` (1-based file rows) are named in error messages when given.
        """
        n = len(ids)
        if n == 0:
            raise EmptySourceError(f"{source}: no entries")
        masses = element_data()
        el_index: dict[str, int] = {LI: 0}
        comps, masks, formulas = [], [], []
        natoms, mass, afu = np.empty(n), np.empty(n), np.empty(n)
        reduced: dict[tuple, tuple[str, float]] = {}
        for i, comp in enumerate(compositions):
            c: dict[int, float] = {}
            m = 0
            mw = 0.0
            for sym, amt in comp.items():
                if sym not in masses:
                    raise UnknownElementError(
                        f"{source}: entry {ids[i]!r} contains {sym!r}, which is not an element")
                if not (math.isfinite(float(amt)) and float(amt) > 0):
                    raise EntryError(f"{source}: entry {ids[i]!r} has {amt!r} atoms of {sym}")
                j = el_index.setdefault(sym, len(el_index))
                c[j] = c.get(j, 0.0) + float(amt)
                m |= 1 << j
                mw += masses[sym][0] * float(amt)
            key = tuple(sorted(comp.items()))
            if key not in reduced:
                red, factor = reduced_formula(comp)
                reduced[key] = (red, float(sum(comp.values())) / factor)
            red, n_fu = reduced[key]
            comps.append(c)
            masks.append(m)
            formulas.append(red)
            natoms[i] = sum(c.values())
            mass[i] = mw
            afu[i] = n_fu
        gap = (np.full(n, np.nan) if band_gap_eV is None
               else np.array([np.nan if g is None else float(g) for g in band_gap_eV]))
        elements = sorted(el_index, key=el_index.__getitem__)
        table = cls([str(i) for i in ids], formulas, elements, comps,
                    np.asarray(energy_eV, dtype=float), np.asarray(volume_A3, dtype=float),
                    natoms, mass, masks, gap, afu, dict(info or {}))
        if validate:
            table.validate(source=source, rows=rows)
        return table

    @classmethod
    def from_entries(cls, entries: Sequence[Any], *, source: str = "entries",
                     validate: bool = True) -> EntryTable:
        """Build from pymatgen ``ComputedEntry``/``ComputedStructureEntry`` objects.

        Volumes via :func:`sianode.materials.entries.entry_volume_A3` (structure, else
        ``data['volume_A3']``); provenance column ``source`` from ``data['source']`` and,
        where entries carry it, ``experimental`` from ``data['experimental']``.
        """
        from sianode.materials.entries import entry_volume_A3

        entries = list(entries)
        if not entries:
            raise EmptySourceError(f"{source}: no entries")
        for i, e in enumerate(entries):
            if not hasattr(e, "composition") or not hasattr(e, "energy"):
                raise InputError(
                    f"{source}: item {i} is a {type(e).__name__}, not a pymatgen entry; "
                    "pass ComputedEntry objects, a PhaseDiagram, an EntryTable or a DataFrame "
                    f"with the columns {', '.join(TABLE_COLUMNS)}")
            if e.entry_id is None or str(e.entry_id) == "":
                raise DuplicateEntryError(f"{source}: entry #{i} ({e.composition}) has no id")
        for e in entries:  # energies before volumes: a 1e300 energy is named as such
            _check_energy(str(e.entry_id), float(e.energy), e.composition.num_atoms, source)
        comps = [{el.symbol: float(a) for el, a in e.composition.items()} for e in entries]
        info: dict[str, list[Any]] = {
            "source": [str((e.data or {}).get("source", "")) for e in entries]}
        if any("experimental" in (e.data or {}) for e in entries):
            info["experimental"] = [(e.data or {}).get("experimental") for e in entries]
        return cls.from_compositions(
            [e.entry_id for e in entries], comps, [float(e.energy) for e in entries],
            [entry_volume_A3(e) for e in entries],
            [(e.data or {}).get("band_gap") for e in entries], info,
            source=source, validate=validate)

    @classmethod
    def from_frame(cls, df: Any, source: str = "table", validate: bool = True) -> EntryTable:
        """Build from a DataFrame with the columns of :data:`TABLE_COLUMNS` (no pymatgen).

        Raises
        ------
        FileFormatError
            A required column is missing, or a value is not a number (names row and column).
        UnknownElementError, InvalidEnergyError, InvalidVolumeError, DuplicateEntryError
            As in :meth:`validate`, naming the row.
        """
        cols = {str(c).strip(): c for c in df.columns}
        for alias, name in (("entry_id", "id"), ("composition", "formula")):
            if name not in cols and alias in cols:
                cols[name] = cols[alias]
        for required in ("id", "formula"):
            if required not in cols:
                raise FileFormatError(source, f"missing column {required!r} (columns: "
                                      f"{', '.join(TABLE_COLUMNS)})", column=required)
        e_col = next((c for c in ("energy_eV", "energy_per_atom_eV") if c in cols), None)
        v_col = next((c for c in ("volume_A3", "volume_per_atom_A3") if c in cols), None)
        if e_col is None:
            raise FileFormatError(source, "missing energy column: 'energy_eV' (total energy of "
                                  "the row's formula) or 'energy_per_atom_eV'", column="energy_eV")
        if v_col is None:
            raise FileFormatError(source, "missing volume column: 'volume_A3' or "
                                  "'volume_per_atom_A3' (volumes are required for reaction "
                                  "strain)", column="volume_A3")
        rows = list(range(2, len(df) + 2))  # header is line 1
        comps = []
        for r, f in zip(rows, df[cols["formula"]], strict=True):
            comps.append(_composition_of(f, f"{source}, row {r}", source, r))
        numbers = {}
        for c in (e_col, v_col):
            vals = []
            for r, v in zip(rows, df[cols[c]], strict=True):
                try:
                    vals.append(float(v))
                except (TypeError, ValueError):
                    raise FileFormatError(source, f"{c} = {v!r} is not a number", row=r,
                                          column=c) from None
            numbers[c] = np.asarray(vals, dtype=float)
        natoms = np.array([sum(c.values()) for c in comps])
        energy = numbers[e_col] * (natoms if e_col == "energy_per_atom_eV" else 1.0)
        volume = numbers[v_col] * (natoms if v_col == "volume_per_atom_A3" else 1.0)
        gap = None
        if "band_gap_eV" in cols:
            gap = [None if g is None or not np.isfinite(float(g)) else float(g)
                   for g in df[cols["band_gap_eV"]]]
        return cls.from_compositions(list(df[cols["id"]]), comps, energy, volume, gap,
                                     source=source, rows=rows, validate=validate)

    def take(self, rows: Sequence[int]) -> EntryTable:
        """A new table of the given rows (same element order)."""
        r = np.asarray(rows, dtype=np.int64)
        return EntryTable([self.ids[i] for i in r], [self.formulas[i] for i in r],
                          list(self.elements), [self.comps[i] for i in r],
                          self.energy_eV[r], self.volume_A3[r], self.n_atoms[r],
                          self.mass_g_mol[r], [self.mask[i] for i in r], self.band_gap_eV[r],
                          self.atoms_fu[r], {k: [v[i] for i in r] for k, v in self.info.items()})

    def within(self, symbols: Iterable[str]) -> EntryTable:
        """Entries whose elements are a subset of ``symbols`` plus Li."""
        allowed = 1
        for s in symbols:
            if s in self.elements:
                allowed |= 1 << self.elements.index(s)
        return self.take([i for i, m in enumerate(self.mask) if m & ~allowed == 0])

    # -- validation ------------------------------------------------------------------
    def validate(self, source: str = "entries", rows: Sequence[int] | None = None) -> None:
        """Refuse unusable entries, naming them (and their file row if known).

        Raises
        ------
        DuplicateEntryError
            Empty or repeated ids.
        InvalidEnergyError
            Energy per atom not finite or outside :data:`ENERGY_PER_ATOM_RANGE_EV`.
        InvalidVolumeError
            Volume per atom not finite or outside :data:`VOLUME_PER_ATOM_RANGE_A3` (pure
            gas-phase references in :data:`GAS_ELEMENTS`: up to 5000 Å³/atom).
        """

        def where(i: int) -> str:
            r = f", row {rows[i]}" if rows is not None else ""
            return f"{source}{r}: entry {self.ids[i]!r} ({self.formulas[i]})"

        seen: dict[str, int] = {}
        for i, eid in enumerate(self.ids):
            if eid == "" or eid in ("None", "nan"):
                raise DuplicateEntryError(f"{where(i)} has no id")
            if eid in seen:
                raise DuplicateEntryError(
                    f"{source}: entry id {eid!r} is used by entries #{seen[eid]} and #{i}; "
                    "ids must be unique")
            seen[eid] = i
        with np.errstate(all="ignore"):
            epa = self.energy_eV / self.n_atoms
            vpa = self.volume_A3 / self.n_atoms
        lo, hi = ENERGY_PER_ATOM_RANGE_EV
        vlo, vhi = VOLUME_PER_ATOM_RANGE_A3
        gas = np.array([len(c) == 1 and self.elements[next(iter(c))] in GAS_ELEMENTS
                        for c in self.comps])
        top = np.where(gas, GAS_VOLUME_PER_ATOM_MAX_A3, vhi)
        bad = ~(np.isfinite(epa) & (epa >= lo) & (epa <= hi)
                & np.isfinite(vpa) & (vpa >= vlo) & (vpa <= top))
        if not bad.any():
            return
        i = int(np.flatnonzero(bad)[0])
        head = f"{source}{f', row {rows[i]}' if rows is not None else ''} ({self.formulas[i]})"
        try:  # the one physical-range check of sianode (issue 12), then the gas exception
            check_entry_values(self.ids[i], float(epa[i]),
                               None if gas[i] and np.isfinite(vpa[i]) else float(vpa[i]))
        except (InvalidEnergyError, InvalidVolumeError) as exc:
            raise type(exc)(f"{head}: {exc}") from None
        raise InvalidVolumeError(
            f"{head}: entry {self.ids[i]!r}: volume per atom {vpa[i]:.4g} Å³ of a gas-phase "
            f"reference is invalid: expected a finite number in [{vlo:g}, "
            f"{GAS_VOLUME_PER_ATOM_MAX_A3:g}] (a molecule in a box)")

    # -- lookups ---------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def mask_of(self, symbols: Sequence[str]) -> int:
        """Bit mask of element symbols (unknown symbols -> MissingTerminalError)."""
        m = 0
        for s in symbols:
            if s not in self.elements:
                raise MissingTerminalError(
                    f"element {s!r} does not occur in any entry of the source; "
                    "its terminal (pure element) entry is required")
            m |= 1 << self.elements.index(s)
        return m

    def symbols_of(self, mask: int) -> list[str]:
        return [s for j, s in enumerate(self.elements) if mask >> j & 1]

    def groups(self) -> dict[int, list[int]]:
        """Entry indices grouped by exact chemical-system mask."""
        g: dict[int, list[int]] = defaultdict(list)
        for i, m in enumerate(self.mask):
            g[m].append(i)
        return dict(g)

    def reduced_composition(self, i: int) -> dict[str, float]:
        """{element: amount} of entry ``i``'s reduced formula unit."""
        scale = self.atoms_fu[i] / self.n_atoms[i]
        return {self.elements[j]: a * scale for j, a in self.comps[i].items()}

    def find_host(self, formula: str) -> int:
        """Index of the lowest-energy-per-atom entry with this composition (or this id).

        Raises
        ------
        UnknownElementError
            The formula does not parse.
        EntryError
            No entry has that composition (names the nearest formulas).
        """
        if formula in self.ids:
            return self.ids.index(formula)
        comp = parse_formula(formula, where="host")
        target, _ = reduced_formula(comp)
        total = sum(comp.values())
        frac = {s: a / total for s, a in comp.items()}
        cands = []
        for i, c in enumerate(self.comps):
            if len(c) != len(frac):
                continue
            n = self.n_atoms[i]
            if all(abs(a / n - frac.get(self.elements[j], -1.0)) < 1e-9 for j, a in c.items()):
                cands.append(i)
        if not cands:
            hint = closest_names(target, set(self.formulas))
            raise EntryError(f"no entry for host {formula!r} ({target}) in the source"
                             + (f"; did you mean {', '.join(hint)}?" if hint else ""))
        epa = self.energy_eV[cands] / self.n_atoms[cands]
        return cands[int(np.argmin(epa))]

    def provenance(self, i: int) -> dict[str, Any]:
        """The provenance columns of entry ``i``."""
        return {k: v[i] for k, v in self.info.items()}

    # -- files -----------------------------------------------------------------------
    def to_json(self, path: str | os.PathLike[str], **meta: Any) -> None:
        """Write the columnar JSON file (atomically); ``meta`` goes into its header."""
        doc = {"format": FORMAT, "version": VERSION, **meta, "n_entries": len(self),
               "columns": {
                   "id": self.ids, "formula": self.formulas,
                   "composition": [{self.elements[j]: a for j, a in c.items()}
                                   for c in self.comps],
                   "energy_eV": self.energy_eV.tolist(), "volume_A3": self.volume_A3.tolist(),
                   "band_gap_eV": [None if not np.isfinite(g) else float(g)
                                   for g in self.band_gap_eV],
                   **{f"info.{k}": v for k, v in self.info.items()}}}
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("{\n")
            head = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in doc.items() if k != "columns"]
            fh.write(",\n".join(head) + ',\n"columns": {\n')
            fh.write(",\n".join(f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
                                for k, v in doc["columns"].items()))
            fh.write("\n}\n}\n")
        os.replace(tmp, path)

    @classmethod
    def read_json(cls, path: str | os.PathLike[str], validate: bool = True
                  ) -> tuple[EntryTable, dict[str, Any]]:
        """Read a file written by :meth:`to_json`; returns (table, header)."""
        try:
            with open(path, encoding="utf-8") as fh:
                doc = json.load(fh)
            if doc.get("format") != FORMAT:
                raise ValueError(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
            col = doc["columns"]
            info = {k[5:]: v for k, v in col.items() if k.startswith("info.")}
            table = cls.from_compositions(col["id"], col["composition"], col["energy_eV"],
                                          col["volume_A3"], col["band_gap_eV"], info,
                                          source=str(path), validate=validate)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FileFormatError(path, f"not a sianode entry table: {exc}") from None
        header = {k: v for k, v in doc.items() if k != "columns"}
        return table, header


def _check_energy(eid: str, energy: float, n_atoms: float, source: str) -> None:
    epa = energy / n_atoms if n_atoms > 0 else math.nan
    try:
        check_entry_values(eid, epa)
    except InvalidEnergyError as exc:
        raise InvalidEnergyError(f"{source}: {exc} (energy {energy!r} eV)") from None


def _composition_of(value: Any, where: str, source: str, row: int) -> dict[str, float]:
    if isinstance(value, str):
        if not value.strip():
            raise FileFormatError(source, f"empty formula {value!r}", row=row, column="formula")
        return parse_formula(value, where=where)
    if isinstance(value, dict):
        return parse_formula("".join(f"{k}{float(v)!r}" for k, v in value.items()), where=where)
    if hasattr(value, "get_el_amt_dict"):  # a pymatgen Composition
        return {str(k): float(v) for k, v in value.get_el_amt_dict().items()}
    raise FileFormatError(source, f"formula {value!r} is neither a formula string nor a "
                          "composition", row=row, column="formula")


def as_entry_table(obj: Any, source: str = "entries") -> EntryTable:
    """An :class:`EntryTable` from what researchers have.

    Parameters
    ----------
    obj : EntryTable, sequence of pymatgen entries, pymatgen PhaseDiagram, or DataFrame
        A DataFrame needs the columns of :data:`TABLE_COLUMNS`: ``id`` (or ``entry_id``),
        ``formula`` (or ``composition``), ``energy_eV`` = total energy of the row's formula
        [eV] (or ``energy_per_atom_eV``), ``volume_A3`` = volume of the row's formula [Å³]
        (or ``volume_per_atom_A3``).

    Raises
    ------
    InputError
        Anything else (says what to pass).
    """
    if isinstance(obj, EntryTable):
        return obj
    if hasattr(obj, "columns") and hasattr(obj, "iloc"):
        return EntryTable.from_frame(obj, source=source)
    if hasattr(obj, "all_entries") and hasattr(obj, "el_refs"):  # PhaseDiagram and kin
        return EntryTable.from_entries(list(obj.all_entries), source=source)
    if isinstance(obj, str | bytes | os.PathLike) or not isinstance(obj, Iterable):
        raise InputError(
            f"{source}: got a {type(obj).__name__}; pass a list of pymatgen ComputedEntry "
            "objects, a pymatgen PhaseDiagram, an EntryTable, or a pandas DataFrame with the "
            f"columns {', '.join(TABLE_COLUMNS)} (files: sianode.materials.load_entries)")
    return EntryTable.from_entries(list(obj), source=source)


# -- the built-in table files ---------------------------------------------------------------
def table_path_for(json_gz: str | os.PathLike[str]) -> Path:
    """``entries.json.gz`` -> ``entries.table.json`` beside it."""
    p = Path(json_gz)
    name = p.name[:-len(".json.gz")] if p.name.endswith(".json.gz") else p.stem
    return p.with_name(f"{name}.table.json")


def build_table_file(json_gz: str | os.PathLike[str],
                     out: str | os.PathLike[str] | None = None) -> Path:
    """Generate the columnar table of a ``.json.gz`` file of pymatgen entry dicts.

    Provenance columns: every scalar (str/number/bool) field of the entries' ``data`` that
    is not a relaxation log, plus ``n_sites`` (structures stay in the ``.json.gz``).
    """
    import gzip

    from monty.json import MontyDecoder

    src = Path(json_gz)
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        dicts = json.load(fh)
    dec = MontyDecoder()
    entries = [dec.process_decoded(d) for d in dicts]
    table = EntryTable.from_entries(entries, source=str(src))
    skip = {"relax_steps", "relax_seconds", "max_force_eV_A", "initial_volume_A3",
            "potential_citation", "relax_cell", "fix_symmetry", "fmax_eV_A", "volume_A3"}
    keys: list[str] = []
    for e in entries:
        for k, v in (e.data or {}).items():
            if k not in keys and k not in skip and (v is None or isinstance(v, str | int | float
                                                                            | bool)):
                keys.append(k)
    table.info = {k: [(e.data or {}).get(k) for e in entries] for k in keys}
    table.info["n_sites"] = [len(e.structure) if hasattr(e, "structure") else None
                             for e in entries]
    path = Path(out) if out is not None else table_path_for(src)
    table.to_json(path, built_from=src.name, source_sha256=sha256_of(src),
                  description="columnar form of the entries in built_from (generated by "
                  "python -m sianode.materials.table build; do not edit)")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sianode.materials.table build [FILE.json.gz ...]``.

    Regenerates ``sianode/data/elements.json`` and the table of every ``.json.gz`` in
    ``sianode/data/builtin`` (or of the files given).
    """
    import argparse

    from sianode.materials.formula import write_element_data

    p = argparse.ArgumentParser(prog="python -m sianode.materials.table",
                                description="(re)generate the columnar built-in tables")
    p.add_argument("action", choices=["build"], help="what to do")
    p.add_argument("files", nargs="*", help="entry files (.json.gz); default: the built-in set")
    a = p.parse_args(argv)
    data = Path(__file__).resolve().parents[1] / "data"
    write_element_data(data / "elements.json")
    element_data.cache_clear()
    files = [Path(f) for f in a.files] or sorted((data / "builtin").glob("*.json.gz"))
    for f in files:
        out = build_table_file(f)
        print(f"{f} -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
