"""Areal capacity, energy and mass of a stack; Wh/kg and Wh/L with a per-layer breakdown.

``specific energy [Wh/kg] = areal energy [mWh/cm²] / areal mass [mg/cm²] x 1000`` over the
counted layers (seed 001 Ext. Data Table 1: 10.8 mWh/cm² / 49.5 mg/cm² = 218 Wh/kg,
pressure jig excluded); ``energy density [Wh/L] = areal energy / summed thickness``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sianode.cell.stack import Stack
from sianode.errors import ParameterError

__all__ = ["LayerBreakdown", "StackReport", "evaluate_stack"]


@dataclass(frozen=True)
class LayerBreakdown:
    """One row of the per-layer table.

    Attributes
    ----------
    name, kind : str
        From the stack.
    areal_mass_mg_cm2 : float
        Areal mass [mg/cm²].
    thickness_um : float or None
        Thickness [µm].
    mass_fraction : float
        Share of the counted areal mass [-] (0 for layers not counted).
    counted : bool
        Whether the layer is in the totals.
    """

    name: str
    kind: str
    areal_mass_mg_cm2: float
    thickness_um: float | None
    mass_fraction: float
    counted: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class StackReport:
    """Cell-level numbers of a stack.

    Attributes
    ----------
    areal_capacity_mAh_cm2 : float
        Cathode-limited areal capacity [mAh/cm²].
    areal_energy_mWh_cm2 : float
        Areal capacity x average voltage [mWh/cm²].
    areal_mass_mg_cm2 : float
        Summed areal mass of the counted layers [mg/cm²].
    thickness_um : float or None
        Summed thickness of the counted layers [µm] (None if one lacks a thickness).
    specific_energy_Wh_kg : float
        [Wh/kg].
    energy_density_Wh_L : float or None
        [Wh/L] (None without a full thickness).
    np_ratio : float or None
        Anode / cathode areal capacity, when an anode layer has a loading and capacity.
    layers : tuple of LayerBreakdown
        Per-layer breakdown.
    """

    name: str
    areal_capacity_mAh_cm2: float
    areal_energy_mWh_cm2: float
    areal_mass_mg_cm2: float
    thickness_um: float | None
    specific_energy_Wh_kg: float
    energy_density_Wh_L: float | None
    np_ratio: float | None
    layers: tuple[LayerBreakdown, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain dict with ``layers`` as a list of dicts (the CLI's JSON)."""
        d = asdict(self)
        d["layers"] = [layer.as_dict() for layer in self.layers]
        return d


def evaluate_stack(stack: Stack) -> StackReport:
    """Areal capacity/energy/mass, Wh/kg and Wh/L of a stack.

    Parameters
    ----------
    stack : Stack
        Layers per unit area (see :mod:`sianode.cell.stack`).

    Returns
    -------
    StackReport

    Raises
    ------
    ParameterError
        Not exactly one cathode layer with ``active_loading_mg_cm2``,
        ``specific_capacity_mAh_g`` and ``average_voltage_V``; a layer without an areal
        mass route; nothing counted.

    References
    ----------
    Seed 001 Extended Data Table 1 (10.8 mWh/cm², 49.5 mg/cm², 218 Wh/kg).
    """
    cathodes = [layer for layer in stack.layers
                if layer.kind == "cathode" and layer.capacity_mAh_cm2 is not None]
    if len(cathodes) != 1:
        raise ParameterError(
            "layers", f"{len(cathodes)} cathode layers with a capacity",
            "exactly one layer of kind 'cathode' with active_loading_mg_cm2 and "
            "specific_capacity_mAh_g",
        )
    cathode = cathodes[0]
    if cathode.average_voltage_V is None:
        raise ParameterError(f"layer {cathode.name!r}.average_voltage_V", None,
                             "the cell's average discharge voltage > 0 [V]")
    capacity = float(cathode.capacity_mAh_cm2)
    energy = capacity * cathode.average_voltage_V
    masses = [layer.mass_mg_cm2 for layer in stack.layers]
    counted_mass = sum(m for m, layer in zip(masses, stack.layers) if layer.counted)
    if counted_mass <= 0:
        raise ParameterError("layers", "no counted mass", "at least one counted layer with mass")
    counted = [layer for layer in stack.layers if layer.counted]
    thickness = (sum(layer.thickness_um for layer in counted)
                 if all(layer.thickness_um is not None for layer in counted) else None)
    anodes = [layer.capacity_mAh_cm2 for layer in stack.layers
              if layer.kind == "anode" and layer.capacity_mAh_cm2 is not None]
    rows = tuple(
        LayerBreakdown(layer.name, layer.kind, m, layer.thickness_um,
                       m / counted_mass if layer.counted else 0.0, layer.counted)
        for m, layer in zip(masses, stack.layers)
    )
    return StackReport(
        name=stack.name,
        areal_capacity_mAh_cm2=capacity,
        areal_energy_mWh_cm2=energy,
        areal_mass_mg_cm2=counted_mass,
        thickness_um=thickness,
        specific_energy_Wh_kg=energy / counted_mass * 1000.0,
        energy_density_Wh_L=energy / (thickness * 1e-4) if thickness else None,
        np_ratio=sum(anodes) / capacity if anodes else None,
        layers=rows,
    )
