"""Entries as arrays, grouped by chemical system, and the 0 V lithiation solve of one system.

:class:`~sianode.materials.table.EntryTable` holds the entries as flat arrays (energies,
volumes, element amounts, chemical-system bit masks). :func:`solve_system` computes, for all hosts of one
chemical system (host elements + Li) at once, the equilibrium products with Li metal, the Li
uptake, reaction energy and volume change, optionally under an effective constriction modulus
K_eff (each solid entry's energy raised by K_eff * V; Li metal untouched; seed 001 Fig. 3e).

All quantities returned by :func:`solve_system` are **per non-Li atom of the host**; the public
functions in :mod:`sianode.thermo.lithiation` convert them to per formula unit / per atom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sianode.errors import MissingTerminalError
from sianode.materials.table import EntryTable
from sianode.thermo._hull import lower_hull_decompose

__all__ = ["EntryTable", "SystemSolution", "solve_system", "submasks"]


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
    li_ref: int = -1  # global index of the Li-metal reference entry


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
    li_epa = table.energy_eV[li_rows] / table.n_atoms[li_rows]
    mu = float(np.min(li_epa))
    li_ref = int(li_rows[int(np.argmin(li_epa))])
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
                                                       strict=True)), li_ref)


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
