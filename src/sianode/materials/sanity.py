"""Structures in: read a structure from anything a user has, and refuse unphysical ones.

Every structure passes :func:`check_structure` before it reaches an ML potential: a finite,
non-degenerate lattice, real chemical elements, ordered sites, no two atoms closer than
:data:`MIN_DISTANCE_A` and a volume per atom in :data:`sianode.validation.VOLUME_PER_ATOM_A3`.
Without it a CIF with a NaN cell length crashed the process inside the neighbour list
(exit 139) and an ``Xx`` site raised ``KeyError`` inside the potential.

References
----------
Shortest bond: H2, 0.741 Å (CRC Handbook of Chemistry and Physics).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sianode.errors import FileFormatError, InputError, StructureError
from sianode.validation import VOLUME_PER_ATOM_A3, check_input_file

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from pymatgen.core import Structure

__all__ = ["MIN_DISTANCE_A", "check_structure", "to_structure"]

#: Shortest interatomic distance accepted [Å]: the H-H bond (0.74 Å) is the shortest there is.
MIN_DISTANCE_A = 0.5


def check_structure(structure: Structure, name: str = "structure") -> Structure:
    """Refuse a structure no potential can mean, before it reaches one.

    Parameters
    ----------
    structure : pymatgen Structure
        The structure to check.
    name : str
        How to name it in the message (``"structure file 'x.cif'"``, an entry id).

    Returns
    -------
    Structure
        The same object, for chaining.

    Raises
    ------
    StructureError
        No sites; a non-finite or degenerate lattice; a site that is not a chemical element
        (``Xx``, a dummy species); partial occupancies; two atoms (or an atom and its own
        periodic image) closer than :data:`MIN_DISTANCE_A`; a volume per atom outside
        :data:`sianode.validation.VOLUME_PER_ATOM_A3`.

    References
    ----------
    Shortest bond: H2, 0.741 Å (CRC Handbook of Chemistry and Physics).
    """
    import numpy as np
    from pymatgen.core import Element

    if len(structure) == 0:
        raise StructureError(f"{name}: has no atoms")
    matrix = np.asarray(structure.lattice.matrix, dtype=float)
    if not np.all(np.isfinite(matrix)):
        abc = ", ".join(f"{v:g}" for v in structure.lattice.abc)
        raise StructureError(f"{name}: lattice is not finite (a, b, c = {abc} Å); expected "
                             "finite cell lengths and angles")
    with np.errstate(all="ignore"):  # 1e300 Å cells overflow: refused just below
        volume = abs(float(np.linalg.det(matrix)))
    if not np.all(np.isfinite(structure.frac_coords)):
        raise StructureError(f"{name}: atomic coordinates are not finite")
    for site in structure:
        if not site.is_ordered:
            raise StructureError(f"{name}: site {site.species_string} has partial occupancy; "
                                 "expected an ordered structure (order it first, e.g. with "
                                 "pymatgen's OrderDisorderedStructureTransformation)")
        sym = getattr(site.specie, "symbol", str(site.specie))
        if not Element.is_valid_symbol(sym) or type(site.specie).__name__.startswith("Dummy"):
            raise StructureError(f"{name}: {sym!r} is not a chemical element")
    per_atom = volume / len(structure)
    if not VOLUME_PER_ATOM_A3.ok(per_atom):
        raise StructureError(f"{name}: volume per atom {per_atom:.4g} Å³ is invalid: expected "
                             f"{VOLUME_PER_ATOM_A3.describe()}")
    centers, neighbors, _, dists = structure.get_neighbor_list(MIN_DISTANCE_A)
    if len(dists):
        k = int(np.argmin(dists))
        i, j = int(centers[k]), int(neighbors[k])
        who = (f"atom {i} ({structure[i].species_string}) and its periodic image" if i == j
               else f"atoms {i} ({structure[i].species_string}) and {j} "
                    f"({structure[j].species_string})")
        raise StructureError(f"{name}: {who} are {float(dists[k]):.3g} Å apart; expected at "
                             f"least {MIN_DISTANCE_A:g} Å")
    return structure


def to_structure(obj: Structure | Atoms | str | os.PathLike[str], *,
                 name: str | None = None) -> Structure:
    """Return a checked pymatgen Structure from a Structure, ASE Atoms or a structure file.

    Files are checked (exists, a file, readable, non-empty), read with pymatgen's warnings
    silenced, and every structure passes :func:`check_structure`.

    Parameters
    ----------
    obj : Structure, Atoms, str or PathLike
        The structure, or a file pymatgen reads (CIF, POSCAR, ...).
    name : str, optional
        How to name an in-memory structure in error messages (files are named by path).

    Raises
    ------
    PathError
        Missing file, a folder, or an empty file.
    FileFormatError
        The file cannot be read as a structure.
    StructureError
        The structure is not physical (see :func:`check_structure`).
    InputError
        The object is neither a structure, Atoms nor a path.
    """
    import warnings

    from pymatgen.core import Structure

    label = name or "structure"
    if isinstance(obj, Structure):
        return check_structure(obj.copy(), label)
    if isinstance(obj, str | os.PathLike):
        path = check_input_file(obj, "structure file")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                struct = Structure.from_file(path)
        except Exception as exc:  # pymatgen raises many kinds
            msg = " ".join(str(exc).split())[:200]
            raise FileFormatError(path, f"not a readable structure file ({msg})") from None
        return check_structure(struct, f"structure file {str(path)!r}")
    try:
        from pymatgen.io.ase import AseAtomsAdaptor

        struct = AseAtomsAdaptor.get_structure(obj)
    except Exception as exc:
        raise InputError(
            f"cannot make a structure from {type(obj).__name__}: expected a pymatgen "
            "Structure, ASE Atoms or a structure file path"
        ) from exc
    return check_structure(struct, label)
