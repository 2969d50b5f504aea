"""`sianode constrain` on every built-in host: the engine's own hull vs the pymatgen route.

For each host (every built-in entry that is not pure Li) and K_eff = 0, 1, 2, 3, 4, 5 GPa the
engine's profile (:meth:`sianode.thermo.LithiationEngine.profiles`, what ``sianode constrain``
runs) is compared with the pymatgen route: one ``PhaseDiagram`` of the K_eff-penalised
entries of the host's system and ``get_element_profile(Li, host)`` per K_eff. Prints the
time of both, the ratio, and the number of profiles that disagree (plateau voltages within
1e-7 V, Li bounds within 1e-6, same products).

    python benchmarks/constrain_vs_pymatgen.py
    python benchmarks/constrain_vs_pymatgen.py --source entries.parquet --hosts 100
"""

from __future__ import annotations

import argparse
import time

K_GRID = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def pymatgen_profiles(entries, host, k_grid):
    from pymatgen.analysis.phase_diagram import PhaseDiagram
    from pymatgen.core import Element
    from pymatgen.entries.computed_entries import ComputedEntry

    from sianode import units
    from sianode.materials.entries import entry_volume_A3

    els = {e.symbol for e in host.composition.elements} | {"Li"}
    sub = [e for e in entries if {x.symbol for x in e.composition.elements} <= els]
    li = Element("Li")
    comp = host.composition.reduced_composition
    out = []
    for k in k_grid:
        k_ev = float(units.gpa_to_ev_per_a3(k))
        pen = [ComputedEntry(e.composition, float(e.energy) + (
            0.0 if e.composition.reduced_formula == "Li" else k_ev * entry_volume_A3(e)),
            entry_id=e.entry_id) for e in sub]
        pd = PhaseDiagram(pen)
        mu_ref = pd.el_refs[li].energy_per_atom
        prof = sorted(pd.get_element_profile(li, comp), key=lambda a: a["evolution"])
        steps = []
        for a, b in zip(prof[:-1], prof[1:], strict=True):
            v = mu_ref - a["chempot"]
            lo, hi = max(a["evolution"], 0.0), b["evolution"]
            if v <= 1e-9 or hi - lo <= 1e-6:
                continue
            steps.append((float(v), float(lo), float(hi),
                          tuple(sorted({x.composition.reduced_formula for x in b["entries"]}))))
        out.append(steps)
    return out


def agree(ours, peer) -> bool:
    return len(ours.steps) == len(peer) and all(
        abs(s.voltage_V - v) < 1e-7 and abs(s.li_start - lo) < 1e-6
        and abs(s.li_end - hi) < 1e-6 and s.products == pr
        for s, (v, lo, hi, pr) in zip(ours.steps, peer, strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default="builtin")
    ap.add_argument("--hosts", type=int, default=None, help="only the first N hosts")
    a = ap.parse_args()
    from sianode.materials.entries import load_entries, load_entry_table
    from sianode.thermo import LithiationEngine

    t = time.perf_counter()
    table = load_entry_table(a.source)
    t_load = time.perf_counter() - t
    hosts = [i for i, m in enumerate(table.mask) if m != 1][: a.hosts]
    t = time.perf_counter()
    eng = LithiationEngine(table)
    ours = {}
    for i in hosts:
        ours[table.ids[i]] = eng.profiles(table.ids[i], K_GRID)
    t_ours = time.perf_counter() - t
    print(f"{len(hosts)} hosts x {len(K_GRID)} K_eff; table loaded in {t_load * 1e3:.0f} ms")
    print(f"sianode (engine hull):  {t_ours:7.2f} s  ({t_ours / len(hosts) * 1e3:6.2f} ms/host)")

    entries = load_entries(a.source)
    by_id = {e.entry_id: e for e in entries}
    t = time.perf_counter()
    bad = []
    for hid, profs in ours.items():
        peer = pymatgen_profiles(entries, by_id[hid], K_GRID)
        bad += [(hid, p.k_eff_GPa) for p, q in zip(profs, peer, strict=True) if not agree(p, q)]
    t_peer = time.perf_counter() - t
    print(f"pymatgen PhaseDiagram:  {t_peer:7.2f} s  ({t_peer / len(hosts) * 1e3:6.2f} ms/host)")
    n_steps = sum(len(p.steps) for profs in ours.values() for p in profs)
    print(f"profiles compared: {len(hosts) * len(K_GRID)} ({n_steps} plateaus); "
          f"disagreements: {len(bad)} {bad[:5] if bad else ''}")
    print(f"speedup: {t_peer / t_ours:.0f}x")


if __name__ == "__main__":
    main()
