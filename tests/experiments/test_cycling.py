"""Cycling metrics on records with exactly known capacities, and seed 002's CE statistics."""

import numpy as np
import pandas as pd
import pytest

from sianode.errors import (
    ComputationError,
    EmptySourceError,
    InputError,
    MissingMetadataError,
    ParameterError,
)
from sianode.experiments.cycling import (
    areal_capacity_mAh_cm2,
    assign_cycles,
    capacity_retention,
    ce_statistics,
    cycle_capacities,
    cycles_to_threshold,
    initial_coulombic_efficiency,
    rate_capability,
    specific_capacity_mAh_g,
)
from sianode.experiments.cycling_analysis import CyclingResult, analyze_cycling
from sianode.experiments.schema import CURRENT
from sianode.experiments.synthetic import synthetic_cycling

LITH = [1.00, 0.95, 0.90, 0.85, 0.78]
DELI = [0.90, 0.94, 0.89, 0.80, 0.70]


@pytest.fixture(scope="module")
def half():
    return synthetic_cycling(LITH, DELI, 1e-3, "half", dt_s=3.6)  # 1e-3 mAh per record


def test_capacities_ce_specific_and_areal(half):
    s = cycle_capacities(half, "half", mass_mg=0.5, area_cm2=0.25)
    assert s["cycle"].tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(s["lithiation_capacity_mAh"], LITH, rtol=1e-9)
    np.testing.assert_allclose(s["delithiation_capacity_mAh"], DELI, rtol=1e-9)
    np.testing.assert_allclose(s["coulombic_efficiency"], np.divide(DELI, LITH), rtol=1e-9)
    np.testing.assert_allclose(s["lithiation_capacity_mAh_g"], np.divide(LITH, 0.5e-3))
    np.testing.assert_allclose(s["delithiation_capacity_mAh_cm2"], np.divide(DELI, 0.25))
    np.testing.assert_allclose(s["lithiation_current_mA_cm2"], 4.0)


def test_cell_type_decides_direction(half):
    # the same records read as a full cell swap lithiation and delithiation: the first
    # positive-current step (delithiation in the half cell) now starts cycle 1
    full = cycle_capacities(half, "full").set_index("cycle")
    assert full.loc[0, "delithiation_capacity_mAh"] == pytest.approx(LITH[0])
    np.testing.assert_allclose(full.loc[1:, "lithiation_capacity_mAh"], DELI, rtol=1e-9)
    np.testing.assert_allclose(full.loc[1:4, "delithiation_capacity_mAh"], LITH[1:], rtol=1e-9)


def test_full_cell_records():
    df = synthetic_cycling([2.0, 1.9], [1.8, 1.85], 2e-3, "full", dt_s=1.8)
    assert (df[CURRENT] >= 0).iloc[:200].all()  # charging first
    s = cycle_capacities(df, "full")
    np.testing.assert_allclose(s["coulombic_efficiency"], [0.9, 1.85 / 1.9], rtol=1e-9)


def test_delithiation_before_first_lithiation_is_cycle_zero():
    df = synthetic_cycling([1.0, 1.0], [0.9, 0.9], 1e-3, "half", dt_s=3.6)
    df = df.iloc[1100:].reset_index(drop=True)  # start inside the first delithiation
    derived = df.drop(columns="cycle_count")
    lab = assign_cycles(derived, "half")
    assert lab["cycle"].iloc[0] == 0
    s = cycle_capacities(derived, "half")
    assert s["cycle"].tolist() == [0, 1]
    assert np.isnan(s["coulombic_efficiency"].iloc[0])
    # with the instrument's numbers the cycles keep them; the first is flagged, not dropped
    s = cycle_capacities(df, "half")
    assert s["cycle"].tolist() == [1, 2]
    assert s["status"].tolist() == ["delithiation before the first lithiation", "complete"]


def test_ice_retention_and_cycles_to_threshold(half):
    s = cycle_capacities(half, "half")
    assert initial_coulombic_efficiency(s) == pytest.approx(0.90)
    ret = capacity_retention(s, reference_cycle=2)
    assert ret.loc[2] == 1.0
    assert ret.loc[5] == pytest.approx(0.70 / 0.94)
    assert cycles_to_threshold(s, 0.8, reference_cycle=2) == 5
    assert cycles_to_threshold(s, 0.86, reference_cycle=2) == 4
    assert cycles_to_threshold(s, 0.5, reference_cycle=2) is None
    assert cycles_to_threshold(s, 0.8, reference_cycle=1) == 5  # 0.70/0.90 = 0.778


def test_seed002_ce_mean_and_std_over_an_explicit_window():
    # seed 002: average CE 99.86 % (std 0.0048) over the 183 cycles to 80 % retention and
    # 99.92 % (std 0.018) over 1000 cycles; a CE trace built with exactly these moments
    # (std read as a fraction) must give them back over the same windows
    rng = np.random.default_rng(2)

    def trace(n, mean, std):
        z = rng.normal(size=n)
        z = (z - z.mean()) / z.std(ddof=1)
        return mean + std * z

    ce = np.r_[0.95, trace(182, 0.9986, 0.0048)]  # cycle 1 (formation) outside the window
    s = pd.DataFrame({"cycle": np.arange(1, 184), "coulombic_efficiency": ce})
    st = ce_statistics(s, 2, 183)
    assert st["ce_mean_percent"] == pytest.approx(99.86, abs=1e-9)
    assert st["ce_std"] == pytest.approx(0.0048, rel=1e-9)
    assert st["n_cycles"] == 182
    long = pd.DataFrame({"cycle": np.arange(1, 1001), "coulombic_efficiency":
                         trace(1000, 0.9992, 0.018)})
    st = ce_statistics(long, 1, 1000)
    assert (round(st["ce_mean_percent"], 2), round(st["ce_std"], 3)) == (99.92, 0.018)
    # the window matters: including the formation cycle changes the numbers
    assert ce_statistics(s, 1, 183)["ce_mean"] < 0.9986


def test_ce_statistics_errors(half):
    s = cycle_capacities(half, "half")
    with pytest.raises(ParameterError, match="FIRST <= LAST"):
        ce_statistics(s, 4, 2)
    with pytest.raises(ParameterError, match="within 1..5"):
        ce_statistics(s, 1, 9)
    with pytest.raises(ComputationError, match="two"):
        ce_statistics(s, 3, 3)


def test_rate_capability_table():
    # seed 002 Fig. 5d style: 0.3, 0.6, 1.3 mA/cm² then back to 0.3, three cycles each
    area = 2.0
    j = [0.3, 0.6, 1.3, 0.3]
    currents = np.repeat(np.array(j) * area * 1e-3, 3)
    caps = np.repeat([1.8, 1.6, 1.2, 1.75], 3)
    df = synthetic_cycling(caps * 1.02, caps, currents, "half", dt_s=1.0)
    s = cycle_capacities(df, "half", area_cm2=area)
    table = rate_capability(s, area_cm2=area, mass_mg=10.0)
    assert table["n_cycles"].tolist() == [3, 3, 3, 3]
    np.testing.assert_allclose(table["current_density_mA_cm2"], j, rtol=1e-6)
    np.testing.assert_allclose(table["delithiation_capacity_mAh"], [1.8, 1.6, 1.2, 1.75],
                               atol=2e-3)
    np.testing.assert_allclose(table["delithiation_capacity_mAh_g"],
                               table["delithiation_capacity_mAh"] / 0.01)
    assert table["first_cycle"].tolist() == [1, 4, 7, 10]


def test_metadata_and_parameter_errors(half):
    with pytest.raises(MissingMetadataError, match="mass_mg"):
        specific_capacity_mAh_g(1.0, None)
    with pytest.raises(MissingMetadataError, match="area_cm2"):
        areal_capacity_mAh_cm2(1.0, None)
    assert specific_capacity_mAh_g(1.0, 0.5) == pytest.approx(2000.0)
    assert areal_capacity_mAh_cm2(1.0, 0.5) == pytest.approx(2.0)
    with pytest.raises(ParameterError, match="mass_mg"):
        cycle_capacities(half, "half", mass_mg=-1.0)
    s = cycle_capacities(half, "half")
    with pytest.raises(ParameterError, match="reference_cycle"):
        capacity_retention(s, reference_cycle=40)
    with pytest.raises(ParameterError, match="threshold"):
        cycles_to_threshold(s, 1.5)
    with pytest.raises(ParameterError, match="column"):
        capacity_retention(s, column="nope")


def test_no_current_at_all():
    df = pd.DataFrame({"test_time_second": [0.0, 1.0], "voltage_volt": [1.0, 1.0],
                       "current_ampere": [0.0, 0.0]})
    with pytest.raises(EmptySourceError):
        cycle_capacities(df, "half")
    with pytest.raises(InputError):
        rate_capability(pd.DataFrame({"cycle": [1], "delithiation_current_A": [np.nan]}))


def test_analyze_cycling_keys_and_explicit_choices(half):
    res = analyze_cycling(half, "half", mass_mg=1.0, ce_window=(2, 4), reference_cycle=2)
    assert isinstance(res, CyclingResult)
    r = res.as_dict()
    assert CyclingResult.from_dict(r) == res
    for key in ("cycles", "initial_coulombic_efficiency", "ce_mean", "ce_std",
                "retention_reference_cycle", "cycles_to_threshold", "threshold_fraction"):
        assert key in r
    assert r["ce_window"] == [2, 4]
    assert r["retention_reference_cycle"] == 2
    assert r["threshold_fraction"] == 0.8
    assert r["cycles_to_threshold"] == 5
    assert r["ce_mean"] == pytest.approx(np.mean(np.divide(DELI, LITH)[1:4]))
    assert r["area_cm2"] is None
    assert "lithiation_capacity_mAh_cm2" not in r["cycles"][0]


def test_cycling_plots_return_their_axes(half):
    from sianode.plots.cycling import (
        plot_capacity_ce,
        plot_rate_capability,
        plot_voltage_profiles,
    )

    s = cycle_capacities(half, "half")
    ax = plot_capacity_ce(s)
    assert len(ax.lines[0].get_xdata()) == 5
    assert ax.ce_axes.lines[0].get_ydata()[0] == pytest.approx(90.0)
    ax = plot_voltage_profiles(half, "half", cycles=[1, 2])
    assert len(ax.lines) == 4
    assert ax.get_xlabel() == "capacity [mAh]"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == [
        "cycle 1 lith.", "cycle 1 delith."]
    assert max(ax.lines[0].get_xdata()) == pytest.approx(1.0)
    ax = plot_rate_capability(rate_capability(s))
    assert len(ax.patches) == 1
    with pytest.raises(ParameterError, match="capacity"):
        plot_capacity_ce(s, capacity="nope")


def test_seed002_cycles_to_80_percent_is_the_first_cycle_at_or_below():
    # seed 002: "capacity retentions were 80 % (183 cycles)"; a linear fade reaching 80.0 %
    # of cycle 1 exactly at cycle 183 must report 183, and 182 must still be above
    n = np.arange(1, 301)
    cap = 138.9 * (1 - 0.2 * (n - 1) / 182)
    s = pd.DataFrame({"cycle": n, "delithiation_capacity_mAh": cap})
    assert cycles_to_threshold(s, 0.8) == 183
    assert capacity_retention(s).loc[182] > 0.8
    assert cycles_to_threshold(s, 0.9) == 92  # any threshold: 1 - 0.2 * 91 / 182 = 0.9
