"""sianode.parallel: the local pool and a 2-process Dask LocalCluster give the same results;
a worker that dies mid-task costs only a retry; the per-worker cache builds once."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cloudpickle
import pytest

from sianode import parallel
from sianode.errors import DependencyError, ParameterError
from sianode.parallel import WorkerLostError, open_backend, worker_cached

# functions below are shipped to workers by value: the tests folder is not a package
cloudpickle.register_pickle_by_value(sys.modules[__name__])

pytest.importorskip("distributed")


def _square(x):
    return x * x


def _die_once(arg):
    """Kill the worker process the first time item 3 runs (a marker file remembers)."""
    x, marker = arg
    if x == 3 and not Path(marker).exists():
        Path(marker).touch()
        os._exit(1)
    return x * x


def _always_die(arg):
    os._exit(1)


def _boom(x):
    if x == 2:
        raise ZeroDivisionError("task 2 fails by itself")
    return x


_STATE: dict = {}


def _init(offset):
    _STATE["offset"] = offset
    _STATE["inits"] = _STATE.get("inits", 0) + 1


def _with_state(x):
    return x + _STATE["offset"], os.getpid(), _STATE["inits"]


class _Model:
    builds = 0

    def __init__(self):
        type(self).builds += 1


def _use_model(x):
    m = worker_cached(_Model, key="test-model")
    return id(m), os.getpid(), parallel.cache_info()["builds"]["test-model"]


@pytest.fixture
def client(dask_client):
    return dask_client


@pytest.fixture(params=["serial", "processes", "dask"])
def backend(request, client):
    if request.param == "dask":
        return open_backend(scheduler=client)
    return open_backend(1 if request.param == "serial" else 2)


def test_map_same_on_every_backend(backend):
    with backend as be:
        assert be.map(_square, range(20)) == [x * x for x in range(20)]
        got = dict(be.map_unordered(_square, list(range(7))))
    assert got == {i: i * i for i in range(7)}


def test_initializer_runs_once_per_worker(backend):
    with backend as be:
        out = be.map(_with_state, list(range(30)), initializer=_init, initargs=(100,))
    assert [o[0] for o in out] == [x + 100 for x in range(30)]
    # each worker process initialised itself exactly once for this run
    assert {o[2] for o in out} <= {1, 2, 3}  # processes may be reused across tests
    per_pid = {}
    for _, pid, inits in out:
        per_pid.setdefault(pid, set()).add(inits)
    assert all(len(v) == 1 for v in per_pid.values())


def test_worker_cached_builds_once_per_process(backend):
    with backend as be:
        out = be.map(_use_model, list(range(16)))
    by_pid = {}
    for obj, pid, builds in out:
        by_pid.setdefault(pid, set()).add(obj)
        assert builds == 1
    assert all(len(ids) == 1 for ids in by_pid.values())


@pytest.mark.parametrize("kind", ["processes", "dask"])
def test_worker_killed_mid_task_loses_nothing(kind, client, tmp_path):
    items = [(x, str(tmp_path / "died")) for x in range(12)]
    be = open_backend(scheduler=client) if kind == "dask" else open_backend(2)
    with be:
        got = list(be.map_unordered(_die_once, items))
    assert (tmp_path / "died").exists()  # a worker really died
    idx = [i for i, _ in got]
    assert sorted(idx) == list(range(12))  # 0 lost, 0 duplicated
    assert dict(got) == {x: x * x for x in range(12)}


def test_dask_recovers_when_every_holder_of_the_shared_data_dies(client):
    """The initializer's arguments live in a task: lost with all its holders, it is recomputed."""
    import signal

    client.wait_for_workers(2, timeout=120)
    pids = client.run(os.getpid)
    killed = []
    with open_backend(scheduler=client) as be:
        got = {}
        for i, r in be.map_unordered(_with_state, list(range(40)), initializer=_init,
                                     initargs=(7,)):
            got[i] = r[0]
            if not killed:
                holders = {w for k, ws in client.who_has().items() if "sianode-init" in k
                           for w in ws}
                assert holders
                for w in holders:
                    os.kill(pids[w], signal.SIGKILL)
                killed.extend(holders)
    assert killed
    assert got == {x: x + 7 for x in range(40)}  # 0 lost, 0 duplicated, right state


def _init_mutating(shared):
    """Record what this worker was given, then cache into it (as the screen's table does)."""
    _STATE["given"] = sorted(shared)
    shared[f"cache-{os.getpid()}"] = list(range(1000))


def _given(x):
    return os.getpid(), _STATE["given"]


def test_dask_each_worker_gets_its_own_copy_of_the_initializer_arguments(client):
    """A worker that caches into its arguments never changes what another worker receives
    (sending a dict that a task was filling failed with "dictionary changed size during
    iteration" and hung the run)."""
    client.wait_for_workers(2, timeout=120)
    with open_backend(scheduler=client) as be:
        out = be.map(_given, list(range(40)), initializer=_init_mutating,
                     initargs=({"table": 1},))
    assert len({pid for pid, _ in out}) == 2  # both workers took part
    assert all(given == ["table"] for _, given in out)


def test_executor_works_with_concurrent_futures_wait(backend):
    """The Executor view (for callers that submit as others finish) on every backend."""
    import concurrent.futures as cf

    with backend as be:
        ex = be.executor()
        if ex is None:
            assert be.kind == "serial"
            return
        try:
            futs = [ex.submit(_square, x) for x in range(6)]
            done, _ = cf.wait(futs, timeout=120)
            assert sorted(f.result() for f in done) == [x * x for x in range(6)]
        finally:
            ex.shutdown(wait=True)


def test_pool_gives_up_after_retries():
    with open_backend(2) as be, pytest.raises(WorkerLostError, match="died 2 times"):
        list(be.map_unordered(_always_die, [1, 2, 3], retries=1))


def test_task_error_is_not_retried(backend):
    with backend as be, pytest.raises(ZeroDivisionError, match="task 2"):
        be.map(_boom, list(range(5)))


def test_bad_options():
    with pytest.raises(ParameterError, match="jobs"):
        open_backend(0)
    with pytest.raises(ParameterError, match="dask_workers"):
        open_backend(dask_workers=0)
    with pytest.raises(ParameterError, match="one of --scheduler, --dask"):
        open_backend(scheduler="tcp://127.0.0.1:1", dask_workers=2)
    with pytest.raises(ParameterError, match="retries"):
        list(open_backend(1).map_unordered(_square, [1], retries=-1))


def test_unreachable_scheduler_is_a_parameter_error(monkeypatch):
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(ParameterError, match="reachable Dask scheduler"):
        open_backend(scheduler="tcp://127.0.0.1:9")


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DependencyError, match="dask"):
        open_backend(dask_workers=1)


def test_local_cluster_from_dask_workers_is_closed():
    with open_backend(dask_workers=1) as be:
        assert be.kind == "dask"
        assert be.n_workers == 1
        assert "Dask scheduler tcp://127.0.0.1" in be.describe()
        assert be.map(_square, [3]) == [9]
        client = be.client
    assert client.status == "closed"


def test_readme_slurm_example_renders_a_job_script():
    """The README's dask-jobqueue example is valid for the installed dask-jobqueue."""
    jobqueue = pytest.importorskip("dask_jobqueue")
    cluster = jobqueue.SLURMCluster(
        queue="cpu", cores=32, processes=32, memory="120GB", walltime="04:00:00",
        job_script_prologue=["source ~/sianode-venv/bin/activate", "export OMP_NUM_THREADS=1"],
        scheduler_options={"host": "127.0.0.1", "dashboard_address": None})
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    assert "#SBATCH -p cpu" in script
    assert "#SBATCH -t 04:00:00" in script
    assert "export OMP_NUM_THREADS=1" in script
    assert "--nthreads 1" in script
    assert "--nworkers 32" in script
