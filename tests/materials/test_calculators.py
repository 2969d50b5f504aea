"""Calculator factory: registry, errors, and a finite-difference force check of the wrapper."""

from __future__ import annotations

import importlib.metadata

import numpy as np
import pytest

from sianode.errors import DependencyError, ParameterError, UnknownNameError
from sianode.materials.calculators import (
    DEFAULT_POTENTIAL,
    POTENTIALS,
    get_calculator,
    potential_info,
)


def test_registry_records_scale_and_citation():
    assert DEFAULT_POTENTIAL == "7net-0"
    for name, info in POTENTIALS.items():
        assert info.name == name
        assert info.energy_scale in ("GGA", "MP2020")
        assert "doi" in info.citation
    assert potential_info("7net-0").energy_scale == "GGA"  # raw PBE: apply MP2020
    assert potential_info("chgnet").energy_scale == "MP2020"  # already corrected


def test_unknown_potential_and_device():
    with pytest.raises(UnknownNameError, match="7net-0"):
        get_calculator("7net0")
    with pytest.raises(ParameterError, match="device"):
        get_calculator("chgnet", device="tpu")


def test_missing_package_raises_dependency_error(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(DependencyError, match=r"sianode\[ml\]"):
        get_calculator("chgnet")


def _fd_forces(atoms, h=1e-3):
    forces = np.zeros((len(atoms), 3))
    pos = atoms.get_positions()
    for i in range(len(atoms)):
        for k in range(3):
            for sign in (1, -1):
                p = pos.copy()
                p[i, k] += sign * h
                atoms.set_positions(p)
                forces[i, k] -= sign * atoms.get_potential_energy() / (2 * h)
    atoms.set_positions(pos)
    return forces


@pytest.mark.ml
@pytest.mark.parametrize("name", ["chgnet", pytest.param("7net-0", marks=pytest.mark.slow)])
def test_forces_match_finite_differences(name):
    from ase.build import bulk

    atoms = bulk("Si", "diamond", a=5.43)
    atoms.rattle(0.05, seed=1)
    atoms.calc = get_calculator(name)
    analytic = atoms.get_forces()
    assert np.abs(analytic).max() > 0.05  # the rattle produced real forces
    # CHGNet computes in float32: agreement to a few meV/Å
    np.testing.assert_allclose(analytic, _fd_forces(atoms), atol=0.02)
    assert atoms.calc.sianode_potential.name == name
