"""All cycling metrics of one file as one frozen result, with unit and sign sanity checks.

:func:`analyze_cycling` labels cycles once (:mod:`~sianode.experiments.cycle_labels`),
integrates capacities (:func:`~sianode.experiments.cycling.cycle_capacities`) and computes
ICE, CE mean ± std, retention, cycles to a retention threshold and the rate table **over
complete cycles only**; incomplete cycles are listed with the reason. Before any metric:

- a file with no lithiation half (or no delithiation half) is refused with a message that
  says exactly that;
- with an active mass, a specific capacity above the working electrode's theoretical
  maximum is refused, naming the suspected unit (current in mA under an A header, or time
  in ms in a seconds column); a current above ~20C of that maximum is warned about;
- a current whose sign is opposite to the schema's (voltage falling while ``current > 0``,
  in every charge/discharge segment of a half or full cell) is warned about;
- an ICE that does not describe the cell's first cycle is flagged (``ice_warning``, also in
  ``warnings``): the file's first cycle is incomplete (e.g. it starts with a delithiation),
  a half of the first complete cycle holds less than :data:`SHORT_FIRST_HALF` of the
  median of the next complete cycles (a first charge cut short: a real Neware file gives an
  ICE of 1468 %) or more than :data:`LONG_FIRST_HALF` times it (a formation step or a first
  charge to another cut-off: a real 5 V Neware file gives an ICE of 19.1 %), or the ICE
  exceeds :data:`MAX_PLAUSIBLE_ICE` (more charge out than in);
- a cycle whose lithiation (or delithiation) is only short pulses/EIS steps (minor segments,
  :mod:`~sianode.experiments.cycle_labels`) is not complete: a 6.5e-5 mAh pulse ahead of
  the first delithiation no longer makes "cycle 0" a cycle with a CE of 1071 %.

After the CE mean ± std, :mod:`~sianode.experiments.ce_checks` names the window's cycles
whose CE is implausible (outside 50-110 %) or a robust outlier (``ce_outliers``,
``ce_warning``), gives the CE mean ± std without them (``ce_mean_excluding_outliers``...),
and warns when the window's median CE is above 100.1 % (``cell_convention_warning``: the
halves are swapped, check ``--cell``).

References
----------
Seed 002 (ICE, retention 80 % after 183 cycles, CE statistics, rate table); issue 11
(instrument cycles, incomplete cycles); issue 12 (unit sanity, one result shape).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sianode.errors import ComputationError, InputError, ParameterError
from sianode.experiments.ce_checks import (
    ce_excluding,
    ce_outlier_warning,
    flag_ce_outliers,
    swapped_sign_warning,
)
from sianode.experiments.cycle_labels import (
    CycleLabels,
    label_cycles,
)
from sianode.experiments.cycling import (
    capacity_retention,
    ce_statistics,
    complete_cycles,
    cycle_capacities,
    cycles_to_threshold,
    rate_capability,
)
from sianode.experiments.schema import CURRENT, TIME, VOLTAGE, lithiation_sign
from sianode.units import MOLAR_MASS_SI_G_MOL, capacity_mAh_g
from sianode.validation import POSITIVE, SPECIFIC_CAPACITY_MAH_G, Interval, check_params

__all__ = ["CyclingResult", "analyze_cycling", "SI_MAX_CAPACITY_MAH_G", "MAX_C_RATE",
           "SHORT_FIRST_HALF", "LONG_FIRST_HALF", "MAX_PLAUSIBLE_ICE"]

#: theoretical maximum of Si, Li22Si5 (4.4 Li per Si) [mAh/g]; the default ceiling
SI_MAX_CAPACITY_MAH_G = float(capacity_mAh_g(22 / 5, MOLAR_MASS_SI_G_MOL))
#: currents above this C-rate of the theoretical capacity are suspicious [1/h]
MAX_C_RATE = 20.0
#: a half of the first complete cycle below this share of the next cycles' median is "short"
SHORT_FIRST_HALF = 0.5
#: a half of the first complete cycle above this multiple of that median is "long"
LONG_FIRST_HALF = 3.0
#: how many following complete cycles give that median
_N_NEXT = 5
#: a first-cycle CE above this (more charge out than in) is flagged [fraction]
MAX_PLAUSIBLE_ICE = 1.05
_CONS = {
    "mass_mg": POSITIVE, "area_cm2": POSITIVE, "reference_cycle": Interval(0, None),
    "threshold_fraction": Interval(0.0, 1.0, left_closed=False, right_closed=False),
    "theoretical_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
}


@dataclass(frozen=True)
class CyclingResult:
    """Cycling metrics of one file, every choice recorded.

    Attributes
    ----------
    cell : str
    mass_mg, area_cm2 : float or None
        Active mass [mg] and electrode area [cm²] as given.
    cycle_source : str
        ``"instrument"`` or ``"current sign"``; ``cycle_source_reason`` says why not the
        instrument's numbers.
    cycles : tuple of dict
        Per-cycle rows of :func:`~sianode.experiments.cycling.cycle_capacities` plus
        ``retention`` (NaN for incomplete cycles).
    incomplete_cycles : tuple of int
        Cycles left out of every statistic (their ``status`` says why).
    initial_coulombic_efficiency : float
        CE of ``ice_cycle``, the first complete cycle [fraction].
    ce_mean, ce_std : float
        Over complete cycles in ``ce_window`` [fraction]; ``ce_n_cycles`` of them.
    retention_reference_cycle : int
        The cycle taken as 100 % (delithiation capacity).
    threshold_fraction : float
        Retention threshold; ``cycles_to_threshold`` is the first complete cycle at or
        below it (None if never reached).
    rate_capability : tuple of dict
        Rate steps over complete cycles.
    n_minor_segments : int
        Pulses/EIS steps that started no cycle.
    warnings : tuple of str
        Unit, sign and protocol warnings.
    source : str or None
        The file analysed.
    ice_warning : str or None
        Why ``initial_coulombic_efficiency`` may not describe the cell's first cycle (the
        file's first cycle incomplete, or a half of ``ice_cycle`` much shorter than the next
        cycles, or much longer); None when nothing is suspicious. Also one of ``warnings``.
    ce_outliers : tuple of dict
        Cycles of ``ce_window`` whose CE is implausible or a robust outlier
        (:func:`~sianode.experiments.ce_checks.flag_ce_outliers`): ``cycle``,
        ``coulombic_efficiency`` [fraction], ``reason``.
    ce_mean_excluding_outliers, ce_std_excluding_outliers : float
        CE mean and sample std over ``ce_window`` without ``ce_outliers`` [fraction]
        (equal to ``ce_mean``/``ce_std`` when none is flagged; std NaN below two cycles);
        ``ce_n_excluding_outliers`` cycles.
    ce_warning : str or None
        Names every outlier cycle with its CE; also one of ``warnings``.
    cell_convention_warning : str or None
        The window's median CE is above 100.1 %: the sign convention (``cell``) probably
        does not match the file; also one of ``warnings``.
    """

    cell: str
    mass_mg: float | None
    area_cm2: float | None
    cycle_source: str
    cycle_source_reason: str
    cycles: tuple[dict, ...]
    incomplete_cycles: tuple[int, ...]
    ice_cycle: int | None
    initial_coulombic_efficiency: float
    ce_window: tuple[int, int] | None
    ce_mean: float
    ce_std: float
    ce_n_cycles: int
    retention_reference_cycle: int | None
    threshold_fraction: float
    cycles_to_threshold: int | None
    rate_capability: tuple[dict, ...]
    n_minor_segments: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)
    source: str | None = None
    ice_warning: str | None = None
    ce_outliers: tuple[dict, ...] = field(default_factory=tuple)
    ce_mean_excluding_outliers: float = float("nan")
    ce_std_excluding_outliers: float = float("nan")
    ce_n_excluding_outliers: int = 0
    ce_warning: str | None = None
    cell_convention_warning: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict (round-trips through :meth:`from_dict`)."""
        d = asdict(self)
        d["cycles"] = [dict(c) for c in self.cycles]
        d["rate_capability"] = [dict(r) for r in self.rate_capability]
        d["incomplete_cycles"] = list(self.incomplete_cycles)
        d["warnings"] = list(self.warnings)
        d["ce_window"] = list(self.ce_window) if self.ce_window else None
        d["ce_outliers"] = [dict(o) for o in self.ce_outliers]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CyclingResult:
        """Inverse of :meth:`as_dict`."""
        return cls(**{**d, "cycles": tuple(d["cycles"]),
                      "rate_capability": tuple(d["rate_capability"]),
                      "incomplete_cycles": tuple(d["incomplete_cycles"]),
                      "warnings": tuple(d["warnings"]),
                      "ce_window": tuple(d["ce_window"]) if d["ce_window"] else None,
                      "ce_outliers": tuple(dict(o) for o in d.get("ce_outliers", ()))})

    def table(self) -> pd.DataFrame:
        """The per-cycle rows as a DataFrame."""
        return pd.DataFrame(list(self.cycles))


def _halves_or_raise(lab: CycleLabels, df: pd.DataFrame, cell: str, source: str | None
                     ) -> None:
    where = f"{source}: " if source else ""
    sign = lithiation_sign(cell)
    lith_when = "current > 0" if sign > 0 else "current < 0"
    t = df[TIME].to_numpy(dtype=float)
    dq = np.abs(df[CURRENT].to_numpy(dtype=float)) * np.r_[0.0, np.diff(t)] / 3.6
    has_l, has_d = (lab.direction == 1).any(), (lab.direction == -1).any()
    if not has_l and not has_d:
        raise InputError(f"{where}no lithiation and no delithiation: every |current| is at or "
                         f"below the rest threshold ({lab.threshold_A:.3g} A); is this a rest "
                         "or OCV record?")
    if not has_l:
        q = dq[lab.direction == -1].sum()
        raise InputError(f"{where}no lithiation half: the file holds only delithiation of the "
                         f"working electrode ({q:.4g} mAh) for cell {cell!r} (lithiation is "
                         f"{lith_when}); CE, ICE and retention need both halves (check --cell)")
    if not has_d:
        q = dq[lab.direction == 1].sum()
        raise InputError(f"{where}no delithiation half: the file holds only lithiation of the "
                         f"working electrode ({q:.4g} mAh) for cell {cell!r} (lithiation is "
                         f"{lith_when}); CE, ICE and retention need both halves (check --cell)")


def _unit_checks(summary: pd.DataFrame, df: pd.DataFrame, mass_mg: float | None,
                 theoretical: float, source: str | None) -> list[str]:
    warnings = []
    if mass_mg is None:
        return warnings
    g = mass_mg * 1e-3
    where = f"{source}: " if source else ""
    peak_mA = float(np.max(np.abs(df[CURRENT].to_numpy(dtype=float)))) * 1e3
    c_rate = peak_mA / (theoretical * g)
    q_max = float(np.nanmax(summary[["lithiation_capacity_mAh",
                                     "delithiation_capacity_mAh"]].to_numpy())) / g
    if q_max > 1.05 * theoretical:
        unit = ("the current is probably in mA under an A header (x1000)" if c_rate >
                MAX_C_RATE else "the time is probably in ms in a seconds column (x1000), or "
                "the mass is wrong")
        raise InputError(f"{where}specific capacity {q_max:.4g} mAh/g for the stated mass "
                         f"{mass_mg:g} mg exceeds the theoretical maximum {theoretical:.0f} "
                         f"mAh/g: {unit}; fix the file's units (--scale) or --mass-mg")
    if c_rate > MAX_C_RATE:
        warnings.append(f"peak current {peak_mA:.4g} mA is {c_rate:.0f}C of {theoretical:.0f} "
                        f"mAh/g x {mass_mg:g} mg (> {MAX_C_RATE:.0f}C): current in mA under an "
                        "A header, or the wrong mass?")
    return warnings


def _sign_check(df: pd.DataFrame, lab: CycleLabels, cell: str) -> list[str]:
    """Warn when the voltage falls while current > 0 in every charge/discharge segment."""
    if cell not in ("half", "full"):
        return []
    v = df[VOLTAGE].to_numpy(dtype=float)
    cur = df[CURRENT].to_numpy(dtype=float)
    active = np.flatnonzero((lab.segment >= 0) & (lab.direction != 0))
    seg = lab.segment[active]  # non-decreasing: segments are contiguous runs
    bounds = np.flatnonzero(np.r_[True, np.diff(seg) != 0, True])
    votes = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        pos = active[a:b]
        if pos.size < 6:
            continue
        n = max(1, pos.size // 10)
        dv = np.median(v[pos[-n:]]) - np.median(v[pos[:n]])
        if dv != 0:
            votes.append(np.sign(dv) == np.sign(np.median(cur[pos])))
    if len(votes) >= 2 and not any(votes):
        return [f"current sign: the voltage falls while current > 0 in all {len(votes)} "
                "charge/discharge segments; sianode expects current > 0 while charging. The "
                "file probably stores discharge current as positive: flip it with --scale "
                "current_ampere=-1 (lithiation and delithiation are swapped otherwise)"]
    return []


def analyze_cycling(
    df: pd.DataFrame,
    cell: str,
    *,
    mass_mg: float | None = None,
    area_cm2: float | None = None,
    ce_window: tuple[int, int] | None = None,
    reference_cycle: int | None = None,
    threshold_fraction: float = 0.8,
    current_threshold_A: float | None = None,
    theoretical_capacity_mAh_g: float = SI_MAX_CAPACITY_MAH_G,
    use_instrument_cycles: bool = True,
    source: str | None = None,
) -> CyclingResult:
    """All cycling metrics of one file (see the module docstring).

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy time series (:mod:`sianode.experiments.schema`); a navani or EC-Lab frame is
        converted by :func:`sianode.experiments.io.from_frame` (which says what to pass for
        anything else).
    cell : {"full", "half", "symmetric", "asymmetric"}
        Cell type.
    mass_mg, area_cm2 : float, optional
        Active mass [mg] and electrode area [cm²]; specific/areal values only when given.
    ce_window : (int, int), optional
        Inclusive cycle window for the CE mean ± std; default: the complete cycles after the
        first complete one (all complete cycles if fewer than two remain).
    reference_cycle : int, optional
        Cycle taken as 100 % capacity; default the first complete cycle.
    threshold_fraction : float
        Retention threshold in (0, 1) for ``cycles_to_threshold`` (0.8: "cycles to 80 %").
    current_threshold_A : float, optional
        Rest threshold [A].
    theoretical_capacity_mAh_g : float
        Theoretical maximum of the working electrode [mAh/g] for the unit checks (default
        Si -> Li22Si5, 4199 mAh/g).
    use_instrument_cycles : bool
        Use the file's cycle numbers when consistent.
    source : str, optional
        File name, quoted in messages and recorded in the result.

    Returns
    -------
    CyclingResult

    Raises
    ------
    InputError
        No lithiation or no delithiation half; capacity above the theoretical maximum
        (suspected unit named).
    ParameterError
        A bad number, or ``reference_cycle``/``ce_window`` naming a cycle that is not a
        complete cycle of the file.

    References
    ----------
    Module docstring; seed 002.
    """
    check_params({"mass_mg": mass_mg, "area_cm2": area_cm2, "reference_cycle": reference_cycle,
                  "threshold_fraction": threshold_fraction,
                  "theoretical_capacity_mAh_g": theoretical_capacity_mAh_g}, _CONS)
    if not {TIME, VOLTAGE, CURRENT} <= set(map(str, getattr(df, "columns", []))):
        from sianode.experiments.io.generic import from_frame

        df = from_frame(df)  # navani/EC-Lab frames, or an error saying what to pass
    lab = label_cycles(df, cell, current_threshold_A=current_threshold_A,
                       use_instrument_cycles=use_instrument_cycles)
    _halves_or_raise(lab, df, cell, source)
    summary = cycle_capacities(df, cell, mass_mg=mass_mg, area_cm2=area_cm2, labels=lab)
    warnings = _unit_checks(summary, df, mass_mg, theoretical_capacity_mAh_g, source)
    warnings += _sign_check(df, lab, cell)
    full = complete_cycles(summary)
    incomplete = tuple(int(c) for c in summary.loc[~summary["complete"], "cycle"])
    if full.empty:
        raise InputError(f"{source + ': ' if source else ''}no complete cycle (lithiation "
                         "followed by delithiation): " + "; ".join(
                             f"cycle {int(c)}: {st}" for c, st in
                             zip(summary["cycle"], summary["status"])))
    cycles = full["cycle"].to_numpy()
    ice_cycle = int(cycles[0])
    ice = float(full["coulombic_efficiency"].iloc[0])
    if reference_cycle is None:
        reference_cycle = ice_cycle
    elif reference_cycle not in cycles:
        raise ParameterError("reference_cycle", reference_cycle,
                             f"a complete cycle of the file ({_ranges(cycles)})")
    if ce_window is None:
        rest = cycles[1:] if cycles.size >= 3 else cycles
        ce_window = (int(rest[0]), int(rest[-1]))
    elif not (ce_window[0] <= ce_window[1]):
        raise ParameterError("ce_window", tuple(ce_window), "FIRST <= LAST")
    try:
        stats = ce_statistics(full, *ce_window)
    except ComputationError:
        stats = {"ce_mean": float("nan"), "ce_std": float("nan"), "n_cycles": 0}
    in_win = full[(full["cycle"] >= ce_window[0]) & (full["cycle"] <= ce_window[1])]
    win_cycles = in_win["cycle"].to_numpy()
    win_ce = in_win["coulombic_efficiency"].to_numpy(dtype=float)
    # one cycle in the window: no mean ± std to protect (the ICE checks speak for it)
    outliers = flag_ce_outliers(win_cycles, win_ce) if stats["n_cycles"] else ()
    clean_mean, clean_std, clean_n = ce_excluding(win_cycles, win_ce,
                                                  tuple(o["cycle"] for o in outliers))
    window = (int(ce_window[0]), int(ce_window[1]))
    ce_warning = ce_outlier_warning(outliers, window, clean_mean, clean_std, clean_n)
    cell_warning = swapped_sign_warning(win_ce, window, cell)
    retention = capacity_retention(full, reference_cycle)
    summary = summary.assign(retention=summary["cycle"].map(retention).astype(float))
    ctt = cycles_to_threshold(full, threshold_fraction, reference_cycle)
    rates = rate_capability(full, area_cm2=area_cm2, mass_mg=mass_mg)
    ice_warning = _ice_warning(summary, full)
    warnings += [w for w in (ice_warning, ce_warning, cell_warning) if w]
    if lab.n_minor_segments:
        warnings.append(f"{lab.n_minor_segments} short pulse/EIS segment(s) started no cycle "
                        "(their charge is counted in the cycle they fall in)")
    records = tuple({k: _plain(v) for k, v in row.items()}
                    for row in summary.to_dict(orient="records"))
    return CyclingResult(
        cell=cell, mass_mg=mass_mg, area_cm2=area_cm2, cycle_source=lab.source,
        cycle_source_reason=lab.reason, cycles=records, incomplete_cycles=incomplete,
        ice_cycle=ice_cycle, initial_coulombic_efficiency=ice,
        ce_window=window, ce_mean=stats["ce_mean"],
        ce_std=stats["ce_std"], ce_n_cycles=int(stats["n_cycles"]),
        retention_reference_cycle=int(reference_cycle), threshold_fraction=threshold_fraction,
        cycles_to_threshold=ctt,
        rate_capability=tuple({k: _plain(v) for k, v in r.items()}
                              for r in rates.to_dict(orient="records")),
        n_minor_segments=lab.n_minor_segments, warnings=tuple(warnings), source=source,
        ice_warning=ice_warning, ce_outliers=outliers,
        ce_mean_excluding_outliers=clean_mean, ce_std_excluding_outliers=clean_std,
        ce_n_excluding_outliers=clean_n, ce_warning=ce_warning,
        cell_convention_warning=cell_warning)


def _ice_warning(summary: pd.DataFrame, full: pd.DataFrame) -> str | None:
    """Why the ICE of the first complete cycle may not be the cell's first-cycle CE."""
    first, ice_cycle = summary.iloc[0], int(full["cycle"].iloc[0])
    if not bool(first["complete"]):
        return (f"ICE is taken from cycle {ice_cycle}, not from the file's first cycle "
                f"{int(first['cycle'])}, which is incomplete ({first['status']}): it may not be "
                "the electrode's first-cycle efficiency")
    nxt = full.iloc[1:1 + _N_NEXT]
    why, long_half = [], False
    for col, half in ([] if nxt.empty else [("lithiation_capacity_mAh", "lithiation"),
                                            ("delithiation_capacity_mAh", "delithiation")]):
        ref = float(np.median(nxt[col].to_numpy(dtype=float)))
        got = float(full[col].iloc[0])
        span = f"cycles {int(nxt['cycle'].iloc[0])}-{int(nxt['cycle'].iloc[-1])}"
        if ref > 0 and got < SHORT_FIRST_HALF * ref:
            why.append(f"its {half} holds {got:.4g} mAh, {got / ref:.0%} of the median "
                       f"{ref:.4g} mAh of {span}")
        elif ref > 0 and got > LONG_FIRST_HALF * ref:
            long_half = True
            why.append(f"its {half} holds {got:.4g} mAh, {got / ref:.1f} times the median "
                       f"{ref:.4g} mAh of {span}")
    ice = float(full["coulombic_efficiency"].iloc[0])
    if ice > MAX_PLAUSIBLE_ICE:
        why.append(f"more charge came out than went in (above {MAX_PLAUSIBLE_ICE:.0%})")
    if not why:
        return None
    cause = ("a formation step, a first half to another cut-off or side reactions (e.g. "
             "electrolyte oxidation at a high cut-off): the first cycle does not run the "
             "protocol of the later ones" if long_half else
             "a first half cut short or a partial formation step")
    return (f"ICE {ice:.1%} of cycle {ice_cycle} is "
            f"suspect: {'; '.join(why)} ({cause}; check the protocol, or choose "
            "--reference-cycle/--ce-window)")


def _plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def _ranges(cycles: np.ndarray) -> str:
    c = [int(x) for x in cycles]
    return f"{c[0]}..{c[-1]}" if c == list(range(c[0], c[-1] + 1)) else ", ".join(map(str, c))
