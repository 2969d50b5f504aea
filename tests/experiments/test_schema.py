"""Tidy schema: sign convention per cell type, validation errors naming file/row/column."""

import numpy as np
import pandas as pd
import pytest

from sianode.errors import FileFormatError, MissingMetadataError, UnknownNameError
from sianode.experiments.schema import (
    BDF_COLUMNS,
    CURRENT,
    CYCLE,
    TIME,
    VOLTAGE,
    lithiation_sign,
    require_metadata,
    validate_timeseries,
)


def _df(**over):
    d = {TIME: [0.0, 1.0, 2.0], VOLTAGE: [0.5, 0.4, 0.3], CURRENT: [0.0, -1e-3, -1e-3],
         CYCLE: [1, 1, 1]}
    d.update(over)
    return pd.DataFrame(d)


def test_bdf_names_are_the_battery_data_format_machine_names():
    for name in ("test_time_second", "voltage_volt", "current_ampere", "cycle_count",
                 "step_count", "step_index"):
        assert name in BDF_COLUMNS


@pytest.mark.parametrize(("cell", "sign"), [("full", 1), ("half", -1), ("symmetric", -1),
                                            ("asymmetric", -1)])
def test_lithiation_sign_per_cell_type(cell, sign):
    assert lithiation_sign(cell) == sign


def test_unknown_cell_type_suggests_nearest():
    with pytest.raises(UnknownNameError, match="half"):
        lithiation_sign("halff")


def test_validate_casts_dtypes_and_keeps_extra_columns():
    df = _df(note=["a", "b", "c"])
    out = validate_timeseries(df)
    assert out[TIME].dtype == np.float64
    assert out[CYCLE].dtype == np.int64
    assert list(out.columns[:3]) == [TIME, VOLTAGE, CURRENT]
    assert list(out["note"]) == ["a", "b", "c"]


def test_missing_column_named():
    with pytest.raises(FileFormatError, match="voltage_volt") as e:
        validate_timeseries(_df().drop(columns=[VOLTAGE]), "f.csv")
    assert e.value.path == "f.csv"
    assert e.value.column == VOLTAGE


def test_nan_names_row_and_column():
    with pytest.raises(FileFormatError) as e:
        validate_timeseries(_df(**{VOLTAGE: [0.5, np.nan, 0.3]}), "f.csv", rows=np.array([5, 6, 7]))
    assert (e.value.row, e.value.column) == (6, VOLTAGE)
    assert "f.csv, row 6, column 'voltage_volt'" in str(e.value)


def test_time_going_backwards_is_reported():
    with pytest.raises(FileFormatError, match="backwards") as e:
        validate_timeseries(_df(**{TIME: [0.0, 2.0, 1.0]}))
    assert e.value.row == 3


def test_empty_or_backward_cycles_are_reported():
    with pytest.raises(FileFormatError, match="empty cycle") as e:
        validate_timeseries(_df(**{CYCLE: [1, 1, 3]}), "f.csv")
    assert (e.value.row, e.value.column) == (3, CYCLE)
    with pytest.raises(FileFormatError, match="goes back"):
        validate_timeseries(_df(**{CYCLE: [2, 2, 1]}))


def test_non_integer_cycle_and_empty_table():
    with pytest.raises(FileFormatError, match="integer"):
        validate_timeseries(_df(**{CYCLE: [1, 1.5, 2]}))
    with pytest.raises(FileFormatError, match="no data rows"):
        validate_timeseries(_df().iloc[:0])


def test_metadata_is_never_defaulted():
    require_metadata(mass_mg=1.0, area_cm2=0.5)
    with pytest.raises(MissingMetadataError, match="area_cm2"):
        require_metadata(mass_mg=1.0, area_cm2=None)
