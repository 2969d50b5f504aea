"""Plausibility of per-cycle coulombic efficiency: outlier cycles and a swapped sign convention.

A complete cycle's CE (delithiation over lithiation charge of the working electrode) of a
real cell lies a little below 100 %. Two things make the CE mean ± std of a file
meaningless, and both are named here instead of being averaged silently (issue 11, D8: a
spurious cycle gave "CE 13 ± 51" with no warning):

- **Outlier cycles** inside the CE window. A cycle is flagged when its CE lies outside the
  physically plausible band [:data:`CE_PLAUSIBLE_MIN`, :data:`CE_PLAUSIBLE_MAX`] = [50 %,
  110 %] for a complete cycle, or when it is a robust outlier: farther from the median of the
  in-band cycles than :data:`OUTLIER_MADS` = 5 scaled MADs (1.4826 x the median absolute
  deviation, the normal-equivalent sigma) **and** than :data:`OUTLIER_MIN_DEVIATION` = 10
  percentage points. The floor keeps a series with MAD ~ 0 (a simulation: BattMo output has
  CE = 100.000 % in most cycles and 95 % at rate steps) from naming ordinary steps. The
  robust test needs :data:`MIN_ROBUST_CYCLES` in-band cycles. Real causes: pulses/EIS steps
  or a second formation step splitting a cycle, a charge to another cut-off, a cycle
  broken by the protocol.
- **A persistent CE above 100 %**: the median CE of the window above
  :data:`SWAPPED_MEDIAN_CE` (100.1 %, the order of a cycler's coulomb-counting accuracy)
  means the delithiation persistently returns more charge than the lithiation took, which
  no cell does: the sign convention (``--cell``) does not match the cell, so every "cycle"
  is one half of a cycle and the next cycle's other half (CE ~ 1/CE_true). Measured on the
  real files of ``tests/data/instruments``: the five cathode/full-cell cycling files read as
  ``half`` give window medians of 100.21 % to 126.71 %; read as ``full``, their CE means
  are 80.3 % to 99.5 % (one has a single complete cycle).

References
----------
Issue 11 (D8); Rousseeuw & Croux, J. Am. Stat. Assoc. 88 (1993) 1273 (MAD, 1.4826);
seed 002 (CE statistics over a stated window).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["CE_PLAUSIBLE_MIN", "CE_PLAUSIBLE_MAX", "OUTLIER_MADS", "OUTLIER_MIN_DEVIATION",
           "MIN_ROBUST_CYCLES", "SWAPPED_MEDIAN_CE", "flag_ce_outliers", "ce_excluding",
           "ce_outlier_warning", "swapped_sign_warning"]

#: lowest plausible CE of a complete cycle after the first [fraction]
CE_PLAUSIBLE_MIN = 0.50
#: highest plausible CE of a complete cycle [fraction]
CE_PLAUSIBLE_MAX = 1.10
#: a robust outlier lies more than this many scaled MADs from the median
OUTLIER_MADS = 5.0
#: ... and more than this far from it [fraction, i.e. 0.10 = 10 percentage points]
OUTLIER_MIN_DEVIATION = 0.10
#: in-band cycles needed for the robust test
MIN_ROBUST_CYCLES = 5
#: a window median CE above this says the halves are swapped [fraction]
SWAPPED_MEDIAN_CE = 1.001
#: MAD -> standard deviation of normal data
_MAD_TO_SIGMA = 1.4826
#: outliers named one by one in a warning; the rest are counted
_MAX_NAMED = 12


def flag_ce_outliers(cycles: np.ndarray, ce: np.ndarray) -> tuple[dict[str, Any], ...]:
    """Cycles whose CE is implausible or a robust outlier (see the module docstring).

    Parameters
    ----------
    cycles : numpy.ndarray of int
        Cycle numbers of the complete cycles in the CE window.
    ce : numpy.ndarray of float
        Their CE [fraction]; non-finite values are ignored.

    Returns
    -------
    tuple of dict
        One ``{"cycle", "coulombic_efficiency", "reason"}`` per flagged cycle, in cycle
        order; ``reason`` states the band or the distance from the median.

    Examples
    --------
    >>> import numpy as np
    >>> ce = np.array([0.995, 0.996, 0.994, 16.6, 0.995, 0.997, 0.70])
    >>> [(o["cycle"], o["reason"][:20]) for o in flag_ce_outliers(np.arange(1, 8), ce)]
    [(4, 'above the plausible '), (7, '29.5 points from the')]
    """
    cycles = np.asarray(cycles, dtype=np.int64)
    ce = np.asarray(ce, dtype=float)
    ok = np.isfinite(ce)
    cycles, ce = cycles[ok], ce[ok]
    reasons: dict[int, str] = {}
    for c, x in zip(cycles, ce):
        if x < CE_PLAUSIBLE_MIN:
            reasons[int(c)] = (f"below the plausible {100 * CE_PLAUSIBLE_MIN:.0f} % of a "
                               "complete cycle")
        elif x > CE_PLAUSIBLE_MAX:
            reasons[int(c)] = (f"above the plausible {100 * CE_PLAUSIBLE_MAX:.0f} % of a "
                               "complete cycle")
    band = np.array([int(c) not in reasons for c in cycles], dtype=bool)
    if band.sum() >= MIN_ROBUST_CYCLES:
        med = float(np.median(ce[band]))
        sigma = _MAD_TO_SIGMA * float(np.median(np.abs(ce[band] - med)))
        dev = np.abs(ce - med)
        out = band & (dev > OUTLIER_MADS * sigma) & (dev > OUTLIER_MIN_DEVIATION)
        for c, d in zip(cycles[out], dev[out]):
            reasons[int(c)] = (f"{100 * d:.1f} points from the median {100 * med:.2f} % "
                               f"(> {OUTLIER_MADS:g} scaled MADs = {500 * sigma:.2g} points "
                               f"and > {100 * OUTLIER_MIN_DEVIATION:g} points)")
    by_cycle = dict(zip(cycles.tolist(), ce.tolist()))
    return tuple({"cycle": c, "coulombic_efficiency": float(by_cycle[c]), "reason": reasons[c]}
                 for c in sorted(reasons))


def ce_excluding(cycles: np.ndarray, ce: np.ndarray, flagged: tuple[int, ...]
                 ) -> tuple[float, float, int]:
    """Mean, sample std (ddof = 1) [fraction] and count of the finite CE of the cycles not in
    ``flagged``; NaN where undefined (std needs two cycles)."""
    cycles = np.asarray(cycles, dtype=np.int64)
    ce = np.asarray(ce, dtype=float)
    keep = np.isfinite(ce) & ~np.isin(cycles, np.asarray(flagged, dtype=np.int64))
    x = ce[keep]
    mean = float(x.mean()) if x.size else float("nan")
    std = float(x.std(ddof=1)) if x.size >= 2 else float("nan")
    return mean, std, int(x.size)


def ce_outlier_warning(outliers: tuple[dict[str, Any], ...], window: tuple[int, int],
                       mean: float, std: float, n: int) -> str | None:
    """One warning naming every flagged cycle with its CE, and the CE without them."""
    if not outliers:
        return None
    named = ", ".join(f"{o['cycle']} ({100 * o['coulombic_efficiency']:.1f} %)"
                      for o in outliers[:_MAX_NAMED])
    more = f" and {len(outliers) - _MAX_NAMED} more" if len(outliers) > _MAX_NAMED else ""
    kinds = sorted({"outside the plausible band" if "plausible" in o["reason"] else
                    "a robust outlier" for o in outliers})
    if n == 0:
        rest = "no cycle of the window is left without them"
    else:
        sd = "std n/a" if std != std else f"± {100 * std:.3f} points"
        rest = f"without them CE = {100 * mean:.3f} % {sd} over {n} cycle(s)"
    return (f"CE of cycle(s) {named}{more} in the CE window {window[0]}-{window[1]} is "
            f"{' or '.join(kinds)} ({100 * CE_PLAUSIBLE_MIN:.0f}-{100 * CE_PLAUSIBLE_MAX:.0f} "
            f"% for a complete cycle; outlier: > {OUTLIER_MADS:g} scaled MADs and > "
            f"{100 * OUTLIER_MIN_DEVIATION:g} points from the median): spurious or broken "
            f"cycles (pulses or EIS steps, a second formation or CV step, a protocol change); "
            f"{rest} (choose the window with --ce-window)")


def swapped_sign_warning(ce: np.ndarray, window: tuple[int, int], cell: str) -> str | None:
    """A warning when the window's median CE exceeds :data:`SWAPPED_MEDIAN_CE` (2+ cycles)."""
    ce = np.asarray(ce, dtype=float)
    ce = ce[np.isfinite(ce)]
    if ce.size < 2:
        return None
    med = float(np.median(ce))
    if med <= SWAPPED_MEDIAN_CE:
        return None
    other = {"half": "--cell full (a cathode vs Li or a full cell read as a Si half cell?)",
             "full": "--cell half (a Si-vs-Li half cell read as a full cell?)"}.get(
                 cell, "the other --cell")
    return (f"CE median {100 * med:.2f} % over cycles {window[0]}-{window[1]} is above "
            f"{100 * SWAPPED_MEDIAN_CE:.1f} %: the delithiation persistently returns more "
            f"charge than the lithiation took, which no cell does. The sign convention of "
            f"--cell {cell} probably does not match this file, so each cycle pairs one half "
            f"with the next cycle's other half: try {other}, or flip the current with "
            "--scale current_ampere=-1")
