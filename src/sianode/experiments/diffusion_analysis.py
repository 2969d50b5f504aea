"""PITT and GITT of a whole record (the BDF frame every reader returns) as frozen results.

:func:`analyze_pitt` splits a potentiostatic staircase into steps and fits each
(:func:`~sianode.experiments.diffusion.pitt_steps`); :func:`analyze_gitt` finds the
current pulses and applies Weppner-Huggins to each
(:func:`~sianode.experiments.diffusion.gitt_pulses`). Both take the tidy time series of
:mod:`sianode.experiments.schema`, so every format and column map that ``analyze cycling``
reads works here too, and return a dataclass with ``as_dict``/``from_dict``.

References
----------
Wen, Boukamp & Huggins, J. Electrochem. Soc. 126, 2258 (1979); Weppner & Huggins,
J. Electrochem. Soc. 124, 1569 (1977); seed 002 Methods and Fig. 3f.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from sianode.errors import ComputationError
from sianode.experiments.diffusion import gitt_diffusion_length_cm, gitt_pulses, pitt_steps
from sianode.experiments.schema import CURRENT, TIME, VOLTAGE

__all__ = ["PITTAnalysis", "GITTAnalysis", "analyze_pitt", "analyze_gitt",
           "GITT_MAX_TAU_D_OVER_L2"]

#: Weppner-Huggins needs tau << L^2 / D (semi-infinite diffusion during the pulse). With its own
#: D, tau * D / L^2 = (4 / pi) (dEs / dEt)^2, so a pulse above this value (|dEs / dEt| > 0.63)
#: has reached across the particle or film and its D is not meaningful: such pulses are warned
#: about (a galvanostatic cycling file read as GITT gives about 1.1 on every pulse).
GITT_MAX_TAU_D_OVER_L2 = 0.5


def _finite(rows: list[dict], what: str) -> tuple[dict, ...]:
    for r in rows:
        d = r["diffusion_coefficient_cm2_s"]
        if not math.isfinite(d):
            raise ComputationError(f"{what} {r.get('step', r.get('pulse'))}: the diffusion "
                                   f"coefficient overflows ({d!r}); check the length and units")
    return tuple(dict(r) for r in rows)


@dataclass(frozen=True)
class PITTAnalysis:
    """D per potential step of a PITT record.

    ``steps``: one dict per step (``step``, ``voltage_V``, ``duration_s``, ``charge_C``,
    ``diffusion_coefficient_cm2_s``, ``r_squared``); lengths in µm, D in cm²/s.
    """

    diffusion_length_um: float
    geometry: str
    method: str
    min_step_mV: float
    steps: tuple[dict, ...]
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["steps"] = [dict(s) for s in self.steps]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PITTAnalysis:
        return cls(**{**d, "steps": tuple(d["steps"])})


@dataclass(frozen=True)
class GITTAnalysis:
    """Weppner-Huggins D per current pulse of a GITT record.

    ``pulses``: one dict per pulse (``pulse``, ``start_s``, ``duration_s``, ``current_A``,
    ``voltage_V``, ``delta_Es_V``, ``delta_Et_V``, ``diffusion_coefficient_cm2_s``).
    ``warnings``: pulses outside the method's validity (:data:`GITT_MAX_TAU_D_OVER_L2`).
    """

    diffusion_length_um: float
    pulses: tuple[dict, ...]
    source: str | None = None
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["pulses"] = [dict(p) for p in self.pulses]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GITTAnalysis:
        return cls(**{**d, "pulses": tuple(d["pulses"]),
                      "warnings": tuple(d.get("warnings", ()))})


def analyze_pitt(df: pd.DataFrame, *, diffusion_length_um: float, geometry: str = "planar",
                 method: str = "long_time", min_step_mV: float = 0.5,
                 source: str | None = None) -> PITTAnalysis:
    """PITT of a tidy record: D per step (see :func:`~sianode.experiments.diffusion.pitt_steps`).

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series (``test_time_second``, ``voltage_volt``, ``current_ampere``).
    diffusion_length_um : float
        Film thickness (planar) or particle radius (sphere) [µm].
    geometry, method, min_step_mV
        As :func:`~sianode.experiments.diffusion.pitt_steps`.
    source : str, optional
        File name recorded in the result.

    Returns
    -------
    PITTAnalysis

    References
    ----------
    Wen, Boukamp & Huggins (1979), Eqs. 11-13.
    """
    steps = pitt_steps(df[TIME].to_numpy(dtype=float), df[VOLTAGE].to_numpy(dtype=float),
                       df[CURRENT].to_numpy(dtype=float),
                       diffusion_length_cm=diffusion_length_um * 1e-4, geometry=geometry,
                       min_step_mV=min_step_mV, method=method)
    return PITTAnalysis(diffusion_length_um, geometry, method, min_step_mV,
                        _finite(steps, "PITT step"), source)


def analyze_gitt(df: pd.DataFrame, *, source: str | None = None, **geometry: float | None
                 ) -> GITTAnalysis:
    """GITT of a tidy record: Weppner-Huggins D per pulse.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    **geometry
        ``diffusion_length_cm``, or ``molar_volume_cm3_mol``, ``active_mass_g``,
        ``molar_mass_g_mol`` and ``area_cm2`` (see
        :func:`~sianode.experiments.diffusion.gitt_diffusion_length_cm`).
    source : str, optional
        File name recorded in the result.

    Returns
    -------
    GITTAnalysis

    References
    ----------
    Weppner & Huggins (1977), Eq. 32.
    """
    length = gitt_diffusion_length_cm(**geometry)
    pulses = gitt_pulses(df[TIME].to_numpy(dtype=float), df[VOLTAGE].to_numpy(dtype=float),
                         df[CURRENT].to_numpy(dtype=float), diffusion_length_cm=length)
    pulses = _finite(pulses, "GITT pulse")
    bad = [p["pulse"] for p in pulses
           if p["delta_Et_V"] and 4 / math.pi * (p["delta_Es_V"] / p["delta_Et_V"]) ** 2
           > GITT_MAX_TAU_D_OVER_L2]
    warnings = () if not bad else (
        f"{len(bad)} of {len(pulses)} pulses ({', '.join(map(str, bad[:10]))}"
        f"{', ...' if len(bad) > 10 else ''}) have |dEs/dEt| > "
        f"{math.sqrt(GITT_MAX_TAU_D_OVER_L2 * math.pi / 4):.2f}, i.e. tau > "
        f"{GITT_MAX_TAU_D_OVER_L2:g} L^2/D: Weppner-Huggins needs tau << L^2/D (short pulses "
        "with relaxation); their D is not meaningful (is this a GITT record?)",)
    return GITTAnalysis(length * 1e4, pulses, source, warnings)
