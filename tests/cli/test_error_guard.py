"""Guard: no CLI path ends in a traceback for a SianodeError-class mistake.

Every subclass of :class:`~sianode.errors.SianodeError` raised inside any command becomes one
line on stderr and exit status 2 (messages with newlines are folded onto that line); an
``OSError`` naming a file does too, as a last resort; ``SIANODE_DEBUG=1`` re-raises.
"""

from __future__ import annotations

import inspect

import pytest

import sianode.errors as errors_mod
from sianode.cli import main as cli_main
from sianode.errors import SianodeError


def _subclasses(cls):
    out = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


def _public_error_classes():
    import sianode.electrode
    import sianode.experiments
    import sianode.materials
    import sianode.thermo  # noqa: F401

    return sorted({SianodeError, *_subclasses(SianodeError)}, key=lambda c: c.__name__)


def _instance(cls):
    """An instance of ``cls`` with a multi-line message (the CLI must fold it)."""
    params = [p for p in inspect.signature(cls.__init__).parameters.values()
              if p.name != "self" and p.default is inspect.Parameter.empty
              and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = [p.name for p in params]
    if names in ([], ["args"]) or params and params[0].kind == params[0].VAR_POSITIONAL:
        return cls("bad value for\n'widget_um'")
    samples = {"name": "widget_um", "value": 1e300, "expected": "a finite\nnumber",
               "kind": "widget", "choices": ["alpha", "beta"], "path": "in put.csv",
               "message": "not a\nwidget table", "package": "widgetlib", "extra": "widgets",
               "purpose": "widgets"}
    return cls(*[samples.get(n, "x") for n in names])


@pytest.mark.parametrize("cls", _public_error_classes(), ids=lambda c: c.__name__)
def test_every_sianode_error_is_one_line_exit_2(cls, monkeypatch, capsys):
    exc = _instance(cls)

    def run(args):
        raise exc

    import sianode.cli.electrode as command

    monkeypatch.setattr(command, "run", run)
    monkeypatch.delenv("SIANODE_DEBUG", raising=False)
    rc = cli_main.main(["electrode", "expansion", "--before-um", "1", "--after-um", "2"])
    captured = capsys.readouterr()
    assert rc == 2
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("sianode electrode: error: ")
    assert " ".join(str(exc).split()) in lines[0]
    assert captured.out == ""


def test_every_error_class_is_in_errors_module_all():
    """One hierarchy in one module (STYLE.md): each subclass is exported by sianode.errors."""
    names = {c.__name__ for c in _public_error_classes()}
    assert names <= set(errors_mod.__all__), names - set(errors_mod.__all__)
    for cls in _public_error_classes():
        if cls is not SianodeError:
            builtin = [b for b in cls.__mro__ if b.__module__ == "builtins"
                       and b not in (object, BaseException, Exception)]
            assert builtin, f"{cls.__name__} refines no builtin exception"


def _commands():
    return [m for m in cli_main._command_modules()]


@pytest.mark.parametrize("mod", _commands(), ids=lambda m: m.COMMAND)
def test_every_command_turns_sianode_errors_into_one_line(mod, monkeypatch, capsys):
    from sianode.errors import ParameterError

    def run(args):
        raise ParameterError("--widget", float("nan"), "a finite number")

    monkeypatch.setattr(mod, "run", run)
    parser = cli_main.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    argv = [mod.COMMAND, *_minimal_args(sub.choices[mod.COMMAND])]
    rc = cli_main.main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.count("\n") == 1
    assert "'--widget' = nan" in err


def _minimal_args(parser) -> list[str]:
    """Values for the required arguments of a subcommand parser (and its first action)."""
    out: list[str] = []
    for action in parser._actions:
        if action.option_strings:
            if action.required:
                out += [action.option_strings[0], *["1"] * _nargs(action)]
            continue
        if action.dest in ("help",):
            continue
        if action.choices and hasattr(action, "_name_parser_map"):  # sub-subcommands
            name = next(iter(action.choices))
            return [*out, name, *_minimal_args(action.choices[name])]
        if action.choices:
            out.append(next(iter(action.choices)))
        elif action.nargs not in ("?", "*"):
            out += ["x"] * _nargs(action)
    groups = [g for g in parser._mutually_exclusive_groups if g.required]
    for g in groups:
        a = g._group_actions[0]
        out += [a.option_strings[0], *["1"] * _nargs(a)]
    return out


def _nargs(action) -> int:
    if action.nargs is None:
        return 1
    if isinstance(action.nargs, int):
        return action.nargs
    return 0 if action.nargs in ("?", "*") or action.nargs == 0 else 1


def test_oserror_naming_a_file_is_one_line_exit_2(monkeypatch, capsys):
    def run(args):
        raise IsADirectoryError(21, "Is a directory", "results/")

    import sianode.cli.cell as command

    monkeypatch.setattr(command, "run", run)
    assert cli_main.main(["cell", "x.toml"]) == 2
    err = capsys.readouterr().err
    assert err == "sianode cell: error: results/: Is a directory\n"


def test_debug_env_reraises(monkeypatch):
    from sianode.errors import ParameterError

    def run(args):
        raise ParameterError("--widget", 1, "2")

    import sianode.cli.cell as command

    monkeypatch.setattr(command, "run", run)
    monkeypatch.setenv("SIANODE_DEBUG", "1")
    with pytest.raises(ParameterError):
        cli_main.main(["cell", "x.toml"])


def test_programming_errors_are_not_hidden(monkeypatch):
    """Only user mistakes become one line: a bug still shows its traceback."""

    def run(args):
        raise ZeroDivisionError("bug")

    import sianode.cli.cell as command

    monkeypatch.setattr(command, "run", run)
    with pytest.raises(ZeroDivisionError):
        cli_main.main(["cell", "x.toml"])
