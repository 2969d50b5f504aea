"""Atomic writes and lock files: interrupted or concurrent writers never corrupt an output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sianode.atomic import (
    append_line,
    atomic_path,
    atomic_write,
    file_lock,
    lock_path,
    temp_path,
    write_json,
    write_text,
)
from sianode.errors import LockError

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _env():
    return {**os.environ, "PYTHONPATH": SRC, "OMP_NUM_THREADS": "1"}


def test_writes_replace_whole_files_and_leave_no_temporaries(tmp_path):
    p = tmp_path / "sub" / "summary.json"
    write_json(p, {"a": 1})
    assert json.loads(p.read_text()) == {"a": 1}
    write_text(p, "second")
    assert p.read_text() == "second"
    assert sorted(x.name for x in p.parent.iterdir()) == ["summary.json"]


def test_failure_keeps_the_old_file(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    def killed_while_writing():
        with atomic_write(p) as fh:
            fh.write("half of the new")
            raise RuntimeError("killed")

    def killed_while_saving():
        with atomic_path(tmp_path / "fig.png") as tmp:
            tmp.write_bytes(b"partial")
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        killed_while_writing()
    assert p.read_text() == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["out.txt"]
    with pytest.raises(RuntimeError):
        killed_while_saving()
    assert not (tmp_path / "fig.png").exists()


def test_temporary_names_are_unique_and_keep_the_suffix(tmp_path):
    names = {temp_path(tmp_path / "fig.png") for _ in range(200)}
    assert len(names) == 200
    assert all(n.suffix == ".png" and n.name.startswith(".fig.png.") for n in names)
    assert str(os.getpid()) in next(iter(names)).name


def test_lock_times_out_while_another_process_holds_it(tmp_path):
    target = tmp_path / "entries.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from sianode.atomic import file_lock
            with file_lock({str(target)!r}):
                print("held", flush=True)
                time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True, env=_env())
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match="another sianode run"), \
                file_lock(target, timeout_s=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert lock_path(target).exists()  # a killed holder cannot delete it ...
    with file_lock(target, timeout_s=5):  # ... but it is released when its holder died
        pass
    assert not lock_path(target).exists()  # and the next run that finishes deletes it
    assert lock_path(target).name == "entries.jsonl.lock"
    assert lock_path(tmp_path).name == ".sianode.lock"


_WORKER = textwrap.dedent("""
    import sys
    from sianode.atomic import append_line, file_lock
    path = sys.argv[1]
    for i in range(60):
        key = f"id-{i:03d}"
        with file_lock(path):
            try:
                have = {line.strip() for line in open(path)}
            except FileNotFoundError:
                have = set()
            if key not in have:
                append_line(path, key)
""")


def test_concurrent_read_check_append_loses_and_duplicates_nothing(tmp_path):
    out = tmp_path / "log.txt"
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(out)], env=_env())
             for _ in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    lines = out.read_text().splitlines()
    assert sorted(lines) == [f"id-{i:03d}" for i in range(60)]  # each exactly once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]  # no lock file left


def test_lock_file_is_deleted_when_the_block_ends(tmp_path):
    target = tmp_path / "out.jsonl"
    with file_lock(target) as lp:
        assert lp.exists()
        assert lp == lock_path(target)
    assert not lp.exists()
    def fail_inside():
        with file_lock(tmp_path) as held:  # a folder's lock, deleted on error too
            assert held.name == ".sianode.lock"
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_inside()
    assert list(tmp_path.iterdir()) == []


def test_waiter_relocks_after_the_holder_deletes_the_lock_file(tmp_path):
    """A process waiting on a lock file that its holder deletes must not think it holds the
    lock while a third process locks the new file of the same name."""
    import threading

    target = tmp_path / "x"
    inside, events = [0], []
    lock = threading.Lock()

    def work(name):
        for _ in range(40):
            with file_lock(target, poll_s=0.001):
                with lock:
                    inside[0] += 1
                    events.append(inside[0])
                time.sleep(0.0005)
                with lock:
                    inside[0] -= 1

    # flock locks belong to open file descriptions, so threads with their own open() contend
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(events) == 160
    assert max(events) == 1  # never two holders at once
    assert not lock_path(target).exists()


_RELAX = textwrap.dedent("""
    import sys
    from ase.calculators.emt import EMT
    from pymatgen.core import Lattice, Structure
    from sianode.materials.relax import relax_many

    def cu(a):
        return Structure(Lattice.cubic(a), ["Cu"] * 4,
                         [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])

    order = sys.argv[2]
    ids = [f"cu-{k}" for k in range(6)]
    if order == "reverse":
        ids = ids[::-1]
    for out in sys.argv[1].split(","):
        relax_many({i: cu(3.5 + 0.03 * int(i[3:])) for i in ids}, out, EMT(),
                   progress=False, fmax=0.1, max_steps=30, skip_failed=False)
""")


def test_two_batches_into_one_out_never_collide(tmp_path):
    """Two processes relax the same ids in opposite orders into one .jsonl, then .json.gz."""
    from sianode.materials.relax import read_entries_file

    outs = [tmp_path / "entries.jsonl", tmp_path / "entries.json.gz"]
    arg = ",".join(map(str, outs))
    procs = [subprocess.Popen([sys.executable, "-c", _RELAX, arg, order], env=_env(),
                              stderr=subprocess.PIPE, text=True)
             for order in ("forward", "reverse")]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    for out in outs:
        ids = [e.entry_id for e in read_entries_file(out)]
        assert sorted(ids) == [f"cu-{k}" for k in range(6)]  # none lost, none twice
    leftovers = [x.name for x in tmp_path.iterdir() if ".tmp" in x.name or ".lock" in x.name]
    assert leftovers == []  # no temporary and no lock file beside the outputs


def test_append_line_adds_newline_and_creates_folders(tmp_path):
    p = tmp_path / "a" / "b.jsonl"
    append_line(p, '{"x": 1}')
    append_line(p, '{"x": 2}\n')
    assert p.read_text() == '{"x": 1}\n{"x": 2}\n'
