"""The NEB band: counted force calls, seeded bands, and optimisers chosen by measurement.

Pieces the strain scans (:mod:`sianode.kinetics.scan`) are built from:

- :class:`CountingCalculator` wraps any ASE calculator and counts energy+force
  evaluations (the unit of cost of every route: one call of the ML potential).
- :func:`interpolate_path` builds a band through given configurations (start, a relaxed
  saddle guess, end) by piecewise-linear interpolation in configuration space (minimum
  image), spaced by arc length; :func:`band_fractional`/:func:`band_from_fractional` carry a
  converged band to another strained cell with the fractional coordinates kept (the warm
  start of a strain scan).
- :class:`ClimbingNEB` is ASE's improved-tangent NEB whose residual includes the climbing
  image (``ase.mep.NEBOptimizer`` otherwise stops while the climbing image still feels
  large forces) and whose end points hold their energies instead of recomputing them with
  a shared calculator at every step.

The band optimisers are registered in :mod:`sianode.kinetics.optimizers`.

References
----------
Henkelman, Uberuaga & Jonsson, J. Chem. Phys. 113, 9901 (2000) (CI-NEB); Henkelman &
Jonsson, J. Chem. Phys. 113, 9978 (2000) (improved tangent); Bitzek et al., Phys. Rev.
Lett. 97, 170201 (2006).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from ase.calculators.singlepoint import SinglePointCalculator
from ase.geometry import find_mic
from ase.mep import NEB

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms

__all__ = [
    "CountingCalculator", "image_calculators", "interpolate_path", "band_fractional", "band_from_fractional",
    "ClimbingNEB",
]

class CountingCalculator(Calculator):
    """An ASE calculator that delegates to ``inner`` and counts its evaluations.

    :meth:`fork` gives another proxy of the same model with its own result cache and the
    same counter: give one to each NEB image. ASE's optimisers ask for the band's forces
    three times per step (step, log, convergence test); with one calculator shared by
    all images no result is ever cached and every image is recomputed each time (3x the
    calls; main's wave-1 route paid this).

    Parameters
    ----------
    inner : ase Calculator
        The real calculator (e.g. SevenNet-0).

    Attributes
    ----------
    calls : int
        Energy+force evaluations made so far by this proxy and its forks.

    Examples
    --------
    >>> from ase.build import bulk
    >>> from ase.calculators.emt import EMT
    >>> calc = CountingCalculator(EMT())
    >>> cu = bulk("Cu"); cu.calc = calc
    >>> _ = cu.get_potential_energy(), cu.get_forces()
    >>> calc.calls
    1
    """

    def __init__(self, inner: Calculator, _counter: list[int] | None = None) -> None:
        super().__init__()
        self.inner = inner
        self._counter = _counter if _counter is not None else [0]
        self.implemented_properties = list(
            getattr(inner, "implemented_properties", ["energy", "forces"]))
        for attr in ("sianode_version", "sianode_potential"):
            if hasattr(inner, attr):
                setattr(self, attr, getattr(inner, attr))

    @property
    def calls(self) -> int:
        """Evaluations counted so far (shared with forks)."""
        return self._counter[0]

    @calls.setter
    def calls(self, value: int) -> None:
        self._counter[0] = int(value)

    def fork(self) -> CountingCalculator:
        """A proxy of the same model with its own cache and the shared counter."""
        return CountingCalculator(self.inner, self._counter)

    def calculate(self, atoms: Atoms | None = None, properties: Any = None,
                  system_changes: Any = None) -> None:
        """Evaluate energy and forces with the inner calculator (one counted call)."""
        changes = all_changes if system_changes is None else system_changes
        props = sorted(set(properties or ()) | {"energy", "forces"})
        super().calculate(atoms, props, changes)
        self.inner.calculate(self.atoms, props, changes)
        self.results = dict(self.inner.results)
        self._counter[0] += 1


def image_calculators(calculator: Calculator, n: int) -> list[Calculator]:
    """``n`` calculators for NEB images, each with its own result cache.

    A :class:`CountingCalculator` is forked (shared model and counter); any other
    calculator is wrapped in counting proxies of itself.
    """
    base = calculator if isinstance(calculator, CountingCalculator) else \
        CountingCalculator(calculator)
    return [base.fork() for _ in range(n)]


def _mic(vec: np.ndarray, cell: Any) -> np.ndarray:
    d, _ = find_mic(vec.reshape(-1, 3), cell, pbc=True)
    return d.reshape(vec.shape)


def interpolate_path(points: Sequence[Atoms], n_images: int) -> list[Atoms]:
    """Intermediate images on the piecewise-linear path through ``points``.

    Parameters
    ----------
    points : sequence of ase.Atoms
        Two or more configurations of the same atoms in the same cell (start, optional
        intermediate guesses such as a relaxed saddle, end).
    n_images : int
        Number of intermediate images, spaced equally in configuration-space arc length
        [Å] (displacements taken with the minimum-image convention).

    Returns
    -------
    list of ase.Atoms
        ``n_images`` copies of ``points[0]`` (constraints kept, no calculator) at the
        interpolated positions.

    Examples
    --------
    >>> from ase import Atoms
    >>> a = Atoms("H", positions=[[0, 0, 0]], cell=[10, 10, 10], pbc=True)
    >>> b = a.copy(); b.positions[0, 0] = 2.0
    >>> [round(float(im.positions[0, 0]), 3) for im in interpolate_path([a, b], 3)]
    [0.5, 1.0, 1.5]
    """
    base = points[0]
    steps = [_mic(q.positions - p.positions, base.cell) for p, q in zip(points[:-1], points[1:])]
    lengths = np.array([float(np.linalg.norm(s)) for s in steps])
    cum = np.concatenate([[0.0], np.cumsum(lengths)])
    out = []
    for k in range(1, n_images + 1):
        s = cum[-1] * k / (n_images + 1)
        j = int(min(np.searchsorted(cum, s, side="right") - 1, len(steps) - 1))
        t = (s - cum[j]) / lengths[j] if lengths[j] > 0 else 0.0
        im = base.copy()
        im.calc = None
        im.positions = points[j].positions + t * steps[j]
        out.append(im)
    return out


def band_fractional(images: Sequence[Atoms]) -> np.ndarray:
    """Fractional coordinates of a band, shape (n_images + 2, n_atoms, 3), unwrapped.

    Each image is unwrapped relative to the first so that the band stays continuous when
    :func:`band_from_fractional` puts it into another cell.
    """
    ref = images[0].positions
    out = []
    for im in images:
        cart = ref + _mic(im.positions - ref, im.cell)
        out.append(np.linalg.solve(np.asarray(im.cell).T, cart.T).T)
    return np.array(out)


def band_from_fractional(frac: np.ndarray, template: Atoms) -> list[Atoms]:
    """Images of a band given in fractional coordinates, in the cell of ``template``.

    The warm start of a strain scan: the converged band of one strain state, scaled to
    the (compressed or sheared) cell of the next.
    """
    out = []
    for f in frac:
        im = template.copy()
        im.calc = None
        im.positions = np.asarray(f) @ np.asarray(template.cell)
        out.append(im)
    return out


class ClimbingNEB(NEB):
    """Improved-tangent CI-NEB whose residual covers every moving image.

    ASE's residual (used by ``NEBOptimizer``) leaves the climbing image out; here it is
    the largest per-atom NEB force on any moving image, climbing image included, so every
    optimiser stops on the same criterion. End points are evaluated once and frozen.
    """

    def __init__(self, images: list[Atoms], *, climb: bool = True, k: float = 0.1,
                 precon: Any = None, method: str = "improvedtangent") -> None:
        for end in (images[0], images[-1]):
            if not isinstance(end.calc, SinglePointCalculator):
                self.freeze_results_on_image(end, energy=end.get_potential_energy(),
                                             forces=end.get_forces())
        super().__init__(images, k=k, climb=climb, allow_shared_calculator=True,
                         method=method, precon=precon)

    def get_forces(self) -> np.ndarray:
        forces = super().get_forces()
        self.residuals = [float(np.sqrt((forces.reshape(-1, 3) ** 2).sum(axis=1)).max())]
        return forces
