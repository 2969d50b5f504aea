"""Arbin golden files (MITS Pro CSV and XLSX layouts generated on the fly)."""

import numpy as np
import pandas as pd
import pytest

from sianode.errors import FileFormatError
from sianode.experiments.cycling import cycle_capacities
from sianode.experiments.io import detect_format, read_arbin, read_cycler
from sianode.experiments.io.layouts import arbin_frame, write_arbin_csv, write_arbin_xlsx
from sianode.experiments.schema import CURRENT, CYCLE, TIME, VOLTAGE
from sianode.experiments.synthetic import synthetic_cycling


@pytest.fixture(scope="module")
def records():
    return synthetic_cycling([1.0, 0.95, 0.9], [0.9, 0.93, 0.88], 2e-3, "half", dt_s=5.0)


def test_csv_golden_roundtrip(records, tmp_path):
    f = tmp_path / "Si_half_Channel_6_Wb_1.csv"
    write_arbin_csv(records, f)
    assert f.read_text().splitlines()[0].startswith("Data_Point,Test_Time(s),Date_Time")
    assert detect_format(f) == "arbin"
    df = read_cycler(f)
    for col in (TIME, VOLTAGE, CURRENT, CYCLE):
        np.testing.assert_allclose(df[col], records[col], rtol=1e-9)
    assert "charging_capacity_ah" in df


def test_integrated_capacity_matches_arbin_counters(records, tmp_path):
    # Arbin's own per-cycle Charge/Discharge_Capacity(Ah) counters vs our integration
    f = tmp_path / "a.csv"
    write_arbin_csv(records, f)
    df = read_arbin(f)
    s = cycle_capacities(df, "half")
    counters = arbin_frame(records).groupby("Cycle_Index").max()
    # half cell: discharge (current < 0) lithiates Si
    np.testing.assert_allclose(s["lithiation_capacity_mAh"],
                               counters["Discharge_Capacity(Ah)"] * 1e3, rtol=1e-9)
    np.testing.assert_allclose(s["delithiation_capacity_mAh"],
                               counters["Charge_Capacity(Ah)"] * 1e3, rtol=1e-9)
    np.testing.assert_allclose(s["lithiation_capacity_mAh"], [1.0, 0.95, 0.9], rtol=1e-9)


def test_xlsx_multi_sheet_golden(records, tmp_path):
    f = tmp_path / "export.xlsx"
    part = records.iloc[:300]
    write_arbin_xlsx(part, f, rows_per_sheet=120)  # three Channel_1-006_k sheets
    assert detect_format(f) == "arbin"
    df = read_cycler(f)
    assert len(df) == len(part)
    np.testing.assert_allclose(df[CURRENT], part[CURRENT])


def test_new_style_headers_with_spaces(records, tmp_path):
    table = arbin_frame(records).rename(columns={"Test_Time(s)": "Test Time (s)",
                                                 "Current(A)": "Current (A)",
                                                 "Voltage(V)": "Voltage (V)"})
    f = tmp_path / "new.csv"
    table.to_csv(f, index=False)
    np.testing.assert_allclose(read_arbin(f)[TIME], records[TIME])


def test_missing_voltage_column(records, tmp_path):
    f = tmp_path / "bad.csv"
    arbin_frame(records).drop(columns=["Voltage(V)"]).to_csv(f, index=False)
    with pytest.raises(FileFormatError, match="Voltage") as e:
        read_arbin(f)
    assert str(f) in str(e.value)


def test_mixed_current_units_refused(records, tmp_path):
    t = arbin_frame(records)
    t["Current(mA)"] = t["Current(A)"] * 1e3
    f = tmp_path / "mixed.csv"
    t.to_csv(f, index=False)
    with pytest.raises(FileFormatError, match="mixed units"):
        read_arbin(f)


def test_truncated_last_row_named(records, tmp_path):
    f = tmp_path / "trunc.csv"
    write_arbin_csv(records.iloc[:50], f)
    text = f.read_text()
    f.write_text(text[: text.rstrip().rfind(",", 0, len(text) - 40)])
    with pytest.raises(FileFormatError, match="truncated") as e:
        read_arbin(f)
    assert e.value.row == 51  # header is line 1, data rows 2..51


def test_xlsx_without_channel_sheet(tmp_path):
    f = tmp_path / "x.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(f, sheet_name="Global_Info", index=False)
    with pytest.raises(FileFormatError, match="Channel"):
        read_arbin(f)


def test_corrupt_xlsx(tmp_path):
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"PK\x03\x04not really a zip")
    with pytest.raises(FileFormatError, match="Excel"):
        read_arbin(f)
