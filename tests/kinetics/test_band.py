"""Counted force calls, band interpolation/scaling, the CI-NEB residual and optimisers."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk
from ase.calculators.emt import EMT
from hypothesis import given
from hypothesis import strategies as st

from sianode.errors import UnknownNameError
from sianode.kinetics.band import (
    ClimbingNEB,
    CountingCalculator,
    band_fractional,
    band_from_fractional,
    image_calculators,
    interpolate_path,
)
from sianode.kinetics.endpoints import prepare_hop
from sianode.kinetics.hosts import DIAMOND_TD_SITES
from sianode.kinetics.optimizers import NEB_OPTIMIZERS, log_progress, optimize_band
from sianode.kinetics.strain import apply_strain


def test_counting_calculator_counts_evaluations_and_forks_share_the_counter():
    calc = CountingCalculator(EMT())
    a, b = bulk("Cu", cubic=True), bulk("Cu", cubic=True)
    a.calc = calc
    a.get_potential_energy(), a.get_forces(), a.get_forces()
    assert calc.calls == 1  # energy and forces from one evaluation, then cached
    c1, c2 = calc.fork(), calc.fork()
    a.calc, b.calc = c1, c2
    b.rattle(0.01, seed=1)
    for _ in range(3):  # each proxy keeps its own cache: no recomputation
        a.get_forces(), b.get_forces()
    assert calc.calls == 3
    assert a.get_potential_energy() == pytest.approx(EMT().get_potential_energy(a))


def test_shared_calculator_recomputes_every_time_forked_ones_do_not():
    a, b = bulk("Cu", cubic=True), bulk("Cu", cubic=True)
    b.rattle(0.01, seed=2)
    shared = CountingCalculator(EMT())
    a.calc = b.calc = shared
    for _ in range(3):
        a.get_forces(), b.get_forces()
    assert shared.calls == 6  # the wave-1 NEB's waste: one calculator for all images
    forks = image_calculators(EMT(), 2)
    a.calc, b.calc = forks
    for _ in range(3):
        a.get_forces(), b.get_forces()
    assert forks[0].calls == 2


def test_interpolate_path_spaces_images_by_arc_length_through_a_middle_point():
    a = Atoms("H", positions=[[0, 0, 0]], cell=[10, 10, 10], pbc=True)
    mid, b = a.copy(), a.copy()
    mid.positions[0] = [1.0, 1.0, 0.0]
    b.positions[0] = [2.0, 0.0, 0.0]
    ims = interpolate_path([a, mid, b], 3)
    np.testing.assert_allclose(ims[1].positions[0], [1.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(ims[0].positions[0], [0.5, 0.5, 0.0], atol=1e-12)
    # across the periodic boundary the short way (minimum image)
    c = a.copy()
    c.positions[0] = [9.0, 0.0, 0.0]
    assert interpolate_path([a, c], 1)[0].positions[0, 0] == pytest.approx(-0.5)


def test_band_fractional_carries_a_band_into_a_strained_cell(si_cell):
    ims = [si_cell.copy() for _ in range(3)]
    for k, im in enumerate(ims):
        im.positions[0] += [0.1 * k, 0.0, 0.0]
    frac = band_fractional(ims)
    strained = apply_strain(si_cell, 0.05, shear_deg=80.0)
    moved = band_from_fractional(frac, strained)
    for im, f in zip(moved, frac):
        np.testing.assert_allclose(im.get_scaled_positions(wrap=False), f, atol=1e-12)
        assert im.cell.cellpar()[5] == pytest.approx(80.0)


@pytest.fixture
def toy_band(toy, si_cell):
    state = prepare_hop(si_cell, toy, sites=DIAMOND_TD_SITES, supercell=(1, 1, 1))
    images = [state.start, *interpolate_path([state.start, state.end], 3), state.end]
    calc = CountingCalculator(toy)
    for im, c in zip(images[1:-1], image_calculators(calc, 3)):
        im.calc = c
    return ClimbingNEB(images), calc


def test_climbing_residual_includes_the_climbing_image(toy_band):
    band, _ = toy_band
    forces = band.get_forces()
    per_atom = np.linalg.norm(forces.reshape(-1, 3), axis=1)
    assert band.get_residual() == pytest.approx(per_atom.max())
    n = len(band.images[0])
    climbing = per_atom[(band.imax - 1) * n:band.imax * n].max()
    assert band.get_residual() >= climbing > 0


def test_band_optimiser_spends_one_call_per_moving_image_per_step(toy_band):
    band, calc = toy_band
    converged, steps = optimize_band(band, optimizer="fire", fmax=0.05, max_steps=200)
    assert converged
    # end points frozen, one evaluation per image per step (+ the initial one)
    assert calc.calls == 3 * (steps + 1)


def test_every_registered_optimiser_converges_the_toy_band(toy, si_cell):
    state = prepare_hop(si_cell, toy, sites=DIAMOND_TD_SITES, supercell=(1, 1, 1))
    barriers = {}
    for name in NEB_OPTIMIZERS:
        images = [state.start, *interpolate_path([state.start, state.end], 3), state.end]
        for im, c in zip(images[1:-1], image_calculators(toy, 3)):
            im.calc = c
        band = ClimbingNEB(images)
        converged, _ = optimize_band(band, optimizer=name, fmax=0.02, max_steps=400)
        assert converged, name
        barriers[name] = max(band.energies) - band.energies[0]
    assert max(barriers.values()) - min(barriers.values()) < 2e-3
    with pytest.raises(UnknownNameError, match="NEB optimizer"):
        optimize_band(band, optimizer="newton")


@given(st.floats(0.06, 50), st.floats(1e-3, 50))
def test_log_progress_is_a_fraction_that_grows_as_the_force_falls(f0, f):
    p = log_progress(f0, f, 0.05)
    assert 0.0 <= p <= 1.0
    assert log_progress(f0, f / 2, 0.05) >= p
    assert log_progress(f0, 0.04, 0.05) == 1.0
