"""Cell stack specification: layers read from TOML (or a dict) into frozen dataclasses.

A stack file lists layers from cathode side to anode side::

    name = "Ye et al. 2024 pouch cell"
    reference = "seed 001, Extended Data Table 1"

    [[layers]]
    name = "cathode composite"
    kind = "cathode"
    active_loading_mg_cm2 = 15.0
    active_fraction = 0.682
    specific_capacity_mAh_g = 200.0
    average_voltage_V = 3.6
    thickness_um = 77.5

    [[layers]]
    name = "Al current collector"
    kind = "current_collector"
    thickness_um = 12.0
    density_g_cm3 = 2.70

A layer's areal mass comes from ``areal_mass_mg_cm2``, else from
``active_loading_mg_cm2 / active_fraction``, else from ``thickness_um x density_g_cm3 x
(1 - porosity)``. ``counted = false`` keeps a layer (a pressure jig, a pouch foil) in the
file but out of the totals. Exactly one ``cathode`` layer carries the capacity
(``specific_capacity_mAh_g`` and ``average_voltage_V``).
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from os import PathLike
from pathlib import Path
from typing import Any

from sianode.errors import FileFormatError, ParameterError, UnknownNameError, closest_names
from sianode.validation import (
    DENSITY_G_CM3,
    LOADING_MG_CM2,
    SPECIFIC_CAPACITY_MAH_G,
    THICKNESS_UM,
    Interval,
    OneOf,
    check_input_file,
    check_params,
)

__all__ = ["LAYER_KINDS", "Layer", "Stack", "load_stack"]

#: Layer kinds a stack file may use.
LAYER_KINDS = ("cathode", "anode", "separator", "current_collector", "li_metal", "interlayer",
               "packaging", "other")

_POS_FRACTION = Interval(0.0, 1.0, left_closed=False)
_POROSITY = Interval(0.0, 1.0, right_closed=False)
#: Areal mass of any one layer [mg/cm²]: 0 allowed (a massless placeholder), at most 1 g/cm².
_AREAL_MASS = Interval(0.0, LOADING_MG_CM2.high, reason="areal mass [mg/cm²] of one layer")
#: Average cell voltage [V]: above 0, below the 6 V that no Li cell chemistry reaches.
_CELL_VOLTAGE = Interval(0.0, 6.0, left_closed=False, reason="average cell voltage [V]")
_LAYER_CONSTRAINTS = {
    "kind": OneOf("layer kind", LAYER_KINDS),
    "thickness_um": THICKNESS_UM,
    "density_g_cm3": DENSITY_G_CM3,
    "porosity": _POROSITY,
    "areal_mass_mg_cm2": _AREAL_MASS,
    "active_loading_mg_cm2": LOADING_MG_CM2,
    "active_fraction": _POS_FRACTION,
    "specific_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
    "average_voltage_V": _CELL_VOLTAGE,
}


@dataclass(frozen=True)
class Layer:
    """One layer of a cell stack, per unit area.

    Parameters
    ----------
    name : str
        Label shown in the breakdown.
    kind : str
        One of :data:`LAYER_KINDS`.
    thickness_um : float, optional
        Thickness [µm] (needed for Wh/L).
    density_g_cm3 : float, optional
        Density of the layer's solid [g/cm³] (with ``porosity``: areal mass from thickness).
    porosity : float
        Porosity [-] used with ``density_g_cm3``.
    areal_mass_mg_cm2 : float, optional
        Areal mass [mg/cm²], overrides the other routes.
    active_loading_mg_cm2 : float, optional
        Active material per area [mg/cm²].
    active_fraction : float, optional
        Active weight fraction of the composite (0, 1].
    specific_capacity_mAh_g : float, optional
        Practical capacity of the active material [mAh/g].
    average_voltage_V : float, optional
        Average discharge voltage of the cell [V] (cathode layer).
    counted : bool
        Whether the layer counts in the totals.
    note : str
        Where the numbers come from.
    """

    name: str
    kind: str
    thickness_um: float | None = None
    density_g_cm3: float | None = None
    porosity: float = 0.0
    areal_mass_mg_cm2: float | None = None
    active_loading_mg_cm2: float | None = None
    active_fraction: float | None = None
    specific_capacity_mAh_g: float | None = None
    average_voltage_V: float | None = None
    counted: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        values = {k: getattr(self, k) for k in _LAYER_CONSTRAINTS}
        check_params(values, {k: v for k, v in _LAYER_CONSTRAINTS.items()})

    @property
    def mass_mg_cm2(self) -> float:
        """Areal mass [mg/cm²] by the first route the layer's fields allow.

        Raises
        ------
        ParameterError
            No route: neither ``areal_mass_mg_cm2``, nor ``active_loading_mg_cm2`` with
            ``active_fraction``, nor ``thickness_um`` with ``density_g_cm3``.
        """
        if self.areal_mass_mg_cm2 is not None:
            return float(self.areal_mass_mg_cm2)
        if self.active_loading_mg_cm2 is not None and self.active_fraction is not None:
            return self.active_loading_mg_cm2 / self.active_fraction
        if self.thickness_um is not None and self.density_g_cm3 is not None:
            return self.thickness_um * 1e-4 * self.density_g_cm3 * (1.0 - self.porosity) * 1e3
        raise ParameterError(
            f"layer {self.name!r}", "no areal mass",
            "areal_mass_mg_cm2 > 0, or active_loading_mg_cm2 > 0 with active_fraction in "
            "(0, 1], or thickness_um > 0 with density_g_cm3 > 0",
        )

    @property
    def capacity_mAh_cm2(self) -> float | None:
        """Areal capacity [mAh/cm²] if the layer has an active loading and capacity."""
        if self.active_loading_mg_cm2 is None or self.specific_capacity_mAh_g is None:
            return None
        return self.active_loading_mg_cm2 * self.specific_capacity_mAh_g / 1000.0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (round-trips through :meth:`from_dict`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "layer",
                  path: str | PathLike[str] | None = None) -> Layer:
        """Build a layer from a dict (a TOML table), naming bad or missing fields.

        Raises
        ------
        FileFormatError
            Missing ``name``/``kind``, an unknown field, or a value of the wrong type.
        ParameterError, UnknownNameError
            A value outside its range; an unknown kind.
        """
        known = [f.name for f in fields(cls)]
        for key in ("name", "kind"):
            if key not in data:
                raise FileFormatError(path, f"{where}: missing field {key!r} (a string; kind "
                                      f"one of {', '.join(LAYER_KINDS)})", column=key)
        for key in data:
            if key not in known:
                hint = closest_names(key, known)
                msg = f"{where}: unknown field {key!r}"
                msg += f"; did you mean {hint[0]!r}?" if hint else f" (known: {', '.join(known)})"
                raise FileFormatError(path, msg, column=key)
        for key, value in data.items():
            if value is None and key not in ("name", "kind"):
                continue  # optional field left unset (as_dict output)
            if key in ("name", "kind", "note"):
                ok = isinstance(value, str)
            elif key == "counted":
                ok = isinstance(value, bool)
            else:
                ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok:
                raise FileFormatError(path, f"{where}: field {key!r} = {value!r} has the "
                                      "wrong type", column=key)
        try:
            return cls(**data)
        except ParameterError as exc:
            raise ParameterError(f"{where}.{exc.name}", exc.value, exc.expected) from None
        except UnknownNameError as exc:
            raise UnknownNameError(f"layer kind in {where}", exc.name, LAYER_KINDS) from None


@dataclass(frozen=True)
class Stack:
    """A cell stack: ordered layers plus provenance.

    Parameters
    ----------
    name : str
        Cell name.
    layers : tuple of Layer
        Layers, cathode side first.
    reference : str
        Source of the numbers (paper, table).
    notes : str
        Assumptions (which layers are counted, assumed densities/voltages).
    """

    name: str
    layers: tuple[Layer, ...]
    reference: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.layers:
            raise ParameterError("layers", [], "at least one layer")

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (round-trips through :meth:`from_dict`)."""
        return {"name": self.name, "reference": self.reference, "notes": self.notes,
                "layers": [layer.as_dict() for layer in self.layers]}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *,
                  path: str | PathLike[str] | None = None) -> Stack:
        """Build a stack from a dict (a parsed TOML document).

        Raises
        ------
        FileFormatError
            No ``layers`` array, or a malformed layer (names the layer and the field).
        """
        allowed = {"name", "reference", "notes", "layers"}
        for key in data:
            if key not in allowed:
                raise FileFormatError(path, f"unknown top-level field {key!r} (known: "
                                      f"{', '.join(sorted(allowed))})", column=key)
        raw = data.get("layers")
        if not isinstance(raw, list) or not raw:
            raise FileFormatError(path, "missing field 'layers': expected one or more "
                                  "[[layers]] tables", column="layers")
        layers = []
        for i, item in enumerate(raw, start=1):
            if not isinstance(item, dict):
                raise FileFormatError(path, f"layers[{i}] is not a table", column="layers")
            where = f"layers[{i}] ({item.get('name', '?')!s})"
            layers.append(Layer.from_dict(item, where=where, path=path))
        return cls(name=str(data.get("name", Path(path).stem if path else "stack")),
                   layers=tuple(layers), reference=str(data.get("reference", "")),
                   notes=str(data.get("notes", "")))


def load_stack(path: str | PathLike[str]) -> Stack:
    """Read a stack file: TOML, or YAML (``.yaml``/``.yml``) with the same fields.

    Parameters
    ----------
    path : str or PathLike
        The ``.toml`` (or ``.yaml``) file.

    Returns
    -------
    Stack

    Raises
    ------
    PathError
        The file is missing, a folder, unreadable or empty.
    FileFormatError
        The file is binary (not UTF-8 text), not TOML, or lacks a required field.

    References
    ----------
    Stack files in ``examples/stacks/`` (seed 001 Ext. Data Table 1 and the other seeds).
    """
    p = check_input_file(path, "stack file")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FileFormatError(p, f"cannot read stack file ({exc.strerror})") from None
    if b"\x00" in raw[:4096]:
        raise FileFormatError(p, "is a binary file; expected a TOML (or YAML) text stack file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(p, f"is not UTF-8 text (byte {exc.start}); expected a TOML "
                              "(or YAML) stack file") from None
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise FileFormatError(p, f"not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise FileFormatError(p, "expected a mapping with a 'layers' list")
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FileFormatError(p, f"not valid TOML: {exc}") from None
    return Stack.from_dict(data, path=p)
