"""An offline, interactive explorer of a screening table (seed 001 Fig. 3f, 3e, Ext. Data 6g).

:func:`write_explorer` writes one self-contained HTML page: a hand-written canvas map of
voltage against n/K_crit (log x) with the reciprocal envelope and two editable region lines,
filters, hover details, each host's constrained voltage-capacity curves (precomputed with
:func:`precompute_curves`), element and element-pair statistics of the selection, and a
sortable table downloadable as CSV. The page loads nothing from the network: its script,
style and data are inlined. The data travel as one gzip'd binary block (float32 columns,
byte-shuffled so that gzip finds the repeated exponent bytes) that the browser inflates
with its built-in ``DecompressionStream``; no plotting library is shipped, so a 150k-host
page stays small and filters in milliseconds.

:func:`select_hosts` is the page's filter in Python, on the same float32 values, so that a
count seen in the browser can be checked (and a selection reproduced) in Python.
"""

from __future__ import annotations

import gzip
import html
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode.errors import FileFormatError, ParameterError

if TYPE_CHECKING:
    import pandas as pd

    from sianode.thermo import LithiationEngine

__all__ = [
    "REQUIRED_COLUMNS",
    "check_screen_columns",
    "experimental_flags",
    "page_values",
    "select_hosts",
    "choose_curve_hosts",
    "precompute_curves",
    "write_explorer",
]

#: Columns of ``screen.parquet`` the explorer needs (see ``sianode.thermo.screen``).
REQUIRED_COLUMNS = ("id", "formula", "products", "status", "li_per_host_atom", "voltage_V",
                    "capacity_mAh_g", "k_crit_GPa")
_EL = re.compile(r"[A-Z][a-z]?")
_F32 = {"nli": "li_per_host_atom", "U": "voltage_V", "cap": "capacity_mAh_g",
        "kc": "k_crit_GPa", "ks": "k_stop_GPa", "gap": "band_gap_eV"}


def check_screen_columns(df: pd.DataFrame, where: str = "screen table") -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise FileFormatError(where, f"missing column(s) {', '.join(missing)}; expected the "
                              "screen.parquet written by `sianode screen`", column=missing[0])


def experimental_flags(df: pd.DataFrame, entries: Iterable[Any] | None = None
                       ) -> tuple[np.ndarray, str]:
    """Per-host experimental flag (1 yes, 0 no, -1 unknown) and a sentence saying where from.

    The screen table's ``experimental`` column wins; else each entry's
    ``data["experimental"]`` (matched by id; ``entries`` may be an
    :class:`~sianode.materials.table.EntryTable` with an ``experimental`` column); else every
    host is unknown.
    """
    def code(v: Any) -> int:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return -1
        return 1 if bool(v) else 0

    if "experimental" in df.columns:
        flags = np.array([code(v) for v in df["experimental"]], dtype=np.int8)
        where = "the screen table's 'experimental' column"
    elif entries is not None:
        if hasattr(entries, "ids") and hasattr(entries, "info"):  # an EntryTable
            col = entries.info.get("experimental") or [None] * len(entries.ids)
            by_id = dict(zip(map(str, entries.ids), col, strict=True))
        else:
            by_id = {str(e.entry_id): (e.data or {}).get("experimental") for e in entries}
        flags = np.array([code(by_id.get(str(i))) for i in df["id"]], dtype=np.int8)
        where = "the entries' data['experimental']"
    else:
        flags = np.full(len(df), -1, dtype=np.int8)
        where = None
    n1, n0 = int((flags == 1).sum()), int((flags == 0).sum())
    if n1 + n0 == 0:
        return flags, ("experimental flag unknown for every host: "
                       + ("the screen table has no 'experimental' column and no entries were "
                          "given" if where is None else f"{where} is missing")
                       + "; 'experimental only' selects nothing")
    return flags, (f"experimental flag from {where}: {n1} experimental, {n0} not, "
                   f"{len(flags) - n1 - n0} unknown")


def page_values(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The numbers the page holds: float32 columns, and x, x*y computed from them in float64.

    Keys: ``nli, U, cap, kc, ks, gap`` (float32, see ``_F32``), ``x = nli / kc`` and
    ``xy = x * U`` (float64, the same operations in the same order as the page's script).
    """
    n = len(df)
    out = {k: (df[c].to_numpy(dtype=float).astype(np.float32) if c in df.columns
               else np.full(n, np.nan, dtype=np.float32)) for k, c in _F32.items()}
    with np.errstate(divide="ignore", invalid="ignore"):
        x = out["nli"].astype(np.float64) / out["kc"].astype(np.float64)
        out["x"] = x
        out["xy"] = x * out["U"].astype(np.float64)
    return out


def _window(v: np.ndarray, lo: float | None, hi: float | None, name: str) -> np.ndarray:
    ok = np.ones(len(v), dtype=bool)
    for b in (lo, hi):
        if b is not None and not math.isfinite(b):
            raise ParameterError(name, (lo, hi), "finite bounds or None")
    with np.errstate(invalid="ignore"):
        if lo is not None:
            ok &= v >= lo
        if hi is not None:
            ok &= v <= hi
    return ok


def select_hosts(
    df: pd.DataFrame,
    *,
    contain: Iterable[str] = (),
    exclude: Iterable[str] = (),
    voltage_V: tuple[float | None, float | None] = (None, None),
    capacity_mAh_g: tuple[float | None, float | None] = (None, None),
    k_crit_GPa: tuple[float | None, float | None] = (None, None),
    region_eV_per_GPa: tuple[float, float] | None = None,
    experimental_only: bool = False,
    experimental: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of the hosts the explorer page shows for these filters.

    Parameters
    ----------
    df : pandas.DataFrame
        The screen table.
    contain, exclude : iterable of str
        Element symbols the host must all contain / must not contain.
    voltage_V, capacity_mAh_g, k_crit_GPa : (low, high)
        Inclusive windows [V], [mAh/g], [GPa]; ``None`` leaves a side open. A bound that is
        set rejects hosts whose value is missing (no reaction: NaN voltage and K_crit).
    region_eV_per_GPa : (low, high), optional
        Keep hosts with low <= x*y <= high (between the region lines of Fig. 3f).
    experimental_only : bool
        Keep hosts flagged experimental (``experimental`` or :func:`experimental_flags`).

    Returns
    -------
    numpy.ndarray of bool
    """
    check_screen_columns(df)
    v = page_values(df)
    ok = _window(v["U"], *voltage_V, "voltage_V")
    ok &= _window(v["cap"], *capacity_mAh_g, "capacity_mAh_g")
    ok &= _window(v["kc"], *k_crit_GPa, "k_crit_GPa")
    if region_eV_per_GPa is not None:
        ok &= _window(v["xy"], *region_eV_per_GPa, "region_eV_per_GPa")
    if experimental_only:
        flags = experimental if experimental is not None else experimental_flags(df)[0]
        ok &= np.asarray(flags) == 1
    need, ban = set(contain), set(exclude)
    if need or ban:
        els = [set(_EL.findall(f)) for f in df["formula"].astype(str)]
        ok &= np.array([need <= e and not (ban & e) for e in els], dtype=bool)
    return ok


def choose_curve_hosts(
    df: pd.DataFrame,
    region_eV_per_GPa: tuple[float, float] = (0.35, 0.55),
    *,
    all_below: int = 2000,
    top: int = 200,
    max_hosts: int = 1000,
) -> tuple[list[int], str]:
    """Rows whose Fig. 3e curves the page carries, and a sentence saying which.

    Every reacting host when there are at most ``all_below``; else the ``top`` hosts by
    capacity plus the hosts in the region (by capacity), ``max_hosts`` in all.
    """
    for name, val in (("all_below", all_below), ("top", top), ("max_hosts", max_hosts)):
        if val < 0:
            raise ParameterError(name, val, "an integer >= 0")
    cap = df["capacity_mAh_g"].to_numpy(dtype=float)
    reacts = (df["status"].to_numpy() == "ok") & (np.nan_to_num(cap) > 0)
    order = [int(i) for i in np.argsort(-np.nan_to_num(cap), kind="stable") if reacts[i]]
    if len(order) <= all_below:
        return order, f"constrained curves precomputed for all {len(order)} reacting hosts"
    xy = page_values(df)["xy"]
    lo, hi = region_eV_per_GPa
    with np.errstate(invalid="ignore"):
        inreg = (xy >= lo) & (xy <= hi)
    chosen = order[:min(top, max_hosts)]
    seen = set(chosen)
    region_rows = [i for i in order if inreg[i]]
    for i in region_rows:
        if len(chosen) >= max_hosts:
            break
        if i not in seen:
            chosen.append(i)
            seen.add(i)
    n_reg = sum(1 for i in chosen if inreg[i])
    return chosen, (f"constrained curves precomputed for {len(chosen)} of {len(order)} reacting "
                    f"hosts: the top {min(top, max_hosts)} by capacity and {n_reg} of the "
                    f"{len(region_rows)} hosts in the region {lo:g}-{hi:g} eV/GPa (by capacity)")


def precompute_curves(
    engine: LithiationEngine,
    df: pd.DataFrame,
    rows: Sequence[int],
    k_eff_GPa: Sequence[float],
    progress: Callable[[int], None] | None = None,
) -> dict[int, dict[str, Any]]:
    """Fig. 3e curves of the given rows at each K_eff [GPa], through the engine's public API.

    Returns ``{row: {"k_stop": GPa or None, "profiles": [[k, [[V, c0, c1], ...]], ...]}}``
    (voltage [V], plateau start and end capacity [mAh/g host]). The stop modulus comes from
    the screen table's ``k_stop_GPa`` where finite, else from ``engine.lithiate``.
    """
    ks = df["k_stop_GPa"].to_numpy(dtype=float) if "k_stop_GPa" in df.columns else None
    ids = df["id"].astype(str).to_numpy()
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        host = ids[r]
        profiles = [engine.profile(host, k) for k in k_eff_GPa]
        if ks is not None and math.isfinite(ks[r]):
            k_stop: float | None = float(ks[r])
        else:
            k_stop = engine.lithiate(host, steps=False, stop=True).k_stop_GPa
        out[int(r)] = {"k_stop": k_stop, "profiles": [
            [p.k_eff_GPa, [[s.voltage_V, s.capacity_start_mAh_g, s.capacity_end_mAh_g]
                           for s in p.steps]] for p in profiles]}
        if progress is not None:
            progress(1)
    return out


def _highlight_rows(df: pd.DataFrame, x: np.ndarray, names: Iterable[str]) -> list[int]:
    rows = []
    forms = df["formula"].astype(str).to_numpy()
    energy = (df["reaction_energy_eV_per_atom"].to_numpy(dtype=float)
              if "reaction_energy_eV_per_atom" in df.columns else np.zeros(len(df)))
    for name in names:
        cand = np.flatnonzero((forms == name) & np.isfinite(x) & (x > 0))
        if len(cand):
            rows.append(int(cand[np.argmin(energy[cand])]))
    return rows


def _pack(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """Header JSON + 8-byte-aligned little-endian arrays (float32 byte-shuffled), gzip'd."""
    chunks, specs, offset = [], {}, 0
    for name, a in arrays.items():
        a = np.ascontiguousarray(a)
        dtype = {np.float32: "f4", np.uint32: "u4", np.uint8: "u1", np.int8: "i1"}[a.dtype.type]
        raw = a.astype(a.dtype.newbyteorder("<"), copy=False)
        data = (raw.view(np.uint8).reshape(len(a), 4).T.tobytes() if dtype == "f4"
                else raw.tobytes())
        specs[name] = {"dtype": dtype, "offset": offset, "length": int(len(a)),
                       "shuffle": dtype == "f4"}
        pad = (-len(data)) % 8
        chunks.append(data + b"\0" * pad)
        offset += len(data) + pad
    head = json.dumps({**header, "arrays": specs}, allow_nan=False,
                      separators=(",", ":")).encode()
    pre = len(head).to_bytes(4, "little") + head
    pre += b"\0" * ((-len(pre)) % 8)
    return gzip.compress(pre + b"".join(chunks), compresslevel=9, mtime=0)


def _finite(v: Any) -> float | None:
    return float(v) if v is not None and math.isfinite(float(v)) else None


def write_explorer(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    curves: dict[int, dict[str, Any]] | None = None,
    k_eff_GPa: Sequence[float] = (),
    region_eV_per_GPa: tuple[float, float] = (0.35, 0.55),
    boundary_c_eV_per_GPa: float | None = None,
    experimental: np.ndarray | None = None,
    notes: Sequence[str] = (),
    highlight: Iterable[str] = (),
    title: str = "sianode explorer",
    source: str = "",
) -> Path:
    """Write the self-contained explorer page for a screen table; returns the path.

    Parameters
    ----------
    df : pandas.DataFrame
        ``screen.parquet`` of :func:`sianode.thermo.screen.screen`.
    path : path
        The ``.html`` file (written atomically).
    curves : dict, optional
        From :func:`precompute_curves` (rows without curves say how to compute them).
    k_eff_GPa : sequence of float
        The K_eff grid of the curves [GPa].
    region_eV_per_GPa : (low, high)
        Initial constants of the two region lines x*y = c [eV/GPa] (seed 001: 0.35, 0.55).
    boundary_c_eV_per_GPa : float, optional
        The fitted envelope y = c/x [eV/GPa] (``summary.json``).
    experimental : array of int8, optional
        Flags from :func:`experimental_flags` (default: from the table, else unknown).
    notes : sequence of str
        Sentences shown under the title (data provenance, what was left out).
    highlight : iterable of str
        Formulas labelled on the map (lowest-energy polymorph; overlapping labels skipped).

    References
    ----------
    Seed 001 Fig. 3e, Fig. 3f (map and inset) and Extended Data Fig. 6g.
    """
    import pandas as pd

    check_screen_columns(df)
    lo, hi = region_eV_per_GPa
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo < hi):
        raise ParameterError("region_eV_per_GPa", region_eV_per_GPa, "0 <= low < high [eV/GPa]")
    n = len(df)
    vals = page_values(df)
    if experimental is None:
        experimental = experimental_flags(df)[0]
    forms = df["formula"].astype(str).tolist()
    elements = sorted({e for f in set(forms) for e in _EL.findall(f)})
    if len(elements) > 255:
        raise ParameterError("elements", len(elements), "at most 255 distinct element symbols")
    eidx = {e: i for i, e in enumerate(elements)}
    per_formula = {f: [eidx[e] for e in sorted(set(_EL.findall(f)))] for f in set(forms)}
    lens = np.array([len(per_formula[f]) for f in forms], dtype=np.uint32)
    el_off = np.zeros(n + 1, dtype=np.uint32)
    np.cumsum(lens, out=el_off[1:])
    el_idx = np.fromiter((i for f in forms for i in per_formula[f]), dtype=np.uint8,
                         count=int(el_off[-1]))
    codes, uniques = pd.factorize(df["products"].fillna("").astype(str), sort=False)
    curves = curves or {}
    for r, c in curves.items():  # stop moduli the curves computed, where the table has none
        if c.get("k_stop") is not None and not np.isfinite(vals["ks"][r]):
            vals["ks"][r] = c["k_stop"]
    arrays = {k: vals[k] for k in _F32}
    arrays.update({"exp": np.asarray(experimental, dtype=np.int8), "el_off": el_off,
                   "el_idx": el_idx, "products": codes.astype(np.uint32)})
    header = {
        "version": 1, "title": title, "source": source, "n": n,
        "formula": forms, "id": df["id"].astype(str).tolist(),
        "products_values": [str(u) for u in uniques], "elements": elements,
        "region": [float(lo), float(hi)], "boundary_c": _finite(boundary_c_eV_per_GPa),
        "k_grid": [float(k) for k in k_eff_GPa], "notes": list(notes),
        "highlight": _highlight_rows(df, vals["x"], highlight),
        "n_curves": len(curves),
        "curves": {str(r): {"k_stop": _finite(c["k_stop"]), "profiles": c["profiles"]}
                   for r, c in curves.items()},
    }
    blob = _pack(header, arrays)
    import base64

    assets = resources.files("sianode.plots") / "explorer_assets"
    page = (assets / "explorer.html").read_text(encoding="utf-8")
    page = page.replace("/*__CSS__*/", (assets / "explorer.css").read_text(encoding="utf-8"))
    page = page.replace("__TITLE__", html.escape(title))
    page = page.replace("__DATA__", base64.b64encode(blob).decode("ascii"))
    page = page.replace("/*__JS__*/", (assets / "explorer.js").read_text(encoding="utf-8"))
    from sianode.atomic import write_text

    write_text(path, page)
    return Path(path)
