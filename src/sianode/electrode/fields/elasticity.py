"""Linear elasticity with a volumetric lithiation eigenstrain (seed 002, Fig. 2i,j and 4c,d).

``sigma = C : (eps(u) - eps* I)`` with ``eps* = (1 - s) beta``, ``beta`` the isotropic linear
strain of Si lithiated to a Li-Si phase (:func:`~.parameters.lithiation_linear_strain`), in
plane strain (layered cells) or axisymmetry (particles), P2 elements (scikit-fem). Stresses
are evaluated at quadrature points, so percentiles and averages are volume-weighted.

Linear elasticity gives tens of GPa for a lithiation eigenstrain, while LixSi yields near
0.5-1.5 GPa (:data:`~.parameters.YIELD_STRENGTH_LIXSI_GPA`): where the von Mises stress
exceeds that, the numbers are upper bounds of an elastic model, not predictions. The peak
where a front meets a free surface or a re-entrant corner is singular (grows with mesh
refinement); report the 99th percentile and interface averages (:meth:`StressResult.summary`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sianode.electrode.fields.geometry import LayeredMesh, _skfem
from sianode.electrode.fields.metrics import weighted_mean, weighted_percentile
from sianode.electrode.fields.parameters import (
    YIELD_STRENGTH_LIXSI_GPA,
    FieldMaterial,
    get_material,
    lithiation_linear_strain,
)
from sianode.errors import ParameterError
from sianode.validation import POSITIVE, Interval, OneOf, check_params

__all__ = ["StressResult", "solve_elasticity", "layered_stress"]

_MODES = OneOf("elasticity mode", ("plane_strain", "axisymmetric"))


@dataclass(frozen=True)
class StressResult:
    """Stresses at quadrature points.

    Attributes
    ----------
    mesh : skfem.MeshTri
    mode : str
        ``"plane_strain"`` (x, y, out-of-plane z) or ``"axisymmetric"`` (r, z, hoop).
    displacement_um : ndarray
        P2 displacement DOFs [µm].
    x_um : ndarray, shape (2, n_elements, n_qp)
        Quadrature-point coordinates [µm].
    weight : ndarray, shape (n_elements, n_qp)
        Volume weights (area, or 2 pi r dA in axisymmetry) [µm² or µm³].
    stress_GPa : dict of ndarray
        ``"11", "22", "33", "12"``: in-plane normal, in-plane normal, out-of-plane/hoop, shear.
    n_dofs : int
    """

    mesh: object
    mode: str
    displacement_um: np.ndarray
    x_um: np.ndarray
    weight: np.ndarray
    stress_GPa: dict
    n_dofs: int

    @property
    def von_mises_GPa(self) -> np.ndarray:
        """von Mises equivalent stress [GPa] at each quadrature point."""
        s = self.stress_GPa
        return np.sqrt(0.5 * ((s["11"] - s["22"]) ** 2 + (s["22"] - s["33"]) ** 2
                              + (s["33"] - s["11"]) ** 2) + 3.0 * s["12"] ** 2)

    @property
    def hydrostatic_GPa(self) -> np.ndarray:
        """Mean normal stress [GPa] (positive = tension)."""
        s = self.stress_GPa
        return (s["11"] + s["22"] + s["33"]) / 3.0

    def summary(self, mask: ArrayLike | None = None, prefix: str = "",
                yield_GPa: float = YIELD_STRENGTH_LIXSI_GPA[1]) -> dict[str, float]:
        """Peak, 99th percentile and mean of von Mises and hydrostatic stress [GPa].

        Parameters
        ----------
        mask : array of bool, optional
            Quadrature points (shape like ``weight``) or elements to include.
        prefix : str
            Prepended to every key.
        yield_GPa : float
            Reports ``fraction_above_yield``: volume fraction where von Mises exceeds it
            (there linear elasticity overstates the stress).

        References
        ----------
        seed 002, Fig. 2i,j and Fig. 4c,d (30 vs 20 GPa peaks).
        """
        w = self.weight
        m = np.ones_like(w, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        if m.ndim == 1:
            m = np.broadcast_to(m[:, None], w.shape)
        if not m.any():
            raise ParameterError("mask", "no points", "a region containing quadrature points")
        vm, hy, ww = self.von_mises_GPa[m], self.hydrostatic_GPa[m], w[m]
        out = {
            "von_mises_max_GPa": float(vm.max()),
            "von_mises_p99_GPa": weighted_percentile(vm, 99, ww),
            "von_mises_mean_GPa": weighted_mean(vm, ww),
            "hydrostatic_max_GPa": float(hy.max()),
            "hydrostatic_p99_GPa": weighted_percentile(hy, 99, ww),
            "hydrostatic_p1_GPa": weighted_percentile(hy, 1, ww),
            "fraction_above_yield": float(ww[vm > yield_GPa].sum() / ww.sum()),
        }
        return {f"{prefix}{k}": v for k, v in out.items()}


def _at_qp(values: ArrayLike, name: str, mesh, sbasis) -> np.ndarray:
    """Element-wise (n_elements,), vertex-wise (n_vertices,) or (n_elements, n_qp) -> qp."""
    a = np.asarray(values, dtype=float)
    ne, nv, nq = mesh.nelements, mesh.nvertices, sbasis.X.shape[1]
    if a.ndim == 0:
        return np.full((ne, nq), float(a))
    if a.shape == (ne, nq):
        return a
    if a.shape == (ne,):
        return np.repeat(a[:, None], nq, axis=1)
    if a.shape == (nv,):
        return np.asarray(sbasis.interpolate(a).value)
    raise ParameterError(name, f"shape {a.shape}",
                         f"a scalar or shape ({ne},), ({nv},) or ({ne}, {nq})")


def solve_elasticity(
    mesh,
    *,
    youngs_modulus_GPa: ArrayLike,
    poisson_ratio: ArrayLike,
    eigenstrain: ArrayLike,
    mode: str = "plane_strain",
    rollers: Sequence[tuple[int, float, int]] = (),
    pins: Sequence[tuple[float, float, int]] = (),
    intorder: int = 4,
) -> StressResult:
    """Solve linear elasticity with an isotropic eigenstrain.

    Parameters
    ----------
    mesh : skfem.MeshTri
        Coordinates in µm (axisymmetric: x = r >= 0, y = z).
    youngs_modulus_GPa, poisson_ratio, eigenstrain : array_like
        Scalars, per element, per vertex (interpolated linearly) or per quadrature point.
        E > 0, nu in (-1, 0.5); eigenstrain is the linear strain [-].
    mode : {"plane_strain", "axisymmetric"}
    rollers : sequence of (axis, coordinate_um, component)
        Fix displacement ``component`` on the boundary where ``x[axis] == coordinate``.
    pins : sequence of (x_um, y_um, component)
        Fix one component at the vertex nearest to a point (removes rigid motion).
    intorder : int
        Quadrature order.

    Returns
    -------
    StressResult

    Raises
    ------
    ParameterError
        Non-positive modulus, Poisson ratio outside (-1, 0.5), bad shapes.

    References
    ----------
    seed 002, "Modeling and simulation" (stress-strain of the lithiated system, ref. 30).
    """
    check_params({"mode": mode}, {"mode": _MODES})
    skfem = _skfem()
    from scipy.sparse.linalg import spsolve

    vb = skfem.Basis(mesh, skfem.ElementVector(skfem.ElementTriP2()), intorder=intorder)
    sb = skfem.Basis(mesh, skfem.ElementTriP1(), intorder=intorder)
    E = _at_qp(youngs_modulus_GPa, "youngs_modulus_GPa", mesh, sb)
    nu = _at_qp(poisson_ratio, "poisson_ratio", mesh, sb)
    es = _at_qp(eigenstrain, "eigenstrain", mesh, sb)
    check_params({"youngs_modulus_GPa": E, "poisson_ratio": nu, "eigenstrain": es},
                 {"youngs_modulus_GPa": POSITIVE,
                  "poisson_ratio": Interval(-1, 0.5, left_closed=False, right_closed=False),
                  "eigenstrain": Interval(None, None)})
    lam = E * nu / ((1 + nu) * (1 - 2 * nu))
    mu = E / (2 * (1 + nu))
    axi = mode == "axisymmetric"

    def strains(u, r):
        g = u.grad
        e11, e22 = g[0, 0], g[1, 1]
        e12 = 0.5 * (g[0, 1] + g[1, 0])
        e33 = u.value[0] / r if axi else 0.0 * e11
        return e11, e22, e33, e12

    @skfem.BilinearForm
    def stiff(u, v, w):
        r = w.x[0] if axi else 1.0
        a, b = strains(u, w.x[0]), strains(v, w.x[0])
        tr_a, tr_b = a[0] + a[1] + a[2], b[0] + b[1] + b[2]
        inner = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + 2 * a[3] * b[3]
        return (w.lam * tr_a * tr_b + 2 * w.mu * inner) * r

    @skfem.LinearForm
    def load(v, w):
        r = w.x[0] if axi else 1.0
        b = strains(v, w.x[0])
        return (3 * w.lam + 2 * w.mu) * w.es * (b[0] + b[1] + b[2]) * r

    fields = {"lam": lam, "mu": mu, "es": es}
    K = stiff.assemble(vb, **fields)
    f = load.assemble(vb, **fields)
    comp = ("u^1", "u^2")
    fixed: list[np.ndarray] = []
    for axis, coord, c in rollers:
        fixed.append(vb.get_dofs(lambda x, a=axis, v=coord: np.isclose(x[a], v)).all(comp[c]))
    for px, py, c in pins:
        node = int(np.argmin(np.hypot(mesh.p[0] - px, mesh.p[1] - py)))
        fixed.append(np.atleast_1d(vb.nodal_dofs[c, node]))
    D = np.unique(np.concatenate(fixed)) if fixed else np.array([], dtype=int)
    u = np.zeros(vb.N)
    I = vb.complement_dofs(D)  # noqa: E741
    u[I] = spsolve(K[I][:, I].tocsc(), f[I])

    uh = vb.interpolate(u)
    xq = np.asarray(vb.global_coordinates().value)
    e11, e22, e33, e12 = (np.asarray(c) for c in strains(uh, xq[0]))
    tr = e11 + e22 + e33
    three_k_es = (3 * lam + 2 * mu) * es
    stress = {
        "11": lam * tr + 2 * mu * e11 - three_k_es,
        "22": lam * tr + 2 * mu * e22 - three_k_es,
        "33": lam * tr + 2 * mu * e33 - three_k_es,
        "12": 2 * mu * e12,
    }
    weight = np.asarray(vb.dx) * (2 * np.pi * xq[0] if axi else 1.0)
    return StressResult(mesh, mode, u, xq, weight, stress, int(vb.N))


def layered_stress(
    lmesh: LayeredMesh,
    si_fraction: ArrayLike | None = None,
    *,
    materials: Mapping[str, FieldMaterial] | None = None,
    product: str = "Li15Si4",
) -> StressResult:
    """Plane-strain stress of a layered cell whose Si is partly lithiated.

    Reactive (Si) elements swell by ``(1 - s) beta`` and soften linearly from Si to LixSi
    moduli; other layers keep their own moduli and no eigenstrain (Li21Si5 is already
    lithiated). Bottom on rollers (current collector), mirror sides, free top (no stack
    pressure, as in seed 002's pressure-free cells).

    Parameters
    ----------
    lmesh : LayeredMesh
    si_fraction : array_like, optional
        Phase field s per vertex (1 = Si, 0 = lithiated); ``None`` = all Si (stress-free).
    materials : mapping, optional
        Overrides; ``"lixsi"`` is the lithiated phase.
    product : str
        Li-Si phase setting the eigenstrain (a key of ``VOLUME_PER_SI_A3``).

    References
    ----------
    seed 002, Fig. 2i,j and "Modeling and simulation".
    """
    mesh = lmesh.mesh
    s = np.ones(mesh.nvertices) if si_fraction is None else np.asarray(si_fraction, float)
    if s.shape != (mesh.nvertices,):
        raise ParameterError("si_fraction", f"shape {s.shape}", f"shape ({mesh.nvertices},)")
    mats = [get_material(m, materials) for m in lmesh.materials]
    lix = get_material("lixsi", materials)
    beta = lithiation_linear_strain(product)
    reactive = np.array([m.reactive for m in mats])[lmesh.layer_index]
    E_layer = np.array([m.youngs_modulus_GPa for m in mats])[lmesh.layer_index]
    nu_layer = np.array([m.poisson_ratio for m in mats])[lmesh.layer_index]
    # element-mean s drives the reactive elements (s is P1; a qp field would mix layers)
    s_el = np.clip(s[mesh.t].mean(axis=0), 0.0, 1.0)
    E = np.where(reactive, s_el * E_layer + (1 - s_el) * lix.youngs_modulus_GPa, E_layer)
    nu = np.where(reactive, s_el * nu_layer + (1 - s_el) * lix.poisson_ratio, nu_layer)
    es = np.where(reactive, (1 - s_el) * beta, 0.0)
    W = lmesh.cell.width_um
    return solve_elasticity(
        mesh, youngs_modulus_GPa=E, poisson_ratio=nu, eigenstrain=es, mode="plane_strain",
        rollers=((1, 0.0, 1), (0, 0.0, 0), (0, W, 0)),
    )
