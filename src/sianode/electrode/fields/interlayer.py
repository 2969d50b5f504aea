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
from sianode.electrode.fields.geometry import LayeredCell, layered_mesh, parse_design
from sianode.electrode.fields.parameters import FieldMaterial, get_material
from sianode.validation import POSITIVE, check_params

__all__ = ["InterlayerResult", "simulate_interlayer"]


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
        Empty design, non-positive thickness, or other out-of-range input (named).

    References
    ----------
    seed 002, "Modeling and simulation" and Fig. 2i,j (Si|SSE vs Si|Li21Si5|SSE).
    """
    layers = parse_design(design, thickness_um)
    for ly in layers:
        get_material(ly.material, materials)
    cell = LayeredCell(layers, width_um=width_um, contact_fraction=contact_fraction,
                       void_depth_um=void_depth_um)
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
