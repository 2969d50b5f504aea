"""sianode.experiments: instrument files into one tidy schema, and the papers' metrics.

Submodules (imported on first use, so ``import sianode.experiments`` stays light):

- :mod:`~sianode.experiments.schema`: BDF column names, current sign convention, cell types
- :mod:`~sianode.experiments.io`: Arbin, LAND, Neware, BioLogic, generic CSV, Parquet readers
- :mod:`~sianode.experiments.cycling`: capacities, CE, ICE, retention, CE statistics, rates
- :mod:`~sianode.experiments.plating`: nucleation overpotential, CCD, soft shorts, interlayer ICE
- :mod:`~sianode.experiments.titration`: titration-GC SEI bookkeeping
- :mod:`~sianode.experiments.synthetic`: records with exactly known capacities
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "read_cycler": "sianode.experiments.io",
    "write_parquet": "sianode.experiments.io",
    "read_parquet": "sianode.experiments.io",
    "cycle_capacities": "sianode.experiments.cycling",
    "analyze_cycling": "sianode.experiments.cycling_analysis",
    "CyclingResult": "sianode.experiments.cycling_analysis",
    "label_cycles": "sianode.experiments.cycle_labels",
    "dqdv": "sianode.experiments.dqdv",
    "analyze_pitt": "sianode.experiments.diffusion_analysis",
    "analyze_gitt": "sianode.experiments.diffusion_analysis",
    "initial_coulombic_efficiency": "sianode.experiments.cycling",
    "capacity_retention": "sianode.experiments.cycling",
    "cycles_to_threshold": "sianode.experiments.cycling",
    "ce_statistics": "sianode.experiments.cycling",
    "rate_capability": "sianode.experiments.cycling",
    "nucleation_overpotential": "sianode.experiments.plating",
    "critical_current_density": "sianode.experiments.plating",
    "detect_soft_short": "sianode.experiments.plating",
    "ice_after_interlayer": "sianode.experiments.plating",
    "titration_sei_bookkeeping": "sianode.experiments.titration",
    "synthetic_cycling": "sianode.experiments.synthetic",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sianode.experiments' has no attribute {name!r}")
