"""Titration gas chromatography (TGC) bookkeeping: SEI vs Li trapped in Li-Si.

After ``n`` cycles a full cell has lost ``L_n = sum_i (Q_lith,i - Q_delith,i)`` of Li
inventory (the coulombic-efficiency losses, counted for the Si working electrode). Reacting
the cycled anode with ethanol turns the Li still in Li-Si into H₂
(``2 Li + 2 EtOH -> 2 LiOEt + H2``), so ``Q_LiSi = 2 n_H2 F / 3.6`` [mAh]. The rest of the
loss went into the SEI: ``Q_SEI = L_n - Q_LiSi``. Shares are quoted relative to a stated
reference capacity (seed 003: "the cell's capacity"; default here the first lithiation).

References
----------
Seed 003 (Tan et al., Science 373, 1494 (2021)), Fig. 3b and text: SEI = 11.7 % of the cell
capacity after cycle 1, 12.4 % after cycle 2; method of Fang et al., Nature 572, 511 (2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sianode.errors import ParameterError
from sianode.records import DictRecord
from sianode.units import MAH_PER_MOL_ELECTRONS
from sianode.validation import NON_NEGATIVE, POSITIVE, check_params

__all__ = ["TitrationResult", "h2_umol_to_li_mAh", "titration_sei_bookkeeping"]

_CONSTRAINTS = {
    "lithiation_mAh": NON_NEGATIVE,
    "delithiation_mAh": NON_NEGATIVE,
    "h2_umol": NON_NEGATIVE,
    "active_li_mAh": NON_NEGATIVE,
    "reference_capacity_mAh": POSITIVE,
}


def h2_umol_to_li_mAh(h2_umol: float) -> float:
    """Li capacity [mAh] titrated as ``h2_umol`` [µmol] of H₂ (2 Li per H₂).

    References
    ----------
    Fang et al., Nature 572, 511 (2019) (TGC); seed 003 (ethanol titration of Li-Si).

    Examples
    --------
    >>> round(h2_umol_to_li_mAh(1.0), 5)  # 2 µmol e- = 0.0536 mAh
    0.0536
    """
    check_params({"h2_umol": h2_umol}, _CONSTRAINTS)
    return float(2.0 * h2_umol * 1e-6 * MAH_PER_MOL_ELECTRONS)


@dataclass(frozen=True)
class TitrationResult(DictRecord):
    """TGC bookkeeping of one cell after ``cycles`` cycles (capacities [mAh], shares [fraction])."""

    cycles: int
    cumulative_lithiation_mAh: float
    cumulative_loss_mAh: float
    active_li_mAh: float
    sei_mAh: float
    reference_capacity_mAh: float
    loss_share: float
    active_li_share: float
    sei_share: float


def titration_sei_bookkeeping(
    lithiation_mAh: Sequence[float],
    delithiation_mAh: Sequence[float],
    *,
    h2_umol: float | None = None,
    active_li_mAh: float | None = None,
    reference_capacity_mAh: float | None = None,
) -> TitrationResult:
    """Split the Li lost over the cycles into SEI and Li trapped in Li-Si.

    Parameters
    ----------
    lithiation_mAh, delithiation_mAh : sequence of float
        Per-cycle capacities [mAh] of the Si working electrode (full cell: charge and
        discharge) for the cycles run before titration.
    h2_umol : float, optional
        H₂ measured by gas chromatography [µmol]; give this or ``active_li_mAh``.
    active_li_mAh : float, optional
        Titrated Li in Li-Si already converted to capacity [mAh].
    reference_capacity_mAh : float, optional
        Capacity the shares refer to; default the first lithiation capacity.

    Returns
    -------
    TitrationResult

    Raises
    ------
    ParameterError
        Mismatched or empty capacity lists, negative values, both or neither of
        ``h2_umol``/``active_li_mAh``, or more titrated Li than was lost.

    References
    ----------
    Seed 003 Fig. 3b (SEI share 11.7 % after cycle 1, 12.4 % after cycle 2).
    """
    lith = np.asarray(lithiation_mAh, dtype=float)
    deli = np.asarray(delithiation_mAh, dtype=float)
    if lith.ndim != 1 or lith.size == 0 or lith.shape != deli.shape:
        raise ParameterError("delithiation_mAh", list(deli), f"{lith.size} values matching "
                             "lithiation_mAh (one per cycle, at least one)")
    check_params({"lithiation_mAh": lith, "delithiation_mAh": deli, "h2_umol": h2_umol,
                  "active_li_mAh": active_li_mAh,
                  "reference_capacity_mAh": reference_capacity_mAh}, _CONSTRAINTS)
    if (h2_umol is None) == (active_li_mAh is None):
        raise ParameterError("h2_umol/active_li_mAh", (h2_umol, active_li_mAh),
                             "exactly one of the two")
    q_li = h2_umol_to_li_mAh(h2_umol) if h2_umol is not None else float(active_li_mAh)
    loss = float(np.sum(lith - deli))
    if q_li > loss + 1e-12:
        raise ParameterError("active Li", q_li, f"<= the cumulative loss {loss:.6g} mAh "
                             "(more Li titrated than was lost)")
    ref = float(lith[0]) if reference_capacity_mAh is None else float(reference_capacity_mAh)
    if ref <= 0:
        raise ParameterError("reference_capacity_mAh", ref, "> 0")
    sei = loss - q_li
    return TitrationResult(
        cycles=int(lith.size), cumulative_lithiation_mAh=float(lith.sum()),
        cumulative_loss_mAh=loss, active_li_mAh=q_li, sei_mAh=sei,
        reference_capacity_mAh=ref, loss_share=loss / ref, active_li_share=q_li / ref,
        sei_share=sei / ref)
