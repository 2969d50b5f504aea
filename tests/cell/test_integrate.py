"""The Radau IIA integrator of the native cell solver, against closed-form solutions and
SciPy's Radau (Hairer & Wanner, Solving ODEs II, Sec. IV.8)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sianode.cell.simulate.integrate import _step, integrate
from sianode.errors import ParameterError


def test_local_error_is_of_order_five():
    # one step of y' = y from y = 1: the local error of an order-5 method falls as h^6,
    # its embedded estimate (order 3) as h^4
    errs, ests = [], []
    for h in (0.2, 0.1, 0.05):
        ok, _, y1, err_norm, _ = _step(lambda t, y: y, 0.0, 1.0, 1.0, h, 1.0, None,
                                       1e-14, 1e-14)
        assert ok
        errs.append(abs(y1 - math.exp(h)))
        ests.append(err_norm)
    assert 50 < errs[0] / errs[1] < 80
    assert 50 < errs[1] / errs[2] < 80
    assert 12 < ests[0] / ests[1] < 20
    assert 12 < ests[1] / ests[2] < 20


def test_stiff_decay_onto_a_moving_solution():
    # y' = -1e4 (y - cos t) - sin t, y = cos t: an explicit method would need ~1e5 steps
    lam = 1e4
    sol = integrate(lambda t, y: -lam * (y - math.cos(t)) - math.sin(t), 0.0, 10.0, 1.0,
                    rtol=1e-8, atol=1e-10)
    assert sol.success
    assert sol.event is None
    t = np.linspace(0.0, 10.0, 1001)
    assert np.max(np.abs(sol.evaluate(t) - np.cos(t))) < 1e-6
    assert sol.y[-1] == pytest.approx(math.cos(10.0), abs=1e-8)
    assert sol.n_steps <= 150
    assert sol.n_calls < 2000


@pytest.mark.parametrize("rtol", [1e-6, 1e-8, 1e-10])
def test_accuracy_follows_the_tolerance(rtol):
    # y' = cos(t) y, y = exp(sin t), over three periods
    sol = integrate(lambda t, y: math.cos(t) * y, 0.0, 20.0, 1.0, rtol=rtol, atol=1e-12,
                    max_step=100.0)
    assert abs(sol.y[-1] - math.exp(math.sin(20.0))) < 100 * rtol
    t = np.linspace(0.0, 20.0, 999)
    assert np.max(np.abs(sol.evaluate(t) - np.exp(np.sin(t)))) < 1e3 * rtol


def test_limits_end_the_integration_at_their_root():
    sol = integrate(lambda t, y: 1.0, 0.0, 10.0, 0.0, lambda t, y: [2.5 - y, 7.0 - t])
    assert sol.event == 0
    assert sol.t[-1] == pytest.approx(2.5, abs=1e-12)
    assert sol.y[-1] == pytest.approx(2.5, abs=1e-12)
    # y' = -y reaches 0.1 at ln 10; the end state comes from a step of its own
    sol = integrate(lambda t, y: -y, 0.0, 10.0, 1.0, lambda t, y: [y - 0.1])
    assert sol.t[-1] == pytest.approx(math.log(10.0), abs=1e-8)
    assert sol.y[-1] == pytest.approx(0.1, abs=1e-9)
    # the earliest of two limits wins, whatever their order
    sol = integrate(lambda t, y: 1.0, 0.0, 10.0, 0.0, lambda t, y: [7.0 - t, 2.5 - y])
    assert sol.event == 1
    assert sol.t[-1] == pytest.approx(2.5, abs=1e-12)


def test_a_limit_reached_at_the_start_ends_at_once():
    sol = integrate(lambda t, y: 1.0, 0.0, 10.0, 3.0, lambda t, y: [1.0, 2.5 - y])
    assert sol.event == 1
    assert sol.t.tolist() == [0.0]
    assert sol.n_steps == 0


def test_a_rate_that_stops_at_zero_is_integrated_past_its_kink():
    # stripping of plated Li: y' = -lam * max(y, 0) (exactly 0 once nothing is left); the
    # stages overshoot 0 by roundoff, where the slope is 0: this stalled a first version
    lam = 4.75
    sol = integrate(lambda t, y: -lam * max(y, 0.0), 0.0, 2000.0, 1.0, rtol=1e-8,
                    atol=1e-9)
    assert sol.success
    assert sol.n_steps < 400
    assert np.all(sol.y > -1e-9)
    t = np.linspace(0.0, 5.0, 50)
    assert np.max(np.abs(sol.evaluate(t) - np.exp(-lam * t))) < 1e-7


def test_failures_are_reported_not_hidden():
    sol = integrate(lambda t, y: math.nan if t > 1.0 else 1.0, 0.0, 10.0, 0.0)
    assert not sol.success
    assert "underflow" in sol.message
    assert sol.t[-1] <= 1.0 + 1e-6
    sol = integrate(lambda t, y: math.cos(50 * t), 0.0, 10.0, 0.0, max_steps=5)
    assert not sol.success
    assert "more than 5 steps" in sol.message
    with pytest.raises(ParameterError, match="t_end"):
        integrate(lambda t, y: 1.0, 1.0, 1.0, 0.0)
    with pytest.raises(ParameterError, match="rtol"):
        integrate(lambda t, y: 1.0, 0.0, 1.0, 0.0, rtol=0.0)


@settings(max_examples=25, deadline=None)
@given(lam=st.floats(1e-3, 1e6), y0=st.floats(-10.0, 10.0), t_end=st.floats(0.1, 100.0))
def test_linear_decay_matches_scipy_radau_and_the_exact_solution(lam, y0, t_end):
    """y' = -lam (y - 1): any stiffness, both tools within tolerance of exp."""
    from scipy.integrate import solve_ivp

    def exact(t):
        return 1.0 + (y0 - 1.0) * np.exp(-lam * t)

    ours = integrate(lambda t, y: -lam * (y - 1.0), 0.0, t_end, y0, rtol=1e-8, atol=1e-10)
    ref = solve_ivp(lambda t, y: -lam * (y - 1.0), (0.0, t_end), [y0], method="Radau",
                    rtol=1e-8, atol=1e-10)
    scale = 1e-6 * max(1.0, abs(y0))
    assert ours.y[-1] == pytest.approx(exact(t_end), abs=scale)
    assert ours.y[-1] == pytest.approx(ref.y[0, -1], abs=scale)
