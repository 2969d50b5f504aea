"""Time sianode's readers against the peer readers on the real instrument files.

For each file in ``tests/data/instruments``: sianode's ``read_cycler`` (validated BDF frame)
against the peer that installs beside sianode (galvani ``MPRfile`` for .mpr, NewareNDA and
fastnda for Neware, pandas.read_csv for CSV, access-parser's raw table for .res), best of
three, with the ratio ours/peer. navani pins numpy < 2 and cannot be installed beside
sianode: its Arbin .xlsx time, 0.49 s, is quoted from issue 11 beside ours.

Run: ``PYTHONPATH=src python benchmarks/bench_cycler_readers.py``.
"""

import time
import warnings
from pathlib import Path

import pandas as pd

from sianode.experiments.io import read_cycler, read_impedance

DATA = Path(__file__).parents[1] / "tests" / "data" / "instruments"
NAVANI_XLSX_S = 0.49  # issue 11: navani.echem_file_loader on navani_arbin.xlsx


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _peers(name):
    p = str(DATA / name)
    if name.endswith(".mpr"):
        from galvani import BioLogic
        return {"galvani.MPRfile": lambda: pd.DataFrame(BioLogic.MPRfile(p).data)}
    if name.endswith((".nda", ".ndax")):
        import fastnda
        import NewareNDA
        return {"NewareNDA.read": lambda: NewareNDA.read(p),
                "fastnda.read": lambda: fastnda.read(p).to_pandas()}
    if name.endswith(".res"):
        from access_parser import AccessParser
        return {"access-parser table": lambda: AccessParser(p).parse_table(
            "Channel_Normal_Table")}
    if name.endswith(".csv") and not name.startswith("imp_"):
        skip = 3 if "nw_ife" in name else 0
        return {"pandas.read_csv": lambda: pd.read_csv(p, skiprows=skip, header=None)}
    if name.startswith("imp_"):
        from impedance import preprocessing
        if name.endswith(".csv"):
            return {"impedance.readCSV": lambda: preprocessing.readCSV(p)}
        inst = "gamry" if name.endswith(".DTA") else "biologic"
        return {f"impedance.readFile({inst})": lambda: preprocessing.readFile(p, inst)}
    return {}


def main() -> None:
    warnings.simplefilter("ignore")
    print(f"{'file':30s} {'sianode s':>10s}  peer: time s (ours/peer)")
    for f in sorted(DATA.iterdir()):
        if f.suffix in (".tsv", ".json", ".md"):
            continue
        reader = read_impedance if f.name.startswith("imp_") else read_cycler
        ours = best_of(lambda f=f, reader=reader: reader(f))
        parts = []
        try:
            for label, fn in _peers(f.name).items():
                t = best_of(fn)
                parts.append(f"{label} {t:.3f} ({ours / t:.2f}x)")
        except ImportError as exc:
            parts.append(f"peer not installed ({exc.name})")
        if f.name == "navani_arbin.xlsx":
            parts.append(f"navani {NAVANI_XLSX_S:.2f} (issue 11; {ours / NAVANI_XLSX_S:.2f}x)")
        print(f"{f.name:30s} {ours:10.3f}  " + "; ".join(parts))


if __name__ == "__main__":
    main()
