"""Screening and entry computation on a 2-process Dask LocalCluster (loopback) give the same
tables as the local path; a worker killed mid-run loses no row and duplicates none."""

from __future__ import annotations

import json
import os
import signal

import pandas as pd
import pytest
from pymatgen.core import Lattice, Structure

from sianode import parallel
from sianode.cli.main import main
from sianode.materials.entries import load_entries
from sianode.materials.relax import read_entries_file, relax_many
from sianode.thermo.screen import screen

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def entries():
    # the opt-in hypothetical prototypes too: 526 hosts, many tasks per run
    return load_entries("builtin+hypothetical")


def test_cli_screen_on_dask_identical_row_for_row(tmp_path, entries, dask_client, capsys):
    remote = tmp_path / "dask"
    assert main(["screen", "--source", "builtin+hypothetical", "--batch-hosts", "40", "--no-progress",
                 "--json", "--out", str(remote), "--scheduler",
                 dask_client.scheduler.address]) == 0
    capsys.readouterr()
    local = screen(entries, batch_hosts=40)  # the local path, in this process
    got = pd.read_parquet(remote / "screen.parquet")
    assert len(got) == len(entries) - 1 == 526  # every built-in host (all but Li)
    assert len(list((remote / "parts").glob("part-*.parquet"))) >= 10  # >= 10 tasks
    pd.testing.assert_frame_equal(got, local)


def test_worker_killed_mid_screen_loses_and_duplicates_no_row(tmp_path, entries, dask_client):
    expected = screen(entries, batch_hosts=10)
    dask_client.wait_for_workers(2, timeout=120)
    pids = dask_client.run(os.getpid)
    seen = []

    def kill_one_worker_after_first_part(n_rows):
        seen.append(n_rows)
        if len(seen) == 1:
            os.kill(next(iter(pids.values())), signal.SIGKILL)

    got = screen(entries, out_dir=tmp_path, batch_hosts=10, scheduler=dask_client,
                 progress=kill_one_worker_after_first_part)
    n_parts = len(list((tmp_path / "parts").glob("part-*.parquet")))
    assert len(seen) == n_parts > 5  # the kill came after the first of many parts
    assert got["id"].is_unique
    assert len(got) == len(expected)  # 0 lost, 0 duplicated
    pd.testing.assert_frame_equal(got, expected)
    assert pids != dask_client.run(os.getpid)  # the killed worker was replaced


def _cu(a):
    return Structure(Lattice.cubic(a), ["Cu"] * 4,
                     [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])


def _strip_timing(entry):
    d = entry.as_dict()
    d["data"].pop("relax_seconds")
    return d


def test_compute_entries_on_dask_identical_and_potential_loaded_once(tmp_path, dask_client):
    from ase.calculators.emt import EMT

    structs = {f"cu-{a:.2f}": _cu(a) for a in (3.50, 3.55, 3.65, 3.70)}
    local = relax_many(structs, tmp_path / "local.jsonl", EMT(), progress=False, fmax=0.05)
    remote = relax_many(structs, tmp_path / "dask.jsonl", EMT, scheduler=dask_client,
                        progress=False, fmax=0.05)
    assert len(remote) == len(local) == 4
    by_id = {e.entry_id: _strip_timing(e) for e in local}
    assert {e.entry_id: _strip_timing(e) for e in remote} == by_id
    back = read_entries_file(tmp_path / "dask.jsonl")
    assert sorted(e.entry_id for e in back) == sorted(structs)
    # the potential was built once per worker process, not once per structure
    builds = [info["builds"].get("ase.calculators.emt.EMT", 0)
              for info in dask_client.run(parallel.cache_info).values()]
    assert max(builds) == 1
    assert sum(builds) <= 2


def test_compute_entries_failures_recorded_per_structure_and_resumable(tmp_path, dask_client):
    from ase.calculators.emt import EMT

    no_emt = Structure(Lattice.cubic(5.47), ["Si"] * 2, [[0, 0, 0], [0.25, 0.25, 0.25]])
    structs = {"good-a": _cu(3.6), "si-no-emt": no_emt, "good-b": _cu(3.7)}
    out = tmp_path / "e.jsonl"
    got = relax_many(structs, out, EMT, scheduler=dask_client, progress=False, fmax=0.05,
                     max_steps=5)
    failed_file = out.with_name("e.jsonl.failed.jsonl")
    failed = [json.loads(x) for x in failed_file.read_text().splitlines()]
    ok_ids = {e.entry_id for e in got}
    assert ok_ids == {"good-a", "good-b"}
    assert [f["entry_id"] for f in failed] == ["si-no-emt"]  # nothing dropped silently
    assert "NotImplementedError" in failed[0]["error"]
    again = relax_many(structs, out, EMT, scheduler=dask_client, progress=False, fmax=0.05,
                       max_steps=5)
    assert sorted(e.entry_id for e in again) == sorted(ok_ids)  # finished ones kept, once
    assert len(failed_file.read_text().splitlines()) == 2  # the failed one was tried again


def test_cli_compute_entries_refuses_unknown_potential_before_starting(tmp_path, capsys):
    cif = tmp_path / "cu.cif"
    _cu(3.6).to(filename=str(cif))
    rc = main(["compute-entries", str(cif), "--out", str(tmp_path / "o.jsonl"), "--dask", "2",
               "--potential", "nosuch"])
    assert rc == 2
    assert "nosuch" in capsys.readouterr().err


def test_cli_scheduler_and_dask_are_exclusive(tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["screen", "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1",
              "--dask", "2"])
    assert info.value.code == 2


@pytest.mark.slow
@pytest.mark.ml
def test_cli_compute_entries_sevennet_dask_matches_local(tmp_path, capsys):
    """SevenNet-0 relaxations of two small cells: ``--dask 2`` equals the serial run."""
    pytest.importorskip("sevenn")
    files = []
    for name, s in {"si": Structure(Lattice.cubic(5.47), ["Si"] * 2,
                                    [[0, 0, 0], [0.25, 0.25, 0.25]]).get_primitive_structure(),
                    "li": Structure(Lattice.cubic(3.44), ["Li"] * 2,
                                    [[0, 0, 0], [0.5, 0.5, 0.5]])}.items():
        p = tmp_path / f"{name}.cif"
        s.to(filename=str(p))
        files.append(str(p))
    base = ["compute-entries", *files, "--fmax", "0.05", "--json"]
    assert main([*base, "--out", str(tmp_path / "a.jsonl")]) == 0
    assert main([*base, "--out", str(tmp_path / "b.jsonl"), "--dask", "2"]) == 0
    capsys.readouterr()
    a = {e.entry_id: e for e in read_entries_file(tmp_path / "a.jsonl")}
    b = {e.entry_id: e for e in read_entries_file(tmp_path / "b.jsonl")}
    assert a.keys() == b.keys()
    for k in a:
        assert b[k].energy == pytest.approx(a[k].energy, abs=1e-6)
        assert b[k].structure.volume == pytest.approx(a[k].structure.volume, rel=1e-6)
