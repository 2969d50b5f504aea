"""High-throughput screening of every host in a set of entries (seed 001 Fig. 3f).

Hosts are grouped by chemical system (host elements + Li); each system's entries are gathered
by sub-system lookup and its hull is built **once** for all its hosts
(:func:`sianode.thermo.system.solve_system`). Systems run in batches (one task each) in this
process, on local processes or on a Dask cluster (:mod:`sianode.parallel`);
each finished batch is written atomically as one Parquet part, so an interrupted run resumes
where it stopped with no row lost or duplicated. A manifest fingerprints the input so parts of
a different input are never mixed in.

With ``k_eff_GPa=[...]`` every host also gets its 0 V capacity under each effective
constriction modulus (the system's hull rebuilt with E + K_eff V on every solid, seed 001
Fig. 3e), one column per modulus. A row whose average voltage lies outside
:data:`~sianode.thermo.lithiation.VOLTAGE_RANGE_V` is never ``"ok"``: its status names the
problem (entries on different energy scales), its numbers are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode import units
from sianode.atomic import atomic_path
from sianode.errors import InputError, MissingTerminalError, ParameterError
from sianode.materials.table import EntryTable, as_entry_table
from sianode.thermo.lithiation import VOLTAGE_RANGE_V, _check_k
from sianode.thermo.stop import stop_modulus_eV_A3
from sianode.thermo.system import solve_system, system_arrays

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SCREEN_COLUMNS", "screen", "screen_systems", "k_eff_column"]

#: Columns of the screening table and their meaning (units in the names).
SCREEN_COLUMNS = {
    "id": "entry id of the host",
    "formula": "reduced formula of the host",
    "chemsys": "host elements + Li, '-'-joined, sorted",
    "n_elements": "number of elements in the host",
    "li_per_host_atom": "n: Li taken up per host atom at 0 V",
    "li_per_formula_unit": "Li taken up per reduced formula unit",
    "voltage_V": "average lithiation voltage U = -G/n vs Li/Li+ [V]",
    "capacity_mAh_g": "0 V capacity per gram of host [mAh/g]",
    "reaction_energy_eV_per_atom": "G per host atom [eV]",
    "reaction_strain": "eps = dV/V_host (solids only)",
    "k_crit_GPa": "K_crit = -G/dV [GPa] (NaN: no expanding lithiation)",
    "x_per_GPa": "Fig. 3f x axis: n / K_crit [1/GPa]",
    "xy_eV_per_GPa": "x * U [eV/GPa], = eps V_H/N_H x 6.2415e-3",
    "products": "0 V products, '+'-joined reduced formulas",
    "band_gap_eV": "band gap where the source has one [eV]",
    "status": "'ok', 'no_reaction', or 'error: ...' (nothing is dropped; never 'ok' outside "
              "[-1, 5] V)",
    "k_stop_GPa": "modulus at which all lithiation stops [GPa] (with stop_modulus=True)",
    "capacity_mAh_g_at_<K>_GPa": "0 V capacity per gram of host under K_eff = K [mAh/g] "
                                 "(with k_eff_GPa=[...])",
}


def k_eff_column(k_eff_GPa: float) -> str:
    """Name of the constrained-capacity column at ``k_eff_GPa`` (``capacity_mAh_g_at_2_GPa``)."""
    return f"capacity_mAh_g_at_{float(k_eff_GPa):g}_GPa"

_WORKER: dict[str, Any] = {}


def _fingerprint(table: EntryTable) -> str:
    h = hashlib.sha256()
    h.update("|".join(table.ids).encode())
    h.update(np.ascontiguousarray(table.energy_eV).tobytes())
    h.update(np.ascontiguousarray(table.volume_A3).tobytes())
    return h.hexdigest()[:16]


def _init_worker(table: EntryTable, stop: bool, k_grid: Sequence[float] = (),
                 voltage_range: tuple[float, float] | None = VOLTAGE_RANGE_V) -> None:
    _WORKER["table"] = table
    _WORKER["stop"] = stop
    _WORKER["k_grid"] = tuple(k_grid)
    _WORKER["voltage_range"] = voltage_range


def _solve_batch(systems: Sequence[tuple[int, Sequence[int]]]) -> dict[str, np.ndarray]:
    table: EntryTable = _WORKER["table"]
    stop: bool = _WORKER["stop"]
    k_grid: tuple[float, ...] = _WORKER.get("k_grid", ())
    vrange = _WORKER.get("voltage_range", VOLTAGE_RANGE_V)
    parts: list[dict[str, np.ndarray]] = []
    for mask, hosts in systems:
        chemsys = "-".join(sorted(table.symbols_of(mask)))
        try:
            sa = system_arrays(table, mask)
            sol = solve_system(table, mask, hosts, arrays=sa)
            caps = {}
            for k in k_grid:
                sk = solve_system(table, mask, hosts, arrays=sa,
                                  k_eff_eV_A3=float(units.gpa_to_ev_per_a3(k)))
                caps[k_eff_column(k)] = _capacity(table, hosts, sk)
        except (MissingTerminalError, ArithmeticError) as exc:
            parts.append(_error_rows(table, hosts, chemsys, f"error: {exc}", stop, k_grid))
            continue
        ks = None
        if stop:
            ks = np.array([stop_modulus_eV_A3(sa, sa.local_of[h]) for h in hosts])
        rows = _rows(table, hosts, chemsys, sol, ks, vrange)
        rows.update(caps)
        parts.append(rows)
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}


def _capacity(table: EntryTable, hosts: Sequence[int], sol: Any) -> np.ndarray:
    h = np.asarray(hosts, dtype=np.int64)
    n = sol.d_li * sol.nonli_frac
    mass_atom = table.mass_g_mol[h] / table.n_atoms[h]
    return np.where(n > 1e-6, units.capacity_mAh_g(np.maximum(n, 0.0), mass_atom), 0.0)


def _base(table: EntryTable, hosts: Sequence[int], chemsys: str) -> dict[str, np.ndarray]:
    h = np.asarray(hosts, dtype=np.int64)
    return {
        "id": np.array([table.ids[i] for i in h], dtype=object),
        "formula": np.array([table.formulas[i] for i in h], dtype=object),
        "chemsys": np.full(len(h), chemsys, dtype=object),
        "n_elements": np.array([len(table.comps[i]) for i in h], dtype=np.int64),
        "band_gap_eV": table.band_gap_eV[h],
    }


_NUMERIC = ("li_per_host_atom", "li_per_formula_unit", "voltage_V", "capacity_mAh_g",
            "reaction_energy_eV_per_atom", "reaction_strain", "k_crit_GPa", "x_per_GPa",
            "xy_eV_per_GPa")


def _error_rows(table, hosts, chemsys, error, stop, k_grid=()) -> dict[str, np.ndarray]:
    out = _base(table, hosts, chemsys)
    for c in (*_NUMERIC, *map(k_eff_column, k_grid)):
        out[c] = np.full(len(hosts), np.nan)
    out["products"] = np.full(len(hosts), "", dtype=object)
    out["status"] = np.full(len(hosts), error, dtype=object)
    if stop:
        out["k_stop_GPa"] = np.full(len(hosts), np.nan)
    return out


def _rows(table, hosts, chemsys, sol, k_stop, vrange=VOLTAGE_RANGE_V) -> dict[str, np.ndarray]:
    """Per-host columns of one system, vectorised (see SCREEN_COLUMNS for the meanings)."""
    h = np.asarray(hosts, dtype=np.int64)
    out = _base(table, hosts, chemsys)
    f = sol.nonli_frac
    n = sol.d_li * f
    reacts = n > 1e-6
    g = np.where(reacts, sol.g_eV * f, 0.0)
    dv = np.where(reacts, sol.dv_A3 * f, 0.0)
    n0 = np.where(reacts, n, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        volt = np.where(reacts, -g / n, np.nan)
        expands = reacts & (dv > 0) & (g < 0)
        kc = np.where(expands, units.ev_per_a3_to_gpa(-g / np.where(expands, dv, 1.0)), np.nan)
        x = np.where(expands, n / kc, np.nan)
        mass_atom = table.mass_g_mol[h] / table.n_atoms[h]
        out["li_per_host_atom"] = n0
        out["li_per_formula_unit"] = n0 * table.atoms_fu[h]
        out["voltage_V"] = volt
        out["capacity_mAh_g"] = np.where(reacts, units.capacity_mAh_g(n0, mass_atom), 0.0)
        out["reaction_energy_eV_per_atom"] = g
        out["reaction_strain"] = np.where(reacts, dv / (sol.u_host_A3 * f), 0.0)
    out["k_crit_GPa"] = kc
    out["x_per_GPa"] = x
    out["xy_eV_per_GPa"] = x * volt
    forms = table.formulas
    out["products"] = np.array([
        "+".join(sorted({forms[j] for j, w in zip(pi, pw, strict=True) if w > 1e-9})) if r
        else "" for pi, pw, r in zip(sol.product_idx, sol.product_w, reacts, strict=True)
    ], dtype=object)
    status = np.where(reacts, "ok", "no_reaction").astype(object)
    if vrange is not None:
        for j in np.flatnonzero(reacts & ~((volt >= vrange[0]) & (volt <= vrange[1]))):
            status[j] = (f"error: voltage {volt[j]:.4g} V outside the physical range "
                         f"[{vrange[0]:g}, {vrange[1]:g}] V: entries on different energy "
                         "scales (check the Li reference and the host)")
    out["status"] = status
    if k_stop is not None:
        out["k_stop_GPa"] = units.ev_per_a3_to_gpa(k_stop)
    return out


def screen_systems(table: EntryTable, hosts: Sequence[int] | None = None
                   ) -> list[tuple[int, list[int]]]:
    """Hosts grouped by system mask (host elements + Li), in a deterministic order."""
    if hosts is None:
        hosts = [i for i, m in enumerate(table.mask) if m != 1]
    by_sys: dict[int, list[int]] = defaultdict(list)
    for h in hosts:
        by_sys[table.mask[h] | 1].append(int(h))
    keys = sorted(by_sys, key=lambda m: "-".join(sorted(table.symbols_of(m))))
    return [(m, by_sys[m]) for m in keys]


def screen(
    entries: Any,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    hosts: Sequence[str] | None = None,
    n_jobs: int = 1,
    batch_hosts: int = 2000,
    stop_modulus: bool = False,
    k_eff_GPa: Sequence[float] = (),
    voltage_range_V: tuple[float, float] | None = VOLTAGE_RANGE_V,
    progress: bool | Callable[[int], None] = False,
    scheduler: Any = None,
) -> pd.DataFrame:
    """Screen every host (or the given host ids/formulas) for 0 V lithiation.

    Parameters
    ----------
    entries : EntryTable, sequence of ComputedEntry, PhaseDiagram or DataFrame
        See :func:`sianode.materials.table.as_entry_table`.
    out_dir : path, optional
        Write ``parts/part-NNNNNN.parquet`` per batch (atomically) and ``screen.parquet``;
        an existing ``out_dir`` of the same input resumes, finished parts are kept.
    hosts : sequence of str, optional
        Host entry ids or formulas; default every entry that is not pure Li.
    n_jobs : int
        Local worker processes (1: in this process).
    scheduler : str, distributed.Client or sianode.parallel.Backend, optional
        Run the batches on a Dask cluster instead (see :func:`sianode.parallel.open_backend`);
        the entry table is sent once per worker, each batch is one task.
    batch_hosts : int
        Hosts per batch (a batch is the unit of resumption).
    stop_modulus : bool
        Also compute K_stop per host (one LP per ternary+ host; slower).
    k_eff_GPa : sequence of float
        Effective moduli [GPa]: one column ``capacity_mAh_g_at_<K>_GPa`` per value
        (:func:`k_eff_column`), the 0 V capacity with every solid penalised by K_eff V.
    voltage_range_V : (float, float) or None
        Rows reacting at an average voltage outside this range get an ``error`` status.
    progress : bool or callable
        Show progress with an ETA on stderr (:mod:`sianode.progress`), or call
        ``progress(n_hosts_done)``.

    Returns
    -------
    pandas.DataFrame
        One row per host with the columns of :data:`SCREEN_COLUMNS`.

    References
    ----------
    Seed 001 Fig. 3f and Methods (59,524 Materials Project entries in the paper).
    """
    import pandas as pd

    if n_jobs < 1:
        raise ParameterError("n_jobs", n_jobs, "an integer >= 1")
    if batch_hosts < 1:
        raise ParameterError("batch_hosts", batch_hosts, "an integer >= 1")
    k_grid = sorted(set(_check_k(k_eff_GPa))) if len(k_eff_GPa) else []
    table = as_entry_table(entries)
    host_idx = None if hosts is None else sorted({table.find_host(h) for h in hosts})
    systems = screen_systems(table, host_idx)
    batches: list[list[tuple[int, list[int]]]] = []
    cur: list[tuple[int, list[int]]] = []
    n_cur = 0
    for s in systems:
        cur.append(s)
        n_cur += len(s[1])
        if n_cur >= batch_hosts:
            batches.append(cur)
            cur, n_cur = [], 0
    if cur:
        batches.append(cur)

    parts_dir = None
    done: set[int] = set()
    if out_dir is not None:
        out = Path(out_dir)
        parts_dir = out / "parts"
        parts_dir.mkdir(parents=True, exist_ok=True)
        manifest = {"fingerprint": _fingerprint(table), "n_batches": len(batches),
                    "batch_hosts": batch_hosts, "stop_modulus": stop_modulus,
                    "k_eff_GPa": k_grid, "voltage_range_V": None if voltage_range_V is None
                    else list(voltage_range_V),
                    "hosts": None if hosts is None else sorted(map(str, hosts))}
        mpath = out / "manifest.json"
        if mpath.exists():
            old = json.loads(mpath.read_text())
            if old != manifest:
                raise InputError(
                    f"{out}: holds a screening of different input or settings "
                    f"({mpath}); use another --out directory or delete it")
        else:
            _atomic_write_text(mpath, json.dumps(manifest, indent=1))
        for p in parts_dir.glob("part-*.parquet"):
            done.add(int(p.stem.split("-")[1]))

    todo = [b for b in range(len(batches)) if b not in done]
    bar = None
    if progress is True:
        from sianode.progress import Progress

        bar = Progress(sum(len(h) for _, h in systems), "screen", unit="host")
        bar.set(sum(len(h) for b in done for _, h in batches[b]))
    frames: dict[int, pd.DataFrame] = {}

    def _collect(b: int, cols: dict[str, list]) -> None:
        df = pd.DataFrame(cols)
        if parts_dir is not None:  # unique temporary name: concurrent runs never collide
            with atomic_path(parts_dir / f"part-{b:06d}.parquet") as tmp:
                df.to_parquet(tmp, index=False)
        else:
            frames[b] = df
        n = len(df)
        if bar is not None:
            bar.update(n)
        elif callable(progress):
            progress(n)

    from sianode.parallel import open_backend

    with open_backend(n_jobs, scheduler=scheduler) as backend:
        for k, cols in backend.map_unordered(_solve_batch, [batches[b] for b in todo],
                                             initializer=_init_worker,
                                             initargs=(table, stop_modulus, k_grid,
                                                                voltage_range_V)):
            _collect(todo[k], cols)
    if bar is not None:
        bar.close()

    if parts_dir is not None:
        parts = sorted(parts_dir.glob("part-*.parquet"))
        result = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True) if parts \
            else pd.DataFrame(columns=list(SCREEN_COLUMNS))
        with atomic_path(Path(out_dir) / "screen.parquet") as tmp:
            result.to_parquet(tmp, index=False)
    else:
        result = pd.concat([frames[b] for b in sorted(frames)], ignore_index=True) if frames \
            else pd.DataFrame(columns=list(SCREEN_COLUMNS))
    return result


def _atomic_write_text(path: Path, text: str) -> None:
    from sianode.atomic import write_text

    write_text(path, text)
