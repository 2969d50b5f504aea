"""Crystal structures of the Li-Si phases and of the hosts named in seed 001, as data.

Each structure is a :class:`CrystalData` record: space group, lattice parameters and the
Wyckoff representatives, with the citation of the lattice parameters and of the atomic
coordinates. :func:`build_structure` expands one with pymatgen's
``Structure.from_spacegroup`` (International Tables settings as pymatgen implements them;
Fd-3m in origin choice 1). The built-in reference set relaxes every one with the default
potential, so small differences in starting coordinates do not matter; composition,
connectivity and space group do.

Where we say "coordinates: Materials Project" the internal coordinates are those of the
DFT-relaxed Materials Project structure of that experimental phase (CC-BY 4.0), reduced to
their Wyckoff representatives in the standard setting, and the lattice parameters are the
experimental ones of the cited paper.

References
----------
Seed 001 (Fig. 3, Methods: Li-Si phases and host list). Crystallographic sources per record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sianode.errors import UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    from pymatgen.core import Structure

__all__ = [
    "CrystalData", "LISI_PHASES", "HOST_PHASES", "ALL_PHASES", "build_structure",
    "spacegroup_symbol", "expand_spacegroup",
]

_MP = "Materials Project (Jain et al., APL Mater. 1, 011002 (2013); CC-BY 4.0)"


@dataclass(frozen=True)
class CrystalData:
    """One crystal structure from published crystallographic data.

    Attributes
    ----------
    name : str
        Key, e.g. ``"Li15Si4"`` or ``"Sn-beta"``.
    spacegroup : int
        International Tables number.
    abc : tuple of float
        Lattice parameters a, b, c [Å].
    angles : tuple of float
        alpha, beta, gamma [deg].
    sites : tuple
        Wyckoff representatives ``(element, wyckoff_letter, (x, y, z))`` (fractional).
    source : str
        Citation of the lattice parameters (and coordinates unless ``coords_source``).
    coords_source : str
        Citation of the atomic coordinates when they come from elsewhere.
    note : str
        Remarks (hypothetical prototype, ordering model...).
    """

    name: str
    spacegroup: int
    abc: tuple[float, float, float]
    angles: tuple[float, float, float]
    sites: tuple[tuple[str, str, tuple[float, float, float]], ...]
    source: str
    coords_source: str = ""
    note: str = ""
    tags: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """Plain-dict form for provenance files."""
        return {
            "name": self.name, "spacegroup": self.spacegroup, "abc": list(self.abc),
            "angles": list(self.angles),
            "sites": [[e, w, list(x)] for e, w, x in self.sites],
            "source": self.source, "coords_source": self.coords_source, "note": self.note,
        }

    @property
    def citation(self) -> str:
        """Lattice source, plus the coordinate source where different."""
        if self.coords_source:
            return f"{self.source}; coordinates: {self.coords_source}"
        return self.source


_CUB = (90.0, 90.0, 90.0)
_HEX = (90.0, 90.0, 120.0)


def _c(a: float) -> tuple[float, float, float]:
    return (a, a, a)


LISI_PHASES: dict[str, CrystalData] = {
    d.name: d
    for d in [
        CrystalData(
            "Li", 229, _c(3.5093), _CUB, (("Li", "2a", (0.0, 0.0, 0.0)),),
            "bcc Li at 293 K: Berliner & Werner, Phys. Rev. B 34, 3586 (1986)",
        ),
        CrystalData(
            "Si", 227, _c(5.4311), _CUB, (("Si", "8a", (0.0, 0.0, 0.0)),),
            "diamond Si: Okada & Tokumaru, J. Appl. Phys. 56, 314 (1984)",
        ),
        CrystalData(
            "Li12Si7", 62, (8.600, 19.755, 14.336), _CUB,
            (
                ("Li", "8d", (0.0037, 0.6250, 0.9724)), ("Li", "8d", (0.1088, 0.6872, 0.6566)),
                ("Li", "8d", (0.1229, 0.6656, 0.3404)), ("Li", "8d", (0.1282, 0.6451, 0.1388)),
                ("Li", "8d", (0.1295, 0.5316, 0.2563)), ("Li", "8d", (0.1296, 0.0278, 0.4343)),
                ("Li", "8d", (0.1304, 0.1127, 0.2365)), ("Li", "8d", (0.1331, 0.0049, 0.0674)),
                ("Li", "8d", (0.1373, 0.6889, 0.8374)), ("Li", "8d", (0.1379, 0.1714, 0.4778)),
                ("Li", "8d", (0.1576, 0.6117, 0.5051)), ("Li", "4c", (0.1131, 0.25, 0.8688)),
                ("Li", "4c", (0.1618, 0.25, 0.6659)),
                ("Si", "8d", (0.1065, 0.0650, 0.6140)), ("Si", "8d", (0.1178, 0.5506, 0.6664)),
                ("Si", "8d", (0.1199, 0.5531, 0.8314)), ("Si", "8d", (0.1239, 0.1322, 0.7519)),
                ("Si", "8d", (0.1311, 0.0608, 0.8858)), ("Si", "4c", (0.1157, 0.75, 0.0078)),
                ("Si", "4c", (0.1223, 0.75, 0.4880)), ("Si", "4c", (0.1282, 0.25, 0.2355)),
                ("Si", "4c", (0.1330, 0.25, 0.0696)),
            ),
            "Pnma: Nesper, von Schnering & Curda, Chem. Ber. 119, 3576 (1986)",
            f"{_MP}, mp-1314 (DFT-relaxed Li12Si7)",
        ),
        CrystalData(
            "Li13Si4", 55, (7.99, 15.21, 4.43), _CUB,
            (
                ("Li", "4g", (0.7699, 0.6536, 0.0)), ("Li", "4g", (0.3476, 0.0254, 0.0)),
                ("Li", "4h", (0.7580, 0.9046, 0.5)), ("Li", "4g", (0.4047, 0.1942, 0.0)),
                ("Li", "4h", (0.5901, 0.2448, 0.5)), ("Li", "4h", (0.9039, 0.1055, 0.5)),
                ("Li", "2a", (0.0, 0.0, 0.0)),
                ("Si", "4h", (0.9257, 0.5689, 0.5)), ("Si", "4g", (0.5834, 0.3397, 0.0)),
            ),
            "Pbam: Frank, Mueller & Schaefer, Z. Naturforsch. B 30, 10 (1975); refined by "
            "Zeilinger & Faessler, Acta Cryst. E 69, i81 (2013)",
            f"{_MP}, mp-672287 (DFT-relaxed Li13Si4)",
        ),
        CrystalData(
            "Li15Si4", 220, _c(10.685), _CUB,
            (
                ("Li", "48e", (0.0961, 0.6269, 0.7134)), ("Li", "12a", (0.75, 0.125, 0.0)),
                ("Si", "16c", (0.0424, 0.5424, 0.9576)),
            ),
            "I-43d (Cu15Si4 type): Obrovac & Christensen, Electrochem. Solid-State Lett. 7, "
            "A93 (2004)",
            f"{_MP}, mp-569849 (DFT-relaxed Li15Si4)",
        ),
    ]
}


HOST_PHASES: dict[str, CrystalData] = {
    d.name: d
    for d in [
        CrystalData("Ag", 225, _c(4.0857), _CUB, (("Ag", "4a", (0.0, 0.0, 0.0)),),
                    "fcc Ag: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Al", 225, _c(4.0495), _CUB, (("Al", "4a", (0.0, 0.0, 0.0)),),
                    "fcc Al: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Cu", 225, _c(3.6149), _CUB, (("Cu", "4a", (0.0, 0.0, 0.0)),),
                    "fcc Cu: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Mg", 194, (3.2094, 3.2094, 5.2108), _HEX,
                    (("Mg", "2c", (1 / 3, 2 / 3, 0.25)),),
                    "hcp Mg: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Zn", 194, (2.6649, 2.6649, 4.9468), _HEX,
                    (("Zn", "2c", (1 / 3, 2 / 3, 0.25)),),
                    "hcp Zn: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Ti", 194, (2.9508, 2.9508, 4.6855), _HEX,
                    (("Ti", "2c", (1 / 3, 2 / 3, 0.25)),),
                    "hcp alpha-Ti: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Ge", 227, _c(5.6579), _CUB, (("Ge", "8a", (0.0, 0.0, 0.0)),),
                    "diamond Ge: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Sn-alpha", 227, _c(6.4892), _CUB, (("Sn", "8a", (0.0, 0.0, 0.0)),),
                    "alpha-Sn (diamond): Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Sn-beta", 141, (5.8318, 5.8318, 3.1819), _CUB,
                    (("Sn", "4a", (0.0, 0.0, 0.0)),),
                    "beta-Sn (A5, I41/amd origin 1): Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("In", 139, (3.2523, 3.2523, 4.9461), _CUB, (("In", "2a", (0.0, 0.0, 0.0)),),
                    "In (A6, I4/mmm): Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Mg2Si", 225, _c(6.351), _CUB,
                    (("Si", "4a", (0.0, 0.0, 0.0)), ("Mg", "8c", (0.25, 0.25, 0.25))),
                    "anti-fluorite Mg2Si: Wyckoff, Crystal Structures vol. 1 (1963)"),
        CrystalData("Li2MgSi", 216, _c(6.25), _CUB,
                    (("Si", "4a", (0.0, 0.0, 0.0)), ("Mg", "4c", (0.25, 0.25, 0.25)),
                     ("Li", "4b", (0.5, 0.5, 0.5)), ("Li", "4d", (0.75, 0.75, 0.75))),
                    "hypothetical inverse-Heusler (Li2AgSb/Hg2CuTi type) ordering of Li2MgSi, "
                    "as for Li2MgSn (Schuster et al., Z. Naturforsch. B 31, 1540 (1976))",
                    note="prototype guess, not an experimental Li2MgSi structure; a from "
                         "Vegard-like estimate"),
        CrystalData("SiO2", 152, (4.9134, 4.9134, 5.4052), _HEX,
                    (("Si", "3b", (0.4699, 0.0, 5 / 6)),
                     ("O", "6c", (0.4130, 0.2668, 0.7140))),
                    "alpha-quartz P3_121: Hazen, Finger, Hemley & Mao, Solid State Commun. 72, "
                    "507 (1989), as in the AFLOW prototype library (Mehl et al., Comput. Mater. "
                    "Sci. 136, S1 (2017))"),
        CrystalData("Al2O3", 167, (4.7589, 4.7589, 12.991), _HEX,
                    (("Al", "12c", (0.0, 0.0, 0.35216)), ("O", "18e", (0.30624, 0.0, 0.25))),
                    "corundum: Lewis, Schwarzenbach & Flack, Acta Cryst. A 38, 733 (1982)"),
        CrystalData("Li2O", 225, _c(4.6114), _CUB,
                    (("O", "4a", (0.0, 0.0, 0.0)), ("Li", "8c", (0.25, 0.25, 0.25))),
                    "anti-fluorite Li2O: Farley et al., J. Solid State Chem. 97, 1 (1992)"),
        CrystalData("LiAl", 227, _c(6.37), _CUB,
                    (("Li", "8a", (0.0, 0.0, 0.0)), ("Al", "8b", (0.5, 0.5, 0.5))),
                    "NaTl (B32) LiAl: Kishio & Brittain, J. Phys. Chem. Solids 40, 933 (1979)"),
        CrystalData("LiZn", 227, _c(6.209), _CUB,
                    (("Li", "8a", (0.0, 0.0, 0.0)), ("Zn", "8b", (0.5, 0.5, 0.5))),
                    "NaTl (B32) LiZn: Zintl & Brauer, Z. Phys. Chem. B 20, 245 (1933)"),
        CrystalData("LiIn", 227, _c(6.786), _CUB,
                    (("Li", "8a", (0.0, 0.0, 0.0)), ("In", "8b", (0.5, 0.5, 0.5))),
                    "NaTl (B32) LiIn: Zintl & Brauer, Z. Phys. Chem. B 20, 245 (1933)"),
        CrystalData("LiAg", 221, _c(3.168), _CUB,
                    (("Li", "1a", (0.0, 0.0, 0.0)), ("Ag", "1b", (0.5, 0.5, 0.5))),
                    "CsCl (B2) LiAg: Freeth & Raynor, J. Inst. Met. 82, 575 (1954)"),
        CrystalData("Li15Ge4", 220, _c(10.783), _CUB,
                    (("Li", "48e", (0.0961, 0.6269, 0.7134)), ("Li", "12a", (0.75, 0.125, 0.0)),
                     ("Ge", "16c", (0.0424, 0.5424, 0.9576))),
                    "Cu15Si4-type Li15Ge4: Johnson, Smith & Wood, Acta Cryst. 18, 131 (1965)",
                    "Li15Si4 coordinates (isotypic), see LISI_PHASES['Li15Si4']"),
        CrystalData("LiAlO2", 166, (2.8, 2.8, 14.22), _HEX,
                    (("Al", "3a", (0.0, 0.0, 0.0)), ("Li", "3b", (0.0, 0.0, 0.5)),
                     ("O", "6c", (0.0, 0.0, 0.2402))),
                    "alpha-LiAlO2 (alpha-NaFeO2 type): Marezio & Remeika, J. Chem. Phys. 44, "
                    "3143 (1966)", note="z(O) set to the alpha-NaFeO2 value"),
        CrystalData("O2", 1, _c(10.0), _CUB,
                    (("O", "1a", (0.0, 0.0, 0.0)), ("O", "1a", (0.1208, 0.0, 0.0))),
                    "O2 molecule (bond 1.208 Å: Huber & Herzberg, Constants of Diatomic "
                    "Molecules (1979)) in a 10 Å box",
                    note="molecule: the O terminal for oxides (MP2020's oxide correction "
                         "refers to MP's O2 energy); relaxed at fixed cell",
                    tags=("molecule",)),
    ]
}

ALL_PHASES: dict[str, CrystalData] = {**LISI_PHASES, **HOST_PHASES}


@cache
def _space_group(number: int) -> Any:
    from pymatgen.symmetry.groups import SpaceGroup

    return SpaceGroup.from_int_number(number)  # slow (~3 s): cached


def spacegroup_symbol(number: int) -> str:
    """Hermann-Mauguin symbol of a space-group number (pymatgen's default setting)."""
    return _space_group(number).symbol


def expand_spacegroup(
    number: int, lattice: Any, species: Sequence[str], coords: Sequence[Sequence[float]]
) -> Structure:
    """Apply the operations of space group ``number`` to Wyckoff representatives.

    Same result as pymatgen's ``Structure.from_spacegroup(number, ...)`` (same settings),
    but the operations are computed once per space group (pymatgen rebuilds them on every
    call, 0.5-3 s each).

    Parameters
    ----------
    number : int
        International Tables number.
    lattice : pymatgen.core.Lattice
        Conventional lattice [Å].
    species : sequence of str
        Element of each representative.
    coords : sequence of (x, y, z)
        Fractional coordinates of the representatives.

    Returns
    -------
    pymatgen.core.Structure
        All symmetry-equivalent sites (duplicates within 1e-3 merged).
    """
    import numpy as np
    from pymatgen.core import Structure

    ops = _space_group(number).symmetry_ops
    rot = np.array([op.rotation_matrix for op in ops])
    trans = np.array([op.translation_vector for op in ops])
    all_species: list[str] = []
    all_coords: list[Any] = []
    for sp, xyz in zip(species, coords):
        pts = (rot @ np.asarray(xyz, dtype=float) + trans) % 1.0
        kept: list[Any] = []
        for p in pts:
            if not any(np.all(np.abs((p - q + 0.5) % 1.0 - 0.5) < 1e-3) for q in kept):
                kept.append(p)
        all_species += [sp] * len(kept)
        all_coords += kept
    return Structure(lattice, all_species, all_coords)


def build_structure(name: str | CrystalData) -> Structure:
    """Expand a registered :class:`CrystalData` into a pymatgen Structure.

    Parameters
    ----------
    name : str or CrystalData
        Key of :data:`ALL_PHASES` (``"Li15Si4"``, ``"Sn-beta"``...) or a record.

    Returns
    -------
    pymatgen.core.Structure
        Conventional cell from the space-group operations.

    Raises
    ------
    UnknownNameError
        Unknown structure name.

    References
    ----------
    The record's ``source`` / ``coords_source``.

    Examples
    --------
    >>> len(build_structure("Li15Si4"))
    76
    """
    from pymatgen.core import Lattice

    if isinstance(name, CrystalData):
        rec = name
    else:
        try:
            rec = ALL_PHASES[name]
        except KeyError:
            raise UnknownNameError("crystal structure", name, ALL_PHASES) from None
    lat = Lattice.from_parameters(*rec.abc, *rec.angles)
    return expand_spacegroup(rec.spacegroup, lat, [s[0] for s in rec.sites],
                             [s[2] for s in rec.sites])
