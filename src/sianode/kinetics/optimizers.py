"""NEB band optimisers, registered by name and chosen by measurement.

Each entry of :data:`NEB_OPTIMIZERS` runs an ASE optimiser on a
:class:`~sianode.kinetics.band.ClimbingNEB` until the largest force on any moving image
(climbing image included) is below ``fmax``. Force calls to converge the Li-in-Si band
(SevenNet-0, fmax 0.05 eV/Å) were measured for each (``benchmarks/neb_scan.py``; figures
in the README); :data:`DEFAULT_NEB_OPTIMIZER` is the winner. This module imports ASE only
when an optimiser runs, so the CLI can list the names cheaply.

References
----------
Bitzek et al., Phys. Rev. Lett. 97, 170201 (2006) (FIRE); Makri, Ortner & Kermode,
J. Chem. Phys. 150, 094109 (2019), doi:10.1063/1.5064465 (ODE12r NEB optimiser);
Guénolé et al., Comput. Mater. Sci. 175, 109584 (2020) (FIRE2); Sheppard, Terrell &
Henkelman, J. Chem. Phys. 128, 134106 (2008) (optimisers for NEB).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

__all__ = ["NEB_OPTIMIZERS", "NEB_OPTIMIZER_NAMES", "DEFAULT_NEB_OPTIMIZER", "optimize_band",
           "log_progress"]

#: Observer signature: (step, max force [eV/Å]) after each optimiser step.
StepObserver = Callable[[int, float], None]


def _fire(band: Any, fmax: float, steps: int, observer: StepObserver | None,
          **kw: Any) -> tuple[bool, int]:
    from ase.optimize import FIRE

    opt = FIRE(band, logfile=None, **kw)
    return _run(opt, band, fmax, steps, observer)


def _qn(cls_name: str) -> Callable[..., tuple[bool, int]]:
    def run(band: Any, fmax: float, steps: int, observer: StepObserver | None,
            **kw: Any) -> tuple[bool, int]:
        import ase.optimize as o

        opt = getattr(o, cls_name)(band, logfile=None, **kw)
        return _run(opt, band, fmax, steps, observer)

    return run


def _ode(band: Any, fmax: float, steps: int, observer: StepObserver | None,
         **kw: Any) -> tuple[bool, int]:
    from ase.mep.neb import NEBOptimizer

    opt = NEBOptimizer(band, logfile=None, method="ode", **kw)
    return _run(opt, band, fmax, steps, observer)


def _run(opt: Any, band: Any, fmax: float, steps: int,
         observer: StepObserver | None) -> tuple[bool, int]:
    if observer is not None:
        opt.attach(lambda: observer(int(opt.nsteps), band.get_residual()))
    converged = bool(opt.run(fmax=fmax, steps=int(steps)))
    return converged, int(opt.nsteps)


#: Band optimisers by name -> (function(band, fmax, steps, observer) -> (converged, steps),
#: keyword arguments). Measured in ``benchmarks/neb_scan.py --optimizers``.
NEB_OPTIMIZERS: dict[str, tuple[Callable[..., tuple[bool, int]], dict[str, Any]]] = {
    "fire": (_fire, {}),                                     # ASE defaults (wave-1 route)
    "fire2": (_qn("FIRE2"), {}),                             # Guenole et al. (2020)
    "ode": (_ode, {}),                                       # ODE12r, Makri et al. (2019)
    "bfgs": (_qn("BFGS"), {"maxstep": 0.1, "alpha": 70.0}),
    "lbfgs": (_qn("LBFGS"), {"maxstep": 0.1}),
    "mdmin": (_qn("MDMin"), {"dt": 0.1, "maxstep": 0.1}),
}
NEB_OPTIMIZER_NAMES = tuple(NEB_OPTIMIZERS)
DEFAULT_NEB_OPTIMIZER = "ode"


def optimize_band(band: Any, *, optimizer: str = DEFAULT_NEB_OPTIMIZER, fmax: float = 0.05,
                  max_steps: int = 200, observer: StepObserver | None = None
                  ) -> tuple[bool, int]:
    """Optimise a NEB band until the largest force on any moving image is below ``fmax``.

    Parameters
    ----------
    band : ClimbingNEB
        The band.
    optimizer : str
        Key of :data:`NEB_OPTIMIZERS`.
    fmax : float
        Force convergence [eV/Å].
    max_steps : int
        Optimiser step cap.
    observer : callable, optional
        Called as ``observer(step, max_force_eV_A)`` after each step.

    Returns
    -------
    (bool, int)
        Converged, optimiser steps taken.

    Raises
    ------
    UnknownNameError
        Unknown ``optimizer``.
    """
    from sianode.validation import OneOf, check_params  # numpy: not at CLI parse time

    check_params({"optimizer": optimizer}, {"optimizer": OneOf("NEB optimizer",
                                                               tuple(NEB_OPTIMIZERS))})
    fn, kw = NEB_OPTIMIZERS[optimizer]
    return fn(band, fmax, max_steps, observer, **kw)


def log_progress(f0: float, f: float, target: float) -> float:
    """Fraction of an optimisation done, judged by the force on a log scale (0..1).

    Forces fall roughly geometrically, so ``log(f0/f) / log(f0/target)`` is a fair clock
    for an ETA.

    Examples
    --------
    >>> round(log_progress(1.0, 0.1, 0.01), 3)
    0.5
    """
    if not (f0 > target and f > 0) or not all(map(math.isfinite, (f0, f, target))):
        return 1.0 if f <= target else 0.0
    return min(1.0, max(0.0, math.log(f0 / f) / math.log(f0 / target)))
