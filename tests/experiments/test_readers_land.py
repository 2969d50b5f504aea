"""LAND golden files: LANDdt Excel exports in the indexed and the State layouts."""

import numpy as np
import pandas as pd
import pytest

from sianode.errors import FileFormatError
from sianode.experiments.cycling import cycle_capacities
from sianode.experiments.io import detect_format, read_cycler, read_land
from sianode.experiments.io.layouts import land_frame, write_land_xlsx
from sianode.experiments.schema import CURRENT, CYCLE, TIME, VOLTAGE
from sianode.experiments.synthetic import synthetic_cycling


@pytest.fixture(scope="module")
def records():
    # a full cell as in seed 002 (LAND CT2001A): charging lithiates the Si anode
    return synthetic_cycling([2.3, 2.2], [2.2, 2.18], 2.4e-3, "full", dt_s=30.0)


@pytest.mark.parametrize("layout", ["indexed", "state"])
def test_excel_golden(records, tmp_path, layout):
    f = tmp_path / f"LAND_{layout}.xlsx"
    write_land_xlsx(records, f, layout)
    assert detect_format(f) == "land"
    df = read_cycler(f)
    np.testing.assert_allclose(df[TIME], records[TIME], atol=1e-3)
    np.testing.assert_allclose(df[VOLTAGE], records[VOLTAGE])
    np.testing.assert_allclose(df[CURRENT], records[CURRENT], rtol=1e-12)
    if layout == "indexed":
        np.testing.assert_array_equal(df[CYCLE], records[CYCLE])
    s = cycle_capacities(df, "full")
    np.testing.assert_allclose(s["lithiation_capacity_mAh"], [2.3, 2.2], rtol=1e-6)
    np.testing.assert_allclose(s["delithiation_capacity_mAh"], [2.2, 2.18], rtol=1e-6)


def test_header_below_a_title_row(records, tmp_path):
    table = land_frame(records.iloc[:20])
    raw = pd.concat([pd.DataFrame([["Record table"] + [None] * (table.shape[1] - 1)],
                                  columns=table.columns),
                     pd.DataFrame([table.columns.tolist()], columns=table.columns),
                     table.astype(object)], ignore_index=True)
    f = tmp_path / "titled.xlsx"
    raw.to_excel(f, sheet_name="Record", index=False, header=False)
    df = read_land(f)
    assert len(df) == 20


def test_csv_layout_and_day_durations(records, tmp_path):
    t = land_frame(records.iloc[:5], "state")
    t["TestTime"] = ["0-00:00:00", "0-00:00:30", "1-00:00:00", "1-00:00:30", "1-00:01:00"]
    f = tmp_path / "land.csv"
    t.to_csv(f, index=False)
    df = read_land(f)
    assert df[TIME].tolist() == [0, 30, 86400, 86430, 86460]


def test_unknown_state_code(records, tmp_path):
    t = land_frame(records.iloc[:10], "state")
    t.loc[4, "State"] = "X"
    f = tmp_path / "bad.csv"
    t.to_csv(f, index=False)
    with pytest.raises(FileFormatError, match="unknown state") as e:
        read_land(f)
    assert (e.value.row, e.value.column) == (6, "State")


def test_bad_duration(records, tmp_path):
    t = land_frame(records.iloc[:10], "state")
    t.loc[2, "TestTime"] = "ten past"
    f = tmp_path / "bad.csv"
    t.to_csv(f, index=False)
    with pytest.raises(FileFormatError, match="h:mm:ss") as e:
        read_land(f)
    assert (e.value.row, e.value.column) == (4, "TestTime")


def test_workbook_without_record_sheet(tmp_path):
    f = tmp_path / "x.xlsx"
    pd.DataFrame({"a": [1, 2]}).to_excel(f, index=False)
    with pytest.raises(FileFormatError, match="Voltage/V"):
        read_land(f)
