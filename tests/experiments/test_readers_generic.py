"""Generic CSV/Excel with a column map, BDF-named CSV, Parquet round trip, Neware adapter."""

import sys

import numpy as np
import pandas as pd
import pytest

from sianode.errors import (
    DependencyError,
    FileFormatError,
    ParameterError,
    UnknownNameError,
)
from sianode.experiments.io import (
    detect_format,
    read_cycler,
    read_neware,
    read_parquet,
    read_parquet_metadata,
    read_table,
    write_parquet,
)
from sianode.experiments.schema import CURRENT, CYCLE, STEP, STEP_INDEX, TIME, VOLTAGE
from sianode.experiments.synthetic import synthetic_cycling


@pytest.fixture(scope="module")
def records():
    return synthetic_cycling([1.0, 0.9], [0.9, 0.88], 1e-3, "half")


def test_bdf_named_csv_needs_no_map(records, tmp_path):
    f = tmp_path / "bdf.csv"
    records.to_csv(f, index=False)
    assert detect_format(f) == "csv"
    pd.testing.assert_frame_equal(read_cycler(f), records, check_exact=False, rtol=1e-12)


def test_column_map_scale_semicolon_and_decimal_comma(records, tmp_path):
    f = tmp_path / "mine.csv"
    t = pd.DataFrame({"t [h]": records[TIME] / 3600, "U": records[VOLTAGE],
                      "I [mA]": records[CURRENT] * 1e3})
    f.write_text(t.to_csv(index=False, sep=";").replace(".", ","))
    df = read_table(f, {TIME: "t [h]", VOLTAGE: "U", CURRENT: "I [mA]"},
                    scale={TIME: 3600.0, CURRENT: 1e-3}, decimal_comma=True)
    np.testing.assert_allclose(df[TIME], records[TIME], atol=1e-6)
    np.testing.assert_allclose(df[CURRENT], records[CURRENT])


def test_excel_with_map_and_sheet(records, tmp_path):
    f = tmp_path / "mine.xlsx"
    with pd.ExcelWriter(f) as xw:
        pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name="notes", index=False)
        records.rename(columns={VOLTAGE: "E"}).to_excel(xw, sheet_name="data", index=False)
    df = read_table(f, {TIME: TIME, VOLTAGE: "E", CURRENT: CURRENT}, sheet="data")
    np.testing.assert_allclose(df[VOLTAGE], records[VOLTAGE])
    with pytest.raises(FileFormatError, match="no sheet"):
        read_table(f, sheet="dat")
    with pytest.raises(FileFormatError, match="sheet 5"):
        read_table(f, sheet=5)


def test_bad_maps(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ParameterError, match="column_map"):
        read_table(f, {"time": "a"})
    with pytest.raises(FileFormatError, match="current_ampere"):
        read_table(f, {TIME: "a", VOLTAGE: "b"})
    with pytest.raises(ParameterError, match="scale"):
        read_table(f, {TIME: "a", VOLTAGE: "b", CURRENT: "c"}, scale={CURRENT: 0})


def test_wrong_delimiter_hint(records, tmp_path):
    f = tmp_path / "pipes.csv"
    f.write_text(records.iloc[:5].to_csv(index=False, sep="|"))
    with pytest.raises(FileFormatError, match="wrong delimiter"):
        read_table(f)


def test_missing_value_named(records, tmp_path):
    f = tmp_path / "nan.csv"
    t = records.iloc[:10].copy().astype(object)
    t.loc[3, VOLTAGE] = ""
    t.to_csv(f, index=False)
    with pytest.raises(FileFormatError, match="missing value") as e:
        read_table(f)
    assert (e.value.row, e.value.column) == (5, VOLTAGE)


def test_nan_literal_and_time_backwards(records, tmp_path):
    f = tmp_path / "nan.csv"
    t = records.iloc[:10].copy()
    t.loc[2, CURRENT] = np.nan
    t.to_csv(f, index=False, na_rep="NaN")
    with pytest.raises(FileFormatError, match="finite") as e:
        read_table(f)
    assert (e.value.row, e.value.column) == (4, CURRENT)
    t = records.iloc[:10].copy()
    t.loc[6, TIME] = 1.0
    t.to_csv(f, index=False)
    with pytest.raises(FileFormatError, match="backwards") as e:
        read_table(f)
    assert (e.value.row, e.value.column) == (8, TIME)


def test_empty_and_header_only_and_binary(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("")
    with pytest.raises(FileFormatError, match="empty"):
        read_table(f)
    f.write_text("test_time_second,voltage_volt,current_ampere\n")
    with pytest.raises(FileFormatError, match="no data rows"):
        read_table(f)
    f.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(FileFormatError, match="binary"):
        read_table(f)


def test_read_cycler_errors(tmp_path):
    with pytest.raises(FileFormatError, match="not found"):
        read_cycler(tmp_path / "nope.csv")
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(UnknownNameError, match="arbin"):
        read_cycler(f, "arbn")
    with pytest.raises(FileFormatError, match="unrecognised"):
        read_cycler(f)


def test_parquet_roundtrip_is_lossless(records, tmp_path):
    f = tmp_path / "r.parquet"
    extra = records.assign(comment=["x"] * len(records))
    write_parquet(extra, f, {"cell": "half", "mass_mg": 1.25, "area_cm2": 0.785})
    back = read_parquet(f)
    pd.testing.assert_frame_equal(back[records.columns], records, check_exact=True)
    assert list(back["comment"]) == ["x"] * len(records)
    assert read_parquet_metadata(f) == {"cell": "half", "mass_mg": 1.25, "area_cm2": 0.785}
    assert detect_format(f) == "parquet"


def test_parquet_garbage(tmp_path):
    f = tmp_path / "r.parquet"
    f.write_bytes(b"PAR1 nope")
    with pytest.raises(FileFormatError, match="Parquet"):
        read_parquet(f)


def _fastnda_frame():
    pl = pytest.importorskip("polars")
    return pl.DataFrame({
        "record_index": [1, 2, 3], "test_time_second": [0.0, 1.0, 2.0],
        "voltage_volt": [3.0, 3.5, 3.6], "current_ampere": [0.0, 1e-3, 1e-3],
        "cycle_count": [1, 1, 1], "step_count": [1, 2, 2], "step_id": [1, 2, 2],
    })


def test_neware_through_fastnda(monkeypatch, tmp_path):
    fastnda = pytest.importorskip("fastnda")
    calls = {}

    def fake_read(path, cycle_mode="chg", columns="default"):
        calls.update(cycle_mode=cycle_mode, columns=columns)
        return _fastnda_frame()

    monkeypatch.setattr(fastnda, "read", fake_read)
    f = tmp_path / "cell.ndax"
    f.write_bytes(b"x")
    df = read_cycler(f)
    assert calls == {"cycle_mode": "chg", "columns": "bdf"}  # NewareNDA's numbering
    assert df[STEP_INDEX].tolist() == [1, 2, 2]
    assert df[CURRENT].iloc[1] == 1e-3


def test_neware_through_newarenda(monkeypatch, tmp_path):
    newarenda = pytest.importorskip("NewareNDA")
    raw = pd.DataFrame({
        "Index": [1, 2, 3, 4], "Cycle": [1, 1, 1, 1], "Step": [1, 1, 2, 2],
        "Step_Index": [1, 1, 2, 2], "Time": [0.0, 10.0, 5.0, 10.0],
        "Voltage": [3.0, 3.1, 3.2, 3.3], "Current(mA)": [1.0, 1.0, -2.0, -2.0],
    })
    # NewareNDA >= 2024 returns timezone-aware timestamps (issue 11, D1)
    raw["Timestamp"] = pd.to_datetime([0, 10, 15, 20], unit="s", utc=True)
    monkeypatch.setattr(newarenda, "read", lambda path, **kw: raw)
    (tmp_path / "c.nda").write_bytes(b"NEWARE\x00")
    df = read_neware(tmp_path / "c.nda", backend="newarenda")
    assert df[TIME].tolist() == [0.0, 10.0, 15.0, 20.0]
    assert df["unix_time_second"].tolist() == [0.0, 10.0, 15.0, 20.0]
    assert df[CURRENT].tolist() == [1e-3, 1e-3, -2e-3, -2e-3]
    assert df[CYCLE].tolist() == [1, 1, 1, 1]
    assert df[STEP].tolist() == [1, 1, 2, 2]


def test_neware_errors(monkeypatch, tmp_path):
    f = tmp_path / "bad.nda"
    f.write_bytes(b"\x00garbage")
    with pytest.raises(FileFormatError, match="cannot read"):
        read_neware(f)
    with pytest.raises(UnknownNameError):
        read_neware(f, backend="pandas")
    monkeypatch.setitem(sys.modules, "fastnda", None)
    monkeypatch.setitem(sys.modules, "NewareNDA", None)
    with pytest.raises(DependencyError, match=r"sianode\[io\]"):
        read_neware(f)


def test_parquet_metadata_numpy_values_and_refusal(records, tmp_path):
    f = tmp_path / "m.parquet"
    write_parquet(records, f, {"mass_mg": np.float64(1.5), "cycles": np.int64(3)})
    assert read_parquet_metadata(f) == {"mass_mg": 1.5, "cycles": 3}
    with pytest.raises(ParameterError, match="metadata"):
        write_parquet(records, f, {"bad": object()})
