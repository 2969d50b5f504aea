"""Barrier -> diffusivity ratio, and strain scans of the Li migration barrier.

With an unchanged prefactor (transition-state theory, same attempt frequency and hop
length), D(s)/D(0) = exp(-(Ea(s) - Ea(0)) / (k_B T)).

References
----------
Seed 001, Fig. 3b (0.4 -> 0.8 eV from 5 % to 10 % compression; D drops by ~1e7 at 300 K).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sianode.errors import ParameterError, UnknownNameError
from sianode.units import BOLTZMANN_EV_K
from sianode.validation import Interval, OneOf, check_params

if TYPE_CHECKING:  # pragma: no cover
    from sianode.kinetics.scan import StrainTask

__all__ = ["diffusivity_ratio", "strain_scan", "scan_points", "check_scan_inputs"]

_T = {"temperature_K": Interval(0, 10000.0, left_closed=False, allow_array=False)}
#: Declared ranges of every scan input (checked before any model is loaded).
SCAN_CONSTRAINTS = {
    **_T,
    "strain": Interval(-0.5, 0.5, left_closed=False, right_closed=False),
    "shear_deg": Interval(30.0, 150.0, allow_array=False),
    "supercell": Interval(1, 6),
    "n_images": Interval(1, 25, allow_array=False),
    "fmax": Interval(0, 5.0, left_closed=False, allow_array=False),
    "max_steps": Interval(1, 100000, allow_array=False),
    "jobs": Interval(1, 64, allow_array=False),
    "strain_kind": OneOf("strain kind", ("linear", "volume")),
    "method": OneOf("barrier method", ("neb", "saddle")),
}


def diffusivity_ratio(barrier_eV: float, reference_barrier_eV: float,
                      temperature_K: float = 300.0) -> float:
    """D/D_ref = exp(-(Ea - Ea_ref) / (k_B T)), same prefactor.

    Parameters
    ----------
    barrier_eV, reference_barrier_eV : float
        Migration barriers [eV].
    temperature_K : float
        Temperature [K].

    Returns
    -------
    float
        Ratio of diffusivities (dimensionless).

    Raises
    ------
    ParameterError
        Non-positive temperature or non-finite barriers.

    References
    ----------
    Seed 001, Fig. 3b.

    Examples
    --------
    >>> f"{diffusivity_ratio(0.8, 0.4, 300.0):.2e}"
    '1.92e-07'
    """
    check_params({"temperature_K": temperature_K, "barrier_eV": barrier_eV,
                  "reference_barrier_eV": reference_barrier_eV},
                 {**_T, "barrier_eV": Interval(allow_array=False),
                  "reference_barrier_eV": Interval(allow_array=False)})
    return math.exp(-(barrier_eV - reference_barrier_eV) / (BOLTZMANN_EV_K * temperature_K))


def scan_points(strains: Sequence[float], shear_deg: float | None = None
                ) -> list[tuple[float, float | None]]:
    """(strain, shear) points of a scan: every strain unsheared, plus sheared if asked.

    With ``shear_deg`` each non-zero strain gets a second, sheared point (seed 001: 5 %
    compression with gamma = 80 deg).
    """
    points: list[tuple[float, float | None]] = [(float(s), None) for s in strains]
    if shear_deg is not None:
        points += [(float(s), float(shear_deg)) for s in strains if s != 0]
    return points


def check_scan_inputs(
    host: Any,
    strains: Sequence[float],
    *,
    shear_deg: float | None = None,
    temperature_K: float = 300.0,
    sites: Any = None,
    supercell: Sequence[int] = (2, 2, 2),
    n_images: int = 5,
    fmax: float = 0.05,
    max_steps: int = 200,
    strain_kind: str = "linear",
    method: str = "neb",
    jobs: int = 1,
    potential: str | None = None,
) -> None:
    """Check every input of a strain scan without loading a model or a structure library.

    Raises
    ------
    ParameterError
        A value outside its declared range (:data:`SCAN_CONSTRAINTS`), an empty strain
        list, malformed ``sites``, or no ``sites`` for a host that is not diamond.
    UnknownNameError
        Unknown host name (not registered and not an existing file), strain kind, method
        or potential.
    """
    import os

    import numpy as np

    from sianode.materials.structures_lisi import ALL_PHASES

    strains = list(strains)
    if not strains:
        raise ParameterError("strain", strains, "at least one compressive strain")
    check_params({"temperature_K": temperature_K, "strain": strains, "shear_deg": shear_deg,
                  "supercell": list(supercell), "n_images": n_images, "fmax": fmax,
                  "max_steps": max_steps, "jobs": jobs, "strain_kind": strain_kind,
                  "method": method}, SCAN_CONSTRAINTS)
    if len(supercell) != 3 or any(int(n) != n for n in supercell):
        raise ParameterError("supercell", list(supercell), "three integers in [1, 6]")
    for name, value in (("n_images", n_images), ("max_steps", max_steps), ("jobs", jobs)):
        if int(value) != value:
            raise ParameterError(name, value, "an integer")
    if potential is not None:
        from sianode.materials.calculators import potential_info

        potential_info(potential)
    diamond = False
    if isinstance(host, str):
        if host in ALL_PHASES:
            rec = ALL_PHASES[host]
            diamond = (rec.spacegroup == 227 and len(rec.sites) == 1
                       and rec.sites[0][1] == "8a")
        elif os.path.exists(host) or os.sep in host:
            from sianode.validation import check_input_file

            check_input_file(host, "host")  # a folder, unreadable or empty file: PathError
        else:
            raise UnknownNameError("host (registered structure or structure file)", host,
                                   ALL_PHASES)
    if sites is None:
        if not diamond and isinstance(host, str):
            raise ParameterError("sites", None, f"two fractional sites for non-diamond host {host}")
        return
    arr = np.asarray(sites, dtype=float)
    if arr.shape != (2, 3) or not np.all(np.isfinite(arr)) or not np.all((arr >= 0) & (arr <= 1)):
        raise ParameterError("sites", np.asarray(sites).tolist(),
                             "two fractional (x, y, z) sites in [0, 1]")


def strain_tasks(
    host: Any,
    strains: Sequence[float],
    shear_deg: float | None = None,
    **options: Any,
) -> list[StrainTask]:
    """The independent strain-state tasks of a scan (see :mod:`sianode.kinetics.scan`)."""
    from sianode.kinetics.scan import StrainTask

    return [StrainTask(i, s, g, host, dict(options))
            for i, (s, g) in enumerate(scan_points(strains, shear_deg))]


def strain_scan(
    host: Any = "Si",
    strains: Sequence[float] = (0.0, 0.05, 0.10),
    *,
    shear_deg: float | None = None,
    temperature_K: float = 300.0,
    calculator: Any = None,
    progress: bool = True,
    jobs: int = 1,
    warm_start: bool = True,
    executor: Any = None,
    backend: Any = None,
    **neb_kwargs: Any,
) -> dict[str, Any]:
    """Li migration barriers over strains (and shear) with diffusivity ratios to strain 0.

    Parameters
    ----------
    host : str, Structure, Atoms or path
        Host (see :func:`sianode.kinetics.neb.li_migration_barrier`).
    strains : sequence of float
        Compressive strains [fraction]; the first unsheared point with strain 0 is the
        reference (if absent, the first point is).
    shear_deg : float, optional
        Adds a sheared point (gamma [deg]) for each non-zero strain; sheared points always
        use the NEB.
    temperature_K : float
        Temperature of the diffusivity ratio [K].
    calculator : ase Calculator or str, optional
        Registered potential name (default 7net-0; loaded once per worker process) or a
        calculator object (runs in this process).
    progress : bool
        tqdm bar on stderr: steps, max force per band, ETA.
    jobs : int
        Worker processes for the strain states (1 = in this process).
    warm_start : bool
        Start each band from the converged band of the nearest finished strain state.
    executor : concurrent.futures.Executor, optional
        Where to run the strain-state tasks instead of a local pool.
    backend : sianode.parallel.Backend, optional
        Where the strain states run (:func:`sianode.parallel.open_backend`): on a Dask
        backend one task per state on its workers (a named potential is loaded once per
        worker process; a calculator object must pickle); a local backend sets ``jobs``.
    **neb_kwargs
        Passed on (``method``, ``strain_kind``, ``relax_host``, ``n_images``, ``sites``,
        ``supercell``, ``fmax``, ``max_steps``, ``optimizer``...).

    Returns
    -------
    dict
        ``{"host", "temperature_K", "reference", "points": [{"strain", "shear_deg",
        "barrier_eV", "diffusivity_ratio", "status", "method", "force_calls", ...}],
        "force_calls", "wall_s", "jobs"}``; a point whose host changed has ``barrier_eV``
        and ``diffusivity_ratio`` None.

    References
    ----------
    Seed 001, Fig. 3b.
    """
    import time

    from sianode.kinetics.hosts import resolve_sites
    from sianode.kinetics.scan import run_scan, scan_summary

    t0 = time.perf_counter()
    opts = {k: v for k, v in neb_kwargs.items() if v is not None}
    check_scan_inputs(host, strains, shear_deg=shear_deg, temperature_K=temperature_K,
                      jobs=jobs, **{k: v for k, v in opts.items() if k in _CHECKED})
    name, _ = resolve_sites(host, opts.get("sites"))  # fail before any expensive work
    if calculator is None:
        from sianode.materials.calculators import DEFAULT_POTENTIAL

        calculator = DEFAULT_POTENTIAL
    if isinstance(calculator, str):
        opts["potential"] = calculator
    tasks = strain_tasks(host, strains, shear_deg, **opts)
    if backend is not None and executor is None:
        jobs = max(1, int(backend.n_workers))
        if backend.kind == "dask":
            executor = backend.executor()
    results = run_scan(tasks, calculator=calculator, jobs=jobs, warm_start=warm_start,
                       progress=progress, executor=executor)
    ref = next((r for r in results if r.strain == 0 and r.shear_deg is None), results[0])
    points = []
    for r in results:
        d = r.as_dict()
        ok = r.barrier_eV is not None and ref.barrier_eV is not None
        d["diffusivity_ratio"] = (diffusivity_ratio(r.barrier_eV, ref.barrier_eV, temperature_K)
                                  if ok else None)
        points.append(d)
    return {"host": name, "temperature_K": temperature_K,
            "reference": {"strain": ref.strain, "shear_deg": ref.shear_deg}, "points": points,
            **scan_summary(results), "wall_s": time.perf_counter() - t0, "jobs": int(jobs)}


_CHECKED = ("sites", "supercell", "n_images", "fmax", "max_steps", "strain_kind", "method")
