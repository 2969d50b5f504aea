"""Generate synthetic entry tables (id, formula, energy_eV, volume_A3, band_gap_eV).

``generate``: MP-scale sets. Chemical systems of 1-3 non-Li elements (+ Li) drawn from ~60
elements; each system gets compounds of small integer stoichiometry with and without Li,
formation energies in [-0.6, +0.1] eV/atom and volumes near the composition-weighted
elemental volumes. Elemental references (two polymorphs each) are shared.

``generate_mp_like``: the harder, Materials-Project-like mix: quaternary and quinary Li
systems (Li + 3 or 4 other elements) of 50-300 entries each, populated the way MP is: every
sub-system (binaries, ternaries, ...) carries its own compounds, several polymorphs per
composition, most of them above the hull. Hulls then have many facets and the per-host
``PhaseDiagram`` route is at its slowest.

Reproducible from ``--seed``.

    python benchmarks/generate_entries.py --entries 150000 --out results/mp_scale.parquet
    python benchmarks/generate_entries.py --mp-like 24 --out results/mp_like.parquet
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd

POOL = ["Si", "Ge", "Sn", "Mg", "Al", "Ag", "Zn", "In", "Ga", "Cu", "Ti", "Sb", "Bi", "Au",
        "Pb", "Ca", "Sr", "Ba", "Na", "K", "B", "C", "N", "O", "P", "S", "Se", "Te", "F", "Cl",
        "Mn", "Fe", "Co", "Ni", "Zr", "Nb", "Mo", "Cd", "Hg", "Pt", "Pd", "La", "Y", "Sc", "V",
        "Cr", "Ir", "Rh", "Ru", "W", "Ta", "Hf", "As", "Br", "I", "Tl", "Be", "Ce", "Nd", "Rb"]


def generate(n_entries: int = 150_000, seed: int = 0, per_system: int = 18) -> pd.DataFrame:
    """The synthetic table (see module docstring)."""
    rng = np.random.default_rng(seed)
    e_el = dict(zip(POOL, rng.uniform(-9.0, -1.0, len(POOL)), strict=True))
    v_el = dict(zip(POOL, rng.uniform(10.0, 40.0, len(POOL)), strict=True))
    e_el["Li"], v_el["Li"] = -1.909, 20.3
    ids, formulas, energies, volumes, gaps = [], [], [], [], []
    for el in ["Li", *POOL]:
        for tag, de, fv in (("a", 0.0, 1.0), ("b", 0.05, 0.95)):
            ids.append(f"gen-{el}-{tag}")
            formulas.append(el)
            energies.append(e_el[el] + de)
            volumes.append(v_el[el] * fv)
            gaps.append(0.0)
    s = 0
    while len(ids) < n_entries:
        k = int(rng.integers(1, 4))
        els = list(rng.choice(POOL, size=k, replace=False))
        for c in range(per_system):
            amounts = {el: int(rng.integers(1, 5)) for el in els if k == 1 or rng.random() < 0.8}
            if not amounts:
                amounts = {els[0]: 1}
            if rng.random() < 0.7:
                amounts["Li"] = int(rng.integers(1, 9))
            n = sum(amounts.values())
            e_ref = sum(a * e_el[el] for el, a in amounts.items())
            v_ref = sum(a * v_el[el] for el, a in amounts.items())
            ids.append(f"gen-{s}-{c}")
            formulas.append("".join(f"{el}{a}" for el, a in amounts.items()))
            energies.append(e_ref + n * rng.uniform(-0.6, 0.1))
            volumes.append(v_ref * rng.uniform(0.85, 1.2))
            gaps.append(float(rng.choice([0.0, 0.0, 0.5, 2.0])))
        s += 1
    return pd.DataFrame({"id": ids, "formula": formulas, "energy_eV": energies,
                         "volume_A3": volumes, "band_gap_eV": gaps}).iloc[:n_entries]


def _elemental(rng: np.random.Generator) -> tuple[dict[str, float], dict[str, float]]:
    e_el = dict(zip(POOL, rng.uniform(-9.0, -1.0, len(POOL)), strict=True))
    v_el = dict(zip(POOL, rng.uniform(10.0, 40.0, len(POOL)), strict=True))
    e_el["Li"], v_el["Li"] = -1.909, 20.3
    return e_el, v_el


def generate_mp_like(n_systems: int = 24, seed: int = 0, min_entries: int = 50,
                     max_entries: int = 300) -> pd.DataFrame:
    """Quaternary and quinary Li systems of ``min_entries``-``max_entries`` entries each.

    Each system Li + 3 or 4 elements (half each; elements spread so that systems rarely
    share a sub-system other than Li-X) gets a target size drawn uniformly from
    [min_entries, max_entries], shared over its sub-systems that contain at least two
    elements in proportion to the number of elements (a quinary holds more quaternary than
    binary compounds); every composition has 1-3 polymorphs (+0-60 meV/atom). Elemental
    references are the same for all systems. Returns the table with a ``system`` column.
    """
    rng = np.random.default_rng(seed)
    e_el, v_el = _elemental(rng)
    rows: list[tuple] = []
    for el in ["Li", *POOL]:
        rows.append((f"ml-{el}", el, e_el[el], v_el[el], 0.0, "elements"))
    used = dict.fromkeys(POOL, 0)  # spread elements over systems: little sharing of sub-systems
    for s in range(n_systems):
        k = 3 + s % 2
        least = min(used.values())
        pool = [el for el, u in used.items() if u == least]
        if len(pool) < k:
            pool += [el for el, u in used.items() if u == least + 1]
        picked = [str(x) for x in rng.choice(pool, size=k, replace=False)]
        for el in picked:
            used[el] += 1
        els = ["Li", *picked]
        system = "-".join(sorted(els))
        target = int(rng.integers(min_entries, max_entries + 1)) - (k + 1)
        subs = [c for r in range(2, k + 2) for c in itertools.combinations(els, r)]
        weights = np.array([len(c) ** 2 for c in subs], dtype=float)
        counts = rng.multinomial(target, weights / weights.sum())
        n = 0
        for sub, count in zip(subs, counts, strict=True):
            made = 0
            while made < count:
                amounts = {el: int(rng.integers(1, 7 if el == "Li" else 5)) for el in sub}
                n_at = sum(amounts.values())
                e_ref = sum(a * e_el[el] for el, a in amounts.items())
                v_ref = sum(a * v_el[el] for el, a in amounts.items())
                e_form = rng.uniform(-0.5, 0.05)
                for poly in range(min(int(rng.integers(1, 4)), count - made)):
                    rows.append((f"ml-{s}-{n}", "".join(f"{el}{a}" for el, a in amounts.items()),
                                 e_ref + n_at * (e_form + (0.0 if poly == 0 else
                                                           rng.uniform(0.0, 0.06))),
                                 v_ref * rng.uniform(0.85, 1.2),
                                 float(rng.choice([0.0, 0.0, 0.5, 2.0])), system))
                    n += 1
                    made += 1
    df = pd.DataFrame(rows, columns=["id", "formula", "energy_eV", "volume_A3", "band_gap_eV",
                                     "system"])
    return df


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=150_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mp-like", type=int, default=None, metavar="N_SYSTEMS",
                    help="write the quaternary/quinary MP-like mix of N systems instead")
    ap.add_argument("--out", default="results/mp_scale.parquet")
    a = ap.parse_args()
    t = time.perf_counter()
    df = generate(a.entries, a.seed) if a.mp_like is None else generate_mp_like(a.mp_like,
                                                                                a.seed)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(a.out, index=False)
    print(f"{len(df)} entries over {df['id'].str.split('-').str[1].nunique()} systems "
          f"-> {a.out} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
