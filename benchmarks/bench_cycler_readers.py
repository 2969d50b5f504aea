"""Time sianode's cycler readers against the peer approach on the same files.

- Arbin CSV: ``read_arbin`` (validated tidy frame) vs bare ``pandas.read_csv``.
- EC-Lab .mpt: ``read_mpt`` vs galvani's ``MPTfile``.
- Per-cycle capacities: ``cycle_capacities`` vs a pandas groupby on Arbin's own counters.

Run: ``PYTHONPATH=src python benchmarks/bench_cycler_readers.py [n_cycles]``.
"""

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from sianode.experiments.cycling import cycle_capacities
from sianode.experiments.io import read_arbin, read_mpt
from sianode.experiments.io.layouts import write_arbin_csv, write_mpt
from sianode.experiments.synthetic import synthetic_cycling


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    df = synthetic_cycling([1.0] * n, [0.99] * n, 1e-3, "half", dt_s=1.0)
    tmp = Path(tempfile.mkdtemp())
    csv_path, mpt_path = tmp / "arbin.csv", tmp / "cell.mpt"
    write_arbin_csv(df, csv_path)
    write_mpt(df, mpt_path)
    print(f"{len(df)} records, {n} cycles")
    ours = best_of(lambda: read_arbin(csv_path))
    peer = best_of(lambda: pd.read_csv(csv_path))
    print(f"Arbin CSV   sianode {ours:.3f} s  pandas.read_csv {peer:.3f} s  ratio {ours / peer:.2f}")
    try:
        from galvani import BioLogic

        ours = best_of(lambda: read_mpt(mpt_path))
        peer = best_of(lambda: BioLogic.MPTfile(str(mpt_path)))
        print(f"EC-Lab .mpt sianode {ours:.3f} s  galvani.MPTfile {peer:.3f} s  "
              f"ratio {ours / peer:.2f}")
    except ImportError:
        print("galvani not installed: .mpt comparison skipped")
    tidy = read_arbin(csv_path)
    raw = pd.read_csv(csv_path)
    ours = best_of(lambda: cycle_capacities(tidy, "half"))
    peer = best_of(lambda: raw.groupby("Cycle_Index")[["Charge_Capacity(Ah)",
                                                        "Discharge_Capacity(Ah)"]].max())
    print(f"capacities  sianode {ours:.3f} s  pandas groupby on counters {peer:.3f} s  "
          f"ratio {ours / peer:.2f}")


if __name__ == "__main__":
    main()
