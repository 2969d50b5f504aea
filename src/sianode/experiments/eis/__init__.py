"""Impedance spectroscopy: circuit strings, equivalent-circuit fits, arc assignment.

``EISFit("R0-p(R1,CPE1)-p(R2,CPE2)-W1").fit(spectrum)`` fits seed 002's Rs + Rsei + Rct +
W circuit; ``fit_spectra`` fits many spectra; ``parse_circuit`` parses a circuit string
without ``eval``. Readers live in :mod:`sianode.experiments.io.impedance_files`.
"""

from sianode.experiments.eis._batch import fit_spectra
from sianode.experiments.eis._circuit import ELEMENT_TYPES, Circuit, ElementType, parse_circuit
from sianode.experiments.eis._fit import WEIGHTINGS, EISFit, EISFitWarning

__all__ = [
    "ELEMENT_TYPES",
    "Circuit",
    "ElementType",
    "parse_circuit",
    "EISFit",
    "fit_spectra",
    "EISFitWarning",
    "WEIGHTINGS",
    "SEED002_CIRCUIT",
]

#: Seed 002's equivalent circuit (Fig. 3d): Rs, SEI arc, charge-transfer arc, Warburg.
SEED002_CIRCUIT = "Rs-p(Rsei,CPEsei)-p(Rct,CPEct)-W1"
