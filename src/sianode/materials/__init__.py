"""Where entries come from (layer 1): files, Materials Project, the built-in set, ML potentials.

Names are imported on first use, so ``import sianode.materials.formula`` (the CLI's up-front
checks) stays free of numpy.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "entries_from_table": "sianode.materials.entries",
    "entries_to_table": "sianode.materials.entries",
    "entry_volume_A3": "sianode.materials.entries",
    "load_entries": "sianode.materials.entries",
    "load_entry_table": "sianode.materials.entries",
    "read_entries_file": "sianode.materials.entries",
    "validate_entries": "sianode.materials.entries",
    "EntryTable": "sianode.materials.table",
    "as_entry_table": "sianode.materials.table",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sianode.materials' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
