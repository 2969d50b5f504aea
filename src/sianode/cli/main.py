"""The ``sianode`` command.

Each subcommand is one module in :mod:`sianode.cli` defining ``COMMAND`` (its name), ``HELP``
(one line), ``EXAMPLES`` (one or two runnable command lines, shown at the end of its
``--help``), ``add_arguments(parser)`` and ``run(args) -> int``. Modules are discovered, so a
new subcommand is a new file. Heavy imports happen inside ``run``. Help shows every option's
default (:class:`HelpFormatter`); nested subcommands (``electrode porosity``, ``analyze
cycling``) get the ``EXAMPLES`` of the module whose ``run`` they call unless they set their own
epilog.

Any :class:`~sianode.errors.SianodeError` becomes one line on stderr and exit status 2 (as a
last resort, so does an ``OSError`` naming a file); ``SIANODE_DEBUG=1`` shows the traceback
instead.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import pkgutil
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

from sianode import __version__
from sianode.errors import SianodeError

__all__ = ["main", "build_parser", "HelpFormatter"]


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Help with defaults appended (not for None/False/[] defaults) and epilogs kept verbatim
    (examples keep their line breaks)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        d = action.default
        if "%(default)" in text or d is None or d is False or d is argparse.SUPPRESS or (
                isinstance(d, list | tuple) and not d):
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            default = action.default
            if isinstance(default, list | tuple):
                return f"{text} (default: {' '.join(str(v) for v in default)})"
            return text + " (default: %(default)s)"
        return text


def _examples_of(parser: argparse.ArgumentParser) -> str | None:
    """``EXAMPLES`` of the module whose run function ``parser`` dispatches to."""
    for value in getattr(parser, "_defaults", {}).values():
        if callable(value) and getattr(value, "__module__", "").startswith("sianode."):
            text = getattr(sys.modules.get(value.__module__), "EXAMPLES", None)
            if text:
                return text
    return None


def _finish(parser: argparse.ArgumentParser) -> None:
    """Give nested subparsers the help formatter and, if they have none, examples."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                child.formatter_class = HelpFormatter
                if child.epilog is None:
                    child.epilog = _examples_of(child) or parser.epilog
                _finish(child)


def _command_modules() -> list[ModuleType]:
    import sianode.cli as pkg

    mods = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "main":
            continue
        mod = importlib.import_module(f"sianode.cli.{info.name}")
        if hasattr(mod, "COMMAND") and hasattr(mod, "run"):
            mods.append(mod)
    return mods


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand."""
    from sianode.cli._parser import OneLineParser  # usage errors: one line, exit 2

    parser = OneLineParser(
        prog="sianode",
        description="Silicon-family anodes for all-solid-state Li batteries, atoms to cells.",
        formatter_class=HelpFormatter,
        epilog="Run 'sianode COMMAND --help' for a command's options and examples; "
               "'sianode gallery DIR' draws one example of every figure.",
    )
    parser.add_argument("--version", action="version", version=f"sianode {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(mod.COMMAND, help=mod.HELP, description=mod.HELP,
                           formatter_class=HelpFormatter,
                           epilog=getattr(mod, "EXAMPLES", None))
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
        _finish(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sianode`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 1
    try:
        with warnings.catch_warnings():
            if not os.environ.get("SIANODE_DEBUG"):
                warnings.showwarning = functools.partial(_show_warning, args.command)
            return int(args._run(args) or 0)
    except SianodeError as exc:
        if os.environ.get("SIANODE_DEBUG"):
            raise
        print(f"sianode {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # last resort: a path the checks up front did not foresee
        if os.environ.get("SIANODE_DEBUG") or exc.filename is None:
            raise
        print(f"sianode {args.command}: error: {exc.filename}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"sianode {args.command}: interrupted", file=sys.stderr)
        return 130


def _show_warning(command: str, message: Warning | str, category: type[Warning], *_: object,
                  **__: object) -> None:
    """A warning on one line of stderr, named by command and kind, without the source line
    Python would print (``SIANODE_DEBUG=1`` keeps Python's format)."""
    print(f"sianode {command}: warning: {_one_line(message)} ({category.__name__})",
          file=sys.stderr)


def _one_line(exc: BaseException | str) -> str:
    """The message on one line (messages quoting a library's multi-line text included)."""
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
