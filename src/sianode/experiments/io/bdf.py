"""Battery Data Format tables: machine names, human-readable labels with units, simple names.

Three header styles map onto the schema without a column map:

- BDF machine names (``test_time_second``, ``voltage_volt``, ``current_ampere``...);
- BDF preferred labels, ``Quantity / unit`` (``Test Time / h``, ``Current / mA``,
  ``Voltage / V``, ``Cycle Count / 1``, ``Charge Capacity / Ah``): the unit is read and
  converted (hours to seconds, mA to A...), so these are recognised before any vendor
  layout;
- sianode's short names (``time_s``, ``voltage_V``, ``current_A``; ``current_mA``).

References
----------
Battery Data Format (Battery Data Alliance, 2024), column table with machine-readable names
and preferred labels; cellpy's ``batmo_bdf.csv`` uses the labels with ``Test Time / h``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sianode.experiments.io._table import normalize_header
from sianode.experiments.schema import (
    BDF_COLUMNS,
    CHARGE_CAPACITY,
    CURRENT,
    CYCLE,
    DISCHARGE_CAPACITY,
    RECORD,
    STEP,
    STEP_INDEX,
    STEP_TIME,
    TEMPERATURE,
    TIME,
    UNIX_TIME,
    VOLTAGE,
)

__all__ = ["bdf_spec", "label_spec", "SHORT_NAMES", "UNIT_FACTORS"]

#: quantity words of a preferred label -> BDF column
_QUANTITIES = {
    "testtime": TIME, "time": TIME, "totaltime": TIME,
    "voltage": VOLTAGE, "cellvoltage": VOLTAGE,
    "current": CURRENT,
    "cyclecount": CYCLE, "cycle": CYCLE, "cycleindex": CYCLE, "cyclenumber": CYCLE,
    "stepcount": STEP,
    "stepindex": STEP_INDEX,
    "recordindex": RECORD,
    "steptime": STEP_TIME,
    "unixtime": UNIX_TIME,
    "chargecapacity": CHARGE_CAPACITY, "chargingcapacity": CHARGE_CAPACITY,
    "dischargecapacity": DISCHARGE_CAPACITY, "dischargingcapacity": DISCHARGE_CAPACITY,
    "ambienttemperature": TEMPERATURE, "temperature": TEMPERATURE,
}
#: unit as written -> (dimension, factor to the schema unit)
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "s": ("time", 1.0), "sec": ("time", 1.0), "second": ("time", 1.0), "ms": ("time", 1e-3),
    "min": ("time", 60.0), "h": ("time", 3600.0), "hr": ("time", 3600.0), "d": ("time", 86400.0),
    "v": ("voltage", 1.0), "mv": ("voltage", 1e-3),
    "a": ("current", 1.0), "ma": ("current", 1e-3), "ua": ("current", 1e-6),
    "µa": ("current", 1e-6), "μa": ("current", 1e-6),
    "ah": ("charge", 1.0), "mah": ("charge", 1e-3), "as": ("charge", 1 / 3600), "c": ("charge",
                                                                                     1 / 3600),
    "1": ("count", 1.0), "-": ("count", 1.0), "": ("count", 1.0),
    "degc": ("temperature", 1.0), "°c": ("temperature", 1.0), "celsius": ("temperature", 1.0),
}
_DIMENSION = {
    TIME: "time", STEP_TIME: "time", UNIX_TIME: "time", VOLTAGE: "voltage", CURRENT: "current",
    CYCLE: "count", STEP: "count", STEP_INDEX: "count", RECORD: "count",
    CHARGE_CAPACITY: "charge", DISCHARGE_CAPACITY: "charge", TEMPERATURE: "temperature",
}
#: sianode's short names (and a few common spellings) -> BDF column, factor
SHORT_NAMES: dict[str, list[tuple[str, float]]] = {
    TIME: [("time_s", 1.0), ("t_s", 1.0), ("time/s", 1.0)],
    VOLTAGE: [("voltage_V", 1.0), ("E_V", 1.0), ("Ewe/V", 1.0)],
    CURRENT: [("current_A", 1.0), ("I_A", 1.0), ("I/A", 1.0), ("current_mA", 1e-3),
              ("I/mA", 1e-3)],
    CYCLE: [("cycle", 1.0)],
}
_LABEL = re.compile(r"^\s*(?P<q>[^/\[\]()]+?)(?:\s+/\s+(?P<u>[^/]*?)|\s*\[(?P<u2>[^\]]*)\])\s*$")


def label_spec(headers: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """Map ``Quantity / unit`` (or ``Quantity [unit]``) headers onto BDF columns with factors.

    Headers whose quantity or unit is not recognised are left out; a unit of the wrong
    dimension (``Current / V``) is left out too.

    Examples
    --------
    >>> label_spec(["Test Time / h", "Current / mA", "Voltage / V"])["test_time_second"]
    [('Test Time / h', 3600.0)]
    """
    spec: dict[str, list[tuple[str, float]]] = {}
    for h in headers:
        m = _LABEL.match(str(h))
        if not m:
            continue
        bdf = _QUANTITIES.get(normalize_header(m.group("q")))
        unit = (m.group("u") if m.group("u") is not None else m.group("u2") or "").strip()
        dim, factor = UNIT_FACTORS.get(unit.lower(), (None, None))
        if bdf is None or dim != _DIMENSION[bdf] or bdf in spec:
            continue
        spec[bdf] = [(str(h), float(factor))]
    return spec


def bdf_spec(headers: Sequence[str]) -> tuple[str, dict[str, list[tuple[str, float]]]] | None:
    """The BDF header style of ``headers`` and its spec, or None.

    Returns
    -------
    (str, dict) or None
        ``("bdf", spec)`` for machine names, ``("bdf-labels", spec)`` for preferred labels,
        ``("short", spec)`` for sianode's short names; None when time, voltage and current
        are not all found in one style.
    """
    keys = {normalize_header(h): str(h) for h in headers}
    required = (TIME, VOLTAGE, CURRENT)
    machine = {c: [(keys[normalize_header(c)], 1.0)] for c in BDF_COLUMNS
               if normalize_header(c) in keys}
    if all(c in machine for c in required):
        return "bdf", machine
    labels = label_spec(headers)
    if all(c in labels for c in required):
        return "bdf-labels", labels
    short = {}
    for c, cands in SHORT_NAMES.items():
        hit = [(keys[normalize_header(h)], f) for h, f in cands if normalize_header(h) in keys]
        if hit:
            short[c] = hit[:1]
    if all(c in short for c in required):
        return "short", short
    return None
