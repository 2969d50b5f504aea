"""Batch relaxation into one resumable entries file, safe for concurrent runs.

:func:`relax_many` validates every structure and option first, then adds each result to
``out`` under a lock file (:func:`sianode.atomic.file_lock`): a ``.jsonl`` file gets one
fsync'd line per entry, a ``.json``/``.json.gz`` file is rewritten through a uniquely named
temporary file and :func:`os.replace`. Ids already in the file are skipped (checked again
under the lock), so an interrupted batch resumes and two batches writing one ``out`` never
duplicate or lose entries. :func:`read_entries_file` reads what it writes.

With worker processes (``n_workers > 1``: a local pool; ``scheduler=``: a Dask cluster, see
:mod:`sianode.parallel`) each structure is one task, each worker builds the potential once,
and only this process writes ``out``. A failed structure is recorded in
``<out>.failed.jsonl`` (:func:`failures_path`) and tried again on the next run. For large
batches use ``.jsonl``: the ids already written are then read incrementally, while a
``.json``/``.json.gz`` file is re-read and rewritten whole for every entry.
"""

from __future__ import annotations

import gzip
import json
import os
import time
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

__all__ = ["ENTRY_SUFFIXES", "read_entries_file", "relax_many", "failures_path"]

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


class _KnownIds:
    """Entry ids in ``out``; for ``.jsonl`` only the lines added since the last look are read."""

    def __init__(self, path: Path) -> None:
        self.path, self.ids, self.offset = path, set(), 0

    def current(self) -> set[str]:
        if not _is_jsonl(self.path):
            self.ids = {e.entry_id for e in read_entries_file(self.path)}
            return self.ids
        if not self.path.exists():
            return self.ids
        if self.path.stat().st_size < self.offset:  # rewritten meanwhile: read it all again
            self.ids, self.offset = set(), 0
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            chunk = fh.read()
        end = chunk.rfind(b"\n") + 1  # complete lines only
        for line in chunk[:end].splitlines():
            if line.strip():
                try:
                    self.ids.add(str(json.loads(line)["entry_id"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise FileFormatError(self.path, f"not JSON lines of entries ({exc})") from None
        self.offset += end
        return self.ids


def _record(path: Path, entry: ComputedStructureEntry, known: _KnownIds | None = None) -> bool:
    """Add ``entry`` to ``path`` under its lock unless its id is there already (True if added).

    The ids are re-read under the lock, so concurrent batches never duplicate or drop ids.
    """
    from sianode.atomic import append_line, file_lock

    known = known or _KnownIds(path)
    with file_lock(path):
        if entry.entry_id in known.current():
            return False
        if _is_jsonl(path):
            append_line(path, json.dumps(entry.as_dict(), cls=_encoder()))
        else:
            _write_all(path, [*read_entries_file(path), entry])
        known.ids.add(entry.entry_id)
    return True


def failures_path(out: str | os.PathLike[str]) -> Path:
    """Where :func:`relax_many` records failed structures: ``<out>.failed.jsonl``."""
    path = Path(out)
    return path.with_name(path.name + ".failed.jsonl")


def _relax_task(args: tuple[str, Any, Any, dict[str, Any]]
                ) -> tuple[str, ComputedStructureEntry | None, str | None]:
    """One structure on a worker: ``(id, entry, None)`` or ``(id, None, error)``.

    The potential is built once per worker process (:func:`sianode.parallel.worker_cached`).
    """
    from sianode.errors import SianodeError
    from sianode.materials.relax import relax_structure
    from sianode.parallel import worker_cached

    entry_id, struct, factory, kwargs = args
    calc = worker_cached(factory)
    try:
        return entry_id, relax_structure(struct, calc, entry_id=entry_id, **kwargs), None
    except (SianodeError, RuntimeError, ValueError) as exc:
        return entry_id, None, f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def _calculator_factory(calculator: Any) -> Any:
    """A picklable zero-argument builder for workers: a registered name or a callable."""
    import functools

    from sianode.materials.calculators import get_calculator

    if calculator is None or isinstance(calculator, str):
        return functools.partial(get_calculator, calculator or DEFAULT_POTENTIAL)
    if isinstance(calculator, type) or (callable(calculator)
                                         and not hasattr(calculator, "get_potential_energy")):
        return calculator
    raise ParameterError("calculator", type(calculator).__name__,
                         "a registered potential name or a zero-argument calculator factory "
                         "(e.g. functools.partial(get_calculator, name, device='cpu')) "
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
    calculator : ase Calculator, str or callable, optional
        As in :func:`sianode.materials.relax.relax_structure`. On worker processes
        (``n_workers > 1`` or ``scheduler``) it must be a registered name or a picklable
        zero-argument factory (``functools.partial(get_calculator, name,
        device="cuda")``, or ASE's ``EMT`` class): each worker builds it once and reuses it.
    data : mapping id -> metadata, optional
        Per-structure metadata for ``entry.data``.
    n_workers : int
        Local processes (1: serial in this process, default).
    progress : bool
        Show a tqdm bar on stderr.
    skip_failed : bool
        Record a failed relaxation (a line in :func:`failures_path` and a warning on
        stderr) and go on, instead of raising. Failed ids are tried again on the next run.
    scheduler : str, distributed.Client or sianode.parallel.Backend, optional
        One task per structure on a Dask cluster (:func:`sianode.parallel.open_backend`).
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
        ``n_workers`` < 1, a calculator object with worker processes, or a bad
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

    check_params({"n_workers": n_workers}, {"n_workers": Interval(1, None, integer=True)})
    check_params({k: kwargs[k] for k in _CONSTRAINTS if k in kwargs}, _CONSTRAINTS)
    items = list(structures.items() if isinstance(structures, Mapping) else structures)
    ids = [i for i, _ in items]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise DuplicateEntryError(f"duplicate structure ids: {', '.join(dup)}")
    on_workers = n_workers > 1 or scheduler is not None
    factory = _calculator_factory(calculator) if on_workers else None
    path = check_output_path(out, "out", suffixes=ENTRY_SUFFIXES)
    items = [(i, to_structure(s, name=f"structure {i!r}")) for i, s in items]
    read_entries_file(path)  # refuse an --out that holds something else, before any work
    known = _KnownIds(path)
    have = set(known.current())
    todo = [(i, s) for i, s in items if i not in have]
    meta = data or {}

    def failed(entry_id: str, error: str) -> None:
        from sianode.atomic import append_line

        append_line(failures_path(path), json.dumps(
            {"entry_id": entry_id, "error": error, "time": time.strftime("%Y-%m-%dT%H:%M:%S")}))
        print(f"warning: {entry_id} failed: {error}", file=sys.stderr)

    def record(entry_id: str, make: Any) -> None:
        try:
            _record(path, make(), known)
        except (SianodeError, RuntimeError, ValueError) as exc:
            if not skip_failed:
                raise
            failed(entry_id, f"{type(exc).__name__}: {' '.join(str(exc).split())}")

    bar = tqdm(total=len(todo), desc="relax", disable=not progress, file=sys.stderr)
    if not on_workers:
        if todo and (calculator is None or isinstance(calculator, str)):
            from sianode.materials.calculators import get_calculator

            calculator = get_calculator(calculator or DEFAULT_POTENTIAL)
        for entry_id, struct in todo:
            bar.set_postfix_str(entry_id)
            if entry_id not in known.current():  # another run did it meanwhile?
                record(entry_id, lambda s=struct, i=entry_id: relax_structure(
                    s, calculator, entry_id=i, data=meta.get(i), **kwargs))
            bar.update()
    else:
        from sianode.errors import ComputationError
        from sianode.parallel import open_backend

        jobs = [(i, s, factory, {**kwargs, "data": meta.get(i)}) for i, s in todo]
        with open_backend(n_workers, scheduler=scheduler) as backend:
            for _, (entry_id, entry, error) in backend.map_unordered(_relax_task, jobs):
                bar.set_postfix_str(entry_id)
                if entry is not None:
                    _record(path, entry, known)
                elif not skip_failed:
                    raise ComputationError(f"relaxation of {entry_id} failed: {error}")
                else:
                    failed(entry_id, error)
                bar.update()
    bar.close()
    return read_entries_file(path)
