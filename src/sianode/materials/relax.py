"""Structures -> relaxed, MP2020-compatible :class:`ComputedStructureEntry` objects.

Cell and positions are relaxed together with ASE's :class:`~ase.filters.FrechetCellFilter`
(optionally keeping the space group with :class:`~ase.constraints.FixSymmetry`). Any ASE
calculator can be passed; registered names go through
:func:`sianode.materials.calculators.get_calculator`.

Energy scale (how the entries are made compatible with MP2020-corrected GGA/GGA+U entries):

- ``energy_scale="GGA"`` (SevenNet, trained on raw PBE): the relaxed energy is wrapped in a
  ``ComputedStructureEntry`` with ``parameters={"run_type": "GGA", "is_hubbard": False}`` and
  processed by pymatgen's ``MaterialsProject2020Compatibility(check_potcar=False)``. This
  adds the MP2020 anion corrections (e.g. +0.071 eV per Si in silicides where Si is the
  anion, -0.687 eV per O in oxides) as ``energy_adjustments``; Li-metal intermetallics and
  elements get none. No GGA+U mixing correction is applied: the potential predicts GGA
  energies, so transition-metal oxides that MP treats with +U are not on MP's GGA+U scale.
- ``energy_scale="MP2020"`` (CHGNet, trained on MP2020-corrected energies): stored as is.
- ``energy_scale="none"`` (any other calculator, e.g. EMT in tests): stored as is, and the
  entry says so in ``entry.data["energy_scale"]``.

Structures are checked before they reach a potential
(:func:`sianode.materials.sanity.check_structure`). Batches of structures go through
:func:`sianode.materials.batch.relax_many` (resumable, lock-protected, atomic writes); both
are re-exported here.

References
----------
Bitzek et al., Phys. Rev. Lett. 97, 170201 (2006) (FIRE); ASE FrechetCellFilter
(Larsen et al., J. Phys.: Condens. Matter 29, 273002 (2017)); Wang et al.,
npj Comput. Mater. 7, 137 (2021) (MP2020 compatibility scheme).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sianode.errors import ComputationError
from sianode.materials.calculators import DEFAULT_POTENTIAL
from sianode.materials.sanity import MIN_DISTANCE_A, check_structure, to_structure
from sianode.validation import FMAX_EV_A, Interval, OneOf, check_params

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from ase.calculators.calculator import Calculator
    from pymatgen.core import Structure
    from pymatgen.entries.computed_entries import ComputedStructureEntry

__all__ = [
    "ENERGY_SCALES",
    "ENTRY_SUFFIXES",
    "MIN_DISTANCE_A",
    "check_structure",
    "to_structure",
    "apply_energy_scale",
    "relax_structure",
    "relax_many",
    "read_entries_file",
]

ENERGY_SCALES = ("GGA", "MP2020", "none", "auto")
_CONSTRAINTS = {
    "fmax": Interval(FMAX_EV_A.low, FMAX_EV_A.high, left_closed=False, allow_array=False,
                     reason=FMAX_EV_A.reason),
    "max_steps": Interval(0, None, allow_array=False, integer=True),
    "energy_scale": OneOf("energy scale", ENERGY_SCALES),
    "optimizer": OneOf("optimizer", ("FIRE", "BFGS", "LBFGS")),
}


def _scale_of(calculator: Any, energy_scale: str) -> str:
    if energy_scale != "auto":
        return energy_scale
    info = getattr(calculator, "sianode_potential", None)
    return info.energy_scale if info is not None else "none"


def apply_energy_scale(entry: ComputedStructureEntry, energy_scale: str) -> ComputedStructureEntry:
    """Put a raw-potential entry on the MP2020-compatible scale (see module docstring).

    Parameters
    ----------
    entry : ComputedStructureEntry
        Entry whose ``uncorrected_energy`` is the potential's total energy [eV].
    energy_scale : str
        ``"GGA"`` applies MP2020 anion corrections; ``"MP2020"`` and ``"none"`` keep it.

    Returns
    -------
    ComputedStructureEntry
        The same entry, with MP2020 ``energy_adjustments`` where they apply.

    Raises
    ------
    ComputationError
        MP2020 refuses the entry (e.g. an element it cannot correct).

    References
    ----------
    Wang et al., npj Comput. Mater. 7, 137 (2021).
    """
    entry.data["energy_scale"] = energy_scale
    if energy_scale != "GGA":
        return entry
    import warnings

    from pymatgen.entries.compatibility import MaterialsProject2020Compatibility

    entry.parameters.update({"run_type": "GGA", "is_hubbard": False, "hubbards": {}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        done = MaterialsProject2020Compatibility(check_potcar=False).process_entries([entry])
    if not done:
        raise ComputationError(
            f"MP2020 compatibility rejected entry {entry.entry_id} ({entry.composition.formula})"
        )
    out = done[0]
    out.data["mp2020_correction_eV"] = float(out.correction)
    return out


def relax_structure(
    structure: Structure | Atoms | str | os.PathLike[str],
    calculator: Calculator | str | None = None,
    *,
    entry_id: str | None = None,
    fmax: float = 0.02,
    max_steps: int = 300,
    relax_cell: bool = True,
    fix_symmetry: bool = True,
    optimizer: str = "FIRE",
    energy_scale: str = "auto",
    data: Mapping[str, Any] | None = None,
) -> ComputedStructureEntry:
    """Relax cell and positions with an ASE calculator and return an entry.

    Parameters
    ----------
    structure : Structure, Atoms or path
        Starting structure (CIF, POSCAR, or anything pymatgen reads).
    calculator : ase Calculator or str, optional
        An ASE calculator, or a registered potential name; default
        :data:`~sianode.materials.calculators.DEFAULT_POTENTIAL`.
    entry_id : str, optional
        Unique id stored on the entry.
    fmax : float
        Force (and Frechet-filter stress) convergence [eV/Å], in (0, 50].
    max_steps : int
        Optimizer step cap (an integer >= 0); the entry records whether it converged.
    relax_cell : bool
        Relax the cell with FrechetCellFilter (else positions only, fixed cell).
    fix_symmetry : bool
        Keep the starting space group (ASE FixSymmetry, symprec 1e-3).
    optimizer : str
        ``"FIRE"``, ``"BFGS"`` or ``"LBFGS"``.
    energy_scale : str
        ``"auto"`` (from the registered potential; ``"none"`` for others), ``"GGA"``,
        ``"MP2020"`` or ``"none"``; see the module docstring.
    data : mapping, optional
        Extra metadata (``source``, ``prototype``...) copied into ``entry.data``.

    Returns
    -------
    ComputedStructureEntry
        Energy [eV] for the relaxed structure's composition, volume = structure volume [Å³];
        ``data`` holds ``potential``, ``energy_scale``, ``relax_steps``, ``converged``,
        ``fmax_eV_A``, ``initial_volume_A3``, ``relax_seconds``.

    Raises
    ------
    ParameterError
        Bad ``fmax``, ``max_steps``, ``optimizer`` or ``energy_scale``.
    StructureError
        The structure is not physical (:func:`check_structure`); checked before the
        potential is built or called.
    ComputationError
        Non-finite energy after relaxation.

    References
    ----------
    ASE FrechetCellFilter; Wang et al., npj Comput. Mater. 7, 137 (2021) (MP2020).
    """
    check_params(
        {"fmax": fmax, "max_steps": max_steps, "energy_scale": energy_scale,
         "optimizer": optimizer},
        _CONSTRAINTS,
    )
    import math

    import numpy as np
    from ase import optimize
    from ase.filters import FrechetCellFilter
    from pymatgen.entries.computed_entries import ComputedStructureEntry
    from pymatgen.io.ase import AseAtomsAdaptor

    from sianode.materials.calculators import get_calculator

    struct = to_structure(structure, name=f"structure {entry_id!r}" if entry_id else None)
    if calculator is None or isinstance(calculator, str):
        calculator = get_calculator(calculator or DEFAULT_POTENTIAL)
    atoms = AseAtomsAdaptor.get_atoms(struct)
    atoms.calc = calculator
    if fix_symmetry:
        from ase.constraints import FixSymmetry

        atoms.set_constraint(FixSymmetry(atoms, symprec=1e-3))
    target = FrechetCellFilter(atoms) if relax_cell else atoms
    t0 = time.perf_counter()
    opt = getattr(optimize, optimizer)(target, logfile=None)
    converged = bool(opt.run(fmax=fmax, steps=int(max_steps)))
    seconds = time.perf_counter() - t0
    energy = float(atoms.get_potential_energy())
    if not math.isfinite(energy):
        raise ComputationError(f"non-finite energy after relaxing {struct.composition.formula}")
    atoms.set_constraint()
    relaxed = AseAtomsAdaptor.get_structure(atoms)
    info = getattr(calculator, "sianode_potential", None)
    potential = getattr(calculator, "sianode_version", type(calculator).__name__)
    meta: dict[str, Any] = dict(data or {})
    meta.update(
        {
            "potential": potential,
            "potential_citation": info.citation if info is not None else "",
            "relax_steps": int(opt.nsteps),
            "converged": converged,
            "fmax_eV_A": float(fmax),
            "max_force_eV_A": float(np.abs(atoms.get_forces()).max()),
            "initial_volume_A3": float(struct.volume),
            "relax_seconds": round(seconds, 2),
            "relax_cell": relax_cell,
            "fix_symmetry": fix_symmetry,
        }
    )
    entry = ComputedStructureEntry(relaxed, energy, entry_id=entry_id, data=meta)
    return apply_energy_scale(entry, _scale_of(calculator, energy_scale))


# Batch relaxation lives in its own module; re-exported for ``from sianode.materials.relax
# import relax_many`` (batch imports this module lazily, so there is no import cycle).
from sianode.materials.batch import ENTRY_SUFFIXES, read_entries_file, relax_many  # noqa: E402
