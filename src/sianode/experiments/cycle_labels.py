"""Which records belong to which cycle: instrument cycle numbers first, current sign second.

A *cycle* of the working electrode is one lithiation followed by one delithiation
(:mod:`sianode.experiments.schema`). Records are labelled in three steps:

1. **Direction** of each record from the sign of its current and the cell type
   (+1 lithiation, -1 delithiation, 0 rest: ``|I|`` at or below the rest threshold).
2. **Segments**: runs of one direction (rests inside a run join it). A segment whose
   charge is below ``min_segment_fraction`` of the largest segment's is *minor*: a pulse, an
   EIS step or a relaxation probe inside a protocol. Minor segments never start a cycle;
   their charge still counts in the cycle they fall in (nothing is dropped).
3. **Cycles**: where the file has the instrument's ``cycle_count`` and, inside every
   instrument cycle, the major segments run lithiation then delithiation (at most one
   change of direction), the instrument's numbers are used as they are. Otherwise (no
   cycle column, or the cycler counts charge -> discharge while the working electrode
   lithiates on discharge, or one instrument cycle holds several) cycles are derived: a new
   cycle starts at each major lithiation segment that follows a major delithiation;
   delithiation before the first lithiation is cycle 0.

References
----------
Issue 11 (D3, D8: instrument cycle numbers; pulses and EIS steps inside MB protocols must
not start cycles); navani/NewareNDA cycle conventions (1-based, charge-started for Neware).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sianode.experiments.schema import CURRENT, CYCLE, TIME, lithiation_sign
from sianode.validation import Interval, check_params

__all__ = ["CycleLabels", "label_cycles", "rest_threshold_A"]

_CONS = {"current_threshold_A": Interval(0.0, None),
         "min_segment_fraction": Interval(0.0, 1.0, right_closed=False)}


@dataclass(frozen=True)
class CycleLabels:
    """Per-record labels and how they were obtained.

    Attributes
    ----------
    direction, cycle, segment : numpy.ndarray
        Per record: +1/-1/0; cycle number; segment number (rests join the previous one).
    source : str
        ``"instrument"`` (the file's ``cycle_count``) or ``"current sign"``.
    reason : str
        Why the instrument's numbers were not used ("" when they were).
    n_minor_segments : int
        Pulses/EIS steps that did not start cycles.
    threshold_A : float
        Rest threshold used [A].
    """

    direction: np.ndarray
    cycle: np.ndarray
    segment: np.ndarray
    source: str
    reason: str
    n_minor_segments: int
    threshold_A: float


def rest_threshold_A(current_A: np.ndarray, current_threshold_A: float | None = None) -> float:
    """``|I|`` [A] at or below which a record is rest: given, or 1e-4 of the peak ``|I|``."""
    if current_threshold_A is not None:
        check_params({"current_threshold_A": current_threshold_A}, _CONS)
        return float(current_threshold_A)
    peak = float(np.max(np.abs(current_A))) if current_A.size else 0.0
    return 1e-4 * peak


def _segments(direction: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segment id per record (rests join the preceding run), plus each segment's direction
    and first record. Records before the first active one get segment -1."""
    active = direction != 0
    carried = pd.Series(np.where(active, direction, np.nan)).ffill().to_numpy()
    prev = np.r_[np.nan, carried[:-1]]
    start = active & (prev != carried)
    seg = np.cumsum(start) - 1
    first = np.flatnonzero(start)
    return seg, direction[first], first


def label_cycles(
    df: pd.DataFrame,
    cell: str,
    *,
    current_threshold_A: float | None = None,
    min_segment_fraction: float = 0.02,
    use_instrument_cycles: bool = True,
) -> CycleLabels:
    """Label every record with direction, segment and cycle (see the module docstring).

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    cell : {"full", "half", "symmetric", "asymmetric"}
        Decides which current sign lithiates the working electrode.
    current_threshold_A : float, optional
        Rest threshold [A]; default 1e-4 of the peak ``|I|``.
    min_segment_fraction : float
        Segments with less charge than this fraction of the largest one are minor (pulses,
        EIS steps) and start no cycle.
    use_instrument_cycles : bool
        Use the file's ``cycle_count`` when it is consistent (default).

    Returns
    -------
    CycleLabels

    References
    ----------
    Module docstring.
    """
    check_params({"min_segment_fraction": min_segment_fraction}, _CONS)
    sign = lithiation_sign(cell)
    cur = df[CURRENT].to_numpy(dtype=float)
    thr = rest_threshold_A(cur, current_threshold_A)
    direction = np.where(cur * sign > thr, 1, np.where(cur * sign < -thr, -1, 0)).astype(np.int8)
    seg, seg_dir, seg_first = _segments(direction)
    t = df[TIME].to_numpy(dtype=float)
    dq = np.abs(cur) * np.r_[0.0, np.diff(t)]
    n_seg = seg_dir.size
    q_seg = np.bincount(seg[seg >= 0], weights=dq[seg >= 0], minlength=n_seg) if n_seg else \
        np.zeros(0)
    major = q_seg >= min_segment_fraction * (q_seg.max() if n_seg else 0.0)
    n_minor = int((~major).sum())
    reason = ""
    if use_instrument_cycles and CYCLE in df.columns and n_seg:
        inst = df[CYCLE].to_numpy()
        reason = _inconsistent(inst, seg_first, seg_dir, major)
        if not reason:
            return CycleLabels(direction, inst.astype(np.int64), seg, "instrument", "",
                               n_minor, thr)
    elif use_instrument_cycles and n_seg:
        reason = "the file has no cycle numbers"
    # derived cycles: a major lithiation after a major delithiation starts a cycle
    seg_cycle = np.zeros(n_seg, dtype=np.int64)
    current, last_major = 0, 0
    for k in range(n_seg):
        if major[k]:
            if seg_dir[k] == 1 and last_major != 1:
                current += 1
            last_major = seg_dir[k]
        seg_cycle[k] = current
    cycle = np.where(seg >= 0, seg_cycle[np.maximum(seg, 0)], 0) if n_seg else \
        np.zeros(len(df), dtype=np.int64)
    return CycleLabels(direction, cycle.astype(np.int64), seg, "current sign", reason,
                       n_minor, thr)


def _inconsistent(inst: np.ndarray, seg_first: np.ndarray, seg_dir: np.ndarray,
                  major: np.ndarray) -> str:
    """Why the instrument's cycles do not follow lithiation -> delithiation ("" if they do)."""
    maj_first, maj_dir = seg_first[major], seg_dir[major]
    if maj_first.size == 0:
        return ""
    maj_cycle = inst[maj_first]
    cycles = np.unique(maj_cycle)
    one_half = [c for c in cycles[1:-1] if np.unique(maj_dir[maj_cycle == c]).size == 1]
    if len(one_half) > 1:
        return (f"instrument cycles {[int(c) for c in one_half[:3]]}... hold one half each "
                "(the cycler numbers steps, not lithiation/delithiation cycles)")
    for c in cycles:
        dirs = maj_dir[maj_cycle == c]
        changes = np.flatnonzero(np.diff(dirs) != 0)
        if changes.size > 1:
            return (f"instrument cycle {int(c)} holds {changes.size + 1} alternating "
                    "lithiation/delithiation steps")
        if changes.size == 1 and dirs[0] == -1:
            return (f"instrument cycle {int(c)} runs delithiation then lithiation (the cycler "
                    "starts its cycles with the other half for this cell type)")
    return ""
