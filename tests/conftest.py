"""Shared pytest configuration: headless plots, no PyBaMM telemetry prompt, one torch thread."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _local_dask_cluster():
    """A 2-process Dask LocalCluster on loopback, no dashboard (tests of sianode.parallel)."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None,
                           scheduler_kwargs={"dashboard": False,
                                             "dashboard_address": "127.0.0.1:0"})
    return cluster, Client(cluster)



@pytest.fixture(scope="session")
def dask_client():
    """One LocalCluster (2 worker processes) for the session; stopped at the end."""
    pytest.importorskip("distributed")
    import dask

    # nannies restart killed workers; never let the cluster close a slow-to-restart one
    with dask.config.set({"distributed.deploy.lost-worker-timeout": "1 day"}):
        cluster, client = _local_dask_cluster()
        yield client
        client.close()
        cluster.close()
