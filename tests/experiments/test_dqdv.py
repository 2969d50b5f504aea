"""dQ/dV on a record whose differential capacity is known analytically."""

import numpy as np
import pandas as pd
import pytest

from sianode.errors import ParameterError
from sianode.experiments.dqdv import dqdv, dqdv_curve
from sianode.experiments.schema import CURRENT, TIME, VOLTAGE


def _logistic_half(q0=1.0, v0=0.43, w=0.02, n=3000, i_a=1e-3):
    """A delithiation whose Q(V) = q0 / (1 + exp(-(V - v0) / w)) + linear background:
    dQ/dV peaks at v0 with height q0 / (4 w) + background slope."""
    v = np.linspace(0.05, 0.9, n)
    q = q0 / (1 + np.exp(-(v - v0) / w)) + 0.2 * (v - 0.05)
    t = q / (i_a * 1e3) * 3600.0
    return pd.DataFrame({TIME: t, VOLTAGE: v, CURRENT: np.full(n, i_a)}), q0 / (4 * w) + 0.2


def test_peak_position_and_height():
    df, height = _logistic_half()
    grid, d = dqdv_curve(np.r_[0, np.cumsum(df[CURRENT][1:] * np.diff(df[TIME]) / 3.6)],
                         df[VOLTAGE].to_numpy(), points=800, window=15)
    assert grid[np.argmax(d)] == pytest.approx(0.43, abs=2e-3)
    assert d.max() == pytest.approx(height, rel=0.03)


def test_table_per_cycle_and_half_with_mass():
    df, height = _logistic_half()
    out = dqdv(df, "half", mass_mg=2.0, window=15, points=800)
    assert set(out["half"]) == {"delithiation"}
    assert out["dqdv_mAh_g_V"].max() == pytest.approx(height / 2e-3, rel=0.03)
    with pytest.raises(ParameterError, match="cycles"):
        dqdv(df, "half", cycles=[7])
    with pytest.raises(ParameterError, match="polyorder"):
        dqdv(df, "half", window=5, polyorder=5)
