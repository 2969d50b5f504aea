"""Model 4: an axisymmetric Si particle lithiated from a point contact vs a uniform Li-Si shell.

Seed 002 (Fig. 4c,d) compares a bare Si particle that lithiates from its limited electrical
contact (stress "up to 30 GPa" at the LixSi | Si interface) with a Li-Si-coated particle that
lithiates evenly from its whole surface ("a maximum of only 20 GPa"). Here both particles hold
the same lithiated volume fraction; the lithiated region is prescribed as a diffuse phase
field ``s`` (1 = Si, 0 = LixSi, tanh profile of width ``front_width``):

- ``"point"``: a lens grown from the south pole, ``s = 0`` within distance ``L`` of it;
- ``"shell"``: a concentric shell, ``s = 0`` for ``r > R - t``.

Moduli interpolate linearly in ``s`` between Si and LixSi and the eigenstrain is
``(1 - s) beta`` (paper: "parameters interpolated according to Li-Si alloy materials").
Linear elasticity overstates stresses wherever LixSi yields (~0.5-1.5 GPa).

:func:`core_shell_stress` is the closed-form (Lamé) solution for a sharp shell, used as a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sianode.electrode.fields.elasticity import StressResult, solve_elasticity
from sianode.electrode.fields.geometry import MAX_PARTICLE_REFINE, particle_mesh
from sianode.electrode.fields.parameters import (
    FieldMaterial,
    get_material,
    lithiation_linear_strain,
)
from sianode.validation import FRACTION, POSITIVE, Interval, OneOf, check_params

__all__ = ["ParticleResult", "core_shell_stress", "particle_lithiation_field", "solve_particle"]

_MODES = OneOf("particle mode", ("point", "shell"))
#: Lithiated volume fractions whose front lies inside the particle (root finding brackets).
_LITHIATED = Interval(0.01, 0.99, reason="lithiated volume fraction [-]")
_RADIUS_UM = Interval(0.0, 1000.0, left_closed=False, reason="particle radius [µm]")


def core_shell_stress(
    r_um: np.ndarray | float,
    *,
    radius_um: float,
    core_radius_um: float,
    eigenstrain: float,
    core: tuple[float, float],
    shell: tuple[float, float],
) -> dict[str, np.ndarray]:
    """Radial and hoop stress of a sphere whose shell swells by ``eigenstrain`` (Lamé).

    Core ``u = A r``; shell ``u = B r + C / r²``; continuity of ``u`` and ``sigma_r`` at the
    core radius ``a`` and a free surface at ``b``. Core stress is uniform hydrostatic.

    Parameters
    ----------
    r_um : array_like
        Radii [µm].
    radius_um, core_radius_um : float
        Outer radius ``b`` and core radius ``a`` [µm], 0 < a < b.
    eigenstrain : float
        Linear eigenstrain of the shell [-].
    core, shell : (E_GPa, nu)
        Elastic constants.

    Returns
    -------
    dict
        ``"radial_GPa"``, ``"hoop_GPa"`` arrays like ``r_um``.

    References
    ----------
    Timoshenko & Goodier, Theory of Elasticity (1970), thick spherical shell; seed 002 Fig. 4d.
    """
    check_params({"radius_um": radius_um, "core_radius_um": core_radius_um},
                 {"radius_um": POSITIVE, "core_radius_um": Interval(0, radius_um, False, False)})
    a, b = core_radius_um, radius_um

    def km(e_nu):
        e, nu = e_nu
        return e / (3 * (1 - 2 * nu)), e / (2 * (1 + nu))

    kc, _ = km(core)
    ks, ms = km(shell)
    # unknowns A, B, C
    M = np.array([
        [a, -a, -1 / a**2],
        [3 * kc, -3 * ks, 4 * ms / a**3],
        [0.0, 3 * ks, -4 * ms / b**3],
    ])
    rhs = np.array([0.0, -3 * ks * eigenstrain, 3 * ks * eigenstrain])
    A, B, C = np.linalg.solve(M, rhs)
    r = np.asarray(r_um, dtype=float)
    in_core = r < a
    rr = np.where(r > 0, r, 1.0)
    radial = np.where(in_core, 3 * kc * A, 3 * ks * B - 4 * ms * C / rr**3 - 3 * ks * eigenstrain)
    hoop = np.where(in_core, 3 * kc * A, 3 * ks * B + 2 * ms * C / rr**3 - 3 * ks * eigenstrain)
    return {"radial_GPa": radial, "hoop_GPa": hoop}


def _profile(d: np.ndarray, width: float) -> np.ndarray:
    """s from signed distance ``d`` (> 0 inside Si): 0.5 (1 + tanh(d / width))."""
    return 0.5 * (1.0 + np.tanh(d / width))


def particle_lithiation_field(
    x_um: np.ndarray, *, mode: str, radius_um: float, lithiated_fraction: float,
    front_width_um: float,
) -> tuple[np.ndarray, float]:
    """Phase field s at points ``x_um`` (shape (2, ...), r and z) and the front parameter.

    ``point``: signed distance from the lens ``|x - x_pole| < L``; ``shell``: from
    ``|x| > R - t``. ``L`` or ``t`` is chosen so that the sharp lithiated volume is
    ``lithiated_fraction`` of the sphere.

    References
    ----------
    seed 002, Fig. 4c,d.
    """
    check_params({"mode": mode}, {"mode": _MODES})
    R, f = radius_um, lithiated_fraction
    r, z = x_um[0], x_um[1]
    rho = np.hypot(r, z)
    if mode == "shell":
        t = R * (1.0 - (1.0 - f) ** (1.0 / 3.0))
        return _profile((R - t) - rho, front_width_um), float(t)

    def lens_volume_fraction(L: float) -> float:
        # sphere |x| < R intersected with ball of radius L about the pole (0, -R)
        h1 = L**2 / (2 * R)  # cap height of the particle inside the ball
        cap_big = np.pi * h1**2 * (3 * R - h1) / 3
        h2 = L - h1  # cap height of the ball inside the particle
        cap_small = np.pi * h2**2 * (3 * L - h2) / 3
        return (cap_big + cap_small) / (4 / 3 * np.pi * R**3)

    from scipy.optimize import brentq

    L = brentq(lambda L: lens_volume_fraction(L) - f, 1e-9 * R, 2 * R)
    d_pole = np.hypot(r, z + R)
    return _profile(d_pole - L, front_width_um), float(L)


@dataclass(frozen=True)
class ParticleResult:
    """Stress of one lithiated particle.

    Attributes
    ----------
    mode : str
    stress : StressResult
    si_fraction : ndarray
        Phase field at the quadrature points (1 = Si).
    front_parameter_um : float
        Lens radius ``L`` (point) or shell thickness ``t`` (shell) [µm].
    radius_um, lithiated_fraction : float
    lame_check : dict, optional
        The mesh check against the closed-form core-shell (Lamé) solution: core hydrostatic
        stress [GPa] of a sharp Si core in a LixSi shell of the same lithiated fraction, from
        :func:`core_shell_stress` and from the FE solver on this mesh, and their relative
        difference (see :func:`solve_particle`).
    """

    mode: str
    stress: StressResult
    si_fraction: np.ndarray
    front_parameter_um: float
    radius_um: float
    lithiated_fraction: float
    lame_check: dict | None = None

    def metrics(self) -> dict[str, float]:
        """Robust stress metrics (99th percentile, front average) beside the peak [GPa].

        ``front_von_mises_mean_GPa`` averages over the diffuse front with weight ``|grad s|``
        (a surface average of the LixSi | Si interface); ``si_*`` are over the unreacted core
        (s > 0.5). Elastic values: real LixSi yields near 0.5-1.5 GPa.

        References
        ----------
        seed 002, Fig. 4c,d (30 GPa point contact vs 20 GPa Li-Si shell).
        """
        st, s = self.stress, self.si_fraction
        out = {"mode": self.mode, "lithiated_fraction": self.lithiated_fraction,
               "front_parameter_um": self.front_parameter_um, "n_dofs": st.n_dofs}
        out.update(st.summary())
        out.update(st.summary(s > 0.5, prefix="si_"))
        band = 4 * s * (1 - s)  # ~|grad s| * width: peaks at the front, 0 in the bulk
        w = st.weight * band
        out["front_von_mises_mean_GPa"] = float(np.sum(st.von_mises_GPa * w) / np.sum(w))
        out["front_hydrostatic_mean_GPa"] = float(np.sum(st.hydrostatic_GPa * w) / np.sum(w))
        out.update(self.lame_check or {})
        return out


def solve_particle(
    mode: str = "point",
    *,
    radius_um: float = 1.0,
    lithiated_fraction: float = 0.3,
    front_width_um: float | None = None,
    refine: int = 5,
    materials: Mapping[str, FieldMaterial] | None = None,
    product: str = "Li15Si4",
    lame_check: bool = True,
    progress: bool | None = False,
) -> ParticleResult:
    """Axisymmetric stress of a partly lithiated Si particle (model 4).

    Parameters
    ----------
    mode : {"point", "shell"}
        Lithiation from a point contact at the south pole, or from the whole surface.
    radius_um : float
        Particle radius [µm] (stresses are scale-free in linear elasticity).
    lithiated_fraction : float
        Lithiated volume fraction, in (0, 1).
    front_width_um : float, optional
        Width of the diffuse front [µm]; default ``radius_um / 20``.
    refine : int
        Mesh refinements (4: 2.2k, 5: 8.5k, 6: 33k DOFs).
    materials : mapping, optional
        Overrides of ``"si"`` and ``"lixsi"``.
    product : str
        Li-Si phase of the eigenstrain.
    lame_check : bool
        Also solve a sharp core-shell particle of the same lithiated fraction on the same
        mesh and compare its core hydrostatic stress (mean over the inner half of the core)
        with the closed form of :func:`core_shell_stress` (one more elasticity solve).
        Result keys ``lame_core_hydrostatic_GPa``, ``fe_core_hydrostatic_GPa``,
        ``lame_check_rel_error`` in :meth:`ParticleResult.metrics`.
    progress : bool or None
        Progress and time left on stderr per elasticity solve (:mod:`sianode.progress`;
        ``None``: if stderr is a terminal or ``SIANODE_PROGRESS=1``).

    Returns
    -------
    ParticleResult

    References
    ----------
    seed 002, Fig. 4c,d and "Modeling and simulation" (axisymmetric particle model).
    """
    check_params({"mode": mode, "lithiated_fraction": lithiated_fraction, "radius_um": radius_um,
                  "refine": refine},
                 {"mode": _MODES, "lithiated_fraction": _LITHIATED,
                  "radius_um": _RADIUS_UM,
                  "refine": Interval(1, MAX_PARTICLE_REFINE, integer=True,
                                     reason="mesh refinements; 7 is ~130k DOFs")})
    width = radius_um / 20 if front_width_um is None else front_width_um
    check_params({"front_width_um": width},
                 {"front_width_um": Interval(0.0, radius_um / 4, left_closed=False,
                                             reason="a front inside the particle: at most "
                                                    "a quarter of its radius [µm]")})
    si, lix = get_material("si", materials), get_material("lixsi", materials)
    lithiation_linear_strain(product)  # unknown product: refused before meshing
    mesh = particle_mesh(radius_um, refine)
    from skfem import Basis, ElementTriP1

    xq = np.asarray(Basis(mesh, ElementTriP1(), intorder=4).global_coordinates().value)
    s, param = particle_lithiation_field(xq, mode=mode, radius_um=radius_um,
                                        lithiated_fraction=lithiated_fraction,
                                        front_width_um=width)
    check_params({"s": s}, {"s": FRACTION})
    beta = lithiation_linear_strain(product)
    from sianode.progress import Progress

    bar = Progress(2 if lame_check else 1, "fields: particle stress", unit="solve",
                   enabled=None if progress is None else bool(progress))
    bar.start()
    stress = solve_elasticity(
        mesh,
        youngs_modulus_GPa=s * si.youngs_modulus_GPa + (1 - s) * lix.youngs_modulus_GPa,
        poisson_ratio=s * si.poisson_ratio + (1 - s) * lix.poisson_ratio,
        eigenstrain=(1 - s) * beta,
        mode="axisymmetric",
        rollers=((0, 0.0, 0),),
        pins=((0.0, 0.0, 1),),
    )
    bar.update()
    check = None
    if lame_check:
        a = radius_um * (1.0 - lithiated_fraction) ** (1.0 / 3.0)
        rho = np.hypot(*xq)
        core = (rho < a).astype(float)
        sharp = solve_elasticity(
            mesh,
            youngs_modulus_GPa=core * si.youngs_modulus_GPa + (1 - core) * lix.youngs_modulus_GPa,
            poisson_ratio=core * si.poisson_ratio + (1 - core) * lix.poisson_ratio,
            eigenstrain=(1 - core) * beta, mode="axisymmetric", rollers=((0, 0.0, 0),),
            pins=((0.0, 0.0, 1),))
        bar.update()
        inner = rho < 0.5 * a
        fe = float(np.sum(sharp.hydrostatic_GPa[inner] * sharp.weight[inner])
                   / np.sum(sharp.weight[inner]))
        exact = float(core_shell_stress(
            0.0, radius_um=radius_um, core_radius_um=a, eigenstrain=beta,
            core=(si.youngs_modulus_GPa, si.poisson_ratio),
            shell=(lix.youngs_modulus_GPa, lix.poisson_ratio))["radial_GPa"])
        check = {"lame_core_hydrostatic_GPa": exact, "fe_core_hydrostatic_GPa": fe,
                 "lame_check_rel_error": abs(fe - exact) / abs(exact)}
    bar.close()
    return ParticleResult(mode, stress, s, param, float(radius_um), float(lithiated_fraction),
                          check)
