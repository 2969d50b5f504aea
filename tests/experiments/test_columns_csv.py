"""Numeric CSV tables for PITT/GITT/XRD: aliases, bad input, fuzzing."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sianode.errors import FileFormatError, SianodeError
from sianode.experiments.io.columns_csv import TIME_SERIES_COLUMNS, read_columns_csv


def test_bdf_aliases_and_optional(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("# LAND export\nTest_Time_Second,voltage_volt,current_ampere,extra\n"
                 "0,3.9,1e-3,a\n1,3.902,9e-4,b\n")
    d = read_columns_csv(p, TIME_SERIES_COLUMNS, optional={"temperature_C": ()})
    assert d["time_s"].tolist() == [0, 1]
    assert d["voltage_V"].tolist() == [3.9, 3.902]
    assert "temperature_C" not in d


@pytest.mark.parametrize(("text", "match"), [
    ("", "is empty"),
    ("time_s,voltage_V\n0,1\n", "missing column 'current_A'"),
    ("time_s|voltage_V|current_A\n0|1|2\n", "wrong delimiter"),
    ("time_s,voltage_V,current_A\n", "no data rows"),
    ("time_s,voltage_V,current_A\n0,1,2\n1,2\n", "row 3.*truncated"),
    ("time_s,voltage_V,current_A\n0,1,2\n1,nan,2\n", r"row 3, column 'voltage_V'.*finite"),
    ("time_s,voltage_V,current_A\n0,1,2\n1,2,3 A\n", r"row 3, column 'current_A'.*'3 A'"),
])
def test_bad_tables(tmp_path, text, match):
    p = tmp_path / "t.csv"
    p.write_text(text)
    with pytest.raises(FileFormatError, match=match):
        read_columns_csv(p, TIME_SERIES_COLUMNS)


def _check(tmp_path, text):
    p = tmp_path / "f.csv"
    p.write_text("time_s,voltage_V,current_A\n" + text, encoding="latin-1")
    try:
        d = read_columns_csv(p, TIME_SERIES_COLUMNS)
    except SianodeError:
        return
    assert all(np.all(np.isfinite(v)) for v in d.values())


_TEXT = st.text(alphabet=st.characters(codec="latin-1"), max_size=300)
_HC = [HealthCheck.function_scoped_fixture]


@settings(max_examples=300, deadline=None, suppress_health_check=_HC)
@given(_TEXT)
def test_fuzz_only_sianode_errors(tmp_path, text):
    _check(tmp_path, text)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=_HC)
@given(_TEXT)
def test_fuzz_thousands(tmp_path, text):
    _check(tmp_path, text)
