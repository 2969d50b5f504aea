"""Li-X binaries on common intermetallic prototypes, for the project's own high-throughput.

Each prototype is a space group plus Wyckoff positions with ``"Li"`` and ``"X"`` labels
(Strukturbericht names); :func:`decorate` puts an element on ``X`` and scales the cell so
its volume is the sum of estimated atomic volumes (the relaxation fixes it).
:func:`prototype_population` lists every Li-X binary of :data:`POPULATION_ELEMENTS` on
every prototype, plus each element's ground-state structure as its terminal entry.

These are hypothetical structures and live only in the opt-in exploratory set
(``load_builtin_entries(include_hypothetical=True)``, source ``"builtin+hypothetical"``), each
entry flagged ``data["experimental"] = False``: relaxed with an ML potential, several of them
(LiCu2, LiNi2, Li3Al, Li3Sn, LiGe2) land on the hull although no such phase exists. The
experimentally reported phases come from the catalogue (:mod:`sianode.materials.catalogue`).

References
----------
Seed 001 Fig. 3f (database-wide lithiation map). Prototype definitions: Mehl et al., The
AFLOW Library of Crystallographic Prototypes: Part 1, Comput. Mater. Sci. 136, S1 (2017).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sianode.errors import UnknownElementError, UnknownNameError
from sianode.materials.structures_lisi import expand_spacegroup
from sianode.units import AVOGADRO_MOL

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.core import Structure

__all__ = [
    "Prototype",
    "PROTOTYPES",
    "ELEMENT_GROUND_STATES",
    "POPULATION_ELEMENTS",
    "decorate",
    "element_structure",
    "prototype_population",
]

_AFLOW = "Mehl et al., Comput. Mater. Sci. 136, S1 (2017) (AFLOW prototype library)"


@dataclass(frozen=True)
class Prototype:
    """A crystal prototype with ``Li`` / ``X`` (or ``A`` for elements) Wyckoff labels.

    Attributes
    ----------
    name : str
        Strukturbericht/common name (``"B2"``, ``"L1_2-Li3X"``).
    spacegroup : int
        International Tables number (pymatgen setting; Fd-3m origin choice 1).
    ratio : tuple of float
        b/a, c/a of the conventional cell.
    angles : tuple of float
        alpha, beta, gamma [deg].
    sites : tuple
        ``(label, (x, y, z))`` Wyckoff representatives.
    aflow : str
        AFLOW prototype label.
    """

    name: str
    spacegroup: int
    ratio: tuple[float, float]
    angles: tuple[float, float, float]
    sites: tuple[tuple[str, tuple[float, float, float]], ...]
    aflow: str


_C = (90.0, 90.0, 90.0)
_H = (90.0, 90.0, 120.0)
_Q = 1 / 3

PROTOTYPES: dict[str, Prototype] = {
    p.name: p
    for p in [
        Prototype("B2", 221, (1, 1), _C, (("Li", (0, 0, 0)), ("X", (0.5, 0.5, 0.5))),
                  "AB_cP2_221_b_a"),
        Prototype("B32", 227, (1, 1), _C, (("Li", (0, 0, 0)), ("X", (0.5, 0.5, 0.5))),
                  "AB_cF16_227_a_b"),
        Prototype("L1_0", 123, (1, 1.4142), _C, (("Li", (0, 0, 0)), ("X", (0.5, 0.5, 0.5))),
                  "AB_tP2_123_a_d"),
        Prototype("L1_2-Li3X", 221, (1, 1), _C, (("X", (0, 0, 0)), ("Li", (0, 0.5, 0.5))),
                  "AB3_cP4_221_a_c"),
        Prototype("L1_2-LiX3", 221, (1, 1), _C, (("Li", (0, 0, 0)), ("X", (0, 0.5, 0.5))),
                  "AB3_cP4_221_a_c"),
        Prototype("D0_3-Li3X", 225, (1, 1), _C,
                  (("X", (0, 0, 0)), ("Li", (0.5, 0.5, 0.5)), ("Li", (0.25, 0.25, 0.25))),
                  "AB3_cF16_225_a_bc"),
        Prototype("D0_19-Li3X", 194, (1, 0.8), _H,
                  (("X", (_Q, 2 * _Q, 0.25)), ("Li", (5 / 6, 2 / 3, 0.25))),
                  "A3B_hP8_194_h_c"),
        Prototype("C1-LiX2", 225, (1, 1), _C, (("Li", (0, 0, 0)), ("X", (0.25, 0.25, 0.25))),
                  "AB2_cF12_225_a_c"),
        Prototype("antiC1-Li2X", 225, (1, 1), _C,
                  (("X", (0, 0, 0)), ("Li", (0.25, 0.25, 0.25))), "AB2_cF12_225_a_c"),
        Prototype("C15-LiX2", 227, (1, 1), _C,
                  (("Li", (0, 0, 0)), ("X", (0.625, 0.625, 0.625))), "A2B_cF24_227_d_a"),
    ]
}

#: Ground-state (or simplest good) elemental structures used as terminal entries.
ELEMENT_GROUND_STATES: dict[str, Prototype] = {
    p.name: p
    for p in [
        Prototype("A1", 225, (1, 1), _C, (("A", (0, 0, 0)),), "A_cF4_225_a"),
        Prototype("A2", 229, (1, 1), _C, (("A", (0, 0, 0)),), "A_cI2_229_a"),
        Prototype("A3", 194, (1, 1.633), _H, (("A", (_Q, 2 * _Q, 0.25)),), "A_hP2_194_c"),
        Prototype("A4", 227, (1, 1), _C, (("A", (0, 0, 0)),), "A_cF8_227_a"),
        Prototype("A6", 139, (1, 1.52), _C, (("A", (0, 0, 0)),), "A_tI2_139_a"),
        Prototype("A7", 166, (1, 2.6), _H, (("A", (0, 0, 0.2335)),), "A_hR2_166_c"),
        Prototype("A8", 152, (1, 1.33), _H, (("A", (0.2636, 0, _Q)),), "A_hP3_152_a"),
    ]
}

_GROUND = {
    "A1": "Al Ca Ni Cu Sr Rh Pd Ag Ir Pt Au Pb",
    "A2": "V Cr Fe Nb Mo Ta W Ba",
    "A3": "Be Mg Sc Ti Co Zn Y Zr Ru Cd Hf Re Os Tl La",
    "A4": "Si Ge Sn",
    "A6": "In",
    "A7": "As Sb Bi",
    "A8": "Se Te",
}
_ELEMENT_PROTOTYPE = {el: proto for proto, els in _GROUND.items() for el in els.split()}
#: The elements X of the prototype population (44), each with its elemental structure.
POPULATION_ELEMENTS: tuple[str, ...] = tuple(_ELEMENT_PROTOTYPE)


def _atomic_volume_A3(symbol: str) -> float:
    """Atomic volume [Å³] from the element's molar volume (pymatgen data), else its radius."""
    from pymatgen.core.periodic_table import Element

    el = Element(symbol)
    molar_cm3 = el.molar_volume
    if molar_cm3:
        return float(molar_cm3) * 1e24 / AVOGADRO_MOL
    radius = el.atomic_radius or 1.5
    return 4.0 / 3.0 * math.pi * float(radius) ** 3 / 0.68


def _build(proto: Prototype, species: dict[str, str]) -> Structure:
    from pymatgen.core import Lattice

    lat = Lattice.from_parameters(1.0, proto.ratio[0], proto.ratio[1], *proto.angles)
    s = expand_spacegroup(proto.spacegroup, lat, [species[lab] for lab, _ in proto.sites],
                                  [xyz for _, xyz in proto.sites])
    target = sum(_atomic_volume_A3(site.specie.symbol) for site in s)
    s.scale_lattice(target)
    return s


def decorate(prototype: str, element: str) -> Structure:
    """Put ``element`` on the X sites of a Li-X prototype.

    Parameters
    ----------
    prototype : str
        Key of :data:`PROTOTYPES` (``"B2"``, ``"D0_3-Li3X"``...).
    element : str
        Element symbol for X.

    Returns
    -------
    pymatgen.core.Structure
        Conventional cell with volume = sum of estimated atomic volumes [Å³].

    Raises
    ------
    UnknownNameError
        Unknown prototype.
    UnknownElementError
        ``element`` is not an element symbol.

    References
    ----------
    Mehl et al., Comput. Mater. Sci. 136, S1 (2017).

    Examples
    --------
    >>> decorate("B2", "Ag").composition.reduced_formula
    'LiAg'
    """
    from pymatgen.core.periodic_table import Element

    if prototype not in PROTOTYPES:
        raise UnknownNameError("prototype", prototype, PROTOTYPES)
    if not Element.is_valid_symbol(element):
        raise UnknownElementError(f"{element!r} is not an element symbol")
    return _build(PROTOTYPES[prototype], {"Li": "Li", "X": element})


def element_structure(element: str) -> tuple[str, Structure]:
    """The elemental terminal structure of a population element.

    Returns
    -------
    tuple of (str, Structure)
        Strukturbericht name (``"A1"``...) and the structure.

    Raises
    ------
    UnknownNameError
        ``element`` is not in :data:`POPULATION_ELEMENTS` (and not Li).
    """
    name = "A2" if element == "Li" else _ELEMENT_PROTOTYPE.get(element)
    if name is None:
        raise UnknownNameError("population element", element, POPULATION_ELEMENTS)
    return name, _build(ELEMENT_GROUND_STATES[name], {"A": element})


def prototype_population(elements: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Every Li-X prototype structure and elemental terminal, as build records.

    Parameters
    ----------
    elements : tuple of str, optional
        Elements X (default :data:`POPULATION_ELEMENTS`).

    Returns
    -------
    list of dict
        Keys ``structure``, ``prototype`` (name), ``aflow``, ``source``, ``spacegroup``
        (number), ``element``; elemental terminals first, then compounds.

    References
    ----------
    Seed 001 Fig. 3f; Mehl et al., Comput. Mater. Sci. 136, S1 (2017).
    """
    elements = POPULATION_ELEMENTS if elements is None else tuple(elements)
    out: list[dict[str, Any]] = []
    for el in ("Li", *elements):
        name, s = element_structure(el)
        proto = ELEMENT_GROUND_STATES[name]
        out.append({"structure": s, "prototype": name, "aflow": proto.aflow, "element": el,
                    "spacegroup": proto.spacegroup,
                    "source": f"elemental {name} structure, {_AFLOW}"})
    for el in elements:
        for name, proto in PROTOTYPES.items():
            out.append({"structure": decorate(name, el), "prototype": name, "aflow": proto.aflow,
                        "element": el, "spacegroup": proto.spacegroup,
                        "source": f"hypothetical Li-{el} on the {name} prototype, {_AFLOW}"})
    return out
