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

Batch relaxation (:func:`relax_many`) shows a tqdm bar on stderr and appends each result
atomically to a ``.jsonl`` file (one entry dict per line, fsync'd) or rewrites a
``.json``/``.json.gz`` file through a temporary file and :func:`os.replace`; entries whose
ids are already in the file are skipped, so an interrupted batch resumes.

References
----------
Bitzek et al., Phys. Rev. Lett. 97, 170201 (2006) (FIRE); ASE FrechetCellFilter
(Larsen et al., J. Phys.: Condens. Matter 29, 273002 (2017)); Wang et al.,
npj Comput. Mater. 7, 137 (2021) (MP2020 compatibility scheme).
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sianode.errors import ComputationError, FileFormatError, InputError, ParameterError
from sianode.validation import Interval, OneOf, check_params

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms
    from ase.calculators.calculator import Calculator
    from pymatgen.core import Structure
    from pymatgen.entries.computed_entries import ComputedStructureEntry

__all__ = [
    "ENERGY_SCALES",
    "to_structure",
    "apply_energy_scale",
    "relax_structure",
    "relax_many",
    "read_entries_file",
    "failures_path",
]

ENERGY_SCALES = ("GGA", "MP2020", "none", "auto")
_CONSTRAINTS = {
    "fmax": Interval(0, None, left_closed=False, allow_array=False),
    "max_steps": Interval(0, None, allow_array=False),
    "energy_scale": OneOf("energy scale", ENERGY_SCALES),
    "optimizer": OneOf("optimizer", ("FIRE", "BFGS", "LBFGS")),
}


def to_structure(obj: Structure | Atoms | str | os.PathLike[str]) -> Structure:
    """Return a pymatgen Structure from a Structure, ASE Atoms or a CIF/POSCAR/any file.

    Raises
    ------
    FileFormatError
        The file cannot be read as a structure.
    InputError
        The object is neither a structure, Atoms nor a path.
    """
    from pymatgen.core import Structure

    if isinstance(obj, Structure):
        return obj.copy()
    if isinstance(obj, str | os.PathLike):
        path = Path(obj)
        if not path.is_file():
            raise FileFormatError(path, "no such structure file")
        try:
            return Structure.from_file(path)
        except Exception as exc:  # pymatgen raises many kinds
            raise FileFormatError(path, f"not a readable structure file ({exc})") from exc
    try:
        from pymatgen.io.ase import AseAtomsAdaptor

        return AseAtomsAdaptor.get_structure(obj)
    except Exception as exc:
        raise InputError(
            f"cannot make a structure from {type(obj).__name__}: expected a pymatgen "
            "Structure, ASE Atoms or a structure file path"
        ) from exc


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
        An ASE calculator, or a registered potential name; default 7net-0.
    entry_id : str, optional
        Unique id stored on the entry.
    fmax : float
        Force (and Frechet-filter stress) convergence [eV/Å].
    max_steps : int
        Optimizer step cap; the entry records whether it converged.
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

    if calculator is None or isinstance(calculator, str):
        calculator = get_calculator(calculator or "7net-0")
    struct = to_structure(structure)
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


# --- batch -------------------------------------------------------------------------------


def _is_jsonl(path: Path) -> bool:
    return path.suffix == ".jsonl"


def read_entries_file(path: str | os.PathLike[str]) -> list[ComputedStructureEntry]:
    """Read entries written by :func:`relax_many` (``.jsonl``, ``.json`` or ``.json.gz``).

    Raises
    ------
    FileFormatError
        A line or the file is not valid JSON of entry dicts.
    """
    from pymatgen.entries.computed_entries import ComputedStructureEntry

    path = Path(path)
    if not path.exists():
        return []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    try:
        if _is_jsonl(path):
            dicts = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            dicts = json.loads(text) if text.strip() else []
        return [ComputedStructureEntry.from_dict(d) for d in dicts]
    except (ValueError, KeyError, TypeError) as exc:
        raise FileFormatError(path, f"not a list of ComputedStructureEntry dicts ({exc})") from exc


def _encoder() -> type[json.JSONEncoder]:
    from monty.json import MontyEncoder  # numpy scalars (CHGNet returns float32)

    return MontyEncoder


def _write_all(path: Path, entries: list[ComputedStructureEntry]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(tmp, "wt", encoding="utf-8") as fh:
        json.dump([e.as_dict() for e in entries], fh, cls=_encoder())
    os.replace(tmp, path)


def _append_jsonl(path: Path, entry: ComputedStructureEntry) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry.as_dict(), cls=_encoder()) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _relax_task(args: tuple[str, Any, Any, dict[str, Any]]
                ) -> tuple[str, ComputedStructureEntry | None, str | None]:
    """One structure on a worker: ``(id, entry, None)`` or ``(id, None, error)``.

    The potential is built once per worker process (:func:`sianode.parallel.worker_cached`).
    """
    from sianode.errors import SianodeError
    from sianode.parallel import worker_cached

    entry_id, struct, factory, kwargs = args
    calc = worker_cached(factory)
    try:
        return entry_id, relax_structure(struct, calc, entry_id=entry_id, **kwargs), None
    except (SianodeError, RuntimeError, ValueError) as exc:
        return entry_id, None, f"{type(exc).__name__}: {exc}"


def failures_path(out: str | os.PathLike[str]) -> Path:
    """Where :func:`relax_many` records failed structures: ``<out>.failed.jsonl``."""
    path = Path(out)
    return path.with_name(path.name + ".failed.jsonl")


def _record_failure(out: Path, entry_id: str, error: str) -> None:
    with open(failures_path(out), "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"entry_id": entry_id, "error": error,
                             "time": time.strftime("%Y-%m-%dT%H:%M:%S")}) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _calculator_factory(calculator: Any) -> Any:
    """A picklable zero-argument builder for workers: a registered name or a callable."""
    import functools

    from sianode.materials.calculators import DEFAULT_POTENTIAL, get_calculator

    if calculator is None or isinstance(calculator, str):
        return functools.partial(get_calculator, calculator or DEFAULT_POTENTIAL)
    if isinstance(calculator, type) or (callable(calculator)
                                         and not hasattr(calculator, "get_potential_energy")):
        return calculator
    raise ParameterError("calculator", type(calculator).__name__,
                         "a registered potential name or a zero-argument calculator factory "
                         "(e.g. functools.partial(get_calculator, '7net-0', device='cpu')) "
                         "when running on worker processes")


def relax_many(
    structures: Mapping[str, Any] | Iterable[tuple[str, Any]],
    out: str | os.PathLike[str],
    calculator: Calculator | str | None = None,
    *,
    data: Mapping[str, Mapping[str, Any]] | None = None,
    n_workers: int = 1,
    progress: bool = True,
    skip_failed: bool = True,
    scheduler: Any = None,
    **kwargs: Any,
) -> list[ComputedStructureEntry]:
    """Relax many structures, appending each entry atomically to ``out`` (resumable).

    Parameters
    ----------
    structures : mapping id -> structure, or iterable of (id, structure)
        Structures (pymatgen, ASE or file paths) keyed by their unique entry id.
    out : path
        ``.jsonl`` (appended line by line) or ``.json``/``.json.gz`` (rewritten atomically).
        Ids already present are skipped.
    calculator : ase Calculator, str or callable, optional
        As in :func:`relax_structure`. On worker processes (``n_workers > 1`` or
        ``scheduler``) it must be a registered name or a picklable zero-argument factory
        (e.g. ``functools.partial(get_calculator, "7net-0", device="cuda")``, or ASE's
        ``EMT`` class): each worker builds the potential once and reuses it for all its
        structures.
    data : mapping id -> metadata, optional
        Per-structure metadata for ``entry.data``.
    n_workers : int
        Local processes (1: serial in this process, default).
    progress : bool
        Show a tqdm bar on stderr.
    skip_failed : bool
        Record a failed relaxation (a line in ``<out>.failed.jsonl`` and a warning on
        stderr) and go on, instead of raising. Failed ids are tried again on resume.
    scheduler : str, distributed.Client or sianode.parallel.Backend, optional
        Run one task per structure on a Dask cluster (:func:`sianode.parallel.open_backend`).
    **kwargs
        Passed to :func:`relax_structure` (``fmax``, ``max_steps``...).

    Returns
    -------
    list of ComputedStructureEntry
        Every entry in ``out`` after the batch (old and new).

    Raises
    ------
    ParameterError
        ``n_workers`` < 1, or a calculator object with worker processes.
    DuplicateEntryError
        Two structures share an id.

    References
    ----------
    See :func:`relax_structure`.
    """
    import sys

    from tqdm import tqdm

    from sianode.errors import DuplicateEntryError, SianodeError

    if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
        raise ParameterError("n_workers", n_workers, "an integer >= 1")
    items = list(structures.items() if isinstance(structures, Mapping) else structures)
    ids = [i for i, _ in items]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise DuplicateEntryError(f"duplicate structure ids: {', '.join(dup)}")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    done = read_entries_file(path)
    have = {e.entry_id for e in done}
    todo = [(i, s) for i, s in items if i not in have]
    meta = data or {}

    def record(entry: ComputedStructureEntry) -> None:
        done.append(entry)
        if _is_jsonl(path):
            _append_jsonl(path, entry)
        else:
            _write_all(path, done)

    def failed(entry_id: str, error: str) -> None:
        _record_failure(path, entry_id, error)
        print(f"warning: {entry_id} failed: {error}", file=sys.stderr)

    bar = tqdm(total=len(todo), desc="relax", disable=not progress, file=sys.stderr)
    if n_workers == 1 and scheduler is None:
        if calculator is None or isinstance(calculator, str):
            from sianode.materials.calculators import get_calculator

            calculator = get_calculator(calculator or "7net-0")
        for entry_id, struct in todo:
            bar.set_postfix_str(entry_id)
            try:
                record(relax_structure(struct, calculator, entry_id=entry_id,
                                       data=meta.get(entry_id), **kwargs))
            except (SianodeError, RuntimeError, ValueError) as exc:
                if not skip_failed:
                    raise
                failed(entry_id, f"{type(exc).__name__}: {exc}")
            bar.update()
    else:
        from sianode.parallel import open_backend

        factory = _calculator_factory(calculator)
        jobs = [(i, s, factory, {**kwargs, "data": meta.get(i)}) for i, s in todo]
        with open_backend(n_workers, scheduler=scheduler) as backend:
            for _, (entry_id, entry, error) in backend.map_unordered(_relax_task, jobs):
                bar.set_postfix_str(entry_id)
                if entry is not None:
                    record(entry)
                elif not skip_failed:
                    raise ComputationError(f"relaxation of {entry_id} failed: {error}")
                else:
                    failed(entry_id, error)
                bar.update()
    bar.close()
    return done
