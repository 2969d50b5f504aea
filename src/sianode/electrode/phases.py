"""Li-X phase bookkeeping: Li per host atom, capacities, volumes and densities.

A lithiated phase ``Li_x M`` is described per host atom: ``x`` Li per host atom and the
volume per host atom [Å³]. Capacities follow ``q = x F / (3.6 M)`` (``sianode.units``):
one Li per Si is 954.3 mAh/g(Si) (seed 001 Methods). Two bases are used in the papers:
per gram of *host* (the usual "Si capacity", seed 001/003) and per gram of the *lithiated*
phase (what pymatgen's ``ConversionElectrode`` reports).

The named Li-Si phases carry their experimental crystallographic volume per Si, from which
the density follows; sources are listed in :data:`LI_SI_PHASES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sianode.errors import ParameterError, UnknownElementError, UnknownNameError
from sianode.records import DictRecord
from sianode.units import (
    AVOGADRO_MOL,
    MOLAR_MASS_LI_G_MOL,
    MOLAR_MASS_SI_G_MOL,
    capacity_mAh_g,
    electrons_from_capacity,
)
from sianode.validation import (
    LI_PER_HOST,
    LI_PER_HOST_MAX,
    POSITIVE,
    SPECIFIC_CAPACITY_MAH_G,
    Interval,
    OneOf,
    check_params,
)

__all__ = [
    "LiXPhase",
    "LI_SI_PHASES",
    "get_phase",
    "phase_names",
    "host_molar_mass_g_mol",
    "capacity_per_gram_host_mAh_g",
    "capacity_per_gram_lithiated_mAh_g",
    "li_per_host_from_capacity",
    "amorphous_volume_per_si_A3",
    "li_per_host_of_formula",
]

_BASES = OneOf("capacity basis", ("host", "lithiated"))
#: A capacity may be zero (pristine host); its upper end is the physical bound.
_CAPACITY = Interval(0.0, SPECIFIC_CAPACITY_MAH_G.high, reason=SPECIFIC_CAPACITY_MAH_G.reason)


@dataclass(frozen=True)
class LiXPhase(DictRecord):
    """A lithiated phase Li_x M described per host atom.

    Parameters
    ----------
    name : str
        Formula as written in the papers (``"Li21Si5"``).
    li_per_host : float
        Li atoms per host atom ``x`` [-].
    volume_per_host_A3 : float
        Volume per host atom [Å³] (crystal cell volume / host atoms in the cell).
    host : str
        Host element symbol (``"Si"``).
    host_molar_mass_g_mol : float
        Molar mass of the host [g/mol].
    reference : str
        Source of the volume (crystal structure report).
    """

    name: str
    li_per_host: float
    volume_per_host_A3: float
    host: str = "Si"
    host_molar_mass_g_mol: float = MOLAR_MASS_SI_G_MOL
    reference: str = ""

    @property
    def molar_mass_per_host_g_mol(self) -> float:
        """Mass of Li_x M per host atom [g/mol]."""
        return self.host_molar_mass_g_mol + self.li_per_host * MOLAR_MASS_LI_G_MOL

    @property
    def density_g_cm3(self) -> float:
        """Crystallographic density [g/cm³] = M(Li_x M) / (N_A V)."""
        return self.molar_mass_per_host_g_mol / (AVOGADRO_MOL * self.volume_per_host_A3 * 1e-24)

    @property
    def capacity_host_mAh_g(self) -> float:
        """Capacity per gram of host [mAh/g(M)] to reach this phase from pure M."""
        return float(capacity_mAh_g(self.li_per_host, self.host_molar_mass_g_mol))

    @property
    def capacity_lithiated_mAh_g(self) -> float:
        """Li content of the phase per gram of lithiated phase [mAh/g(Li_x M)]."""
        return float(capacity_mAh_g(self.li_per_host, self.molar_mass_per_host_g_mol))


def _si(name: str, x: float, cell_volume_A3: float, si_per_cell: int, ref: str) -> LiXPhase:
    return LiXPhase(name, x, cell_volume_A3 / si_per_cell, reference=ref)


#: Named Li-Si phases with experimental cell volumes (room temperature) [Å³ per cell].
LI_SI_PHASES: dict[str, LiXPhase] = {
    p.name: p
    for p in (
        _si("Si", 0.0, 5.4310**3, 8,
            "diamond, a = 5.4310 Å (CRC Handbook of Chemistry and Physics)"),
        _si("LiSi", 1.0, 9.353**2 * 5.743, 16,
            "I4_1/a, a = 9.353, c = 5.743 Å, Z = 16 (Evers, Oehlinger, Sextl, "
            "Angew. Chem. Int. Ed. 32, 1442 (1993))"),
        _si("Li12Si7", 12 / 7, 8.600 * 19.755 * 14.336, 56,
            "Pnma, a = 8.600, b = 19.755, c = 14.336 Å, Z = 8 (Nesper, von Schnering, "
            "Curda, Chem. Ber. 119, 3576 (1986))"),
        _si("Li7Si3", 7 / 3, 0.75**0.5 * 4.435**2 * 18.134, 6,
            "R-3m, a = 4.435, c = 18.134 Å, 6 Si per hexagonal cell (von Schnering, "
            "Nesper, Tebbe, Curda, Z. Metallkd. 71, 357 (1980))"),
        _si("Li13Si4", 13 / 4, 7.99 * 15.21 * 4.43, 8,
            "Pbam, a = 7.99, b = 15.21, c = 4.43 Å, Z = 2 (Frank, Müller, Schäfer, "
            "Z. Naturforsch. B 30, 10 (1975); Zeilinger, Fässler, Acta Cryst. E 69, i81 (2013))"),
        _si("Li15Si4", 15 / 4, 10.685**3, 16,
            "I-43d, a = 10.685 Å, Z = 4 (Obrovac, Christensen, Electrochem. Solid-State "
            "Lett. 7, A93 (2004))"),
        _si("Li21Si5", 21 / 5, 18.710**3, 80,
            "F-43m, a = 18.710 Å, Z = 16 (Nesper, von Schnering, J. Solid State Chem. 70, "
            "48 (1987))"),
        _si("Li22Si5", 22 / 5, 18.750**3, 80,
            "F23, a = 18.750 Å, Z = 16 (Axel, Schäfer, Weiss, Z. Naturforsch. B 21, 115 "
            "(1966)); superseded by Li21Si5/Li17Si4 but still quoted for 4200 mAh/g"),
    )
}


def phase_names() -> list[str]:
    """Names accepted by :func:`get_phase`.

    References
    ----------
    Crystal structure reports cited in :data:`LI_SI_PHASES`.
    """
    return list(LI_SI_PHASES)


def get_phase(name: str) -> LiXPhase:
    """Look up a named Li-Si phase.

    Parameters
    ----------
    name : str
        Phase formula (``"Li15Si4"``); ``"Li3.75Si"``-style names of the table entries are
        not parsed, use the formula as written in :data:`LI_SI_PHASES`.

    Returns
    -------
    LiXPhase

    Raises
    ------
    UnknownNameError
        The name is not known; the message lists the closest matches.

    References
    ----------
    Seed 002 (Li21Si5), seed 003/004 (Li15Si4 = Li3.75Si), DESIGN.md capacity checks.

    Examples
    --------
    >>> round(get_phase("Li15Si4").capacity_host_mAh_g)
    3579
    """
    try:
        return LI_SI_PHASES[name]
    except (KeyError, TypeError):
        raise UnknownNameError("Li-Si phase", str(name), LI_SI_PHASES) from None


def host_molar_mass_g_mol(host: str | float) -> float:
    """Molar mass of a host [g/mol]: a number is returned as is, a symbol is looked up.

    Si uses ``sianode.units``; other elements use pymatgen's element data (lazy import).

    Raises
    ------
    UnknownNameError
        ``host`` is not an element symbol.
    ParameterError
        ``host`` is Li (Li metal cannot host Li) or a non-positive molar mass.

    References
    ----------
    IUPAC standard atomic weights (``sianode.units``; pymatgen ``Element.atomic_mass``).
    """
    if not isinstance(host, str):
        check_params({"host_molar_mass_g_mol": host}, {"host_molar_mass_g_mol": POSITIVE})
        return float(host)
    if host == "Si":
        return MOLAR_MASS_SI_G_MOL
    if host == "Li":
        raise ParameterError("host", host, "an element other than Li (Li metal is the Li "
                             "source, not a host)")
    from pymatgen.core.periodic_table import Element

    symbols = [e.symbol for e in Element]
    if host not in symbols:
        raise UnknownNameError("element", host, symbols)
    return float(Element(host).atomic_mass)


def capacity_per_gram_host_mAh_g(li_per_host: float, host: str | float = "Si") -> float:
    """Capacity per gram of host [mAh/g(M)] of ``Li_x M``: ``x F / (3.6 M_host)``.

    References
    ----------
    Seed 001 Methods (954.3 mAh/g per Li per Si); DESIGN.md "capacity per gram of host".

    Raises
    ------
    ParameterError
        ``li_per_host`` outside [0, 4.4] (:data:`sianode.validation.LI_PER_HOST`), or a Li
        host.

    Examples
    --------
    >>> round(capacity_per_gram_host_mAh_g(4.2))
    4008
    """
    check_params({"li_per_host": li_per_host}, {"li_per_host": LI_PER_HOST})
    return float(capacity_mAh_g(li_per_host, host_molar_mass_g_mol(host)))


def capacity_per_gram_lithiated_mAh_g(li_per_host: float, host: str | float = "Si") -> float:
    """Capacity per gram of lithiated phase [mAh/g(Li_x M)]: ``x F / (3.6 (M + x M_Li))``.

    References
    ----------
    The basis of pymatgen ``ConversionElectrode`` (DESIGN.md known pitfalls).

    Examples
    --------
    >>> round(capacity_per_gram_lithiated_mAh_g(3.75))
    1857
    """
    check_params({"li_per_host": li_per_host}, {"li_per_host": LI_PER_HOST})
    m = host_molar_mass_g_mol(host) + li_per_host * MOLAR_MASS_LI_G_MOL
    return float(capacity_mAh_g(li_per_host, m))


def li_per_host_from_capacity(
    capacity_mAh_g_: float, host: str | float = "Si", basis: str = "host"
) -> float:
    """Li per host atom ``x`` from a specific capacity (inverse of the two functions above).

    Parameters
    ----------
    capacity_mAh_g_ : float
        Specific capacity [mAh/g] on the given basis.
    host : str or float
        Host symbol or molar mass [g/mol].
    basis : {"host", "lithiated"}
        Per gram of host or per gram of lithiated phase.

    Raises
    ------
    ParameterError
        Negative or absurd capacity, a per-lithiated-gram capacity at or above the Li-metal
        limit ``F / (3.6 M_Li)`` (3861 mAh/g), which no ``x`` can reach, or a capacity that
        needs more Li per host atom than the Li-richest known phase (x = 4.4).

    References
    ----------
    Seed 001 Methods (practical Si capacity 3000 mAh/g -> x = 3.14).

    Examples
    --------
    >>> round(li_per_host_from_capacity(3000), 2)
    3.14
    """
    check_params(
        {"capacity_mAh_g": capacity_mAh_g_, "basis": basis},
        {"capacity_mAh_g": _CAPACITY, "basis": _BASES},
    )
    m_host = host_molar_mass_g_mol(host)
    if basis == "host":
        x = float(electrons_from_capacity(capacity_mAh_g_, m_host))
    else:
        limit = float(capacity_mAh_g(1.0, MOLAR_MASS_LI_G_MOL))
        if capacity_mAh_g_ >= limit:
            raise ParameterError("capacity_mAh_g", capacity_mAh_g_,
                                 f"< {limit:.0f} mAh/g (Li metal) on the lithiated basis")
        # q (M + x m) = x c  ->  x = q M / (c - q m) with c = F/3.6
        c = float(capacity_mAh_g(1.0, 1.0))
        x = capacity_mAh_g_ * m_host / (c - capacity_mAh_g_ * MOLAR_MASS_LI_G_MOL)
    if x > LI_PER_HOST_MAX * (1 + 1e-9):  # rounding: 4.4 -> q -> 4.4000000001
        top = capacity_mAh_g(LI_PER_HOST_MAX, m_host) if basis == "host" else capacity_mAh_g(
            LI_PER_HOST_MAX, m_host + LI_PER_HOST_MAX * MOLAR_MASS_LI_G_MOL)
        raise ParameterError("capacity_mAh_g", capacity_mAh_g_,
                             f"<= {float(top):.0f} mAh/g per gram of {basis} for this host "
                             f"(it would need {x:.3g} Li per host atom; the Li-richest known "
                             f"phases hold {LI_PER_HOST_MAX:g})")
    return x


def amorphous_volume_per_si_A3(li_per_si: float) -> float:
    """Volume per Si [Å³] of amorphous Li_xSi, linear in ``x`` (Vegard-like).

    Interpolates between crystalline Si (20.02 Å³) and Li15Si4 (76.24 Å³), i.e. 280 %
    expansion at x = 3.75, linear in x as measured by Obrovac et al.; extrapolated linearly
    beyond x = 3.75.

    References
    ----------
    Obrovac, Christensen, Le, Dahn, J. Electrochem. Soc. 154, A849 (2007) (linear volume
    per Li in Li-Si); used for seed 003's thickness/porosity reasoning.

    Examples
    --------
    >>> round(amorphous_volume_per_si_A3(3.75) / amorphous_volume_per_si_A3(0.0), 2)
    3.81
    """
    check_params({"li_per_si": li_per_si}, {"li_per_si": LI_PER_HOST})
    v0 = LI_SI_PHASES["Si"].volume_per_host_A3
    v1 = LI_SI_PHASES["Li15Si4"].volume_per_host_A3
    return v0 + (v1 - v0) * li_per_si / 3.75


def li_per_host_of_formula(formula: str) -> tuple[str, float]:
    """Host element and Li per host atom of a binary Li_xM formula (any host M).

    Parameters
    ----------
    formula : str
        A formula such as ``"Li3Sb"``, ``"LiAl"``, ``"Li21Si5"`` or a host alone (``"Mg"``).

    Returns
    -------
    (str, float)
        Host symbol and x.

    Raises
    ------
    UnknownElementError
        The formula does not parse or holds a symbol that is not an element.
    ParameterError
        The formula has no host or more than one host element besides Li.

    References
    ----------
    DESIGN.md "capacity per gram of host" for any host (seed 001 Fig. 3f screening).

    Examples
    --------
    >>> li_per_host_of_formula("Li21Si5")
    ('Si', 4.2)
    """
    from pymatgen.core import Composition, Element

    try:
        comp = Composition(formula)
        symbols = [getattr(el, "symbol", str(el)) for el in comp.elements]
    except (ValueError, KeyError, AttributeError) as exc:
        raise UnknownElementError(f"formula {formula!r} is not a chemical formula: {exc}") from None
    for sym in symbols:
        if not Element.is_valid_symbol(sym):
            raise UnknownElementError(f"formula {formula!r}: {sym!r} is not an element symbol")
    hosts = [s_ for s_ in symbols if s_ != "Li"]
    if len(hosts) != 1:
        raise ParameterError("formula", formula, "a binary Li_xM formula with one host "
                             f"element besides Li (found {hosts or 'none'})")
    return hosts[0], float(comp["Li"] / comp[hosts[0]])
