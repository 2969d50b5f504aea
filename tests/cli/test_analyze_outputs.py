"""``sianode analyze`` output paths: the package's one check (sianode.validation), atomic
writes that create missing folders."""

from __future__ import annotations

import pytest

from sianode.cli._analyze_common import check_output_path
from sianode.cli.main import main
from sianode.errors import PathError


@pytest.fixture(scope="module")
def cycling(tmp_path_factory):
    from sianode.experiments.io.layouts import write_arbin_csv
    from sianode.experiments.synthetic import synthetic_cycling

    p = tmp_path_factory.mktemp("cyc") / "cycling.csv"
    write_arbin_csv(synthetic_cycling([1.0, 0.95, 0.9], [0.9, 0.9, 0.85], 1e-3, "half",
                                      dt_s=3.6), p)
    return p


def test_same_messages_as_the_validation_check(tmp_path):
    from sianode.validation import check_output_path as shared

    (tmp_path / "folder.png").mkdir()
    (tmp_path / "afile").write_text("x")
    for path in (tmp_path / "out.xyz", tmp_path / "folder.png", tmp_path / "afile" / "p.png"):
        with pytest.raises(PathError) as ours:
            check_output_path(str(path), "--plot")
        with pytest.raises(PathError) as theirs:
            shared(path, "--plot", suffixes=(".png", ".pdf", ".svg"))
        assert str(ours.value) == str(theirs.value)
        assert "--plot" in str(ours.value)
    check_output_path(None, "--plot")  # not given: nothing to check
    check_output_path(str(tmp_path / "new" / "sub" / "p.png"), "--plot")  # folders made on write


def test_dqdv_writes_plot_and_csv_into_new_folders(cycling, tmp_path, capsys):
    plot, csv = tmp_path / "a" / "b" / "dqdv.png", tmp_path / "c" / "dqdv.csv"
    assert main(["analyze", "dqdv", str(cycling), "--cell", "half", "--plot", str(plot),
                 "--out", str(csv)]) == 0
    assert plot.stat().st_size > 5_000
    assert csv.read_text().count("\n") > 10
    assert not list(tmp_path.rglob(".*.tmp*"))  # no temporary file left


def test_cycling_plot_into_new_folder_and_bad_extension(cycling, tmp_path, capsys):
    plot = tmp_path / "new" / "cap.pdf"
    assert main(["analyze", "cycling", str(cycling), "--cell", "half", "--plot", str(plot)]) == 0
    assert plot.read_bytes()[:4] == b"%PDF"
    assert main(["analyze", "cycling", str(cycling), "--cell", "half", "--plot",
                 str(tmp_path / "cap.xyz")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--plot" in err[0]
    assert "unsupported extension (.xyz)" in err[0]
