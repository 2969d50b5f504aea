"""Time sianode's EISFit against impedance.py's CustomCircuit.fit on the same spectra.

Seed 002's circuit (Rs + Rsei||CPE + Rct||CPE + W), 61 frequencies from 100 kHz to 0.1 Hz,
0.5 % noise, the same starting values for both; prints mean time per fit, the ratio and
the largest relative parameter difference.
"""

import time
import warnings

import numpy as np

from sianode.experiments.eis import EISFit

CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)-W1"
TRUTH = [12.9, 5.3, 2e-6, 0.9, 13.3, 5e-4, 0.8, 8.0]
GUESS = [15.0, 6.0, 3e-6, 0.85, 10.0, 4e-4, 0.75, 10.0]
N = 20


def main() -> None:
    from impedance.models.circuits import CustomCircuit

    f = np.logspace(5, -1, 61)
    model = EISFit(CIRCUIT)
    z0 = model.set_parameters(dict(zip(model.circuit.parameter_names, TRUTH))).predict(f)
    rng = np.random.default_rng(0)
    spectra = [z0 + 0.005 * np.abs(z0) * (rng.normal(size=f.size) + 1j * rng.normal(size=f.size))
               for _ in range(N)]
    t = time.perf_counter()
    ours = [EISFit(CIRCUIT, GUESS, n_starts=1).fit((f, z)) for z in spectra]
    t_ours = (time.perf_counter() - t) / N
    t = time.perf_counter()
    peer = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for z in spectra:
            c = CustomCircuit(CIRCUIT, initial_guess=GUESS)
            c.fit(f, z, weight_by_modulus=True)
            peer.append(c.parameters_)
    t_peer = (time.perf_counter() - t) / N
    diff = max(np.max(np.abs(np.array([o.parameters_[n] for n in o.circuit.parameter_names])
                             / p - 1)) for o, p in zip(ours, peer))
    t = time.perf_counter()
    for z in spectra:
        EISFit(CIRCUIT, n_starts=8).fit((f, z))
    t_multi = (time.perf_counter() - t) / N
    print(f"sianode EISFit (1 start):   {t_ours * 1e3:8.1f} ms/fit")
    print(f"impedance.py CustomCircuit: {t_peer * 1e3:8.1f} ms/fit")
    print(f"ratio impedance.py/sianode: {t_peer / t_ours:8.2f}")
    print(f"sianode EISFit (8 automatic starts, no guess): {t_multi * 1e3:8.1f} ms/fit")
    print(f"max relative parameter difference: {diff:.2e}")


if __name__ == "__main__":
    main()
