"""Cell stacks: seed 001 Ext. Data Table 1 from its own inputs; spec validation."""

from pathlib import Path

import pytest

from sianode.cell import Layer, Stack, evaluate_stack, load_stack
from sianode.errors import FileFormatError, ParameterError, PathError, UnknownNameError

STACKS = Path(__file__).resolve().parents[2] / "examples" / "stacks"


def test_seed001_extended_data_table_1():
    # Counted: cathode composite (15 mg/cm2 NMC83 at 68.2 wt%), 75 um separator, SiG anode
    # (1.5 mg/cm2 Si at 48.75 wt%), 12 um Al, 10 um Cu. Pressure jig, Li foil, pouch excluded.
    report = evaluate_stack(load_stack(STACKS / "ye2024_pouch.toml"))
    assert report.areal_capacity_mAh_cm2 == pytest.approx(3.0)
    assert report.areal_energy_mWh_cm2 == pytest.approx(10.8)  # table: 10.8 mWh/cm2
    assert report.areal_mass_mg_cm2 == pytest.approx(49.5, abs=0.1)  # table: 49.5 mg/cm2
    assert round(report.specific_energy_Wh_kg) == 218  # table: 218 Wh/kg
    assert report.np_ratio == pytest.approx(1.5)  # Ext. Data Fig. 7g: N/P kept at 1.5
    by_name = {row.kind + ":" + row.name.split()[0]: row for row in report.layers}
    assert by_name["cathode:cathode"].areal_mass_mg_cm2 == pytest.approx(15 / 0.682)
    assert by_name["anode:SiG"].areal_mass_mg_cm2 == pytest.approx(1.5 / 0.4875)
    assert by_name["current_collector:Al"].areal_mass_mg_cm2 == pytest.approx(3.24)
    assert by_name["current_collector:Cu"].areal_mass_mg_cm2 == pytest.approx(8.96)
    assert sum(row.mass_fraction for row in report.layers) == pytest.approx(1.0)
    # Wh/L over the 202 um of counted layers (table's thickness ranges at mid-points)
    assert report.thickness_um == pytest.approx(202.0)
    assert report.energy_density_Wh_L == pytest.approx(10.8 / 0.0202, rel=1e-9)


def test_seed002_stack_np_6p7():
    report = evaluate_stack(load_stack(STACKS / "zhang2025_li21si5_lco.toml"))
    assert report.areal_capacity_mAh_cm2 == pytest.approx(2.78, abs=0.01)  # "2.8 mAh cm-2"
    assert report.np_ratio == pytest.approx(6.7, abs=0.06)
    assert report.energy_density_Wh_L is None  # separator thicknesses not given


@pytest.mark.parametrize("path", sorted(STACKS.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_stack_evaluates(path):
    stack = load_stack(path)
    report = evaluate_stack(stack)
    assert report.specific_energy_Wh_kg > 0
    assert stack.reference
    assert stack.notes
    assert Stack.from_dict(stack.as_dict()) == stack


def test_not_counted_layer_is_listed_but_excluded():
    layers = (
        Layer("cathode", "cathode", active_loading_mg_cm2=10, active_fraction=1.0,
              specific_capacity_mAh_g=200, average_voltage_V=4.0, thickness_um=50),
        Layer("jig", "packaging", areal_mass_mg_cm2=1000.0, counted=False),
    )
    r = evaluate_stack(Stack("s", layers))
    assert r.areal_mass_mg_cm2 == pytest.approx(10.0)
    assert r.specific_energy_Wh_kg == pytest.approx(8.0 / 10.0 * 1000)
    assert r.layers[1].mass_fraction == 0.0
    assert r.energy_density_Wh_L == pytest.approx(8.0 / 50e-4)


def _write(tmp_path, text):
    p = tmp_path / "stack.toml"
    p.write_text(text)
    return p


GOOD_CATHODE = """
[[layers]]
name = "cathode"
kind = "cathode"
active_loading_mg_cm2 = 10.0
active_fraction = 0.7
specific_capacity_mAh_g = 200.0
average_voltage_V = 3.7
"""


def test_missing_layers_field(tmp_path):
    with pytest.raises(FileFormatError, match="'layers'"):
        load_stack(_write(tmp_path, 'name = "x"\n'))


def test_missing_kind_field(tmp_path):
    with pytest.raises(FileFormatError, match=r"layers\[2\].*missing field 'kind'"):
        load_stack(_write(tmp_path, GOOD_CATHODE + '[[layers]]\nname = "sep"\nthickness_um = 1\n'))


def test_layer_without_mass_route_names_the_fields(tmp_path):
    stack = load_stack(_write(tmp_path, GOOD_CATHODE
                              + '[[layers]]\nname = "sep"\nkind = "separator"\n'
                              'thickness_um = 75.0\n'))
    with pytest.raises(ParameterError, match="density_g_cm3"):
        evaluate_stack(stack)


def test_unknown_field_suggests(tmp_path):
    with pytest.raises(FileFormatError, match="thickness_um"):
        load_stack(_write(tmp_path, GOOD_CATHODE.replace("average_voltage_V = 3.7",
                                                         "average_voltage_V = 3.7\nthickness_mu = 3")))


def test_unknown_kind(tmp_path):
    with pytest.raises(UnknownNameError, match="separator"):
        load_stack(_write(tmp_path, GOOD_CATHODE + '[[layers]]\nname = "s"\nkind = "seperator"\n'
                          'areal_mass_mg_cm2 = 1.0\n'))


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("thickness_um = -5.0", "thickness_um"),
        ("thickness_um = 0.0", "thickness_um"),
        ("density_g_cm3 = 0.0", "density_g_cm3"),
        ("areal_mass_mg_cm2 = -1.0", "areal_mass_mg_cm2"),
        ("porosity = 1.2", "porosity"),
    ],
)
def test_bad_values_name_layer_and_field(tmp_path, line, field):
    text = GOOD_CATHODE + f'[[layers]]\nname = "sep"\nkind = "separator"\n{line}\n'
    with pytest.raises(ParameterError, match=rf"layers\[2\].*{field}"):
        load_stack(_write(tmp_path, text))


def test_bad_cathode_fraction(tmp_path):
    with pytest.raises(ParameterError, match=r"layers\[1\].*active_fraction"):
        load_stack(_write(tmp_path, GOOD_CATHODE.replace("0.7", "1.7")))


def test_wrong_type_and_bad_toml(tmp_path):
    with pytest.raises(FileFormatError, match="thickness_um"):
        load_stack(_write(tmp_path, GOOD_CATHODE + 'thickness_um = "thick"\n'))
    with pytest.raises(FileFormatError, match="not valid TOML"):
        load_stack(_write(tmp_path, "[[layers]\n"))
    with pytest.raises(PathError, match="no such file"):
        load_stack(tmp_path / "nope.toml")
    with pytest.raises(PathError, match="is a folder"):
        load_stack(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(FileFormatError, match="binary"):
        load_stack(binary)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        load_stack(latin)


def test_needs_exactly_one_cathode_with_voltage(tmp_path):
    no_cathode = '[[layers]]\nname = "sep"\nkind = "separator"\nareal_mass_mg_cm2 = 1.0\n'
    with pytest.raises(ParameterError, match="exactly one layer of kind 'cathode'"):
        evaluate_stack(load_stack(_write(tmp_path, no_cathode)))
    no_voltage = GOOD_CATHODE.replace("average_voltage_V = 3.7\n", "")
    with pytest.raises(ParameterError, match="average_voltage_V"):
        evaluate_stack(load_stack(_write(tmp_path, no_voltage)))


def test_breakdown_plot_uses_given_axes_and_rejects_bad_kind():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sianode.plots.cell import plot_stack_breakdown

    report = evaluate_stack(load_stack(STACKS / "ye2024_pouch.toml"))
    fig, ax = plt.subplots()
    assert plot_stack_breakdown(report, ax=ax) is ax
    assert len(ax.patches) == 5  # one bar per counted layer
    assert plot_stack_breakdown(report.as_dict(), kind="pie") is not ax
    with pytest.raises(UnknownNameError, match="bar"):
        plot_stack_breakdown(report, kind="donut")
    plt.close("all")


def test_yaml_stack_gives_the_same_numbers(tmp_path):
    import yaml

    stack = load_stack(STACKS / "ye2024_pouch.toml")
    p = tmp_path / "pouch.yaml"
    p.write_text(yaml.safe_dump(stack.as_dict()))
    assert evaluate_stack(load_stack(p)) == evaluate_stack(stack)
    bad = tmp_path / "bad.yml"
    bad.write_text("- just\n- a list\n")
    with pytest.raises(FileFormatError, match="mapping"):
        load_stack(bad)
