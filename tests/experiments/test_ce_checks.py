"""Spurious cycles never yield a CE mean ± std without a warning (issue 11, D8).

Real files: ``tests/data/instruments`` (MANIFEST.tsv gives source, commit and licence).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sianode.cli.main import main
from sianode.errors import InputError
from sianode.experiments.ce_checks import (
    CE_PLAUSIBLE_MAX,
    CE_PLAUSIBLE_MIN,
    flag_ce_outliers,
    swapped_sign_warning,
)
from sianode.experiments.cycling_analysis import CyclingResult, analyze_cycling
from sianode.experiments.io import read_cycler
from sianode.experiments.synthetic import synthetic_cycling

DATA = Path(__file__).parents[1] / "data" / "instruments"


@pytest.fixture(scope="module")
def nw4():
    return read_cycler(DATA / "fastnda_nw4.ndax")


def test_fastnda_half_names_cycle_15_and_the_sign_convention(nw4):
    r = analyze_cycling(nw4, "half")
    assert r.ce_window == (2, 24)
    assert r.ce_mean == pytest.approx(1.78714, abs=1e-5)  # the plain mean is kept
    flagged = [o["cycle"] for o in r.ce_outliers]
    assert flagged == list(range(15, 25))  # every one above the 110 % band
    assert r.ce_outliers[0]["coulombic_efficiency"] == pytest.approx(16.60385, abs=1e-4)
    assert "15 (1660.4 %)" in r.ce_warning
    assert r.ce_n_excluding_outliers == 13
    assert r.ce_mean_excluding_outliers == pytest.approx(1.06688, abs=1e-5)
    assert r.ce_std_excluding_outliers == pytest.approx(0.00685, abs=1e-5)
    assert "CE median 107.57 % over cycles 2-24" in r.cell_convention_warning
    assert "try --cell full" in r.cell_convention_warning
    assert {r.ce_warning, r.cell_convention_warning} <= set(r.warnings)


def test_fastnda_full_flags_cycle_16_and_the_long_first_charge(nw4):
    r = analyze_cycling(nw4, "full")
    assert [o["cycle"] for o in r.ce_outliers] == [16]
    assert r.ce_outliers[0]["coulombic_efficiency"] == pytest.approx(0.21400, abs=1e-5)
    assert "below the plausible 50 %" in r.ce_outliers[0]["reason"]
    assert r.ce_mean == pytest.approx(0.80299, abs=1e-5)
    assert r.ce_mean_excluding_outliers == pytest.approx(0.82859, abs=1e-5)
    assert r.cell_convention_warning is None
    # ICE 19.1 %: a 5 V first charge 9.2 times the next cycles' -> named
    assert r.initial_coulombic_efficiency == pytest.approx(0.19101, abs=1e-5)
    assert "its lithiation holds 1.694 mAh, 9.2 times the median 0.1832 mAh of cycles 2-6" \
        in r.ice_warning
    assert "a formation step" in r.ice_warning


@pytest.mark.parametrize(("name", "median"), [
    ("nnda_TestFile.nda", "126.71"), ("navani_gcpl5.mpr", "108.56"),
    ("navani_arbin.res", "100.41"), ("cellpy_nw_ife.csv", "100.21")])
def test_cathode_and_full_cell_files_read_as_half_are_flagged(name, median):
    r = analyze_cycling(read_cycler(DATA / name), "half")
    assert r.cell_convention_warning is not None
    assert f"CE median {median} %" in r.cell_convention_warning


def test_nnda_half_names_the_153_percent_cycle():
    r = analyze_cycling(read_cycler(DATA / "nnda_TestFile.nda"), "half")
    assert [o["cycle"] for o in r.ce_outliers] == [1]
    assert r.ce_n_excluding_outliers == 1
    assert r.ce_mean_excluding_outliers == pytest.approx(1.00127, abs=1e-5)
    assert math.isnan(r.ce_std_excluding_outliers)


@pytest.mark.parametrize(("name", "cell", "scale", "mean", "std"), [
    ("navani_arbin.res", "full", 1.0, 0.99519, 0.00021),
    ("cellpy_batmo_bdf.csv", "full", -1.0, 0.99961, 0.00792),
    ("cellpy_nw_ife.csv", "full", 1.0, 0.98668, 0.00630),
    ("navani_gcpl5.mpr", "full", 1.0, 0.92637, 0.00579),
])
def test_clean_files_get_no_ce_warning(name, cell, scale, mean, std):
    df = read_cycler(DATA / name)
    df = df.assign(current_ampere=df["current_ampere"] * scale)
    r = analyze_cycling(df, cell)
    assert r.ce_mean == pytest.approx(mean, abs=1e-5)
    assert r.ce_std == pytest.approx(std, abs=1e-5)
    assert r.ce_outliers == ()
    assert r.ce_warning is None
    assert r.cell_convention_warning is None
    assert r.ce_mean_excluding_outliers == r.ce_mean
    assert r.ce_std_excluding_outliers == r.ce_std


def test_pulse_before_first_delithiation_is_not_a_cycle():
    """navani test.nda as 'half': a 6.5e-5 mAh pulse made 'cycle 0' complete (CE 1071 %);
    now, like test.ndax, the file has no complete cycle and says why."""
    with pytest.raises(InputError, match=r"cycle 0: delithiation before the first lithiation "
                       r"\(its only lithiation is 6.53e-05 mAh of short pulses\)"):
        analyze_cycling(read_cycler(DATA / "navani_test.nda"), "half")


def test_round_trip_keeps_outliers(nw4):
    r = analyze_cycling(nw4, "half")
    d = json.loads(json.dumps(r.as_dict()))
    back = CyclingResult.from_dict(d)
    assert back.ce_outliers == r.ce_outliers
    assert back.ce_warning == r.ce_warning
    assert back.cell_convention_warning == r.cell_convention_warning
    assert back.ce_mean_excluding_outliers == r.ce_mean_excluding_outliers
    assert back == CyclingResult.from_dict(back.as_dict())


def test_cli_prints_both_means(capsys):
    assert main(["analyze", "cycling", str(DATA / "fastnda_nw4.ndax"), "--cell", "half"]) == 0
    out, err = capsys.readouterr()
    assert ("CE over cycles 2-24 (23 complete, flagged cycles included) = 178.714 % ± 323.083 "
            "percentage points (suspect: see the warnings above)") in out
    assert ("CE over cycles 2-24 without flagged cycle(s) 15, 16, 17, 18, 19, 20, 21, 22, 23, "
            "24 (13 cycle(s)) = 106.688 % ± 0.685 percentage points") in out
    assert "warning: CE of cycle(s) 15 (1660.4 %)" in err
    assert "warning: CE median 107.57 %" in err


def test_synthetic_spurious_cycle():
    """Cycle 4 has a 0.5 mAh lithiation and 1 mAh delithiation: CE 200 %, flagged."""
    lith = [1.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0]
    deli = [0.8, 0.99, 0.99, 1.0, 0.99, 0.99, 0.99]
    r = analyze_cycling(synthetic_cycling(lith, deli, 1e-3, "half", dt_s=3.6), "half")
    assert [o["cycle"] for o in r.ce_outliers] == [4]
    assert r.ce_mean_excluding_outliers == pytest.approx(0.99, abs=2e-3)
    assert r.cell_convention_warning is None


@settings(max_examples=60, deadline=None)
@given(base=st.floats(0.90, 0.9995), noise=st.floats(0.0, 0.01), seed=st.integers(0, 10**6),
       spike=st.floats(-0.6, 0.6), where=st.integers(0, 19))
def test_flagging_contract(base, noise, seed, spike, where):
    """Every flagged cycle is out of band or > 10 points from the median; a spike that leaves
    the band is always flagged; a noisy clean series (no spike) flags nothing."""
    rng = np.random.default_rng(seed)
    ce = base + noise * rng.uniform(-1, 1, 20)
    cycles = np.arange(2, 22)
    assert flag_ce_outliers(cycles, ce) == ()
    ce[where] += spike
    flagged = {o["cycle"]: o for o in flag_ce_outliers(cycles, ce)}
    med = np.median(ce)
    for o in flagged.values():
        x = o["coulombic_efficiency"]
        assert x < CE_PLAUSIBLE_MIN or x > CE_PLAUSIBLE_MAX or abs(x - med) > 0.1 - 0.03
    if not CE_PLAUSIBLE_MIN <= ce[where] <= CE_PLAUSIBLE_MAX:
        assert cycles[where] in flagged
    assert swapped_sign_warning(ce, (2, 21), "half") is None  # median stays <= 100.1 %
