"""Statistics of the screening map: reciprocal boundary, boundary region, element statistics.

Seed 001 Fig. 3f plots y = U (average lithiation voltage) against x = n / K_crit (Li per host
atom per GPa). Since x * y = eps V_H / N_H x 6.2415e-3 eV/GPa (Methods), hosts of similar
reaction volume lie on reciprocal curves y = c / x; the upper envelope is such a curve, and the
paper counts entries between two of them (dashed lines, 0.35-0.55 eV/GPa; 11,568 of 59,524
entries) and the elements (Fig. 3f inset) and element pairs (Extended Data Fig. 6g, band gap
< 1.5 eV only) that occur there.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode.errors import EmptySourceError, ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ScreenFilter",
    "apply_filter",
    "fit_reciprocal_envelope",
    "in_region",
    "element_frequencies",
    "pair_cooccurrence",
    "boundary_summary",
]

_EL = re.compile(r"([A-Z][a-z]?)")


@dataclass(frozen=True)
class ScreenFilter:
    """Windows like the paper's (Extended Data Fig. 6f: 0-1 V, 0-10,000 mAh/g).

    Attributes
    ----------
    voltage_V : (low, high)
    capacity_mAh_g : (low, high)
    max_band_gap_eV : float or None
        Keep hosts whose band gap is below this where a band gap is known.
    """

    voltage_V: tuple[float, float] = (0.0, 1.0)
    capacity_mAh_g: tuple[float, float] = (0.0, 10000.0)
    max_band_gap_eV: float | None = None

    def __post_init__(self) -> None:
        for name, (lo, hi) in (("voltage_V", self.voltage_V),
                               ("capacity_mAh_g", self.capacity_mAh_g)):
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ParameterError(name, (lo, hi), "a window (low, high) with low < high")


def apply_filter(df: pd.DataFrame, flt: ScreenFilter | None = None) -> pd.DataFrame:
    """Rows that react (status ok, finite K_crit) and fall inside the windows."""
    flt = flt or ScreenFilter()
    ok = (df["status"] == "ok") & np.isfinite(df["k_crit_GPa"]) & (df["k_crit_GPa"] > 0)
    ok &= df["voltage_V"].between(*flt.voltage_V, inclusive="right")
    ok &= df["capacity_mAh_g"].between(*flt.capacity_mAh_g, inclusive="right")
    if flt.max_band_gap_eV is not None:
        gap = df["band_gap_eV"]
        ok &= ~(gap >= flt.max_band_gap_eV)  # NaN (unknown) passes
    return df[ok]


def fit_reciprocal_envelope(x: np.ndarray, y: np.ndarray, n_bins: int = 25,
                            min_per_bin: int = 3) -> tuple[float, np.ndarray, np.ndarray]:
    """Fit y = c / x to the upper envelope of the (x, y) cloud.

    The x range is cut into ``n_bins`` log-spaced bins; in each bin with at least
    ``min_per_bin`` points the host with the largest x*y is an envelope point, and c is the
    median of their x*y (robust to a stray bin). Returns (c [eV/GPa], envelope x, envelope y).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    good = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    x, y = x[good], y[good]
    if len(x) == 0:
        raise EmptySourceError("no reacting hosts with finite K_crit to fit a boundary to")
    if len(x) < 2 * min_per_bin or np.ptp(np.log(x)) == 0:
        c = float(np.max(x * y))
        i = int(np.argmax(x * y))
        return c, x[[i]], y[[i]]
    edges = np.logspace(np.log10(x.min()), np.log10(x.max()) * (1 + 1e-12), n_bins + 1)
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, n_bins - 1)
    ex, ey = [], []
    for b in range(n_bins):
        sel = np.flatnonzero(which == b)
        if len(sel) >= min_per_bin:
            j = sel[np.argmax(x[sel] * y[sel])]
            ex.append(x[j])
            ey.append(y[j])
    ex, ey = np.asarray(ex), np.asarray(ey)
    c = float(np.median(ex * ey))
    return c, ex, ey


def in_region(df: pd.DataFrame, low_eV_GPa: float = 0.35, high_eV_GPa: float = 0.55) -> np.ndarray:
    """Boolean mask of hosts with low <= x*y <= high (between the paper's dashed lines)."""
    if not (0 <= low_eV_GPa < high_eV_GPa):
        raise ParameterError("region", (low_eV_GPa, high_eV_GPa), "0 <= low < high [eV/GPa]")
    xy = df["xy_eV_per_GPa"].to_numpy(dtype=float)
    return np.isfinite(xy) & (xy >= low_eV_GPa) & (xy <= high_eV_GPa)


def _elements(formula: str) -> list[str]:
    return sorted(set(_EL.findall(formula)))


def element_frequencies(formulas: Any) -> Counter[str]:
    """How many hosts contain each element (Fig. 3f inset)."""
    c: Counter[str] = Counter()
    for f in formulas:
        c.update(_elements(f))
    return c


def pair_cooccurrence(formulas: Any) -> Counter[tuple[str, str]]:
    """How many hosts contain each element pair (Extended Data Fig. 6g)."""
    c: Counter[tuple[str, str]] = Counter()
    for f in formulas:
        c.update(itertools.combinations(_elements(f), 2))
    return c


def boundary_summary(
    df: pd.DataFrame,
    flt: ScreenFilter | None = None,
    region: tuple[float, float] = (0.35, 0.55),
    pair_max_band_gap_eV: float = 1.5,
    top: int = 10,
) -> dict[str, Any]:
    """Summary of a screening table: counts, envelope fit, region statistics.

    Returns a JSON-ready dict with ``n_hosts``, ``n_reacting``, ``n_in_window``,
    ``boundary_c_eV_per_GPa``, ``n_in_region``, ``top_elements`` (element, count),
    ``top_pairs`` (pair, count; band gap < ``pair_max_band_gap_eV`` or unknown).
    """
    sel = apply_filter(df, flt)
    c, _, _ = fit_reciprocal_envelope(sel["x_per_GPa"].to_numpy(), sel["voltage_V"].to_numpy()) \
        if len(sel) else (math.nan, None, None)
    mask = in_region(sel, *region)
    reg = sel[mask]
    elements = element_frequencies(reg["formula"])
    gap = reg["band_gap_eV"].to_numpy(dtype=float)
    pairs = pair_cooccurrence(reg["formula"][~(gap >= pair_max_band_gap_eV)])
    return {
        "n_hosts": int(len(df)),
        "n_reacting": int((df["status"] == "ok").sum()),
        "n_errors": int(df["status"].astype(str).str.startswith("error").sum()),
        "n_in_window": int(len(sel)),
        "boundary_c_eV_per_GPa": c,
        "region_eV_per_GPa": list(region),
        "n_in_region": int(mask.sum()),
        "top_elements": [[e, n] for e, n in elements.most_common(top)],
        "top_pairs": [["-".join(p), n] for p, n in pairs.most_common(top)],
    }
