"""``--source`` handling shared by the thermo subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

SOURCE_HELP = ("where entries come from: 'builtin' (shipped with sianode: elements and "
               "experimentally reported phases), 'builtin+hypothetical' (plus the opt-in "
               "hypothetical prototypes), 'mp' (Materials Project; MP_API_KEY in the "
               "environment) or a file (.json/.json.gz/.csv/.parquet)")


def add_source_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default="builtin", help=SOURCE_HELP)
    parser.add_argument("--mp-cache", default=None, metavar="DIR",
                        help="cache directory for Materials Project responses")


def load_for(args: argparse.Namespace, elements: Iterable[str] | None) -> list[Any]:
    """Entries for the host elements (all entries if ``elements`` is None)."""
    from sianode.materials.entries import load_entries

    kwargs = {}
    if args.source == "mp" and args.mp_cache:
        kwargs["cache_dir"] = args.mp_cache
    return load_entries(args.source, chemsys=elements, **kwargs)


def host_elements(host: str) -> list[str]:
    from sianode.materials.entries import parse_formula

    return sorted(parse_formula(host, where="host"))
