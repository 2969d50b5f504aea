"""Lithiation front in the Si layers, advanced by the current (seed 002, eqs. 2-4).

A field ``s`` (1 = Si, 0 = lithiated, seed 002 eq. 3) moves with the velocity
``u = J M_Li / (F rho)`` (eq. 4), where ``rho`` is the mass of Li taken up per volume of Si
(Li15Si4 by default: 2.16 g/cm³), in a time loop coupled to the current solve: lithiated Si
conducts (``sigma = s sigma_Si + (1 - s) sigma_LixSi``), so the current and the front feed
back on each other. Two regularisations of ``ds/dt + u . grad s = R``:

- ``"level_set"`` (default): the paper's conservative level set, eq. 2,
  ``R = gamma div(eps grad s - s (1 - s) grad s / |grad s|)``;
- ``"phase_field"``: ``R = gamma (eps lap s - s (1 - s)(1 - 2 s) / eps)`` (Allen-Cahn
  restoring term with the same tanh profile). It is not conservative: curvature flow shrinks
  lithiated lobes, so its ``charge_balance`` falls below 1 (0.6-0.9 in the default cells,
  vs 0.97-0.98 for the level set); it is offered for comparison.

``gamma`` is the largest front speed (as COMSOL recommends for the level set) and ``eps`` a
fixed physical width, so that results converge as the mesh is refined below ``eps``. The
explicit terms use lumped mass and semi-implicit steps with ``dt = cfl h / max|u|``.

The lithiated charge (``charge_balance``: lithiated Li over passed charge) is reported as a
check of the non-conservative transport.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from sianode.electrode.fields.conduction import (
    ConductionResult,
    element_conductivity,
    solve_conduction,
)
from sianode.electrode.fields.geometry import LayeredMesh, _skfem
from sianode.electrode.fields.parameters import (
    VOLUME_PER_SI_A3,
    FieldMaterial,
    get_material,
)
from sianode.electrode.phases import LI_SI_PHASES
from sianode.errors import ParameterError
from sianode.units import (
    FARADAY_C_MOL,
    MAH_PER_MOL_ELECTRONS,
    MOLAR_MASS_LI_G_MOL,
    a3_per_atom_to_cm3_mol,
    cm_to_um,
    um_to_cm,
)
from sianode.validation import POSITIVE, Interval, OneOf, check_params

__all__ = [
    "LI_PER_SI",
    "FrontResult",
    "li_mass_per_si_volume_g_cm3",
    "front_speed_um_s",
    "initial_si_fraction",
    "run_front",
]

#: Li per Si of the lithiation products (formula ratios).
LI_PER_SI: dict[str, float] = {
    name: LI_SI_PHASES[name].li_per_host for name in ("Li15Si4", "Li21Si5")
}

_METHODS = OneOf("front method", ("phase_field", "level_set"))


def li_mass_per_si_volume_g_cm3(product: str = "Li15Si4") -> float:
    """``rho`` of seed 002 eq. 4: Li mass taken up per volume of pristine Si [g/cm³].

    ``x M_Li / V_m(Si)`` with ``x`` Li per Si of ``product`` and ``V_m`` the molar volume of
    diamond Si (20.02 Å³ per atom = 12.06 cm³/mol).

    Examples
    --------
    >>> round(li_mass_per_si_volume_g_cm3("Li15Si4"), 3)
    2.158

    References
    ----------
    seed 002, "Modeling and simulation", eq. 4.
    """
    if product not in LI_PER_SI:
        from sianode.errors import UnknownNameError

        raise UnknownNameError("lithiation product", product, LI_PER_SI)
    molar_volume_si_cm3_mol = a3_per_atom_to_cm3_mol(VOLUME_PER_SI_A3["Si"])  # 12.06
    return LI_PER_SI[product] * MOLAR_MASS_LI_G_MOL / molar_volume_si_cm3_mol


def front_speed_um_s(current_A_cm2: np.ndarray | float, product: str = "Li15Si4"
                     ) -> np.ndarray | float:
    """Front speed ``u = J M_Li / (F rho)`` [µm/s] for a current density [A/cm²].

    1 mA/cm² into Li15Si4 gives 3.3e-4 µm/s (1.2 µm of Si per mAh/cm²).

    Examples
    --------
    >>> round(float(front_speed_um_s(1e-3)) * 3600, 2)  # µm of Si per mAh/cm²
    1.2

    References
    ----------
    seed 002, eq. 4.
    """
    rho = li_mass_per_si_volume_g_cm3(product)
    u_cm_s = np.asarray(current_A_cm2) * MOLAR_MASS_LI_G_MOL / (FARADAY_C_MOL * rho)
    return cm_to_um(u_cm_s)


def initial_si_fraction(
    lmesh: LayeredMesh,
    skin_um: float,
    eps_um: float,
    materials: Mapping[str, FieldMaterial] | None = None,
) -> np.ndarray:
    """Initial ``s`` per vertex: a lithiated skin ``skin_um`` deep where Li enters each Si layer.

    Under the electrolyte's contact strip only when the Si touches the electrolyte (its
    pore-covered surface receives no Li); across the full width under any other layer.
    Profiles are tanh of width ``eps_um`` in depth and along the surface.

    References
    ----------
    seed 002, Fig. 2i,j ("LixSi generated at the interface between the Si and SSE").
    """
    mesh = lmesh.mesh
    cell = lmesh.cell
    x, y = mesh.p
    s = np.ones(mesh.nvertices)
    tops = np.cumsum([ly.thickness_um for ly in cell.layers])
    n = len(cell.layers)
    for i, ly in enumerate(cell.layers):
        if not get_material(ly.material, materials).reactive:
            continue
        depth = 0.5 * (1 - np.tanh(((tops[i] - skin_um) - y) / (2 * eps_um)))
        lateral = np.ones_like(x)
        if i == n - 2 and cell.contact_fraction < 1:
            x0, x1 = cell.contact_um
            lateral = 0.25 * (1 + np.tanh((x - x0) / (2 * eps_um))) * (
                1 + np.tanh((x1 - x) / (2 * eps_um)))
        nodes = np.unique(mesh.t[:, lmesh.layer_index == i])
        s[nodes] = np.minimum(s[nodes], 1 - depth[nodes] * lateral[nodes])
    return s


@dataclass(frozen=True)
class FrontResult:
    """Front history.

    Attributes
    ----------
    times_s : ndarray
        Frame times [s].
    frames : list of ndarray
        ``s`` per vertex at each frame.
    conduction : ConductionResult
        Current at the last step.
    initial_conduction : ConductionResult
        Current at t = 0.
    charge_balance : float
        Li in the lithiated volume (gained since t = 0) over the charge passed [-].
    n_steps : int
    """

    lmesh: LayeredMesh
    times_s: np.ndarray
    frames: list
    conduction: ConductionResult
    initial_conduction: ConductionResult
    charge_balance: float
    n_steps: int
    method: str
    info: dict = field(default_factory=dict)
    materials: Mapping[str, FieldMaterial] | None = None

    @property
    def si_fraction(self) -> np.ndarray:
        """Final ``s`` per vertex."""
        return self.frames[-1]


def _lithiated_charge_mAh_cm2(lmesh: LayeredMesh, s: np.ndarray, product: str,
                              materials=None) -> float:
    from sianode.electrode.fields.conduction import _p1_area

    mesh = lmesh.mesh
    reactive = _reactive(lmesh, materials)
    area_um2 = _p1_area(mesh)[reactive]
    lith_um2 = (1 - s[mesh.t[:, reactive]].mean(axis=0)) @ area_um2  # per unit depth
    # lithiated volume per electrode area = lithiated area / width -> an equivalent depth
    depth_cm = um_to_cm(lith_um2 / lmesh.cell.width_um)
    mol_cm2 = depth_cm * li_mass_per_si_volume_g_cm3(product) / MOLAR_MASS_LI_G_MOL
    return float(mol_cm2 * MAH_PER_MOL_ELECTRONS)


def _reactive(lmesh: LayeredMesh, materials=None) -> np.ndarray:
    flags = np.array([get_material(m, materials).reactive for m in lmesh.materials])
    return flags[lmesh.layer_index]


def run_front(
    lmesh: LayeredMesh,
    *,
    capacity_mAh_cm2: float = 1.0,
    current_density_mA_cm2: float = 1.0,
    method: str = "level_set",
    eps_um: float = 0.25,
    skin_um: float = 0.5,
    cfl: float = 0.5,
    n_frames: int = 5,
    max_steps: int = 2000,
    materials: Mapping[str, FieldMaterial] | None = None,
    product: str = "Li15Si4",
    progress: bool | None = False,
) -> FrontResult:
    """Advance the lithiation front while ``capacity_mAh_cm2`` passes.

    Parameters
    ----------
    lmesh : LayeredMesh
    capacity_mAh_cm2 : float
        Areal charge passed [mAh/cm²] (> 0).
    current_density_mA_cm2 : float
        Applied mean current density [mA/cm²] (> 0).
    method : {"phase_field", "level_set"}
    eps_um : float
        Front width [µm]; keep the mesh size below it.
    skin_um : float
        Initial lithiated skin on top of each Si layer [µm].
    cfl : float
        Front travel per step in element sizes, in (0, 1].
    n_frames : int
        Frames stored (first and last included).
    max_steps : int
        Cap on time steps (ParameterError if the requested charge needs more).
    materials : mapping, optional
        Overrides (``"lixsi"`` sets the lithiated conductivity).
    product : str
        Lithiation product setting ``rho``.
    progress : bool or None
        Progress with time left on stderr (:mod:`sianode.progress`; ``None``: if stderr is
        a terminal or ``SIANODE_PROGRESS=1``).

    Returns
    -------
    FrontResult

    References
    ----------
    seed 002, "Modeling and simulation", eqs. 1-4; Fig. 2i,j.
    """
    check_params(
        {"capacity_mAh_cm2": capacity_mAh_cm2, "current_density_mA_cm2": current_density_mA_cm2,
         "eps_um": eps_um, "skin_um": skin_um, "cfl": cfl, "method": method,
         "n_frames": n_frames, "max_steps": max_steps},
        {"capacity_mAh_cm2": POSITIVE, "current_density_mA_cm2": POSITIVE, "eps_um": POSITIVE,
         "skin_um": POSITIVE, "cfl": Interval(0, 1, left_closed=False), "method": _METHODS,
         "n_frames": Interval(2, None), "max_steps": Interval(1, None)},
    )
    skfem = _skfem()
    from scipy.sparse import diags
    from scipy.sparse.linalg import spsolve
    from skfem.helpers import dot, grad

    mesh = lmesh.mesh
    reactive = _reactive(lmesh, materials)
    if not reactive.any():
        raise ParameterError("layers", list(lmesh.materials), "at least one reactive (Si) layer")
    sig_layer = element_conductivity(lmesh, materials)
    sig_lix = get_material("lixsi", materials).conductivity_S_cm
    basis = skfem.Basis(mesh, skfem.ElementTriP1())
    b0 = basis.with_element(skfem.ElementTriP0())
    chi = reactive.astype(float)
    h = float(np.sqrt(2 * np.median(_area(mesh))))

    @skfem.BilinearForm
    def lumped_mass(u, v, w):
        return u * v

    @skfem.BilinearForm
    def transport(u, v, w):
        adv = (w.ux * grad(u)[0] + w.uy * grad(u)[1]) * v
        return adv + w.d * dot(grad(u), grad(v))

    @skfem.LinearForm
    def restoring(v, w):
        if method == "phase_field":
            return -w.g / eps_um * w.chi * w.s * (1 - w.s) * (1 - 2 * w.s) * v
        return w.g * w.chi * w.s * (1 - w.s) * (w.nx * grad(v)[0] + w.ny * grad(v)[1])

    ML = diags(np.asarray(lumped_mass.assemble(basis).sum(axis=1)).ravel())
    s = initial_si_fraction(lmesh, skin_um, eps_um, materials)
    s0 = s.copy()

    def conductivity(s_nodes):
        s_el = np.clip(s_nodes[mesh.t].mean(axis=0), 0, 1)
        return np.where(reactive, s_el * sig_layer + (1 - s_el) * sig_lix, sig_layer)

    def solve(s_nodes):
        return solve_conduction(lmesh, current_density_mA_cm2=current_density_mA_cm2,
                                conductivity_S_cm=conductivity(s_nodes), materials=materials)

    total_s = capacity_mAh_cm2 / current_density_mA_cm2 * 3600.0
    cond = first = solve(s)
    frames, times = [s.copy()], [0.0]
    frame_times = np.linspace(0, total_s, n_frames)[1:]
    t, steps = 0.0, 0
    from sianode.progress import Progress

    bar = Progress(total_s, "fields: lithiation front", unit="s of charge",
                   enabled=None if progress is None else bool(progress))
    while t < total_s * (1 - 1e-12):
        u = front_speed_um_s(cond.current_A_cm2, product) * chi  # (2, ne) µm/s
        umax = float(np.abs(u).max())
        dt = min(cfl * h / umax if umax > 0 else total_s, total_s - t)
        nxt = frame_times[len(frames) - 1] if len(frames) - 1 < frame_times.size else total_s
        dt = min(dt, nxt - t) if nxt > t else dt
        gamma = umax
        fields = {"ux": b0.interpolate(u[0]), "uy": b0.interpolate(u[1]),
                  "d": b0.interpolate(gamma * eps_um * chi)}
        A = transport.assemble(basis, **fields)
        sq = basis.interpolate(s)
        gs = np.asarray(sq.grad)
        norm = np.sqrt(gs[0] ** 2 + gs[1] ** 2) + 1e-12 / eps_um
        rhs = restoring.assemble(basis, g=gamma, s=sq, chi=b0.interpolate(chi),
                                 nx=gs[0] / norm, ny=gs[1] / norm)
        s = spsolve((ML / dt + A).tocsc(), ML @ s / dt + rhs)
        s = np.clip(s, 0.0, 1.0)
        t += dt
        steps += 1
        bar.update(dt)
        bar.set_postfix(f"step {steps}")
        if steps > max_steps:
            raise ParameterError("max_steps", max_steps,
                                 f"more steps: {t:.0f} of {total_s:.0f} s done; coarsen cfl/mesh")
        cond = solve(s)
        if len(frames) - 1 < frame_times.size and t >= frame_times[len(frames) - 1] * (1 - 1e-9):
            frames.append(s.copy())
            times.append(t)
    bar.close()
    gained = _lithiated_charge_mAh_cm2(lmesh, s, product, materials) - (
        _lithiated_charge_mAh_cm2(lmesh, s0, product, materials))
    return FrontResult(lmesh, np.asarray(times), frames, cond, first,
                       float(gained / capacity_mAh_cm2), steps, method,
                       {"h_um": h, "eps_um": eps_um, "skin_um": skin_um}, materials)


def _area(mesh) -> np.ndarray:
    from sianode.electrode.fields.conduction import _p1_area

    return _p1_area(mesh)
