"""BioLogic golden files: EC-Lab .mpt written in its export layout; galvani as the peer."""

import sys

import numpy as np
import pytest

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.io import detect_format, read_cycler, read_mpr, read_mpt
from sianode.experiments.io.layouts import write_mpt
from sianode.experiments.schema import CURRENT, CYCLE, STEP_INDEX, TIME, VOLTAGE
from sianode.experiments.synthetic import synthetic_cycling


@pytest.fixture(scope="module")
def records():
    return synthetic_cycling([0.5, 0.45], [0.45, 0.44], 1e-3, "half", dt_s=20.0)


def test_mpt_golden_and_galvani_agree(records, tmp_path):
    galvani = pytest.importorskip("galvani")
    f = tmp_path / "Si_GCPL_C01.mpt"
    write_mpt(records, f)
    assert f.read_bytes().startswith(b"EC-Lab ASCII FILE\r\nNb header lines : ")
    assert detect_format(f) == "biologic"
    ours = read_cycler(f)
    arr, _ = galvani.BioLogic.MPTfile(str(f))
    np.testing.assert_allclose(ours[TIME], arr["time/s"])
    np.testing.assert_allclose(ours[VOLTAGE], arr["Ewe/V"])
    np.testing.assert_allclose(ours[CURRENT], arr["I/mA"] * 1e-3)
    np.testing.assert_allclose(ours[CURRENT], records[CURRENT])
    np.testing.assert_array_equal(ours[STEP_INDEX], records[STEP_INDEX])


def test_mpt_decimal_comma_and_trailing_tabs(records, tmp_path):
    f = tmp_path / "eu.mpt"
    write_mpt(records, f, decimal_comma=True, trailing_tab=True)
    df = read_mpt(f)
    np.testing.assert_allclose(df[VOLTAGE], records[VOLTAGE])


def test_mpt_without_header_block(records, tmp_path):
    f = tmp_path / "nohead.mpt"
    write_mpt(records, f)
    lines = f.read_text(encoding="latin-1").splitlines()
    nb = int(lines[1].split(":")[1])
    f.write_text("\n".join(lines[nb - 1:]))
    assert len(read_mpt(f)) == len(records)


def test_mpt_header_count_beyond_file(tmp_path):
    f = tmp_path / "short.mpt"
    f.write_text("EC-Lab ASCII FILE\r\nNb header lines : 80\r\n\r\n")
    with pytest.raises(FileFormatError, match="truncated") as e:
        read_mpt(f)
    assert e.value.row == 2


def test_mpt_bad_nb_header_line(tmp_path):
    f = tmp_path / "bad.mpt"
    f.write_text("EC-Lab ASCII FILE\r\nheader lines: many\r\n")
    with pytest.raises(FileFormatError, match="Nb header lines"):
        read_mpt(f)


def test_mpt_non_numeric_cell(records, tmp_path):
    f = tmp_path / "bad.mpt"
    write_mpt(records.iloc[:30], f)
    lines = f.read_bytes().decode("latin-1").split("\r\n")
    nb = int(lines[1].split(":")[1])
    fields = lines[nb + 4].split("\t")
    fields[9] = "0.5 V"  # Ewe/V with a unit
    lines[nb + 4] = "\t".join(fields)
    f.write_bytes("\r\n".join(lines).encode("latin-1"))
    with pytest.raises(FileFormatError, match="unit") as e:
        read_mpt(f)
    assert (e.value.row, e.value.column) == (nb + 5, "Ewe/V")


def test_mpr_through_galvani_is_mapped(monkeypatch, tmp_path):
    galvani = pytest.importorskip("galvani")
    dtype = np.dtype([("time/s", "f8"), ("Ewe/V", "f8"), ("I/mA", "f8"), ("cycle number", "f8")])
    data = np.zeros(3, dtype=dtype)
    data["time/s"] = [0, 1, 2]
    data["Ewe/V"] = [0.5, 0.4, 0.3]
    data["I/mA"] = [0, -1, -1]

    class FakeMPR:
        def __init__(self, path):
            self.data = data

    monkeypatch.setattr(galvani.BioLogic, "MPRfile", FakeMPR)
    (tmp_path / "x.mpr").write_bytes(b"BIO-LOGIC MODULAR FILE\x00")
    df = read_mpr(tmp_path / "x.mpr")
    assert df[CURRENT].tolist() == [0, -1e-3, -1e-3]
    assert df[CYCLE].tolist() == [1, 1, 1]  # EC-Lab's cycle number 0 is cycle_count 1


def test_mpr_garbage_is_file_format_error(tmp_path):
    pytest.importorskip("galvani")
    f = tmp_path / "x.mpr"
    f.write_bytes(b"not an mpr file at all")
    with pytest.raises(FileFormatError, match="galvani"):
        read_mpr(f)


def test_mpr_without_galvani_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "galvani", None)
    (tmp_path / "x.mpr").write_bytes(b"BIO-LOGIC MODULAR FILE\x00")
    with pytest.raises(DependencyError, match=r"sianode\[gpl\]"):
        read_mpr(tmp_path / "x.mpr")
