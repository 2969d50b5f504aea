"""Parameter constraints declared as data and checked in one place.

Modelled on scikit-learn's ``_parameter_constraints``: a function declares, next to its
signature, what each parameter may be, and calls :func:`check_params` once. Messages are then
uniform (``parameter 'mass_mg' = -1.0 is invalid: expected a finite number > 0``) and tests of
invalid values can be generated from the declarations.

Examples
--------
>>> CONSTRAINTS = {"mass_mg": Interval(0, None, left_closed=False), "fraction": FRACTION}
>>> check_params({"mass_mg": 1.2, "fraction": 0.5}, CONSTRAINTS)
>>> check_params({"mass_mg": 0.0, "fraction": 0.5}, CONSTRAINTS)
Traceback (most recent call last):
...
sianode.errors.ParameterError: parameter 'mass_mg' = 0.0 is invalid: expected a finite number > 0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from sianode.errors import ParameterError, UnknownNameError

__all__ = [
    "Interval",
    "OneOf",
    "POSITIVE",
    "NON_NEGATIVE",
    "FRACTION",
    "check_params",
    "check_fractions_sum",
]


@dataclass(frozen=True)
class Interval:
    """A real interval; ``None`` for an open end. Values must be finite numbers."""

    low: float | None = None
    high: float | None = None
    left_closed: bool = True
    right_closed: bool = True
    allow_array: bool = True

    def describe(self) -> str:
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.left_closed else '>'} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'<=' if self.right_closed else '<'} {self.high:g}")
        if self.low is not None and self.high is not None:
            lb = "[" if self.left_closed else "("
            rb = "]" if self.right_closed else ")"
            return f"a finite number in {lb}{self.low:g}, {self.high:g}{rb}"
        return "a finite number" + (" " + " and ".join(parts) if parts else "")

    def ok(self, value: object) -> bool:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return False
        if arr.ndim and not self.allow_array:
            return False
        if arr.size == 0 or not np.all(np.isfinite(arr)):
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
        A value is outside its interval (names the parameter and the allowed range).
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
            if value not in constraint.choices:
                raise UnknownNameError(f"{constraint.kind} for {name!r}", str(value),
                                       constraint.choices)
        else:  # pragma: no cover - programming error
            raise TypeError(f"unknown constraint type {type(constraint).__name__}")


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


def _short(value: object) -> object:
    if isinstance(value, float | int | str | type(None)):
        return value
    try:
        arr = np.asarray(value, dtype=float)
        return arr.tolist() if arr.size <= 6 else f"array of {arr.size} values"
    except (TypeError, ValueError):
        return value
