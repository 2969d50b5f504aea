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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from sianode.errors import (
    InvalidEnergyError,
    InvalidVolumeError,
    ParameterError,
    UnknownNameError,
)
from sianode.paths import check_input_file, check_output_path

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
