"""Constrained voltage profiles from the engine's own hull, cross-checked with pymatgen's
``PhaseDiagram.get_element_profile`` (the per-K pymatgen route kept as the reference)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sianode.testing import random_entries
from sianode.thermo import LithiationEngine, constrained_profiles
from sianode.thermo.screen import k_eff_column, screen


def _agree(ours, peer) -> bool:
    return len(ours.steps) == len(peer) and all(
        abs(s.voltage_V - v) < 1e-7 and abs(s.li_start - lo) < 1e-6
        and abs(s.li_end - hi) < 1e-6 and s.products == pr
        for s, (v, lo, hi, pr) in zip(ours.steps, peer, strict=True))


@pytest.mark.parametrize(("seed", "max_nonli"), [(3, 2), (11, 4)])
def test_profiles_equal_pymatgen_on_every_host(seed, max_nonli, pymatgen_profile):
    entries = random_entries(n_systems=5, seed=seed, max_nonli=max_nonli)
    eng = LithiationEngine(entries, voltage_range_V=None)
    n_steps = checked = 0
    for h in entries:
        if h.composition.reduced_formula == "Li":
            continue
        for k in (0.0, 2.0):
            ours = eng.profile(h.entry_id, k)
            assert _agree(ours, pymatgen_profile(entries, h.entry_id, k)), (h.entry_id, k)
            n_steps += len(ours.steps)
            checked += 1
    assert checked > 100
    assert n_steps > 100  # multi-step profiles are exercised


def test_builtin_si_profiles_equal_pymatgen(pymatgen_profile):
    from sianode.materials.builtin import load_builtin_entries, load_builtin_table

    entries = load_builtin_entries(["Li-Si"])
    profiles = constrained_profiles("Si", load_builtin_table(["Li-Si"]), [0, 1, 2, 3, 4, 5])
    si = min((e for e in entries if e.composition.reduced_formula == "Si"),
             key=lambda e: e.energy_per_atom).entry_id
    for p in profiles:
        assert _agree(p, pymatgen_profile(entries, si, p.k_eff_GPa)), p.k_eff_GPa
    caps = [p.capacity_mAh_g for p in profiles]
    assert caps[0] > 0
    assert caps == sorted(caps, reverse=True)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 6.0))
def test_profile_is_a_staircase_ending_at_the_capacity(seed, k):
    entries = random_entries(n_systems=2, seed=seed, max_nonli=2, compounds_per_system=8)
    eng = LithiationEngine(entries, voltage_range_V=None)
    for h in entries[::3]:
        if h.composition.reduced_formula == "Li":
            continue
        p = eng.profile(h.entry_id, k)
        volts = [s.voltage_V for s in p.steps]
        assert volts == sorted(volts, reverse=True)
        assert all(v > 0 for v in volts)
        for a, b in zip(p.steps[:-1], p.steps[1:], strict=True):
            assert b.capacity_start_mAh_g == pytest.approx(a.capacity_end_mAh_g, abs=1e-9)
        assert p.capacity_mAh_g == pytest.approx(eng.capacity_vs_k(h.entry_id, [k])[0],
                                                 rel=1e-9, abs=1e-6)


def test_screen_constrained_capacities_equal_single_host_api():
    entries = random_entries(n_systems=8, seed=21, max_nonli=3)
    grid = [0.0, 1.0, 2.5, 5.0]
    df = screen(entries, k_eff_GPa=grid, voltage_range_V=None).set_index("id")
    eng = LithiationEngine(entries, voltage_range_V=None)
    assert [c for c in df.columns if c.startswith("capacity_mAh_g_at_")] == \
        [k_eff_column(k) for k in grid]
    for h in entries[::4]:
        if h.composition.reduced_formula == "Li":
            continue
        caps = eng.capacity_vs_k(h.entry_id, grid)
        got = [df.loc[h.entry_id, k_eff_column(k)] for k in grid]
        assert got == pytest.approx(list(caps), rel=1e-9, abs=1e-9)
    assert (df[k_eff_column(0.0)] == df["capacity_mAh_g"]).all()
    assert (df[k_eff_column(5.0)] <= df[k_eff_column(0.0)] + 1e-9).all()


def test_screen_never_ok_outside_physical_voltages():
    """A Li reference of +5 eV would put Si at 7 V: the row is an error, not 'ok'."""
    import pandas as pd

    df = pd.DataFrame({"id": ["li", "si", "lisi"], "formula": ["Li", "Si", "LiSi"],
                       "energy_eV": [5.0, -5.4, -7.7], "volume_A3": [20.0, 20.0, 35.0]})
    out = screen(df).set_index("id")
    assert out.loc["si", "voltage_V"] == pytest.approx(7.3)
    assert out.loc["si", "status"].startswith("error: voltage 7.3 V outside")
    assert (out["status"] != "ok").all()
