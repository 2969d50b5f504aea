"""Real-protocol behaviour: pulses, incomplete cycles, unit and sign checks, foreign frames."""

import numpy as np
import pandas as pd
import pytest

from sianode.errors import InputError
from sianode.experiments.cycle_labels import label_cycles
from sianode.experiments.cycling_analysis import analyze_cycling
from sianode.experiments.io import from_frame
from sianode.experiments.schema import CURRENT, CYCLE, TIME, VOLTAGE
from sianode.experiments.synthetic import synthetic_cycling

LITH = [1.00, 0.95, 0.90, 0.85]
DELI = [0.90, 0.94, 0.89, 0.80]


@pytest.fixture(scope="module")
def half():
    return synthetic_cycling(LITH, DELI, 1e-3, "half", dt_s=3.6)


def _with_pulses(df):
    """Insert a 2-record opposite-sign pulse in the middle of every lithiation (an MB/GITT
    style relaxation probe): without pulse handling each one starts a spurious cycle."""
    df = df.drop(columns=CYCLE).copy()
    cur = df[CURRENT].to_numpy().copy()
    lith = np.flatnonzero(cur < 0)
    runs = np.split(lith, np.flatnonzero(np.diff(lith) > 1) + 1)
    for r in runs:
        mid = r[len(r) // 2]
        cur[mid:mid + 2] = +1e-3
    df[CURRENT] = cur
    return df


def test_pulses_do_not_start_cycles(half):
    df = _with_pulses(half)
    lab = label_cycles(df, "half")
    assert lab.source == "current sign"
    assert lab.n_minor_segments == len(LITH)
    r = analyze_cycling(df, "half")
    assert [c["cycle"] for c in r.cycles] == [1, 2, 3, 4]
    # each pulse moves 2 x 3.6 s x 1 mA = 0.002 mAh from lithiation to delithiation
    np.testing.assert_allclose([c["lithiation_capacity_mAh"] for c in r.cycles],
                               np.array(LITH) - 0.002, atol=1e-9)
    assert r.ce_std < 0.05  # sign-only cycles gave CE 13 ± 51 on a real MB file
    assert any("pulse" in w for w in r.warnings)


def test_incomplete_last_cycle_is_reported_and_excluded(half):
    stop = int(np.flatnonzero(half[CURRENT].to_numpy() > 0)[-1] - 150)
    df = half.iloc[:stop].reset_index(drop=True)  # stopped early in the last delithiation
    r = analyze_cycling(df, "half")
    assert r.incomplete_cycles == (4,)
    assert r.cycles[-1]["status"].startswith("stopped during delithiation")
    assert r.ce_window == (2, 3)
    assert r.cycles_to_threshold is None
    assert np.isnan(r.cycles[-1]["retention"])


def test_no_delithiation_half_is_named(half):
    df = half[half[CURRENT] <= 0].reset_index(drop=True)
    df[TIME] = np.arange(len(df)) * 3.6
    with pytest.raises(InputError, match="no delithiation half"):
        analyze_cycling(df, "half")


def test_unit_checks_name_the_suspected_unit(half):
    ma_as_a = half.assign(**{CURRENT: half[CURRENT] * 1e3})  # mA under an A header
    with pytest.raises(InputError, match="current is probably in mA"):
        analyze_cycling(ma_as_a, "half", mass_mg=1.0)
    ms_as_s = half.assign(**{TIME: half[TIME] * 1e3})  # ms in a seconds column
    with pytest.raises(InputError, match="time is probably in ms"):
        analyze_cycling(ms_as_s, "half", mass_mg=1.0)
    ok = analyze_cycling(half, "half", mass_mg=1.0)
    assert ok.warnings == ()
    fast = synthetic_cycling(LITH, DELI, 0.1, "half", dt_s=0.36)  # 100 mA on 1 mg: 24C
    r = analyze_cycling(fast, "half", mass_mg=1.0)
    assert any("24C" in w for w in r.warnings)


def test_flipped_current_sign_is_named(half):
    flipped = half.assign(**{CURRENT: -half[CURRENT]})
    r = analyze_cycling(flipped, "half")
    assert any("current sign" in w and "--scale current_ampere=-1" in w for w in r.warnings)


def test_navani_and_eclab_frames_and_what_to_pass(half):
    navani = pd.DataFrame({"Time": half[TIME], "Voltage": half[VOLTAGE],
                           "Current": half[CURRENT] * 1e3, "full cycle": half[CYCLE]})
    r = analyze_cycling(navani, "half")
    np.testing.assert_allclose([c["delithiation_capacity_mAh"] for c in r.cycles], DELI)
    eclab = pd.DataFrame({"time/s": half[TIME], "Ewe/V": half[VOLTAGE],
                          "I/mA": half[CURRENT] * 1e3})
    assert from_frame(eclab)[CURRENT].tolist() == pytest.approx(half[CURRENT].tolist())
    own = pd.DataFrame({"t": half[TIME], "u": half[VOLTAGE], "i": half[CURRENT]})
    with pytest.raises(InputError, match="column_map"):
        analyze_cycling(own, "half")
    mapped = from_frame(own, {TIME: "t", VOLTAGE: "u", CURRENT: "i"})
    assert len(mapped) == len(half)
