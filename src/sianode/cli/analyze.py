"""``sianode analyze KIND ...``: experimental-data analyses.

Each analysis is a module ``sianode.cli._analyze_<name>`` defining ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; they are discovered, so a new analysis is
a new file. Heavy imports happen inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil

COMMAND = "analyze"
HELP = "analyse experimental data (cycling, plating, EIS, PITT/GITT, XRD, ...)"
EXAMPLES = """\
examples ('sianode analyze KIND --help' shows each analysis's own):
  sianode analyze cycling cell.mpr --cell half --mass-mg 1.2 --plot capacity.png
  sianode analyze eis spectrum.mpt --plot nyquist.png
"""


def _analysis_modules():
    import sianode.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_analyze_"):
            mod = importlib.import_module(f"sianode.cli.{info.name}")
            if hasattr(mod, "NAME") and hasattr(mod, "run"):
                yield mod


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="analysis", metavar="KIND")
    for mod in _analysis_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_analysis_run=mod.run)
    parser.set_defaults(_analyze_parser=parser)


def run(args: argparse.Namespace) -> int:
    fn = getattr(args, "_analysis_run", None)
    if fn is None:
        args._analyze_parser.print_help()
        return 1
    return int(fn(args) or 0)
