"""Screening: resumable Parquet output, parallel = serial, boundary statistics."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sianode.errors import EmptySourceError, InputError, ParameterError
from sianode.testing import random_entries, toy_lisi_entries
from sianode.thermo.boundary import (
    ScreenFilter,
    apply_filter,
    boundary_summary,
    element_frequencies,
    fit_reciprocal_envelope,
    in_region,
    pair_cooccurrence,
)
from sianode.thermo.screen import screen


@pytest.fixture(scope="module")
def entries():
    return random_entries(n_systems=30, seed=11)


def test_resume_after_interruption_loses_and_duplicates_nothing(tmp_path, entries):
    full = screen(entries, batch_hosts=50).sort_values("id").reset_index(drop=True)
    out = tmp_path / "run"
    screen(entries, out_dir=out, batch_hosts=50)
    parts = sorted((out / "parts").glob("part-*.parquet"))
    assert len(parts) > 3
    # simulate an interruption: remove some finished parts and the final table
    for p in parts[1::2]:
        p.unlink()
    (out / "screen.parquet").unlink()
    seen = []
    again = screen(entries, out_dir=out, batch_hosts=50, progress=seen.append)
    assert sum(seen) == sum(len(pd.read_parquet(p)) for p in parts[1::2])
    again = again.sort_values("id").reset_index(drop=True)
    assert again["id"].is_unique
    pd.testing.assert_frame_equal(again[full.columns], full)
    back = pd.read_parquet(out / "screen.parquet").sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(back[full.columns], full)


def test_resume_refuses_other_input(tmp_path, entries):
    screen(entries, out_dir=tmp_path, batch_hosts=100)
    with pytest.raises(InputError, match="different input"):
        screen(entries[:-5], out_dir=tmp_path, batch_hosts=100)


def test_parallel_equals_serial(entries):
    a = screen(entries, batch_hosts=40).sort_values("id").reset_index(drop=True)
    b = screen(entries, batch_hosts=40, n_jobs=2).sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_missing_terminal_is_an_error_row_not_dropped():
    ents = [e for e in toy_lisi_entries() if e.entry_id != "toy-Si"]
    df = screen(ents)
    assert len(df) == 2
    assert df["status"].str.startswith("error: ").all()
    assert "no pure Si" in df["status"].iloc[0]


def test_stop_modulus_column():
    df = screen(toy_lisi_entries(), stop_modulus=True).set_index("formula")
    assert df.loc["Si", "k_stop_GPa"] == pytest.approx(4.2725, abs=1e-3)
    assert df.loc["LiSi", "k_stop_GPa"] == pytest.approx(1.0681, abs=1e-3)


def test_reciprocal_envelope_recovers_c():
    rng = np.random.default_rng(0)
    x = 10 ** rng.uniform(-2, 1, 4000)
    u = rng.uniform(0.05, 1.0, x.size)
    y = 0.45 / x * u
    c, ex, ey = fit_reciprocal_envelope(x, y)
    # x*y = 0.45 u with u ~ U(0.05, 1): its 95 % quantile is 0.45 (0.05 + 0.95 * 0.95)
    assert c == pytest.approx(0.45 * (0.05 + 0.95 * 0.95), rel=0.01)
    assert np.mean(x * y <= c) >= 0.95
    assert len(ex) == np.sum(x * y >= c)
    assert np.all(ex * ey >= c)
    assert np.all(np.diff(ex) >= 0)
    c_max, _, _ = fit_reciprocal_envelope(x, y, fraction_below=1.0)
    assert c_max == pytest.approx(np.max(x * y))
    with pytest.raises(EmptySourceError):
        fit_reciprocal_envelope(np.array([np.nan]), np.array([1.0]))
    for bad in (0.0, 1.5, math.nan):
        with pytest.raises(ParameterError, match="fraction_below"):
            fit_reciprocal_envelope(x, y, fraction_below=bad)


def test_reciprocal_envelope_is_not_a_bin_median():
    """The old fit (median of per-bin maxima) sat inside the cloud when the boundary hosts
    were sparse at large x and small-x bins were capped by the 1 V window."""
    rng = np.random.default_rng(3)
    x = np.concatenate([10 ** rng.uniform(-1.5, -0.5, 60), [1.0, 2.0, 5.0, 9.0]])
    y = np.minimum(0.4 / x * rng.uniform(0.2, 1.0, x.size), 1.0)
    y[-4:] = 0.4 / x[-4:]
    c, _, _ = fit_reciprocal_envelope(x, y)
    assert np.mean(x * y <= c) >= 0.95
    assert c == pytest.approx(0.4, rel=0.01)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(1e-3, 1e3), st.floats(1e-3, 5.0)), min_size=1, max_size=300),
       st.floats(0.5, 1.0))
def test_reciprocal_envelope_share_below_on_random_clouds(points, q):
    x, y = np.array(points).T
    c, ex, ey = fit_reciprocal_envelope(x, y, fraction_below=q)
    xy = x * y
    assert np.mean(xy <= c) >= q  # the stated share lies on or below y = c / x ...
    assert np.mean(xy < c) < q  # ... and c is the smallest such constant
    assert np.all(y[xy <= c] <= c / x[xy <= c] * (1 + 1e-12))
    assert set(ex * ey) == set(xy[xy >= c])


@pytest.fixture(scope="module")
def builtin_screen():
    from sianode.materials.entries import load_entries

    return screen(load_entries("builtin"), progress=False)


def test_reciprocal_envelope_bounds_the_builtin_screen(builtin_screen):
    sel = apply_filter(builtin_screen)
    x, y = sel["x_per_GPa"].to_numpy(), sel["voltage_V"].to_numpy()
    c, ex, ey = fit_reciprocal_envelope(x, y)
    si = sel.loc[sel["formula"] == "Si", "xy_eV_per_GPa"].iloc[0]
    assert si == pytest.approx(0.373, abs=0.01)
    assert si <= c <= 0.55  # Si lies below the boundary, inside the paper's band
    assert np.mean(x * y <= c) >= 0.95
    assert len(ex) == np.sum(x * y >= c) <= 0.05 * len(x) + 1
    s = boundary_summary(builtin_screen)
    assert s["boundary_c_eV_per_GPa"] == c
    assert s["boundary_fraction_below"] == 0.95
    assert s["boundary_share_below"] >= 0.95


def test_region_and_element_statistics():
    df = pd.DataFrame({
        "formula": ["Si", "Mg2Si", "Ag", "Cu", "MgSn"],
        "xy_eV_per_GPa": [0.45, 0.5, 0.36, math.nan, 0.9],
        "band_gap_eV": [0.6, 0.2, 0.0, 0.0, 2.0],
    })
    m = in_region(df)
    assert m.tolist() == [True, True, True, False, False]
    assert element_frequencies(df["formula"][m]) == {"Si": 2, "Mg": 1, "Ag": 1}
    assert pair_cooccurrence(["Mg2Si", "MgSiO3", "Ag"]) == {("Mg", "Si"): 2, ("Mg", "O"): 1,
                                                            ("O", "Si"): 1}
    with pytest.raises(ParameterError):
        in_region(df, 0.6, 0.3)


def test_filter_windows_and_summary(entries):
    df = screen(entries)
    sel = apply_filter(df, ScreenFilter((0.0, 1.0), (0.0, 10000.0)))
    assert (sel["voltage_V"] <= 1.0).all()
    assert (sel["capacity_mAh_g"] <= 10000.0).all()
    s = boundary_summary(df)
    assert s["n_hosts"] == len(df)
    assert 0 < s["n_in_region"] < s["n_in_window"] <= s["n_reacting"]
    assert s["top_elements"][0][1] >= s["top_elements"][-1][1]
    gapped = apply_filter(df, ScreenFilter(max_band_gap_eV=1.5))
    assert not (gapped["band_gap_eV"] >= 1.5).any()
    with pytest.raises(ParameterError, match="voltage_V"):
        ScreenFilter(voltage_V=(1.0, 0.0))
