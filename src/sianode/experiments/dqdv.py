"""Differential capacity dQ/dV of each cycle's lithiation and delithiation.

Method (capacity-interpolated Savitzky-Golay, as incremental-capacity users do):

1. per half, the charge passed ``Q`` [mAh] is integrated from the current and the voltage
   ``V(Q)`` is interpolated onto ``points`` equally spaced capacities (this removes the
   time base, repeated records and rests);
2. ``V(Q)`` is smoothed with a Savitzky-Golay filter (``window`` points, ``polyorder``);
3. ``Q`` is interpolated onto an equally spaced voltage grid over the half's voltage range
   (the smoothed curve made monotonic in the direction of the half);
4. ``dQ/dV`` is the Savitzky-Golay first derivative of ``Q(V)`` on that grid.

``dQ/dV`` is reported as a positive quantity for both halves [mAh/V], or [mAh g⁻¹ V⁻¹] when
an active mass is given. Peaks sit at the voltage plateaus of two-phase reactions (e.g.
crystalline Li15Si4 delithiation near 0.43 V vs Li).

References
----------
Savitzky & Golay, Anal. Chem. 36, 1627 (1964); Bloom et al., J. Power Sources 139, 295
(2005) (differential voltage/capacity analysis); Obrovac & Krause, J. Electrochem. Soc.
154, A103 (2007) (Li15Si4 at 0.43 V in dQ/dV of Si).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sianode.errors import InputError, ParameterError
from sianode.experiments.cycle_labels import CycleLabels, label_cycles
from sianode.experiments.schema import CURRENT, TIME, VOLTAGE
from sianode.validation import POSITIVE, Interval, check_params

__all__ = ["dqdv", "dqdv_curve"]

_CONS = {"points": Interval(20, 1e6), "window": Interval(5, 1e6), "polyorder": Interval(1, 5),
         "mass_mg": POSITIVE}


def dqdv_curve(capacity_mAh: np.ndarray, voltage_V: np.ndarray, *, points: int = 400,
               window: int = 21, polyorder: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """dQ/dV [mAh/V] of one monotonic half on an even voltage grid (module docstring).

    Parameters
    ----------
    capacity_mAh : array_like
        Charge passed since the start of the half [mAh], non-decreasing.
    voltage_V : array_like
        Voltage of the same records [V].
    points : int
        Capacity and voltage grid size.
    window, polyorder : int
        Savitzky-Golay window (odd, points) and polynomial order.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Voltage grid [V] (increasing) and ``dQ/dV`` [mAh/V] (>= 0 up to noise).

    Raises
    ------
    InputError
        Fewer than ``window`` distinct capacities, or no voltage change.

    References
    ----------
    Module docstring.
    """
    from scipy.signal import savgol_filter

    q = np.asarray(capacity_mAh, dtype=float)
    v = np.asarray(voltage_V, dtype=float)
    keep = np.r_[True, np.diff(q) > 0]
    q, v = q[keep], v[keep]
    if q.size < max(window, 5):
        raise InputError(f"dQ/dV needs at least {window} records with charge flowing, got "
                         f"{q.size}")
    window = window + 1 - window % 2
    qg = np.linspace(q[0], q[-1], points)
    vg = savgol_filter(np.interp(qg, q, v), window, polyorder)
    rising = vg[-1] >= vg[0]
    mono = np.maximum.accumulate(vg) if rising else np.minimum.accumulate(vg)
    if not rising:
        mono, qg = mono[::-1], qg[::-1]
    uniq, idx = np.unique(mono, return_index=True)
    if uniq.size < 5 or uniq[-1] - uniq[0] <= 0:
        raise InputError("dQ/dV: the voltage does not change over the half")
    grid = np.linspace(uniq[0], uniq[-1], points)
    qv = np.interp(grid, uniq, qg[idx])
    dv = grid[1] - grid[0]
    d = savgol_filter(qv, window, polyorder, deriv=1, delta=dv)
    return grid, np.abs(d) if not rising else d


def dqdv(
    df: pd.DataFrame,
    cell: str,
    *,
    cycles: list[int] | None = None,
    mass_mg: float | None = None,
    points: int = 400,
    window: int = 21,
    polyorder: int = 3,
    labels: CycleLabels | None = None,
) -> pd.DataFrame:
    """dQ/dV of the lithiation and delithiation of each selected cycle.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series.
    cell : {"full", "half", "symmetric", "asymmetric"}
        Cell type (which current sign lithiates the working electrode).
    cycles : list of int, optional
        Cycles to compute (default: every cycle).
    mass_mg : float, optional
        Active mass [mg]; then ``dqdv_mAh_g_V`` is added.
    points, window, polyorder : int
        Grid size and Savitzky-Golay parameters (module docstring).
    labels : CycleLabels, optional
        Precomputed cycle labels.

    Returns
    -------
    pandas.DataFrame
        Long table: ``cycle``, ``half`` (``"lithiation"``/``"delithiation"``),
        ``voltage_V``, ``dqdv_mAh_V`` (and ``dqdv_mAh_g_V``).

    Raises
    ------
    ParameterError
        A requested cycle is not in the file; bad grid/filter numbers.
    InputError
        No half long enough for the filter.

    References
    ----------
    Module docstring.
    """
    check_params({"points": points, "window": window, "polyorder": polyorder,
                  "mass_mg": mass_mg}, _CONS)
    if polyorder >= window:
        raise ParameterError("polyorder", polyorder, f"< window ({window})")
    lab = labels or label_cycles(df, cell)
    t = df[TIME].to_numpy(dtype=float)
    v = df[VOLTAGE].to_numpy(dtype=float)
    dq = np.abs(df[CURRENT].to_numpy(dtype=float)) * np.r_[0.0, np.diff(t)] / 3.6
    present = sorted(set(int(c) for c in np.unique(lab.cycle[lab.direction != 0])))
    chosen = present if cycles is None else list(cycles)
    for c in chosen:
        if c not in present:
            raise ParameterError("cycles", c, f"a cycle of the file ({present[0]}..{present[-1]})"
                                 if present else "a file with current")
    frames, skipped = [], []
    for c in chosen:
        for direction, half in ((1, "lithiation"), (-1, "delithiation")):
            pos = np.flatnonzero((lab.cycle == c) & (lab.direction == direction))
            if pos.size < window:
                skipped.append(f"{c} {half}")
                continue
            try:
                grid, d = dqdv_curve(np.cumsum(dq[pos]), v[pos], points=points, window=window,
                                     polyorder=polyorder)
            except InputError:
                skipped.append(f"{c} {half}")
                continue
            part = pd.DataFrame({"cycle": c, "half": half, "voltage_V": grid, "dqdv_mAh_V": d})
            if mass_mg is not None:
                part["dqdv_mAh_g_V"] = d / (mass_mg * 1e-3)
            frames.append(part)
    if not frames:
        raise InputError(f"no half cycle with at least {window} records to differentiate "
                         f"(skipped: {', '.join(skipped) or 'none'})")
    out = pd.concat(frames, ignore_index=True)
    out.attrs["skipped"] = skipped
    return out
