"""Side by side with impedance.py's own CustomCircuit fit on the same noisy spectrum.

impedance.py 1.7.1 imports pandas without declaring it and its linKK breaks on numpy 2;
only CustomCircuit.fit/predict are used here.
"""

import warnings

import numpy as np
import pytest

from sianode.experiments.eis import EISFit

impedance = pytest.importorskip("impedance")

F_HZ = np.logspace(5, -1, 61)
CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)-W1"
TRUTH = [12.9, 5.3, 2e-6, 0.9, 13.3, 5e-4, 0.8, 8.0]  # seed 002 Rs, Rsei, Rct


@pytest.mark.parametrize("weighting", ["modulus", "unit"])
def test_same_optimum_and_errors_as_impedancepy(weighting):
    from impedance.models.circuits import CustomCircuit

    ours = EISFit(CIRCUIT, TRUTH)
    z_true = ours.set_parameters(dict(zip(ours.circuit.parameter_names, TRUTH))).predict(F_HZ)
    rng = np.random.default_rng(3)
    z = z_true + 0.005 * np.abs(z_true) * (rng.normal(size=F_HZ.size)
                                           + 1j * rng.normal(size=F_HZ.size))
    guess = [v * 1.2 for v in TRUTH[:3]] + [0.85] + [v * 0.8 for v in TRUTH[4:7]] + [10.0]
    guess[6] = 0.75

    peer = CustomCircuit(CIRCUIT, initial_guess=guess)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer.fit(F_HZ, z, weight_by_modulus=(weighting == "modulus"))
    fit = EISFit(CIRCUIT, guess, weighting=weighting).fit((F_HZ, z))

    names = fit.circuit.parameter_names
    ours_p = np.array([fit.parameters_[n] for n in names])
    ours_e = np.array([fit.uncertainties_[n] for n in names])
    np.testing.assert_allclose(ours_p, peer.parameters_, rtol=2e-3)
    np.testing.assert_allclose(ours_e, peer.conf_, rtol=0.05)
    np.testing.assert_allclose(fit.z_fit_, peer.predict(F_HZ), rtol=1e-4)
