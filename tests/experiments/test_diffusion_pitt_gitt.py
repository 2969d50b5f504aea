"""PITT and GITT on synthetic transients from the analytic diffusion solutions."""

import numpy as np
import pytest

from sianode.errors import ComputationError, InputError, MissingMetadataError, ParameterError
from sianode.experiments.diffusion import (
    PITTResult,
    gitt_diffusion_coefficient,
    gitt_diffusion_length_cm,
    gitt_pulses,
    pitt_current_transient,
    pitt_diffusion_coefficient,
    pitt_steps,
)

D_SEED002 = 2.09e-6  # cm^2/s, Li21Si5/Si-Li21Si5 at 3.9 V (seed 002 Fig. 3f)
STEP_S = 15 * 60  # seed 002: 2 mV steps of 15 min


@pytest.mark.parametrize(("geometry", "length_cm"), [("planar", 0.025), ("sphere", 0.05)])
def test_pitt_long_time_recovers_d(geometry, length_cm):
    t = np.linspace(0, STEP_S, 901)
    i = pitt_current_transient(t + 1e-9, D_SEED002, length_cm, 1e-3, geometry)
    r = pitt_diffusion_coefficient(t, i, diffusion_length_cm=length_cm, geometry=geometry)
    assert r.diffusion_coefficient_cm2_s == pytest.approx(D_SEED002, rel=1e-5)
    assert r.r_squared > 0.999999
    assert PITTResult.from_dict(r.as_dict()) == r


def test_pitt_long_time_with_noise():
    rng = np.random.default_rng(0)
    t = np.linspace(0, STEP_S, 901)
    i = pitt_current_transient(t + 1e-9, D_SEED002, 0.025, 1e-3)
    i = i * (1 + 0.01 * rng.normal(size=t.size))
    r = pitt_diffusion_coefficient(t, i, diffusion_length_cm=0.025, window_s=(200, 600))
    assert r.diffusion_coefficient_cm2_s == pytest.approx(D_SEED002, rel=0.03)


def test_pitt_short_time_cottrell():
    t = np.linspace(0, STEP_S, 9001)[1:]
    i = pitt_current_transient(t, D_SEED002, 0.025, 1e-3)
    r = pitt_diffusion_coefficient(t, i, diffusion_length_cm=0.025, method="short_time",
                                   window_s=(0, 20), charge_C=1e-3, step_start_s=0.0)
    assert r.diffusion_coefficient_cm2_s == pytest.approx(D_SEED002, rel=1e-3)


def test_pitt_staircase_of_2mV_steps():
    """Three 2 mV steps of 15 min, D changing with potential, 1 s sampling."""
    ds = [1.0e-6, 2.09e-6, 3.0e-6]
    t_all, v_all, i_all = [], [], []
    for k, d in enumerate(ds):
        t = np.arange(0.0, STEP_S, 1.0)
        t_all.append(t + k * STEP_S)
        v_all.append(np.full(t.size, 3.896 + 0.002 * k))
        i_all.append(pitt_current_transient(t + 0.5, d, 0.025, 5e-4))
    steps = pitt_steps(np.concatenate(t_all), np.concatenate(v_all), np.concatenate(i_all),
                       diffusion_length_cm=0.025)
    assert [s["voltage_V"] for s in steps] == pytest.approx([3.896, 3.898, 3.900])
    got = [s["diffusion_coefficient_cm2_s"] for s in steps]
    np.testing.assert_allclose(got, ds, rtol=1e-4)


def _gitt_record(d, length, tau, n_pulses=3, current_a=1e-4, r_ohm=5.0):
    """Unit-flux pulses into a slab (Crank Eq. 4.54), E linear in surface concentration."""

    def surface(t):  # surface concentration rise for unit flux from t = 0
        t = np.atleast_1d(t)[None, :]
        n = np.arange(1, 400)[:, None]
        u = d * t / length**2
        series = np.sum(np.exp(-(n**2) * np.pi**2 * u) / n**2, axis=0)
        return length / d * (u[0] + 1 / 3 - 2 / np.pi**2 * series) * (t[0] > 0)

    k_v = -0.005 / (tau / length)  # 5 mV relaxed step per pulse

    rest = 3 * length**2 / d
    tp = np.linspace(0, tau, 101)[1:]
    tr = np.linspace(0, rest, 301)[1:]
    t, v, i = list(np.linspace(0, 10, 5)), [3.5] * 5, [0.0] * 5
    base = 0.0
    for _ in range(n_pulses):
        t0 = t[-1]
        t += list(t0 + tp)
        v += list(3.5 + k_v * (base + surface(tp)) + current_a * r_ohm)
        i += [current_a] * tp.size
        c = surface(tau + tr) - surface(tr)
        t += list(t0 + tau + tr)
        v += list(3.5 + k_v * (base + c))
        i += [0.0] * tr.size
        base += tau / length
    return np.array(t), np.array(v), np.array(i)


@pytest.mark.parametrize("tau_fraction", [0.002, 0.02])
def test_gitt_pulses_recover_d(tau_fraction):
    d, length = 1e-10, 2e-4  # L^2/D = 400 s
    tau = tau_fraction * length**2 / d
    t, v, i = _gitt_record(d, length, tau)
    pulses = gitt_pulses(t, v, i, diffusion_length_cm=length)
    assert len(pulses) == 3
    for p in pulses:
        assert p["duration_s"] == pytest.approx(tau, rel=0.02)
        assert p["diffusion_coefficient_cm2_s"] == pytest.approx(d, rel=0.05)


def test_gitt_formula_and_geometry():
    # Weppner-Huggins: D = 4/(pi tau) (m V_M / (M S))^2 (dEs/dEt)^2
    length = gitt_diffusion_length_cm(molar_volume_cm3_mol=12.06, active_mass_g=2.8e-3,
                                      molar_mass_g_mol=28.085, area_cm2=1.0)
    assert length == pytest.approx(2.8e-3 * 12.06 / 28.085)
    d = gitt_diffusion_coefficient(600.0, 0.002, 0.010, molar_volume_cm3_mol=12.06,
                                   active_mass_g=2.8e-3, molar_mass_g_mol=28.085, area_cm2=1.0)
    assert d == pytest.approx(4 / (np.pi * 600) * length**2 * 0.04)
    arr = gitt_diffusion_coefficient(600.0, [0.002, 0.004], [0.01, 0.01], diffusion_length_cm=1e-3)
    assert arr[1] / arr[0] == pytest.approx(4.0)


def test_errors():
    t = np.linspace(0, 10, 11)
    with pytest.raises(MissingMetadataError, match="missing: active_mass_g, area_cm2"):
        gitt_diffusion_length_cm(molar_volume_cm3_mol=12.0, molar_mass_g_mol=28.0)
    with pytest.raises(ParameterError, match="'area_cm2' = -1.0"):
        gitt_diffusion_length_cm(molar_volume_cm3_mol=12.0, molar_mass_g_mol=28.0,
                                 active_mass_g=1e-3, area_cm2=-1.0)
    with pytest.raises(ParameterError, match="diffusion_length_cm"):
        pitt_diffusion_coefficient(t, np.exp(-t), diffusion_length_cm=0.0)
    with pytest.raises(ParameterError, match="pulse_duration_s"):
        gitt_diffusion_coefficient(0.0, 0.1, 0.1, diffusion_length_cm=1e-3)
    with pytest.raises(InputError, match="non-zero"):
        gitt_diffusion_coefficient(1.0, 0.1, 0.0, diffusion_length_cm=1e-3)
    with pytest.raises(InputError, match="increase strictly"):
        pitt_diffusion_coefficient(t[::-1], np.exp(-t), diffusion_length_cm=0.01)
    with pytest.raises(InputError, match=r"current_A\[3\] is not finite"):
        pitt_diffusion_coefficient(t, np.where(t == 3, np.nan, 1.0), diffusion_length_cm=0.01)
    with pytest.raises(InputError, match="changes sign"):
        pitt_diffusion_coefficient(t, np.cos(t), diffusion_length_cm=0.01)
    with pytest.raises(ComputationError, match="does not decay"):
        pitt_diffusion_coefficient(t, np.exp(t / 10), diffusion_length_cm=0.01)
    with pytest.raises(InputError, match="planar"):
        pitt_diffusion_coefficient(t + 1, np.exp(-t), diffusion_length_cm=0.01,
                                   geometry="sphere", method="short_time", window_s=(0, 10))
    with pytest.raises(InputError, match="holds 0 points"):
        pitt_diffusion_coefficient(t, np.exp(-t), diffusion_length_cm=0.01, window_s=(20, 30))
    with pytest.raises(InputError, match="no complete GITT pulse"):
        gitt_pulses(t, np.ones(11), np.ones(11), diffusion_length_cm=1e-3)
    with pytest.raises(InputError, match="zero everywhere"):
        gitt_pulses(t, np.ones(11), np.zeros(11), diffusion_length_cm=1e-3)


@pytest.mark.parametrize(("tau_fraction", "warned"), [(0.02, False), (2.0, True)])
def test_analyze_gitt_warns_when_pulses_exceed_the_method(tau_fraction, warned):
    """tau << L^2/D holds at 0.02 L^2/D; at 2 L^2/D the pulse crosses the slab and
    Weppner-Huggins' D is meaningless: analyze_gitt says so (not a silent number)."""
    import pandas as pd

    from sianode.experiments.diffusion_analysis import GITTAnalysis, analyze_gitt
    from sianode.experiments.schema import CURRENT, TIME, VOLTAGE

    d, length = 1e-10, 2e-4  # L^2/D = 400 s
    t, v, i = _gitt_record(d, length, tau_fraction * length**2 / d)
    res = analyze_gitt(pd.DataFrame({TIME: t, VOLTAGE: v, CURRENT: i}),
                       diffusion_length_cm=length)
    assert len(res.pulses) == 3
    assert bool(res.warnings) is warned
    if warned:
        assert res.warnings[0].startswith("3 of 3 pulses (0, 1, 2) have |dEs/dEt| > 0.63")
    assert GITTAnalysis.from_dict(res.as_dict()) == res
