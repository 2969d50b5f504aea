"""CHI660E impedance text exports and generic EIS CSV: golden files, bad input, fuzzing."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sianode.errors import FileFormatError, SianodeError, UnknownNameError
from sianode.experiments.io.impedance_files import (
    ImpedanceSpectrum,
    read_chi_impedance,
    read_eis_csv,
    read_impedance,
)

# The layout of a CHI660E "A.C. Impedance" text export (header, settings, column line,
# blank line, comma-separated rows; Z" = Im Z, so positive at 100 kHz where the cell is
# inductive and negative on the capacitive arc; Phase/deg = atan2(Z", Z')).
CHI_GOLDEN = """Nov. 23, 2024   17:47:14
A.C. Impedance
File: e:\\2024data\\cell\\eis.bin
Data Source:  Experiment
Instrument Model:  CHI660E
Header:
Note:

Init E (V) = 0.848
High Frequency (Hz) = 1e+5
Low Frequency (Hz) = 0.1
Imp SF
Amplitude (V) = 0.01
Quiet Time (sec) = 2
Cycles (.1-1Hz) = 1

Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg

9.995e+4, 5.072e+0, 3.690e-1, 5.086e+0, 4.2
8.252e+4, 5.078e+0, 2.983e-1, 5.087e+0, 3.4
1.000e+2, 1.210e+1, -6.050e+0, 1.353e+1, -26.6
1.000e-1, 3.520e+1, -2.100e+1, 4.099e+1, -30.8
"""


def write_chi(path, f, z, settings=None):
    """Write a spectrum the way CHI660E exports it (used to build golden files)."""
    lines = ["Nov. 23, 2024   17:47:14", "A.C. Impedance", "File: c:\\data\\x.bin",
             "Data Source:  Experiment", "Instrument Model:  CHI660E", "Header: ", "Note: ", ""]
    for k, v in (settings or {"High Frequency (Hz)": "1e+5", "Low Frequency (Hz)": "0.1",
                              "Amplitude (V)": "0.01"}).items():
        lines.append(f"{k} = {v}")
    lines += ["", "Freq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg", ""]
    for fi, zi in zip(f, z):
        lines.append(f"{fi:.4e}, {zi.real:.6e}, {zi.imag:.6e}, {abs(zi):.6e}, "
                     f"{np.degrees(np.angle(zi)):.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


def test_chi_golden_file(tmp_path):
    p = tmp_path / "chi.txt"
    p.write_text(CHI_GOLDEN)
    s = read_chi_impedance(p)
    assert len(s) == 4
    assert s.frequency_Hz[0] == pytest.approx(9.995e4)
    assert s.z_real_ohm[2] == pytest.approx(12.10)
    assert s.z_imag_ohm[2] == pytest.approx(-6.05)  # capacitive: Im Z < 0
    assert s.z_imag_ohm[0] == pytest.approx(0.369)  # inductive at 100 kHz
    assert s.metadata["Instrument Model"] == "CHI660E"
    assert s.metadata["Amplitude (V)"] == "0.01"
    assert s.metadata["Low Frequency (Hz)"] == "0.1"
    assert read_impedance(p).z_real_ohm.tolist() == s.z_real_ohm.tolist()  # guessed format


def test_chi_roundtrip_of_generated_file(tmp_path):
    f = np.logspace(5, -1, 61)
    z = 12.9 + 5.3 / (1 + 1j * f / 5e4) + 13.3 / (1 + 1j * f / 80.0)
    s = read_chi_impedance(write_chi(tmp_path / "a.txt", f, z))
    np.testing.assert_allclose(s.z_ohm, z, rtol=1e-6)
    np.testing.assert_allclose(s.frequency_Hz, f, rtol=1e-4)
    back = ImpedanceSpectrum.from_dict(s.as_dict())
    np.testing.assert_array_equal(back.z_ohm, s.z_ohm)


@pytest.mark.parametrize(("header", "conv", "sign"), [
    ("frequency_Hz,z_real_ohm,z_imag_ohm", "auto", 1),
    ("freq,Zreal,-Zimag", "auto", -1),
    ("Freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm", "auto", -1),
    ("f,Z',Z''", "im", 1),
    ("f,Z',Z''", "minus_im", -1),
])
def test_csv_sign_conventions(tmp_path, header, conv, sign):
    p = tmp_path / "e.csv"
    p.write_text(header + "\n1000,10,-2\n10,12,-5\n")
    s = read_eis_csv(p, imag_convention=conv)
    assert s.z_imag_ohm.tolist() == [-2 * sign, -5 * sign]
    assert s.z_real_ohm.tolist() == [10, 12]


def test_csv_semicolon_and_extra_columns(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("time_s;frequency_Hz;z_real_ohm;z_imag_ohm\n0;1e3;10;-1\n1;1e2;11;-3\n")
    s = read_eis_csv(p, delimiter=";")
    assert s.frequency_Hz.tolist() == [1e3, 1e2]


@pytest.mark.parametrize(("text", "match"), [
    ("f,Z',Z''\n1,2,3\n", "does not say whether"),
    ("frequency_Hz|z_real_ohm|z_imag_ohm\n1|2|3\n", "wrong delimiter"),
    ("frequency_Hz,z_imag_ohm\n1,2\n", r"missing column for real part"),
    ("frequency_Hz,z_real_ohm\n1,2\n", "missing column for the imaginary"),
    ("frequency_Hz,z_real_ohm,z_imag_ohm\n", "no data rows"),
    ("frequency_Hz,z_real_ohm,z_imag_ohm\n100,1,2\n10,1\n", r"row 3.*truncated"),
    ("frequency_Hz,z_real_ohm,z_imag_ohm\n100,1,2\n10,nan,1\n", r"row 3, column 'z_real_ohm'"),
    ("frequency_Hz,z_real_ohm,z_imag_ohm\n100,1,2\n10,abc,1\n", "not a finite number"),
    ("frequency_Hz,z_real_ohm,z_imag_ohm\n100,1,2\n-10,1,1\n", r"row 3.*> 0"),
    ("frequency_Hz,z_real_ohm,z_imag_ohm\n100,1,2\n10,1,1\n50,1,1\n", r"row 4.*monotonic"),
    ("", "is empty"),
])
def test_csv_bad_input(tmp_path, text, match):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(FileFormatError, match=match) as exc:
        read_eis_csv(p)
    assert str(p) in str(exc.value)


def test_csv_unknown_convention(tmp_path):
    with pytest.raises(UnknownNameError, match="minus_im"):
        read_eis_csv(tmp_path / "x.csv", imag_convention="minus")


@pytest.mark.parametrize(("mutate", "match"), [
    (lambda t: t.split("Freq/Hz")[0], "no CHI impedance column header"),
    (lambda t: t.rsplit("\n", 3)[0] + "\n1.000e-1, 3.5e+1\n", r"row 21: expected 5 .*truncated"),
    (lambda t: t.replace("1.000e+2, 1.210e+1, -6.050e+0", "1.000e+2; 1.210e+1; -6.050e+0"),
     "row 21"),
    (lambda t: t.replace("-6.050e+0, 1.353e+1", "6.050e+0, 1.353e+1"), "opposite sign"),
    (lambda t: t.replace("1.000e+2, 1.210e+1", "1.000e+6, 1.210e+1"), "monotonic"),
    (lambda t: t.split("\n\n9.995")[0] + "\n", "no data rows"),
    (lambda t: t.replace("1.210e+1", "NaN"), "finite"),
])
def test_chi_bad_input(tmp_path, mutate, match):
    p = tmp_path / "bad.txt"
    p.write_text(mutate(CHI_GOLDEN))
    with pytest.raises(FileFormatError, match=match):
        read_chi_impedance(p)


def test_binary_and_missing_files(tmp_path):
    p = tmp_path / "eis.bin"
    p.write_bytes(b"\x00\x01CHI binary")
    with pytest.raises(FileFormatError, match="binary"):
        read_chi_impedance(p)
    with pytest.raises(FileFormatError, match="file not found"):
        read_eis_csv(tmp_path / "nope.csv")
    with pytest.raises(UnknownNameError):
        read_impedance(p, format="nope")


def _fuzz(n):
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check_csv(tmp_path, text):
    p = tmp_path / "fuzz.csv"
    p.write_text("frequency_Hz,z_real_ohm,-z_imag_ohm\n" + text, encoding="latin-1")
    try:
        s = read_eis_csv(p)
    except SianodeError:
        return
    assert np.all(np.isfinite(s.z_ohm))
    assert np.all(s.frequency_Hz > 0)


def _check_chi(tmp_path, at, cut, insert):
    p = tmp_path / "fuzz.txt"
    p.write_text(CHI_GOLDEN[:at] + insert + CHI_GOLDEN[at + cut:], encoding="latin-1")
    try:
        s = read_chi_impedance(p)
    except SianodeError:
        return
    assert np.all(np.isfinite(s.z_ohm))
    assert np.all(s.frequency_Hz > 0)


_TEXT = st.text(alphabet=st.characters(codec="latin-1"), max_size=400)
_EDIT = (st.integers(0, len(CHI_GOLDEN)), st.integers(0, 60),
         st.text(alphabet=",;\t .-+eE0123456789naif\n\"'", max_size=30))


@_fuzz(300)
@given(_TEXT)
def test_fuzz_csv_only_sianode_errors(tmp_path, text):
    _check_csv(tmp_path, text)


@_fuzz(300)
@given(*_EDIT)
def test_fuzz_chi_only_sianode_errors(tmp_path, at, cut, insert):
    _check_chi(tmp_path, at, cut, insert)


@pytest.mark.slow
@_fuzz(5000)
@given(_TEXT)
def test_fuzz_csv_thousands(tmp_path, text):
    _check_csv(tmp_path, text)


@pytest.mark.slow
@_fuzz(5000)
@given(*_EDIT)
def test_fuzz_chi_thousands(tmp_path, at, cut, insert):
    _check_chi(tmp_path, at, cut, insert)

def test_csv_bad_delimiter_parameter(tmp_path):
    from sianode.errors import ParameterError

    with pytest.raises(ParameterError, match="delimiter"):
        read_eis_csv(tmp_path / "x.csv", delimiter=";;")


def test_spectrum_validation_and_guessed_csv(tmp_path):
    from sianode.errors import InputError

    with pytest.raises(InputError, match=r"frequency_Hz\[1\] = 0.0"):
        ImpedanceSpectrum(np.array([1.0, 0.0]), np.ones(2), np.ones(2))
    with pytest.raises(InputError, match=r"z_imag_ohm\[0\] is not finite"):
        ImpedanceSpectrum(np.array([1.0]), np.ones(1), np.array([np.inf]))
    with pytest.raises(InputError, match="equally long"):
        ImpedanceSpectrum(np.array([1.0, 2.0]), np.ones(1), np.ones(1))
    p = tmp_path / "e.csv"
    p.write_text("frequency_Hz,z_real_ohm,-z_imag_ohm\n1000,10,2\n")
    assert read_impedance(p).z_imag_ohm.tolist() == [-2.0]
