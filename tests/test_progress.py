"""sianode.progress: counts, ETA arithmetic, terminal vs log output, the on/off switch."""

import io

import pytest

from sianode import progress as pg
from sianode.progress import Progress, format_duration, progress_enabled


class _Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (75, "1:15"), (3725, "1:02:05"),
                                               (float("nan"), "?"), (float("inf"), "?")])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_eta_is_elapsed_times_remaining_over_done(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(pg.time, "perf_counter", lambda: now[0])
    out = io.StringIO()
    bar = Progress(10, "simulate", unit="run", enabled=True, file=out, log_interval_s=0.0)
    assert bar.eta_s is None
    now[0] = 104.0
    bar.update(2)  # 2 runs in 4 s -> 8 left take 16 s
    assert bar.eta_s == pytest.approx(16.0)
    assert "simulate: 2/10 run [ 20%] elapsed 0:04, ETA 0:16" in out.getvalue()
    bar.set_postfix("K_eff 3 GPa")
    assert out.getvalue().rstrip().endswith("K_eff 3 GPa")


def test_log_mode_prints_lines_and_the_end_once():
    out = io.StringIO()
    with Progress(3, "fits", enabled=True, file=out, log_interval_s=1e9) as bar:
        for _ in range(3):
            bar.update()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("fits: 0/3")
    assert lines[-1].startswith("fits: 3/3 it [100%]")
    assert len(lines) == 2


def test_terminal_mode_redraws_one_line():
    out = _Tty()
    with Progress(2, "front", unit="s", enabled=True, file=out) as bar:
        bar.update(2)
    text = out.getvalue()
    assert text.count("\n") == 1
    assert "\r" in text
    assert "front: 2/2 s [100%]" in text


def test_switch(monkeypatch):
    monkeypatch.delenv("SIANODE_PROGRESS", raising=False)
    assert progress_enabled(None, io.StringIO()) is False
    assert progress_enabled(None, _Tty()) is True
    monkeypatch.setenv("SIANODE_PROGRESS", "1")
    assert progress_enabled(None, io.StringIO()) is True
    monkeypatch.setenv("SIANODE_PROGRESS", "0")
    assert progress_enabled(True, _Tty()) is False
    out = io.StringIO()
    with Progress(1, "x", file=out) as bar:
        bar.update()
    assert out.getvalue() == ""


def test_unknown_total_and_closed_stream():
    out = io.StringIO()
    bar = Progress(None, "scan", enabled=True, file=out, log_interval_s=0.0)
    bar.update(5)
    assert "scan: 5 it elapsed" in out.getvalue()
    out.close()
    bar.update()  # a closed stderr never raises
    bar.close()


def test_iterate_helper():
    assert list(pg.progress(range(3), "loop", enabled=False)) == [0, 1, 2]
