"""Crystal structures of the elements and non-binary hosts named in seed 001, as data.

Each structure is a :class:`CrystalData` record: space group, lattice parameters and the
Wyckoff representatives, with the citation of the lattice parameters and of the atomic
coordinates. :func:`build_structure` expands one with pymatgen's
``Structure.from_spacegroup`` (International Tables settings as pymatgen implements them;
Fd-3m in origin choice 1). The built-in reference set relaxes every one with the default
potential, so small differences in starting coordinates do not matter; composition,
connectivity and space group do.

The binary Li-X compounds live in the cited catalogue (:mod:`sianode.materials.catalogue`);
:data:`LISI_PHASES` takes its Li-Si compounds from there. Where we say "coordinates: Materials
Project" the internal coordinates are those of the
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


_LISI_ELEMENTS: dict[str, CrystalData] = {
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
        CrystalData("Ga", 64, (4.523, 7.661, 4.524), _CUB, (("Ga", "8f", (0.0, 0.1549, 0.081)),),
                    "alpha-Ga (A11, Cmce): Sharma & Donohue, Z. Kristallogr. 117, 293 (1962), via "
                    "AFLOW Encyclopedia A_oC8_64_f-001 (github.com/aflow-org/"
                    "aflow_prototype_encyclopedia data/A_oC8_64_f-001/aflow.cif, commit "
                    "97fa9596493465a4349736abcb8d862d11b8004d)"),
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
        CrystalData("LiAlO2", 166, (2.8, 2.8, 14.22), _HEX,
                    (("Al", "3a", (0.0, 0.0, 0.0)), ("Li", "3b", (0.0, 0.0, 0.5)),
                     ("O", "6c", (0.0, 0.0, 0.2402))),
                    "alpha-LiAlO2 (alpha-NaFeO2 type): Marezio & Remeika, J. Chem. Phys. 44, "
                    "3143 (1966)", note="z(O) set to the alpha-NaFeO2 value"),
        CrystalData("O2", 1, _c(9.9), _CUB,
                    (("O", "1a", (0.0, 0.0, 0.0)), ("O", "1a", (0.1208, 0.0, 0.0))),
                    "O2 molecule (bond 1.208 Å: Huber & Herzberg, Constants of Diatomic "
                    "Molecules (1979)) in a 9.9 Å box (volume per atom below the 500 Å³ sanity bound)",
                    note="molecule: the O terminal for oxides (MP2020's oxide correction "
                         "refers to MP's O2 energy); relaxed at fixed cell",
                    tags=("molecule",)),
    ]
}

def _from_catalogue(row_id: str) -> CrystalData:
    """A catalogue row (:mod:`sianode.materials.catalogue`) as a :class:`CrystalData`."""
    from sianode.materials.catalogue import catalogue_row

    row = catalogue_row(row_id)
    lat = row.lattice or {}
    return CrystalData(
        row.id, int(row.spacegroup_number or 1), (lat["a"], lat["b"], lat["c"]),
        (lat["alpha"], lat["beta"], lat["gamma"]), row.sites or (), row.lattice_source,
        row.coordinates_source, note=row.structure_type,
    )


#: The Li-Si benchmark set: bcc Li, diamond Si and the Li-Si phases with published lattices
#: (the compounds are read from the catalogue, the one place their data live).
LISI_PHASES: dict[str, CrystalData] = {
    **_LISI_ELEMENTS,
    **{name: _from_catalogue(name) for name in ("Li12Si7", "Li13Si4", "Li15Si4")},
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
        diff = np.abs((pts[:, None, :] - pts[None, :, :] + 0.5) % 1.0 - 0.5)
        same = np.all(diff < 1e-3, axis=2)
        # keep an image unless an earlier image coincides with it
        kept = pts[~np.any(np.tril(same, k=-1), axis=1)]
        all_species += [sp] * len(kept)
        all_coords += list(kept)
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
