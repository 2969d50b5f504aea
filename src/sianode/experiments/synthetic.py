"""Synthetic galvanostatic records with exactly known capacities (tests, demos, benchmarks).

A cycle is a constant-current lithiation of the working electrode, a rest, a constant-current
delithiation and a rest. Records are logged every ``dt_s`` and carry the current that flowed
since the previous record (the cycler convention used by
:func:`sianode.experiments.cycling.cycle_capacities`), so the integrated capacity of a step
is exactly ``|I| * duration``.

References
----------
Schema and sign convention: :mod:`sianode.experiments.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sianode.errors import ParameterError
from sianode.experiments.schema import (
    CURRENT,
    CYCLE,
    STEP,
    STEP_INDEX,
    TIME,
    VOLTAGE,
    lithiation_sign,
)
from sianode.units import mAh_to_ampere_seconds

__all__ = ["synthetic_cycling"]

#: (start, end) voltage [V] of lithiation for each cell type; delithiation runs back
_VOLTAGE_WINDOW = {
    "half": (0.8, 0.01),
    "full": (3.0, 4.2),
    "symmetric": (-0.005, -0.02),
    "asymmetric": (-0.005, -0.02),
}


def synthetic_cycling(
    lithiation_mAh: Sequence[float],
    delithiation_mAh: Sequence[float],
    current_A: float | Sequence[float],
    cell: str = "half",
    *,
    dt_s: float = 10.0,
    rest_s: float = 60.0,
    noise_V: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Build a tidy time series whose per-cycle capacities are the given ones.

    Parameters
    ----------
    lithiation_mAh, delithiation_mAh : sequence of float
        Capacity [mAh] of each cycle's lithiation and delithiation.
    current_A : float or sequence of float
        ``|I|`` [A] of each cycle (one value for all, or one per cycle).
    cell : {"full", "half", "symmetric", "asymmetric"}
        Decides the current sign of lithiation and the voltage window.
    dt_s : float
        Logging interval [s]; step durations are rounded to whole intervals, so choose
        capacities that are multiples of ``|I| dt`` for exact values.
    rest_s : float
        Rest after each step [s] (zero current).
    noise_V : float
        Gaussian voltage noise [V].
    seed : int
        Random seed of the noise.

    Returns
    -------
    pandas.DataFrame
        Tidy time series with ``cycle_count``, ``step_count`` and ``step_index``.

    References
    ----------
    Module docstring.
    """
    lith = np.asarray(lithiation_mAh, dtype=float)
    deli = np.asarray(delithiation_mAh, dtype=float)
    if lith.shape != deli.shape or lith.ndim != 1:
        raise ParameterError("delithiation_mAh", deli.shape, f"shape {lith.shape}")
    cur = np.broadcast_to(np.asarray(current_A, dtype=float), lith.shape)
    if np.any(cur <= 0) or dt_s <= 0 or rest_s < 0:
        raise ParameterError("current_A/dt_s", (cur.min(), dt_s), "> 0")
    sign = lithiation_sign(cell)
    v0, v1 = _VOLTAGE_WINDOW[cell]
    rng = np.random.default_rng(seed)
    t_all, v_all, i_all, c_all, s_all, si_all = [], [], [], [], [], []
    t, step = 0.0, 0

    def emit(n, current, volts, cycle, step_index):
        nonlocal t, step
        step += 1
        times = t + dt_s * np.arange(1, n + 1)
        t = float(times[-1]) if n else t
        t_all.append(times)
        v_all.append(volts)
        i_all.append(np.full(n, current))
        c_all.append(np.full(n, cycle))
        s_all.append(np.full(n, step))
        si_all.append(np.full(n, step_index))

    n_rest = int(round(rest_s / dt_s))
    # first record at t = 0, resting
    t_all.append(np.array([0.0]))
    v_all.append(np.array([v0]))
    i_all.append(np.array([0.0]))
    c_all.append(np.array([1]))
    s_all.append(np.array([0]))
    si_all.append(np.array([0]))
    for k, (ql, qd, ik) in enumerate(zip(lith, deli, cur, strict=True)):
        for q, direction, idx in ((ql, 1, 1), (qd, -1, 3)):
            n = int(round(mAh_to_ampere_seconds(q) / (ik * dt_s)))
            frac = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(n)
            volts = v0 + (v1 - v0) * frac if direction == 1 else v1 + (v0 - v1) * frac
            emit(n, sign * direction * ik, volts, k + 1, idx)
            if n_rest:
                end = v1 if direction == 1 else v0
                emit(n_rest, 0.0, np.full(n_rest, end), k + 1, idx + 1)
    v = np.concatenate(v_all)
    if noise_V:
        v = v + rng.normal(0.0, noise_V, v.size)
    return pd.DataFrame({
        TIME: np.concatenate(t_all),
        VOLTAGE: v,
        CURRENT: np.concatenate(i_all),
        CYCLE: np.concatenate(c_all).astype(np.int64),
        STEP: np.concatenate(s_all).astype(np.int64),
        STEP_INDEX: np.concatenate(si_all).astype(np.int64),
    })
