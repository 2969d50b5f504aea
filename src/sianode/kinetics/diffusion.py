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

from sianode.units import BOLTZMANN_EV_K
from sianode.validation import Interval, check_params

if TYPE_CHECKING:  # pragma: no cover
    from sianode.kinetics.neb import MigrationResult

__all__ = ["diffusivity_ratio", "strain_scan", "scan_points"]

_T = {"temperature_K": Interval(0, None, left_closed=False, allow_array=False)}


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


def strain_scan(
    host: Any = "Si",
    strains: Sequence[float] = (0.0, 0.05, 0.10),
    *,
    shear_deg: float | None = None,
    temperature_K: float = 300.0,
    calculator: Any = None,
    progress: bool = True,
    **neb_kwargs: Any,
) -> dict[str, Any]:
    """Li migration barriers over strains (and shear) with diffusivity ratios to strain 0.

    Parameters
    ----------
    host : str, Structure, Atoms or path
        Host (see :func:`sianode.kinetics.neb.li_migration_barrier`).
    strains : sequence of float
        Compressive strains; the first unsheared point with strain 0 is the reference
        (if absent, the first point is).
    shear_deg : float, optional
        Adds a sheared point (gamma [deg]) for each non-zero strain.
    temperature_K : float
        Temperature of the diffusivity ratio [K].
    calculator : ase Calculator or str, optional
        Default :data:`~sianode.materials.calculators.DEFAULT_POTENTIAL`, built once.
    progress : bool
        tqdm bar on stderr.
    **neb_kwargs
        Passed on (``strain_kind``, ``relax_host``, ``n_images``, ``sites``...).

    Returns
    -------
    dict
        ``{"host", "temperature_K", "reference", "points": [{"strain", "shear_deg",
        "barrier_eV", "diffusivity_ratio", "status", ...}]}``; a point whose host changed
        has ``barrier_eV`` and ``diffusivity_ratio`` None.

    References
    ----------
    Seed 001, Fig. 3b.
    """
    import sys

    from tqdm import tqdm

    from sianode.kinetics.neb import li_migration_barrier, prepare_host, resolve_sites
    from sianode.materials.calculators import DEFAULT_POTENTIAL, get_calculator

    check_params({"temperature_K": temperature_K}, _T)
    resolve_sites(host, neb_kwargs.get("sites"))  # fail before any expensive work
    if calculator is None or isinstance(calculator, str):
        calculator = get_calculator(calculator or DEFAULT_POTENTIAL)
    cell = prepare_host(host, calculator)
    results: list[MigrationResult] = []
    for s, g in tqdm(scan_points(strains, shear_deg), desc="NEB", disable=not progress,
                     file=sys.stderr):
        results.append(li_migration_barrier(host, calculator, strain=s, shear_deg=g,
                                            host_cell=cell, **neb_kwargs))
    ref = next((r for r in results if r.strain == 0 and r.shear_deg is None), results[0])
    points = []
    for r in results:
        d = r.as_dict()
        ok = r.barrier_eV is not None and ref.barrier_eV is not None
        d["diffusivity_ratio"] = (diffusivity_ratio(r.barrier_eV, ref.barrier_eV, temperature_K)
                                  if ok else None)
        points.append(d)
    return {"host": results[0].host, "temperature_K": temperature_K,
            "reference": {"strain": ref.strain, "shear_deg": ref.shear_deg}, "points": points}
