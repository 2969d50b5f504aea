"""Voltage steps of one host from the engine's own hull (pymatgen's element profile, faster).

At voltage V vs Li (mu_Li = mu_Li^metal - V) every phase j has the grand potential per non-Li
atom phi_j(V) = phi_j(0) + l_j V, with phi_j(0) = e_j + K_eff u_j - l_j mu_Li^metal (e, u, l:
energy, volume and Li per non-Li atom; K_eff penalises solids, seed 001 Fig. 3e). The host's
equilibrium grand potential Phi(V) = min over assemblages at the host's Li-free composition is
concave and piecewise linear in V, and its slope is the Li content L(V) of the equilibrium
assemblage. The plateaus of the voltage-capacity curve are exactly the kinks of Phi.

The kinks are found by the sandwich (Eisner-Severance) method: two supporting lines (c + L V)
at the ends of the voltage range, their intersection V*, one hull solve at V*; if the hull
lies on both lines there, V* is a plateau voltage, otherwise the new line splits the interval.
A profile with s plateaus costs 2s + 1 hull solves, each exact (no voltage grid), so the
result equals pymatgen's ``PhaseDiagram.get_element_profile`` (checked in the tests) without
building a ``PhaseDiagram`` per K_eff.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sianode.thermo._hull import lower_hull_decompose
from sianode.thermo.system import SystemArrays

__all__ = ["Plateau", "plateaus"]

_L_TOL = 1e-9  # Li per non-Li atom
_V_MERGE = 1e-9  # plateaus closer than this [V] are one plateau
_V_MAX = 1e4  # [V]; entries are validated, so real plateaus lie far below


@dataclass(frozen=True)
class Plateau:
    """One plateau of a host's profile, per non-Li atom of the host.

    Attributes
    ----------
    voltage_V : float
    li_low, li_high : float
        Li per non-Li atom of the equilibrium assemblage above / below the plateau voltage.
    product_idx : tuple of int
        Global entry indices of the assemblage below the plateau (the plateau's end).
    """

    voltage_V: float
    li_low: float
    li_high: float
    product_idx: tuple[int, ...]


@dataclass(frozen=True)
class _Line:
    c: float  # Phi(0) of the assemblage [eV per non-Li atom]
    L: float  # its Li per non-Li atom (the slope)


def _solve(sa: SystemArrays, phi0: np.ndarray, v: float, q: int
           ) -> tuple[_Line, np.ndarray, np.ndarray]:
    idx, w = lower_hull_decompose(sa.y, phi0 + sa.li * v, sa.y[[q]])
    idx, w = idx[0], w[0]
    return _Line(float(np.dot(w, phi0[idx])), float(np.dot(w, sa.li[idx]))), idx, w


def plateaus(sa: SystemArrays, host_local: int, k_eff_eV_A3: float = 0.0) -> list[Plateau]:
    """All plateaus of the host at ``k_eff_eV_A3`` where it holds more Li than it started with.

    Parameters
    ----------
    sa : SystemArrays
        The host's chemical system (:func:`sianode.thermo.system.system_arrays`).
    host_local : int
        The host's row in ``sa``.
    k_eff_eV_A3 : float
        Effective constriction modulus [eV/Å³] (solids' energies + K_eff V).

    Returns
    -------
    list of Plateau
        Highest voltage first; only plateaus at V > 0 whose Li-rich side holds more Li than
        the host (the host's own Li is not capacity).
    """
    phi0 = sa.e + k_eff_eV_A3 * sa.u - sa.li * sa.mu_li
    l_host = float(sa.li[host_local])
    lo_line, _, _ = _solve(sa, phi0, 0.0, host_local)
    if l_host + _L_TOL >= lo_line.L:
        return []
    v_hi = 8.0
    hi_line, _, _ = _solve(sa, phi0, v_hi, host_local)
    while l_host + _L_TOL < hi_line.L and v_hi < _V_MAX:
        v_hi *= 4.0
        hi_line, _, _ = _solve(sa, phi0, v_hi, host_local)
    kinks: list[tuple[float, float, float]] = []  # (V, L above V, L below V)
    stack = [(lo_line, hi_line)]
    for _ in range(10_000):
        if not stack:
            break
        a, b = stack.pop()  # a: lower voltage, more Li
        if a.L - b.L <= _L_TOL:
            continue
        v = (b.c - a.c) / (a.L - b.L)
        m, _, _ = _solve(sa, phi0, v, host_local)
        on_lines = a.c + a.L * v
        if m.c + m.L * v >= on_lines - 1e-12 * max(1.0, abs(on_lines)) or not (
                b.L + _L_TOL < m.L < a.L - _L_TOL):
            kinks.append((v, b.L, a.L))
        else:
            stack += [(a, m), (m, b)]
    kinks.sort(key=lambda t: -t[0])
    merged: list[list[float]] = []
    for v, l_lo, l_hi in kinks:
        if merged and abs(merged[-1][0] - v) <= _V_MERGE:
            merged[-1][1] = min(merged[-1][1], l_lo)
            merged[-1][2] = max(merged[-1][2], l_hi)
        else:
            merged.append([v, l_lo, l_hi])
    out = []
    for n, (v, l_lo, l_hi) in enumerate(merged):
        if v <= 1e-9 or l_hi <= l_host + _L_TOL:
            continue
        v_next = merged[n + 1][0] if n + 1 < len(merged) else 0.0
        _, idx, w = _solve(sa, phi0, 0.5 * (v + max(v_next, 0.0)), host_local)
        prods = tuple(int(sa.idx[j]) for j, x in zip(idx, w, strict=True) if x > 1e-9)
        out.append(Plateau(float(v), float(l_lo), float(l_hi), prods))
    return out
