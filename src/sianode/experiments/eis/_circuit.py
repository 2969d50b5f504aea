"""Equivalent circuits from strings, parsed without ``eval``.

Syntax (impedance.py's, the field's convention): elements joined in series by ``-``,
parallel groups written ``p(A, B, ...)``, nesting allowed, e.g.
``R0-p(R1,CPE1)-p(R2,CPE2)-W1``. An element name is a known type followed by a label
(``R0``, ``CPE1``, ``Wo2``, ``Rsei``); the longest type prefix wins (``Ws1`` is a ``Ws``).
Names must be unique. Parameters are named after their element: a one-parameter element by
its name (``R0``, ``W1``), others ``<name>_<param>`` (``CPE1_Q``, ``CPE1_alpha``,
``Wo1_Z0``, ``Wo1_tau``). Element formulas equal impedance.py 1.7.1's so fitted values can
be compared one to one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sianode.errors import ParameterError, UnknownNameError

__all__ = ["ElementType", "ELEMENT_TYPES", "Circuit", "parse_circuit"]


@dataclass(frozen=True)
class ElementType:
    """A circuit element: parameter names, units, bounds and ``Z(params, omega)``."""

    symbol: str
    params: tuple[str, ...]
    units: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    impedance: Callable[[Sequence[float], np.ndarray], np.ndarray]
    description: str


def _sqrt_jwt(p: Sequence[float], w: np.ndarray) -> np.ndarray:
    return np.sqrt(1j * w * p[1])


_INF = np.inf
ELEMENT_TYPES: dict[str, ElementType] = {
    e.symbol: e
    for e in (
        ElementType("R", ("R",), ("ohm",), ((0.0, _INF),),
                    lambda p, w: np.full(w.shape, p[0], dtype=complex), "resistor Z = R"),
        ElementType("C", ("C",), ("F",), ((0.0, _INF),),
                    lambda p, w: 1.0 / (1j * w * p[0]), "capacitor Z = 1/(j w C)"),
        ElementType("L", ("L",), ("H",), ((0.0, _INF),),
                    lambda p, w: 1j * w * p[0], "inductor Z = j w L"),
        ElementType("CPE", ("Q", "alpha"), ("ohm^-1 s^alpha", "1"), ((0.0, _INF), (0.0, 1.0)),
                    lambda p, w: 1.0 / (p[0] * (1j * w) ** p[1]),
                    "constant phase element Z = 1/(Q (j w)^alpha)"),
        ElementType("W", ("sigma",), ("ohm s^-1/2",), ((0.0, _INF),),
                    lambda p, w: p[0] * (1 - 1j) / np.sqrt(w),
                    "semi-infinite Warburg Z = sigma (1 - j)/sqrt(w)"),
        ElementType("Wo", ("Z0", "tau"), ("ohm", "s"), ((0.0, _INF), (0.0, _INF)),
                    lambda p, w: p[0] / (_sqrt_jwt(p, w) * np.tanh(_sqrt_jwt(p, w))),
                    "open (reflective) finite Warburg Z = Z0 coth(sqrt(j w tau))/sqrt(j w tau)"),
        ElementType("Ws", ("Z0", "tau"), ("ohm", "s"), ((0.0, _INF), (0.0, _INF)),
                    lambda p, w: p[0] * np.tanh(_sqrt_jwt(p, w)) / _sqrt_jwt(p, w),
                    "short (transmissive) finite Warburg Z = Z0 tanh(sqrt(j w tau))/sqrt(j w tau)"),
    )
}

_TOKEN = re.compile(r"\s*(?:(p\()|([A-Za-z][A-Za-z0-9_]*)|([-,()]))")


@dataclass(frozen=True)
class _Node:
    kind: str  # "series" | "parallel" | "element"
    children: tuple[_Node, ...] = ()
    name: str = ""
    etype: str = ""


def _element(name: str, circuit: str) -> _Node:
    for sym in sorted(ELEMENT_TYPES, key=len, reverse=True):
        if name.startswith(sym) and name != "p":
            return _Node("element", name=name, etype=sym)
    known = ", ".join(sorted(ELEMENT_TYPES))
    raise ParameterError("circuit", circuit,
                         f"element names starting with a known type ({known}); got {name!r}")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise ParameterError("circuit", text, f"a circuit string; unexpected character "
                                     f"{text[pos:].lstrip()[:1]!r} at position {pos}")
            tok = m.group(1) or m.group(2) or m.group(3)
            self.tokens.append((tok, m.start(m.lastindex or 0)))
            pos = m.end()
        self.i = 0

    def _fail(self, what: str) -> ParameterError:
        if self.i < len(self.tokens):
            tok, at = self.tokens[self.i]
            found = f"{tok!r} at position {at}"
        else:
            found = "end of string"
        return ParameterError("circuit", self.text, f"{what}, found {found}")

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def series(self) -> _Node:
        items = [self.term()]
        while self.peek() == "-":
            self.i += 1
            items.append(self.term())
        return items[0] if len(items) == 1 else _Node("series", tuple(items))

    def term(self) -> _Node:
        tok = self.peek()
        if tok == "p(":
            self.i += 1
            items = [self.series()]
            while self.peek() == ",":
                self.i += 1
                items.append(self.series())
            if self.peek() != ")":
                raise self._fail("',' or ')' closing p(")
            self.i += 1
            if len(items) < 2:
                raise ParameterError("circuit", self.text, "p(...) with at least two branches")
            return _Node("parallel", tuple(items))
        if tok is None or not re.match(r"[A-Za-z]", tok):
            raise self._fail("an element name or p(")
        self.i += 1
        return _element(tok, self.text)


def _elements(node: _Node) -> list[_Node]:
    if node.kind == "element":
        return [node]
    return [e for c in node.children for e in _elements(c)]


@dataclass(frozen=True)
class Circuit:
    """A parsed equivalent circuit; build with :func:`parse_circuit`.

    Attributes
    ----------
    string : str
        The circuit as written.
    parameter_names : tuple of str
        Fit parameters in order (``R0``, ``CPE1_Q``, ``CPE1_alpha``, ...).
    parameter_units : tuple of str
    """

    string: str
    root: _Node
    parameter_names: tuple[str, ...]
    parameter_units: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]

    @property
    def elements(self) -> list[tuple[str, str]]:
        """``(name, type)`` of every element, left to right."""
        return [(e.name, e.etype) for e in _elements(self.root)]

    def impedance(self, params: Sequence[float], frequency_Hz: np.ndarray) -> np.ndarray:
        """Complex impedance [ohm] at ``frequency_Hz`` [Hz] for ``params`` in order."""
        w = 2 * np.pi * np.asarray(frequency_Hz, dtype=float)
        values = dict(zip(self.parameter_names, np.asarray(params, dtype=float)))
        return self._z(self.root, values, w)

    def _z(self, node: _Node, values: dict[str, float], w: np.ndarray) -> np.ndarray:
        if node.kind == "element":
            et = ELEMENT_TYPES[node.etype]
            p = [values[_pname(node.name, et, k)] for k in range(len(et.params))]
            return np.asarray(et.impedance(p, w), dtype=complex)
        zs = [self._z(c, values, w) for c in node.children]
        if node.kind == "series":
            return np.sum(zs, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return 1.0 / np.sum([1.0 / z for z in zs], axis=0)

    def impedance_jacobian(self, params: Sequence[float], frequency_Hz: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray]:
        """Impedance [ohm] and its exact derivatives ``dZ/dp`` (shape ``(n_f, n_params)``).

        Series: derivatives add; parallel ``Z = 1/sum(1/Z_i)``: ``dZ/dp = (Z/Z_i)^2 dZ_i/dp``.
        Element derivatives are closed forms (CPE: ``dZ/dalpha = -Z ln(j w)``, finite
        Warburgs through ``s = sqrt(j w tau)``).
        """
        w = 2 * np.pi * np.asarray(frequency_Hz, dtype=float)
        p = np.asarray(params, dtype=float)
        index = {n: k for k, n in enumerate(self.parameter_names)}
        with np.errstate(all="ignore"):
            return self._zj(self.root, p, index, w)

    def _zj(self, node: _Node, p: np.ndarray, index: dict[str, int], w: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
        jac = np.zeros((w.size, p.size), dtype=complex)
        if node.kind == "element":
            et = ELEMENT_TYPES[node.etype]
            ks = [index[_pname(node.name, et, k)] for k in range(len(et.params))]
            vals = p[ks]
            z = np.asarray(et.impedance(vals, w), dtype=complex)
            for k, d in zip(ks, _element_derivatives(node.etype, vals, w, z), strict=True):
                jac[:, k] = d
            return z, jac
        parts = [self._zj(c, p, index, w) for c in node.children]
        if node.kind == "series":
            return np.sum([z for z, _ in parts], axis=0), np.sum([j for _, j in parts], axis=0)
        z = 1.0 / np.sum([1.0 / zi for zi, _ in parts], axis=0)
        for zi, ji in parts:
            jac += ((z / zi) ** 2)[:, None] * ji
        return z, jac

    def series_resistors(self) -> list[str]:
        """Resistors in series at the top level (the ohmic ``Rs``)."""
        tops = self.root.children if self.root.kind == "series" else (self.root,)
        return [c.name for c in tops if c.kind == "element" and c.etype == "R"]

    def rc_blocks(self) -> list[tuple[str, str, str]]:
        """Parallel groups of exactly one R and one C or CPE: ``(R name, C name, C type)``."""
        out = []

        def walk(node: _Node) -> None:
            if node.kind == "parallel" and len(node.children) == 2 and all(
                    c.kind == "element" for c in node.children):
                types = {c.etype: c.name for c in node.children}
                if "R" in types and ("CPE" in types or "C" in types):
                    cap = "CPE" if "CPE" in types else "C"
                    out.append((types["R"], types[cap], cap))
                    return
            for c in node.children:
                walk(c)

        walk(self.root)
        return out

    def as_dict(self) -> dict[str, str]:
        return {"circuit": self.string}

    @classmethod
    def from_dict(cls, d: dict[str, str]) -> Circuit:
        return parse_circuit(d["circuit"])


def _element_derivatives(etype: str, p: np.ndarray, w: np.ndarray, z: np.ndarray
                         ) -> list[np.ndarray]:
    """``dZ/dp_k`` of one element, in the order of its parameters."""
    if etype == "R":
        return [np.ones(w.shape, dtype=complex)]
    if etype in ("C",):
        return [-z / p[0]]
    if etype == "L":
        return [1j * w]
    if etype == "CPE":
        return [-z / p[0], -z * np.log(1j * w)]
    if etype == "W":
        return [(1 - 1j) / np.sqrt(w)]
    s = np.sqrt(1j * w * p[1])
    t = np.tanh(s)
    if etype == "Wo":  # Z0 coth(s)/s; d/ds = -(csch^2 s)/s - coth(s)/s^2, csch^2 = coth^2 - 1
        coth = 1.0 / t
        dds = -(coth**2 - 1.0) / s - coth / s**2
    else:  # Ws: Z0 tanh(s)/s; d/ds = sech^2(s)/s - tanh(s)/s^2
        dds = (1.0 - t**2) / s - t / s**2
    return [z / p[0], p[0] * dds * s / (2 * p[1])]


def _pname(name: str, et: ElementType, k: int) -> str:
    return name if len(et.params) == 1 else f"{name}_{et.params[k]}"


def parse_circuit(circuit: str) -> Circuit:
    """Parse an impedance.py-style circuit string (no ``eval``).

    Parameters
    ----------
    circuit : str
        E.g. ``"R0-p(R1,CPE1)-p(R2,CPE2)-W1"``; known element types in
        :data:`ELEMENT_TYPES` (R, C, L, CPE, W, Wo, Ws).

    Returns
    -------
    Circuit

    Raises
    ------
    ParameterError
        Syntax error (names the position), unknown element type or duplicate name.

    References
    ----------
    Murbach et al., J. Open Source Softw. 5, 2349 (2020) (impedance.py circuit syntax);
    seed 002 Fig. 3d (Rs, Rsei, Rct, W circuit).
    """
    if not isinstance(circuit, str) or not circuit.strip():
        raise ParameterError("circuit", circuit, "a non-empty circuit string such as "
                             "'R0-p(R1,CPE1)-W1'")
    parser = _Parser(circuit)
    root = parser.series()
    if parser.i != len(parser.tokens):
        raise parser._fail("'-' or end of circuit")
    names, units, bounds, seen = [], [], [], set()
    for e in _elements(root):
        if e.name in seen:
            raise ParameterError("circuit", circuit, f"unique element names; {e.name!r} repeats")
        seen.add(e.name)
        et = ELEMENT_TYPES[e.etype]
        for k in range(len(et.params)):
            names.append(_pname(e.name, et, k))
            units.append(et.units[k])
            bounds.append(et.bounds[k])
    return Circuit(circuit.strip(), root, tuple(names), tuple(units), tuple(bounds))


def element_type(symbol: str) -> ElementType:
    """Look up an element type by symbol (raises :class:`UnknownNameError`)."""
    try:
        return ELEMENT_TYPES[symbol]
    except KeyError:
        raise UnknownNameError("circuit element", symbol, ELEMENT_TYPES) from None
