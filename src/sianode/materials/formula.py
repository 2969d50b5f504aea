"""Chemical formulas without pymatgen: parse, reduce, and the element data they need.

The thermo fast path (``sianode lithiate Si``) must not import pymatgen (seconds of start-up).
This module parses formulas (``Li15Si4``, ``Li2(SO4)``, ``Li0.5Si``), writes reduced formulas
exactly as pymatgen's ``Composition.reduced_formula`` does (electronegativity order, polyanion
brackets, the peroxide/diatomic special cases), and reads element masses and Pauling
electronegativities from ``sianode/data/elements.json``, a table exported from pymatgen's
periodic table by :func:`write_element_data` (``python -m sianode.materials.table build``).

Tests check both functions against pymatgen on random compositions.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from sianode.errors import UnknownElementError, closest_names

__all__ = ["element_data", "parse_formula", "reduced_formula", "write_element_data"]

_TOKEN = re.compile(r"([A-Z][a-z]*)|(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
                    r"|([(\[{])|([)\]}])")
_AMOUNT_TOL = 1e-8  # pymatgen Composition.amount_tolerance
_SPECIAL = {"LiO": "Li2O2", "NaO": "Na2O2", "KO": "K2O2", "HO": "H2O2", "CsO": "Cs2O2",
            "RbO": "Rb2O2", "O": "O2", "N": "N2", "F": "F2", "Cl": "Cl2", "H": "H2"}


@lru_cache(maxsize=1)
def element_data() -> dict[str, tuple[float, float]]:
    """{symbol: (atomic mass [g/mol], Pauling electronegativity or NaN)} for Z = 1-118.

    Exported from pymatgen's periodic table (see module docstring), so masses equal
    pymatgen's ``Element.atomic_mass``.
    """
    path = Path(__file__).resolve().parents[1] / "data" / "elements.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {s: (float(m), math.nan if x is None else float(x))
            for s, m, x in zip(raw["symbol"], raw["atomic_mass"], raw["X"], strict=True)}


def write_element_data(path: Any) -> None:
    """Write the element table from pymatgen (build step; needs pymatgen)."""
    import warnings

    from pymatgen.core.periodic_table import Element

    rows: dict[str, list[Any]] = {"symbol": [], "Z": [], "atomic_mass": [], "X": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for el in Element:
            x = float(el.X)
            rows["symbol"].append(el.symbol)
            rows["Z"].append(int(el.Z))
            rows["atomic_mass"].append(float(el.atomic_mass))
            rows["X"].append(None if math.isnan(x) else x)
    import pymatgen.core

    doc = {"description": "element symbols, atomic masses [g/mol] and Pauling "
           "electronegativities exported from pymatgen's periodic table",
           "pymatgen_version": getattr(pymatgen.core, "__version__", "unknown"), **rows}
    text = json.dumps(doc, indent=0)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")


def _fail(formula: Any, ctx: str, why: str) -> UnknownElementError:
    return UnknownElementError(
        f"cannot parse formula {formula!r}{ctx}: {why}; expected element symbols and amounts "
        "such as 'Li15Si4'")


def parse_formula(formula: Any, where: str = "") -> dict[str, float]:
    """Parse a formula into {element: amount}.

    Supports amounts with decimals, brackets with multipliers (``Li2(SO4)``) and spaces.

    Parameters
    ----------
    formula : str
    where : str
        Context for the error message (file and row, parameter name).

    Raises
    ------
    UnknownElementError
        A symbol is not an element (``"Xx"``, with the nearest symbols), or the formula is
        empty, unparsable, or has no atoms.
    """
    ctx = f" ({where})" if where else ""
    if not isinstance(formula, str):
        raise _fail(formula, ctx, f"a {type(formula).__name__}, not a string")
    text = formula.replace(" ", "")
    tokens: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _fail(formula, ctx, f"unexpected character {text[pos]!r}")
        tokens.append((m.lastindex or 0, m.group(m.lastindex or 0)))
        pos = m.end()
    known = element_data()

    def amount(i: int) -> tuple[float, int]:
        if i < len(tokens) and tokens[i][0] == 2:
            value = float(tokens[i][1])
            if not (math.isfinite(value) and value <= 1e6):
                raise _fail(formula, ctx, f"amount {tokens[i][1]} is not a finite number <= 1e6")
            return value, i + 1
        return 1.0, i

    def group(i: int, depth: int) -> tuple[dict[str, float], int]:
        out: dict[str, float] = {}
        while i < len(tokens):
            kind, tok = tokens[i]
            if kind == 1:
                if tok not in known:
                    hint = closest_names(tok, known)
                    raise UnknownElementError(
                        f"unknown element symbol {tok!r} in formula {formula!r}{ctx}"
                        + (f"; did you mean {', '.join(hint)}?" if hint else ""))
                n, i = amount(i + 1)
                out[tok] = out.get(tok, 0.0) + n
            elif kind == 3:
                sub, i = group(i + 1, depth + 1)
                if i >= len(tokens) or tokens[i][0] != 4:
                    raise _fail(formula, ctx, "unbalanced brackets")
                n, i = amount(i + 1)
                for k, v in sub.items():
                    out[k] = out.get(k, 0.0) + v * n
            elif kind == 4:
                if depth == 0:
                    raise _fail(formula, ctx, "unbalanced brackets")
                return out, i
            else:
                raise _fail(formula, ctx, f"amount {tok} without an element before it")
        if depth:
            raise _fail(formula, ctx, "unbalanced brackets")
        return out, i

    comp, _ = group(0, 0)
    out = {k: v for k, v in comp.items() if abs(v) > _AMOUNT_TOL}
    if not out:
        raise UnknownElementError(f"formula {formula!r}{ctx} has no atoms")
    return out


def _fmt(amount: float, ignore_ones: bool = True) -> str:
    """pymatgen's ``formula_double_format``."""
    if ignore_ones and math.isclose(amount, 1, abs_tol=1e-8):
        return ""
    if math.isclose(amount, round(amount), abs_tol=1e-8, rel_tol=0):
        return str(round(amount))
    return str(round(amount, 8))


def _order(symbols: Any) -> list[str]:
    data = element_data()

    def key(s: str) -> tuple[float, str]:
        x = data[s][1]
        return (math.inf if math.isnan(x) else x, s)

    return sorted(symbols, key=key)


def _reduce(sym_amt: dict[str, int]) -> tuple[str, int]:
    """pymatgen's ``reduce_formula`` (integer amounts, electronegativity order, polyanion)."""
    syms = [s for s in _order(sym_amt) if abs(sym_amt[s]) > _AMOUNT_TOL]
    factor = abs(math.gcd(*(int(v) for v in sym_amt.values())))
    poly: list[str] = []
    data = element_data()
    if len(syms) >= 3 and data[syms[-1]][1] - data[syms[-2]][1] < 1.65:
        sub = {syms[i]: sym_amt[syms[i]] / factor for i in (-2, -1)}
        if all(int(v) == v for v in sub.values()):
            form, pf = _reduce({k: int(v) for k, v in sub.items()})
        else:  # pragma: no cover - pymatgen then keeps factor 1
            form, pf = "".join(f"{s}{_fmt(v)}" for s, v in sub.items()), 1
        if pf != 1:
            poly.append(f"({form}){pf}")
    syms = syms[: len(syms) - 2 if poly else len(syms)]
    body = "".join(f"{s}{_fmt(sym_amt[s] / factor)}" for s in syms)
    return body + "".join(poly), factor


def reduced_formula(composition: dict[str, float]) -> tuple[str, float]:
    """Reduced formula and factor, as pymatgen's ``Composition.get_reduced_formula_and_factor``.

    Parameters
    ----------
    composition : dict
        {element symbol: amount}.

    Returns
    -------
    (str, float)
        E.g. ``{"Li": 30, "Si": 8}`` -> ``("Li15Si4", 2)``.
    """
    comp = {k: float(v) for k, v in composition.items() if abs(v) > _AMOUNT_TOL}
    if not all(abs(v - round(v)) < _AMOUNT_TOL for v in comp.values()):
        return "".join(f"{s}{_fmt(comp[s], False)}" for s in _order(comp)), 1.0
    form, factor = _reduce({k: round(v) for k, v in comp.items()})
    if form in _SPECIAL:
        return _SPECIAL[form], factor / 2
    return form, float(factor)
