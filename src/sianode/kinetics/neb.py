"""Climbing-image NEB for a Li hop between interstitial sites of a (strained) host.

Default case (seed 001 Fig. 3b): Li in diamond Si hops between neighbouring tetrahedral
sites, Td (1/2,1/2,1/2) -> Hex (5/8,5/8,5/8) -> Td (3/4,3/4,3/4) of the conventional cell,
in a 2x2x2 supercell (64 Si + 1 Li). The host cell is first relaxed with the same
potential, then compressed/sheared (:func:`sianode.kinetics.strain.apply_strain`) and held
fixed; host atoms relax inside it (``relax_host=True``, default) or stay frozen (a frozen
host inflates barriers 1.4-1.7x; offered for comparison). Before any barrier is computed
the strained host is rattled and relaxed: if it collapses or transforms
(:func:`~sianode.kinetics.strain.compare_hosts`), or Li leaves its starting site, the
result says so (``status``) and carries no barrier.

Any host works: a registered structure name, a pymatgen Structure, ASE Atoms or a file,
with ``sites=(frac_a, frac_b)`` given in the host cell's fractional coordinates.

References
----------
Henkelman, Uberuaga & Jonsson, J. Chem. Phys. 113, 9901 (2000) (CI-NEB); Smidstrup et al.,
J. Chem. Phys. 140, 214106 (2014) (IDPP interpolation); seed 001 Fig. 3b.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sianode.errors import ParameterError
from sianode.validation import Interval, check_params

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from ase.calculators.calculator import Calculator

__all__ = [
    "DIAMOND_TD_SITES", "MigrationResult", "resolve_sites", "prepare_host",
    "li_migration_barrier",
]

#: Neighbouring tetrahedral interstitial sites of the diamond conventional cell (origin at
#: an atom, origin choice 1); the Hex saddle lies half way, at (5/8, 5/8, 5/8).
DIAMOND_TD_SITES = ((0.5, 0.5, 0.5), (0.75, 0.75, 0.75))

_CONSTRAINTS = {
    "n_images": Interval(1, 25, allow_array=False),
    "fmax": Interval(0, None, left_closed=False, allow_array=False),
    "max_steps": Interval(1, None, allow_array=False),
}


@dataclass(frozen=True)
class MigrationResult:
    """One NEB calculation.

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
        Image energies relative to the initial image [eV].
    path_distance_A : list of float
        Cumulative path length of the images [Å].
    status : str
        ``"ok"``, ``"host changed"`` or ``"not converged"`` (barrier still reported).
    host_change : dict
        :class:`~sianode.kinetics.strain.HostChange` of the strained host.
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

    def as_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON output)."""
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MigrationResult:
        """Inverse of :meth:`as_dict`."""
        return cls(**d)


def _host_atoms(host: Any) -> tuple[str, Atoms, bool]:
    from pymatgen.io.ase import AseAtomsAdaptor

    from sianode.materials.relax import to_structure
    from sianode.materials.structures_lisi import ALL_PHASES, build_structure

    if isinstance(host, str) and host in ALL_PHASES:
        rec = ALL_PHASES[host]
        diamond = rec.spacegroup == 227 and len(rec.sites) == 1 and rec.sites[0][1] == "8a"
        return host, AseAtomsAdaptor.get_atoms(build_structure(host)), diamond
    struct = to_structure(host)
    return struct.composition.reduced_formula, AseAtomsAdaptor.get_atoms(struct), False


def resolve_sites(
    host: Any, sites: Any = None
) -> tuple[str, tuple[tuple[float, float, float], tuple[float, float, float]]]:
    """Host name and the pair of fractional sites of the hop (default: diamond Td -> Td).

    Raises
    ------
    ParameterError
        ``sites`` missing for a non-diamond host, or not two 3-vectors in [0, 1].
    """
    import numpy as np

    name, _, diamond = _host_atoms(host)
    if sites is None:
        if not diamond:
            raise ParameterError("sites", None, f"two fractional sites for non-diamond host {name}")
        return name, DIAMOND_TD_SITES
    arr = np.asarray(sites, dtype=float)
    if arr.shape != (2, 3) or not np.all((arr >= 0) & (arr <= 1)):
        raise ParameterError("sites", sites, "two fractional (x, y, z) sites in [0, 1]")
    return name, (tuple(arr[0]), tuple(arr[1]))


def prepare_host(host: Any, calculator: Calculator, *, relax_cell: bool = True) -> Atoms:
    """Host unit cell relaxed (cell + positions, symmetry kept) with ``calculator``.

    Returns
    -------
    ase.Atoms
        Relaxed conventional cell, no calculator attached.
    """
    from pymatgen.io.ase import AseAtomsAdaptor

    from sianode.materials.relax import relax_structure

    _, atoms, _ = _host_atoms(host)
    if not relax_cell:
        return atoms
    entry = relax_structure(atoms, calculator, fmax=0.01, max_steps=200, energy_scale="none")
    return AseAtomsAdaptor.get_atoms(entry.structure)


def _relax_fixed_cell(atoms: Atoms, fmax: float, steps: int) -> bool:
    from ase.optimize import BFGS

    return bool(BFGS(atoms, logfile=None).run(fmax=fmax, steps=steps))


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
    host_cell: Atoms | None = None,
) -> MigrationResult:
    """Li migration barrier between two interstitial sites of a strained host (CI-NEB).

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
        Force convergence of endpoints and band [eV/Å].
    max_steps : int
        Step cap of each optimisation.
    host_cell : ase.Atoms, optional
        Already relaxed host cell (from :func:`prepare_host`), to reuse across strains.

    Returns
    -------
    MigrationResult
        Barrier [eV], path energies [eV] and distances [Å], status and host-change record.

    Raises
    ------
    ParameterError
        No ``sites`` for a non-diamond host, or bad ``n_images``/``fmax``/``max_steps``.

    References
    ----------
    Henkelman et al., J. Chem. Phys. 113, 9901 (2000); seed 001 Fig. 3b.
    """
    import numpy as np
    from ase import Atom
    from ase.constraints import FixAtoms
    from ase.geometry import find_mic
    from ase.mep import NEB
    from ase.optimize import FIRE

    from sianode.kinetics.strain import apply_strain, compare_hosts
    from sianode.materials.calculators import DEFAULT_POTENTIAL, get_calculator

    check_params({"n_images": n_images, "fmax": fmax, "max_steps": max_steps}, _CONSTRAINTS)
    t0 = time.perf_counter()
    name, sites = resolve_sites(host, sites)
    if calculator is None or isinstance(calculator, str):
        calculator = get_calculator(calculator or DEFAULT_POTENTIAL)
    cell = host_cell if host_cell is not None else prepare_host(host, calculator)
    reps = np.array(supercell, dtype=float)
    ideal = apply_strain(cell.repeat(supercell), strain, kind=strain_kind, shear_deg=shear_deg)
    n_host = len(ideal)

    # 1. does the strained host survive? rattle to break symmetry, relax, compare
    probe = ideal.copy()
    probe.rattle(0.03, seed=7)
    probe.calc = calculator
    _relax_fixed_cell(probe, fmax, max_steps)
    change = compare_hosts(ideal, probe)

    def endpoint(frac: tuple[float, float, float]) -> Atoms:
        a = ideal.copy()
        a.append(Atom("Li", np.asarray(frac) / reps @ np.asarray(a.cell)))
        if not relax_host:
            a.set_constraint(FixAtoms(indices=list(range(n_host))))
        a.calc = calculator
        _relax_fixed_cell(a, fmax, max_steps)
        return a

    potential = getattr(calculator, "sianode_version", type(calculator).__name__)
    common = {"host": name, "strain": float(strain), "strain_kind": strain_kind,
              "shear_deg": shear_deg, "relax_host": relax_host, "n_atoms": n_host + 1,
              "potential": potential}
    if change.changed:
        return MigrationResult(barrier_eV=None, path_energies_eV=[], path_distance_A=[],
                               status="host changed", host_change=change.as_dict(),
                               neb_steps=0, wall_s=time.perf_counter() - t0, **common)
    start, end = endpoint(sites[0]), endpoint(sites[1])
    for a, frac in ((start, sites[0]), (end, sites[1])):
        target = np.asarray(frac) / reps @ np.asarray(a.cell)
        delta, _ = find_mic(a.positions[-1] - target, a.cell, pbc=True)
        moved = float(np.linalg.norm(delta))
        host_moved = compare_hosts(ideal, a[:n_host])
        if moved > 0.6 or host_moved.changed:
            return MigrationResult(
                barrier_eV=None, path_energies_eV=[], path_distance_A=[],
                status="host changed", host_change=host_moved.as_dict(), neb_steps=0,
                wall_s=time.perf_counter() - t0, extra={"li_displacement_A": float(moved)},
                **common)

    # 2. climbing-image NEB
    images = [start] + [start.copy() for _ in range(int(n_images))] + [end]
    for im in images:
        im.calc = calculator
        if not relax_host:
            im.set_constraint(FixAtoms(indices=list(range(n_host))))
    band = NEB(images, climb=climb, allow_shared_calculator=True, method="improvedtangent")
    band.interpolate("idpp", mic=True)
    opt = FIRE(band, logfile=None)
    converged = bool(opt.run(fmax=fmax, steps=int(max_steps)))
    energies = np.array([im.get_potential_energy() for im in images])
    steps = np.array([0.0] + [_mic_step(images[i], images[i + 1])
                              for i in range(len(images) - 1)])
    rel = energies - energies[0]
    barrier = float(rel.max())
    return MigrationResult(
        barrier_eV=barrier if math.isfinite(barrier) else None,
        path_energies_eV=[float(x) for x in rel],
        path_distance_A=[float(x) for x in np.cumsum(steps)],
        status="ok" if converged else "not converged",
        host_change=change.as_dict(), neb_steps=int(opt.nsteps),
        wall_s=time.perf_counter() - t0, **common,
    )


def _mic_step(a: Atoms, b: Atoms) -> float:
    """Length of the configuration-space step between two images [Å] (minimum image)."""
    import numpy as np
    from ase.geometry import find_mic

    d, _ = find_mic(b.positions - a.positions, a.cell, pbc=True)
    return float(np.sqrt((d**2).sum()))
