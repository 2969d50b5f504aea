"""``--scheduler`` / ``--dask``: where the tasks of a batch command run (sianode.parallel)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_backend_arguments", "backend_from_args"]


def add_backend_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the mutually exclusive ``--scheduler ADDRESS`` and ``--dask N`` options."""
    g = parser.add_argument_group("running on a Dask cluster (extra 'dask')")
    x = g.add_mutually_exclusive_group()
    x.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run the tasks on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 "
                        "(every worker needs the same sianode installed)")
    x.add_argument("--dask", type=int, metavar="N", default=None,
                   help="start a local Dask cluster of N worker processes for this run")


def backend_from_args(args: argparse.Namespace, jobs: int = 1, jobs_flag: str = "--jobs"
                      ) -> Any:
    """The :class:`sianode.parallel.Backend` the options ask for (a context manager).

    ``jobs`` is the local process count (named ``jobs_flag`` in errors).
    """
    from sianode.errors import ParameterError
    from sianode.parallel import open_backend

    if jobs < 1:
        raise ParameterError(jobs_flag, jobs, "a number of local processes >= 1")
    if args.dask is not None and args.dask < 1:
        raise ParameterError("--dask", args.dask, "a number of worker processes >= 1")
    if args.scheduler is not None and not args.scheduler.strip():
        raise ParameterError("--scheduler", args.scheduler,
                             "a Dask scheduler address such as tcp://10.0.0.5:8786")
    return open_backend(jobs, scheduler=args.scheduler, dask_workers=args.dask)
