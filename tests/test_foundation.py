"""Layer 0: errors, units, validation, and the CLI's error contract."""

import math
import subprocess
import sys

import pytest

from sianode import errors, units
from sianode.cli.main import main
from sianode.validation import (
    FRACTION,
    POSITIVE,
    Interval,
    OneOf,
    check_fractions_sum,
    check_params,
)


def test_capacity_per_li_per_si_is_954():
    # DESIGN.md: one Li per Si = 954.3 mAh/g(Si)
    assert units.capacity_mAh_g(1, units.MOLAR_MASS_SI_G_MOL) == pytest.approx(954.3, abs=0.1)
    # Li21Si5: 21/5 Li per Si -> 4008 mAh/g (seed 001 "4,000")
    assert units.capacity_mAh_g(21 / 5, units.MOLAR_MASS_SI_G_MOL) == pytest.approx(4008, abs=1)
    # Li15Si4: 3579 mAh/g
    assert units.capacity_mAh_g(15 / 4, units.MOLAR_MASS_SI_G_MOL) == pytest.approx(3579, abs=1)


def test_capacity_roundtrip_and_arrays():
    q = units.capacity_mAh_g([1.0, 3.75], 28.085)
    n = units.electrons_from_capacity(q, 28.085)
    assert n == pytest.approx([1.0, 3.75])


def test_pressure_conversions():
    assert units.ev_per_a3_to_gpa(1.0) == pytest.approx(160.21766, rel=1e-7)
    assert pytest.approx(6.2415e-3, rel=1e-4) == units.GPA_A3_IN_EV
    assert units.gpa_to_ev_per_a3(units.ev_per_a3_to_gpa(0.3)) == pytest.approx(0.3)


def test_molar_volume_conversion():
    # Si: 20.0 A^3/atom -> 12.04 cm3/mol (rho = 28.085/12.04 = 2.33 g/cm3)
    vm = units.a3_per_atom_to_cm3_mol(20.0)
    assert 28.085 / vm == pytest.approx(2.332, abs=0.005)
    assert units.cm3_mol_to_a3_per_atom(vm) == pytest.approx(20.0)
    assert units.um_to_cm(27.0) == pytest.approx(2.7e-3)
    assert units.cm_to_um(2.7e-3) == pytest.approx(27.0)


def test_error_hierarchy_refines_builtins():
    assert issubclass(errors.MissingVolumeError, errors.SianodeError)
    assert issubclass(errors.MissingVolumeError, ValueError)
    assert issubclass(errors.DependencyError, ImportError)
    e = errors.UnknownNameError("phase", "Li21S5", ["Li21Si5", "Li15Si4", "Si"])
    assert isinstance(e, KeyError)
    assert "did you mean 'Li21Si5'" in str(e)
    f = errors.FileFormatError("cell.csv", "expected a number", row=12, column="voltage_volt")
    assert str(f) == "cell.csv, row 12, column 'voltage_volt': expected a number"


def test_check_params_messages():
    cons = {"mass_mg": POSITIVE, "fraction": FRACTION, "cell": OneOf("cell type", ("full", "half"))}
    check_params({"mass_mg": 1.0, "fraction": 0.0, "cell": "half"}, cons)
    with pytest.raises(errors.ParameterError, match=r"'mass_mg' = 0.0 .* > 0"):
        check_params({"mass_mg": 0.0}, cons)
    with pytest.raises(errors.ParameterError, match=r"in \[0, 1\]"):
        check_params({"fraction": 1.2}, cons)
    with pytest.raises(errors.ParameterError):
        check_params({"mass_mg": math.nan}, cons)
    with pytest.raises(errors.ParameterError):
        check_params({"mass_mg": "abc"}, cons)
    with pytest.raises(errors.UnknownNameError, match="did you mean 'full'"):
        check_params({"cell": "ful"}, cons)
    with pytest.raises(errors.ParameterError):
        check_params({"x": [1.0, -2.0]}, {"x": Interval(0, None)})


def test_fractions_sum():
    check_fractions_sum("weight_fractions", [0.476, 0.476, 0.048])
    with pytest.raises(errors.ParameterError, match="summing to 1"):
        check_fractions_sum("weight_fractions", [0.5, 0.4])
    with pytest.raises(errors.ParameterError, match=r"weight_fractions\[1\]"):
        check_fractions_sum("weight_fractions", [0.5, -0.5])


def test_cli_help_lists_no_traceback(capsys):
    assert main([]) == 1
    assert "sianode" in capsys.readouterr().out


def test_cli_console_script_version():
    out = subprocess.run([sys.executable, "-m", "sianode.cli.main", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("sianode ")


def test_import_sianode_is_light():
    code = "import sys, sianode, sianode.cli.main; print('torch' in sys.modules, 'pybamm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
