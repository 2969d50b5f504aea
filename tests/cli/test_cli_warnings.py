"""Warnings reach the CLI user as one line each, named by command and kind, without the
source line Python would print."""

from __future__ import annotations

from pathlib import Path

from sianode.cli.main import main

DATA = Path(__file__).parents[1] / "data" / "instruments"


def test_eis_fit_flags_print_as_one_line(capsys):
    assert main(["analyze", "eis", str(DATA / "imp_exampleDataBioLogic.mpt")]) == 0
    err = capsys.readouterr().err.splitlines()
    flagged = [ln for ln in err if ln.startswith("sianode analyze: warning: fit of")]
    assert len(flagged) == 1
    assert "W1 at a bound" in flagged[0]
    assert "Rct" in flagged[0]
    assert flagged[0].endswith("(EISFitWarning)")
    assert not any("fit = EISFit" in ln or ".py:" in ln for ln in err)


def test_debug_keeps_pythons_warnings(capsys, monkeypatch):
    import pytest

    from sianode.experiments.eis import EISFitWarning

    monkeypatch.setenv("SIANODE_DEBUG", "1")
    with pytest.warns(EISFitWarning, match="W1 at a bound"):
        assert main(["analyze", "eis", str(DATA / "imp_exampleDataBioLogic.mpt")]) == 0
    assert "sianode analyze: warning" not in capsys.readouterr().err
