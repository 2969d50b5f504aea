"""The ``sianode`` argument parser class: usage mistakes on one line, exit status 2.

argparse prints the whole usage block and then the error (several lines for a long usage);
the README promises one line per mistake, like every :class:`~sianode.errors.SianodeError`.
:class:`OneLineParser` prints ``PROG: error: MESSAGE (see 'PROG --help')`` and exits 2.
Subparsers made from it (``sianode analyze cycling``) are of the same class (argparse's
``add_subparsers`` uses the parent's class), so every level behaves alike.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

__all__ = ["OneLineParser"]


class OneLineParser(argparse.ArgumentParser):
    """:class:`argparse.ArgumentParser` whose usage errors are one line on stderr, exit 2."""

    def error(self, message: str) -> NoReturn:
        text = " ".join(str(message).split())
        self.exit(2, f"{self.prog}: error: {text} (see '{self.prog} --help')\n")
