"""An ICE that does not describe the cell's first cycle is flagged, never reported silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from sianode.cli.main import main
from sianode.experiments.cycling_analysis import CyclingResult, analyze_cycling
from sianode.experiments.io import read_cycler
from sianode.experiments.synthetic import synthetic_cycling

#: a real Neware BTSDA export (jepegit/cellpy, MIT; tests/data/instruments/MANIFEST.tsv) whose
#: first charge stops after 22.5 mAh, against ~330 mAh in every later cycle
NW_IFE = Path(__file__).parents[1] / "data" / "instruments" / "cellpy_nw_ife.csv"


@pytest.fixture(scope="module")
def nw_ife():
    return read_cycler(NW_IFE)


def test_real_file_short_first_charge_is_flagged(nw_ife):
    r = analyze_cycling(nw_ife, "full", source=str(NW_IFE))
    assert r.ice_cycle == 1
    assert r.initial_coulombic_efficiency == pytest.approx(14.678, abs=1e-3)  # 1468 %
    assert r.ice_warning is not None
    assert "its lithiation holds 22.52 mAh, 7% of the median 327 mAh of cycles 2-6" \
        in r.ice_warning
    assert "more charge came out than went in" in r.ice_warning
    assert r.ice_warning in r.warnings
    back = CyclingResult.from_dict(r.as_dict())
    assert back.ice_warning == r.ice_warning


def test_real_file_incomplete_first_cycle_is_flagged(nw_ife):
    r = analyze_cycling(nw_ife, "half")
    assert r.incomplete_cycles[0] == 0
    assert r.initial_coulombic_efficiency == pytest.approx(0.9916, abs=1e-4)
    assert r.ice_warning.startswith("ICE is taken from cycle 1, not from the file's first "
                                    "cycle 0, which is incomplete (delithiation before the "
                                    "first lithiation)")


def test_cli_prints_the_flag(capsys):
    assert main(["analyze", "cycling", str(NW_IFE), "--cell", "full"]) == 0
    out, err = capsys.readouterr()
    assert "ICE (cycle 1) = 1467.83 % (suspect: see the warning above)" in out
    assert "warning: ICE 1467.8% of cycle 1 is suspect" in err


def test_clean_cell_is_not_flagged():
    df = synthetic_cycling([1.0, 0.9, 0.89, 0.88], [0.85, 0.88, 0.87, 0.86], 1e-3, "half",
                           dt_s=3.6)
    r = analyze_cycling(df, "half")
    assert r.initial_coulombic_efficiency == pytest.approx(0.85, rel=0.01)
    assert r.ice_warning is None


@pytest.mark.parametrize(("lith", "deli", "needle"), [
    ([0.3, 1.0, 1.0, 1.0], [0.28, 0.99, 0.98, 0.97], "its lithiation holds 0.3 mAh, 30%"),
    ([1.0, 1.0, 1.0], [0.4, 0.99, 0.98], "its delithiation holds 0.4 mAh, 41% of the median 0.985 mAh"),
    ([0.5], [0.6], "more charge came out than went in (above 105%)"),  # one cycle only
])
def test_synthetic_suspect_first_cycles(lith, deli, needle):
    df = synthetic_cycling(lith, deli, 1e-3, "half", dt_s=3.6)
    r = analyze_cycling(df, "half")
    assert r.ice_warning is not None
    assert needle in r.ice_warning
