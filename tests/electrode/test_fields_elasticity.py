"""Model 3 (seed 002): linear elasticity with a lithiation eigenstrain, layered cells."""

import numpy as np
import pytest

from sianode.electrode.fields import (
    VOLUME_PER_SI_A3,
    LayeredCell,
    layered_mesh,
    layered_stress,
    lithiation_linear_strain,
    parse_design,
    particle_mesh,
    simulate_interlayer,
    solve_elasticity,
)
from sianode.errors import ParameterError, UnknownNameError


def test_volume_per_si_and_eigenstrain():
    assert VOLUME_PER_SI_A3["Si"] == pytest.approx(20.02, abs=0.01)
    assert VOLUME_PER_SI_A3["Li15Si4"] == pytest.approx(76.24, abs=0.02)
    # Li21Si5: a = 18.710 A, 80 Si per cell (Nesper & von Schnering 1987), via electrode.phases
    assert VOLUME_PER_SI_A3["Li21Si5"] == pytest.approx(81.87, abs=0.02)
    # Li15Si4: 281 % volume expansion -> linear strain 0.5615
    assert VOLUME_PER_SI_A3["Li15Si4"] / VOLUME_PER_SI_A3["Si"] == pytest.approx(3.81, abs=0.01)
    assert lithiation_linear_strain("Li15Si4") == pytest.approx(0.5615, abs=1e-4)
    with pytest.raises(UnknownNameError, match="did you mean 'Li15Si4'"):
        lithiation_linear_strain("Li15S4")


def test_laterally_constrained_lithiated_layer_is_biaxial():
    # plane strain, rollers on the sides, free top: sxx = szz = -E beta / (1 - nu), syy = 0
    cell = LayeredCell(parse_design("si,sse"), contact_fraction=1.0)
    lm = layered_mesh(cell, 0.5)
    res = layered_stress(lm, np.zeros(lm.mesh.nvertices))
    si = lm.layer_index == 0
    expected = -41.0 * lithiation_linear_strain() / (1 - 0.24)
    assert expected == pytest.approx(-30.29, abs=0.01)
    assert res.stress_GPa["11"][si] == pytest.approx(expected, rel=1e-9)
    assert res.stress_GPa["33"][si] == pytest.approx(expected, rel=1e-9)
    assert np.abs(res.stress_GPa["22"][si]).max() < 1e-9
    assert np.abs(res.stress_GPa["11"][~si]).max() < 1e-9  # the SSE stays stress-free
    s = res.summary(si)
    assert s["von_mises_p99_GPa"] == pytest.approx(-expected, rel=1e-9)
    assert s["hydrostatic_p99_GPa"] == pytest.approx(2 * expected / 3, rel=1e-9)
    assert s["fraction_above_yield"] == 1.0  # every point beyond LixSi's ~1.5 GPa flow stress


def test_pristine_cell_is_stress_free():
    lm = layered_mesh(LayeredCell(parse_design("si,li21si5,sse")), 0.5)
    res = layered_stress(lm)
    assert np.abs(res.von_mises_GPa).max() < 1e-9


@pytest.fixture(scope="module")
def designs():
    return {d: simulate_interlayer(d, h_um=0.25).metrics() for d in ("si,sse", "si,li21si5,sse")}


def test_interlayer_lowers_interface_and_si_stress(designs):
    # seed 002 Fig. 2i,j: "significantly smaller stress at the interface" with Li21Si5
    bare, inter = designs["si,sse"], designs["si,li21si5,sse"]
    assert bare["sse_interface_von_mises_mean_GPa"] == pytest.approx(23.7, abs=1.0)
    assert inter["sse_interface_von_mises_mean_GPa"] < 0.1
    assert bare["si_von_mises_p99_GPa"] == pytest.approx(45.6, abs=1.5)
    assert inter["si_von_mises_p99_GPa"] == pytest.approx(39.7, abs=1.5)
    assert bare["si_von_mises_p99_GPa"] > inter["si_von_mises_p99_GPa"] + 3
    assert bare["hydrostatic_max_GPa"] > 10 > 1 > inter["hydrostatic_max_GPa"]
    assert bare["fraction_above_yield"] > 2 * inter["fraction_above_yield"]
    # and the flux into Si stays uniform with the interlayer after lithiation
    assert bare["final_anode_flux_cv"] > 0.9
    assert inter["final_anode_flux_cv"] < 0.02


def test_robust_stress_metrics_converge(designs):
    coarse = simulate_interlayer("si,sse", h_um=0.5).metrics()
    fine = designs["si,sse"]
    for key in ("sse_interface_von_mises_mean_GPa", "si_von_mises_p99_GPa", "si_von_mises_mean_GPa"):
        assert fine[key] == pytest.approx(coarse[key], rel=0.1)
    assert fine["sse_interface_von_mises_mean_GPa"] == pytest.approx(
        coarse["sse_interface_von_mises_mean_GPa"], rel=0.02)
    assert fine["n_dofs_elasticity"] <= 20000


def test_bad_elastic_input_names_the_parameter():
    mesh = particle_mesh(1.0, 2)
    kw = {"youngs_modulus_GPa": 100.0, "poisson_ratio": 0.3, "eigenstrain": 0.01,
          "rollers": ((0, 0.0, 0),), "pins": ((0.0, 0.0, 1),), "mode": "axisymmetric"}
    solve_elasticity(mesh, **kw)
    for name, bad in (("youngs_modulus_GPa", -1.0), ("youngs_modulus_GPa", 0.0),
                      ("poisson_ratio", 0.5), ("poisson_ratio", -1.0), ("poisson_ratio", 0.6),
                      ("eigenstrain", np.nan)):
        with pytest.raises(ParameterError, match=name):
            solve_elasticity(mesh, **{**kw, name: bad})
    with pytest.raises(ParameterError, match="youngs_modulus_GPa"):
        solve_elasticity(mesh, **{**kw, "youngs_modulus_GPa": np.ones(7)})
    with pytest.raises(UnknownNameError, match="plane_strain"):
        solve_elasticity(mesh, **{**kw, "mode": "plane_stress"})
    lm = layered_mesh(LayeredCell(parse_design("si,sse")), 0.5)
    with pytest.raises(ParameterError, match="si_fraction"):
        layered_stress(lm, np.ones(3))


@pytest.mark.slow
def test_peak_stress_is_singular_while_robust_metrics_converge(designs):
    # h = 0.25 -> 0.125 um (60k P2 DOFs): where the front meets the pore-covered free surface
    # the hydrostatic peak keeps growing; interface averages and percentiles settle
    coarse, fine = designs["si,sse"], simulate_interlayer("si,sse", h_um=0.125).metrics()
    assert fine["hydrostatic_max_GPa"] > 1.2 * coarse["hydrostatic_max_GPa"]
    assert fine["sse_interface_von_mises_mean_GPa"] == pytest.approx(
        coarse["sse_interface_von_mises_mean_GPa"], rel=0.02)
    assert fine["si_von_mises_p99_GPa"] == pytest.approx(coarse["si_von_mises_p99_GPa"], rel=0.03)
    assert fine["anode_flux_cv"] == pytest.approx(coarse["anode_flux_cv"], rel=0.03)
