"""Screening on a Dask LocalCluster vs the local process pool, and the capacity-plan inputs.

One run, side by side on the same MP-like generated set (``generate_entries.generate`` plus
quaternary and quinary Li systems of 50-300 entries each, as in MP):

1. the screen in this process (``--jobs 1``): per-host cost;
2. the local process pool (``--jobs N``, forked: inherits this process's imports) and a Dask
   ``LocalCluster`` of N worker processes (``--dask N``; start-up timed apart; first run on
   fresh workers and a second, warm run); the tables must be identical; prints the ratios;
3. task overheads: no-op tasks through the pool and through Dask;
4. bytes on the wire: the entry table (once per worker), a task's batch, a task's result;
5. with ``--relax``: SevenNet-0 model load and relaxation of small cells on one core.

    OMP_NUM_THREADS=1 python benchmarks/screen_dask.py --entries 30000 --workers 2 --relax

Writes every figure to ``--out`` (JSON) for benchmarks/README.md's capacity plan.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import numpy as np
import pandas as pd


def hard_systems(n_systems: int, seed: int, base_seed: int) -> pd.DataFrame:
    """Quaternary/quinary Li systems with 50-300 entries each (MP's large systems).

    Element energies and volumes are the base set's (same draws as ``generate``), so the
    systems share the base set's elemental references.
    """
    from generate_entries import POOL

    base = np.random.default_rng(base_seed)
    e_el = dict(zip(POOL, base.uniform(-9.0, -1.0, len(POOL)), strict=True))
    v_el = dict(zip(POOL, base.uniform(10.0, 40.0, len(POOL)), strict=True))
    e_el["Li"], v_el["Li"] = -1.909, 20.3
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_systems):
        k = int(rng.integers(3, 5))  # 3-4 non-Li elements: Li quaternaries and quinaries
        els = list(rng.choice(POOL, size=k, replace=False))
        for c in range(int(rng.integers(50, 301))):
            amounts = {el: int(rng.integers(1, 5)) for el in els if rng.random() < 0.75}
            if len(amounts) < 2:
                amounts = {els[0]: 1, els[1]: int(rng.integers(1, 4))}
            if rng.random() < 0.6:
                amounts["Li"] = int(rng.integers(1, 9))
            n = sum(amounts.values())
            e_ref = sum(a * e_el[el] for el, a in amounts.items())
            v_ref = sum(a * v_el[el] for el, a in amounts.items())
            rows.append((f"hard-{s}-{c}", "".join(f"{el}{a}" for el, a in amounts.items()),
                         e_ref + n * rng.uniform(-0.6, 0.1), v_ref * rng.uniform(0.85, 1.2),
                         float(rng.choice([0.0, 0.5, 2.0]))))
    return pd.DataFrame(rows, columns=["id", "formula", "energy_eV", "volume_A3", "band_gap_eV"])


def mp_like_set(n_entries: int, n_hard: int, seed: int) -> pd.DataFrame:
    import generate_entries

    maker = getattr(generate_entries, "generate_mp_like", None)  # issue 13's, when it lands
    if maker is not None:
        return maker(n_entries, seed)
    return pd.concat([generate_entries.generate(n_entries, seed),
                      hard_systems(n_hard, seed + 1, seed)], ignore_index=True)


def cold(table):
    """``table`` without the per-system blocks an earlier screen cached on it: each route
    starts as a fresh command would (forked pool workers would inherit a warm cache, and a
    warm table pickles 40 % larger)."""
    import copy

    t = copy.copy(table)
    for k in [k for k in t.__dict__ if k.startswith("_")]:
        del t.__dict__[k]
    return t


def _noop(x):
    return x


def task_overhead_s(backend, n: int) -> float:
    items = list(range(n))
    t = time.perf_counter()
    assert sorted(i for i, _ in backend.map_unordered(_noop, items)) == items
    return (time.perf_counter() - t) / n


def _processing_counts(dask_scheduler) -> dict:
    """Scheduler side: how many times each task key was sent to a worker."""
    counts: dict = {}
    for rec in dask_scheduler.transition_log:
        if rec[2] == "processing":
            counts[rec[0]] = counts.get(rec[0], 0) + 1
    return counts


def kill_run(be, table, serial, kw) -> dict:
    """Screen on Dask, SIGKILL one worker process after the first finished part."""
    import signal
    import tempfile

    from sianode.thermo.screen import screen

    victim = next(iter(be.client.run(os.getpid).values()))
    seen: list[int] = []

    def kill_after_first(n_rows: int) -> None:
        seen.append(n_rows)
        if len(seen) == 1:
            os.kill(victim, signal.SIGKILL)

    before = be.client.run_on_scheduler(_processing_counts)
    with tempfile.TemporaryDirectory() as out:
        got = screen(cold(table), out_dir=out, scheduler=be, progress=kill_after_first, **kw)
        n_parts = len(list(Path(out, "parts").glob("part-*.parquet")))
    after = be.client.run_on_scheduler(_processing_counts)
    rerun = sum(1 for k, c in after.items() if c - before.get(k, 0) > 1)
    ids = set(serial["id"])
    return {"parts": n_parts, "parts_done_when_killed": 1, "tasks_sent_twice": rerun,
            "rows_lost": len(ids - set(got["id"])), "rows_duplicated": int(got["id"].duplicated()
                                                                          .sum()),
            "identical_to_serial": bool(got.equals(serial))}


def relax_costs() -> dict:
    """SevenNet-0 on one core: model load, then relaxations of small cells (fmax 0.02)."""
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    from sianode.materials.calculators import get_calculator
    from sianode.materials.relax import relax_structure
    from sianode.materials.structures_lisi import build_structure

    t, c = time.perf_counter(), time.process_time()
    calc = get_calculator("7net-0")
    out = {"model_load_s": time.perf_counter() - t, "model_load_cpu_s": time.process_time() - c,
           "relax": []}
    cells = []
    for name in ("Si", "Li13Si4"):
        cells.append((f"{name} primitive",
                      SpacegroupAnalyzer(build_structure(name), 1e-3)
                      .get_primitive_standard_structure()))
    si8 = build_structure("Si")
    si8.perturb(0.05, min_distance=0.0)
    si8.apply_strain(0.02)
    cells.append(("Si 8-atom, rattled 0.05 Å, +2 % strain", si8))
    relax_structure(cells[0][1], calc, fmax=0.02)  # first call: graph set-up, not counted
    for label, s in cells:
        t, c = time.perf_counter(), time.process_time()
        e = relax_structure(s, calc, fmax=0.02, max_steps=300, fix_symmetry=False)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        steps = max(e.data["relax_steps"], 1)
        out["relax"].append({"cell": label, "atoms": len(s), "seconds": dt, "cpu_s": dc,
                             "steps": e.data["relax_steps"], "cpu_s_per_step": dc / steps})
        print(f"  7net-0 relax {label:40s} {len(s):3d} atoms {e.data['relax_steps']:4d} steps "
              f"{dt:7.2f} s wall, {dc:7.2f} s CPU ({dc / steps:.3f} s CPU/step)")
    print(f"  7net-0 model load {out['model_load_s']:.2f} s wall, "
          f"{out['model_load_cpu_s']:.2f} s CPU")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=30_000,
                    help="entries of the base generated set")
    ap.add_argument("--hard-systems", type=int, default=24,
                    help="added quaternary/quinary Li systems (50-300 entries each)")
    ap.add_argument("--workers", type=int, default=2, help="pool processes and Dask workers")
    ap.add_argument("--batch-hosts", type=int, default=1000, help="hosts per task")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--noop-tasks", type=int, default=300, help="tasks of the overhead test")
    ap.add_argument("--relax", action="store_true", help="also time SevenNet-0 relaxations")
    ap.add_argument("--relax-only", action="store_true", help="only the SevenNet-0 timings")
    ap.add_argument("--out", default="results/screen_dask.json")
    a = ap.parse_args()

    from sianode.parallel import open_backend
    from sianode.thermo.screen import _solve_batch, screen, screen_systems
    from sianode.thermo.system import EntryTable

    res: dict = {"load_average": os.getloadavg(), "cpus": os.cpu_count(),
                 "workers": a.workers, "batch_hosts": a.batch_hosts}
    if a.relax_only:
        res["sevennet"] = relax_costs()
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(json.dumps(res, indent=1, default=float))
        return
    df = mp_like_set(a.entries, a.hard_systems, a.seed)
    t = time.perf_counter()
    table = EntryTable.from_frame(df)
    res["table_build_s"] = time.perf_counter() - t
    systems = screen_systems(table)
    n_hosts = sum(len(h) for _, h in systems)
    sizes = np.array([bin(m).count("1") for m, _ in systems])
    res.update(n_entries=len(df), n_hosts=n_hosts, n_systems=len(systems),
               systems_with_4plus_elements=int((sizes >= 4).sum()))
    print(f"set: {len(df)} entries, {n_hosts} hosts in {len(systems)} chemical systems "
          f"({res['systems_with_4plus_elements']} with >= 4 elements incl. Li); "
          f"load average {res['load_average'][0]:.1f} on {res['cpus']} CPUs")

    kw = {"batch_hosts": a.batch_hosts}
    t, c = time.perf_counter(), time.process_time()
    serial = screen(cold(table), **kw)
    res["serial_s"], res["serial_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    res["per_host_ms"] = 1e3 * res["serial_s"] / n_hosts
    res["per_host_cpu_ms"] = 1e3 * res["serial_cpu_s"] / n_hosts
    print(f"this process      : {res['serial_s']:8.2f} s  ({res['per_host_ms']:.3f} ms/host; "
          f"CPU {res['per_host_cpu_ms']:.3f} ms/host)")

    t = time.perf_counter()
    pool = screen(cold(table), n_jobs=a.workers, **kw)
    res["pool_s"] = time.perf_counter() - t
    print(f"local pool of {a.workers}   : {res['pool_s']:8.2f} s")

    t = time.perf_counter()
    with open_backend(dask_workers=a.workers) as be:
        res["dask_start_s"] = time.perf_counter() - t
        t = time.perf_counter()
        dask = screen(cold(table), scheduler=be, **kw)
        res["dask_cold_s"] = time.perf_counter() - t
        t = time.perf_counter()
        dask = screen(cold(table), scheduler=be, **kw)
        res["dask_s"] = time.perf_counter() - t
        print(f"Dask LocalCluster : {res['dask_s']:8.2f} s warm; {res['dask_cold_s']:.2f} s on "
              f"fresh workers (imports); cluster start-up {res['dask_start_s']:.2f} s")
        res["dask_task_overhead_ms"] = 1e3 * task_overhead_s(be, a.noop_tasks)
        k = res["worker_kill"] = kill_run(be, table, serial, kw)
        print(f"worker killed     : after the first of {k['parts']} parts; tasks sent twice "
              f"{k['tasks_sent_twice']}; rows lost {k['rows_lost']}, duplicated "
              f"{k['rows_duplicated']}; identical to serial: {k['identical_to_serial']}")
    with open_backend(a.workers) as be:
        res["pool_task_overhead_ms"] = 1e3 * task_overhead_s(be, a.noop_tasks)
    res["identical"] = bool(serial.equals(pool) and serial.equals(dask))
    if not res["identical"]:
        pd.testing.assert_frame_equal(serial, dask)
        pd.testing.assert_frame_equal(serial, pool)

    per_host = len(pickle.dumps(systems, protocol=5)) / n_hosts
    res["wire_bytes"] = {
        "entry_table_once_per_worker": len(pickle.dumps(cold(table), protocol=5)),
        "per_entry_in_table": len(pickle.dumps(cold(table), protocol=5)) / len(df),
        "task_batch_mean": per_host * a.batch_hosts,
    }
    from sianode.thermo import screen as screen_mod

    screen_mod._init_worker(table, False)
    cols = _solve_batch(systems[:50])
    res["wire_bytes"]["result_per_host"] = len(pickle.dumps(cols, protocol=5)) / len(cols["id"])

    res["ratio_pool_over_dask"] = res["pool_s"] / res["dask_s"]
    res["ratio_pool_over_dask_cold"] = res["pool_s"] / res["dask_cold_s"]
    print(f"task overhead     : pool {res['pool_task_overhead_ms']:.2f} ms, "
          f"Dask {res['dask_task_overhead_ms']:.2f} ms per task (no-op, {a.noop_tasks} tasks)")
    w = res["wire_bytes"]
    print(f"on the wire       : entry table {w['entry_table_once_per_worker'] / 1e6:.1f} MB once "
          f"per worker ({w['per_entry_in_table']:.0f} B/entry), "
          f"~{w['task_batch_mean'] / 1e3:.1f} kB per {a.batch_hosts}-host task, "
          f"{w['result_per_host']:.0f} B per host back")
    print(f"identical tables  : {res['identical']}")
    print(f"ratio local pool / Dask ({a.workers} workers each): "
          f"{res['ratio_pool_over_dask']:.2f} warm, {res['ratio_pool_over_dask_cold']:.2f} on "
          "fresh workers  (>1: Dask faster)")
    if a.relax:
        res["sevennet"] = relax_costs()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1, default=float))
    print(f"-> {a.out}")


if __name__ == "__main__":
    main()
