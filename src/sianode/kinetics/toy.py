"""An analytic toy potential for an interstitial hopping through a diamond host.

Not physics: a smooth, fast, hand-checkable stand-in for an ML potential in tests and
examples of the NEB machinery. Host atoms are Einstein oscillators tethered to the ideal
diamond sites of the current (possibly strained) cubic supercell; the mobile atom feels a
Gaussian repulsion from every host atom::

    E = sum_i k/2 |x_i - s_i|^2 + sum_i A exp(-|r - x_i|^2 / (2 sigma^2))      [eV]

with s_i the ideal site nearest to host atom i (the quarter grid of the conventional cell:
host atoms must stay within ~0.6 Å of their sites, and the host must be a diamond
supercell of 8 n^3 atoms repeated n times along each axis). The tetrahedral (Td)
interstitial site is then a minimum and the hexagonal (Hex) site the saddle of the
Td -> Hex -> Td hop, and compression raises the barrier, as for Li in Si.

Examples
--------
>>> from ase import Atom
>>> from ase.build import bulk
>>> si = bulk("Si", "diamond", a=5.43, cubic=True)
>>> td, hx = si.copy(), si.copy()
>>> td.append(Atom("Li", 0.5 * si.cell.lengths())); hx.append(Atom("Li", 0.625 * si.cell.lengths()))
>>> td.calc = ToyHopCalculator(); hx.calc = ToyHopCalculator()
>>> round(hx.get_potential_energy() - td.get_potential_energy(), 3)
0.128
"""

from __future__ import annotations

from typing import Any

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from ase.geometry import find_mic

__all__ = ["ToyHopCalculator"]


class ToyHopCalculator(Calculator):
    """Einstein-crystal diamond host plus a Gaussian-repelled mobile atom.

    Parameters
    ----------
    host : str
        Chemical symbol of the host atoms; every other atom is mobile.
    k_eV_A2 : float
        Tether stiffness of host atoms [eV/Å²]; negative makes the host unstable (used to
        test collapse detection).
    repulsion_eV : float
        Amplitude A of the mobile-host repulsion [eV].
    sigma_A : float
        Width of the repulsion [Å].
    """

    implemented_properties = ["energy", "forces"]

    def __init__(self, host: str = "Si", k_eV_A2: float = 5.0, repulsion_eV: float = 3.0,
                 sigma_A: float = 0.8, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.host, self.k = host, float(k_eV_A2)
        self.a, self.sigma = float(repulsion_eV), float(sigma_A)

    def calculate(self, atoms: Any = None, properties: Any = None,
                  system_changes: Any = all_changes) -> None:
        """Energy [eV] and forces [eV/Å]."""
        super().calculate(atoms, properties, system_changes)
        at = self.atoms
        host = np.array([s == self.host for s in at.get_chemical_symbols()])
        x = at.positions
        xh = x[host]
        # ideal sites lie on the quarter grid of the conventional cell: round to it
        n = round((int(host.sum()) / 8) ** (1 / 3))
        frac = np.linalg.solve(np.asarray(at.cell).T, xh.T).T
        u = (frac - np.round(frac * 4 * n) / (4 * n)) @ np.asarray(at.cell)
        energy = 0.5 * self.k * float((u**2).sum())
        forces = np.zeros_like(x)
        forces[host] = -self.k * u
        shifts = np.array([[i, j, k] for i in (-1, 0, 1) for j in (-1, 0, 1)
                           for k in (-1, 0, 1)]) @ np.asarray(at.cell)
        hosts = np.flatnonzero(host)
        for m in np.flatnonzero(~host):
            d = find_mic(x[m] - xh, at.cell, pbc=True)[0]
            r = d[:, None, :] + shifts[None, :, :]             # host images -> mobile
            g = self.a * np.exp(-(r**2).sum(axis=2) / (2 * self.sigma**2))
            energy += float(g.sum())
            f = ((g / self.sigma**2)[:, :, None] * r).sum(axis=1)  # on mobile, per host
            forces[m] += f.sum(axis=0)
            forces[hosts] -= f
        self.results = {"energy": energy, "free_energy": energy, "forces": forces}
