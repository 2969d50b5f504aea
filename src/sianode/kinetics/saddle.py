"""The symmetric-saddle shortcut: barrier = E(saddle site, constrained relaxation) - E(minimum).

When the hop's midpoint is a centre of inversion of the host (diamond's Hex site between two
Td sites), the force on the mobile atom there vanishes by symmetry, so with the mobile
atom held on that site and the host relaxed around it the configuration is a stationary
point. For Li in diamond Si under isotropic strain it is the saddle of the Td -> Hex -> Td
hop that CI-NEB finds, and the barrier costs one constrained relaxation instead of a band
of images. Under shear the site keeps its inversion symmetry but loses its three-fold axis,
and whether the path still crosses it is what a NEB has to show: sheared states always go
through the NEB (:mod:`sianode.kinetics.scan`).

The shortcut is checked against full CI-NEB in ``tests/kinetics`` and
``benchmarks/neb_scan.py`` (agreement within a few meV where both run).

References
----------
Seed 001, Fig. 3b; Henkelman, Uberuaga & Jonsson, J. Chem. Phys. 113, 9901 (2000).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sianode.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from ase.calculators.calculator import Calculator

    from sianode.kinetics.endpoints import HopState

__all__ = ["SaddlePoint", "relax_symmetric_saddle"]


@dataclass
class SaddlePoint:
    """A constrained relaxation with the mobile atom on the hop's symmetric midpoint.

    Attributes
    ----------
    atoms : ase.Atoms
        Relaxed configuration (results frozen on it).
    barrier_eV : float
        E(saddle) - E(start) [eV].
    mobile_force_eV_A : float
        Residual force on the held mobile atom [eV/Å]; ~0 when the site is a stationary
        point, as symmetry requires.
    converged : bool
        The host relaxation reached ``fmax``.
    steps : int
        Optimiser steps.
    """

    atoms: Atoms
    barrier_eV: float
    mobile_force_eV_A: float
    converged: bool
    steps: int


def relax_symmetric_saddle(
    state: HopState,
    calculator: Calculator,
    *,
    fmax: float = 0.05,
    max_steps: int = 200,
    observer: Callable[[int, float], None] | None = None,
) -> SaddlePoint:
    """Hold the mobile atom on the hop's inversion centre and relax the host around it.

    Parameters
    ----------
    state : HopState
        End points from :func:`sianode.kinetics.endpoints.prepare_hop` (status ``"ok"``).
    calculator : ase Calculator
        Energy [eV] and forces [eV/Å].
    fmax : float
        Force convergence of the host [eV/Å].
    max_steps : int
        Step cap.
    observer : callable, optional
        ``observer(step, max_force_eV_A)`` after each optimiser step.

    Returns
    -------
    SaddlePoint

    Raises
    ------
    ParameterError
        The hop's midpoint is not an inversion centre of the strained host (the shortcut
        does not apply; use the NEB).

    References
    ----------
    Seed 001, Fig. 3b.
    """
    from ase.calculators.singlepoint import SinglePointCalculator
    from ase.constraints import FixAtoms
    from ase.geometry import find_mic
    from ase.optimize import BFGS

    if state.permutation is None or state.start is None or state.end is None:
        raise ParameterError("method", "saddle",
                             "a hop whose midpoint is a centre of inversion of the host "
                             "(e.g. diamond Td -> Hex -> Td); use the NEB")
    start, end, n_host = state.start, state.end, state.n_host
    d, _ = find_mic(end.positions - start.positions, start.cell, pbc=True)
    guess = start.copy()
    guess.positions = start.positions + 0.5 * d  # inversion-symmetric by construction
    guess.positions[n_host:] = state.centre_A
    fixed = list(range(len(guess))) if not state_relaxes_host(start, n_host) else [n_host]
    guess.set_constraint(FixAtoms(indices=fixed))
    guess.calc = calculator
    opt = BFGS(guess, logfile=None)
    if observer is not None:
        opt.attach(lambda: observer(int(opt.nsteps), _max_force(guess)))
    converged = bool(opt.run(fmax=fmax, steps=max_steps))
    energy = guess.get_potential_energy()
    raw = guess.get_forces(apply_constraint=False)
    guess.calc = SinglePointCalculator(guess, energy=energy, forces=raw)
    return SaddlePoint(
        atoms=guess,
        barrier_eV=float(energy - start.get_potential_energy()),
        mobile_force_eV_A=float(np.linalg.norm(raw[n_host:], axis=1).max()),
        converged=converged, steps=int(opt.nsteps))


def state_relaxes_host(start: Atoms, n_host: int) -> bool:
    """False when the host atoms of ``start`` are held fixed (frozen-host comparison)."""
    from ase.constraints import FixAtoms

    for c in start.constraints:
        if isinstance(c, FixAtoms) and len(set(c.index.tolist()) & set(range(n_host))):
            return False
    return True


def _max_force(atoms: Atoms) -> float:
    return float(np.linalg.norm(atoms.get_forces(), axis=1).max())
