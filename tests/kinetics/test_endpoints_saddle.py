"""End points by inversion symmetry, collapse detection, the symmetric-saddle shortcut."""

import numpy as np
import pytest
from ase.geometry import find_mic

from sianode.errors import ParameterError
from sianode.kinetics.endpoints import inversion_permutation, mirror_image, prepare_hop
from sianode.kinetics.hosts import DIAMOND_TD_SITES
from sianode.kinetics.neb import li_migration_barrier
from sianode.kinetics.saddle import relax_symmetric_saddle
from sianode.kinetics.strain import apply_strain
from sianode.kinetics.toy import ToyHopCalculator


@pytest.mark.parametrize("shear", [None, 80.0, 100.0])
def test_hex_site_is_an_inversion_centre_td_site_is_not(si_cell, shear):
    host = apply_strain(si_cell.repeat(2), 0.05, shear_deg=shear)
    lattice = np.asarray(host.cell)
    hex_site = np.array([5 / 16] * 3) @ lattice       # (5/8, 5/8, 5/8) of the unit cell
    td_site = np.array([1 / 4] * 3) @ lattice
    perm = inversion_permutation(host, hex_site)
    assert perm is not None
    assert np.array_equal(perm[perm], np.arange(len(host)))  # an involution
    assert inversion_permutation(host, td_site) is None


def test_midpoint_of_a_non_neighbour_hop_is_no_inversion_centre(si_cell):
    centre = np.array([0.5, 0.5, 0.25]) @ np.asarray(si_cell.cell)
    assert inversion_permutation(si_cell, centre) is None


def test_end_point_by_symmetry_equals_the_relaxed_end_point(toy, si_cell):
    kw = {"sites": DIAMOND_TD_SITES, "supercell": (2, 2, 2), "strain": 0.05,
          "shear_deg": 80.0, "fmax": 0.01}
    sym = prepare_hop(si_cell, toy, **kw)
    explicit = prepare_hop(si_cell, toy, use_symmetry=False, **kw)
    assert sym.end_by_symmetry
    assert not explicit.end_by_symmetry
    assert sym.end.get_potential_energy() == pytest.approx(
        explicit.end.get_potential_energy(), abs=2e-4)
    # the mirrored end point really is a minimum of the potential
    probe = sym.end.copy()
    probe.calc = ToyHopCalculator()
    assert np.linalg.norm(probe.get_forces(), axis=1).max() < 0.011
    assert probe.get_potential_energy() == pytest.approx(sym.start.get_potential_energy())
    # and it carries the mobile atom to where the explicit relaxation puts it
    d, _ = find_mic(probe.positions - explicit.end.positions, probe.cell)
    assert np.linalg.norm(d, axis=1).max() < 0.02


def test_mirror_image_maps_atoms_onto_their_partners(si_cell):
    host = si_cell.repeat(2)
    centre = np.array([5 / 16] * 3) @ np.asarray(host.cell)
    perm = inversion_permutation(host, centre)
    moved = host.copy()
    moved.positions[3] += [0.1, -0.05, 0.02]
    img = mirror_image(moved, perm, centre)
    np.testing.assert_allclose(img.positions[perm[3]] - host.positions[perm[3]],
                               [-0.1, 0.05, -0.02], atol=1e-9)


def test_unstable_host_is_reported_without_a_barrier(si_cell):
    r = li_migration_barrier(si_cell, ToyHopCalculator(k_eV_A2=-2.0), sites=DIAMOND_TD_SITES,
                             supercell=(1, 1, 1), host_cell=si_cell, max_steps=60)
    assert r.status == "host changed"
    assert r.barrier_eV is None
    assert r.host_change["max_displacement_A"] > 0.6


def test_collapsing_host_stops_relaxing_once_it_is_clearly_gone(si_cell):
    from sianode.kinetics.endpoints import COLLAPSE_STOP_A, relax_fixed_cell

    r = li_migration_barrier(si_cell, ToyHopCalculator(k_eV_A2=-2.0), sites=DIAMOND_TD_SITES,
                             supercell=(1, 1, 1), host_cell=si_cell, max_steps=500)
    assert r.status == "host changed"
    assert r.host_change["max_displacement_A"] > COLLAPSE_STOP_A
    assert r.extra["relax_steps"] < 30  # not the 500-step cap
    # a stable end point is not cut short: the stop test only ends unconverged relaxations
    atoms = si_cell.copy()
    atoms.rattle(0.05, seed=1)
    atoms.calc = ToyHopCalculator()
    assert relax_fixed_cell(atoms, 0.01, 200, stop=lambda a: True) == (False, 0)
    atoms.rattle(0.05, seed=2)
    converged, steps = relax_fixed_cell(atoms, 0.01, 200, stop=lambda a: False)
    assert converged
    assert 1 < steps < 200


@pytest.mark.parametrize(("strain", "shear"), [(0.0, None), (0.05, None), (0.03, 80.0)])
def test_saddle_shortcut_agrees_with_ci_neb(toy, toy_kw, strain, shear):
    neb = li_migration_barrier(calculator=toy, method="neb", strain=strain, shear_deg=shear,
                               fmax=0.01, **toy_kw)
    state = prepare_hop(toy_kw["host_cell"], toy, sites=DIAMOND_TD_SITES, strain=strain,
                        shear_deg=shear, fmax=0.01)
    saddle = relax_symmetric_saddle(state, toy, fmax=0.01)
    assert saddle.mobile_force_eV_A < 1e-6       # stationary by symmetry
    assert saddle.barrier_eV == pytest.approx(neb.barrier_eV, abs=1e-3)
    assert 0.05 < neb.barrier_eV < 0.5


def test_saddle_method_is_cheaper_and_sheared_states_use_the_neb(toy, toy_kw):
    neb = li_migration_barrier(calculator=toy, strain=0.05, **toy_kw)
    sad = li_migration_barrier(calculator=toy, strain=0.05, method="saddle", **toy_kw)
    assert sad.method == "saddle"
    assert sad.neb_steps == 0
    assert sad.force_calls < neb.force_calls / 3
    assert sad.barrier_eV == pytest.approx(neb.barrier_eV, abs=5e-3)
    assert len(sad.path_energies_eV) == 3
    sheared = li_migration_barrier(calculator=toy, strain=0.05, shear_deg=80.0,
                                   method="saddle", **toy_kw)
    assert sheared.method == "neb"
    assert sheared.neb_steps > 0
    assert sheared.barrier_eV > neb.barrier_eV  # toy: shear brings host atoms closer


def test_saddle_shortcut_refuses_a_hop_without_inversion_centre(toy, si_cell):
    sites = ((0.5, 0.5, 0.5), (0.5, 0.5, 0.0))
    state = prepare_hop(si_cell, toy, sites=sites, supercell=(1, 1, 1))
    assert state.permutation is None
    assert not state.end_by_symmetry
    with pytest.raises(ParameterError, match="inversion"):
        relax_symmetric_saddle(state, toy)


def test_frozen_host_raises_the_barrier(toy, toy_kw):
    free = li_migration_barrier(calculator=toy, method="saddle", **toy_kw)
    frozen = li_migration_barrier(calculator=toy, method="saddle", relax_host=False, **toy_kw)
    assert frozen.barrier_eV > free.barrier_eV + 0.01
