"""Cell-level simulation of constricted alloying vs Li plating.

The model is written once (:mod:`.equations`) and solved by one of two backends: the
native solver (default; :mod:`.native` with the Radau IIA integrator of
:mod:`.integrate`, no PyBaMM or SciPy import) or PyBaMM (``solver="pybamm"``; all PyBaMM
code of sianode lives in :mod:`.model`, as PyBOP keeps its in ``pybop/pybamm``, imported
lazily with ``PYBAMM_DISABLE_TELEMETRY=true`` when a model is built). The tests hold the
two backends to each other.

* :mod:`.ocv` -- :class:`AlloyOCV`, the host's alloy OCV vs K_eff as data, and
  :func:`alloy_ocv_from_thermo`, the thin adapter to :mod:`sianode.thermo`;
* :mod:`.equations` -- kinetics, OCPs, cell voltage and step limits for any backend;
* :mod:`.native` -- the model reduced to one stiff ODE and solved without PyBaMM;
* :mod:`.integrate` -- Radau IIA (order 5) for one scalar ODE, with limits;
* :mod:`.model` -- the same model as a custom ``pybamm.BaseModel``;
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
from sianode.cell.simulate.run import SOLVERS, SimulationResult, simulate, sweep_k_eff

__all__ = [
    "ASSUMED",
    "ASYMMETRIC_CELL_SEED001",
    "FULL_CELL_SEED001",
    "SOLVERS",
    "AlloyOCV",
    "SimulationResult",
    "alloy_ocv_from_thermo",
    "cell_parameters",
    "default_k_grid",
    "simulate",
    "sweep_k_eff",
]
