"""Strain scans: independent tasks, warm starts from the nearest finished state, the pool."""

import dataclasses

import pytest

from sianode.kinetics.diffusion import strain_scan, strain_tasks
from sianode.kinetics.scan import StrainTask, _pick, order_tasks, run_scan, state_distance
from sianode.kinetics.toy import ToyHopCalculator


def _task(i, s, g=None):
    return StrainTask(i, s, g, "Si")


def test_state_distance_and_order():
    a, b, c = _task(0, 0.0), _task(1, 0.05), _task(2, 0.05, 80.0)
    assert state_distance(a, b) == pytest.approx(0.05)
    assert state_distance(b, c) == pytest.approx(10 / 90)
    tasks = [c, _task(3, 0.10), b, a]
    assert [t.index for t in order_tasks(tasks)] == [0, 1, 3, 2]


def test_next_task_is_the_one_nearest_a_finished_band():
    a, b, c, d = _task(0, 0.0), _task(1, 0.05), _task(2, 0.10), _task(3, 0.05, 80.0)
    pending = [c, d]
    assert _pick(pending, {}) is c  # nothing finished: scan order
    assert _pick(pending, {1: (b, None, "band")}) is c   # 0.05 away vs 0.11
    assert _pick([d, c], {0: (a, None, "band")}) is c    # 0.10 away vs 0.16
    assert _pick(pending, {1: (b, None, None)}) is c     # no band: scan order


def test_strain_tasks_follow_scan_points():
    tasks = strain_tasks("Si", [0.0, 0.05], 80.0, n_images=3)
    assert [(t.strain, t.shear_deg) for t in tasks] == [(0.0, None), (0.05, None), (0.05, 80.0)]
    assert all(t.options == {"n_images": 3} for t in tasks)


@pytest.fixture
def toy_tasks(si_cell, toy_kw):
    return strain_tasks(si_cell, [0.0, 0.03, 0.05], 80.0, fmax=0.02,
                        **{**toy_kw, "supercell": (1, 1, 1)})


def test_warm_starts_replace_fresh_bands_and_keep_barriers(toy_tasks):
    toy = ToyHopCalculator()
    auto = run_scan(toy_tasks, calculator=toy, progress=False)
    # a symmetric hop starts from its own relaxed saddle, seed or not
    assert [r.extra["init"] for r in auto] == ["saddle"] * 5
    assert all("warm_start_from" not in r.extra for r in auto)
    idpp = [dataclasses.replace(t, options={**t.options, "init": "idpp"}) for t in toy_tasks]
    fresh = run_scan(idpp, calculator=toy, warm_start=False, progress=False)
    warm = run_scan(idpp, calculator=toy, progress=False)
    assert [r.extra["init"] for r in fresh] == ["idpp"] * 5
    # sheared states are too far from unsheared ones to seed each other (MAX_SEED_DISTANCE)
    assert [r.extra["init"] for r in warm] == ["idpp", "warm", "warm", "idpp", "warm"]
    assert warm[2].extra["warm_start_from"] == {"strain": 0.03, "shear_deg": None}
    assert warm[4].extra["warm_start_from"] == {"strain": 0.03, "shear_deg": 80.0}
    assert [r.strain for r in warm] == [0.0, 0.03, 0.05, 0.03, 0.05]
    for w, c, a in zip(warm, fresh, auto):
        assert w.barrier_eV == pytest.approx(c.barrier_eV, abs=2e-3)
        assert a.barrier_eV == pytest.approx(c.barrier_eV, abs=2e-3)


def test_process_pool_gives_the_in_process_results(toy_tasks, monkeypatch):
    monkeypatch.setattr("sianode.kinetics.scan._calculator", lambda name: ToyHopCalculator())
    local = run_scan(toy_tasks[:3], calculator=ToyHopCalculator(), warm_start=False,
                     progress=False)
    pooled = run_scan(toy_tasks[:3], calculator=ToyHopCalculator(), jobs=2,
                      warm_start=False, progress=False)
    assert [r.barrier_eV for r in pooled] == pytest.approx([r.barrier_eV for r in local],
                                                           abs=1e-9)
    assert [r.strain for r in pooled] == [0.0, 0.03, 0.05]


def test_strain_scan_reports_ratios_totals_and_a_changed_host(si_cell, toy_kw, capsys):
    opts = {**toy_kw, "supercell": (1, 1, 1)}
    out = strain_scan(si_cell, [0.0, 0.05], calculator=ToyHopCalculator(), method="saddle",
                      **opts)
    p0, p5 = out["points"]
    assert p0["diffusivity_ratio"] == 1.0
    assert p5["diffusivity_ratio"] < 1.0
    assert p5["method"] == "saddle"
    assert out["force_calls"] == p0["force_calls"] + p5["force_calls"]
    assert "diffusion" in capsys.readouterr().err  # progress bar on stderr
    bad = strain_scan(si_cell, [0.0, 0.05], calculator=ToyHopCalculator(k_eV_A2=-2.0),
                      progress=False, max_steps=40, **opts)
    assert [p["status"] for p in bad["points"]] == ["host changed"] * 2
    assert bad["points"][1]["diffusivity_ratio"] is None
