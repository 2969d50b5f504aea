"""Generate a synthetic, MP-scale entry table (id, formula, energy_eV, volume_A3, band_gap_eV).

Chemical systems of 1-3 non-Li elements (+ Li) drawn from ~60 elements; each system gets
compounds of small integer stoichiometry with and without Li, formation energies in
[-0.6, +0.1] eV/atom and volumes near the composition-weighted elemental volumes. Elemental
references (two polymorphs each) are shared. Reproducible from ``--seed``.

    python benchmarks/generate_entries.py --entries 150000 --out results/mp_scale.parquet
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=150_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="results/mp_scale.parquet")
    a = ap.parse_args()
    t = time.perf_counter()
    df = generate(a.entries, a.seed)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(a.out, index=False)
    print(f"{len(df)} entries over {df['id'].str.split('-').str[1].nunique()} systems "
          f"-> {a.out} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
