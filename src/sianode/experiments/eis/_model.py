"""Impedance and exact Jacobian of a circuit, fast enough to be called hundreds of times a fit.

Circuits that are a series of resistors, inductors, capacitors, Warburg elements, finite
Warburgs and ``R || CPE`` / ``R || C`` arcs are evaluated with all arcs at once; with
``D = 1 + R Q (j w)^alpha`` an arc is ``Z = R / D`` and

    dZ/dR = 1 / D^2,   dZ/dQ = -R^2 (j w)^alpha / D^2,   dZ/dalpha = -R^2 Q (j w)^alpha ln(j w) / D^2.

Any other circuit uses :meth:`Circuit.impedance_jacobian` (the general tree evaluation).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sianode.experiments.eis._circuit import ELEMENT_TYPES, Circuit, _element_derivatives
from sianode.experiments.eis._guess import _terms

__all__ = ["jacobian_model"]

Model = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def jacobian_model(circuit: Circuit, frequency_Hz: np.ndarray) -> Model:
    """``model(params) -> (Z, dZ/dparams)`` at fixed frequencies [Hz]."""
    f = np.asarray(frequency_Hz, dtype=float)
    terms = _terms(circuit)
    if terms is None:
        return lambda p: circuit.impedance_jacobian(p, f)
    names = circuit.parameter_names
    w = 2 * np.pi * f
    jw = 1j * w
    ljw = np.log(jw)
    arcs = [t for t in terms if t.kind == "arc"]
    r_idx = np.array([names.index(t.names[0]) for t in arcs], dtype=np.int64)
    q_idx = np.array([names.index(f"{t.names[1]}_Q" if t.ctype == "CPE" else t.names[1])
                      for t in arcs], dtype=np.int64)
    a_idx = np.array([names.index(f"{t.names[1]}_alpha") if t.ctype == "CPE" else -1
                      for t in arcs], dtype=np.int64)
    cpe = a_idx >= 0
    others = []
    for t in terms:
        if t.kind == "arc":
            continue
        el = t.names[0]
        ks = [names.index(n) for n in names if n == el or n.startswith(f"{el}_")]
        others.append((t.kind, np.array(ks, dtype=np.int64)))
    n_p = len(names)

    def model(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        jac = np.zeros((w.size, n_p), dtype=complex)
        z = np.zeros(w.size, dtype=complex)
        with np.errstate(all="ignore"):
            if len(arcs):
                r = p[r_idx]
                q = p[q_idx]
                alpha = np.where(cpe, p[np.where(cpe, a_idx, 0)], 1.0)
                sa = np.exp(alpha[None, :] * ljw[:, None])  # (j w)^alpha, (nf, nb)
                d = 1.0 + (r * q)[None, :] * sa
                zt = r[None, :] / d
                z += zt.sum(axis=1)
                inv_d2 = 1.0 / d**2
                jac[:, r_idx] = inv_d2
                jac[:, q_idx] = -(r**2)[None, :] * sa * inv_d2
                if cpe.any():
                    jac[:, a_idx[cpe]] = (-(r**2 * q)[None, :] * sa * inv_d2
                                          * ljw[:, None])[:, cpe]
            for kind, ks in others:
                vals = p[ks]
                zi = np.asarray(ELEMENT_TYPES[kind].impedance(vals, w), dtype=complex)
                z += zi
                for k, col in zip(ks, _element_derivatives(kind, vals, w, zi), strict=True):
                    jac[:, k] = col
        return z, jac

    return model
