"""Physical constants and unit conversions, in one place.

Atomistic quantities are in eV and Å (as in ASE and pymatgen); cell-level quantities carry
their unit in their name (``capacity_mAh_g``, ``thickness_um``). Every crossing between the
two is one small tested function here; no other module defines a conversion factor.

Values are CODATA 2018 (exact SI definitions where they exist).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "FARADAY_C_MOL",
    "AVOGADRO_MOL",
    "ELEMENTARY_CHARGE_C",
    "BOLTZMANN_EV_K",
    "GAS_CONSTANT_J_MOL_K",
    "EV_PER_A3_IN_GPA",
    "GPA_A3_IN_EV",
    "MAH_PER_MOL_ELECTRONS",
    "MOLAR_MASS_LI_G_MOL",
    "MOLAR_MASS_SI_G_MOL",
    "ev_per_a3_to_gpa",
    "gpa_to_ev_per_a3",
    "capacity_mAh_g",
    "electrons_from_capacity",
    "a3_per_atom_to_cm3_mol",
    "cm3_mol_to_a3_per_atom",
    "um_to_cm",
    "cm_to_um",
    "SECONDS_PER_HOUR",
    "ampere_seconds_to_mAh",
    "mAh_to_ampere_seconds",
]

#: Faraday constant [C/mol]
FARADAY_C_MOL = 96485.33212
#: Avogadro constant [1/mol]
AVOGADRO_MOL = 6.02214076e23
#: Elementary charge [C]
ELEMENTARY_CHARGE_C = 1.602176634e-19
#: Boltzmann constant [eV/K]
BOLTZMANN_EV_K = 8.617333262e-5
#: Molar gas constant [J/(mol K)]
GAS_CONSTANT_J_MOL_K = 8.314462618
#: 1 eV/Å³ expressed in GPa
EV_PER_A3_IN_GPA = ELEMENTARY_CHARGE_C / 1e-30 / 1e9  # 160.2176634
#: 1 GPa·Å³ expressed in eV (the 6.2415e-3 eV/GPa per Å³ of seed 001 Fig. 3f)
GPA_A3_IN_EV = 1.0 / EV_PER_A3_IN_GPA
#: charge of one mole of electrons [mAh/mol] = F / 3.6
MAH_PER_MOL_ELECTRONS = FARADAY_C_MOL / 3.6  # 26801.48
#: IUPAC standard atomic weights used for the Li-Si bookkeeping [g/mol]
MOLAR_MASS_LI_G_MOL = 6.94
MOLAR_MASS_SI_G_MOL = 28.085


def _scalar_or_array(out: np.ndarray) -> np.ndarray | float:
    return out if np.ndim(out) else float(out)


def ev_per_a3_to_gpa(value: ArrayLike) -> np.ndarray | float:
    """Convert an energy density [eV/Å³] to a pressure/modulus [GPa]."""
    return _scalar_or_array(np.asarray(value, dtype=float) * EV_PER_A3_IN_GPA)


def gpa_to_ev_per_a3(value: ArrayLike) -> np.ndarray | float:
    """Convert a pressure/modulus [GPa] to an energy density [eV/Å³]."""
    return _scalar_or_array(np.asarray(value, dtype=float) / EV_PER_A3_IN_GPA)


def capacity_mAh_g(electrons: ArrayLike, molar_mass_g_mol: ArrayLike) -> np.ndarray | float:
    """Specific capacity [mAh/g] of ``electrons`` per formula unit of molar mass [g/mol].

    ``q = n F / (3.6 M)``; one Li per Si gives 954.3 mAh/g(Si) (DESIGN.md, seed 001 Methods).
    """
    out = np.asarray(electrons, dtype=float) * MAH_PER_MOL_ELECTRONS / np.asarray(
        molar_mass_g_mol, dtype=float
    )
    return _scalar_or_array(out)


def electrons_from_capacity(
    capacity_mAh_g_: ArrayLike, molar_mass_g_mol: ArrayLike
) -> np.ndarray | float:
    """Inverse of :func:`capacity_mAh_g`: electrons (Li) per formula unit."""
    out = np.asarray(capacity_mAh_g_, dtype=float) * np.asarray(
        molar_mass_g_mol, dtype=float
    ) / MAH_PER_MOL_ELECTRONS
    return _scalar_or_array(out)


def a3_per_atom_to_cm3_mol(volume_a3: ArrayLike) -> np.ndarray | float:
    """Volume per atom or formula unit [Å³] to molar volume [cm³/mol]."""
    out = np.asarray(volume_a3, dtype=float) * 1e-24 * AVOGADRO_MOL
    return _scalar_or_array(out)


def cm3_mol_to_a3_per_atom(molar_volume_cm3_mol: ArrayLike) -> np.ndarray | float:
    """Molar volume [cm³/mol] to volume per atom or formula unit [Å³]."""
    out = np.asarray(molar_volume_cm3_mol, dtype=float) / (1e-24 * AVOGADRO_MOL)
    return _scalar_or_array(out)


def um_to_cm(length_um: ArrayLike) -> np.ndarray | float:
    """Micrometres to centimetres."""
    out = np.asarray(length_um, dtype=float) * 1e-4
    return _scalar_or_array(out)


def cm_to_um(length_cm: ArrayLike) -> np.ndarray | float:
    """Centimetres to micrometres."""
    out = np.asarray(length_cm, dtype=float) * 1e4
    return _scalar_or_array(out)


# --- experiments: diffraction, depth ---
#: Cu K-alpha1 X-ray wavelength [Å] (Hölzer et al., Phys. Rev. A 56, 4554 (1997))
CU_KALPHA1_WAVELENGTH_A = 1.5405929
#: Si lattice parameter at 22.5 °C [Å] (CODATA 2018)
SI_LATTICE_PARAMETER_A = 5.431020511


def deg_to_rad(angle_deg: ArrayLike) -> np.ndarray | float:
    """Degrees to radians."""
    return _scalar_or_array(np.deg2rad(np.asarray(angle_deg, dtype=float)))


def angstrom_to_nm(length_A: ArrayLike) -> np.ndarray | float:
    """Ångström to nanometres."""
    return _scalar_or_array(np.asarray(length_A, dtype=float) * 0.1)



# --- experiments ---
#: seconds per hour [s/h]
SECONDS_PER_HOUR = 3600.0


def ampere_seconds_to_mAh(charge_As: ArrayLike) -> np.ndarray | float:
    """Charge [A·s = C] to [mAh]: 1 mAh = 3.6 C."""
    out = np.asarray(charge_As, dtype=float) / 3.6
    return _scalar_or_array(out)


def mAh_to_ampere_seconds(charge_mAh: ArrayLike) -> np.ndarray | float:
    """Charge [mAh] to [A·s = C]."""
    out = np.asarray(charge_mAh, dtype=float) * 3.6
    return _scalar_or_array(out)
