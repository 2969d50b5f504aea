"""Strain, collapse detection, diffusivity ratio and CI-NEB (fast: CHGNet, 9-atom Si cell)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ase.build import bulk

from sianode.errors import ParameterError, UnknownNameError
from sianode.kinetics.diffusion import diffusivity_ratio, scan_points
from sianode.kinetics.neb import MigrationResult, li_migration_barrier
from sianode.kinetics.strain import apply_strain, compare_hosts
from sianode.units import BOLTZMANN_EV_K


def test_linear_volume_and_shear_strain():
    si = bulk("Si", "diamond", a=5.43, cubic=True)
    lin = apply_strain(si, 0.05)
    assert lin.cell.lengths() == pytest.approx([5.43 * 0.95] * 3)
    vol = apply_strain(si, 0.05, kind="volume")
    assert vol.get_volume() == pytest.approx(si.get_volume() * 0.95)
    sh = apply_strain(si, 0.05, shear_deg=80.0)
    assert sh.cell.cellpar()[5] == pytest.approx(80.0)
    assert sh.cell.lengths() == pytest.approx([5.43 * 0.95] * 3)
    np.testing.assert_allclose(sh.get_scaled_positions(), si.get_scaled_positions(), atol=1e-12)
    with pytest.raises(ParameterError, match="strain"):
        apply_strain(si, 0.7)
    with pytest.raises(ParameterError, match="shear_deg"):
        apply_strain(si, 0.0, shear_deg=10)
    with pytest.raises(UnknownNameError):
        apply_strain(si, 0.0, kind="shear")


def test_compare_hosts_flags_large_moves_and_coordination_change():
    si = bulk("Si", "diamond", a=5.43, cubic=True)
    same = si.copy()
    same.rattle(0.01, seed=0)
    assert not compare_hosts(si, same).changed
    moved = si.copy()
    moved.positions[0] += [0.9, 0.0, 0.0]
    ch = compare_hosts(si, moved)
    assert ch.changed
    assert ch.max_displacement_A == pytest.approx(0.9)
    assert ch.coordination_before == pytest.approx(4.0)


def test_diffusivity_ratio_matches_seed_numbers():
    # seed 001 Fig. 3b: 0.4 -> 0.8 eV at 300 K is about a 1e7 drop
    r = diffusivity_ratio(0.8, 0.4, 300.0)
    assert r == pytest.approx(math.exp(-0.4 / (BOLTZMANN_EV_K * 300.0)))
    assert 1e-8 < r < 1e-6
    assert diffusivity_ratio(0.4, 0.4) == 1.0
    with pytest.raises(ParameterError, match="temperature_K"):
        diffusivity_ratio(0.8, 0.4, 0.0)
    with pytest.raises(ParameterError):
        diffusivity_ratio(float("nan"), 0.4)


def test_scan_points_add_sheared_copies():
    assert scan_points([0, 0.05], 80) == [(0.0, None), (0.05, None), (0.05, 80.0)]
    assert scan_points([0, 0.05]) == [(0.0, None), (0.05, None)]


def test_non_diamond_host_needs_sites():
    with pytest.raises(ParameterError, match="sites"):
        li_migration_barrier("Mg2Si", calculator=object(), supercell=(1, 1, 1))


@pytest.fixture(scope="module")
def chgnet():
    from sianode.materials.calculators import get_calculator

    return get_calculator("chgnet")


@pytest.mark.ml
def test_small_cell_barrier_unstrained(chgnet):
    r0 = li_migration_barrier("Si", chgnet, supercell=(1, 1, 1), n_images=3, fmax=0.15,
                              max_steps=40)
    # measured on this 9-atom cell: 0.26 eV (CHGNet); symmetric Td -> Hex -> Td path
    assert 0.1 < r0.barrier_eV < 0.5
    e = r0.path_energies_eV
    assert e[0] == 0.0
    assert max(e) == pytest.approx(e[len(e) // 2])
    assert r0.path_distance_A[-1] > 2.0  # Td-Td distance of Si is 2.35 Å
    assert r0.n_atoms == 9


@pytest.mark.slow
@pytest.mark.ml
def test_small_cell_barrier_rises_under_compression(chgnet):
    from sianode.kinetics.neb import prepare_host

    cell = prepare_host("Si", chgnet)
    kw = {"supercell": (1, 1, 1), "n_images": 3, "fmax": 0.1, "max_steps": 60,
          "host_cell": cell}
    r0 = li_migration_barrier("Si", chgnet, **kw)
    assert r0.status in ("ok", "not converged")
    # measured on this 9-atom cell: 0.26 eV (CHGNet); symmetric Td -> Hex -> Td path
    assert 0.1 < r0.barrier_eV < 0.5
    e = r0.path_energies_eV
    assert e[0] == 0.0
    assert max(e) == pytest.approx(e[len(e) // 2])
    assert e[-1] == pytest.approx(0.0, abs=0.02)
    r5 = li_migration_barrier("Si", chgnet, strain=0.05, **kw)
    assert r5.barrier_eV > r0.barrier_eV + 0.1  # measured 0.53 eV
    assert MigrationResult.from_dict(r5.as_dict()) == r5


@pytest.mark.ml
def test_collapsed_host_gives_no_barrier(chgnet):
    r = li_migration_barrier("Si", chgnet, strain=0.25, supercell=(1, 1, 1), n_images=3,
                             fmax=0.1, max_steps=80)
    assert r.status == "host changed"
    assert r.barrier_eV is None


@pytest.mark.slow
@pytest.mark.ml
def test_full_64_atom_ci_neb_7net0():
    r0 = li_migration_barrier("Si", "7net-0", n_images=5, fmax=0.05, max_steps=200)
    assert r0.n_atoms == 65
    # DFT reference ~0.5 eV; issue measurement 0.46 eV with 7net-0
    assert 0.35 < r0.barrier_eV < 0.6


def test_diffusion_cli_failure_paths_are_one_line_errors(capsys):
    from sianode.cli.main import main

    assert main(["diffusion", "Mg2Si", "--strain", "0"]) == 2
    assert "sites" in capsys.readouterr().err
    assert main(["diffusion", "Si", "--sites", "0", "0", "0", "2", "0", "0"]) == 2
    assert "sites" in capsys.readouterr().err
    assert main(["diffusion", "Si", "--temperature-K", "-5"]) == 2
    assert "temperature_K" in capsys.readouterr().err


def test_plot_migration_paths_labels_each_point():
    from sianode.plots.kinetics import plot_migration_paths

    pts = [{"strain": 0.0, "shear_deg": None, "barrier_eV": 0.45,
            "path_distance_A": [0, 1.2, 2.4], "path_energies_eV": [0, 0.45, 0]},
           {"strain": 0.05, "shear_deg": None, "barrier_eV": 0.82, "method": "saddle",
            "path_distance_A": [0, 1.2, 2.4], "path_energies_eV": [0, 0.82, 0]},
           {"strain": 0.1, "shear_deg": 80.0, "barrier_eV": None,
            "path_distance_A": [], "path_energies_eV": []}]
    ax = plot_migration_paths(pts)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["0 % compression: 0.45 eV", "5 % compression: 0.82 eV (saddle)",
                      "10 % compression, γ = 80°: host changed"]
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert ax.get_ylabel() == "energy [eV]"


@pytest.mark.ml
def test_saddle_shortcut_and_warm_start_match_ci_neb_with_chgnet(chgnet):
    from sianode.kinetics.neb import migration_with_band, prepare_host

    cell = prepare_host("Si", chgnet)
    kw = {"supercell": (1, 1, 1), "n_images": 3, "fmax": 0.05, "host_cell": cell}
    r0, band0 = migration_with_band("Si", chgnet, **kw)
    neb = li_migration_barrier("Si", chgnet, strain=0.03, **kw)
    warm = li_migration_barrier("Si", chgnet, strain=0.03, seed_band=band0, init="idpp", **kw)
    sad = li_migration_barrier("Si", chgnet, strain=0.03, method="saddle", **kw)
    assert neb.extra["init"] == "saddle"
    assert warm.extra["init"] == "warm"
    assert sad.method == "saddle"
    assert sad.extra["mobile_force_eV_A"] < 0.01
    # issue 16: shortcut and warm start within 10 meV of the full CI-NEB
    assert abs(sad.barrier_eV - neb.barrier_eV) < 0.010
    assert abs(warm.barrier_eV - neb.barrier_eV) < 0.010
    assert sad.force_calls < neb.force_calls
    assert neb.barrier_eV > r0.barrier_eV


@pytest.mark.slow
@pytest.mark.ml
def test_65_atom_saddle_and_ci_neb_agree_with_wave1_7net0():
    from sianode.materials.calculators import get_calculator

    calc = get_calculator("7net-0")
    neb = li_migration_barrier("Si", calc, strain=0.05)
    sad = li_migration_barrier("Si", calc, strain=0.05, method="saddle")
    # wave-1 route (issue 16): 0.828 eV at 5 % linear compression, 65-atom cell
    assert neb.barrier_eV == pytest.approx(0.828, abs=0.010)
    assert sad.barrier_eV == pytest.approx(neb.barrier_eV, abs=0.010)
