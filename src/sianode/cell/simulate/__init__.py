"""Cell-level simulation of constricted alloying vs Li plating (the PyBaMM adapter).

All PyBaMM code of sianode lives in this subpackage (as PyBOP keeps its in ``pybop/pybamm``);
PyBaMM is imported lazily, with ``PYBAMM_DISABLE_TELEMETRY=true``, when a model is built.

* :mod:`.ocv` -- :class:`AlloyOCV`, the host's alloy OCV vs K_eff as data, and
  :func:`alloy_ocv_from_thermo`, the thin adapter to :mod:`sianode.thermo`;
* :mod:`.model` -- the lumped alloy + plating model (a custom ``pybamm.BaseModel``);
* :mod:`.parameters` -- cited parameter sets (seed 001 full and asymmetric cells);
* :mod:`.run` -- :func:`simulate`, :func:`sweep_k_eff` and :class:`SimulationResult`.

What the model leaves out: contact loss and porosity, stack pressure (K_eff is an input,
not computed from pressure), where plated Li sits, the nucleation barrier of plating,
diffusion and the shell/core structure inside particles, SEI, heat. Kinetic constants,
separator resistance and the over-lithiation potential are assumed (see
:data:`parameters.ASSUMED`).

References
----------
Seed 001 (Ye et al., Nat. Mater. 23, 244 (2024)), Fig. 1a and Fig. 3e.
"""

from sianode.cell.simulate.ocv import AlloyOCV, alloy_ocv_from_thermo, default_k_grid
from sianode.cell.simulate.parameters import (
    ASSUMED,
    ASYMMETRIC_CELL_SEED001,
    FULL_CELL_SEED001,
    cell_parameters,
)
from sianode.cell.simulate.run import SimulationResult, simulate, sweep_k_eff

__all__ = [
    "ASSUMED",
    "ASYMMETRIC_CELL_SEED001",
    "FULL_CELL_SEED001",
    "AlloyOCV",
    "SimulationResult",
    "alloy_ocv_from_thermo",
    "cell_parameters",
    "default_k_grid",
    "simulate",
    "sweep_k_eff",
]
