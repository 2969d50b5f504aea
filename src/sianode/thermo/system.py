"""Entries as arrays, grouped by chemical system, and the 0 V lithiation solve of one system.

:class:`EntryTable` converts pymatgen entries once into flat arrays (energies, volumes, element
amounts, chemical-system bit masks). :func:`solve_system` computes, for all hosts of one
chemical system (host elements + Li) at once, the equilibrium products with Li metal, the Li
uptake, reaction energy and volume change, optionally under an effective constriction modulus
K_eff (each solid entry's energy raised by K_eff * V; Li metal untouched; seed 001 Fig. 3e).

All quantities returned by :func:`solve_system` are **per non-Li atom of the host**; the public
functions in :mod:`sianode.thermo.lithiation` convert them to per formula unit / per atom.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode.errors import MissingTerminalError
from sianode.materials.entries import entry_volume_A3, parse_formula
from sianode.thermo._hull import lower_hull_decompose

if TYPE_CHECKING:
    from pymatgen.entries.computed_entries import ComputedEntry

__all__ = ["EntryTable", "SystemSolution", "solve_system", "submasks"]


def pd_unique(values: Any) -> list[Any]:
    """Unique values in order of first appearance."""
    return list(dict.fromkeys(values))

LI = "Li"


@dataclass
class EntryTable:
    """Flat arrays of a set of entries (one row per entry).

    Attributes
    ----------
    ids : list of str
    formulas : list of str
        Reduced formulas.
    elements : list of str
        Global element order; column j of ``amounts`` is ``elements[j]``.
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

    @classmethod
    def from_entries(cls, entries: Sequence[ComputedEntry]) -> EntryTable:
        """Build from pymatgen entries (volumes via :func:`entry_volume_A3`)."""
        return cls._build(
            (str(e.entry_id), None, e.composition, float(e.energy), entry_volume_A3(e),
             (e.data or {}).get("band_gap"))
            for e in entries
        )

    @classmethod
    def from_frame(cls, df: Any, source: str = "table") -> EntryTable:
        """Build straight from a table with the columns of
        :data:`sianode.materials.entries.TABLE_COLUMNS`, without creating entry objects
        (the fast path for MP-scale sets). Rows are validated as in
        :func:`~sianode.materials.entries.entries_from_table`.
        """
        from sianode.materials.entries import entries_from_table

        # validate cheaply on the whole frame, then build
        cols = set(df.columns)
        if not {"id", "formula"} <= cols or not (cols & {"energy_eV", "energy_per_atom_eV"}) \
                or not (cols & {"volume_A3", "volume_per_atom_A3"}):
            entries_from_table(df.head(1), source=source)  # raises the precise error
        from pymatgen.core import Composition

        comps = {f: Composition(f) for f in pd_unique(df["formula"])}
        natoms = np.array([comps[f].num_atoms for f in df["formula"]])
        energy = (df["energy_eV"].to_numpy(float) if "energy_eV" in cols
                  else df["energy_per_atom_eV"].to_numpy(float) * natoms)
        volume = (df["volume_A3"].to_numpy(float) if "volume_A3" in cols
                  else df["volume_per_atom_A3"].to_numpy(float) * natoms)
        bad = ~np.isfinite(energy) | ~np.isfinite(volume) | (volume <= 0)
        if bad.any() or not df["id"].is_unique:
            entries_from_table(df, source=source)  # raises the precise, row-naming error
            from sianode.errors import DuplicateEntryError

            raise DuplicateEntryError(f"{source}: entry ids are not unique")
        gap = (df["band_gap_eV"].to_numpy(float) if "band_gap_eV" in cols
               else np.full(len(df), np.nan))
        formulas = df["formula"].tolist()
        return cls._build(zip(df["id"].astype(str), formulas, (comps[f] for f in formulas),
                              energy, volume, gap, strict=True))

    @classmethod
    def _build(cls, records: Iterable[tuple[str, Any, Any, float, float, Any]]) -> EntryTable:
        """Records are (id, cache key or None, Composition, energy, volume, band gap)."""
        from pymatgen.core.periodic_table import Element

        el_index: dict[str, int] = {LI: 0}
        comps, masks, ids, formulas = [], [], [], []
        energy, volume, natoms, mass, gap, afu = ([] for _ in range(6))
        atomic_mass: dict[str, float] = {}
        reduced: dict[Any, tuple[str, float]] = {}
        for eid, key, comp, e_tot, vol, g in records:
            c: dict[int, float] = {}
            m = 0
            mw = 0.0
            for el, amt in comp.items():
                sym = el.symbol
                j = el_index.setdefault(sym, len(el_index))
                c[j] = c.get(j, 0.0) + float(amt)
                m |= 1 << j
                if sym not in atomic_mass:
                    atomic_mass[sym] = float(Element(sym).atomic_mass)
                mw += atomic_mass[sym] * float(amt)
            if key is None:
                key = tuple(sorted(c.items()))
            if key not in reduced:
                red, factor = comp.get_reduced_formula_and_factor()
                reduced[key] = (red, float(comp.num_atoms) / factor)
            red, n_fu = reduced[key]
            comps.append(c)
            masks.append(m)
            ids.append(eid)
            formulas.append(red)
            afu.append(n_fu)
            energy.append(float(e_tot))
            volume.append(float(vol))
            natoms.append(float(comp.num_atoms))
            mass.append(mw)
            gap.append(np.nan if g is None else float(g))
        elements = sorted(el_index, key=el_index.__getitem__)
        f = np.asarray
        return cls(ids, formulas, elements, comps, f(energy, float), f(volume, float),
                   f(natoms, float), f(mass, float), masks, f(gap, float), f(afu, float))

    def __len__(self) -> int:
        return len(self.ids)

    def mask_of(self, symbols: Sequence[str]) -> int:
        """Bit mask of element symbols (unknown symbols -> MissingTerminalError)."""
        m = 0
        for s in symbols:
            if s not in self.elements:
                raise MissingTerminalError(
                    f"element {s!r} does not occur in any entry of the source; "
                    "its terminal (pure element) entry is required"
                )
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

    def find_host(self, formula: str) -> int:
        """Index of the lowest-energy-per-atom entry with this reduced formula (or id)."""
        if formula in self.ids:
            return self.ids.index(formula)
        from pymatgen.core import Composition

        parse_formula(formula, where="host")
        target = Composition(formula).reduced_formula
        cands = [i for i, f in enumerate(self.formulas) if f == target]
        if not cands:
            from sianode.errors import EntryError, closest_names

            hint = closest_names(target, set(self.formulas))
            raise EntryError(
                f"no entry for host {formula!r} ({target}) in the source"
                + (f"; did you mean {', '.join(hint)}?" if hint else "")
            )
        epa = self.energy_eV[cands] / self.n_atoms[cands]
        return cands[int(np.argmin(epa))]


def submasks(mask: int) -> list[int]:
    """All non-empty sub-masks of ``mask`` (the chemical subsystems)."""
    out, sub = [], mask
    while sub:
        out.append(sub)
        sub = (sub - 1) & mask
    return out


@dataclass
class SystemSolution:
    """0 V lithiation of the hosts of one chemical system, per non-Li atom of each host.

    Attributes
    ----------
    hosts : (q,) int array
        Host indices into the :class:`EntryTable`.
    product_idx, product_w : (q, k) arrays
        Product entry indices and amounts (non-Li atoms of product per non-Li atom of host).
    d_li : (q,) array
        Li taken up per non-Li atom of host.
    g_eV : (q,) array
        Reaction energy G at K_eff = 0 [eV per non-Li atom of host].
    dv_A3 : (q,) array
        Solid volume change [Å³ per non-Li atom of host] (Li reservoir excluded).
    u_host_A3 : (q,) array
        Host volume per non-Li atom [Å³].
    nonli_frac : (q,) array
        Non-Li atoms per host atom.
    mu_li_eV : float
        Li metal energy per atom [eV].
    """

    hosts: np.ndarray
    product_idx: np.ndarray
    product_w: np.ndarray
    d_li: np.ndarray
    g_eV: np.ndarray
    dv_A3: np.ndarray
    u_host_A3: np.ndarray
    nonli_frac: np.ndarray
    mu_li_eV: float


@dataclass
class SystemArrays:
    """Per-entry arrays of one chemical system in the Li-free space."""

    idx: np.ndarray  # global indices of non-pure-Li entries
    y: np.ndarray  # (m, k) Li-free composition
    li: np.ndarray  # Li atoms per non-Li atom
    e: np.ndarray  # energy per non-Li atom [eV]
    u: np.ndarray  # volume per non-Li atom [Å3]
    mu_li: float
    local_of: dict[int, int]


def _block(table: EntryTable, mask: int) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Rows of the entries with exactly the elements ``mask``, their element indices and
    atom counts (cached on the table; each entry is visited once)."""
    cache = table.__dict__.setdefault("_blocks", {})
    if mask not in cache:
        groups = table.__dict__.get("_groups")
        if groups is None:
            groups = table.__dict__["_groups"] = table.groups()
        rows = np.asarray(groups.get(mask, ()), dtype=np.int64)
        els = [j for j in range(mask.bit_length()) if mask >> j & 1]
        amounts = np.array([[table.comps[i][j] for j in els] for i in rows]).reshape(
            len(rows), len(els))
        cache[mask] = (rows, els, amounts)
    return cache[mask]


def system_arrays(table: EntryTable, mask: int) -> SystemArrays:
    """Arrays of all entries within the chemical system ``mask``, checking terminals.

    Entries are gathered by sub-system lookup from cached per-system blocks.

    Raises
    ------
    MissingTerminalError
        No pure-Li entry, or a non-Li element of the system without a pure-element entry.
    """
    mask |= 1
    els = [j for j in range(1, mask.bit_length()) if mask >> j & 1]
    col = {j: c for c, j in enumerate(els)}
    system = "-".join(sorted(table.symbols_of(mask)))
    li_rows = _block(table, 1)[0]
    if len(li_rows) == 0:
        raise MissingTerminalError(f"system {system}: no pure-Li entry (Li metal reference)")
    mu = float(np.min(table.energy_eV[li_rows] / table.n_atoms[li_rows]))
    k = len(els)
    ys, lis, idxs = [], [], []
    for sub in submasks(mask):
        if sub == 1:
            continue
        rows, bels, amounts = _block(table, sub)
        if len(rows) == 0:
            if sub & (sub - 1) == 0:  # a single non-Li element without any entry
                raise MissingTerminalError(
                    f"system {system}: no pure {table.elements[sub.bit_length() - 1]} entry "
                    "(terminal needed for the hull)")
            continue
        y = np.zeros((len(rows), k))
        li = np.zeros(len(rows))
        for c, j in enumerate(bels):
            if j == 0:
                li = amounts[:, c]
            else:
                y[:, col[j]] = amounts[:, c]
        ys.append(y)
        lis.append(li)
        idxs.append(rows)
    y = np.concatenate(ys)
    li = np.concatenate(lis)
    idx = np.concatenate(idxs)
    nonli = y.sum(axis=1)
    y /= nonli[:, None]
    li = li / nonli
    e = table.energy_eV[idx] / nonli
    u = table.volume_A3[idx] / nonli
    return SystemArrays(idx, y, li, e, u, mu, dict(zip(idx.tolist(), range(len(idx)),
                                                       strict=True)))


def solve_system(
    table: EntryTable,
    mask: int,
    hosts: Sequence[int],
    k_eff_eV_A3: float = 0.0,
    arrays: SystemArrays | None = None,
) -> SystemSolution:
    """0 V lithiation products of ``hosts`` (global indices) in the system ``mask``.

    Parameters
    ----------
    k_eff_eV_A3 : float
        Effective constriction modulus [eV/Å³]; every solid entry's energy is raised by
        K_eff * V (seed 001 Fig. 3e), Li metal is untouched.
    """
    sa = arrays if arrays is not None else system_arrays(table, mask)
    phi = sa.e + k_eff_eV_A3 * sa.u - sa.li * sa.mu_li
    hosts = np.asarray(hosts, dtype=np.int64)
    loc = np.array([sa.local_of[int(h)] for h in hosts], dtype=np.int64)
    pidx_local, w = lower_hull_decompose(sa.y, phi, sa.y[loc])
    l_prod = np.sum(w * sa.li[pidx_local], axis=1)
    phi0 = sa.e - sa.li * sa.mu_li
    g = np.sum(w * phi0[pidx_local], axis=1) - phi0[loc]
    dv = np.sum(w * sa.u[pidx_local], axis=1) - sa.u[loc]
    d_li = l_prod - sa.li[loc]
    nonli_frac = 1.0 / (1.0 + sa.li[loc])
    return SystemSolution(
        hosts=hosts,
        product_idx=sa.idx[pidx_local],
        product_w=w,
        d_li=d_li,
        g_eV=g,
        dv_A3=dv,
        u_host_A3=sa.u[loc],
        nonli_frac=nonli_frac,
        mu_li_eV=sa.mu_li,
    )
