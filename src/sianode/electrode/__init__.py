"""sianode.electrode layer (see DESIGN.md): Li-Si phase bookkeeping, blends, N/P,
prelithiation budgets, porosity and thickness through lithiation."""

from sianode.electrode.blends import BlendResult, si_blend, si_blend_from_powders
from sianode.electrode.np_ratio import (
    anode_loading_for_np_mg_cm2,
    areal_capacity_mAh_cm2,
    cathode_loading_for_np_mg_cm2,
    np_ratio,
    np_ratio_from_loadings,
)
from sianode.electrode.phases import (
    LI_SI_PHASES,
    LiXPhase,
    amorphous_volume_per_si_A3,
    capacity_per_gram_host_mAh_g,
    capacity_per_gram_lithiated_mAh_g,
    get_phase,
    host_molar_mass_g_mol,
    li_per_host_from_capacity,
    li_per_host_of_formula,
    phase_names,
)
from sianode.electrode.porosity import (
    Component,
    dense_thickness_um,
    porosity,
    porosity_from_loading,
    solid_volume_cm3,
    thickness_for_porosity_um,
)
from sianode.electrode.prelithiation import (
    LI_METAL_DENSITY_G_CM3,
    PrelithiationBudget,
    prelithiation_budget,
)
from sianode.electrode.thickness import (
    ThicknessState,
    expansion_rate,
    li_per_si_at_thickness,
    porosity_at_thickness,
    si_dense_thickness_um,
    thickness_at_porosity_um,
    thickness_through_lithiation,
)

__all__ = [
    "BlendResult", "si_blend", "si_blend_from_powders",
    "anode_loading_for_np_mg_cm2", "areal_capacity_mAh_cm2", "cathode_loading_for_np_mg_cm2",
    "np_ratio", "np_ratio_from_loadings",
    "LI_SI_PHASES", "LiXPhase", "amorphous_volume_per_si_A3", "capacity_per_gram_host_mAh_g",
    "capacity_per_gram_lithiated_mAh_g", "get_phase", "host_molar_mass_g_mol",
    "li_per_host_from_capacity", "li_per_host_of_formula", "phase_names",
    "Component", "dense_thickness_um", "porosity", "porosity_from_loading", "solid_volume_cm3",
    "thickness_for_porosity_um",
    "LI_METAL_DENSITY_G_CM3", "PrelithiationBudget", "prelithiation_budget",
    "ThicknessState", "expansion_rate", "li_per_si_at_thickness", "porosity_at_thickness",
    "si_dense_thickness_um", "thickness_at_porosity_um", "thickness_through_lithiation",
]
