"""Where sianode's batch jobs run: this process, a local process pool, or a Dask cluster.

The batch jobs (screening one task per chemical-system group, entry computation one task per
structure, strain scans one task per strain state) hand independent tasks to a
:class:`Backend` from :func:`open_backend`; this is the only module that imports dask.

- ``open_backend(1)``: tasks run in this process (no pickling).
- ``open_backend(n)``: a local :class:`~concurrent.futures.ProcessPoolExecutor` of ``n``
  processes (the default route for ``--jobs``).
- ``open_backend(scheduler="tcp://host:8786")``: an existing Dask cluster
  (``dask scheduler`` / ``dask worker`` or dask-jobqueue); ``scheduler=`` may also be a
  :class:`distributed.Client` or a :class:`Backend` (borrowed: not closed on exit).
- ``open_backend(dask_workers=n)``: a :class:`distributed.LocalCluster` of ``n`` worker
  processes on loopback, closed on exit.

:meth:`Backend.map_unordered` yields ``(index, result)`` as tasks finish, so the caller writes
each finished result at once (atomically) and an interrupted run loses nothing finished. A
worker process that dies mid-run costs only its running tasks, which are run again: Dask
reschedules them itself (and a task that killed too many workers comes back as
``KilledWorker`` and is retried ``retries`` times more); the local pool is restarted with the
unfinished tasks, at most ``retries`` times. An exception raised by the task function itself
is not retried: it stops the map and reaches the caller.

Per-worker state: ``initializer(*initargs)`` runs once per worker process before its first
task of a run (Dask: ``initargs`` travel once per worker as the result of one shared task,
not with each task; if every worker holding it dies the scheduler computes it again), and
:func:`worker_cached` builds an expensive object (an ML potential) once per process.

A new batch job (the entry point)
---------------------------------
Write the task as a module-level function of one argument, build the expensive object in it
with :func:`worker_cached` (or set module state in an ``initializer``), and write each result
as soon as it arrives::

    import functools
    from sianode.parallel import open_backend, worker_cached

    def _one_state(task):                  # module level: pickled by reference
        from sianode.materials.calculators import DEFAULT_POTENTIAL, get_calculator
        calc = worker_cached(functools.partial(get_calculator, DEFAULT_POTENTIAL))  # once
        return compute(task, calc)

    with open_backend(jobs, scheduler=scheduler, dask_workers=dask_workers) as be:
        for i, result in be.map_unordered(_one_state, tasks, progress="strain states"):
            save(i, result)                # atomically, at once: the run resumes

``be.map(fn, tasks)`` returns the results in input order instead. A job whose tasks depend
on earlier results (warm-started strain scans: each band starts from the nearest finished
one) submits them one by one through :meth:`Backend.executor`, a
:class:`concurrent.futures.Executor` on the same backend. Commands get the options with
``sianode.cli._parallel.add_backend_arguments(parser)`` (``--scheduler``, ``--dask``) and
the backend with ``backend_from_args(args, args.jobs)``.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sianode.errors import DependencyError, ParameterError, WorkerLostError

__all__ = [
    "Backend",
    "WorkerLostError",
    "open_backend",
    "worker_cached",
    "cache_info",
    "clear_cache",
]

T = TypeVar("T")

#: Seconds to wait for a ``--scheduler`` address to answer.
CONNECT_TIMEOUT_S = 20


# --- per-worker state ----------------------------------------------------------------------

_LOCK = threading.RLock()
_CACHE: dict[str, Any] = {}
_BUILDS: dict[str, int] = {}
_INIT_TOKEN: list[str | None] = [None]


def _key_of(factory: Callable[..., Any]) -> str:
    if isinstance(factory, functools.partial):
        kw = sorted(factory.keywords.items())
        return f"{_key_of(factory.func)}{factory.args!r}{kw!r}"
    mod, name = getattr(factory, "__module__", None), getattr(factory, "__qualname__", None)
    return f"{mod}.{name}" if mod and name else repr(factory)


def worker_cached(factory: Callable[[], T], key: str | None = None) -> T:
    """Return ``factory()``, built once per process and reused by every later task there.

    Parameters
    ----------
    factory : callable
        Zero-argument builder, e.g. ``functools.partial(get_calculator, name, device="cpu")``.
    key : str, optional
        Cache key; default derived from the factory (function name, partial arguments).

    Returns
    -------
    object
        The cached object (an ASE calculator with its loaded model, typically).

    Examples
    --------
    >>> worker_cached(list, key="doc-example") is worker_cached(list, key="doc-example")
    True
    """
    k = key or _key_of(factory)
    with _LOCK:
        if k not in _CACHE:
            _CACHE[k] = factory()
            _BUILDS[k] = _BUILDS.get(k, 0) + 1
        return _CACHE[k]


def cache_info() -> dict[str, Any]:
    """``{"pid": process id, "builds": {key: times built}}`` of this process's cache."""
    with _LOCK:
        return {"pid": os.getpid(), "builds": dict(_BUILDS)}


def clear_cache() -> None:
    """Drop every object :func:`worker_cached` holds in this process."""
    with _LOCK:
        _CACHE.clear()
        _BUILDS.clear()
        _INIT_TOKEN[0] = None


def _shared_args(blob: bytes) -> bytes:
    """Dask: holds a run's pickled ``initargs`` as a task result, kept on the workers that use
    it. Bytes, not objects: each worker unpickles its own copy, so a task that caches into
    its copy (the screen's entry table) never changes data while Dask sends it to another
    worker (that failed with "dictionary changed size during iteration" and hung the run)."""
    return blob


def _run_task(fn: Callable[[Any], Any], item: Any, token: str,
              initializer: Callable[..., Any] | None, initargs: Sequence[Any] | bytes) -> Any:
    """Worker side: initialise this process for run ``token`` once, then run one task."""
    if initializer is not None:
        with _LOCK:
            if _INIT_TOKEN[0] != token:
                if isinstance(initargs, bytes):
                    import pickle

                    initargs = pickle.loads(initargs)
                initializer(*initargs)
                _INIT_TOKEN[0] = token
    return fn(item)


# --- backends ------------------------------------------------------------------------------


class Backend:
    """Runs independent tasks here, on a local process pool, or on a Dask cluster.

    Build it with :func:`open_backend`; use it as a context manager (closes what it opened).

    Attributes
    ----------
    kind : str
        ``"serial"``, ``"processes"`` or ``"dask"``.
    jobs : int
        Local processes (``"processes"``); 1 otherwise.
    client : distributed.Client or None
        The Dask client (``"dask"``).
    """

    def __init__(self, kind: str, jobs: int = 1, client: Any = None, cluster: Any = None,
                 owned: bool = True) -> None:
        self.kind, self.jobs, self.client, self._cluster, self._owned = (
            kind, jobs, client, cluster, owned)
        self._config: Any = None  # dask config set while a LocalCluster of ours is open

    def __repr__(self) -> str:
        return f"<Backend {self.describe()}>"

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def borrowed(self) -> Backend:
        """The same backend, not closed by its ``close``/``with`` (for library calls)."""
        return Backend(self.kind, self.jobs, self.client, None, owned=False)

    @property
    def n_workers(self) -> int:
        """Worker processes now (Dask: as the scheduler sees them)."""
        if self.kind == "dask":
            return len(self.client.nthreads())
        return self.jobs

    def describe(self) -> str:
        """One line: where the tasks run."""
        if self.kind == "serial":
            return "this process"
        if self.kind == "processes":
            return f"local pool of {self.jobs} processes"
        return f"Dask scheduler {self.client.scheduler.address} ({self.n_workers} workers)"

    def close(self) -> None:
        """Close the client and cluster this backend opened (nothing if borrowed)."""
        if not self._owned:
            return
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._config is not None:
            self._config.__exit__(None, None, None)
        self.client = self._cluster = self._config = None

    def executor(self) -> Any:
        """A :class:`concurrent.futures.Executor` on this backend, for callers that submit
        tasks one by one as others finish (e.g. warm-started strain scans).

        Dask: ``client.get_executor(pure=False)`` (its futures work with
        :func:`concurrent.futures.wait`; a dead worker's task is rescheduled by Dask);
        local pool: a new :class:`~concurrent.futures.ProcessPoolExecutor` (the caller shuts
        it down); this process: None (run the tasks inline).
        """
        if self.kind == "dask":
            return self.client.get_executor(pure=False)
        if self.kind == "processes":
            from concurrent.futures import ProcessPoolExecutor

            return ProcessPoolExecutor(max_workers=self.jobs)
        return None

    def map(self, fn: Callable[[Any], T], items: Sequence[Any], **kwargs: Any) -> list[T]:
        """Results of ``fn`` over ``items`` in input order (see :meth:`map_unordered`)."""
        out: list[Any] = [None] * len(items)
        for i, r in self.map_unordered(fn, items, **kwargs):
            out[i] = r
        return out

    def map_unordered(
        self,
        fn: Callable[[Any], T],
        items: Sequence[Any],
        *,
        initializer: Callable[..., Any] | None = None,
        initargs: Sequence[Any] = (),
        retries: int = 3,
        progress: bool | str = False,
    ) -> Iterator[tuple[int, T]]:
        """Yield ``(index, fn(items[index]))`` as tasks finish.

        Parameters
        ----------
        fn : callable
            Module-level function of one argument (pickled by reference: every worker must
            have sianode, or the module holding ``fn``, installed).
        items : sequence
            Task arguments (each sent to its worker once per attempt).
        initializer, initargs : callable, sequence
            ``initializer(*initargs)`` runs once per worker process before its first task.
        retries : int
            Extra attempts after worker loss (local pool restarts; Dask ``KilledWorker``).
        progress : bool or str
            tqdm bar of finished tasks on stderr (a str is its label).

        Raises
        ------
        WorkerLostError
            Workers kept dying beyond ``retries``.
        Exception
            Whatever ``fn`` raised (not retried).
        """
        if not isinstance(retries, int) or retries < 0:
            raise ParameterError("retries", retries, "an integer >= 0")
        items = list(items)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(items), file=sys.stderr, unit="task",
                       desc=progress if isinstance(progress, str) else None)
        try:
            if self.kind == "dask":
                gen = _dask_map(self.client, fn, items, initializer, initargs, retries)
            elif self.kind == "processes" and len(items) > 1:
                gen = _pool_map(self.jobs, fn, items, initializer, initargs, retries)
            else:
                gen = _serial_map(fn, items, initializer, initargs)
            for i, r in gen:
                if bar is not None:
                    bar.update()
                yield i, r
        finally:
            if bar is not None:
                bar.close()


def _serial_map(fn, items, initializer, initargs) -> Iterator[tuple[int, Any]]:
    if initializer is not None and items:
        initializer(*initargs)
    for i, item in enumerate(items):
        yield i, fn(item)


def _pool_map(jobs, fn, items, initializer, initargs, retries) -> Iterator[tuple[int, Any]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    todo = list(range(len(items)))
    restarts = 0
    while todo:
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=initializer,
                                   initargs=tuple(initargs))
        futs = {pool.submit(fn, items[i]): i for i in todo}
        todo = []
        try:
            for f in as_completed(futs):
                try:
                    r = f.result()
                except BrokenProcessPool:
                    break
                yield futs.pop(f), r
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not futs:
            break
        # the pool broke (a worker died): keep what finished, run the rest on a new pool
        for f, i in sorted(futs.items(), key=lambda fi: fi[1]):
            if f.done() and not f.cancelled() and f.exception() is None:
                yield i, f.result()
            else:
                todo.append(i)
        restarts += 1
        if todo and restarts > retries:
            raise WorkerLostError(
                f"local worker processes died {restarts} times; {len(todo)} of {len(items)} "
                f"tasks unfinished (finished results were kept; rerun to resume)")


def _dask_map(client, fn, items, initializer, initargs, retries) -> Iterator[tuple[int, Any]]:
    from asyncio import CancelledError

    from distributed import as_completed

    token = uuid.uuid4().hex[:10]
    name = getattr(fn, "__name__", "task").strip("_") or "task"
    shared = None
    if initializer is not None:
        # A task, not scattered data: if every worker holding it dies, the scheduler computes
        # it again from the graph (scattered data would be lost, cancelling every task).
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "large object in the graph"
            import cloudpickle

            shared = client.submit(_shared_args, cloudpickle.dumps(tuple(initargs), protocol=5),
                                   pure=False, key=f"sianode-init-{name}-{token}")
    threads = sum(client.nthreads().values()) if client.nthreads() else 0
    window = max(256, 4 * threads)
    attempts = [0] * len(items)
    fresh = iter(range(len(items)))
    again: deque[int] = deque()
    running: dict[str, tuple[int, Any]] = {}
    ac = as_completed()

    def submit(i: int) -> None:
        f = client.submit(_run_task, fn, items[i], token, initializer, shared, pure=False,
                          key=f"sianode-{name}-{token}-{i}-{attempts[i]}")
        running[f.key] = (i, f)
        ac.add(f)

    def refill() -> None:
        while len(running) < window:
            i = again.popleft() if again else next(fresh, None)
            if i is None:
                return
            submit(i)

    def lost(i: int, why: str) -> None:
        attempts[i] += 1
        if attempts[i] > retries:
            raise WorkerLostError(f"task {i} of {len(items)} ({name}) was lost {attempts[i]} "
                                  f"times ({why}); finished results were kept, rerun to resume")
        again.append(i)

    def settle(f: Any) -> Iterator[tuple[int, Any]]:
        """One future, alone: its result, or a retry if the worker or its data was lost."""
        i, _ = running.pop(f.key)
        if f.status == "cancelled":
            lost(i, "cancelled")
            return
        try:
            r = f.result()
        except (Exception, CancelledError) as exc:
            if not _is_loss(exc):
                raise
            lost(i, type(exc).__name__)
        else:
            f.release()
            yield i, r

    try:
        refill()
        while running:
            batch = ac.next_batch(block=True)  # every future finished by now: one gather
            done = [f for f in batch if f.status == "finished"]
            try:
                results = client.gather(done) if done else []
            except (Exception, CancelledError) as exc:
                if not _is_loss(exc):
                    raise
                results = None  # data lost between finishing and gathering: one by one
            if results is not None:
                for f, r in zip(done, results, strict=True):
                    i, _ = running.pop(f.key)
                    f.release()
                    yield i, r
            for f in batch:
                if f.key in running:  # error, cancelled, or not gathered above
                    yield from settle(f)
            refill()
    finally:
        for _, fut in running.values():
            fut.cancel()
        if shared is not None:
            shared.release()


def _is_loss(exc: BaseException | None) -> bool:
    """Is this the loss of a worker or of its data, not an error of the task itself?"""
    from asyncio import CancelledError

    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    return isinstance(exc, KilledWorker | CommClosedError | CancelledError)


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise DependencyError("dask[distributed]", "dask", "running on a Dask cluster") from None
    return distributed


def open_backend(jobs: int = 1, *, scheduler: Any = None,
                 dask_workers: int | None = None) -> Backend:
    """Where the tasks of one batch job run (see the module docstring).

    Parameters
    ----------
    jobs : int
        Local worker processes when no Dask option is given (1: this process).
    scheduler : str, distributed.Client or Backend, optional
        An existing Dask cluster: scheduler address (``tcp://host:8786``), a client, or a
        backend (both borrowed: not closed on exit).
    dask_workers : int, optional
        Start a :class:`distributed.LocalCluster` with this many worker processes (one
        thread each, loopback, no dashboard), closed on exit.

    Returns
    -------
    Backend

    Raises
    ------
    ParameterError
        ``jobs``/``dask_workers`` not a positive integer, both Dask options given, or the
        scheduler cannot be reached.
    DependencyError
        A Dask option without ``dask[distributed]`` installed (extra ``dask``).

    Examples
    --------
    >>> with open_backend(1) as be:
    ...     be.map(abs, [-1, 2, -3])
    [1, 2, 3]
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError("jobs", jobs, "an integer >= 1")
    if dask_workers is not None and (isinstance(dask_workers, bool)
                                     or not isinstance(dask_workers, int) or dask_workers < 1):
        raise ParameterError("dask_workers", dask_workers, "an integer >= 1")
    if scheduler is not None and dask_workers is not None:
        raise ParameterError("dask_workers", dask_workers,
                             "None when a scheduler is given (use one of --scheduler, --dask)")
    if isinstance(scheduler, Backend):
        return scheduler.borrowed()
    if scheduler is None and dask_workers is None:
        return Backend("serial" if jobs == 1 else "processes", jobs)
    distributed = _dask()
    if isinstance(scheduler, distributed.Client):
        return Backend("dask", client=scheduler, owned=False)
    if scheduler is not None:
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise ParameterError("scheduler", scheduler,
                                 "a Dask scheduler address such as tcp://10.0.0.5:8786")
        try:
            client = distributed.Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ParameterError("scheduler", scheduler,
                                 f"a reachable Dask scheduler address ({exc})") from None
        return Backend("dask", client=client)
    import logging

    import dask

    # The nannies restart a worker whose process died; stop SpecCluster from closing a nanny
    # whose worker takes longer than lost-worker-timeout (15 s) to come back (on a busy
    # machine a timer left by an earlier death closed both nannies: no workers, a hung run).
    # No dashboard, so no statistical profiler either (it samples every worker's stack every
    # 10 ms, which cost CPU on a busy machine).
    config = dask.config.set({"distributed.deploy.lost-worker-timeout": "1 day",
                              "distributed.worker.profile.enabled": False})
    cluster = distributed.LocalCluster(
        n_workers=dask_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.ERROR,
        # no dashboard; the scheduler's small HTTP server (health checks) on a free loopback port
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    try:
        client = distributed.Client(cluster)
    except BaseException:
        cluster.close()
        config.__exit__(None, None, None)
        raise
    backend = Backend("dask", client=client, cluster=cluster)
    backend._config = config
    return backend
