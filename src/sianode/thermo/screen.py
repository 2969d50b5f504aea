"""High-throughput screening of every host in a set of entries (seed 001 Fig. 3f).

Hosts are grouped by chemical system (host elements + Li); each system's entries are gathered
by sub-system lookup and its hull is built **once** for all its hosts
(:func:`sianode.thermo.system.solve_system`). Systems run in batches on local processes;
each finished batch is written atomically as one Parquet part, so an interrupted run resumes
where it stopped with no row lost or duplicated. A manifest fingerprints the input so parts of
a different input are never mixed in.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sianode import units
from sianode.errors import InputError, MissingTerminalError, ParameterError
from sianode.thermo.stop import stop_modulus_eV_A3
from sianode.thermo.system import EntryTable, solve_system, submasks, system_arrays

if TYPE_CHECKING:
    import pandas as pd
    from pymatgen.entries.computed_entries import ComputedEntry

__all__ = ["SCREEN_COLUMNS", "screen", "screen_systems"]

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
    "status": "'ok', 'no_reaction', or 'error: ...' (nothing is dropped)",
    "k_stop_GPa": "modulus at which all lithiation stops [GPa] (with stop_modulus=True)",
}

_WORKER: dict[str, Any] = {}


def _fingerprint(table: EntryTable) -> str:
    h = hashlib.sha256()
    h.update("|".join(table.ids).encode())
    h.update(np.ascontiguousarray(table.energy_eV).tobytes())
    h.update(np.ascontiguousarray(table.volume_A3).tobytes())
    return h.hexdigest()[:16]


def _init_worker(table: EntryTable, stop: bool) -> None:
    _WORKER["table"] = table
    _WORKER["groups"] = table.groups()
    _WORKER["stop"] = stop


def _solve_batch(systems: Sequence[tuple[int, Sequence[int]]]) -> dict[str, list]:
    table: EntryTable = _WORKER["table"]
    groups: dict[int, list[int]] = _WORKER["groups"]
    stop: bool = _WORKER["stop"]
    cols: dict[str, list] = defaultdict(list)
    for mask, hosts in systems:
        chemsys = "-".join(sorted(table.symbols_of(mask)))
        members = [i for sub in submasks(mask) for i in groups.get(sub, ())]
        try:
            sa = system_arrays(table, mask, members)
            sol = solve_system(table, mask, members, hosts, arrays=sa)
        except (MissingTerminalError, ArithmeticError) as exc:
            for h in hosts:
                _append_row(cols, table, h, chemsys, None, 0, f"error: {exc}", stop)
            continue
        for q, h in enumerate(hosts):
            ks = stop_modulus_eV_A3(sa, sa.local_of[h]) if stop else math.nan
            _append_row(cols, table, h, chemsys, sol, q, None, stop, ks)
    return dict(cols)


def _append_row(cols, table, h, chemsys, sol, q, error, stop, k_stop=math.nan) -> None:
    atoms = table.n_atoms[h]
    row: dict[str, Any] = {
        "id": table.ids[h], "formula": table.formulas[h], "chemsys": chemsys,
        "n_elements": len(table.comps[h]),
        "band_gap_eV": float(table.band_gap_eV[h]),
    }
    nan = math.nan
    if sol is None:
        row.update(li_per_host_atom=nan, li_per_formula_unit=nan, voltage_V=nan,
                   capacity_mAh_g=nan, reaction_energy_eV_per_atom=nan, reaction_strain=nan,
                   k_crit_GPa=nan, x_per_GPa=nan, xy_eV_per_GPa=nan, products="",
                   status=error)
    else:
        f = sol.nonli_frac[q]
        n = float(sol.d_li[q] * f)
        g = float(sol.g_eV[q] * f)
        dv = float(sol.dv_A3[q] * f)
        reacts = n > 1e-6
        atoms_fu = table.atoms_fu[h]
        mass_atom = table.mass_g_mol[h] / atoms
        volt = -g / n if reacts else nan
        kc = units.ev_per_a3_to_gpa(-g / dv) if (reacts and dv > 0 and g < 0) else nan
        x = n / kc if (reacts and kc > 0) else nan
        prods = sorted({table.formulas[j] for j, w in
                        zip(sol.product_idx[q], sol.product_w[q], strict=True) if w > 1e-9})
        row.update(
            li_per_host_atom=n if reacts else 0.0,
            li_per_formula_unit=n * atoms_fu if reacts else 0.0,
            voltage_V=volt,
            capacity_mAh_g=float(units.capacity_mAh_g(n, mass_atom)) if reacts else 0.0,
            reaction_energy_eV_per_atom=g if reacts else 0.0,
            reaction_strain=dv / (sol.u_host_A3[q] * f) if reacts else 0.0,
            k_crit_GPa=kc, x_per_GPa=x, xy_eV_per_GPa=x * volt if reacts else nan,
            products="+".join(prods) if reacts else "",
            status="ok" if reacts else "no_reaction",
        )
    if stop:
        row["k_stop_GPa"] = float(units.ev_per_a3_to_gpa(k_stop)) if sol is not None else nan
    for k, v in row.items():
        cols[k].append(v)


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
    entries: Sequence[ComputedEntry] | EntryTable,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    hosts: Sequence[str] | None = None,
    n_jobs: int = 1,
    batch_hosts: int = 2000,
    stop_modulus: bool = False,
    progress: bool | Callable[[int], None] = False,
) -> pd.DataFrame:
    """Screen every host (or the given host ids/formulas) for 0 V lithiation.

    Parameters
    ----------
    entries : sequence of ComputedEntry or EntryTable
    out_dir : path, optional
        Write ``parts/part-NNNNNN.parquet`` per batch (atomically) and ``screen.parquet``;
        an existing ``out_dir`` of the same input resumes, finished parts are kept.
    hosts : sequence of str, optional
        Host entry ids or formulas; default every entry that is not pure Li.
    n_jobs : int
        Local worker processes (1: in this process).
    batch_hosts : int
        Hosts per batch (a batch is the unit of resumption).
    stop_modulus : bool
        Also compute K_stop per host (one LP per ternary+ host; slower).
    progress : bool or callable
        Show a tqdm bar on stderr, or call ``progress(n_hosts_done)``.

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
    table = entries if isinstance(entries, EntryTable) else EntryTable.from_entries(entries)
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
        from tqdm.auto import tqdm

        bar = tqdm(total=sum(len(h) for _, h in systems), unit="host", desc="screen")
        bar.update(sum(len(h) for b in done for _, h in batches[b]))
    frames: dict[int, pd.DataFrame] = {}

    def _collect(b: int, cols: dict[str, list]) -> None:
        df = pd.DataFrame(cols)
        if parts_dir is not None:
            tmp = parts_dir / f".part-{b:06d}.parquet.tmp"
            df.to_parquet(tmp, index=False)
            os.replace(tmp, parts_dir / f"part-{b:06d}.parquet")
        else:
            frames[b] = df
        n = len(df)
        if bar is not None:
            bar.update(n)
        elif callable(progress):
            progress(n)

    if n_jobs == 1 or len(todo) <= 1:
        _init_worker(table, stop_modulus)
        for b in todo:
            _collect(b, _solve_batch(batches[b]))
    else:
        with ProcessPoolExecutor(max_workers=n_jobs, initializer=_init_worker,
                                 initargs=(table, stop_modulus)) as pool:
            for b, cols in zip(todo, pool.map(_solve_batch, [batches[b] for b in todo]),
                               strict=True):
                _collect(b, cols)
    if bar is not None:
        bar.close()

    if parts_dir is not None:
        parts = sorted(parts_dir.glob("part-*.parquet"))
        result = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True) if parts \
            else pd.DataFrame(columns=list(SCREEN_COLUMNS))
        tmp = Path(out_dir) / ".screen.parquet.tmp"
        result.to_parquet(tmp, index=False)
        os.replace(tmp, Path(out_dir) / "screen.parquet")
    else:
        result = pd.concat([frames[b] for b in sorted(frames)], ignore_index=True) if frames \
            else pd.DataFrame(columns=list(SCREEN_COLUMNS))
    return result


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
