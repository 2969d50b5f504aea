"""Strain scans: a list of independent strain-state tasks and a map over worker processes.

A scan (seed 001 Fig. 3b: strains 0, 5, 10 %, with and without 80 deg shear) is cut into
:class:`StrainTask` objects, one per strain state. :func:`run_strain_task` computes one of
them anywhere (it needs only the task, a potential name and optionally a warm-start band),
so any executor can run them: :func:`run_scan` uses a local process pool (``jobs`` worker
processes, one model load per process) or runs in-process when ``jobs=1`` or a calculator
object is given; any ``concurrent.futures.Executor`` can be passed instead (e.g. a
distributed backend's executor).

Warm starts: tasks are handed out so that each one can start from the converged band of
the nearest finished strain state, scaled to its own cell
(:func:`sianode.kinetics.band.band_from_fractional`), if that state lies within
:data:`MAX_SEED_DISTANCE`. A hop with a symmetric saddle (diamond Td -> Hex -> Td) starts
from its own relaxed saddle instead, which measured more accurate; warm bands replace the
fresh IDPP band of the other hops (:func:`sianode.kinetics.neb.hop_barrier`).

Progress: each task reports optimiser steps and the largest force per band; the scan shows
one tqdm bar on stderr whose position is the log-force progress of all states, hence an
ETA.

References
----------
Seed 001, Fig. 3b.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sianode.kinetics.optimizers import log_progress

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from sianode.kinetics.neb import MigrationResult

__all__ = ["StrainTask", "run_strain_task", "run_scan", "order_tasks", "state_distance"]

#: Share of a state's work in each phase (for the progress bar and its ETA).
_PHASE_WEIGHTS = {"neb": {"relax": 0.1, "saddle": 0.15, "neb": 0.75},
                  "saddle": {"relax": 0.4, "saddle": 0.6, "neb": 0.0}}
_PHASES = ("relax", "saddle", "neb")
_PHASE_NAMES = {"relax": "end point", "saddle": "saddle", "neb": "NEB"}


@dataclass(frozen=True)
class StrainTask:
    """One strain state of a scan: everything a worker needs to compute its barrier.

    Attributes
    ----------
    index : int
        Position in the scan (results come back in this order).
    strain : float
        Compressive strain [fraction].
    shear_deg : float or None
        Cell angle gamma [deg].
    host : str, Atoms or path
        Host (picklable).
    options : dict
        Keyword arguments of :func:`sianode.kinetics.neb.li_migration_barrier`
        (``strain_kind``, ``sites``, ``supercell``, ``n_images``, ``fmax``, ``method``,
        ``host_cell``...), and ``potential`` (registered name loaded by the worker).
    """

    index: int
    strain: float
    shear_deg: float | None
    host: Any
    options: dict[str, Any] = field(default_factory=dict)


def state_distance(a: StrainTask, b: StrainTask) -> float:
    """How far apart two strain states are: |d strain| + |d gamma| / 90 deg."""
    ga = 90.0 if a.shear_deg is None else a.shear_deg
    gb = 90.0 if b.shear_deg is None else b.shear_deg
    return abs(a.strain - b.strain) + abs(ga - gb) / 90.0


def order_tasks(tasks: Sequence[StrainTask]) -> list[StrainTask]:
    """Unsheared states by |strain|, then sheared ones: each can warm-start the next."""
    return sorted(tasks, key=lambda t: (t.shear_deg is not None, abs(t.strain), t.index))


# --- worker side --------------------------------------------------------------------------

_WORKER: dict[str, Any] = {"calculators": {}, "cells": {}, "queue": None}


def _init_worker(potential: str | None, queue: Any = None) -> None:
    """Process-pool initializer: load the potential once per process."""
    _WORKER["queue"] = queue
    if potential is not None:
        _calculator(potential)


def _calculator(potential: str) -> Any:
    from sianode.materials.calculators import get_calculator

    cache = _WORKER["calculators"]
    if potential not in cache:
        cache[potential] = get_calculator(potential)
    return cache[potential]


def _host_key(host: Any, calc: Any) -> tuple[Any, int]:
    if isinstance(host, str):
        return host, id(calc)
    try:
        import numpy as np

        key = (tuple(host.numbers), np.round(np.asarray(host.cell), 6).tobytes(),
               np.round(host.get_scaled_positions(), 6).tobytes())
    except AttributeError:
        key = ("object", id(host))
    return key, id(calc)


def run_strain_task(
    task: StrainTask,
    calculator: Any = None,
    seed_band: np.ndarray | None = None,
    report: Callable[[int, str, int, float], None] | None = None,
) -> tuple[MigrationResult, np.ndarray | None]:
    """Barrier of one strain state (runs in a worker process or in-process).

    Parameters
    ----------
    task : StrainTask
        The state.
    calculator : ase Calculator or str, optional
        A calculator object, or a registered potential name loaded once per process
        (default ``task.options["potential"]`` or 7net-0).
    seed_band : ndarray, optional
        Fractional band of a nearby finished state (warm start).
    report : callable, optional
        ``report(index, phase, step, max_force_eV_A)``; in a pool worker the default sends
        these to the parent's progress queue.

    Returns
    -------
    (MigrationResult, ndarray or None)
        The result (its ``force_calls`` include relaxing the host cell when this process
        did it for this task) and the converged band for warm starts.
    """
    from sianode.kinetics.band import CountingCalculator
    from sianode.kinetics.hosts import prepare_host
    from sianode.kinetics.neb import migration_with_band
    from sianode.materials.calculators import DEFAULT_POTENTIAL

    opts = dict(task.options)
    potential = opts.pop("potential", None) or DEFAULT_POTENTIAL
    calc = calculator if calculator is not None and not isinstance(calculator, str) else \
        _calculator(calculator or potential)
    queue = _WORKER["queue"]
    if report is None and queue is not None:
        def report(i: int, phase: str, step: int, f: float) -> None:
            queue.put((i, phase, step, f))
    key = _host_key(task.host, calc)
    host_calls = 0
    if opts.get("host_cell") is not None:
        _WORKER["cells"][key] = opts.pop("host_cell")
    elif key not in _WORKER["cells"]:
        counting = CountingCalculator(calc)
        _WORKER["cells"][key] = prepare_host(task.host, counting)
        host_calls = counting.calls
    rep = None if report is None else (lambda ph, s, f: report(task.index, ph, s, f))
    result, band = migration_with_band(
        task.host, calc, strain=task.strain, shear_deg=task.shear_deg,
        host_cell=_WORKER["cells"][key], seed_band=seed_band, report=rep, **opts)
    if host_calls:
        result = dataclasses.replace(
            result, force_calls=result.force_calls + host_calls,
            extra={**result.extra, "host_relax_calls": host_calls})
    return result, band


# --- parent side --------------------------------------------------------------------------

class _Tracker:
    """Per-state progress (log-force clock per phase) -> one tqdm bar with an ETA."""

    def __init__(self, tasks: Sequence[StrainTask], fmax: float, method: str,
                 enabled: bool) -> None:
        import sys

        from tqdm import tqdm

        self.fmax, self.weights = fmax, _PHASE_WEIGHTS.get(method, _PHASE_WEIGHTS["neb"])
        self.labels = {t.index: _label(t) for t in tasks}
        self.done: dict[int, float] = {t.index: 0.0 for t in tasks}
        self.f0: dict[tuple[int, str], float] = {}
        self.bar = tqdm(total=100 * len(tasks), desc="diffusion", unit="%", file=sys.stderr,
                        disable=not enabled, bar_format="{desc}: {percentage:3.0f}%|{bar}| "
                        "[{elapsed}<{remaining}]{postfix}")

    def update(self, index: int, phase: str, step: int, f: float) -> None:
        if phase not in _PHASES:
            return
        f0 = self.f0.setdefault((index, phase), max(f, self.fmax * 1.0001))
        before = sum(self.weights[p] for p in _PHASES[:_PHASES.index(phase)])
        frac = before + self.weights[phase] * log_progress(f0, f, self.fmax)
        self.done[index] = max(self.done[index], min(frac, 0.99))
        self.bar.set_postfix_str(f"{self.labels[index]}: {_PHASE_NAMES[phase]} step {step}, "
                                 f"Fmax {f:.3f} eV/Å", refresh=False)
        self._refresh()

    def finish(self, index: int, result: MigrationResult) -> None:
        self.done[index] = 1.0
        ea = "host changed" if result.barrier_eV is None else f"Ea {result.barrier_eV:.3f} eV"
        self.bar.set_postfix_str(f"{self.labels[index]}: {ea}, {result.force_calls} calls",
                                 refresh=False)
        self._refresh()

    def _refresh(self) -> None:
        self.bar.n = int(round(100 * sum(self.done.values())))
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def _label(t: StrainTask) -> str:
    g = "" if t.shear_deg is None else f" γ{t.shear_deg:g}"
    return f"{100 * t.strain:g} %{g}"


#: Farthest state (:func:`state_distance`) whose band seeds another. Measured (SevenNet-0,
#: 65 atoms): the 0 % band carried to 5 % + 80 deg shear converged to a higher saddle
#: (0.904 eV) than the state's own Hex-saddle seed (0.880 eV; wave 1: 0.888 eV); carried
#: to 5 % it ended at 0.837 eV (own seed 0.826, wave 1 0.828): hops with a symmetric saddle
#: start from it (:func:`sianode.kinetics.neb.hop_barrier`), warm bands serve the others.
MAX_SEED_DISTANCE = 0.05


def _seed_for(task: StrainTask, finished: dict[int, tuple[StrainTask, Any, Any]],
              max_distance: float = MAX_SEED_DISTANCE) -> tuple[Any, StrainTask | None]:
    best, src = None, None
    for other, result, band in finished.values():
        if band is None or result.barrier_eV is None:
            continue
        if state_distance(task, other) > max_distance + 1e-12:
            continue
        if src is None or state_distance(task, other) < state_distance(task, src):
            best, src = band, other
    return best, src


def _pick(pending: list[StrainTask], finished: dict[int, Any]) -> StrainTask:
    """Next task: the pending one closest to a finished state (scan order breaks ties)."""
    done = [v[0] for v in finished.values() if v[2] is not None]
    if not done:
        return pending[0]
    return min(pending, key=lambda t: min(state_distance(t, d) for d in done))


def run_scan(
    tasks: Sequence[StrainTask],
    *,
    calculator: Any = None,
    jobs: int = 1,
    warm_start: bool = True,
    progress: bool = True,
    executor: Any = None,
) -> list[MigrationResult]:
    """Run strain-state tasks, warm-starting each from the nearest finished state.

    Parameters
    ----------
    tasks : sequence of StrainTask
        The states (see :func:`sianode.kinetics.diffusion.strain_scan`).
    calculator : str or ase Calculator, optional
        Registered potential name (default
        :data:`~sianode.materials.calculators.DEFAULT_POTENTIAL`, loaded once per worker process) or a calculator object
        (then the scan runs in this process).
    jobs : int
        Worker processes of the local pool (1 = in-process).
    warm_start : bool
        Start bands from the nearest finished state's band (else each state starts cold).
    progress : bool
        tqdm bar with ETA on stderr.
    executor : concurrent.futures.Executor, optional
        Run tasks there instead of a local pool, ``jobs`` at a time (a Dask executor from
        :meth:`sianode.parallel.Backend.executor`); workers load a named potential once
        per process, a calculator object must pickle and travels with each task.

    Returns
    -------
    list of MigrationResult
        In task-index order; ``extra["warm_start_from"]`` names the seed state.
    """
    if calculator is None:
        from sianode.materials.calculators import DEFAULT_POTENTIAL

        calculator = DEFAULT_POTENTIAL
    pending = order_tasks(tasks)
    fmax = float(pending[0].options.get("fmax", 0.05)) if pending else 0.05
    method = pending[0].options.get("method", "neb") if pending else "neb"
    tracker = _Tracker(pending, fmax, method, progress)
    finished: dict[int, tuple[StrainTask, Any, Any]] = {}
    try:
        if executor is not None or (isinstance(calculator, str) and jobs > 1):
            _run_pool(pending, finished, calculator, jobs, warm_start, tracker, executor)
        else:
            for _ in range(len(pending)):
                task = _pick(pending, finished) if warm_start else pending[0]
                pending.remove(task)
                seed, src = _seed_for(task, finished) if warm_start else (None, None)
                t0 = time.perf_counter()
                result, band = run_strain_task(task, calculator, seed,
                                               report=tracker.update)
                result = _with_seed_info(result, src, time.perf_counter() - t0)
                finished[task.index] = (task, result, band)
                tracker.finish(task.index, result)
    finally:
        tracker.close()
    return [finished[i][1] for i in sorted(finished)]


def _with_seed_info(result: MigrationResult, src: StrainTask | None,
                    wall_s: float) -> MigrationResult:
    extra = dict(result.extra)
    if src is not None and extra.get("init") == "warm":
        extra["warm_start_from"] = {"strain": src.strain, "shear_deg": src.shear_deg}
    return dataclasses.replace(result, extra=extra, wall_s=wall_s)


def _run_pool(pending: list[StrainTask], finished: dict[int, Any], potential: Any, jobs: int,
              warm_start: bool, tracker: _Tracker, executor: Any) -> None:
    """Run the tasks on a process pool (ours, or ``executor``), keeping ``jobs`` of them in
    flight; ``potential`` is a registered name (loaded once per worker) or a picklable
    calculator object (sent with each task)."""
    import concurrent.futures as cf
    import multiprocessing
    import queue as queue_mod

    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue() if executor is None else None
    own = executor is None
    if own:
        executor = cf.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))),
                                          mp_context=ctx, initializer=_init_worker,
                                          initargs=(potential if isinstance(potential, str)
                                                    else None, q))
        slots = max(1, min(jobs, len(pending)))
    else:
        slots = max(1, jobs)
    running: dict[Any, tuple[StrainTask, StrainTask | None, float]] = {}
    try:
        while pending or running:
            while pending and len(running) < slots:
                task = _pick(pending, finished) if warm_start else pending[0]
                pending.remove(task)
                seed, src = _seed_for(task, finished) if warm_start else (None, None)
                fut = executor.submit(run_strain_task, task, potential, seed)
                running[fut] = (task, src, time.perf_counter())
            done, _ = cf.wait(list(running), timeout=0.5, return_when=cf.FIRST_COMPLETED)
            while q is not None:
                try:
                    tracker.update(*q.get_nowait())
                except queue_mod.Empty:
                    break
            for fut in done:
                task, src, t0 = running.pop(fut)
                result, band = fut.result()
                result = _with_seed_info(result, src, time.perf_counter() - t0)
                finished[task.index] = (task, result, band)
                tracker.finish(task.index, result)
    finally:
        if own:
            executor.shutdown(wait=True, cancel_futures=True)


def scan_summary(results: Sequence[MigrationResult]) -> dict[str, Any]:
    """Totals of a scan: force calls, NEB steps, summed state wall time [s]."""
    return {"force_calls": int(sum(r.force_calls for r in results)),
            "neb_steps": int(sum(r.neb_steps for r in results)),
            "state_wall_s": float(math.fsum(r.wall_s for r in results))}
