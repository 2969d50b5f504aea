"""A mixin giving flat frozen dataclasses their ``as_dict``/``from_dict`` round trip.

Result objects that cross layers are frozen dataclasses (STYLE.md); those whose fields are
plain values share this one implementation instead of repeating it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Self

__all__ = ["DictRecord"]


class DictRecord:
    """``as_dict()`` -> plain dict; ``from_dict(d)`` -> the same object (round trip)."""

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of the fields (round-trips through :meth:`from_dict`)."""
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Inverse of :meth:`as_dict`."""
        return cls(**data)
