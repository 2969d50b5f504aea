"""Alloy OCVs shared by the cell-simulation tests: the built-in Si and the hand-made Li-Si
hull of test_simulate_model (built once per session)."""

from __future__ import annotations

import pytest

from sianode.cell.simulate import AlloyOCV, alloy_ocv_from_thermo, default_k_grid


@pytest.fixture(scope="session")
def builtin_ocv() -> AlloyOCV:
    from sianode.materials import load_entries

    return alloy_ocv_from_thermo("Si", load_entries("builtin"))


@pytest.fixture(scope="session")
def ocv() -> AlloyOCV:
    from test_simulate_model import K_STOP, _profile, lisi_entries

    entries = lisi_entries()
    return AlloyOCV.from_profiles("Si", [_profile(entries, k) for k in default_k_grid(K_STOP)],
                                  K_STOP, source="hand-made Li-Si")
