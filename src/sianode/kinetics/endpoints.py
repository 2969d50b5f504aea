"""One strain state of a hop: strained host, relaxed end points, the hop's inversion.

:func:`prepare_hop` builds the strained host supercell, puts the mobile atom on the start
site of a rattled copy and relaxes it once (fixed cell). That one relaxation also tells
whether the strained host survives: if it collapses or transforms
(:func:`~sianode.kinetics.strain.compare_hosts`) or the mobile atom leaves its site, the
state is marked ``"host changed"`` and no barrier is computed (wave 1 spent a separate
relaxation of the empty host on that question).

The end point costs no force call when the hop's midpoint is a centre of inversion of the
strained host (diamond's Hex site, Wyckoff 16d, site symmetry -3m): the relaxed end point
is then the inversion image of the relaxed start point, with the same energy. A homogeneous
strain keeps fractional coordinates, so it keeps every inversion centre (also under
shear); :func:`inversion_permutation` checks it numerically on the strained host before it
is used, and the end point is relaxed explicitly otherwise.

References
----------
Seed 001, Fig. 3b; International Tables for Crystallography A, space group 227 (Fd-3m),
origin choice 1 (Wyckoff positions 8b Td site, 16d Hex site).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from ase.calculators.calculator import Calculator

    from sianode.kinetics.strain import HostChange

__all__ = ["HopState", "inversion_permutation", "mirror_image", "relax_fixed_cell",
           "prepare_hop"]

#: Largest displacement of the mobile atom from its site on relaxation [Å] before the
#: end point counts as lost (it left for another site).
MAX_SITE_DISPLACEMENT_A = 0.6

#: An end-point relaxation stops early once a host atom is this far from its strained ideal
#: site or the mobile atom this far from its own [Å]: twice the thresholds of the verdict,
#: so it is "host changed" either way (a collapsing 10 % Si cell otherwise spent its whole
#: step cap, 200 force calls, getting there).
COLLAPSE_STOP_A = 2 * MAX_SITE_DISPLACEMENT_A


@dataclass
class HopState:
    """A strained host with the relaxed end points of one hop (internal; holds Atoms).

    Attributes
    ----------
    ideal : ase.Atoms
        Strained host supercell, no mobile atom.
    start, end : ase.Atoms or None
        Relaxed end points (host atoms first, the mobile atom last); None when the host
        changed.
    centre_A : ndarray
        Cartesian midpoint of the hop between the ideal sites [Å].
    permutation : ndarray or None
        Inversion through ``centre_A`` sends host atom i onto host atom ``permutation[i]``;
        None when the midpoint is not an inversion centre.
    change : HostChange
        How far the host moved on the start point's relaxation.
    status : str
        ``"ok"`` or ``"host changed"``.
    site_displacement_A : float
        How far the mobile atom moved from its ideal site on relaxation [Å].
    relax_steps : int
        Optimiser steps of the end-point relaxations.
    end_by_symmetry : bool
        The end point is the inversion image of the start point (no force call).
    """

    ideal: Atoms
    start: Atoms | None
    end: Atoms | None
    centre_A: np.ndarray
    permutation: np.ndarray | None
    change: HostChange
    status: str
    site_displacement_A: float
    relax_steps: int
    end_by_symmetry: bool

    @property
    def n_host(self) -> int:
        """Number of host atoms."""
        return len(self.ideal)


def _mic(vec: np.ndarray, cell: Any) -> np.ndarray:
    from ase.geometry import find_mic

    d, _ = find_mic(np.asarray(vec).reshape(-1, 3), cell, pbc=True)
    return d.reshape(np.shape(vec))


def inversion_permutation(atoms: Atoms, centre_A: np.ndarray, tol_A: float = 0.01
                          ) -> np.ndarray | None:
    """Permutation realising the inversion through ``centre_A``, or None if it is no symmetry.

    Parameters
    ----------
    atoms : ase.Atoms
        Periodic structure.
    centre_A : array of 3 floats
        Cartesian centre [Å].
    tol_A : float
        Largest allowed mismatch of an inverted atom and its partner [Å].

    Returns
    -------
    ndarray of int or None
        ``p`` with ``2 c - x_i`` equal (modulo the lattice) to ``x_p[i]`` and the same
        species; None if any atom has no partner.

    Examples
    --------
    >>> from ase.build import bulk
    >>> si = bulk("Si", "diamond", a=5.43, cubic=True)
    >>> hex_site = (5 / 8) * si.cell.lengths()
    >>> inversion_permutation(si, hex_site) is not None
    True
    >>> inversion_permutation(si, hex_site + 0.3) is None
    True
    """
    x = atoms.positions
    y = 2.0 * np.asarray(centre_A, dtype=float) - x
    d = _mic((y[:, None, :] - x[None, :, :]).reshape(-1, 3), atoms.cell)
    dist = np.linalg.norm(d, axis=1).reshape(len(x), len(x))
    perm = dist.argmin(axis=1)
    z = atoms.numbers
    ok = (dist[np.arange(len(x)), perm].max() <= tol_A
          and len(set(perm.tolist())) == len(x) and np.array_equal(z[perm], z))
    return perm if ok else None


def mirror_image(start: Atoms, permutation: np.ndarray, centre_A: np.ndarray) -> Atoms:
    """The inversion image through ``centre_A`` of ``start`` (host + mobile atom last).

    Host atom i of ``start`` lands at index ``permutation[i]``; the result is made
    continuous with ``start`` (each atom at the periodic image nearest its start position).
    """
    n = len(permutation)
    out = start.copy()
    out.calc = None
    inv = 2.0 * np.asarray(centre_A) - start.positions
    pos = out.positions.copy()
    pos[permutation] = inv[:n]
    pos[n:] = inv[n:]
    pos = start.positions + _mic(pos - start.positions, start.cell)
    out.positions = pos
    return out


def relax_fixed_cell(atoms: Atoms, fmax: float, steps: int,
                     observer: Callable[[int, float], None] | None = None,
                     stop: Callable[[Atoms], bool] | None = None) -> tuple[bool, int]:
    """BFGS relaxation of positions in a fixed cell; returns (converged, steps).

    ``stop(atoms)`` is asked after each unconverged step; True ends the relaxation there
    (not converged).
    """
    from ase.optimize import BFGS

    opt = BFGS(atoms, logfile=None)
    if observer is not None:
        opt.attach(lambda: observer(int(opt.nsteps),
                                    float(np.linalg.norm(atoms.get_forces(), axis=1).max())))
    converged = False
    for converged in opt.irun(fmax=fmax, steps=steps):
        if not converged and stop is not None and stop(atoms):
            break
    return bool(converged), int(opt.nsteps)


def _frozen(atoms: Atoms, energy: float, forces: np.ndarray) -> None:
    from ase.calculators.singlepoint import SinglePointCalculator

    atoms.calc = SinglePointCalculator(atoms, energy=float(energy), forces=np.array(forces))


def prepare_hop(
    cell: Atoms,
    calculator: Calculator,
    *,
    sites: tuple[Any, Any],
    supercell: tuple[int, int, int] = (2, 2, 2),
    strain: float = 0.0,
    strain_kind: str = "linear",
    shear_deg: float | None = None,
    fmax: float = 0.05,
    max_steps: int = 200,
    relax_host: bool = True,
    species: str = "Li",
    rattle_A: float = 0.03,
    seed: int = 7,
    use_symmetry: bool = True,
    observer: Callable[[int, float], None] | None = None,
) -> HopState:
    """Strained host and relaxed end points of a hop between two interstitial sites.

    Parameters
    ----------
    cell : ase.Atoms
        Relaxed host cell (see :func:`sianode.kinetics.hosts.prepare_host`).
    calculator : ase Calculator
        Energy [eV] and forces [eV/Å].
    sites : pair of fractional 3-vectors
        Start and end sites in ``cell``'s fractional coordinates; the end site is taken at
        its periodic image nearest the start.
    supercell : tuple of int
        Repetition of ``cell``.
    strain, strain_kind, shear_deg
        See :func:`sianode.kinetics.strain.apply_strain` (compressive strain [fraction],
        gamma [deg]).
    fmax : float
        Force convergence of the relaxations [eV/Å].
    max_steps : int
        Step cap of each relaxation.
    relax_host : bool
        Host atoms relax (default) or stay at their strained ideal positions.
    species : str
        Chemical symbol of the mobile atom.
    rattle_A : float
        Standard deviation of the random displacement of the host before the start
        point's relaxation [Å]; breaks symmetry so that an unstable host can collapse.
    seed : int
        Seed of that displacement (results are reproducible).
    use_symmetry : bool
        Take the end point as the inversion image of the start point where valid.
    observer : callable, optional
        ``observer(step, max_force_eV_A)`` after each relaxation step.

    Returns
    -------
    HopState
        Status ``"host changed"`` (no end points) when the host collapsed/transformed or
        the mobile atom left its site.

    References
    ----------
    Seed 001, Fig. 3b.
    """
    from ase import Atom
    from ase.constraints import FixAtoms

    from sianode.kinetics.strain import apply_strain, compare_hosts

    reps = np.asarray(supercell, dtype=float)
    ideal = apply_strain(cell.repeat(tuple(supercell)), strain, kind=strain_kind,
                         shear_deg=shear_deg)
    n_host = len(ideal)
    lattice = np.asarray(ideal.cell)
    a_cart = np.asarray(sites[0], dtype=float) / reps @ lattice
    b_cart = np.asarray(sites[1], dtype=float) / reps @ lattice
    b_cart = a_cart + _mic(b_cart - a_cart, ideal.cell)
    centre = 0.5 * (a_cart + b_cart)

    def relaxed(site: np.ndarray, rattle: bool) -> tuple[Atoms, bool, int]:
        a = ideal.copy()
        if rattle and rattle_A > 0 and relax_host:
            a.rattle(rattle_A, seed=seed)
        a.append(Atom(species, site))
        if not relax_host:
            a.set_constraint(FixAtoms(indices=list(range(n_host))))
        a.calc = calculator

        def gone(b: Atoms) -> bool:
            host = _mic(b.positions[:n_host] - ideal.positions, b.cell)
            return bool(np.linalg.norm(host, axis=1).max() > COLLAPSE_STOP_A
                        or np.linalg.norm(_mic(b.positions[-1] - site, b.cell))
                        > COLLAPSE_STOP_A)

        ok, steps = relax_fixed_cell(a, fmax, max_steps, observer, stop=gone)
        return a, ok, steps

    def lost(a: Atoms, site: np.ndarray) -> tuple[HostChange, float]:
        moved = float(np.linalg.norm(_mic(a.positions[-1] - site, a.cell)))
        return compare_hosts(ideal, a[:n_host]), moved

    start, _, steps = relaxed(a_cart, rattle=True)
    change, moved = lost(start, a_cart)
    perm = inversion_permutation(ideal, centre) if use_symmetry else None
    common = {"ideal": ideal, "centre_A": centre, "permutation": perm}
    if change.changed or moved > MAX_SITE_DISPLACEMENT_A:
        return HopState(start=None, end=None, change=change, status="host changed",
                        site_displacement_A=moved, relax_steps=steps, end_by_symmetry=False,
                        **common)
    e_start, f_start = start.get_potential_energy(), start.get_forces(apply_constraint=False)
    if perm is not None:
        end = mirror_image(start, perm, centre)
        f_end = np.empty_like(f_start)
        f_end[perm] = -f_start[:n_host]
        f_end[n_host:] = -f_start[n_host:]
        _frozen(end, e_start, f_end)
    else:
        end, _, steps_b = relaxed(b_cart, rattle=False)
        steps += steps_b
        change_b, moved_b = lost(end, b_cart)
        if change_b.changed or moved_b > MAX_SITE_DISPLACEMENT_A:
            return HopState(start=None, end=None, change=change_b, status="host changed",
                            site_displacement_A=moved_b, relax_steps=steps,
                            end_by_symmetry=False, **common)
        e_end, f_end = end.get_potential_energy(), end.get_forces(apply_constraint=False)
        end.positions = start.positions + _mic(end.positions - start.positions, start.cell)
        _frozen(end, e_end, f_end)
    _frozen(start, e_start, f_start)
    return HopState(start=start, end=end, change=change, status="ok",
                    site_displacement_A=moved, relax_steps=steps,
                    end_by_symmetry=perm is not None, **common)
