"""Parameter constraints and physical bounds declared as data, checked in one place.

Modelled on scikit-learn's ``_parameter_constraints``: a function declares, next to its
signature, what each parameter may be, and calls :func:`check_params` once, before any work.
Messages are then uniform (``parameter 'mass_mg' = -1.0 is invalid: expected a finite number
> 0``) and tests of invalid values can be generated from the declarations.

Three kinds of declaration:

- :class:`Interval` -- a finite real (or integer) range, optionally with the physical reason
  for its ends, which the error message quotes;
- :class:`OneOf` -- a name from a fixed set (the message suggests the nearest);
- the named **physical bounds** below (:data:`LI_PER_HOST`, :data:`STRAIN`,
  :data:`WAVELENGTH_A`, :data:`CURRENT_DENSITY_MA_CM2`, :data:`ENERGY_PER_ATOM_EV`,
  :data:`VOLUME_PER_ATOM_A3`, :data:`VOLTAGE_V`, ...), collected in :data:`PHYSICAL_BOUNDS`.
  They reject what no experiment or calculation can mean (1e300 mAh/cm², 100 Li per Si),
  not what is merely unusual.

Paths are checked here too (:func:`check_input_file`, :func:`check_output_path`): a missing
file, a folder where a file is expected, an unwritable or wrong-kind output, or an
unsupported extension is a :class:`~sianode.errors.PathError` naming the option.

Every check raises a :class:`~sianode.errors.SianodeError` subclass, which the CLI prints as
one line with exit status 2.

Examples
--------
>>> CONSTRAINTS = {"mass_mg": Interval(0, None, left_closed=False), "fraction": FRACTION}
>>> check_params({"mass_mg": 1.2, "fraction": 0.5}, CONSTRAINTS)
>>> check_params({"mass_mg": 0.0, "fraction": 0.5}, CONSTRAINTS)
Traceback (most recent call last):
...
sianode.errors.ParameterError: parameter 'mass_mg' = 0.0 is invalid: expected a finite number > 0
>>> check_value("li_per_host", 100, LI_PER_HOST)
Traceback (most recent call last):
...
sianode.errors.ParameterError: parameter 'li_per_host' = 100 is invalid: expected a finite number in [0, 4.4] (Li per host atom: Li22Si5/Li22Ge5/Li22Sn5/Li22Pb5 (x = 4.4) are the Li-richest known Li-X phases)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sianode.errors import (
    InvalidEnergyError,
    InvalidVolumeError,
    ParameterError,
    PathError,
    UnknownNameError,
)

__all__ = [
    "Interval",
    "OneOf",
    "POSITIVE",
    "NON_NEGATIVE",
    "FRACTION",
    "COUNT",
    "NON_NEGATIVE_COUNT",
    "LI_PER_HOST_MAX",
    "LI_PER_HOST",
    "STRAIN",
    "WAVELENGTH_A",
    "TWO_THETA_DEG",
    "CURRENT_DENSITY_MA_CM2",
    "C_RATE",
    "AREAL_CAPACITY_MAH_CM2",
    "SPECIFIC_CAPACITY_MAH_G",
    "ENERGY_PER_ATOM_EV",
    "VOLUME_PER_ATOM_A3",
    "VOLTAGE_V",
    "TEMPERATURE_K",
    "K_EFF_GPA",
    "FMAX_EV_A",
    "THICKNESS_UM",
    "AREA_CM2",
    "MASS_MG",
    "LOADING_MG_CM2",
    "DENSITY_G_CM3",
    "PHYSICAL_BOUNDS",
    "check_params",
    "check_value",
    "check_fractions_sum",
    "check_entry_values",
    "check_input_file",
    "check_output_path",
]


@dataclass(frozen=True)
class Interval:
    """A real interval; ``None`` for an open end. Values must be finite numbers.

    Parameters
    ----------
    low, high : float or None
        Ends of the interval (``None``: unbounded).
    left_closed, right_closed : bool
        Whether the ends themselves are allowed.
    allow_array : bool
        Accept arrays (every element checked) as well as scalars.
    integer : bool
        Values must be whole numbers (counts, steps, images).
    reason : str
        Why the ends are where they are (a physical limit); quoted in error messages.
    """

    low: float | None = None
    high: float | None = None
    left_closed: bool = True
    right_closed: bool = True
    allow_array: bool = True
    integer: bool = False
    reason: str = ""

    def describe(self) -> str:
        """The allowed range in words (``"a finite number in (0, 100]"``)."""
        what = "an integer" if self.integer else "a finite number"
        if self.low is not None and self.high is not None:
            lb = "[" if self.left_closed else "("
            rb = "]" if self.right_closed else ")"
            text = f"{what} in {lb}{self.low:g}, {self.high:g}{rb}"
        else:
            parts = []
            if self.low is not None:
                parts.append(f"{'>=' if self.left_closed else '>'} {self.low:g}")
            if self.high is not None:
                parts.append(f"{'<=' if self.right_closed else '<'} {self.high:g}")
            text = what + (" " + " and ".join(parts) if parts else "")
        return f"{text} ({self.reason})" if self.reason else text

    def ok(self, value: object) -> bool:
        """Whether ``value`` (a number or, if allowed, an array) lies in the interval."""
        if isinstance(value, bool | np.bool_ | str | bytes):
            return False
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError, OverflowError):
            return False
        if arr.ndim and not self.allow_array:
            return False
        if arr.size == 0 or not np.all(np.isfinite(arr)):
            return False
        if self.integer and not np.all(arr == np.round(arr)):
            return False
        if self.low is not None:
            bad = arr < self.low if self.left_closed else arr <= self.low
            if np.any(bad):
                return False
        if self.high is not None:
            bad = arr > self.high if self.right_closed else arr >= self.high
            if np.any(bad):
                return False
        return True


@dataclass(frozen=True)
class OneOf:
    """A value from a fixed set of names."""

    kind: str
    choices: tuple[str, ...]


POSITIVE = Interval(0.0, None, left_closed=False)
NON_NEGATIVE = Interval(0.0, None)
FRACTION = Interval(0.0, 1.0)
#: A count of things (images, steps, workers): an integer >= 1.
COUNT = Interval(1, None, integer=True)
#: A count that may be zero (optimizer steps: 0 = single point).
NON_NEGATIVE_COUNT = Interval(0, None, integer=True)

# --- physical bounds -----------------------------------------------------------------------
#: Li per host atom of the Li-richest known Li-X phases, Li22M5 (M = Si, Ge, Sn, Pb):
#: Axel, Schaefer, Weiss, Z. Naturforsch. B 21, 115 (1966); Gladyshevskii et al. (1964).
LI_PER_HOST_MAX = 4.4
LI_PER_HOST = Interval(0.0, LI_PER_HOST_MAX, reason=(
    "Li per host atom: Li22Si5/Li22Ge5/Li22Sn5/Li22Pb5 (x = 4.4) are the Li-richest known "
    "Li-X phases"))
STRAIN = Interval(-0.3, 0.3, reason=(
    "lattice strain [fraction]: diamond Si collapses near 0.10 linear compression (~48 GPa); "
    "no host stays the same solid beyond 0.3"))
WAVELENGTH_A = Interval(0.01, 10.0, left_closed=False, reason=(
    "radiation wavelength [Å]: synchrotron X-rays ~0.1, Cu Kα 1.5406, Cr Kα 2.29, cold "
    "neutrons up to ~10"))
TWO_THETA_DEG = Interval(0.0, 180.0, left_closed=False, right_closed=False,
                         reason="diffraction angle 2θ [deg]")
CURRENT_DENSITY_MA_CM2 = Interval(0.0, 1000.0, left_closed=False, reason=(
    "current density [mA/cm²]: critical-current tests reach ~10-100"))
C_RATE = Interval(0.0, 100.0, left_closed=False, reason="C-rate [1/h]: a full charge in >= 36 s")
AREAL_CAPACITY_MAH_CM2 = Interval(0.0, 100.0, left_closed=False, reason=(
    "areal capacity [mAh/cm²]: practical electrodes hold 1-10"))
SPECIFIC_CAPACITY_MAH_G = Interval(0.0, 10000.0, left_closed=False, reason=(
    "specific capacity [mAh/g]: Li metal 3861, Si 4199 (Li22Si5)"))
ENERGY_PER_ATOM_EV = Interval(-30.0, 10.0, reason=(
    "DFT/ML total energy per atom [eV/atom]: Materials Project entries lie within about -15..0"))
VOLUME_PER_ATOM_A3 = Interval(1.0, 500.0, reason=(
    "volume per atom [Å³/atom]: diamond C 5.7, Cs 117"))
VOLTAGE_V = Interval(-1.0, 5.0, reason="voltage vs Li/Li+ [V] of an anode or cathode reaction")
TEMPERATURE_K = Interval(0.0, 5000.0, left_closed=False, reason="temperature [K]")
K_EFF_GPA = Interval(0.0, 500.0, reason="effective modulus [GPa]: diamond's bulk modulus is 443")
FMAX_EV_A = Interval(0.0, 50.0, left_closed=False, reason="force convergence [eV/Å]")
THICKNESS_UM = Interval(0.0, 1e5, left_closed=False, reason="thickness [µm], up to 10 cm")
AREA_CM2 = Interval(0.0, 1e5, left_closed=False, reason="area [cm²], up to 10 m²")
MASS_MG = Interval(0.0, 1e7, left_closed=False, reason="mass [mg], up to 10 kg")
LOADING_MG_CM2 = Interval(0.0, 1e3, left_closed=False, reason=(
    "areal loading [mg/cm²]: 1000 mg/cm² of Si is 4 mm of dense Si"))
DENSITY_G_CM3 = Interval(0.0, 25.0, left_closed=False, reason=(
    "density [g/cm³]: osmium, the densest element, is 22.6"))

#: Every named physical bound, by the quantity it bounds (for docs and generated tests).
PHYSICAL_BOUNDS: dict[str, Interval] = {
    "li_per_host": LI_PER_HOST,
    "strain": STRAIN,
    "wavelength_A": WAVELENGTH_A,
    "two_theta_deg": TWO_THETA_DEG,
    "current_density_mA_cm2": CURRENT_DENSITY_MA_CM2,
    "c_rate": C_RATE,
    "areal_capacity_mAh_cm2": AREAL_CAPACITY_MAH_CM2,
    "specific_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
    "energy_per_atom_eV": ENERGY_PER_ATOM_EV,
    "volume_per_atom_A3": VOLUME_PER_ATOM_A3,
    "voltage_V": VOLTAGE_V,
    "temperature_K": TEMPERATURE_K,
    "k_eff_GPa": K_EFF_GPA,
    "fmax_eV_A": FMAX_EV_A,
    "thickness_um": THICKNESS_UM,
    "area_cm2": AREA_CM2,
    "mass_mg": MASS_MG,
    "loading_mg_cm2": LOADING_MG_CM2,
    "density_g_cm3": DENSITY_G_CM3,
}


def check_params(values: Mapping[str, object], constraints: Mapping[str, object]) -> None:
    """Check every named value against its declared constraint.

    Parameters
    ----------
    values : mapping
        Parameter name -> value; names without a constraint are not checked, ``None``
        values are skipped (optional parameters).
    constraints : mapping
        Parameter name -> :class:`Interval` or :class:`OneOf`.

    Raises
    ------
    ParameterError
        A value is outside its interval (names the parameter, the value and the allowed
        range).
    UnknownNameError
        A value is not one of the allowed names.
    """
    for name, constraint in constraints.items():
        if name not in values or values[name] is None:
            continue
        value = values[name]
        if isinstance(constraint, Interval):
            if not constraint.ok(value):
                raise ParameterError(name, _short(value), constraint.describe())
        elif isinstance(constraint, OneOf):
            if not isinstance(value, str) or value not in constraint.choices:
                raise UnknownNameError(f"{constraint.kind} for {name!r}", str(value),
                                       constraint.choices)
        else:  # pragma: no cover - programming error
            raise TypeError(f"unknown constraint type {type(constraint).__name__}")


def check_value(name: str, value: object, constraint: Interval | OneOf) -> object:
    """Check one value and return it unchanged (for inline use).

    Examples
    --------
    >>> check_value("--c-rate", 0.5, C_RATE)
    0.5
    """
    check_params({name: value}, {name: constraint})
    return value


def check_fractions_sum(
    name: str, fractions: Iterable[float], total: float = 1.0, tol: float = 1e-6
) -> None:
    """Check that fractions lie in [0, 1] and sum to ``total`` within ``tol``."""
    values = [float(f) for f in fractions]
    for i, f in enumerate(values):
        if not (math.isfinite(f) and 0.0 <= f <= 1.0):
            raise ParameterError(f"{name}[{i}]", f, "a fraction in [0, 1]")
    s = sum(values)
    if abs(s - total) > tol:
        raise ParameterError(name, values, f"fractions summing to {total:g} (sum is {s:.6g})")


def check_entry_values(
    entry_id: object,
    energy_per_atom_eV: float,
    volume_per_atom_A3: float | None = None,
) -> None:
    """Refuse an entry whose energy or volume per atom is not physical.

    Parameters
    ----------
    entry_id : object
        The entry's id (or formula), named in the message.
    energy_per_atom_eV : float
        Total energy per atom [eV/atom]; must lie in :data:`ENERGY_PER_ATOM_EV`.
    volume_per_atom_A3 : float, optional
        Volume per atom [Å³/atom]; if given must lie in :data:`VOLUME_PER_ATOM_A3`.

    Raises
    ------
    InvalidEnergyError
        Non-finite or out-of-range energy.
    InvalidVolumeError
        Non-finite or out-of-range volume.

    Examples
    --------
    >>> check_entry_values("mp-149", -5.42, 20.4)
    >>> check_entry_values("mp-149", 1e300)
    Traceback (most recent call last):
    ...
    sianode.errors.InvalidEnergyError: entry 'mp-149': energy per atom 1e+300 eV is invalid: expected a finite number in [-30, 10] (DFT/ML total energy per atom [eV/atom]: Materials Project entries lie within about -15..0)
    """
    if not ENERGY_PER_ATOM_EV.ok(energy_per_atom_eV):
        raise InvalidEnergyError(
            f"entry {str(entry_id)!r}: energy per atom {_fmt(energy_per_atom_eV)} eV is "
            f"invalid: expected {ENERGY_PER_ATOM_EV.describe()}")
    if volume_per_atom_A3 is not None and not VOLUME_PER_ATOM_A3.ok(volume_per_atom_A3):
        raise InvalidVolumeError(
            f"entry {str(entry_id)!r}: volume per atom {_fmt(volume_per_atom_A3)} Å³ is "
            f"invalid: expected {VOLUME_PER_ATOM_A3.describe()}")


# --- paths ---------------------------------------------------------------------------------


def _suffix_ok(path: Path, suffixes: Iterable[str]) -> bool:
    name = path.name.lower()
    return any(name.endswith(s.lower()) and len(name) > len(s) for s in suffixes)


def _suffix_text(suffixes: Iterable[str]) -> str:
    return ", ".join(suffixes)


def check_input_file(
    path: str | os.PathLike[str],
    option: str = "file",
    *,
    suffixes: Iterable[str] | None = None,
    allow_empty: bool = False,
) -> Path:
    """Check that ``path`` is an existing, readable, non-empty regular file.

    Parameters
    ----------
    path : str or PathLike
        The file as given.
    option : str
        The option or parameter that named it (quoted in the message).
    suffixes : iterable of str, optional
        Accepted endings (``(".toml", ".yaml")``); case-insensitive.
    allow_empty : bool
        Accept a zero-byte file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    PathError
        Missing, a folder, not a regular file, unreadable, empty, or a refused extension;
        the message says which.
    """
    text = os.fspath(path)
    p = Path(text)
    if not text:
        raise PathError(text, "empty path; expected a file", option=option)
    if p.is_dir():
        raise PathError(p, "is a folder; expected a file", option=option)
    if not p.exists():
        raise PathError(p, "no such file", option=option)
    if not p.is_file():
        raise PathError(p, "is not a regular file", option=option)
    if not os.access(p, os.R_OK):
        raise PathError(p, "is not readable (permission denied)", option=option)
    if suffixes is not None and not _suffix_ok(p, suffixes):
        raise PathError(p, f"unsupported extension; expected {_suffix_text(suffixes)}",
                        option=option)
    if not allow_empty and p.stat().st_size == 0:
        raise PathError(p, "is empty", option=option)
    return p


def _nearest_existing(p: Path) -> Path:
    q = p.absolute()
    while not q.exists() and q != q.parent:
        q = q.parent
    return q


def _probe_writable(folder: Path, path: Path, option: str) -> None:
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise PathError(path, f"folder {str(folder)!r} is not writable ({why})",
                        option=option) from None


def check_output_path(
    path: str | os.PathLike[str],
    option: str = "out",
    *,
    kind: str = "file",
    suffixes: Iterable[str] | None = None,
) -> Path:
    """Check, before any work, that an output can be written where the user asked.

    Missing parent folders are allowed (writers create them) as long as the nearest existing
    ancestor is a writable folder; that folder is probed by creating and deleting a
    temporary file in it, so read-only file systems are caught even for root.

    Parameters
    ----------
    path : str or PathLike
        The output as given.
    option : str
        The option or parameter that named it (``"--plot"``).
    kind : {"file", "dir"}
        A file to be written, or a folder to write into.
    suffixes : iterable of str, optional
        Accepted endings of a file (``(".png", ".pdf")``); case-insensitive.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    PathError
        A folder where a file is expected (or the reverse), an unsupported or missing
        extension, a parent that is a file, or a folder that is not writable.
    """
    if kind not in ("file", "dir"):  # pragma: no cover - programming error
        raise ValueError(f"kind must be 'file' or 'dir', not {kind!r}")
    text = os.fspath(path)
    p = Path(text)
    if not text:
        raise PathError(text, f"empty path; expected a {'file' if kind == 'file' else 'folder'}",
                        option=option)
    if kind == "file":
        if text.endswith(("/", os.sep)) or p.is_dir():
            raise PathError(p, "is a folder; expected a file name", option=option)
        if p.exists() and not p.is_file():
            raise PathError(p, "exists and is not a regular file", option=option)
        if suffixes is not None and not _suffix_ok(p, suffixes):
            got = "".join(p.suffixes) or "no extension"
            raise PathError(p, f"unsupported extension ({got}); expected "
                            f"{_suffix_text(suffixes)}", option=option)
        target = p.parent
    else:
        if p.exists() and not p.is_dir():
            raise PathError(p, "is a file; expected a folder", option=option)
        target = p
    folder = _nearest_existing(target)
    if not folder.is_dir():
        raise PathError(p, f"{str(folder)!r} is a file, so no folder can be made under it",
                        option=option)
    _probe_writable(folder, p, option)
    return p


def _fmt(value: object) -> str:
    try:
        return f"{float(value):g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(value)


def _short(value: object) -> object:
    if isinstance(value, float | int | str | type(None)):
        return value
    try:
        arr = np.asarray(value, dtype=float)
        return arr.tolist() if arr.size <= 6 else f"array of {arr.size} values"
    except (TypeError, ValueError):
        return value
