"""Model 1 (seed 002 Fig. 2i,j): Ohm's-law current in layered anode | SSE cells."""

import numpy as np
import pytest

from sianode.electrode.fields import (
    FieldMaterial,
    LayeredCell,
    convergence_table,
    layered_mesh,
    parse_design,
    series_asr_ohm_cm2,
    simulate_interlayer,
    solve_conduction,
    summary_stats,
    weighted_cv,
    weighted_percentile,
)
from sianode.errors import ComputationError, ParameterError, UnknownNameError


def _cell(design, contact_fraction=0.5, thickness=None, **kw):
    return LayeredCell(parse_design(design, thickness), contact_fraction=contact_fraction, **kw)


@pytest.mark.parametrize("design", ["si,sse", "si,li21si5,sse", "sse,si,li21si5,si,sse"])
def test_series_resistance_of_fully_contacted_stack_is_exact(design):
    # 1D stack: ASR = sum t_i / sigma_i; P1 elements are exact for piecewise-linear phi
    cell = _cell(design, contact_fraction=1.0)
    res = solve_conduction(layered_mesh(cell, 0.5))
    expected = sum(ly.thickness_um * 1e-4 / {"si": 3e-5, "li21si5": 10.0, "sse": 1e-3}[
        ly.material] for ly in cell.layers)
    assert res.asr_ohm_cm2 == pytest.approx(expected, rel=1e-8)  # conditioning: sigma ratio 3e5
    assert series_asr_ohm_cm2(cell.layers) == pytest.approx(expected, rel=1e-12)
    # si 8 um at 3e-5 S/cm = 26.67 ohm cm2; sse 4 um at 1e-3 = 0.40 ohm cm2
    if design == "si,sse":
        assert res.asr_ohm_cm2 == pytest.approx(80 / 3 + 0.4, rel=1e-9)
    m = res.metrics()
    assert m["anode_flux_cv"] == pytest.approx(0.0, abs=1e-9)
    assert m["sse_flux_cv"] == pytest.approx(0.0, abs=1e-9)


def test_custom_material_in_any_layer_list():
    mats = {"carbon": FieldMaterial("carbon", 2.0, 10.0, 0.3)}
    cell = _cell(["si", "carbon", "sse"], contact_fraction=1.0, thickness=[5, 1, 3])
    res = solve_conduction(layered_mesh(cell, 0.5), materials=mats)
    assert res.asr_ohm_cm2 == pytest.approx(5e-4 / 3e-5 + 1e-4 / 2.0 + 3e-4 / 1e-3, rel=1e-9)
    assert series_asr_ohm_cm2(cell.layers, mats) == pytest.approx(res.asr_ohm_cm2, rel=1e-9)
    assert res.metrics()["anode_flux_cv"] == pytest.approx(0.0, abs=1e-9)
    # a reactive custom anode runs through the whole front + stress pipeline
    mats["sic"] = FieldMaterial("sic", 1e-4, 120.0, 0.2, reactive=True)
    out = simulate_interlayer("sic,sse", [4, 2], h_um=0.25, capacity_mAh_cm2=0.5,
                              materials=mats).metrics()
    assert out["anode_flux_cv"] > 0.5
    assert out["charge_balance"] == pytest.approx(1.0, abs=0.1)


def test_fluxes_are_conservative_and_scaled_to_the_applied_current():
    cell = _cell("si,sse")
    res = solve_conduction(layered_mesh(cell, 0.25), current_density_mA_cm2=2.5)
    anode = res.interface_flux(0, "below")
    sse = res.interface_flux(0, "above")
    assert anode.mean_mA_cm2 == pytest.approx(2.5, rel=1e-9)
    assert anode.length_um.sum() == pytest.approx(10.0)
    # all current crosses the 5 um contact strip: mean 2.5 / 0.5
    assert sse.length_um.sum() == pytest.approx(5.0)
    assert sse.mean_mA_cm2 == pytest.approx(5.0, rel=1e-9)
    assert np.all(anode.flux_mA_cm2[(anode.x_um < 2.4) | (anode.x_um > 7.6)] == 0.0)
    with pytest.raises(ParameterError, match="'k'"):
        res.interface_flux(1)
    with pytest.raises(UnknownNameError, match="below"):
        res.interface_flux(0, "left")


def test_li21si5_interlayer_homogenises_the_current_into_si():
    # seed 002 Fig. 2i,j: the interlayer evens out the flux at the anode|SSE interface
    bare = solve_conduction(layered_mesh(_cell("si,sse"), 0.25)).metrics()
    inter = solve_conduction(layered_mesh(_cell("si,li21si5,sse"), 0.25)).metrics()
    assert bare["anode_flux_cv"] == pytest.approx(1.19, abs=0.03)
    assert inter["anode_flux_cv"] < 0.01
    assert bare["sse_flux_cv"] == pytest.approx(0.46, abs=0.03)
    assert inter["sse_flux_cv"] == pytest.approx(0.09, abs=0.01)
    assert inter["sse_flux_cv"] < 0.25 * bare["sse_flux_cv"]
    # flux into Si peaks at ~3.8x the mean at the contact edges without the interlayer
    assert bare["anode_flux_p99_over_mean"] > 3.5
    assert inter["anode_flux_p99_over_mean"] == pytest.approx(1.0, abs=0.01)


def test_flux_cv_converges_with_the_mesh():
    cell = _cell("si,sse")
    rows = convergence_table(lambda h: solve_conduction(layered_mesh(cell, h)).metrics(),
                             [0.5, 0.25, 0.125], ["anode_flux_cv", "sse_flux_cv", "asr_ohm_cm2"])
    for key in ("anode_flux_cv", "sse_flux_cv", "asr_ohm_cm2"):
        changes = [r[f"{key}_rel_change"] for r in rows[1:]]
        assert changes[-1] < 0.07
        assert changes[-1] < changes[0]
    assert rows[-1]["anode_flux_cv"] == pytest.approx(1.19, abs=0.02)
    # the raw (unwindowed) facet peak is a corner singularity: it keeps growing
    peaks = [solve_conduction(layered_mesh(cell, h)).interface_flux(0, "below")
             .flux_mA_cm2.max() for h in (0.5, 0.25, 0.125)]
    assert peaks[0] < peaks[1] < peaks[2]


def test_weighted_metrics_by_hand():
    assert weighted_cv([1.0, 3.0]) == pytest.approx(0.5)
    assert weighted_cv([1.0, 3.0], [3.0, 1.0]) == pytest.approx(np.sqrt(0.75) / 1.5)
    assert weighted_percentile([0.0, 10.0], 50) == pytest.approx(5.0)
    stats = summary_stats([1.0, 2.0, 3.0], prefix="f_")
    assert stats["f_mean"] == pytest.approx(2.0)
    assert stats["f_max"] == 3.0
    with pytest.raises(ComputationError):
        weighted_cv([1.0, -1.0])
    with pytest.raises(ParameterError, match="weights"):
        weighted_cv([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ParameterError, match="values"):
        weighted_cv([])


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [("conductivity_S_cm", -1e-3, "conductivity_S_cm"),
     ("conductivity_S_cm", 0.0, "conductivity_S_cm"),
     ("youngs_modulus_GPa", -5.0, "youngs_modulus_GPa"),
     ("poisson_ratio", 0.5, "poisson_ratio"),
     ("poisson_ratio", -1.0, "poisson_ratio"),
     ("poisson_ratio", 0.7, "poisson_ratio")],
)
def test_bad_material_values_name_the_parameter(field, value, name):
    kw = {"conductivity_S_cm": 1e-3, "youngs_modulus_GPa": 20.0, "poisson_ratio": 0.3}
    kw[field] = value
    with pytest.raises(ParameterError, match=name):
        FieldMaterial("x", **kw)


def test_bad_geometry_names_the_parameter():
    with pytest.raises(ParameterError, match="design"):
        parse_design("")
    with pytest.raises(ParameterError, match="design"):
        parse_design(" , ")
    with pytest.raises(ParameterError, match=r"thickness_um\[1\]"):
        parse_design("si,sse", [8.0, 0.0])
    with pytest.raises(ParameterError, match="thickness_um"):
        parse_design("si,sse", [8.0])
    with pytest.raises(ParameterError, match="layers"):
        LayeredCell(parse_design("si"))
    with pytest.raises(ParameterError, match="contact_fraction"):
        _cell("si,sse", contact_fraction=0.0)
    with pytest.raises(ParameterError, match="void_depth_um"):
        _cell("si,sse", void_depth_um=4.0)
    with pytest.raises(ParameterError, match="width_um"):
        _cell("si,sse", width_um=-1.0)
    with pytest.raises(ParameterError, match="h_um"):
        layered_mesh(_cell("si,sse"), 0.0)
    with pytest.raises(UnknownNameError, match="did you mean 'li21si5'"):
        solve_conduction(layered_mesh(_cell("si,li21s5,sse"), 0.5))
    with pytest.raises(ParameterError, match="current_density_mA_cm2"):
        solve_conduction(layered_mesh(_cell("si,sse"), 0.5), current_density_mA_cm2=-1.0)


def test_material_round_trip():
    m = FieldMaterial("si", 3e-5, 160.0, 0.22, reactive=True)
    assert FieldMaterial.from_dict(m.as_dict()) == m
    lam, mu = m.lame_GPa
    assert mu == pytest.approx(160 / 2.44)
    assert lam == pytest.approx(160 * 0.22 / (1.22 * 0.56))
