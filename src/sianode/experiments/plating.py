"""Li plating/stripping metrics: nucleation overpotential, CCD, soft shorts, interlayer ICE.

Cells are Li-metal counter electrode against a host or current collector (``asymmetric``,
e.g. SUS/LiSi-C/SSE/Li of seed 004) or Li/Li (``symmetric``); plating on the working
electrode is its lithiation (:mod:`sianode.experiments.schema`). Voltages are cell voltages,
negative while Li is plated on the working electrode.

References
----------
Seed 004 (nucleation overpotential 1.5 mV with the LiSi-C interlayer vs 14.2 mV without,
Fig. 3a; ICE 96.4 % vs 89.4 % after subtracting the Si lithiation capacity 0.68 mAh/cm²,
Fig. 3c); seed 002 (CCD 10 mA/cm² at 10 mAh/cm², Fig. 3g; soft short, Fig. 5a).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from sianode.errors import InputError, ParameterError
from sianode.experiments.cycling import assign_cycles, cycle_capacities
from sianode.experiments.schema import CURRENT, TIME, VOLTAGE
from sianode.records import DictRecord
from sianode.units import ampere_seconds_to_mAh
from sianode.validation import FRACTION, NON_NEGATIVE, POSITIVE, Interval, check_params

__all__ = [
    "NucleationResult",
    "nucleation_overpotential",
    "CCDResult",
    "critical_current_density",
    "SoftShortReport",
    "detect_soft_short",
    "ice_after_interlayer",
]

_CONSTRAINTS = {
    "area_cm2": POSITIVE,
    "plateau_fraction": Interval(0.0, 1.0, left_closed=False),
    "spike_V": POSITIVE,
    "collapse_fraction": FRACTION,
    "noise_V": POSITIVE,
    "ce_limit": POSITIVE,
    "rel_tol": FRACTION,
    "lithiation_capacity": POSITIVE,
    "delithiation_capacity": NON_NEGATIVE,
    "interlayer_capacity": NON_NEGATIVE,
}


@dataclass(frozen=True)
class NucleationResult(DictRecord):
    """Voltage dip at the start of Li plating and the plateau after it.

    Attributes: ``dip_V``, ``plateau_V`` [V], ``overpotential_mV`` = |dip - plateau| [mV],
    ``dip_time_s`` [s] from the start of the plating segment.
    """

    dip_V: float
    plateau_V: float
    overpotential_mV: float
    dip_time_s: float


def _segments(lab: pd.DataFrame, direction: int) -> list[np.ndarray]:
    """Record positions of each uninterrupted run of ``direction``."""
    d = lab["direction"].to_numpy()
    idx = np.flatnonzero(d == direction)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1) + 1
    return np.split(idx, breaks)


def nucleation_overpotential(
    df: pd.DataFrame,
    cell: str = "asymmetric",
    *,
    segment: int = 0,
    plateau_fraction: float = 0.2,
) -> NucleationResult:
    """Nucleation overpotential: bottom of the voltage dip minus the following plateau.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series of a plating/stripping test.
    cell : {"asymmetric", "symmetric", "half", "full"}
        Cell type (plating = lithiation of the working electrode).
    segment : int
        Which plating segment (0 = the first, where nucleation happens).
    plateau_fraction : float
        The plateau is the median voltage over this fraction of the segment's duration,
        starting where the voltage has recovered from the dip (its maximum after the dip).

    Returns
    -------
    NucleationResult

    Raises
    ------
    InputError
        No plating segment ``segment`` in the data, or it has fewer than 5 records.

    References
    ----------
    Seed 004 Fig. 3a: "the difference between the bottom of the voltage dip and voltage
    plateau" (1.5 mV with LiSi-C, 14.2 mV for bare SUS).
    """
    check_params({"plateau_fraction": plateau_fraction}, _CONSTRAINTS)
    lab = assign_cycles(df, cell)
    segs = _segments(lab, 1)
    if segment >= len(segs) or segment < 0:
        raise InputError(f"no plating segment {segment}: the data hold {len(segs)}")
    pos = segs[segment]
    if pos.size < 5:
        raise InputError(f"plating segment {segment} has {pos.size} records; need >= 5")
    t = lab[TIME].to_numpy()[pos]
    v = lab[VOLTAGE].to_numpy()[pos]
    sign = 1.0 if np.median(v) < 0 else -1.0  # plating drives the voltage down
    w = -sign * v  # w > 0 grows with polarisation
    i_dip = int(np.argmax(w))
    after = w[i_dip:]
    # recovery: the minimum polarisation after the dip, within the first half of the rest
    half = max(1, after.size // 2)
    i_rec = i_dip + int(np.argmin(after[:half]))
    t_end = t[i_rec] + plateau_fraction * (t[-1] - t[0])
    win = (t >= t[i_rec]) & (t <= t_end)
    plateau = float(np.median(v[win]))
    dip = float(v[i_dip])
    return NucleationResult(dip_V=dip, plateau_V=plateau,
                            overpotential_mV=abs(dip - plateau) * 1e3,
                            dip_time_s=float(t[i_dip] - t[0]))


@dataclass(frozen=True)
class CCDResult:
    """Outcome of a stepped-current critical-current-density test.

    ``ccd_mA_cm2``: current density of the step at which the cell failed (None if none
    failed); ``areal_capacity_mAh_cm2``: capacity passed in that step; ``failure``:
    ``"spike"``, ``"short"`` or None; ``steps``: one dict per current step.
    """

    ccd_mA_cm2: float | None
    areal_capacity_mAh_cm2: float | None
    failure: str | None
    failed_step: int | None
    max_passed_mA_cm2: float | None
    steps: tuple[dict, ...]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["steps"] = [dict(s) for s in self.steps]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> CCDResult:
        return cls(**{**d, "steps": tuple(d["steps"])})


def _current_steps(cur: np.ndarray, rel_tol: float) -> np.ndarray:
    """Label runs of records at one signed current level (0 for rests)."""
    label = np.zeros(cur.size, dtype=int)
    k, ref = 0, None
    for i, c in enumerate(cur):
        if c == 0:
            continue
        if ref is None or np.sign(c) != np.sign(ref) or abs(c - ref) > rel_tol * abs(ref):
            k += 1
            ref = c
        label[i] = k
    return label


def critical_current_density(
    df: pd.DataFrame,
    area_cm2: float,
    *,
    spike_V: float = 0.5,
    collapse_fraction: float = 0.2,
    rel_tol: float = 0.02,
) -> CCDResult:
    """Critical current density from a stepped-current test.

    Each constant-current step (one sign, one level) is checked, in order, for a voltage
    spike (``|V|`` rises more than ``spike_V`` above the step's median ``|V|``) or a short
    (``|V|`` collapses below ``collapse_fraction`` of the step's median ``|V|`` for the last
    quarter of the step). The CCD is the current density of the first failing step.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    area_cm2 : float
        Electrode area [cm²] (never defaulted).
    spike_V : float
        Spike criterion [V].
    collapse_fraction : float
        Short criterion (fraction of the step's median polarisation).
    rel_tol : float
        Relative current tolerance defining one step.

    Returns
    -------
    CCDResult

    References
    ----------
    Seed 002 Fig. 3g ("at the end of the charge of the CCD test, a sharp voltage spike
    occurs ... a CCD of 10 mA cm⁻² at a capacity of 10 mAh cm⁻²").
    """
    check_params({"area_cm2": area_cm2, "spike_V": spike_V,
                  "collapse_fraction": collapse_fraction, "rel_tol": rel_tol}, _CONSTRAINTS)
    t = df[TIME].to_numpy(dtype=float)
    v = df[VOLTAGE].to_numpy(dtype=float)
    cur = df[CURRENT].to_numpy(dtype=float)
    thr = 1e-4 * float(np.max(np.abs(cur))) if cur.size else 0.0
    cur_q = np.where(np.abs(cur) > thr, cur, 0.0)
    label = _current_steps(cur_q, rel_tol)
    dt = np.r_[0.0, np.diff(t)]
    steps, failed, max_ok = [], None, None
    for k in range(1, label.max() + 1):
        pos = np.flatnonzero(label == k)
        if pos.size < 3:
            continue
        av = np.abs(v[pos])
        med = float(np.median(av))
        j_mA_cm2 = float(np.mean(np.abs(cur[pos])) * 1e3 / area_cm2)
        q = float(ampere_seconds_to_mAh(np.sum(np.abs(cur[pos]) * dt[pos]))) / area_cm2
        tail = av[-max(1, pos.size // 4):]
        failure = None
        if av.max() - med > spike_V:
            failure = "spike"
        elif med > 0 and np.all(tail < collapse_fraction * med) and av[: pos.size // 2].mean() > med:
            failure = "short"
        steps.append({"step": len(steps) + 1, "current_density_mA_cm2": j_mA_cm2,
                      "areal_capacity_mAh_cm2": q, "median_abs_voltage_V": med,
                      "failure": failure})
        if failure:
            failed = steps[-1]
            break
        max_ok = j_mA_cm2 if max_ok is None else max(max_ok, j_mA_cm2)
    if not steps:
        raise InputError("no constant-current step with >= 3 records in the data")
    return CCDResult(
        ccd_mA_cm2=failed["current_density_mA_cm2"] if failed else None,
        areal_capacity_mAh_cm2=failed["areal_capacity_mAh_cm2"] if failed else None,
        failure=failed["failure"] if failed else None,
        failed_step=failed["step"] if failed else None,
        max_passed_mA_cm2=max_ok,
        steps=tuple(steps),
    )


@dataclass(frozen=True)
class SoftShortReport:
    """Cycles flagged as (soft-)shorted and why.

    ``cycles``: flagged cycle numbers; ``reasons``: cycle -> list of reasons among
    ``"ce_above_limit"``, ``"voltage_noise"``, ``"voltage_collapse"``.
    """

    cycles: tuple[int, ...]
    reasons: dict

    @property
    def shorted(self) -> bool:
        return bool(self.cycles)

    def as_dict(self) -> dict:
        return {"cycles": list(self.cycles), "reasons": {str(k): v for k, v in
                                                           self.reasons.items()}}

    @classmethod
    def from_dict(cls, d: dict) -> SoftShortReport:
        return cls(tuple(d["cycles"]), {int(k): v for k, v in d["reasons"].items()})


def detect_soft_short(
    df: pd.DataFrame,
    cell: str,
    *,
    ce_limit: float = 1.0,
    noise_V: float = 0.005,
    collapse_fraction: float = 0.2,
) -> SoftShortReport:
    """Flag cycles with signs of a soft short.

    A cycle is flagged when its CE exceeds ``ce_limit`` (more charge returned than stored:
    only a parasitic electronic path through the separator supplies it), when the voltage noise during a
    constant-current segment (standard deviation of the point-to-point voltage change)
    exceeds ``noise_V``, or when the polarisation of a lithiation segment collapses below
    ``collapse_fraction`` of its median for the last quarter of the segment.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    cell : {"full", "half", "symmetric", "asymmetric"}
        Cell type.
    ce_limit : float
        CE above which a cycle is suspicious [fraction] (1.0 = 100 %).
    noise_V : float
        Voltage-noise criterion [V].
    collapse_fraction : float
        Voltage-collapse criterion (``symmetric``/``asymmetric`` cells, whose polarisation
        is the voltage itself).

    Returns
    -------
    SoftShortReport

    References
    ----------
    Seed 002 (soft short circuit of the Si-Li21Si5 ASSB, Fig. 5a); seed 004 (short-circuit
    of SUS/C/SSE/Li).
    """
    check_params({"ce_limit": ce_limit, "noise_V": noise_V,
                  "collapse_fraction": collapse_fraction}, _CONSTRAINTS)
    summary = cycle_capacities(df, cell)
    reasons: dict[int, list[str]] = {}
    for c, ce in zip(summary["cycle"], summary["coulombic_efficiency"], strict=True):
        if np.isfinite(ce) and ce > ce_limit:
            reasons.setdefault(int(c), []).append("ce_above_limit")
    lab = assign_cycles(df, cell)
    v = lab[VOLTAGE].to_numpy()
    cyc = lab["cycle"].to_numpy()
    for direction in (1, -1):
        for pos in _segments(lab, direction):
            if pos.size < 8:
                continue
            c = int(cyc[pos[0]])
            dv = np.diff(v[pos])
            if np.std(dv) > noise_V:
                reasons.setdefault(c, []).append("voltage_noise")
            if cell in ("symmetric", "asymmetric") and direction == 1:
                av = np.abs(v[pos])
                med = float(np.median(av))
                tail = av[-max(1, pos.size // 4):]
                if med > 0 and np.all(tail < collapse_fraction * med):
                    reasons.setdefault(c, []).append("voltage_collapse")
    reasons = {k: sorted(set(r)) for k, r in sorted(reasons.items())}
    return SoftShortReport(tuple(reasons), reasons)


def ice_after_interlayer(
    lithiation_capacity: float,
    delithiation_capacity: float,
    interlayer_capacity: float = 0.0,
) -> float:
    """ICE after subtracting the capacity spent lithiating an interlayer [fraction].

    ``ICE = Q_delithiation / (Q_lithiation - Q_interlayer)``; any consistent unit (mAh,
    mAh/cm²). The interlayer (e.g. Si in LiSi-C) is lithiated first and not delithiated
    above the stripping cut-off, so its capacity is not Li that could come back.

    Parameters
    ----------
    lithiation_capacity : float
        Total first lithiation (interlayer + Li plating).
    delithiation_capacity : float
        First delithiation (Li stripping).
    interlayer_capacity : float
        Capacity taken by the interlayer's lithiation.

    Raises
    ------
    ParameterError
        Negative values, or an interlayer capacity not smaller than the lithiation.

    References
    ----------
    Seed 004 Fig. 3c: Si portion 0.68 mAh/cm² subtracted; ICE 96.4 % (SUS/LiSi-C/SSE/Li) vs
    89.4 % (SUS/SSE/Li).

    Examples
    --------
    >>> round(ice_after_interlayer(0.68 + 2.55, 0.964 * 2.55, 0.68), 3)
    0.964
    """
    check_params({"lithiation_capacity": lithiation_capacity,
                  "delithiation_capacity": delithiation_capacity,
                  "interlayer_capacity": interlayer_capacity}, _CONSTRAINTS)
    net = lithiation_capacity - interlayer_capacity
    if net <= 0:
        raise ParameterError("interlayer_capacity", interlayer_capacity,
                             f"< lithiation_capacity ({lithiation_capacity:g})")
    return float(delithiation_capacity / net)

