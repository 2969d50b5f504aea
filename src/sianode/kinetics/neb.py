"""Li migration barrier of one strain state: CI-NEB or the symmetric-saddle shortcut.

:func:`li_migration_barrier` computes one barrier (seed 001 Fig. 3b: Li in a 2x2x2 diamond
Si supercell, 64 Si + 1 Li, Td -> Hex -> Td). The host cell is relaxed with the same
potential, then compressed/sheared (:func:`~sianode.kinetics.strain.apply_strain`) and held
fixed; host atoms relax inside it (``relax_host=True``) or stay frozen (inflates barriers
1.4-1.7x; offered for comparison). The start point is relaxed from a rattled host, which
also shows whether the strained host survives (``status="host changed"`` otherwise, no
barrier); the end point is its inversion image where the hop allows it
(:mod:`sianode.kinetics.endpoints`).

Methods (``method=``):

- ``"neb"``: climbing-image NEB (:class:`~sianode.kinetics.band.ClimbingNEB`). The band
  starts through the relaxed symmetric saddle guess when the hop has one; else from
  ``seed_band`` when given (the converged band of a nearby strain, scaled to this cell:
  the warm start of a scan); else from IDPP interpolation. Measured with SevenNet-0 on
  the 65-atom cell, a warm band carried the host relaxation of its own strain along and
  ended on a saddle 9 meV (0 -> 5 %) and 24 meV (0 % -> 5 % + 80 deg) above the one the
  saddle-seeded band and wave 1 found, so the symmetric seed comes first.
- ``"saddle"``: E(Hex site, constrained relaxation) - E(Td)
  (:mod:`sianode.kinetics.saddle`); only for unsheared hops whose midpoint is an
  inversion centre. Sheared states always use the NEB.

References
----------
Henkelman, Uberuaga & Jonsson, J. Chem. Phys. 113, 9901 (2000) (CI-NEB); Smidstrup et al.,
J. Chem. Phys. 140, 214106 (2014) (IDPP interpolation); seed 001 Fig. 3b.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sianode.errors import ParameterError
from sianode.kinetics.hosts import DIAMOND_TD_SITES, prepare_host, resolve_sites
from sianode.validation import Interval, OneOf, check_params

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from ase.calculators.calculator import Calculator

    from sianode.kinetics.endpoints import HopState

__all__ = [
    "DIAMOND_TD_SITES", "METHODS", "MigrationResult", "resolve_sites", "prepare_host",
    "hop_barrier", "li_migration_barrier", "migration_with_band",
]

#: Barrier methods: full climbing-image NEB, or the symmetric-saddle shortcut.
METHODS = ("neb", "saddle")

#: Progress callback: (phase, step, max force [eV/Å]); phase is "relax", "saddle" or "neb".
Reporter = Callable[[str, int, float], None]

CONSTRAINTS = {
    "n_images": Interval(1, 25, allow_array=False),
    "fmax": Interval(0, 5.0, left_closed=False, allow_array=False),
    "max_steps": Interval(1, 100000, allow_array=False),
    "method": OneOf("barrier method", METHODS),
    "init": OneOf("band start", ("auto", "saddle", "idpp")),
}


@dataclass(frozen=True)
class MigrationResult:
    """One barrier of one strain state.

    Attributes
    ----------
    host : str
        Host name or formula.
    strain : float
        Compressive strain (dimensionless); ``strain_kind`` says linear or volume.
    shear_deg : float or None
        Cell angle gamma [deg] when sheared.
    barrier_eV : float or None
        max(E_image) - E_initial [eV]; None when the host changed.
    path_energies_eV : list of float
        Image energies relative to the initial image [eV] (three points for the saddle
        method: start, saddle, end).
    path_distance_A : list of float
        Cumulative configuration-space path length of the images [Å].
    status : str
        ``"ok"``, ``"host changed"`` or ``"not converged"`` (barrier still reported).
    host_change : dict
        :class:`~sianode.kinetics.strain.HostChange` of the strained host.
    neb_steps : int
        Band optimiser steps (0 for the saddle method).
    wall_s : float
        Wall time of this state [s].
    method : str
        ``"neb"`` or ``"saddle"``: what produced ``barrier_eV``.
    force_calls : int
        Energy+force evaluations of the potential spent on this state.
    extra : dict
        Details: ``init`` (how the band started), ``optimizer``, ``relax_steps``,
        ``saddle_barrier_eV``, ``mobile_force_eV_A``, ``end_by_symmetry``...
    """

    host: str
    strain: float
    strain_kind: str
    shear_deg: float | None
    barrier_eV: float | None
    path_energies_eV: list[float]
    path_distance_A: list[float]
    status: str
    host_change: dict[str, Any]
    relax_host: bool
    n_atoms: int
    neb_steps: int
    wall_s: float
    potential: str
    extra: dict[str, Any] = field(default_factory=dict)
    method: str = "neb"
    force_calls: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON output)."""
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MigrationResult:
        """Inverse of :meth:`as_dict`."""
        return cls(**d)


@dataclass
class HopOutcome:
    """What :func:`hop_barrier` found (internal: carries the band for warm starts)."""

    barrier_eV: float | None
    path_energies_eV: list[float]
    path_distance_A: list[float]
    status: str
    method: str
    neb_steps: int
    band_frac: np.ndarray | None
    extra: dict[str, Any]


def _path(images: list[Any], energies: Any) -> tuple[list[float], list[float], float]:
    import numpy as np
    from ase.geometry import find_mic

    rel = np.asarray(energies, dtype=float) - float(energies[0])
    steps = [0.0]
    for a, b in zip(images[:-1], images[1:]):
        d, _ = find_mic(b.positions - a.positions, a.cell, pbc=True)
        steps.append(float(np.sqrt((d**2).sum())))
    return [float(x) for x in rel], [float(x) for x in np.cumsum(steps)], float(rel.max())


def hop_barrier(
    state: HopState,
    calculator: Calculator,
    *,
    method: str = "neb",
    n_images: int = 5,
    climb: bool = True,
    fmax: float = 0.05,
    max_steps: int = 200,
    optimizer: str | None = None,
    seed_band: np.ndarray | None = None,
    init: str = "auto",
    report: Reporter | None = None,
) -> HopOutcome:
    """Barrier of a prepared hop (end points relaxed) by CI-NEB or the saddle shortcut.

    Parameters
    ----------
    state : HopState
        From :func:`sianode.kinetics.endpoints.prepare_hop`, status ``"ok"``.
    calculator : ase Calculator
        Energy [eV] and forces [eV/Å].
    method : str
        ``"neb"`` or ``"saddle"``. ``"saddle"`` falls back to the NEB (and says so in
        ``extra["saddle_rejected"]``) when the held atom feels a force above ``fmax``.
    n_images : int
        Intermediate NEB images.
    climb : bool
        Climbing image.
    fmax : float
        Force convergence [eV/Å].
    max_steps : int
        Step cap of each optimisation.
    optimizer : str, optional
        Band optimiser (:data:`sianode.kinetics.band.NEB_OPTIMIZERS`).
    seed_band : ndarray, optional
        Fractional coordinates (n_images + 2, n_atoms, 3) of a converged band of a nearby
        strain state (warm start); ignored if its shape does not fit.
    init : str
        Start of the band: ``"auto"`` (through the relaxed symmetric saddle where the hop
        has one, else from ``seed_band`` if it fits, else IDPP), ``"saddle"``, or
        ``"idpp"`` (``seed_band`` if it fits, else IDPP; never the saddle).
    report : callable, optional
        ``report(phase, step, max_force_eV_A)`` after each optimiser step.

    Returns
    -------
    HopOutcome
    """
    from sianode.kinetics.band import (
        ClimbingNEB,
        band_fractional,
        band_from_fractional,
        image_calculators,
        interpolate_path,
    )
    from sianode.kinetics.optimizers import DEFAULT_NEB_OPTIMIZER, optimize_band
    from sianode.kinetics.saddle import relax_symmetric_saddle

    assert state.start is not None
    assert state.end is not None
    start, end = state.start, state.end
    optimizer = optimizer or DEFAULT_NEB_OPTIMIZER
    extra: dict[str, Any] = {"optimizer": optimizer, "n_images": n_images}
    symmetric = state.permutation is not None

    def obs(phase: str) -> Callable[[int, float], None] | None:
        return None if report is None else (lambda s, f: report(phase, s, f))

    saddle = None
    fits = (seed_band is not None and seed_band.shape[:2] == (n_images + 2, len(start)))
    if init == "saddle" and not symmetric:
        raise ParameterError("init", init, "a hop whose midpoint is a centre of inversion of "
                             "the host for a band through the saddle; use 'idpp'")
    # where the hop has a symmetric saddle, its own relaxed saddle is the better start:
    # measured (SevenNet-0, 65 atoms) a warm band ended 9-24 meV higher (see scan.py)
    start_from = ("saddle" if symmetric and init in ("auto", "saddle")
                  else "warm" if fits else "idpp")
    if symmetric and (method == "saddle" or start_from == "saddle"):
        saddle = relax_symmetric_saddle(state, calculator, fmax=fmax, max_steps=max_steps,
                                        observer=obs("saddle"))
        extra.update(saddle_barrier_eV=saddle.barrier_eV, saddle_steps=saddle.steps,
                     mobile_force_eV_A=saddle.mobile_force_eV_A)
        if method == "saddle":
            if saddle.mobile_force_eV_A <= fmax:
                images = [start, saddle.atoms, end]
                rel, dist, barrier = _path(images, [im.get_potential_energy()
                                                     for im in images])
                return HopOutcome(barrier, rel, dist,
                                  "ok" if saddle.converged else "not converged",
                                  "saddle", 0, None, extra)
            extra["saddle_rejected"] = (f"force {saddle.mobile_force_eV_A:.3f} eV/Å on "
                                        "the held atom: not a stationary point")

    if start_from == "saddle" and saddle is not None:
        images = [start, *interpolate_path([start, saddle.atoms, end], n_images), end]
    elif start_from == "warm":
        images = [start, *band_from_fractional(seed_band[1:-1], start), end]
    else:
        start_from = "idpp"
        images = [start, *interpolate_path([start, end], n_images), end]
    extra["init"] = start_from
    for im, c in zip(images[1:-1], image_calculators(calculator, n_images)):
        im.calc = c
    band = ClimbingNEB(images, climb=climb)
    if start_from == "idpp":
        band.interpolate("idpp", mic=True)
    converged, steps = optimize_band(band, optimizer=optimizer, fmax=fmax,
                                     max_steps=max_steps, observer=obs("neb"))
    rel, dist, barrier = _path(images, band.energies)
    return HopOutcome(barrier if math.isfinite(barrier) else None, rel, dist,
                      "ok" if converged else "not converged", "neb", steps,
                      band_fractional(images), extra)


def li_migration_barrier(
    host: Any = "Si",
    calculator: Calculator | str | None = None,
    *,
    strain: float = 0.0,
    strain_kind: str = "linear",
    shear_deg: float | None = None,
    sites: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None,
    supercell: tuple[int, int, int] = (2, 2, 2),
    n_images: int = 5,
    climb: bool = True,
    relax_host: bool = True,
    fmax: float = 0.05,
    max_steps: int = 200,
    host_cell: Any = None,
    method: str = "neb",
    optimizer: str | None = None,
    seed_band: np.ndarray | None = None,
    init: str = "auto",
    report: Reporter | None = None,
) -> MigrationResult:
    """Li migration barrier between two interstitial sites of a strained host.

    Parameters
    ----------
    host : str, Structure, Atoms or path
        Registered structure (``"Si"``, ``"Ge"``...) or any structure.
    calculator : ase Calculator or str, optional
        Calculator or registered potential name (default
        :data:`~sianode.materials.calculators.DEFAULT_POTENTIAL`).
    strain : float
        Compressive strain (0.05 = 5 %), see :func:`~sianode.kinetics.strain.apply_strain`.
    strain_kind : str
        ``"linear"`` or ``"volume"``.
    shear_deg : float, optional
        Cell angle gamma [deg] (seed 001: 80 deg with 5 % compression).
    sites : pair of fractional coordinates, optional
        Start and end sites in the host (conventional) cell; default the diamond Td pair.
    supercell : tuple of int
        Repetition of the host cell (2x2x2 of diamond Si = 64 atoms).
    n_images : int
        Intermediate images.
    climb : bool
        Climbing image.
    relax_host : bool
        Host atoms relax in the fixed strained cell (default) or stay frozen.
    fmax : float
        Force convergence of end points, saddle and band [eV/Å].
    max_steps : int
        Step cap of each optimisation.
    host_cell : ase.Atoms, optional
        Already relaxed host cell (from :func:`prepare_host`), to reuse across strains.
    method : str
        ``"neb"`` (CI-NEB) or ``"saddle"`` (symmetric-saddle shortcut; sheared states
        use the NEB).
    optimizer : str, optional
        Band optimiser, see :data:`sianode.kinetics.band.NEB_OPTIMIZERS`.
    seed_band : ndarray, optional
        Warm start: fractional band of a nearby strain state.
    report : callable, optional
        Progress ``report(phase, step, max_force_eV_A)``.

    Returns
    -------
    MigrationResult
        Barrier [eV], path energies [eV] and distances [Å], status, host-change record
        and the number of force calls.

    Raises
    ------
    ParameterError
        No ``sites`` for a non-diamond host, bad ``n_images``/``fmax``/``max_steps``, or
        ``method="saddle"`` on a hop without a symmetric midpoint.
    UnknownNameError
        Unknown ``method`` or optimiser.

    References
    ----------
    Henkelman et al., J. Chem. Phys. 113, 9901 (2000); seed 001 Fig. 3b.
    """
    return migration_with_band(
        host, calculator, strain=strain, strain_kind=strain_kind, shear_deg=shear_deg,
        sites=sites, supercell=supercell, n_images=n_images, climb=climb,
        relax_host=relax_host, fmax=fmax, max_steps=max_steps, host_cell=host_cell,
        method=method, optimizer=optimizer, seed_band=seed_band, init=init,
        report=report)[0]


def migration_with_band(
    host: Any = "Si",
    calculator: Calculator | str | None = None,
    *,
    strain: float = 0.0,
    strain_kind: str = "linear",
    shear_deg: float | None = None,
    sites: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None,
    supercell: tuple[int, int, int] = (2, 2, 2),
    n_images: int = 5,
    climb: bool = True,
    relax_host: bool = True,
    fmax: float = 0.05,
    max_steps: int = 200,
    host_cell: Any = None,
    method: str = "neb",
    optimizer: str | None = None,
    seed_band: np.ndarray | None = None,
    init: str = "auto",
    report: Reporter | None = None,
) -> tuple[MigrationResult, np.ndarray | None]:
    """:func:`li_migration_barrier`, also returning the converged band.

    The band is in fractional coordinates, shape (n_images + 2, n_atoms, 3) (None for the
    saddle method or a changed host): the seed of a warm start at a nearby strain.
    """
    from sianode.kinetics.band import CountingCalculator
    from sianode.kinetics.endpoints import prepare_hop
    from sianode.materials.calculators import DEFAULT_POTENTIAL, get_calculator

    check_params({"n_images": n_images, "fmax": fmax, "max_steps": max_steps,
                  "method": method, "init": init}, CONSTRAINTS)
    t0 = time.perf_counter()
    name, sites = resolve_sites(host, sites)
    if calculator is None or isinstance(calculator, str):
        calculator = get_calculator(calculator or DEFAULT_POTENTIAL)
    calc = CountingCalculator(calculator)
    cell = host_cell if host_cell is not None else prepare_host(host, calc)
    host_calls = calc.calls

    def relax_report(step: int, f: float) -> None:
        if report is not None:
            report("relax", step, f)

    state = prepare_hop(cell, calc, sites=sites, supercell=supercell, strain=strain,
                        strain_kind=strain_kind, shear_deg=shear_deg, fmax=fmax,
                        max_steps=max_steps, relax_host=relax_host, observer=relax_report)
    potential = getattr(calculator, "sianode_version", type(calculator).__name__)
    common = {"host": name, "strain": float(strain), "strain_kind": strain_kind,
              "shear_deg": shear_deg, "relax_host": relax_host, "n_atoms": state.n_host + 1,
              "potential": potential, "host_change": state.change.as_dict()}
    extra: dict[str, Any] = {"relax_steps": state.relax_steps, "host_relax_calls": host_calls,
                             "site_displacement_A": state.site_displacement_A,
                             "end_by_symmetry": state.end_by_symmetry}
    if state.status != "ok":
        return MigrationResult(barrier_eV=None, path_energies_eV=[], path_distance_A=[],
                               status=state.status, neb_steps=0, extra=extra,
                               method=method, force_calls=calc.calls,
                               wall_s=time.perf_counter() - t0, **common), None
    use = "neb" if shear_deg is not None else method
    out = hop_barrier(state, calc, method=use, n_images=n_images, climb=climb, fmax=fmax,
                      max_steps=max_steps, optimizer=optimizer, seed_band=seed_band, init=init,
                      report=report)
    extra.update(out.extra)
    result = MigrationResult(
        barrier_eV=out.barrier_eV, path_energies_eV=out.path_energies_eV,
        path_distance_A=out.path_distance_A, status=out.status, neb_steps=out.neb_steps,
        extra=extra, method=out.method, force_calls=calc.calls,
        wall_s=time.perf_counter() - t0, **common)
    return result, out.band_frac
