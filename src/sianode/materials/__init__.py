"""Where entries come from (layer 1): files, Materials Project, the built-in set, ML potentials."""

from sianode.materials.entries import (
    entries_from_table,
    entries_to_table,
    entry_volume_A3,
    load_entries,
    read_entries_file,
    validate_entries,
)

__all__ = [
    "entries_from_table",
    "entries_to_table",
    "entry_volume_A3",
    "load_entries",
    "read_entries_file",
    "validate_entries",
]
