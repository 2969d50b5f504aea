"""Screening speed: sianode's per-system engine vs the per-host pymatgen route.

The peer route is what one writes with pymatgen alone: for every host, a ``PhaseDiagram`` of
its chemical system (host elements + Li) and ``get_element_profile(Li, host)``; products and
0 V voltage from the last step (:func:`sianode.testing.pymatgen_lithiation`). Both run on the
same entries in one process; products, Li uptake and voltages are checked to agree.

    python benchmarks/screen_vs_pymatgen.py                 # mid-size set, every host both
                                                            # ways, then the MP-like set
    python benchmarks/screen_vs_pymatgen.py --scale mp      # ~150k entries: ours on all hosts,
                                                            # pymatgen on a random sample,
                                                            # extrapolated per host
The MP-like set (:func:`generate_entries.generate_mp_like`: 24 quaternary and quinary Li
systems of 50-300 entries each) is the hard case: big hulls with many facets. pymatgen runs
on a random sample of its hosts (``--sample``) and is extrapolated per host. Each set prints
``speedup (<set>): <ratio>x``; any disagreement stops the script.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from generate_entries import generate, generate_mp_like

from sianode.materials.entries import entries_from_table
from sianode.testing import pymatgen_lithiation
from sianode.thermo.screen import screen
from sianode.thermo.system import EntryTable


def _peer(hosts, entries_by_id, entries):
    by_sys: dict[frozenset, list] = {}
    for e in entries:
        by_sys.setdefault(frozenset(x.symbol for x in e.composition.elements), []).append(e)

    def subset(els):  # sub-system lookup, as sianode does
        out = []
        for r in range(1, len(els) + 1):
            for combo in itertools.combinations(sorted(els), r):
                out.extend(by_sys.get(frozenset(combo), ()))
        return out

    res = {}
    t = time.perf_counter()
    for hid in hosts:
        h = entries_by_id[hid]
        els = frozenset(x.symbol for x in h.composition.elements) | {"Li"}
        res[hid] = pymatgen_lithiation(h, subset(els))
    return res, time.perf_counter() - t


def _compare(ours, peer) -> int:
    bad = 0
    for hid, p in peer.items():
        row = ours.loc[hid]
        n_ok = abs(row["li_per_formula_unit"] - p["li_per_formula_unit"]) < 1e-6
        v_ok = p["voltage_V"] is None or abs(row["voltage_V"] - p["voltage_V"]) < 1e-6
        prods = set(row["products"].split("+")) if row["products"] else set()
        if not (n_ok and v_ok and prods == set(p["products"])):
            bad += 1
    return bad


def run_set(name: str, df, jobs: int, sample: int | None, seed: int = 0) -> float:
    """Screen ``df`` with sianode (every host) and pymatgen (every host or a sample)."""
    print(f"[{name}] entries: {len(df)}")
    t0 = time.perf_counter()
    table = EntryTable.from_frame(df)
    t1 = time.perf_counter()
    ours = screen(table, n_jobs=jobs, batch_hosts=5000)
    t2 = time.perf_counter()
    ours = ours.set_index("id")
    n_hosts = len(ours)
    print(f"[{name}] sianode: table {t1 - t0:.2f} s + screen {t2 - t1:.2f} s ({jobs} processes)"
          f" = {t2 - t0:.2f} s for {n_hosts} hosts ({(t2 - t0) / n_hosts * 1e6:.0f} us/host)")
    rng = np.random.default_rng(seed)
    hosts = ours.index.to_numpy()
    picked = hosts if sample is None or sample >= len(hosts) else \
        rng.choice(hosts, size=sample, replace=False)
    entries = entries_from_table(df, source="generated")
    by_id = {e.entry_id: e for e in entries}
    peer, t_peer = _peer(list(picked), by_id, entries)
    per_host = t_peer / len(picked)
    bad = _compare(ours, peer)
    print(f"[{name}] pymatgen per-host route: {t_peer:.2f} s for {len(picked)} hosts "
          f"({per_host * 1e3:.1f} ms/host); disagreements: {bad}")
    if bad:
        raise SystemExit(f"{bad} hosts disagree between sianode and pymatgen ({name})")
    peer_total = per_host * n_hosts
    if len(picked) < n_hosts:
        print(f"[{name}] pymatgen extrapolated to all {n_hosts} hosts: {peer_total:.1f} s")
    speedup = peer_total / (t2 - t0)
    print(f"speedup ({name}): {speedup:.0f}x")
    return speedup


def main() -> None:
    ap = argparse.ArgumentParser(description="sianode screening vs per-host pymatgen")
    ap.add_argument("--scale", choices=["mid", "mp"], default="mid")
    ap.add_argument("--entries", type=int, default=None)
    ap.add_argument("--sample", type=int, default=300,
                    help="pymatgen hosts sampled (mp scale and the MP-like set)")
    ap.add_argument("--mp-like-systems", type=int, default=24,
                    help="systems in the MP-like set (0: skip it)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args()
    n = a.entries or (150_000 if a.scale == "mp" else 4_000)
    run_set(f"{a.scale} set", generate(n, seed=1), a.jobs,
            None if a.scale == "mid" else a.sample)
    if a.mp_like_systems:
        df = generate_mp_like(a.mp_like_systems, seed=1).drop(columns=["system"])
        run_set("MP-like quaternary/quinary set", df, a.jobs, a.sample)


if __name__ == "__main__":
    main()
