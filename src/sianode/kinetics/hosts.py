"""Hosts of a Li hop: registered or user structures, the hop's sites, the relaxed cell.

Default case (seed 001 Fig. 3b): Li in diamond Si hops between neighbouring tetrahedral
sites, Td (1/2,1/2,1/2) -> Hex (5/8,5/8,5/8) -> Td (3/4,3/4,3/4) of the conventional cell
(origin at an atom). Any host works: a registered structure name, a pymatgen Structure,
ASE Atoms or a file, with ``sites=(frac_a, frac_b)`` in the host cell's fractional
coordinates.

References
----------
Seed 001, Fig. 3b.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sianode.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from ase.calculators.calculator import Calculator

__all__ = ["DIAMOND_TD_SITES", "host_atoms", "resolve_sites", "prepare_host"]

#: Neighbouring tetrahedral interstitial sites of the diamond conventional cell (origin at
#: an atom, origin choice 1); the Hex saddle lies half way, at (5/8, 5/8, 5/8), a centre
#: of inversion (Wyckoff 16d of Fd-3m, site symmetry -3m).
DIAMOND_TD_SITES = ((0.5, 0.5, 0.5), (0.75, 0.75, 0.75))

Sites = tuple[tuple[float, float, float], tuple[float, float, float]]


def host_atoms(host: Any) -> tuple[str, Atoms, bool]:
    """Name, ASE Atoms (conventional cell) and whether ``host`` is a one-site diamond host.

    Raises
    ------
    FileFormatError, InputError
        ``host`` is neither a registered name, a structure nor a readable file.
    """
    from pymatgen.io.ase import AseAtomsAdaptor

    from sianode.materials.relax import to_structure
    from sianode.materials.structures_lisi import ALL_PHASES, build_structure

    if isinstance(host, str) and host in ALL_PHASES:
        rec = ALL_PHASES[host]
        diamond = rec.spacegroup == 227 and len(rec.sites) == 1 and rec.sites[0][1] == "8a"
        return host, AseAtomsAdaptor.get_atoms(build_structure(host)), diamond
    struct = to_structure(host)
    return struct.composition.reduced_formula, AseAtomsAdaptor.get_atoms(struct), False


def resolve_sites(host: Any, sites: Any = None) -> tuple[str, Sites]:
    """Host name and the pair of fractional sites of the hop (default: diamond Td -> Td).

    Raises
    ------
    ParameterError
        ``sites`` missing for a non-diamond host, or not two 3-vectors in [0, 1].
    """
    import numpy as np

    name, _, diamond = host_atoms(host)
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

    Parameters
    ----------
    host : str, Structure, Atoms or path
        See :func:`host_atoms`.
    calculator : ase Calculator
        Energies [eV], forces [eV/Å], stress [eV/Å³].
    relax_cell : bool
        False returns the structure as given.

    Returns
    -------
    ase.Atoms
        Relaxed conventional cell (fmax 0.01 eV/Å), no calculator attached.
    """
    from pymatgen.io.ase import AseAtomsAdaptor

    from sianode.materials.relax import relax_structure

    _, atoms, _ = host_atoms(host)
    if not relax_cell:
        return atoms
    entry = relax_structure(atoms, calculator, fmax=0.01, max_steps=200, energy_scale="none")
    return AseAtomsAdaptor.get_atoms(entry.structure)
