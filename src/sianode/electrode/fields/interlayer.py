"""Models 1-3 together: a layered anode | SSE cell lithiated by its own current (Fig. 2i,j).

:func:`simulate_interlayer` builds the periodic cell, runs the coupled current / lithiation
front loop and the plane-strain stress of the final state, and reports mesh-robust metrics:
flux coefficients of variation (onset and end of lithiation), 99th-percentile and
interface-band stresses beside the singular peaks. Stresses are linear-elastic (LixSi yields
near 0.5-1.5 GPa; ``fraction_above_yield`` says where they are overstated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sianode.electrode.fields.conduction import ConductionResult, solve_conduction
from sianode.electrode.fields.elasticity import StressResult, layered_stress
from sianode.electrode.fields.front import FrontResult, run_front
from sianode.electrode.fields.geometry import (
    LayeredCell,
    check_mesh_size,
    layered_mesh,
    parse_design,
)
from sianode.electrode.fields.parameters import FieldMaterial, get_material
from sianode.validation import POSITIVE, check_params

__all__ = ["InterlayerResult", "check_interlayer_inputs", "si_capacity_mAh_cm2",
           "simulate_interlayer"]


@dataclass(frozen=True)
class InterlayerResult:
    """Front history and final stress of one design."""

    design: tuple[str, ...]
    pristine: ConductionResult
    front: FrontResult
    stress: StressResult

    def metrics(self, band_um: float = 0.5, resolution_um: float = 0.5) -> dict:
        """Flux and stress metrics.

        Keys: ``sse_flux_cv``, ``anode_flux_cv`` (+ percentiles over mean) of the pristine
        cell (layer conductivities, before any LixSi forms) and ``final_*`` after the charge
        has passed (with the conductive LixSi); ``charge_balance``; stress summaries overall,
        ``si_*`` (reactive layers), ``sse_interface_*`` and ``anode_interface_*`` (quadrature
        points within ``band_um`` of the electrolyte interface and of the top of the Si).

        References
        ----------
        seed 002, Fig. 2i,j.
        """
        check_params({"band_um": band_um}, {"band_um": POSITIVE})
        lm = self.front.lmesh
        out: dict = {"design": ",".join(self.design),
                     "thickness_um": [ly.thickness_um for ly in lm.cell.layers]}
        out.update(self.pristine.metrics(resolution_um))
        out.update({f"final_{k}": v for k, v in self.front.conduction.metrics(resolution_um)
                    .items() if "flux" in k or k == "asr_ohm_cm2"})
        out["charge_balance"] = self.front.charge_balance
        out["n_steps"] = self.front.n_steps
        st = self.stress
        out["n_dofs_elasticity"] = st.n_dofs
        out.update(st.summary())
        mats = self.pristine.materials
        reactive = np.array([get_material(m, mats).reactive for m in lm.materials])[
            lm.layer_index]
        out.update(st.summary(reactive, prefix="si_"))
        y = st.x_um[1]
        ifs = lm.cell.interfaces_um
        k_si = max(i for i, m in enumerate(lm.materials[:-1]) if get_material(m, mats).reactive)
        out.update(st.summary(np.abs(y - ifs[-1]) < band_um, prefix="sse_interface_"))
        out.update(st.summary(np.abs(y - ifs[k_si]) < band_um, prefix="anode_interface_"))
        out["interface_band_um"] = float(band_um)
        return out


def si_capacity_mAh_cm2(cell: LayeredCell, materials: Mapping[str, FieldMaterial] | None = None,
                        product: str = "Li15Si4") -> float:
    """Charge the reactive (Si) layers of ``cell`` take to reach ``product`` [mAh/cm²].

    ``t_Si x rho / M_Li x F`` with ``rho`` from :func:`li_mass_per_si_volume_g_cm3` (1 µm of Si
    takes 0.83 mAh/cm² to Li15Si4).

    References
    ----------
    seed 002, eq. 4 (Li mass per Si volume).
    """
    from sianode.electrode.fields.front import li_mass_per_si_volume_g_cm3
    from sianode.units import MAH_PER_MOL_ELECTRONS, MOLAR_MASS_LI_G_MOL

    si_um = sum(ly.thickness_um for ly in cell.layers
                if get_material(ly.material, materials).reactive)
    li_g_cm2 = li_mass_per_si_volume_g_cm3(product) * si_um * 1e-4
    return float(li_g_cm2 / MOLAR_MASS_LI_G_MOL * MAH_PER_MOL_ELECTRONS)


def check_interlayer_inputs(
    cell: LayeredCell,
    *,
    h_um: float,
    capacity_mAh_cm2: float,
    current_density_mA_cm2: float,
    method: str = "level_set",
    materials: Mapping[str, FieldMaterial] | None = None,
    product: str = "Li15Si4",
) -> None:
    """Check every input of :func:`simulate_interlayer` before a mesh is built.

    Raises
    ------
    ParameterError
        Mesh too fine (:data:`~sianode.electrode.fields.geometry.MAX_MESH_NODES`), a current
        density outside :data:`sianode.validation.CURRENT_DENSITY_MA_CM2`, no reactive layer,
        or more charge than the Si layers can take to ``product``.
    UnknownNameError
        Unknown material, product or method.
    """
    from sianode.electrode.fields.front import LI_PER_SI
    from sianode.errors import ParameterError, UnknownNameError
    from sianode.validation import CURRENT_DENSITY_MA_CM2, OneOf

    mats = [get_material(ly.material, materials) for ly in cell.layers]
    if product not in LI_PER_SI:
        raise UnknownNameError("lithiation product", product, LI_PER_SI)
    check_params({"method": method, "current_density_mA_cm2": current_density_mA_cm2,
                  "capacity_mAh_cm2": capacity_mAh_cm2},
                 {"method": OneOf("front method", ("phase_field", "level_set")),
                  "current_density_mA_cm2": CURRENT_DENSITY_MA_CM2,
                  "capacity_mAh_cm2": POSITIVE})
    if not any(m.reactive for m in mats[:-1]):
        raise ParameterError("design", ",".join(m.name for m in mats),
                             "at least one reactive (Si) layer below the electrolyte")
    q_max = si_capacity_mAh_cm2(cell, materials, product)
    if capacity_mAh_cm2 > q_max:
        raise ParameterError("capacity_mAh_cm2", capacity_mAh_cm2,
                             f"<= {q_max:.4g} mAh/cm², the charge the Si layers take to "
                             f"{product}")
    check_mesh_size(cell, h_um)


def simulate_interlayer(
    design: str | Sequence[str] = "si,li21si5,sse",
    thickness_um: Sequence[float] | None = None,
    *,
    width_um: float = 10.0,
    contact_fraction: float = 0.5,
    void_depth_um: float = 1.0,
    h_um: float = 0.25,
    capacity_mAh_cm2: float = 1.0,
    current_density_mA_cm2: float = 1.0,
    method: str = "level_set",
    materials: Mapping[str, FieldMaterial] | None = None,
    product: str = "Li15Si4",
    progress: bool | None = False,
) -> InterlayerResult:
    """Current, lithiation front and stress of a layered design (seed 002, Fig. 2i,j).

    Parameters
    ----------
    design : str or sequence of str
        Layers bottom (current collector) to top (electrolyte), e.g. ``"si,sse"``.
    thickness_um : sequence of float, optional
        One per layer [µm] (defaults: si 8, li21si5 2, sse 4).
    width_um, contact_fraction, void_depth_um : float
        Period [µm], electrolyte contact fraction, pore depth [µm].
    h_um : float
        Element size [µm] (0.25: ~2k DOFs current, ~8k DOFs stress).
    capacity_mAh_cm2, current_density_mA_cm2 : float
        Charge passed [mAh/cm²] and mean current density [mA/cm²].
    method : {"level_set", "phase_field"}
    materials : mapping, optional
        Material overrides.
    product : str
        Li-Si lithiation product (eigenstrain and Li uptake).
    progress : bool or None
        Progress and time left on stderr per time step of the front, then the stress solve
        (:mod:`sianode.progress`; ``None``: if stderr is a terminal or ``SIANODE_PROGRESS=1``).

    Returns
    -------
    InterlayerResult

    Raises
    ------
    ParameterError
        Empty design, non-positive thickness, a mesh finer than 200k nodes, more charge than
        the Si layers take, or other out-of-range input (named); all checked before meshing.

    References
    ----------
    seed 002, "Modeling and simulation" and Fig. 2i,j (Si|SSE vs Si|Li21Si5|SSE).
    """
    layers = parse_design(design, thickness_um)
    cell = LayeredCell(layers, width_um=width_um, contact_fraction=contact_fraction,
                       void_depth_um=void_depth_um)
    check_interlayer_inputs(cell, h_um=h_um, capacity_mAh_cm2=capacity_mAh_cm2,
                            current_density_mA_cm2=current_density_mA_cm2, method=method,
                            materials=materials, product=product)
    lm = layered_mesh(cell, h_um)
    pristine = solve_conduction(lm, materials=materials,
                                current_density_mA_cm2=current_density_mA_cm2)
    front = run_front(lm, capacity_mAh_cm2=capacity_mAh_cm2,
                      current_density_mA_cm2=current_density_mA_cm2, method=method,
                      materials=materials, product=product, progress=progress)
    from sianode.progress import Progress

    with Progress(1, "fields: stress (elasticity)", unit="solve",
                  enabled=None if progress is None else bool(progress)) as bar:
        stress = layered_stress(lm, front.si_fraction, materials=materials, product=product)
        bar.update()
    return InterlayerResult(tuple(ly.material for ly in layers), pristine, front, stress)
