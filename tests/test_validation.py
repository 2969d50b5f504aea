"""Validators: constraints and physical bounds as data (hypothesis properties), path checks."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sianode.errors import (
    FileFormatError,
    InvalidEnergyError,
    InvalidVolumeError,
    ParameterError,
    PathError,
    UnknownNameError,
)
from sianode.validation import (
    COUNT,
    ENERGY_PER_ATOM_EV,
    LI_PER_HOST,
    NON_NEGATIVE_COUNT,
    PHYSICAL_BOUNDS,
    VOLUME_PER_ATOM_A3,
    Interval,
    OneOf,
    check_entry_values,
    check_input_file,
    check_output_path,
    check_params,
    check_value,
)

any_float = st.floats(allow_nan=True, allow_infinity=True)
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


def _reference(x: float, low, high, lc: bool, rc: bool) -> bool:
    """The interval's meaning, written out independently."""
    if not math.isfinite(x):
        return False
    if low is not None and (x < low or (x == low and not lc)):
        return False
    return not (high is not None and (x > high or (x == high and not rc)))


@st.composite
def intervals(draw):
    a = draw(st.one_of(st.none(), finite))
    b = draw(st.one_of(st.none(), finite))
    if a is not None and b is not None and a > b:
        a, b = b, a
    return Interval(a, b, left_closed=draw(st.booleans()), right_closed=draw(st.booleans()))


@given(intervals(), any_float)
def test_interval_agrees_with_its_definition(iv, x):
    assert iv.ok(x) == _reference(x, iv.low, iv.high, iv.left_closed, iv.right_closed)


@given(intervals(), any_float)
def test_check_params_raises_exactly_when_out_of_range_and_names_everything(iv, x):
    if iv.ok(x):
        check_params({"p_um": x}, {"p_um": iv})
        return
    with pytest.raises(ParameterError) as info:
        check_params({"p_um": x}, {"p_um": iv})
    msg = str(info.value)
    assert "'p_um'" in msg  # the parameter
    assert repr(x) in msg  # its value
    assert iv.describe() in msg  # the allowed range
    assert info.value.name == "p_um"
    assert info.value.expected == iv.describe()


@given(st.lists(finite, min_size=1, max_size=8), intervals())
def test_arrays_pass_only_if_every_element_passes(xs, iv):
    assert iv.ok(np.array(xs)) == all(iv.ok(x) for x in xs)
    scalar_only = Interval(iv.low, iv.high, iv.left_closed, iv.right_closed, allow_array=False)
    assert not scalar_only.ok(np.array(xs))


@given(st.one_of(st.integers(-10**6, 10**6), finite))
def test_integer_intervals_accept_whole_numbers_only(x):
    assert COUNT.ok(x) == (x >= 1 and float(x).is_integer())
    assert NON_NEGATIVE_COUNT.ok(x) == (x >= 0 and float(x).is_integer())


@pytest.mark.parametrize("value", [True, "1.5", b"1", None, [], object()])
def test_non_numbers_are_never_in_an_interval(value):
    assert not Interval(None, None).ok(value)


@pytest.mark.parametrize("name", sorted(PHYSICAL_BOUNDS))
def test_every_physical_bound_refuses_the_classic_bad_values(name):
    iv = PHYSICAL_BOUNDS[name]
    for bad in (float("nan"), float("inf"), -float("inf"), 1e300, -1e300):
        assert not iv.ok(bad), (name, bad)
    assert iv.reason, f"{name}: a physical bound says why"
    assert iv.low is not None
    assert iv.high is not None
    assert iv.ok(0.5 * (iv.low + iv.high))
    with pytest.raises(ParameterError, match=name):
        check_value(name, 1e300, iv)


@given(st.sampled_from(sorted(PHYSICAL_BOUNDS)), any_float)
def test_physical_bound_messages_quote_the_reason(name, x):
    iv = PHYSICAL_BOUNDS[name]
    assume(not iv.ok(x))
    with pytest.raises(ParameterError) as info:
        check_value(name, x, iv)
    assert iv.reason in str(info.value)


def test_li_per_host_upper_end_is_the_li_richest_known_phase():
    from sianode.electrode import get_phase

    assert LI_PER_HOST.high == pytest.approx(get_phase("Li22Si5").li_per_host)
    assert LI_PER_HOST.ok(4.4)
    assert not LI_PER_HOST.ok(4.41)
    assert not LI_PER_HOST.ok(100)


@given(st.text(min_size=1, max_size=12), st.text(max_size=12))
def test_one_of_accepts_only_its_names(choice, value):
    c = OneOf("mode", (choice, "other"))
    if value in (choice, "other"):
        check_params({"m": value}, {"m": c})
    else:
        with pytest.raises(UnknownNameError):
            check_params({"m": value}, {"m": c})


def test_none_is_an_unset_optional_and_unknown_names_are_ignored():
    check_params({"a": None, "b": 1.0}, {"a": COUNT})


@given(st.text(min_size=1, max_size=20), finite, st.one_of(st.none(), finite))
def test_entry_values(entry_id, energy, volume):
    e_ok = ENERGY_PER_ATOM_EV.ok(energy)
    v_ok = volume is None or VOLUME_PER_ATOM_A3.ok(volume)
    if e_ok and v_ok:
        check_entry_values(entry_id, energy, volume)
    elif not e_ok:
        with pytest.raises(InvalidEnergyError, match="energy per atom") as info:
            check_entry_values(entry_id, energy, volume)
        assert repr(entry_id) in str(info.value)
    else:
        with pytest.raises(InvalidVolumeError, match="volume per atom") as info:
            check_entry_values(entry_id, energy, volume)
        assert repr(entry_id) in str(info.value)


@pytest.mark.parametrize("energy", [float("nan"), 1e300, -1e300, 11.0, -31.0])
def test_entry_energy_refused_with_its_id(energy):
    with pytest.raises(InvalidEnergyError, match="'mp-149'"):
        check_entry_values("mp-149", energy, 20.0)


# --- paths ------------------------------------------------------------------------------------


def test_input_file_checks(tmp_path):
    good = tmp_path / "a.toml"
    good.write_text("x = 1\n")
    assert check_input_file(good, "stack") == good
    assert check_input_file(str(good), "stack", suffixes=(".TOML",)) == good
    cases = [(tmp_path / "nope.toml", "no such file"), (tmp_path, "is a folder"),
             ("", "empty path")]
    empty = tmp_path / "empty.toml"
    empty.write_bytes(b"")
    cases.append((empty, "is empty"))
    for path, match in cases:
        with pytest.raises(PathError, match=match) as info:
            check_input_file(path, "--stack")
        assert "--stack" in str(info.value)
        assert isinstance(info.value, FileFormatError)  # old `except FileFormatError` works
    assert check_input_file(empty, allow_empty=True) == empty
    with pytest.raises(PathError, match="extension"):
        check_input_file(good, suffixes=(".yaml",))


def test_output_path_checks(tmp_path):
    afile = tmp_path / "afile.txt"
    afile.write_text("x")
    ok = [(tmp_path / "fig.png", "file"), (tmp_path / "new" / "deeper" / "fig.png", "file"),
          (afile, "file"), (tmp_path / "outdir", "dir"), (tmp_path, "dir")]
    for path, kind in ok:
        check_output_path(path, "--out", kind=kind, suffixes=(".png", ".txt") if kind == "file"
                          else None)
    bad = [(tmp_path, "file", "is a folder"), (str(tmp_path / "x") + os.sep, "file", "folder"),
           (afile, "dir", "is a file"), (afile / "x.png", "file", "is a file"),
           (afile / "sub", "dir", "is a file"), (tmp_path / "fig.xyz", "file", "extension"),
           (tmp_path / "fig", "file", "no extension"), ("", "file", "empty path")]
    for path, kind, match in bad:
        with pytest.raises(PathError, match=match) as info:
            check_output_path(path, "--plot", kind=kind, suffixes=(".png",))
        assert "--plot" in str(info.value)
    assert not (tmp_path / "new").exists(), "checking creates nothing"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_output_in_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(PathError, match="not writable"):
            check_output_path(ro / "x.png", "--plot")
    finally:
        ro.chmod(0o700)


@settings(max_examples=50)
@given(st.text(alphabet="abcXYZ._-", min_size=1, max_size=12))
def test_suffix_rule(name):
    from pathlib import Path

    from sianode.paths import _suffix_ok

    got = _suffix_ok(Path(name), (".png",))
    assert got == (name.lower().endswith(".png") and len(name) > 4)


def test_k_eff_limit_is_one_number():
    """The engine, the CLI's light pre-check and sianode.validation agree on K_eff's bound."""
    from sianode.cli._sources import K_EFF_MAX_GPA as cli_max
    from sianode.thermo.lithiation import K_EFF_MAX_GPA as engine_max
    from sianode.validation import K_EFF_GPA

    assert cli_max == engine_max == K_EFF_GPA.high == 500.0
