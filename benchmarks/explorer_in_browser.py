"""Time the explorer page in headless Chromium, against the plotly map written by `screen`.

    python benchmarks/explorer_in_browser.py SCREEN_DIR [--repeats 5]

SCREEN_DIR holds ``explorer.html`` (``sianode explore``) and ``fig3f_map.html`` (the plotly
page of ``sianode screen``). For each page: file size, time from navigation until the page
is drawn, and filter updates timed inside the page (``performance.now()`` around the whole
update: selection, map redraw, statistics and table for ours; ``Plotly.react`` with the
filtered points for plotly). Prints min, median and max over the repeats (on a shared
machine the minimum is the best estimate of the cost, the maximum what a user may see),
the 1-minute load average, and the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from conftest import CHROMEDRIVER, CHROMIUM, FLAGS

FILTERS = [  # what a user does: elements, windows, region, back to everything
    ("must contain Si", {"f-contain": "Si"}),
    ("contain Li, not O F", {"f-contain": "Li", "f-exclude": "O F"}),
    ("voltage 0-1 V", {"f-contain": "", "f-exclude": "", "f-vmin": 0, "f-vmax": 1}),
    ("+ capacity 500-4000", {"f-cmin": 500, "f-cmax": 4000}),
    ("+ K_crit 1-10 GPa", {"f-kmin": 1, "f-kmax": 10}),
    ("+ in region", {"f-region": True}),
    ("experimental only", {"f-region": False, "f-exp": True}),
    ("reset (all hosts)", None),
]

PLOTLY_FILTER = """
const [lo, hi] = arguments[0];
const gd = document.querySelector('.plotly-graph-div');
if (!window.__full) window.__full = gd.data.map(t => ({x: Array.from(t.x), y: Array.from(t.y),
                                                     text: t.text ? Array.from(t.text) : null}));
const t0 = performance.now();
const f = window.__full[0], x = [], y = [], text = [];
for (let i = 0; i < f.x.length; i++) if (f.y[i] >= lo && f.y[i] <= hi) {
  x.push(f.x[i]); y.push(f.y[i]); if (f.text) text.push(f.text[i]); }
const data = gd.data.map((t, k) => k === 0 ? Object.assign({}, t, {x, y, text}) : t);
return Plotly.react(gd, data, gd.layout).then(() => performance.now() - t0);
"""


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='sianode-bench-')}"):
        opts.add_argument(flag)
    d = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    d.set_script_timeout(600)
    d.set_page_load_timeout(600)
    return d


def ours(d, page: Path, repeats: int) -> dict[str, float]:
    t0 = time.perf_counter()
    d.get(page.as_uri())
    d.execute_async_script("const cb = arguments[arguments.length - 1];"
                           "window.sianodeExplorer.ready.then(() => cb(1));")
    ready = time.perf_counter() - t0
    out = {"ready_s": ready}
    worst = 0.0
    for name, flt in FILTERS:
        ms = []
        for _ in range(repeats):
            if flt is None:
                ms.append(d.execute_script("return sianodeExplorer.resetFilters()"))
            else:
                ms.append(d.execute_script("return sianodeExplorer.setFilters(arguments[0])",
                                           flt))
        n = d.execute_script("return sianodeExplorer.count()")
        parts = d.execute_script("return sianodeExplorer.breakdown()")
        split = " ".join(f"{k} {v:.0f}" for k, v in parts.items())
        print(f"  ours   {name:<22s} {n:>8d} hosts  min {min(ms):6.1f}  median "
              f"{statistics.median(ms):6.1f}  max {max(ms):6.1f} ms  (last: {split} ms)")
        out[name] = statistics.median(ms)
        worst = max(worst, max(ms))
    out["worst_ms"] = worst
    return out


def plotly(d, page: Path, repeats: int) -> dict[str, float]:
    t0 = time.perf_counter()
    d.get(page.as_uri())
    d.execute_async_script(
        "const cb = arguments[arguments.length - 1];"
        "const go = () => document.querySelector('.plotly-graph-div .main-svg') ? cb(1) "
        ": setTimeout(go, 20); go();")
    out = {"ready_s": time.perf_counter() - t0}
    ms = [d.execute_async_script(
        "const cb = arguments[arguments.length - 1];"
        + PLOTLY_FILTER.replace("return Plotly", "Plotly").replace(
            ".then(() => performance.now() - t0);", ".then(() => cb(performance.now() - t0));"),
        [lo, 1.0]) for lo in ([0.0, 0.1, 0.2] * repeats)[:max(repeats, 1)]]
    print(f"  plotly voltage window                    min {min(ms):6.1f}  median "
          f"{statistics.median(ms):6.1f}  max {max(ms):6.1f} ms")
    out["voltage window"] = statistics.median(ms)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("screen_dir")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--no-plotly", action="store_true", help="skip the plotly page")
    a = ap.parse_args()
    d_ = Path(a.screen_dir)
    page, peer = d_ / "explorer.html", d_ / "fig3f_map.html"
    import os

    print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    d = _driver()
    try:
        print(f"{page}: {page.stat().st_size / 1e6:.2f} MB")
        o = ours(d, page, a.repeats)
        print(f"  ours: drawn {o['ready_s']:.2f} s after navigation; slowest update "
              f"{o['worst_ms']:.1f} ms")
        if peer.exists() and not a.no_plotly:
            print(f"{peer}: {peer.stat().st_size / 1e6:.2f} MB (plotly, map only)")
            p = plotly(d, peer, a.repeats)
            print(f"  plotly: drawn {p['ready_s']:.2f} s after navigation")
            print(f"ratio (plotly / ours): load {p['ready_s'] / o['ready_s']:.1f}x, "
                  f"voltage-window filter {p['voltage window'] / o['voltage 0-1 V']:.1f}x, "
                  f"file {peer.stat().st_size / page.stat().st_size:.1f}x")
    finally:
        d.quit()


if __name__ == "__main__":
    main()
