"""`sianode explore`'s curve precompute on an MP-scale set: the engine's hull vs pymatgen.

``sianode explore`` writes each chosen host's Fig. 3e curves (a constrained voltage profile
at every K_eff of ``--k-eff``, default 0-6 GPa) into the page through
:func:`sianode.plots.explorer.precompute_curves`, which calls
:meth:`sianode.thermo.LithiationEngine.profile` (the engine's own constrained hull) and, for
hosts without a stop modulus in the screen table, :meth:`~LithiationEngine.lithiate`.

On ``generate_entries.generate(150000)`` (binary Li-X systems of ~1,000 entries each), this
times the precompute for ``--hosts`` random hosts, and the pymatgen route (one
``PhaseDiagram`` of the K_eff-penalised entries of the host's system and
``get_element_profile(Li, host)`` per K_eff; ``constrain_vs_pymatgen.pymatgen_profiles``)
for the first ``--peer-hosts`` of them, and counts the profiles that disagree.

    python benchmarks/explore_curves.py                       # 300 hosts, pymatgen on 10
    python benchmarks/explore_curves.py --entries 20000 --hosts 100 --peer-hosts 20
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

K_GRID = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]  # sianode explore's default --k-eff


def main() -> None:
    from constrain_vs_pymatgen import agree, pymatgen_profiles
    from generate_entries import generate

    from sianode.plots.explorer import precompute_curves
    from sianode.thermo import LithiationEngine

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=150_000)
    ap.add_argument("--hosts", type=int, default=300)
    ap.add_argument("--peer-hosts", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    t = time.perf_counter()
    df = generate(a.entries, seed=0)
    eng = LithiationEngine(df, voltage_range_V=None)
    table = eng.table
    t_build = time.perf_counter() - t
    rng = np.random.default_rng(a.seed)
    cand = [i for i, m in enumerate(table.mask) if m & ~1]
    rows = sorted(int(i) for i in rng.choice(cand, size=min(a.hosts, len(cand)), replace=False))
    hosts = pd.DataFrame({"id": [table.ids[i] for i in rows]})
    sizes = [len(eng.members(table.mask[i] | 1)) for i in rows]
    print(f"{len(table)} entries (table + engine in {t_build:.1f} s); {len(rows)} hosts, "
          f"systems of {int(np.median(sizes))} entries (median, max {max(sizes)}), "
          f"K_eff {K_GRID} GPa")

    t = time.perf_counter()
    curves = precompute_curves(eng, hosts, range(len(rows)), K_GRID)
    t_ours = time.perf_counter() - t
    print(f"sianode precompute_curves: {t_ours:8.2f} s ({t_ours / len(rows) * 1e3:7.1f} ms/host, "
          "stop modulus included)")

    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry

    n_peer = min(a.peer_hosts, len(rows))
    bad, t_peer, n_prof = [], 0.0, 0
    for r in range(n_peer):
        i = rows[r]
        sub = eng.members(table.mask[i] | 1)
        entries = [ComputedEntry(Composition({table.elements[j]: x
                                              for j, x in table.comps[k].items()}),
                                 float(table.energy_eV[k]), entry_id=table.ids[k],
                                 data={"volume_A3": float(table.volume_A3[k])}) for k in sub]
        host = entries[sub.index(i)]
        t = time.perf_counter()
        peer = pymatgen_profiles(entries, host, K_GRID)
        t_peer += time.perf_counter() - t
        ours = [eng.profile(table.ids[i], k) for k in K_GRID]
        n_prof += len(K_GRID)
        bad += [(table.ids[i], k) for k, p, q in zip(K_GRID, ours, peer, strict=True)
                if not agree(p, q)]
        got = curves[r]["profiles"]
        assert [g[0] for g in got] == K_GRID
    if n_peer:
        per = t_peer / n_peer
        print(f"pymatgen PhaseDiagram:     {t_peer:8.2f} s ({per * 1e3:7.1f} ms/host, "
              f"{n_peer} hosts, profiles only)")
        print(f"profiles compared: {n_prof}; disagreements: {len(bad)} {bad[:5] if bad else ''}")
        print(f"speedup per host: {per / (t_ours / len(rows)):.0f}x")


if __name__ == "__main__":
    main()
