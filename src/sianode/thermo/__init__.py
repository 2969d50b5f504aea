"""Thermodynamics of lithiation (layer 2): 0 V reaction, K_crit, constrained profiles, screening.

References: seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Methods and Fig. 3e/3f.
"""

from sianode.thermo.lithiation import (
    LithiationEngine,
    LithiationResult,
    VoltageProfile,
    VoltageStep,
    constrained_profiles,
    lithiate,
)

__all__ = [
    "LithiationEngine",
    "LithiationResult",
    "VoltageProfile",
    "VoltageStep",
    "constrained_profiles",
    "lithiate",
]
