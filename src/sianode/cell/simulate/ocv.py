"""The alloy open-circuit voltage as data: plateaus vs capacity on a grid of K_eff.

The thermodynamic layer gives, for a host and an effective constriction modulus K_eff, a
staircase of plateaus (voltage vs Li/Li+, capacity bounds per gram of host; seed 001
Fig. 3e). The cell model needs one smooth function U(q, K_eff) that a solver can
differentiate. :class:`AlloyOCV` holds the staircases on a grid of K_eff and tabulates

    U(q, K) = L_0 + sum_k (L_k - L_{k-1}) * (1 + tanh((q - b_{k-1}) / w)) / 2

where L_0 is a high wall for q < 0 (no Li left to remove), L_1..L_n the plateau voltages,
L_{n+1} the assumed potential of further (over-)lithiation beyond the last plateau (the
next hull step lies below 0 V, but its value is not in the data), b_k the plateau bounds
and w a smoothing width [mAh/g]. In K the grid is split into regimes over which the hull
keeps its phases (same capacity bounds); within a regime every plateau voltage is linear in
K (U_i(K) = U_i(0) - K dV_i/dn_i), so the model's U(q, K) is exact there, and the thermo
adapter bisects the grid until each hull change is located within 1 MPa.

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Methods and Fig. 3e: G'(K) = G + K dV.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sianode.errors import ComputationError, ParameterError
from sianode.validation import NON_NEGATIVE, POSITIVE, check_params

__all__ = ["AlloyOCV", "OCVRegime", "alloy_ocv_from_thermo", "default_k_grid",
           "DEFAULT_K_GRID_STEP_GPA"]

#: default spacing of the K_eff grid the thermo layer is sampled on [GPa]
DEFAULT_K_GRID_STEP_GPA = 0.1

Staircase = tuple[tuple[float, float, float], ...]  # (voltage_V, cap_start, cap_end) per step


@dataclass(frozen=True)
class OCVRegime:
    """Plateaus over a range of K_eff in which the hull keeps its phases.

    Applies for ``k_low_GPa <= K < k_high_GPa``; plateau i lies at
    ``voltages_V[i] + slopes_V_GPa[i] * (K - k_ref_GPa)`` [V] and ends at
    ``bounds_mAh_g[i]`` [mAh/g].
    """

    k_low_GPa: float
    k_high_GPa: float
    k_ref_GPa: float
    voltages_V: tuple[float, ...]
    slopes_V_GPa: tuple[float, ...]
    bounds_mAh_g: tuple[float, ...]

    def levels(self, k: Any, empty_wall_V: float, overlithiation_V: float
               ) -> tuple[list[Any], list[float]]:
        """The staircase at K: potentials [V] (the empty wall, each plateau, the
        over-lithiation level) and the capacities [mAh/g] between them (0, plateau ends);
        ``k`` a number or a PyBaMM symbol."""
        levels = [empty_wall_V, *(v + sl * (k - self.k_ref_GPa)
                                  for v, sl in zip(self.voltages_V, self.slopes_V_GPa)),
                  overlithiation_V]
        return levels, [0.0, *self.bounds_mAh_g]

    def expression(self, q: Any, k: Any, tanh: Any, width: float, empty_wall_V: float,
                   overlithiation_V: float) -> Any:
        """U(q, K) as tanh-smoothed steps; ``q``, ``k`` numpy arrays or PyBaMM symbols."""
        levels, bounds = self.levels(k, empty_wall_V, overlithiation_V)
        u = levels[0] + 0 * q
        for j in range(1, len(levels)):
            u = u + (levels[j] - levels[j - 1]) * 0.5 * (1 + tanh((q - bounds[j - 1]) / width))
        return u


@dataclass(frozen=True)
class AlloyOCV:
    """Plateaus of a host's alloying OCV on a grid of effective moduli.

    Attributes
    ----------
    host : str
        Host formula (``"Si"``).
    k_eff_GPa : tuple of float
        Strictly increasing grid of effective moduli [GPa], starting at 0.
    staircases : tuple of tuple of (voltage_V, capacity_start_mAh_g, capacity_end_mAh_g)
        For each grid point the plateaus above 0 V, highest voltage first [V, mAh/g].
    k_stop_GPa : float or None
        Modulus at which all lithiation stops, from the thermo layer [GPa].
    source : str
        Where the data came from (entry source, thermo version), for provenance.
    """

    host: str
    k_eff_GPa: tuple[float, ...]
    staircases: tuple[Staircase, ...]
    k_stop_GPa: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        k = np.asarray(self.k_eff_GPa, dtype=float)
        if k.ndim != 1 or k.size < 2 or not np.all(np.diff(k) > 0) or k[0] != 0.0:
            raise ParameterError("k_eff_GPa", list(self.k_eff_GPa),
                                 "a strictly increasing grid of >= 2 values starting at 0")
        if len(self.staircases) != k.size:
            raise ParameterError("staircases", len(self.staircases),
                                 f"one staircase per K_eff grid point ({k.size})")
        for i, stair in enumerate(self.staircases):
            for j, (v, a, b) in enumerate(stair):
                if not (np.isfinite(v) and np.isfinite(a) and np.isfinite(b) and 0 <= a <= b):
                    raise ParameterError(f"staircases[{i}][{j}]", (v, a, b),
                                         "finite (voltage_V, capacity_start, capacity_end) "
                                         "with 0 <= start <= end")

    @property
    def capacity_max_mAh_g(self) -> float:
        """Largest thermodynamic capacity over the grid (normally at K_eff = 0) [mAh/g]."""
        return max((s[-1][2] for s in self.staircases if s), default=0.0)

    def thermodynamic_capacity_mAh_g(self, k_eff_GPa: float) -> float:
        """Capacity above 0 V at ``k_eff_GPa`` (nearest grid point at or below) [mAh/g]."""
        check_params({"k_eff_GPa": k_eff_GPa}, {"k_eff_GPa": NON_NEGATIVE})
        i = int(np.searchsorted(self.k_eff_GPa, k_eff_GPa + 1e-12, side="right")) - 1
        stair = self.staircases[min(i, len(self.staircases) - 1)]
        return stair[-1][2] if stair else 0.0

    def regimes(self) -> tuple[OCVRegime, ...]:
        """Split the K grid into ranges over which the hull keeps its phases.

        Consecutive grid points whose plateaus share their capacity bounds form one regime;
        there each plateau voltage is linear in K (U_i(K) = U_i(0) - K dV_i/dn_i), so the
        line through the regime's first and last grid points is exact. A regime ends halfway
        to the first grid point of the next one (within 1 MPa for the thermo adapter's
        bisected grids).

        References
        ----------
        Seed 001 Methods: G'(K) = G + K dV, linear in K.
        """
        k = self.k_eff_GPa
        keys = [tuple((round(a, 6), round(b, 6)) for _, a, b in st) for st in self.staircases]
        groups: list[list[int]] = [[0]]
        for j in range(1, len(k)):
            if keys[j] == keys[groups[-1][0]]:
                groups[-1].append(j)
            else:
                groups.append([j])
        out = []
        for r, g in enumerate(groups):
            a, b = g[0], g[-1]
            lo = -np.inf if r == 0 else 0.5 * (k[groups[r - 1][-1]] + k[a])
            hi = np.inf if r == len(groups) - 1 else 0.5 * (k[b] + k[groups[r + 1][0]])
            va = np.array([st[0] for st in self.staircases[a]])
            vb = np.array([st[0] for st in self.staircases[b]])
            slope = (vb - va) / (k[b] - k[a]) if b > a else np.zeros_like(va)
            out.append(OCVRegime(float(lo), float(hi), float(k[a]), tuple(va.tolist()),
                                 tuple(slope.tolist()),
                                 tuple(st[2] for st in self.staircases[a])))
        return tuple(out)

    def evaluate(
        self,
        capacity_mAh_g: Sequence[float] | np.ndarray | float,
        k_eff_GPa: float,
        *,
        smoothing_mAh_g: float,
        empty_wall_V: float,
        overlithiation_V: float,
    ) -> np.ndarray:
        """Smoothed alloy OCV [V] at capacities [mAh/g] and one K_eff [GPa] (the function the
        cell model uses, evaluated with numpy).

        Parameters
        ----------
        capacity_mAh_g : array
            Alloy capacities [mAh/g of host].
        k_eff_GPa : float
            Effective modulus [GPa].
        smoothing_mAh_g : float
            Width w of the tanh steps [mAh/g].
        empty_wall_V : float
            Potential for q < 0 (the delithiated host) [V].
        overlithiation_V : float
            Potential beyond the last plateau [V]; must lie below 0 V.

        References
        ----------
        Seed 001 Fig. 3e (the staircases themselves).
        """
        check_params({"smoothing_mAh_g": smoothing_mAh_g, "k_eff_GPa": k_eff_GPa},
                     {"smoothing_mAh_g": POSITIVE, "k_eff_GPa": NON_NEGATIVE})
        if not overlithiation_V < 0:
            raise ParameterError("overlithiation_V", overlithiation_V, "< 0 V")
        q = np.asarray(capacity_mAh_g, dtype=float)
        reg = next(r for r in self.regimes() if r.k_low_GPa <= k_eff_GPa < r.k_high_GPa)
        return reg.expression(q, k_eff_GPa, np.tanh, smoothing_mAh_g, empty_wall_V,
                              overlithiation_V)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (round-trips through :meth:`from_dict`)."""
        return {
            "host": self.host,
            "k_eff_GPa": list(self.k_eff_GPa),
            "staircases": [[list(s) for s in stair] for stair in self.staircases],
            "k_stop_GPa": self.k_stop_GPa,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AlloyOCV:
        """Inverse of :meth:`as_dict`."""
        return cls(
            host=str(d["host"]),
            k_eff_GPa=tuple(float(k) for k in d["k_eff_GPa"]),
            staircases=tuple(tuple(tuple(float(x) for x in s) for s in stair)
                             for stair in d["staircases"]),
            k_stop_GPa=None if d.get("k_stop_GPa") is None else float(d["k_stop_GPa"]),
            source=str(d.get("source", "")),
        )

    @classmethod
    def from_profiles(cls, host: str, profiles: Iterable[Any], k_stop_GPa: float | None = None,
                      source: str = "") -> AlloyOCV:
        """Build from objects with ``k_eff_GPa`` and ``steps`` (``voltage_V``,
        ``capacity_start_mAh_g``, ``capacity_end_mAh_g``), e.g. the thermo layer's
        ``VoltageProfile``; steps at or below 0 V are dropped."""
        profs = sorted(profiles, key=lambda p: float(p.k_eff_GPa))
        stairs = tuple(
            tuple((float(s.voltage_V), float(s.capacity_start_mAh_g), float(s.capacity_end_mAh_g))
                  for s in p.steps if float(s.voltage_V) > 0)
            for p in profs)
        return cls(host, tuple(float(p.k_eff_GPa) for p in profs), stairs, k_stop_GPa, source)


def default_k_grid(k_stop_GPa: float | None, step_GPa: float = DEFAULT_K_GRID_STEP_GPA,
                   k_max_GPa: float | None = None) -> np.ndarray:
    """K_eff grid from 0 to past the stop modulus (or ``k_max_GPa``) [GPa]."""
    top = k_max_GPa if k_max_GPa is not None else (k_stop_GPa or 5.0) + 1.0
    n = int(np.ceil(top / step_GPa)) + 1
    return np.round(np.arange(n) * step_GPa, 10)


def alloy_ocv_from_thermo(
    host: str,
    entries: Sequence[Any],
    k_eff_grid_GPa: Sequence[float] | np.ndarray | None = None,
) -> AlloyOCV:
    """Sample the thermo layer's constrained voltage profiles of ``host`` into an AlloyOCV.

    Parameters
    ----------
    host : str
        Host formula, e.g. ``"Si"``.
    entries : EntryTable or sequence of pymatgen entries
        Entries with volumes (``sianode.materials.load_entry_table`` or ``load_entries``).
    k_eff_grid_GPa : array, optional
        Grid of K_eff [GPa] starting at 0; default every 0.1 GPa to 1 GPa past the host's
        stop modulus. Intervals across which the hull changes (a plateau appears or
        vanishes) are bisected to 1 MPa, so the table is exact but within 1 MPa of each
        change.

    Returns
    -------
    AlloyOCV

    Raises
    ------
    UnknownNameError
        The host is not among the entries (names the nearest formulas).
    ComputationError
        The host does not lithiate at K_eff = 0.

    References
    ----------
    Seed 001 Fig. 3e (constrained profiles) and Methods (K_crit).
    """
    from sianode.thermo import LithiationEngine, constrained_profiles, lithiate

    _check_host(host, entries)
    engine = LithiationEngine(entries)  # built once, reused for every K_eff
    res = lithiate(host, engine)
    if not res.steps:
        raise ComputationError(f"host {host!r} takes up no Li at 0 V: nothing to simulate")
    grid = (default_k_grid(res.k_stop_GPa) if k_eff_grid_GPa is None
            else np.asarray(k_eff_grid_GPa, dtype=float))
    check_params({"k_eff_grid_GPa": grid}, {"k_eff_grid_GPa": NON_NEGATIVE})

    def sample(ks: Sequence[float]) -> list[Any]:
        return constrained_profiles(host, engine, k_eff_GPa=[float(k) for k in ks])

    profiles = _refine_at_hull_changes(sample, list(sample(grid)))
    return AlloyOCV.from_profiles(host, profiles, res.k_stop_GPa, source="sianode.thermo")


def _structure(profile: Any) -> tuple[tuple[float, float], ...]:
    """Capacity bounds of the positive plateaus: what changes when the hull changes."""
    return tuple((round(float(s.capacity_start_mAh_g), 6), round(float(s.capacity_end_mAh_g), 6))
                 for s in profile.steps if float(s.voltage_V) > 0)


def _refine_at_hull_changes(sample: Any, profiles: list[Any], tol_GPa: float = 1e-3
                            ) -> list[Any]:
    """Bisect every grid interval across which the plateaus' capacity bounds change until it
    is ``tol_GPa`` wide, so that linear interpolation in K (exact while the hull holds)
    blends two hulls only over ``tol_GPa``."""
    profiles = sorted(profiles, key=lambda p: float(p.k_eff_GPa))
    out = [profiles[0]]
    for lo, hi in zip(profiles[:-1], profiles[1:]):
        a, b = lo, hi
        while _structure(a) != _structure(b) and float(b.k_eff_GPa) - float(a.k_eff_GPa) > tol_GPa:
            mid = sample([0.5 * (float(a.k_eff_GPa) + float(b.k_eff_GPa))])[0]
            if _structure(mid) == _structure(a):
                a = mid
            else:
                b = mid
        for p in (a, b):
            if float(p.k_eff_GPa) > float(out[-1].k_eff_GPa):
                out.append(p)
        if float(hi.k_eff_GPa) > float(out[-1].k_eff_GPa):
            out.append(hi)
    return out


def _check_host(host: str, entries: Any) -> None:
    """UnknownNameError naming ``host`` unless it is an entry id or formula of ``entries``
    (pymatgen entries or an EntryTable; no pymatgen import)."""
    from sianode.errors import SianodeError, UnknownNameError
    from sianode.materials.formula import parse_formula, reduced_formula
    from sianode.materials.table import as_entry_table

    table = as_entry_table(entries)
    formulas = set(table.formulas) - {"Li"}
    try:
        reduced = reduced_formula(parse_formula(host))[0]
    except SianodeError:
        reduced = None
    if host not in table.ids and reduced not in formulas:
        raise UnknownNameError("host", host, sorted(formulas))
