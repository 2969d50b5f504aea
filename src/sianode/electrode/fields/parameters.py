"""Material parameters of the field models: conductivity, elasticity, volume per Si.

Every value is overridable: build a :class:`FieldMaterial` (or ``dataclasses.replace`` one of
:data:`FIELD_MATERIALS`) and pass ``materials={"si": ...}`` to the solvers. Values are the
seed's where it states them and cited literature or labelled order-of-magnitude assumptions
elsewhere; the paper (seed 002, "Modeling and simulation") does not list its COMSOL inputs.

Stress caveat: linear elasticity with a lithiation eigenstrain gives tens of GPa, while
LixSi yields near 0.5-1.5 GPa (Sethuraman et al. 2010); stresses from these parameters
overstate the real ones wherever LixSi would flow.

References
----------
seed 002 (pure Si 3e-5 S/cm, in-situ TEM paragraph; Ohm's law eq. 1; u = J M_Li/(F rho) eq. 4).
Hopcroft, Nix & Kenny, J. Microelectromech. Syst. 19, 229 (2010): Si E ~ 130-188 GPa, nu ~ 0.22.
Shenoy, Johari & Qi, J. Power Sources 195, 6825 (2010): LixSi E falls to ~35-41 GPa at x>=3.75.
Deng et al., J. Electrochem. Soc. 163, A67 (2016): argyrodite/thiophosphate E ~ 20-30 GPa.
Sethuraman et al., J. Power Sources 195, 5062 (2010): LixSi flow stress ~0.5-1.75 GPa.
Nesper & von Schnering, J. Solid State Chem. 70, 48 (1987): Li21Si5 a = 18.710 A, 80 Si/cell
(volumes come from :data:`sianode.electrode.phases.LI_SI_PHASES`).
Obrovac & Christensen, Electrochem. Solid-State Lett. 7, A93 (2004): Li15Si4 a = 10.685 A.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sianode.electrode.phases import LI_SI_PHASES
from sianode.errors import ParameterError, UnknownNameError
from sianode.validation import Interval, check_params

__all__ = [
    "FieldMaterial",
    "FIELD_MATERIALS",
    "VOLUME_PER_SI_A3",
    "YIELD_STRENGTH_LIXSI_GPA",
    "get_material",
    "lithiation_linear_strain",
]

#: Volume per Si atom of the Li-Si phases the field models need [Å³ per Si], taken from the
#: one table of Li-Si phases (:data:`sianode.electrode.phases.LI_SI_PHASES`, which cites the
#: crystallographic sources): Si 20.02, Li15Si4 76.24, Li21Si5 81.87.
VOLUME_PER_SI_A3: dict[str, float] = {
    name: LI_SI_PHASES[name].volume_per_host_A3 for name in ("Si", "Li15Si4", "Li21Si5")
}

#: Flow stress range of lithiated Si [GPa] (Sethuraman et al. 2010): the scale above which
#: linear-elastic stresses are not physical.
YIELD_STRENGTH_LIXSI_GPA: tuple[float, float] = (0.5, 1.5)

_CONSTRAINTS = {
    "conductivity_S_cm": Interval(0.0, 1e7, left_closed=False, reason=(
        "conductivity [S/cm]: silver, the best metal conductor, is 6.3e5")),
    "youngs_modulus_GPa": Interval(0.0, 2000.0, left_closed=False, reason=(
        "Young's modulus [GPa]: diamond is ~1100")),
    "poisson_ratio": Interval(-1.0, 0.5, left_closed=False, right_closed=False),
}


@dataclass(frozen=True)
class FieldMaterial:
    """One phase of a field model.

    Parameters
    ----------
    name : str
        Key used in layer lists (``"si"``, ``"li21si5"``, ``"sse"``, ``"lixsi"``).
    conductivity_S_cm : float
        Effective conductivity for the Li-carrying current [S/cm], > 0.
    youngs_modulus_GPa : float
        Young's modulus [GPa], > 0.
    poisson_ratio : float
        Poisson ratio, in (-1, 0.5).
    reactive : bool
        True for Si: it lithiates (phase field s goes 1 -> 0) and swells.
    note : str
        Where the values come from.

    Raises
    ------
    ParameterError
        A value is out of range; the message names the field.

    References
    ----------
    seed 002, "Modeling and simulation", eq. 1 (sigma per phase).
    """

    name: str
    conductivity_S_cm: float
    youngs_modulus_GPa: float
    poisson_ratio: float
    reactive: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        check_params(
            {k: getattr(self, k) for k in _CONSTRAINTS},
            _CONSTRAINTS,
        )
        if not self.name:
            raise ParameterError("name", self.name, "a non-empty material name")

    @property
    def lame_GPa(self) -> tuple[float, float]:
        """Lamé parameters (lambda, mu) [GPa]."""
        e, nu = self.youngs_modulus_GPa, self.poisson_ratio
        return e * nu / ((1 + nu) * (1 - 2 * nu)), e / (2 * (1 + nu))

    def as_dict(self) -> dict:
        """Plain-dict form (JSON-ready)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> FieldMaterial:
        """Inverse of :meth:`as_dict`."""
        return cls(**dict(data))


#: Default phases. Conductivities: Si from seed 002; SSE = Li6PS5Cl-class ionic conductivity
#: (issue 6: ~1e-3 S/cm); Li21Si5 and lithiated LixSi are metallic mixed conductors
#: ("high", seed 002) - the values are order-of-magnitude assumptions, override them.
FIELD_MATERIALS: dict[str, FieldMaterial] = {
    "si": FieldMaterial(
        "si", 3e-5, 160.0, 0.22, reactive=True,
        note="sigma: seed 002 (3e-5 S/cm); E, nu: Hopcroft et al. 2010 (polycrystalline Si)",
    ),
    "lixsi": FieldMaterial(
        "lixsi", 1e-1, 41.0, 0.24,
        note="lithiation product of Si; E: Shenoy et al. 2010 (Li15Si4); sigma: assumed",
    ),
    "li21si5": FieldMaterial(
        "li21si5", 1e1, 35.0, 0.25,
        note="sigma: assumed metallic mixed conductor ('high', seed 002); E: Shenoy et al. 2010",
    ),
    "sse": FieldMaterial(
        "sse", 1e-3, 22.0, 0.37,
        note="Li6PS5Cl-class: sigma ~1e-3 S/cm (issue 6); E, nu: Deng et al. 2016",
    ),
}


def get_material(
    name: str, materials: Mapping[str, FieldMaterial] | None = None
) -> FieldMaterial:
    """Look up a phase, user overrides first.

    Parameters
    ----------
    name : str
        Material key (case-insensitive).
    materials : mapping, optional
        Overrides ``{name: FieldMaterial}``.

    Raises
    ------
    UnknownNameError
        The name is neither overridden nor built in.

    References
    ----------
    seed 002, "Modeling and simulation".
    """
    key = str(name).strip().lower()
    pool = {**FIELD_MATERIALS, **{k.lower(): v for k, v in (materials or {}).items()}}
    if key not in pool:
        raise UnknownNameError("field material", name, pool)
    return pool[key]


def lithiation_linear_strain(product: str = "Li15Si4") -> float:
    """Isotropic linear eigenstrain of Si lithiated to ``product``.

    ``beta = (V_product / V_Si)^(1/3) - 1`` per Si atom (Li15Si4: 0.562, i.e. a 281 %
    volume expansion).

    Parameters
    ----------
    product : str
        A key of :data:`VOLUME_PER_SI_A3`.

    Returns
    -------
    float
        Linear strain [-].

    Examples
    --------
    >>> round(lithiation_linear_strain("Li15Si4"), 4)
    0.5615

    References
    ----------
    seed 002, "Modeling and simulation" (lithiation eigenstrain from the LixSi volume).
    """
    if product not in VOLUME_PER_SI_A3:
        raise UnknownNameError("Li-Si phase", product, VOLUME_PER_SI_A3)
    return (VOLUME_PER_SI_A3[product] / VOLUME_PER_SI_A3["Si"]) ** (1.0 / 3.0) - 1.0
