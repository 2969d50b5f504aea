"""Full-resolution field runs: DOFs, solve times and the robust metrics (seed 002 models).

Also times sianode's P1 finite-element conduction solve against an independent peer on the
same input: a cell-centred finite-volume solver (harmonic face conductivities, scipy
``spsolve``) on the same rectangular grid, and prints both ASRs and the time ratio.

Run: ``PYTHONPATH=src python benchmarks/fields_resolution.py [--quick]``
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from sianode.electrode.fields import (
    LayeredCell,
    layered_mesh,
    parse_design,
    simulate_interlayer,
    solve_conduction,
    solve_particle,
)


def fv_asr_ohm_cm2(cell: LayeredCell, h_um: float, sigma: dict[str, float]) -> float:
    """Finite-volume ASR [Ω cm²] of the same periodic cell (peer approach)."""
    nx = int(round(cell.width_um / h_um))
    ny = int(round(cell.height_um / h_um))
    xc = (np.arange(nx) + 0.5) * h_um
    yc = (np.arange(ny) + 0.5) * h_um
    xg, yg = np.meshgrid(xc, yc, indexing="ij")
    tops = np.cumsum([ly.thickness_um for ly in cell.layers])
    layer = np.searchsorted(tops, yg, side="right")
    sig = np.array([sigma[ly.material] for ly in cell.layers])[np.minimum(layer, len(tops) - 1)]
    x0, x1 = cell.contact_um
    pore = (yg > tops[-2]) & (yg < tops[-2] + cell.void_depth_um) & ((xg < x0) | (xg > x1))
    sig = np.where(pore, 0.0, sig)
    idx = np.arange(nx * ny).reshape(nx, ny)
    rows, cols, vals = [], [], []
    b = np.zeros(nx * ny)

    def face(s1, s2):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((s1 > 0) & (s2 > 0), 2 * s1 * s2 / (s1 + s2), 0.0)

    for (a_sl, b_sl) in (((slice(0, -1), slice(None)), (slice(1, None), slice(None))),
                         ((slice(None), slice(0, -1)), (slice(None), slice(1, None)))):
        g = face(sig[a_sl], sig[b_sl]).ravel()
        i, j = idx[a_sl].ravel(), idx[b_sl].ravel()
        rows += [i, j, i, j]
        cols += [i, j, j, i]
        vals += [g, g, -g, -g]
    # Dirichlet faces: phi = 0 at y = 0 (half-cell distance), phi = 1 at the top
    gb = 2 * sig[:, 0]
    gt = 2 * sig[:, -1]
    rows += [idx[:, 0], idx[:, -1]]
    cols += [idx[:, 0], idx[:, -1]]
    vals += [gb, gt]
    b[idx[:, -1]] += gt
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(nx * ny, nx * ny))
    active = sig.ravel() > 0
    A = A[active][:, active]
    phi = np.zeros(nx * ny)
    phi[active] = spsolve(A.tocsc(), b[active])
    # bottom face of each column: sigma (phi - 0) / (h/2) x h = 2 sigma phi per depth [A/cm]
    j_mean = float(np.sum(gb * phi[idx[:, 0]])) / (cell.width_um * 1e-4)
    return 1.0 / j_mean


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller meshes")
    args = ap.parse_args()
    sizes = [0.25, 0.125, 0.0625] if args.quick else [0.25, 0.125, 0.0625, 0.03125]

    print("== conduction (model 1), Si|SSE, contact 50 %: FE (sianode) vs FV (peer) ==")
    cell = LayeredCell(parse_design("si,sse"))
    sigma = {"si": 3e-5, "sse": 1e-3}
    print(f"{'h_um':>8} {'dofs':>8} {'t_fe_s':>8} {'t_fv_s':>8} {'ratio':>6} "
          f"{'asr_fe':>9} {'asr_fv':>9} {'anode_cv':>9} {'sse_cv':>8}")
    for h in sizes:
        t0 = time.perf_counter()
        res = solve_conduction(layered_mesh(cell, h))
        t_fe = time.perf_counter() - t0
        m = res.metrics()
        t0 = time.perf_counter()
        asr_fv = fv_asr_ohm_cm2(cell, h, sigma)
        t_fv = time.perf_counter() - t0
        print(f"{h:8.4f} {res.n_dofs:8d} {t_fe:8.2f} {t_fv:8.2f} {t_fe / t_fv:6.2f} "
              f"{res.asr_ohm_cm2:9.4f} {asr_fv:9.4f} {m['anode_flux_cv']:9.4f} "
              f"{m['sse_flux_cv']:8.4f}")

    print("\n== interlayer (models 1-3): front + stress, 1 mAh/cm2 at 1 mA/cm2 ==")
    for h in ([0.25, 0.125] if args.quick else [0.25, 0.125, 0.0625]):
        for design in ("si,sse", "si,li21si5,sse"):
            t0 = time.perf_counter()
            m = simulate_interlayer(design, h_um=h).metrics()
            dt = time.perf_counter() - t0
            print(f"h={h:<7g} {design:16s} dofs={m['n_dofs']:6d}/{m['n_dofs_elasticity']:6d} "
                  f"t={dt:6.1f}s steps={m['n_steps']:4d} anode_cv={m['anode_flux_cv']:.3f} "
                  f"sse_cv={m['sse_flux_cv']:.3f} si_vm_p99={m['si_von_mises_p99_GPa']:.1f} "
                  f"si_vm_max={m['si_von_mises_max_GPa']:.1f} "
                  f"sse_if_vm_mean={m['sse_interface_von_mises_mean_GPa']:.3f} "
                  f"hyd_max={m['hydrostatic_max_GPa']:.1f} GPa")

    print("\n== particle (model 4), lithiated fraction 0.3 ==")
    for refine in ([4, 5, 6] if args.quick else [4, 5, 6, 7]):
        for mode in ("point", "shell"):
            t0 = time.perf_counter()
            m = solve_particle(mode, refine=refine).metrics()
            dt = time.perf_counter() - t0
            print(f"refine={refine} {mode:5s} dofs={m['n_dofs']:7d} t={dt:6.2f}s "
                  f"vm_max={m['von_mises_max_GPa']:.2f} vm_p99={m['von_mises_p99_GPa']:.2f} "
                  f"si_vm_p99={m['si_von_mises_p99_GPa']:.2f} "
                  f"hyd_max={m['hydrostatic_max_GPa']:.2f} GPa")
    print("\nStresses are linear-elastic; LixSi yields near 0.5-1.5 GPa.")


if __name__ == "__main__":
    main()
