"""Field models of layered Si anodes and single particles (seed 002, Fig. 2i,j and 4c,d).

Open finite-element versions (scikit-fem) of the paper's COMSOL models: Ohm's-law current in a
periodic layered anode | electrolyte cell (:mod:`.conduction`), a lithiation front advanced by
that current (:mod:`.front`), linear elasticity with a lithiation eigenstrain
(:mod:`.elasticity`) and an axisymmetric particle lithiated from a point contact or a uniform
shell (:mod:`.particle`). Robust metrics (:mod:`.metrics`) replace singular peaks.

Importing this package is light; scikit-fem is imported when a solver runs.
"""

from sianode.electrode.fields.conduction import (
    ConductionResult,
    InterfaceFlux,
    element_conductivity,
    series_asr_ohm_cm2,
    solve_conduction,
)
from sianode.electrode.fields.elasticity import StressResult, layered_stress, solve_elasticity
from sianode.electrode.fields.front import (
    LI_PER_SI,
    FrontResult,
    front_speed_um_s,
    initial_si_fraction,
    li_mass_per_si_volume_g_cm3,
    run_front,
)
from sianode.electrode.fields.geometry import (
    Layer,
    LayeredCell,
    LayeredMesh,
    layered_mesh,
    parse_design,
    particle_mesh,
)
from sianode.electrode.fields.interlayer import InterlayerResult, simulate_interlayer
from sianode.electrode.fields.metrics import (
    convergence_table,
    summary_stats,
    weighted_cv,
    weighted_mean,
    weighted_percentile,
)
from sianode.electrode.fields.parameters import (
    FIELD_MATERIALS,
    VOLUME_PER_SI_A3,
    YIELD_STRENGTH_LIXSI_GPA,
    FieldMaterial,
    get_material,
    lithiation_linear_strain,
)
from sianode.electrode.fields.particle import (
    ParticleResult,
    core_shell_stress,
    particle_lithiation_field,
    solve_particle,
)

__all__ = [
    "FIELD_MATERIALS",
    "LI_PER_SI",
    "FrontResult",
    "InterlayerResult",
    "ParticleResult",
    "StressResult",
    "core_shell_stress",
    "front_speed_um_s",
    "initial_si_fraction",
    "layered_stress",
    "li_mass_per_si_volume_g_cm3",
    "particle_lithiation_field",
    "run_front",
    "simulate_interlayer",
    "solve_elasticity",
    "solve_particle",
    "VOLUME_PER_SI_A3",
    "YIELD_STRENGTH_LIXSI_GPA",
    "ConductionResult",
    "FieldMaterial",
    "InterfaceFlux",
    "Layer",
    "LayeredCell",
    "LayeredMesh",
    "convergence_table",
    "element_conductivity",
    "get_material",
    "layered_mesh",
    "lithiation_linear_strain",
    "parse_design",
    "particle_mesh",
    "series_asr_ohm_cm2",
    "solve_conduction",
    "summary_stats",
    "weighted_cv",
    "weighted_mean",
    "weighted_percentile",
]
