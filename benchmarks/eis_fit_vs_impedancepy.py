"""EIS fits on random spectra: sianode's EISFit against impedance.py's CustomCircuit.fit.

Spectra (issue 13): Rs + (R1 || CPE1) + (R2 || CPE2) + W, 60 frequencies from 1 MHz to 1 mHz,
1 % Gaussian noise on real and imaginary parts (relative to |Z|), random true parameters:

    Rs 1-100 ohm, R1 and R2 3-1000 ohm (log-uniform), alpha 0.7-1.0, each arc's
    characteristic frequency f_c log-uniform over 10^-3.5 to 10^6.5 Hz (so some arcs lie
    outside the band), Warburg sigma 0.1-30 ohm s^-1/2,

and starting guesses x 0.5-2 of the truth (log-uniform) given to both tools. Rct is the
resistance of the arc with the lower characteristic frequency, for the truth and for both
fits (the same rule, :attr:`EISFit.arcs_`).

Identifiable (the rule the accuracy target is judged on): both arcs' f_c inside the measured
band and at least a decade apart, and the data determine Rct: its Cramér-Rao standard error
at the true parameters for the stated 1 % noise, sqrt(diag((J^T J)^-1)) x 0.01 with J the
Jacobian of the |Z|-weighted residuals in ln(parameters), is at most 1.25 % (so a 5 % error
would be a 4-sigma event). The table reports every spectrum as well, and counts the fits
that are wrong without saying so: Rct off by more than 5 % and by more than 4 of its stated
standard errors while the fit converged, no parameter sits at a bound and every arc is
``resolved`` (:attr:`EISFit.arcs_`).

    python benchmarks/eis_fit_vs_impedancepy.py                # 1000 spectra, both tools
    python benchmarks/eis_fit_vs_impedancepy.py -n 200 --peer-n 50
"""

from __future__ import annotations

import argparse
import math
import os
import time
import warnings

import numpy as np

from sianode.experiments.eis import EISFit, fit_spectra, parse_circuit
from sianode.experiments.io.impedance_files import ImpedanceSpectrum

CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)-W1"
F_HZ = np.logspace(6, -3, 60)
NOISE = 0.01
CRB_MAX = 0.0125


def f_c(r: float, q: float, alpha: float) -> float:
    return 1.0 / (2 * math.pi * (r * q) ** (1.0 / alpha))


def draw(rng: np.random.Generator) -> np.ndarray:
    rs = 10 ** rng.uniform(0, 2)
    r1, r2 = 10 ** rng.uniform(0.5, 3, size=2)
    a1, a2 = rng.uniform(0.7, 1.0, size=2)
    fc1, fc2 = 10 ** rng.uniform(-3.5, 6.5, size=2)
    q1 = 1 / (r1 * (2 * math.pi * fc1) ** a1)
    q2 = 1 / (r2 * (2 * math.pi * fc2) ** a2)
    sigma = 10 ** rng.uniform(-1, 1.5)
    return np.array([rs, r1, q1, a1, r2, q2, a2, sigma])


def rct_of(p: np.ndarray) -> tuple[float, int]:
    """R of the lower-f_c arc and its parameter index."""
    return (p[4], 4) if f_c(*p[4:7]) < f_c(*p[1:4]) else (p[1], 1)


def crb_rct(circuit, p: np.ndarray) -> float:
    """Cramér-Rao relative standard error of Rct at the truth (1 % noise)."""
    z, jac = circuit.impedance_jacobian(p, F_HZ)
    jl = jac * p[None, :] / np.abs(z)[:, None]
    a = np.concatenate([jl.real, jl.imag])
    try:
        cov = NOISE**2 * np.linalg.inv(a.T @ a)
    except np.linalg.LinAlgError:
        return math.inf
    k = rct_of(p)[1]
    return float(math.sqrt(max(cov[k, k], 0.0)))


def spectra(n: int, seed: int = 0):
    circuit = parse_circuit(CIRCUIT)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        p = draw(rng)
        z0 = circuit.impedance(p, F_HZ)
        z = z0 + NOISE * np.abs(z0) * (rng.normal(size=F_HZ.size)
                                       + 1j * rng.normal(size=F_HZ.size))
        guess = p * 10 ** rng.uniform(math.log10(0.5), math.log10(2.0), size=p.size)
        guess[[3, 6]] = np.minimum(guess[[3, 6]], 1.0)
        fc1, fc2 = f_c(*p[1:4]), f_c(*p[4:7])
        ident = (min(fc1, fc2) >= F_HZ.min() and max(fc1, fc2) <= F_HZ.max()
                 and max(fc1, fc2) / min(fc1, fc2) >= 10 and crb_rct(circuit, p) <= CRB_MAX)
        out.append({"p": p, "z": z, "guess": guess, "identifiable": ident})
    return out


def _peer_rct(params: np.ndarray) -> float:
    return rct_of(np.asarray(params, dtype=float))[0]


def _stats(err: np.ndarray) -> str:
    if err.size == 0:
        return "      -         -         -"
    finite = err[np.isfinite(err)]
    worst = np.inf if finite.size < err.size else float(np.max(err))
    return (f"{np.median(err) * 100:8.2f}% {np.percentile(err, 95) * 100:8.2f}% "
            f"{worst * 100:10.3g}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="spectra")
    ap.add_argument("--peer-n", type=int, default=None,
                    help="spectra fitted by impedance.py (default all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args()
    data = spectra(a.n, a.seed)
    truth = np.array([rct_of(d["p"])[0] for d in data])
    ident = np.array([d["identifiable"] for d in data])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        ours = [EISFit(CIRCUIT, list(d["guess"])).fit((F_HZ, d["z"])) for d in data]
        t_ours = (time.perf_counter() - t) / len(data)
        batch = [ImpedanceSpectrum.from_complex(F_HZ, d["z"]) for d in data]
        t = time.perf_counter()
        fit_spectra(batch, CIRCUIT, guesses=[list(d["guess"]) for d in data], n_jobs=a.jobs)
        t_batch = (time.perf_counter() - t) / len(data)
    rct = np.array([o.summary()["Rct_ohm"] for o in ours], dtype=float)
    err_ours = np.abs(rct / truth - 1)
    nonfinite_ours = sum(not all(np.isfinite(list(o.parameters_.values()))) for o in ours)
    flagged = sum((not o.converged_) or bool(o.at_bounds_) for o in ours)
    summaries = [o.summary() for o in ours]
    unresolved = sum(not s["arcs_resolved"] for s in summaries)
    rel_se = np.array([next(a["R_err_ohm"] / a["R_ohm"] for a in s["arcs"]
                            if a["role"] == "charge_transfer") for s in summaries])
    silent = sum(e > 0.05 and o.converged_ and not o.at_bounds_ and s["arcs_resolved"]
                 and e > 4 * se for e, o, s, se in zip(err_ours, ours, summaries, rel_se,
                                                        strict=True))

    from impedance.models.circuits import CustomCircuit

    n_peer = a.peer_n or len(data)
    err_peer = np.full(n_peer, np.inf)
    peer_fail = peer_nonfinite = 0
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, d in enumerate(data[:n_peer]):
            c = CustomCircuit(CIRCUIT, initial_guess=list(d["guess"]))
            try:
                c.fit(F_HZ, d["z"], weight_by_modulus=True)
            except Exception:  # impedance.py raises RuntimeError/ValueError on failures
                peer_fail += 1
                continue
            if not np.all(np.isfinite(c.parameters_)):
                peer_nonfinite += 1
                continue
            err_peer[i] = abs(_peer_rct(c.parameters_) / truth[i] - 1)
    t_peer = (time.perf_counter() - t) / n_peer

    print(f"{len(data)} spectra ({ident.sum()} identifiable by the rule in the docstring); "
          f"impedance.py on the first {n_peer}")
    print(f"time per spectrum: sianode {t_ours * 1e3:.1f} ms (one process), "
          f"{t_batch * 1e3:.1f} ms (fit_spectra, {a.jobs} processes); impedance.py "
          f"{t_peer * 1e3:.1f} ms; impedance.py / sianode = {t_peer / t_ours:.1f}x")
    print(f"{'Rct relative error':34s} {'median':>9s} {'95th':>9s} {'worst':>11s}")
    print(f"{'sianode, identifiable':34s} {_stats(err_ours[ident])}")
    print(f"{'impedance.py, identifiable':34s} {_stats(err_peer[ident[:n_peer]])}")
    print(f"{'sianode, all spectra':34s} {_stats(err_ours)}")
    print(f"{'impedance.py, all spectra':34s} {_stats(err_peer)}")
    print(f"sianode: non-finite results {nonfinite_ours}; flagged: not converged or a "
          f"parameter at a bound {flagged}, arcs not resolved {unresolved}; silently wrong "
          f"(Rct off > 5 % and > 4 stated sigma, yet converged, resolved, within bounds) "
          f"{silent}")
    print(f"impedance.py: raised {peer_fail}, non-finite {peer_nonfinite}")


if __name__ == "__main__":
    main()
