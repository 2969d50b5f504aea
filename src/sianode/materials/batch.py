"""Batch relaxation into one resumable entries file, safe for concurrent runs.

:func:`relax_many` validates every structure and option first, then adds each result to
``out`` under a lock file (:func:`sianode.atomic.file_lock`): a ``.jsonl`` file gets one
fsync'd line per entry, a ``.json``/``.json.gz`` file is rewritten through a uniquely named
temporary file and :func:`os.replace`. Ids already in the file are skipped (checked again
under the lock), so an interrupted batch resumes and two batches writing one ``out`` never
duplicate or lose entries. :func:`read_entries_file` reads what it writes.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sianode.errors import FileFormatError, ParameterError
from sianode.materials.calculators import DEFAULT_POTENTIAL
from sianode.materials.sanity import to_structure
from sianode.validation import Interval, check_input_file, check_params

if TYPE_CHECKING:  # pragma: no cover
    from ase.calculators.calculator import Calculator
    from pymatgen.entries.computed_entries import ComputedStructureEntry

__all__ = ["ENTRY_SUFFIXES", "read_entries_file", "relax_many"]

#: Files :func:`relax_many` writes and :func:`read_entries_file` reads.
ENTRY_SUFFIXES = (".jsonl", ".json", ".json.gz")


def _is_jsonl(path: Path) -> bool:
    return path.suffix == ".jsonl"


def read_entries_file(path: str | os.PathLike[str]) -> list[ComputedStructureEntry]:
    """Read entries written by :func:`relax_many` (``.jsonl``, ``.json`` or ``.json.gz``).

    A missing file reads as no entries (a batch that has not started).

    Raises
    ------
    PathError
        ``path`` is a folder or not a regular file.
    FileFormatError
        The file is not gzip when it should be, not UTF-8 text, or not JSON of entry dicts.
    """
    path = Path(path)
    if not path.exists():
        return []
    check_input_file(path, "entries file", allow_empty=True)
    from pymatgen.entries.computed_entries import ComputedStructureEntry  # heavy: after checks
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"cannot be read as {''.join(path.suffixes) or 'JSON'} "
                              f"entries ({' '.join(str(exc).split())})") from None
    try:
        if _is_jsonl(path):
            dicts = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            dicts = json.loads(text) if text.strip() else []
        return [ComputedStructureEntry.from_dict(d) for d in dicts]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FileFormatError(path, f"not a list of ComputedStructureEntry dicts ({exc})") from exc


def _encoder() -> type[json.JSONEncoder]:
    from monty.json import MontyEncoder  # numpy scalars (CHGNet returns float32)

    return MontyEncoder


def _write_all(path: Path, entries: list[ComputedStructureEntry]) -> None:
    from sianode.atomic import atomic_path

    with atomic_path(path) as tmp:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(tmp, "wt", encoding="utf-8") as fh:
            json.dump([e.as_dict() for e in entries], fh, cls=_encoder())


def _record(path: Path, entry: ComputedStructureEntry) -> bool:
    """Add ``entry`` to ``path`` under its lock unless its id is there already (True if added).

    The file is re-read under the lock, so concurrent batches never duplicate or drop ids.
    """
    from sianode.atomic import append_line, file_lock

    with file_lock(path):
        current = read_entries_file(path)
        if entry.entry_id in {e.entry_id for e in current}:
            return False
        if _is_jsonl(path):
            append_line(path, json.dumps(entry.as_dict(), cls=_encoder()))
        else:
            _write_all(path, [*current, entry])
    return True


def _worker(args: tuple[str, Any, str, dict[str, Any]]) -> ComputedStructureEntry:
    from sianode.materials.relax import relax_structure

    entry_id, struct, potential, kwargs = args
    return relax_structure(struct, potential, entry_id=entry_id, **kwargs)


def relax_many(
    structures: Mapping[str, Any] | Iterable[tuple[str, Any]],
    out: str | os.PathLike[str],
    calculator: Calculator | str | None = None,
    *,
    data: Mapping[str, Mapping[str, Any]] | None = None,
    n_workers: int = 1,
    progress: bool = True,
    skip_failed: bool = True,
    **kwargs: Any,
) -> list[ComputedStructureEntry]:
    """Relax many structures, adding each entry atomically to ``out`` (resumable).

    Everything is checked before the first relaxation: the ids, every structure
    (:func:`sianode.materials.sanity.check_structure`), the relaxation options, the output path and the entries
    already in it.

    Parameters
    ----------
    structures : mapping id -> structure, or iterable of (id, structure)
        Structures (pymatgen, ASE or file paths) keyed by their unique entry id.
    out : path
        ``.jsonl`` (appended line by line) or ``.json``/``.json.gz`` (rewritten atomically).
        Ids already present are skipped. Writes hold ``out.lock``
        (:func:`sianode.atomic.file_lock`), so several batches may share one ``out``.
    calculator : ase Calculator or str, optional
        As in :func:`sianode.materials.relax.relax_structure`. With ``n_workers > 1`` it must be a registered name
        (each worker builds its own).
    data : mapping id -> metadata, optional
        Per-structure metadata for ``entry.data``.
    n_workers : int
        1 (serial, default) or 2 (local process pool; at most 2 on a shared machine).
    progress : bool
        Show a tqdm bar on stderr.
    skip_failed : bool
        Record a failed relaxation (as a warning on stderr) and go on, instead of raising.
    **kwargs
        Passed to :func:`sianode.materials.relax.relax_structure` (``fmax``, ``max_steps``...).

    Returns
    -------
    list of ComputedStructureEntry
        Every entry in ``out`` after the batch (old and new, including entries another
        batch added meanwhile).

    Raises
    ------
    ParameterError
        ``n_workers`` not 1 or 2, a calculator object with ``n_workers > 1``, or a bad
        ``fmax``/``max_steps``/``optimizer``/``energy_scale``.
    DuplicateEntryError
        Two structures share an id.
    StructureError, PathError, FileFormatError
        A structure is not physical, ``out`` cannot be written, or holds something that is
        not entries.

    References
    ----------
    See :func:`sianode.materials.relax.relax_structure`.
    """
    import sys

    from tqdm import tqdm

    from sianode.errors import DuplicateEntryError, SianodeError
    from sianode.materials.relax import _CONSTRAINTS, relax_structure
    from sianode.validation import check_output_path

    check_params({"n_workers": n_workers},
                 {"n_workers": Interval(1, 2, integer=True, reason="shared machine")})
    check_params({k: kwargs[k] for k in _CONSTRAINTS if k in kwargs}, _CONSTRAINTS)
    items = list(structures.items() if isinstance(structures, Mapping) else structures)
    ids = [i for i, _ in items]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise DuplicateEntryError(f"duplicate structure ids: {', '.join(dup)}")
    if n_workers > 1 and not (calculator is None or isinstance(calculator, str)):
        raise ParameterError("calculator", type(calculator).__name__,
                             "a registered potential name when n_workers > 1")
    path = check_output_path(out, "out", suffixes=ENTRY_SUFFIXES)
    items = [(i, to_structure(s, name=f"structure {i!r}")) for i, s in items]
    have = {e.entry_id for e in read_entries_file(path)}
    todo = [(i, s) for i, s in items if i not in have]
    meta = data or {}

    def record(entry_id: str, make: Any) -> None:
        try:
            _record(path, make())
        except (SianodeError, RuntimeError, ValueError) as exc:
            if not skip_failed:
                raise
            print(f"warning: {entry_id} failed: {' '.join(str(exc).split())}", file=sys.stderr)

    bar = tqdm(total=len(todo), desc="relax", disable=not progress, file=sys.stderr)
    if n_workers == 1:
        if todo and (calculator is None or isinstance(calculator, str)):
            from sianode.materials.calculators import get_calculator

            calculator = get_calculator(calculator or DEFAULT_POTENTIAL)
        for entry_id, struct in todo:
            bar.set_postfix_str(entry_id)
            if entry_id not in {e.entry_id for e in read_entries_file(path)}:  # another run?
                record(entry_id, lambda s=struct, i=entry_id: relax_structure(
                    s, calculator, entry_id=i, data=meta.get(i), **kwargs))
            bar.update()
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        jobs = [(i, s, calculator or DEFAULT_POTENTIAL, {**kwargs, "data": meta.get(i)})
                for i, s in todo]
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            futs = {pool.submit(_worker, j): j[0] for j in jobs}
            for fut in as_completed(futs):
                record(futs[fut], fut.result)
                bar.update()
    bar.close()
    return read_entries_file(path)
