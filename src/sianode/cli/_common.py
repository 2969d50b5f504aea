"""Small helpers shared by the subcommands (JSON output, progress bars)."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

__all__ = ["print_json", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays and non-finite floats (-> null) for strict JSON."""
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def print_json(obj: Any, indent: int | None = 2) -> None:
    """Write ``obj`` as strict JSON (NaN/inf become null) to stdout."""
    json.dump(to_jsonable(obj), sys.stdout, indent=indent, allow_nan=False)
    sys.stdout.write("\n")
