"""Peak memory of reading and analysing a 1-million-row cycler file (issue 12: < 600 MB).

Writes an Arbin-layout CSV of ``N`` records (default 1,000,000) with ``synthetic_cycling``,
then, in a fresh process, reads it with ``read_cycler`` and runs ``analyze_cycling``; the
peak resident set size of that process (``VmHWM`` of /proc/self/status, which, unlike
``ru_maxrss``, does not inherit the parent's high-water mark across fork+exec) is printed,
with the time taken.

Run: ``PYTHONPATH=src python benchmarks/bench_cycling_memory.py [N]``.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: str) -> None:
    from sianode.experiments.cycling_analysis import analyze_cycling
    from sianode.experiments.io import read_cycler

    base = _hwm_mb()
    t0 = time.perf_counter()
    df = read_cycler(path)
    t1 = time.perf_counter()
    r = analyze_cycling(df, "half", mass_mg=1.0)
    t2 = time.perf_counter()
    peak = _hwm_mb()
    print(f"{len(df)} rows, {len(r.cycles)} cycles: read {t1 - t0:.1f} s, analyse "
          f"{t2 - t1:.1f} s; peak RSS {peak:.0f} MB (after imports {base:.0f} MB)")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    from sianode.experiments.io.layouts import write_arbin_csv
    from sianode.experiments.synthetic import synthetic_cycling

    cycles = max(1, n // 2050)
    df = synthetic_cycling([1.0] * cycles, [0.98] * cycles, 1e-3, "half", dt_s=3.6,
                           rest_s=36.0)
    path = Path(tempfile.mkdtemp()) / "arbin_1M.csv"
    write_arbin_csv(df, path)
    n_rows = len(df)
    del df
    print(f"wrote {n_rows} records, {path.stat().st_size / 1e6:.0f} MB")
    subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
