"""Per-cycle capacities, coulombic efficiency, retention and rate capability.

Everything is counted for the *working electrode* (:mod:`sianode.experiments.schema`): a
cycle is one lithiation followed by one delithiation, whatever the cycler calls them, and
``CE = Q_delithiation / Q_lithiation`` of the same cycle (Si half cell: charge/discharge
swapped with respect to a full cell; Li plating cells: stripping/plating).

Capacities are integrated from the current, ``dQ_i = I_i (t_i - t_{i-1})``: a record's
current is the current that flowed since the previous record, which is how cyclers log
(their capacity counters agree with this sum; see the Arbin golden test). Records whose
``|I|`` is below ``current_threshold_A`` are rest. Cycles are the instrument's where the
file has consistent cycle numbers, else derived from the current sign, and pulses or EIS
steps never start one (:mod:`sianode.experiments.cycle_labels`).

Every cycle row says whether the cycle is ``complete`` and, if not, why (``status``):
delithiation before the first lithiation, a half missing (or only short pulses/EIS
steps), or a test stopped during its last half. Incomplete cycles stay in the table but
are left out of ICE, CE statistics, retention, cycles-to-threshold and the rate table
(:func:`analyze_cycling`).

References
----------
Seed 002 (ICE, retention 80 % after 183 cycles, CE 99.86 % ± 0.0048 over that window);
seed 003 (average CE, retention after 500 cycles); seed 001 (Arbin cycling metrics).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sianode.errors import ComputationError, InputError, ParameterError
from sianode.experiments.cycle_labels import (
    CycleLabels,
    label_cycles,
    pulse_only_cycles_incomplete,
)
from sianode.experiments.schema import CURRENT, TIME, require_metadata
from sianode.units import ampere_seconds_to_mAh
from sianode.validation import FRACTION, POSITIVE, Interval, check_params

__all__ = [
    "assign_cycles",
    "cycle_capacities",
    "initial_coulombic_efficiency",
    "capacity_retention",
    "cycles_to_threshold",
    "ce_statistics",
    "rate_capability",
    "specific_capacity_mAh_g",
    "areal_capacity_mAh_cm2",
    "complete_cycles",
    "STOPPED_FRACTION",
]

#: a last half below this fraction of the previous cycle's, or ending more than 10 % of the
#: voltage swing short of the previous cut-off, with the file ending inside it, is a test
#: stopped mid-half
STOPPED_FRACTION = 0.5

_CONSTRAINTS = {
    "mass_mg": POSITIVE,
    "area_cm2": POSITIVE,
    "current_threshold_A": Interval(0.0, None),
    "threshold": Interval(0.0, 1.0, left_closed=False),
    "rel_tol": FRACTION,
}


def assign_cycles(
    df: pd.DataFrame, cell: str, *, current_threshold_A: float | None = None,
    labels: CycleLabels | None = None,
) -> pd.DataFrame:
    """Label each record with its working-electrode direction, cycle and segment.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    cell : {"full", "half", "symmetric", "asymmetric"}
        Decides which current sign lithiates the working electrode.
    current_threshold_A : float, optional
        ``|I|`` [A] at or below which a record is rest; default 1e-4 of the peak ``|I|``.
    labels : CycleLabels, optional
        Labels already computed by :func:`~sianode.experiments.cycle_labels.label_cycles`.

    Returns
    -------
    pandas.DataFrame
        A copy with ``direction`` (+1 lithiation, -1 delithiation, 0 rest), ``cycle``
        (instrument's or derived, see :mod:`~sianode.experiments.cycle_labels`) and
        ``segment`` (consecutive records of one direction, rests joined to the preceding
        segment).

    References
    ----------
    Module docstring; :mod:`sianode.experiments.schema` sign table.
    """
    lab = labels or label_cycles(df, cell, current_threshold_A=current_threshold_A)
    out = df.copy()
    out["direction"] = lab.direction.astype(np.int64)
    out["cycle"] = lab.cycle
    out["segment"] = lab.segment.astype(np.int64)
    return out


def cycle_capacities(
    df: pd.DataFrame,
    cell: str,
    *,
    mass_mg: float | None = None,
    area_cm2: float | None = None,
    current_threshold_A: float | None = None,
    labels: CycleLabels | None = None,
) -> pd.DataFrame:
    """Lithiation and delithiation capacity and CE of each cycle.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    cell : {"full", "half", "symmetric", "asymmetric"}
        Cell type (sign table in :mod:`sianode.experiments.schema`).
    mass_mg : float, optional
        Active mass of the working electrode [mg]; adds ``*_mAh_g`` columns.
    area_cm2 : float, optional
        Electrode area [cm²]; adds ``*_mAh_cm2`` columns and current densities.
    current_threshold_A : float, optional
        Rest threshold [A] (see :func:`assign_cycles`).
    labels : CycleLabels, optional
        Labels from :func:`~sianode.experiments.cycle_labels.label_cycles` (computed if not
        given).

    Returns
    -------
    pandas.DataFrame
        One row per cycle holding charge: ``cycle``, ``lithiation_capacity_mAh``,
        ``delithiation_capacity_mAh``, ``coulombic_efficiency`` (fraction; NaN without a
        lithiation), ``lithiation_current_A``/``delithiation_current_A`` (mean ``|I|``,
        time-weighted), ``complete`` and ``status`` (module docstring), and the
        specific/areal columns when mass/area are given.

    Raises
    ------
    ParameterError
        Non-positive mass or area.
    EmptySourceError
        No lithiation or delithiation at all (no current above the threshold).

    References
    ----------
    Module docstring; seed 002 (per-cycle capacity and CE, Fig. 5f).
    """
    check_params({"mass_mg": mass_mg, "area_cm2": area_cm2}, _CONSTRAINTS)
    lab = labels or label_cycles(df, cell, current_threshold_A=current_threshold_A)
    t = df[TIME].to_numpy(dtype=float)
    cur = df[CURRENT].to_numpy(dtype=float)
    dt = np.r_[0.0, np.diff(t)]
    dq = np.abs(cur) * dt
    d = lab.direction
    if not (d != 0).any():
        from sianode.errors import EmptySourceError

        raise EmptySourceError("no lithiation or delithiation: every |current| is at or "
                               f"below the rest threshold ({lab.threshold_A:.3g} A)")
    uniq, cyc = np.unique(lab.cycle, return_inverse=True)
    n = uniq.size
    q_l = np.bincount(cyc, weights=np.where(d == 1, dq, 0.0), minlength=n)
    q_d = np.bincount(cyc, weights=np.where(d == -1, dq, 0.0), minlength=n)
    t_l = np.bincount(cyc, weights=np.where(d == 1, dt, 0.0), minlength=n)
    t_d = np.bincount(cyc, weights=np.where(d == -1, dt, 0.0), minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        ce = np.where(q_l > 0, q_d / q_l, np.nan)
        i_l = np.where(t_l > 0, q_l / t_l, np.nan)
        i_d = np.where(t_d > 0, q_d / t_d, np.nan)
    v = df["voltage_volt"].to_numpy(dtype=float)
    status = _status(q_l, q_d, d, cyc, n, v)
    res = pd.DataFrame({
        "cycle": uniq.astype(np.int64),
        "lithiation_capacity_mAh": ampere_seconds_to_mAh(q_l),
        "delithiation_capacity_mAh": ampere_seconds_to_mAh(q_d),
        "coulombic_efficiency": ce,
        "lithiation_current_A": i_l,
        "delithiation_current_A": i_d,
        "complete": [x == "complete" for x in status],
        "status": status,
    })
    res = res[(q_l > 0) | (q_d > 0)].reset_index(drop=True)
    # a half that is only pulses/EIS steps does not make a cycle complete (module docstring)
    res = pulse_only_cycles_incomplete(res, df, lab)
    if mass_mg is not None:
        g = mass_mg * 1e-3
        res["lithiation_capacity_mAh_g"] = res["lithiation_capacity_mAh"] / g
        res["delithiation_capacity_mAh_g"] = res["delithiation_capacity_mAh"] / g
    if area_cm2 is not None:
        res["lithiation_capacity_mAh_cm2"] = res["lithiation_capacity_mAh"] / area_cm2
        res["delithiation_capacity_mAh_cm2"] = res["delithiation_capacity_mAh"] / area_cm2
        res["lithiation_current_mA_cm2"] = res["lithiation_current_A"] * 1e3 / area_cm2
        res["delithiation_current_mA_cm2"] = res["delithiation_current_A"] * 1e3 / area_cm2
    return res.reset_index(drop=True)


def _half_end_voltage(d: np.ndarray, cyc: np.ndarray, v: np.ndarray, k: int,
                      direction: int) -> float:
    pos = np.flatnonzero((cyc == k) & (d == direction))
    return float(v[pos[-1]]) if pos.size else float("nan")


def _status(q_l: np.ndarray, q_d: np.ndarray, d: np.ndarray, cyc: np.ndarray,
            n: int, v: np.ndarray) -> list[str]:
    """Completeness of each cycle (index into the sorted unique cycles)."""
    out = []
    has_lith = np.flatnonzero(q_l > 0)
    first_lith = int(has_lith[0]) if has_lith.size else n
    active = np.flatnonzero(d != 0)
    for k in range(n):
        if q_l[k] > 0 and q_d[k] > 0:
            out.append("complete")
        elif q_l[k] > 0:
            out.append("no delithiation (test ended)" if k == n - 1 else "no delithiation")
        elif q_d[k] > 0:
            out.append("delithiation before the first lithiation" if k < first_lith
                       else "no lithiation")
        else:
            out.append("rest only")
    last = n - 1
    if out and out[last] == "complete" and active.size and n > 1:
        last_dir = int(d[active[-1]])  # the half the file ends in
        ended_in_rest = active[-1] < d.size - 1
        prev = [k for k in range(last) if out[k] == "complete"]
        if prev and not ended_in_rest:
            q_now = q_l[last] if last_dir == 1 else q_d[last]
            q_ref = q_l[prev[-1]] if last_dir == 1 else q_d[prev[-1]]
            # the previous half ended at the cut-off; this one stops short of it
            v_ref = _half_end_voltage(d, cyc, v, prev[-1], last_dir)
            v_start = _half_end_voltage(d, cyc, v, prev[-1], -last_dir)
            v_now = _half_end_voltage(d, cyc, v, last, last_dir)
            swing = abs(v_ref - v_start)
            short_of_cutoff = swing > 0 and abs(v_now - v_ref) > 0.1 * swing
            if q_ref > 0 and (q_now < STOPPED_FRACTION * q_ref or short_of_cutoff):
                half = "lithiation" if last_dir == 1 else "delithiation"
                out[last] = (f"stopped during {half} ({100 * q_now / q_ref:.0f} % of cycle "
                             "before)")
    return out


def complete_cycles(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`cycle_capacities` whose cycle is complete."""
    if "complete" not in summary.columns:
        return summary
    return summary[summary["complete"].to_numpy(dtype=bool)]


def _row(summary: pd.DataFrame, cycle: int, what: str) -> pd.Series:
    hit = summary[summary["cycle"] == cycle]
    if hit.empty:
        raise ParameterError(what, cycle, f"a cycle present in the data "
                             f"({int(summary['cycle'].min())}..{int(summary['cycle'].max())})")
    return hit.iloc[0]


def initial_coulombic_efficiency(summary: pd.DataFrame) -> float:
    """ICE: the CE of cycle 1 (first lithiation and the delithiation after it) [fraction].

    References
    ----------
    Seed 002 (ICE 97.69 % vs 92.74 %, Fig. 5a); seed 004 (ICE 92.0 % vs 86.5 %).
    """
    return float(_row(summary, 1, "cycle")["coulombic_efficiency"])


def capacity_retention(
    summary: pd.DataFrame,
    reference_cycle: int = 1,
    column: str = "delithiation_capacity_mAh",
) -> pd.Series:
    """Capacity of every cycle over that of ``reference_cycle`` [fraction].

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`cycle_capacities`.
    reference_cycle : int
        The cycle taken as 100 % (papers often use cycle 1 or the first cycle after
        formation; always state it).
    column : str
        Capacity column (default the reversible, delithiation capacity).

    Returns
    -------
    pandas.Series
        Retention indexed by cycle.

    Raises
    ------
    ParameterError
        ``reference_cycle`` is not in the data; ``column`` unknown.
    ComputationError
        The reference capacity is zero.

    References
    ----------
    Seed 002 (80 % after 183 cycles, 54.9 % after 1000); seed 003 (80 % after 500 cycles).
    """
    if column not in summary.columns:
        raise ParameterError("column", column, f"one of {list(summary.columns)}")
    ref = float(_row(summary, reference_cycle, "reference_cycle")[column])
    if ref <= 0:
        raise ComputationError(f"reference cycle {reference_cycle} has zero {column}")
    return pd.Series(summary[column].to_numpy() / ref, index=summary["cycle"].to_numpy(),
                     name="retention")


def cycles_to_threshold(
    summary: pd.DataFrame,
    threshold: float = 0.8,
    reference_cycle: int = 1,
    column: str = "delithiation_capacity_mAh",
) -> int | None:
    """First cycle after ``reference_cycle`` whose retention is at or below ``threshold``.

    Returns
    -------
    int or None
        The cycle number (e.g. seed 002's "80 % (183 cycles)"); None if never reached.

    References
    ----------
    Seed 002 (cycles to 80 %: 183).
    """
    check_params({"threshold": threshold}, _CONSTRAINTS)
    ret = capacity_retention(summary, reference_cycle, column)
    after = ret[ret.index > reference_cycle]
    hit = after[after <= threshold + 1e-12]
    return int(hit.index[0]) if len(hit) else None


def ce_statistics(summary: pd.DataFrame, first: int, last: int) -> dict[str, float]:
    """Mean and sample standard deviation (ddof = 1) of CE over cycles first..last.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`cycle_capacities`.
    first, last : int
        Inclusive window of cycles (state it: seed 002 quotes 1-183 and 1-1000).

    Returns
    -------
    dict
        ``ce_mean``, ``ce_std`` [fraction], ``ce_mean_percent``, ``ce_std_percent``
        [percentage points], ``n_cycles``.

    Raises
    ------
    ParameterError
        An empty or reversed window, or a window outside the data.
    ComputationError
        Fewer than two finite CE values in the window.

    References
    ----------
    Seed 002: "average CEs were 99.86 % and 99.92 %, with standard deviations of 0.0048 and
    0.018" (the paper gives no unit for the deviation; report both forms here).
    """
    if last < first:
        raise ParameterError("ce_window", (first, last), "FIRST <= LAST")
    lo, hi = int(summary["cycle"].min()), int(summary["cycle"].max())
    if first < lo or last > hi:
        raise ParameterError("ce_window", (first, last), f"cycles within {lo}..{hi}")
    sel = summary[(summary["cycle"] >= first) & (summary["cycle"] <= last)]
    ce = sel["coulombic_efficiency"].to_numpy(dtype=float)
    ce = ce[np.isfinite(ce)]
    if ce.size < 2:
        raise ComputationError(f"fewer than two finite CE values in cycles {first}..{last}")
    mean, std = float(ce.mean()), float(ce.std(ddof=1))
    return {"ce_mean": mean, "ce_std": std, "ce_mean_percent": 100 * mean,
            "ce_std_percent": 100 * std, "n_cycles": int(ce.size)}


def rate_capability(
    summary: pd.DataFrame,
    *,
    area_cm2: float | None = None,
    mass_mg: float | None = None,
    rel_tol: float = 0.05,
) -> pd.DataFrame:
    """Rate-capability table: consecutive cycles at one delithiation current, grouped.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`cycle_capacities`.
    area_cm2 : float, optional
        Electrode area [cm²] for current densities [mA/cm²] (never defaulted).
    mass_mg : float, optional
        Active mass [mg] for specific capacities [mAh/g].
    rel_tol : float
        Cycles whose currents differ by less than this fraction share a rate step.

    Returns
    -------
    pandas.DataFrame
        One row per rate step in test order: ``step``, ``first_cycle``, ``last_cycle``,
        ``n_cycles``, ``current_mA``, mean/std ``delithiation_capacity_mAh`` and CE, plus
        ``current_density_mA_cm2`` and ``delithiation_capacity_mAh_g`` when given.

    Raises
    ------
    InputError
        The summary has no cycle with a delithiation current.

    References
    ----------
    Seed 002 Fig. 5d (0.3 ... 9 mA/cm² rate steps); seed 003 Fig. 5a (0.2 ... 5 mA/cm²).
    """
    check_params({"area_cm2": area_cm2, "mass_mg": mass_mg, "rel_tol": rel_tol}, _CONSTRAINTS)
    s = summary[np.isfinite(summary["delithiation_current_A"].to_numpy(dtype=float))]
    if s.empty:
        raise InputError("no cycle with a delithiation current: cannot build a rate table")
    cur = s["delithiation_current_A"].to_numpy()
    step = np.zeros(len(s), dtype=int)
    ref = cur[0]
    for i in range(1, len(s)):
        if abs(cur[i] - ref) > rel_tol * max(abs(ref), 1e-30):
            step[i] = step[i - 1] + 1
            ref = cur[i]
        else:
            step[i] = step[i - 1]
    rows = []
    for k in range(step.max() + 1):
        g = s[step == k]
        row = {
            "step": k + 1,
            "first_cycle": int(g["cycle"].iloc[0]),
            "last_cycle": int(g["cycle"].iloc[-1]),
            "n_cycles": len(g),
            "current_mA": float(g["delithiation_current_A"].mean() * 1e3),
            "delithiation_capacity_mAh": float(g["delithiation_capacity_mAh"].mean()),
            "delithiation_capacity_std_mAh": float(g["delithiation_capacity_mAh"].std(ddof=1))
            if len(g) > 1 else 0.0,
            "coulombic_efficiency": float(g["coulombic_efficiency"].mean()),
        }
        if area_cm2 is not None:
            row["current_density_mA_cm2"] = row["current_mA"] / area_cm2
            row["delithiation_capacity_mAh_cm2"] = row["delithiation_capacity_mAh"] / area_cm2
        if mass_mg is not None:
            row["delithiation_capacity_mAh_g"] = row["delithiation_capacity_mAh"] / (
                mass_mg * 1e-3)
        rows.append(row)
    return pd.DataFrame(rows)


def specific_capacity_mAh_g(capacity_mAh: float, mass_mg: float | None) -> float:
    """Capacity [mAh] per active mass [mAh/g]; refuses a missing mass.

    Raises
    ------
    MissingMetadataError
        ``mass_mg`` is None.

    References
    ----------
    Issue 5 (mass never defaulted).
    """
    require_metadata(mass_mg=mass_mg)
    check_params({"mass_mg": mass_mg}, _CONSTRAINTS)
    return float(capacity_mAh) / (float(mass_mg) * 1e-3)


def areal_capacity_mAh_cm2(capacity_mAh: float, area_cm2: float | None) -> float:
    """Capacity [mAh] per electrode area [mAh/cm²]; refuses a missing area.

    Raises
    ------
    MissingMetadataError
        ``area_cm2`` is None.

    References
    ----------
    Issue 5 (area never defaulted).
    """
    require_metadata(area_cm2=area_cm2)
    check_params({"area_cm2": area_cm2}, _CONSTRAINTS)
    return float(capacity_mAh) / float(area_cm2)

