"""``--source`` handling and up-front checks shared by the thermo subcommands.

Everything here is light (no numpy, no pymatgen at import): the CLI imports every
subcommand module at start-up.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sianode.cli._common import FIGURE_SUFFIXES, check_output

SOURCE_HELP = ("where entries come from: 'builtin' (shipped with sianode: elements and "
               "experimentally reported phases), 'builtin+hypothetical' (plus the opt-in "
               "hypothetical prototypes), 'mp' (Materials Project; MP_API_KEY in the "
               "environment) or a file (.json/.json.gz/.jsonl/.csv/.parquet)")
K_EFF_MAX_GPA = 500.0  # sianode.validation.K_EFF_GPA (kept literal: no numpy here)


def add_source_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default="builtin", help=SOURCE_HELP)
    parser.add_argument("--mp-cache", default=None, metavar="DIR",
                        help="cache directory for Materials Project responses")


def check_source(source: str) -> None:
    """A file source must exist, be a file and have a known suffix (before any loading)."""
    if source in ("builtin", "builtin+hypothetical", "mp"):
        return
    from sianode.errors import FileFormatError

    p = Path(source)
    if p.is_dir():
        raise FileFormatError(p, "--source is a directory; expected an entries file "
                              "(.json, .json.gz, .jsonl, .csv or .parquet) or 'builtin', "
                              "'builtin+hypothetical' or 'mp'")
    if not p.is_file():
        raise FileFormatError(p, "no such file (--source: 'builtin', 'builtin+hypothetical', "
                              "'mp' or an entries file)")
    if not p.name.lower().endswith((".json", ".json.gz", ".jsonl", ".jsonl.gz", ".csv",
                                    ".parquet", ".pq")):
        raise FileFormatError(p, "unknown file type for --source; expected .json, .json.gz, "
                              ".jsonl, .csv or .parquet")


def check_k_eff(values: Sequence[float], name: str = "--k-eff") -> list[float]:
    """Each K_eff finite, >= 0 and <= 500 GPa (:data:`sianode.validation.K_EFF_GPA`)."""
    from sianode.errors import ParameterError

    out = []
    for v in values:
        if not (isinstance(v, int | float) and math.isfinite(v) and 0 <= v <= K_EFF_MAX_GPA):
            raise ParameterError(name, v, f"finite moduli in [0, {K_EFF_MAX_GPA:g}] GPa")
        out.append(float(v))
    if not out:
        raise ParameterError(name, list(values), "at least one modulus [GPa]")
    return out


def check_output_file(path: str | None, name: str,
                      suffixes: Sequence[str] = FIGURE_SUFFIXES) -> None:
    """An output file path: known suffix, not a folder, inside a writable (or creatable) folder.

    :func:`sianode.paths.check_output_path`; ``None`` (option not given) passes.
    """
    check_output(path, name, kind="file", suffixes=suffixes)


def check_output_dir(path: str | None, name: str) -> None:
    """An output folder: not an existing file, and creatable/writable."""
    check_output(path, name, kind="dir")


def host_elements(host: str) -> list[str] | None:
    """Element symbols of a host formula; ``None`` if ``host`` is not a formula (an id).

    Raises
    ------
    UnknownElementError
        ``host`` looks like a formula (element symbols and numbers only) but names a
        symbol that is no element (``Xx``): refused before any data is read.
    """
    import re

    from sianode.errors import UnknownElementError
    from sianode.materials.formula import parse_formula

    try:
        return sorted(parse_formula(host, where="host"))
    except UnknownElementError:
        if re.fullmatch(r"(?:[A-Z][a-z]?\d*(?:\.\d+)?)+", host.strip()):
            raise  # formula-shaped: a typo, not an entry id
        return None


def load_table_for(args: argparse.Namespace, elements: Iterable[str] | None) -> Any:
    """The entries of ``args.source`` as an EntryTable (the hosts' systems only)."""
    from sianode.materials.entries import load_entry_table

    kwargs = {}
    if args.source == "mp" and args.mp_cache:
        kwargs["cache_dir"] = args.mp_cache
    return load_entry_table(args.source, chemsys=elements, **kwargs)


def load_for(args: argparse.Namespace, elements: Iterable[str] | None) -> list[Any]:
    """Entries (pymatgen objects) for the host elements (all entries if ``elements`` is None)."""
    from sianode.materials.entries import load_entries

    kwargs = {}
    if args.source == "mp" and args.mp_cache:
        kwargs["cache_dir"] = args.mp_cache
    return load_entries(args.source, chemsys=elements, **kwargs)
