"""``sianode gallery DIR``: one example of every figure sianode draws, with an index page."""

from __future__ import annotations

import argparse

COMMAND = "gallery"
HELP = "write one example of every figure (built-in/synthetic inputs) and DIR/index.html"
EXAMPLES = """\
examples:
  sianode gallery results/gallery
  sianode gallery /tmp/figs --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="DIR",
                        help="output folder: one PNG (300 dpi) or HTML file per figure and "
                             "index.html showing them all")
    parser.add_argument("--json", action="store_true",
                        help="print the list of files (and skipped sections) as JSON")


def run(args: argparse.Namespace) -> int:
    import sys
    import time
    from pathlib import Path

    from sianode.cli._common import check_output, print_json
    from sianode.plots.gallery import write_gallery

    check_output(args.out, "DIR", kind="dir")
    t0 = time.perf_counter()
    items = write_gallery(args.out, progress=lambda title: print(f"drawing: {title}",
                                                                 file=sys.stderr))
    index = Path(args.out) / "index.html"
    if args.json:
        print_json({"index": str(index), "seconds": time.perf_counter() - t0,
                    "files": [i.file for i in items if not i.skipped],
                    "skipped": [{"section": i.section, "reason": i.skipped}
                                for i in items if i.skipped]})
        return 0
    for i in items:
        print(f"skipped {i.section}: {i.skipped}" if i.skipped else f"wrote {Path(args.out) / i.file}")
    print(f"{sum(not i.skipped for i in items)} figures in {time.perf_counter() - t0:.0f} s; "
          f"open {index}")
    return 0
