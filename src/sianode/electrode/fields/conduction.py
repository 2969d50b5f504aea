"""Ohm's-law current in a layered anode | electrolyte cell (seed 002, eq. 1; Fig. 2i,j).

``J = -sigma grad(phi)`` in each phase, solved with P1 finite elements (scikit-fem):
phi = 0 on the current collector (y = 0), phi = V on the top of the electrolyte, insulating
pores and mirror (periodic) sides. The problem is linear, so V is scaled to the applied mean
current density. Li+ flows downward (lithiation); fluxes are reported positive into the
anode. Interface metrics are coefficients of variation and percentiles, not the peak at the
contact edge (a re-entrant-corner singularity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sianode.electrode.fields.geometry import Layer, LayeredMesh, _skfem
from sianode.electrode.fields.metrics import weighted_cv, weighted_percentile
from sianode.electrode.fields.parameters import FieldMaterial, get_material
from sianode.errors import ComputationError
from sianode.units import cm_to_um
from sianode.validation import POSITIVE, Interval, OneOf, check_params

__all__ = [
    "ConductionResult",
    "InterfaceFlux",
    "element_conductivity",
    "series_asr_ohm_cm2",
    "solve_conduction",
]

_UM_PER_CM = float(cm_to_um(1.0))  # 1e4


@dataclass(frozen=True)
class InterfaceFlux:
    """Normal current density along one horizontal interface.

    Attributes
    ----------
    x_um, length_um : ndarray
        Facet midpoints and lengths [µm].
    flux_mA_cm2 : ndarray
        Current density into the anode (downward) [mA/cm²], taken in the elements on
        ``side`` of the interface.
    """

    y_um: float
    side: str
    x_um: np.ndarray
    length_um: np.ndarray
    flux_mA_cm2: np.ndarray

    def binned(self, resolution_um: float) -> tuple[np.ndarray, np.ndarray]:
        """Flux averaged over windows of ``resolution_um`` [µm] covering the facets.

        Window averages are integrals, so they converge under mesh refinement even where
        the pointwise flux is singular (contact edges).

        Returns
        -------
        (centres_um, flux_mA_cm2) : tuple of ndarray
            Windows with material on ``side``; the last window is shortened to fit.
        """
        check_params({"resolution_um": resolution_um}, {"resolution_um": POSITIVE})
        a = self.x_um - 0.5 * self.length_um
        b = self.x_um + 0.5 * self.length_um
        lo, hi = float(a.min()), float(b.max())
        n = max(1, int(round((hi - lo) / resolution_um)))
        edges = np.linspace(lo, hi, n + 1)
        ov = np.clip(np.minimum(b[None], edges[1:, None]) - np.maximum(a[None], edges[:-1, None]),
                     0, None)
        covered = ov.sum(axis=1)
        flux = (ov @ self.flux_mA_cm2) / np.where(covered > 0, covered, 1.0)
        keep = covered > 0.5 * np.diff(edges)
        return 0.5 * (edges[1:] + edges[:-1])[keep], flux[keep]

    def cv(self, resolution_um: float | None = None) -> float:
        """Coefficient of variation [-] of the flux, window-averaged over ``resolution_um``.

        ``None`` uses the raw facet values (length-weighted); these are not mesh-converged
        where the flux is singular.
        """
        if resolution_um is None:
            return weighted_cv(self.flux_mA_cm2, self.length_um)
        return weighted_cv(self.binned(resolution_um)[1])

    def percentile(self, q: float, resolution_um: float | None = None) -> float:
        """Percentile of the (window-averaged) flux [mA/cm²]."""
        if resolution_um is None:
            return weighted_percentile(self.flux_mA_cm2, q, self.length_um)
        return weighted_percentile(self.binned(resolution_um)[1], q)

    @property
    def mean_mA_cm2(self) -> float:
        """Length-weighted mean flux [mA/cm²]."""
        return float(np.sum(self.flux_mA_cm2 * self.length_um) / np.sum(self.length_um))


@dataclass(frozen=True)
class ConductionResult:
    """Solution of the layered conduction problem.

    Attributes
    ----------
    lmesh : LayeredMesh
    potential_V : ndarray
        Nodal potential [V] (0 at the current collector).
    current_A_cm2 : ndarray, shape (2, n_elements)
        Li-carrying current density vector per element [A/cm²] (y up).
    conductivity_S_cm : ndarray
        Element conductivity [S/cm].
    current_density_mA_cm2 : float
        Applied mean current density [mA/cm²].
    asr_ohm_cm2 : float
        Area-specific resistance of the cell [Ω cm²].
    n_dofs : int
    """

    lmesh: LayeredMesh
    potential_V: np.ndarray
    current_A_cm2: np.ndarray
    conductivity_S_cm: np.ndarray
    current_density_mA_cm2: float
    asr_ohm_cm2: float
    n_dofs: int
    materials: Mapping[str, FieldMaterial] | None = None

    def interface_flux(self, k: int, side: str = "below") -> InterfaceFlux:
        """Flux across internal interface ``k`` (0 = top of the first layer).

        Computed as the variational (residual) flux of the region on ``side``: nodal lumps
        ``r_i = sum_e A_e (sigma grad phi)_e . grad N_i`` over that region's elements, which
        are conservative (they sum to the total current) and converge under refinement,
        unlike element gradients next to a singular contact edge. ``side="below"`` covers the
        whole width (pore-covered parts carry ~0); ``"above"`` only where material is above.
        """
        n_if = len(self.lmesh.cell.interfaces_um)
        check_params({"side": side, "k": k},
                     {"side": OneOf("interface side", ("below", "above")),
                      "k": Interval(0, n_if - 1)})
        mesh = self.lmesh.mesh
        y = self.lmesh.cell.interfaces_um[int(k)]
        tol = 1e-9 * max(1.0, self.lmesh.cell.height_um)
        cy = mesh.p[1, mesh.t].mean(axis=0)
        region = cy < y if side == "below" else cy > y
        t = mesh.t[:, region]
        grads = _p1_grad(mesh)[:, :, region]  # (2, 3, ne)
        area = _p1_area(mesh)[region]
        flux_vec = -self.current_A_cm2[:, region] / _UM_PER_CM  # sigma grad(phi) [S V/(cm um)]
        lumps = np.einsum("dke,de,e->ke", grads, flux_vec, area)  # A/cm per node
        r = np.zeros(mesh.nvertices)
        np.add.at(r, t.ravel(), lumps.ravel())
        if side == "above":
            r = -r
        fy = mesh.p[1, mesh.facets]
        on = np.nonzero((np.abs(fy - y) < tol).all(axis=0))[0]
        f2t = mesh.f2t[:, on]
        interior = (f2t >= 0).all(axis=0)  # material on both sides: current can cross
        has = np.zeros(on.size, dtype=bool)
        for row in (0, 1):
            e = f2t[row]
            has[e >= 0] |= region[e[e >= 0]]
        fx = np.sort(mesh.p[0, mesh.facets[:, on]], axis=0)  # (2, n) left/right ends
        # nodal segments: each node of a crossing facet owns half of each such facet
        cross = on[interior]
        ends = np.sort(mesh.p[0, mesh.facets[:, cross]], axis=0)
        left_nodes = mesh.facets[:, cross][np.argsort(mesh.p[0, mesh.facets[:, cross]], axis=0),
                                           np.arange(cross.size)]
        mid = 0.5 * (ends[0] + ends[1])
        seg_lo = np.concatenate([ends[0], mid])
        seg_hi = np.concatenate([mid, ends[1]])
        seg_node = np.concatenate([left_nodes[0], left_nodes[1]])
        trib = np.zeros(mesh.nvertices)
        np.add.at(trib, seg_node, seg_hi - seg_lo)
        # each half-facet carries its node's lump spread over the node's crossing tributary
        flux = r[seg_node] / (trib[seg_node] / _UM_PER_CM) * 1e3  # mA/cm^2
        lo, hi = seg_lo, seg_hi
        if side == "below":  # pore-covered parts of the width: no current crosses
            blocked = ~interior & has
            lo = np.concatenate([lo, fx[0, blocked]])
            hi = np.concatenate([hi, fx[1, blocked]])
            flux = np.concatenate([flux, np.zeros(int(blocked.sum()))])
        order = np.argsort(lo)
        lo, hi, flux = lo[order], hi[order], flux[order]
        return InterfaceFlux(
            y_um=float(y), side=side, x_um=0.5 * (lo + hi), length_um=hi - lo,
            flux_mA_cm2=flux,
        )

    def metrics(self, resolution_um: float = 0.5) -> dict[str, float]:
        """Flux uniformity metrics, window-averaged over ``resolution_um`` [µm].

        ``sse_flux_cv``: CV of the current density entering through the electrolyte side of
        its contact with the layer below; ``anode_flux_cv``: CV across the full width of the
        top face of the topmost reactive (Si) layer, on the Si side (pore-covered parts
        carry ~0). Also the 99th/10th percentiles over the mean, and the ASR.

        References
        ----------
        seed 002, Fig. 2i,j.
        """
        mats = self.lmesh.materials
        sse = self.interface_flux(len(mats) - 2, side="above")
        reactive = [i for i, m in enumerate(mats[:-1]) if get_material(m, self.materials).reactive]
        an = self.interface_flux(reactive[-1] if reactive else 0, side="below")
        r = resolution_um
        return {
            "sse_flux_cv": sse.cv(r),
            "sse_flux_p99_over_mean": sse.percentile(99, r) / sse.mean_mA_cm2,
            "anode_flux_cv": an.cv(r),
            "anode_flux_p99_over_mean": an.percentile(99, r) / an.mean_mA_cm2,
            "anode_flux_p10_over_mean": an.percentile(10, r) / an.mean_mA_cm2,
            "flux_resolution_um": float(r),
            "asr_ohm_cm2": self.asr_ohm_cm2,
            "n_dofs": self.n_dofs,
        }


def element_conductivity(
    lmesh: LayeredMesh, materials: Mapping[str, FieldMaterial] | None = None
) -> np.ndarray:
    """Conductivity of every element from its layer's material [S/cm].

    References
    ----------
    seed 002, eq. 1.
    """
    sig = np.array([get_material(m, materials).conductivity_S_cm for m in lmesh.materials])
    return sig[lmesh.layer_index]


def series_asr_ohm_cm2(
    layers: Sequence[Layer] | LayeredMesh,
    materials: Mapping[str, FieldMaterial] | None = None,
) -> float:
    """Series resistance of a fully contacted stack, ``sum(t_i / sigma_i)`` [Ω cm²].

    Parameters
    ----------
    layers : sequence of Layer, or LayeredMesh
        The stack (thicknesses in µm).
    materials : mapping, optional
        Material overrides.

    References
    ----------
    seed 002, eq. 1 in one dimension.
    """
    if isinstance(layers, LayeredMesh):
        layers = layers.cell.layers
    return float(sum(ly.thickness_um / _UM_PER_CM / get_material(ly.material, materials)
                     .conductivity_S_cm for ly in layers))


def solve_conduction(
    lmesh: LayeredMesh,
    *,
    materials: Mapping[str, FieldMaterial] | None = None,
    current_density_mA_cm2: float = 1.0,
    conductivity_S_cm: np.ndarray | None = None,
) -> ConductionResult:
    """Solve ``div(sigma grad phi) = 0`` at an applied mean current density.

    Parameters
    ----------
    lmesh : LayeredMesh
        From :func:`~sianode.electrode.fields.geometry.layered_mesh`.
    materials : mapping, optional
        Material overrides ``{key: FieldMaterial}``.
    current_density_mA_cm2 : float
        Mean current density through the cell [mA/cm²] (> 0).
    conductivity_S_cm : ndarray, optional
        Element-wise conductivity [S/cm] replacing the layer values (the front model
        passes the lithiation-dependent field here).

    Returns
    -------
    ConductionResult

    Raises
    ------
    ParameterError
        Non-positive current density or conductivity.

    References
    ----------
    seed 002, "Modeling and simulation", eq. 1 (J = sigma grad phi), Fig. 2i,j.
    """
    check_params({"current_density_mA_cm2": current_density_mA_cm2},
                 {"current_density_mA_cm2": POSITIVE})
    skfem = _skfem()
    from scipy.sparse.linalg import spsolve
    from skfem.helpers import dot, grad

    mesh = lmesh.mesh
    sig = element_conductivity(lmesh, materials) if conductivity_S_cm is None else np.asarray(
        conductivity_S_cm, dtype=float)
    check_params({"conductivity_S_cm": sig}, {"conductivity_S_cm": POSITIVE})
    basis = skfem.Basis(mesh, skfem.ElementTriP1())
    b0 = basis.with_element(skfem.ElementTriP0())

    @skfem.BilinearForm
    def lap(u, v, w):
        return w.s * dot(grad(u), grad(v))

    K = lap.assemble(basis, s=b0.interpolate(sig))
    bottom = basis.get_dofs(lambda x: np.isclose(x[1], 0.0)).all()
    top = basis.get_dofs(lambda x: np.isclose(x[1], lmesh.cell.height_um)).all()
    phi = np.zeros(basis.N)
    phi[top] = 1.0
    D = np.union1d(bottom, top)
    I = basis.complement_dofs(D)  # noqa: E741
    rhs = -K[I][:, D] @ phi[D]
    phi[I] = spsolve(K[I][:, I].tocsc(), rhs)
    power = float(phi @ (K @ phi))  # = I * dV per unit depth [A/cm] for dV = 1
    if not np.isfinite(power) or power <= 0:
        raise ComputationError("conduction solve gave no current; check the layer list")
    # power [S V^2/cm = A/cm at 1 V] over the width [cm] -> mean A/cm^2 at 1 V
    j_mean_A_cm2 = power / (lmesh.cell.width_um / _UM_PER_CM)
    asr = 1.0 / j_mean_A_cm2
    scale = current_density_mA_cm2 * 1e-3 / j_mean_A_cm2
    phi = phi * scale
    g = np.stack([(phi[mesh.t] * _p1_grad(mesh)[d]).sum(axis=0) for d in (0, 1)])
    J = -sig * g * _UM_PER_CM
    return ConductionResult(lmesh, phi, J, sig, float(current_density_mA_cm2), asr,
                            int(basis.N), materials)


def _p1_area(mesh) -> np.ndarray:
    """Element areas [µm²]."""
    p = mesh.p[:, mesh.t]
    x, y = p[0], p[1]
    return 0.5 * np.abs((x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]))


def _p1_grad(mesh) -> np.ndarray:
    """Gradients [1/µm] of the three P1 shape functions per element, shape (2, 3, nelem)."""
    p = mesh.p[:, mesh.t]  # (2, 3, ne)
    x, y = p[0], p[1]
    det = (x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0])
    gx = np.stack([y[1] - y[2], y[2] - y[0], y[0] - y[1]]) / det
    gy = np.stack([x[2] - x[1], x[0] - x[2], x[1] - x[0]]) / det
    return np.stack([gx, gy])
