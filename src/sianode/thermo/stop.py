"""The stop modulus: the smallest K_eff at which a host takes up no Li at 0 V.

Under an effective constriction modulus K every reaction H + a Li -> sum nu_j P_j has
G(K) = G + K dV (seed 001 Fig. 3e; DESIGN.md). Lithiation stops entirely at
K_stop = max over reactions with a >= 0 and dV > 0 of -G/dV. This linear-fractional programme
is solved exactly as one linear programme (Charnes-Cooper transformation, HiGHS): with
t = 1/dV and z = t nu,

    minimise  sum_j z_j phi_j - t phi_H
    s.t.      sum_j z_j y_j = t y_H,   sum_j z_j u_j - t u_H = 1,
              sum_j z_j l_j - t l_H >= 0,   z, t >= 0,

and K_stop = -(optimum). For a Li-X binary the optimum is a single-product reaction, evaluated
in closed form. Note K_stop differs from K_crit = -G/dV of the full 0 V reaction (Fig. 3f):
the first, Li-poor step of Si stops at a higher modulus than the full reaction to Li21Si5.
"""

from __future__ import annotations

import numpy as np

from sianode.thermo._hull import lower_hull_decompose
from sianode.thermo.system import SystemArrays

__all__ = ["stop_modulus_eV_A3", "lp_stop_modulus_eV_A3"]

_LI_TOL = 1e-6


def stop_modulus_eV_A3(sa: SystemArrays, host_local: int) -> float:
    """K_stop [eV/Å³]: the smallest K at which the host's 0 V Li uptake is zero.

    The linear programme gives the exact answer for a host on the hull; it is confirmed by
    evaluating the uptake on either side. For a host above the hull (whose uptake depends on
    its composition only, while the programme also sees Li-free decompositions) the answer is
    refined by bisection on the uptake within 1e-9 relative. ``inf`` if no modulus up to
    1e3 eV/Å³ stops the uptake.
    """
    k_lp = lp_stop_modulus_eV_A3(sa, host_local)

    def uptake(k: float) -> float:
        phi = sa.e + k * sa.u - sa.li * sa.mu_li
        idx, w = lower_hull_decompose(sa.y, phi, sa.y[[host_local]])
        return float(np.sum(w[0] * sa.li[idx[0]]) - sa.li[host_local])

    if uptake(0.0) <= _LI_TOL:
        return 0.0
    hi = k_lp if np.isfinite(k_lp) and k_lp > 0 else 1e-3
    while uptake(hi * (1 + 1e-9) + 1e-15) > _LI_TOL:
        hi *= 2.0
        if hi > 1e3:
            return float("inf")
    lo = 0.0
    if uptake(hi * (1 - 1e-9)) > _LI_TOL:
        return float(hi)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if uptake(mid) > _LI_TOL:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-10 * hi:
            break
    return float(hi)


def lp_stop_modulus_eV_A3(sa: SystemArrays, host_local: int) -> float:
    """Max of -G/dV over reactions of the host with Li uptake >= 0 and dV > 0 [eV/Å³].

    Returns 0.0 if no reaction taking up Li is favourable at K = 0, ``inf`` if the programme
    is unbounded (a favourable reaction with vanishing volume change).
    """
    phi = sa.e - sa.li * sa.mu_li
    h = host_local
    if sa.y.shape[1] == 1:
        dv = sa.u - sa.u[h]
        g = phi - phi[h]
        ok = (dv > 1e-12) & (sa.li - sa.li[h] >= -1e-12)
        if not np.any(ok):
            return 0.0
        return float(max(0.0, np.max(-g[ok] / dv[ok])))
    from scipy.optimize import linprog

    m, k = sa.y.shape
    c = np.append(phi, -phi[h])
    a_eq = np.vstack([
        np.column_stack([sa.y.T, -sa.y[h][:, None]]),
        np.append(sa.u, -sa.u[h])[None, :],
    ])
    b_eq = np.append(np.zeros(k), 1.0)
    a_ub = np.append(-sa.li, sa.li[h])[None, :]
    res = linprog(c, A_ub=a_ub, b_ub=[0.0], A_eq=a_eq, b_eq=b_eq,
                  bounds=[(0, None)] * (m + 1), method="highs")
    if res.status == 3:
        return float("inf")
    if res.status == 2:  # infeasible: no reaction with dV > 0 exists
        return 0.0
    if res.status != 0:
        raise ArithmeticError(f"stop-modulus LP failed: {res.message}")
    return float(max(0.0, -res.fun))
