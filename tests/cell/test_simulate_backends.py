"""The native cell solver against PyBaMM (IDAKLU) on the same model: same equations
(sianode.cell.simulate.equations), two integrators. PyBaMM is the peer here; the native
solver is the default because it needs no PyBaMM import (issue 13; start and per-run times in
benchmarks/simulate_charge.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sianode.cell.simulate import simulate
from sianode.errors import UnknownNameError

pytest.importorskip("pybamm")

CASES = [
    ("full", 0.0, {"c_rate": 0.5}),
    ("full", 3.0, {"c_rate": 0.5}),
    ("full", 4.0, {"c_rate": 0.5}),
    ("full", 5.5, {"c_rate": 0.5}),
    ("full", 4.0, {"c_rate": 2.0, "np_ratio": 1.1}),
    ("asymmetric", 0.0, {"c_rate": 0.05}),
    ("asymmetric", 4.2, {"current_density_mA_cm2": 0.2}),
    ("asymmetric", 5.5, {"current_density_mA_cm2": 1.0}),
]


def _assert_same_summary(a, b, rel=1e-6, above_0V=True):
    sa, sb = a.summary(), b.summary()
    assert sa.keys() == sb.keys()
    for key, va in sa.items():
        vb = sb[key]
        if isinstance(va, str) or va is None:
            assert va == vb, key
        elif key == "capacity_above_0V_mAh_g":
            # interpolated between output points, which the two solvers place differently
            # (with 400 points per step: within 1 %; coarser grids are not compared)
            if above_0V:
                assert va == pytest.approx(vb, rel=0.01, abs=10.0), key
        elif key.endswith("_V"):
            assert va == pytest.approx(vb, abs=1e-6), key
        else:
            assert va == pytest.approx(vb, rel=rel, abs=1e-8), key
    assert a.termination == b.termination


@pytest.mark.parametrize(("cell", "k", "kwargs"), CASES)
def test_native_and_pybamm_agree_on_the_builtin_si(builtin_ocv, cell, k, kwargs):
    a = simulate(builtin_ocv, k, cell=cell, **kwargs)
    b = simulate(builtin_ocv, k, cell=cell, solver="pybamm", **kwargs)
    _assert_same_summary(a, b)
    assert a.time_s[-1] == pytest.approx(b.time_s[-1], rel=1e-7)
    for step in (True, False):
        ma, mb = a.lithiating == step, b.lithiating == step
        if not mb.any():
            continue
        # the charges are smooth: interpolated onto PyBaMM's times they agree closely
        for name in ("alloy_charge_mAh_cm2", "plated_charge_mAh_cm2", "charge_mAh_cm2"):
            va = np.interp(b.time_s[mb], a.time_s[ma], getattr(a, name)[ma])
            assert np.max(np.abs(va - getattr(b, name)[mb])) < 5e-5, name
        # the voltage has steps (plateau ends) that linear interpolation between output
        # points blurs: PyBaMM's voltage must lie within the native curve's change between
        # its two output points around that time (+0.1 mV), and mostly on it
        ta, va_all = a.time_s[ma], a.voltage_V[ma]
        va = np.interp(b.time_s[mb], ta, va_all)
        d = np.abs(va - b.voltage_V[mb])
        assert np.median(d) < 1e-5
        j = np.clip(np.searchsorted(ta, b.time_s[mb]) - 1, 0, len(ta) - 2)
        assert np.all(d <= np.abs(va_all[j + 1] - va_all[j]) + 1e-4)
    # every electron alloys or plates, exactly in the native solver
    assert a.charge_balance_error < 1e-12
    assert a.charge_balance_error <= b.charge_balance_error + 1e-12


def test_no_plating_means_exactly_zero_plated_li(builtin_ocv):
    """The native solver integrates the plated charge, which stays exactly 0 while
    nothing plates (PyBaMM too: its rate is exactly 0 there)."""
    a = simulate(builtin_ocv, 0.0, cell="full", c_rate=0.5)
    assert np.all(a.plated_charge_mAh_cm2 == 0.0)
    assert np.all(a.plating_current_mA_cm2 == 0.0)


@settings(max_examples=12, deadline=None)
@given(k=st.floats(0.0, 7.0), c_rate=st.floats(0.05, 3.0),
       cell=st.sampled_from(("full", "asymmetric")))
def test_backends_agree_on_any_run(ocv, k, c_rate, cell):
    a = simulate(ocv, k, cell=cell, c_rate=c_rate, n_points=60)
    b = simulate(ocv, k, cell=cell, c_rate=c_rate, n_points=60, solver="pybamm")
    _assert_same_summary(a, b, rel=1e-5, above_0V=False)


def test_unknown_solver_is_named(ocv):
    with pytest.raises(UnknownNameError, match="solver 'scipy'"):
        simulate(ocv, 1.0, solver="scipy")


def test_native_step_matches_scipy_radau_on_the_cell_ode(builtin_ocv):
    """The reduced ODE dq_pl/dt of one plating step, integrated by scipy's Radau: same end
    state as the native integrator."""
    from scipy.integrate import solve_ivp

    from sianode.cell.simulate.native import NativeModel, _Step
    from sianode.cell.simulate.parameters import cell_parameters
    from sianode.cell.simulate.run import _inputs

    par = cell_parameters("full")
    inputs = _inputs(par, 25.0, 4.0, 2.5, 1e9, 5.0)
    model = NativeModel(builtin_ocv, "full", smoothing_mAh_g=10.0, empty_wall_V=2.0,
                        overlithiation_V=-0.3)
    t_end = 3000.0
    ours = model.solve(inputs, t_end, 50)
    assert ours["termination"] == "final time"
    step = _Step(model, inputs)
    ref = solve_ivp(lambda t, y: [step.rate(t, y[0])], (0.0, t_end), [0.0], method="Radau",
                    rtol=1e-10, atol=1e-12)
    assert ref.success
    assert ours["plated"][-1] == pytest.approx(ref.y[0, -1], rel=1e-6)
    assert ours["plated"][-1] > 0.1  # the step did plate
    assert math.isclose(ours["charge"][-1], 25.0 * t_end / 36000.0, rel_tol=1e-12)


def test_a_limit_reached_at_the_start_ends_the_step_at_once(builtin_ocv):
    """At 20C the overpotentials and the IR drop alone put the full cell above 4.1 V: the
    native solver ends that charge at once (PyBaMM refuses to start it), and at 8C the
    discharge starts below 2.5 V and ends at once: no capacity, said by the limit."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = simulate(builtin_ocv, 0.0, cell="full", c_rate=20.0)
    assert r.termination[0] == "event: Upper voltage cut-off"
    assert r.voltage_V[0] > 4.1
    assert r.lithiation_capacity_mAh_g == 0.0
    assert np.isnan(r.coulombic_efficiency)
    r = simulate(builtin_ocv, 0.0, cell="full", c_rate=8.0)
    assert r.lithiation_ended_by == "Upper voltage cut-off"
    assert r.lithiation_capacity_mAh_g > 10.0  # ~19 mAh/g before 4.1 V at 8C
    assert r.delithiation_ended_by == "Lower voltage cut-off"
    assert (~r.lithiating).sum() == 1
    assert r.voltage_V[~r.lithiating][0] < 2.5
    assert r.coulombic_efficiency == 0.0
    with pytest.raises(Exception, match="non-positive at initial conditions"):
        simulate(builtin_ocv, 0.0, cell="full", c_rate=8.0, solver="pybamm")
