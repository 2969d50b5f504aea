"""One test per real instrument file: sianode against the peer readers' numbers.

Files and peer values: ``tests/data/instruments`` (MANIFEST.tsv, peer_reference.json).
Tolerances: rows exact; time span within 1 s (Neware's test time vs NewareNDA's wall clock:
exact on the wall clock); voltage range within 1e-6 V (float32 in the binaries); per-cycle
capacities within 0.2 % (+1e-6 mAh) of coulomb counting by the peer, or of the instrument's
own counters where the peer's coulomb counting is wrong (stated per file).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sianode.errors import FileFormatError, InputError
from sianode.experiments.cycling_analysis import analyze_cycling
from sianode.experiments.io import read_cycler, read_impedance
from sianode.experiments.schema import CURRENT, CYCLE, TIME, UNIX_TIME, VOLTAGE

DATA = Path(__file__).parents[1] / "data" / "instruments"
REF = json.loads((DATA / "peer_reference.json").read_text())
REL = 2e-3


def _per_cycle(df):
    """[cycle, charge mAh, discharge mAh] by coulomb counting on the instrument's cycles."""
    t, i = df[TIME].to_numpy(), df[CURRENT].to_numpy()
    q = i * np.r_[0.0, np.diff(t)] / 3.6
    g = pd.DataFrame({"c": df[CYCLE], "ch": np.where(q > 0, q, 0), "dch": np.where(q < 0, -q, 0)})
    return g.groupby("c").sum()


def _check_basic(df, ref, *, span=None, vtol=1e-6):
    assert len(df) == ref["rows"]
    got_span = span if span is not None else df[TIME].iloc[-1] - df[TIME].iloc[0]
    assert got_span == pytest.approx(ref["span_s"], abs=1.0)
    assert df[VOLTAGE].min() == pytest.approx(ref["vmin"], abs=vtol)
    assert df[VOLTAGE].max() == pytest.approx(ref["vmax"], abs=vtol)


def _check_cycles(df, expected, shift=0):
    got = _per_cycle(df)
    for c, ch, dch in expected:
        row = got.loc[c + shift]
        assert row.ch == pytest.approx(ch, rel=REL, abs=1e-6), (c, "charge")
        assert row.dch == pytest.approx(dch, rel=REL, abs=1e-6), (c, "discharge")


def test_biologic_gcpl_mpr_rebuilds_current_and_keeps_cycles():
    pytest.importorskip("galvani")
    df = read_cycler(DATA / "navani_gcpl5.mpr")
    ref = REF["navani_gcpl5.mpr"]["galvani MPRfile"]
    _check_basic(df, ref)
    t, i = df[TIME].to_numpy(), df[CURRENT].to_numpy()
    q = i * np.r_[0.0, np.diff(t)] / 3.6
    assert q[q > 0].sum() == pytest.approx(ref["q_ch_total_mAh"], rel=1e-9)
    assert q[q < 0].sum() == pytest.approx(-ref["q_dch_total_mAh"], rel=1e-9)
    # EC-Lab cycle number (half cycle // 2, 0-based) + 1 = galvani's cycle + 1
    _check_cycles(df, ref["per_cycle_cc_mAh_first"], shift=1)
    r = analyze_cycling(df, "full")
    assert r.cycle_source == "instrument"
    assert r.cycles[0]["status"] == "delithiation before the first lithiation"


def test_biologic_mb_mpr_discharge_only_names_the_missing_half():
    pytest.importorskip("galvani")
    df = read_cycler(DATA / "navani_MB04.mpr")
    ref = REF["navani_MB04.mpr"]["galvani MPRfile"]
    _check_basic(df, ref)
    _check_cycles(df, [[1, 0.0, ref["q_dch_total_mAh"]]])
    with pytest.raises(InputError, match="no lithiation half") as e:
        analyze_cycling(df, "full")
    assert "reference_cycle" not in str(e.value)


def test_arbin_res_through_access_parser():
    pytest.importorskip("access_parser")
    df = read_cycler(DATA / "navani_arbin.res")
    ref = REF["navani_arbin.res"]["navani"]
    _check_basic(df, ref)
    # navani rounds the .res capacities to 1 µAh: compare within 1e-3 mAh
    got = _per_cycle(df)
    for c, ch, dch in ref["per_cycle_cc_mAh_first"][1:]:
        assert got.loc[c].ch == pytest.approx(ch, abs=1e-3)
        assert got.loc[c].dch == pytest.approx(dch, abs=1e-3)
    assert df[UNIX_TIME].iloc[-1] - df[UNIX_TIME].iloc[0] == pytest.approx(ref["span_s"], abs=10)


def test_arbin_xlsx_incomplete_last_cycle_is_left_out():
    df = read_cycler(DATA / "navani_arbin.xlsx")
    ref = REF["navani_arbin.xlsx"]["navani"]
    _check_basic(df, ref)
    t, i = df[TIME].to_numpy(), df[CURRENT].to_numpy()
    q = i * np.r_[0.0, np.diff(t)] / 3.6
    assert q[q > 0].sum() == pytest.approx(ref["q_ch_total_mAh"], rel=1e-6)
    r = analyze_cycling(df, "half")  # graphite vs Li: lithiation on discharge
    inst = {c: (ch, dch) for c, ch, dch in ref["per_cycle_instrument_mAh_first"]}
    c1 = r.cycles[0]
    assert c1["lithiation_capacity_mAh"] == pytest.approx(inst[1][1], rel=REL)
    assert c1["delithiation_capacity_mAh"] == pytest.approx(inst[1][0], rel=REL)
    assert r.incomplete_cycles == (2,)
    assert r.cycles[1]["status"].startswith("stopped during delithiation")
    assert r.cycles[1]["lithiation_capacity_mAh"] == pytest.approx(inst[2][1], rel=REL)
    assert r.cycles_to_threshold is None  # the stopped cycle is not a capacity fade
    assert np.isnan(r.cycles[1]["retention"])


@pytest.mark.parametrize("backend", ["fastnda", "newarenda"])
def test_neware_nda_small(backend):
    pytest.importorskip({"fastnda": "fastnda", "newarenda": "NewareNDA"}[backend])
    from sianode.experiments.io import read_neware

    df = read_neware(DATA / "navani_test.nda", backend=backend)
    ref = REF["navani_test.nda"]["NewareNDA(cycle_mode=chg)"]
    _check_basic(df, ref, span=df[UNIX_TIME].iloc[-1] - df[UNIX_TIME].iloc[0], vtol=1e-6)
    _check_cycles(df, [[2, 0.000699, 0.007014]])
    assert df[CYCLE].max() == ref["n_cycles"]


@pytest.mark.parametrize("backend", ["fastnda", "newarenda"])
def test_neware_ndax(backend):
    pytest.importorskip({"fastnda": "fastnda", "newarenda": "NewareNDA"}[backend])
    from sianode.experiments.io import read_neware

    df = read_neware(DATA / "navani_test.ndax", backend=backend)
    ref = REF["navani_test.ndax"]["NewareNDA(cycle_mode=chg)"]
    _check_basic(df, ref)
    _check_cycles(df, ref["per_cycle_cc_mAh_first"])


@pytest.mark.parametrize("backend", ["fastnda", "newarenda"])
def test_neware_stopped_mid_cycle_and_clock_jump(backend):
    pytest.importorskip({"fastnda": "fastnda", "newarenda": "NewareNDA"}[backend])
    from sianode.experiments.io import read_neware

    df = read_neware(DATA / "nnda_TestFile.nda", backend=backend)
    ref = REF["nnda_TestFile.nda"]["NewareNDA(cycle_mode=chg)"]
    # the wall clock includes a pause and goes back by 165 s once: the peer's span is the
    # wall clock; the instrument's test time is 72373 s and is what capacities use
    _check_basic(df, ref, span=df[UNIX_TIME].iloc[-1] - df[UNIX_TIME].iloc[0])
    assert df[TIME].iloc[-1] == pytest.approx(72373.26, abs=0.02)
    # the peer's coulomb counting on the wall clock invents 55 mAh of discharge in cycle 3:
    # compare with the instrument's counters instead
    _check_cycles(df, ref["per_cycle_instrument_mAh_first"])
    r = analyze_cycling(df, "full")
    assert r.cycle_source == "instrument"
    assert r.incomplete_cycles == (1, 3)
    assert [c["status"] for c in r.cycles] == [
        "delithiation before the first lithiation", "complete", "no delithiation (test ended)"]
    assert r.initial_coulombic_efficiency == pytest.approx(5806.645996 / 5811.024902, rel=REL)
    assert r.cycles_to_threshold is None


def test_neware_ndax_many_cycles():
    pytest.importorskip("fastnda")
    df = read_cycler(DATA / "fastnda_nw4.ndax")
    ref = REF["fastnda_nw4.ndax"]["NewareNDA(cycle_mode=chg)"]
    _check_basic(df, ref)
    assert df[CYCLE].max() == ref["n_cycles"]  # NewareNDA's numbering, not fastnda's raw 150
    _check_cycles(df, ref["per_cycle_cc_mAh_first"])


def test_bdf_human_labels_are_converted():
    df = read_cycler(DATA / "cellpy_batmo_bdf.csv")
    raw = pd.read_csv(DATA / "cellpy_batmo_bdf.csv")
    assert len(df) == len(raw) == 21206
    np.testing.assert_allclose(df[TIME], raw["Test Time / h"] * 3600.0)
    np.testing.assert_allclose(df[VOLTAGE], raw["Voltage / V"])
    np.testing.assert_array_equal(df[CYCLE], raw["Cycle Count / 1"])
    # the file stores discharge current as positive (BattMo): sianode says so
    r = analyze_cycling(df, "full")
    assert any("current sign" in w for w in r.warnings)


def test_neware_btsda_csv_against_its_cycle_rows():
    df = read_cycler(DATA / "cellpy_nw_ife.csv")
    assert len(df) == 9295
    assert df[TIME].iloc[-1] == pytest.approx(27 * 3600 + 55 * 60 + 43)
    assert (df[VOLTAGE].min(), df[VOLTAGE].max()) == (3.8999, 4.7001)
    # the file's own per-cycle capacities (cycle rows, Ah) vs coulomb counting on 1-s times
    rows = [x.split(",") for x in (DATA / "cellpy_nw_ife.csv").read_text().splitlines()[3:]
            if x and x[0] != ","]
    inst = [[int(r[0]), 1e3 * float(r[1]), 1e3 * float(r[2])] for r in rows]
    assert len(inst) == df[CYCLE].max() == 20
    _check_cycles(df, inst[1:])
    _check_cycles(df, inst[:1])


def test_arbin_csv_without_units_in_headers():
    df = read_cycler(DATA / "beep_FastCharge_CH8.csv")
    raw = pd.read_csv(DATA / "beep_FastCharge_CH8.csv")
    assert len(df) == len(raw) == 248
    np.testing.assert_allclose(df[TIME], raw["Test_Time"])
    np.testing.assert_allclose(df[VOLTAGE], raw["Voltage"])
    np.testing.assert_allclose(df[UNIX_TIME], raw["DateTime"])
    with pytest.raises(InputError, match="no lithiation and no delithiation"):
        analyze_cycling(df, "full")  # a rest record: said so, not a cycle


@pytest.mark.parametrize(("name", "peer", "fmt"), [
    ("imp_exampleData.csv", "impedance.py readCSV", "csv"),
    ("imp_exampleDataBioLogic.mpt", "impedance.py readFile(biologic)", "biologic"),
    ("imp_Gamry.DTA", "impedance.py readFile(gamry)", "gamry"),
])
def test_eis_files_read_like_impedancepy_and_are_refused_as_cycling(name, peer, fmt):
    spec = read_impedance(DATA / name)
    assert len(spec) == REF[name][peer]["points"]
    assert spec.metadata["imag_convention"] in ("im", "minus_im")
    with pytest.raises(FileFormatError, match="analyze eis"):
        read_cycler(DATA / name)
    preprocessing = pytest.importorskip("impedance.preprocessing")
    if fmt == "csv":
        f, z = preprocessing.readCSV(str(DATA / name))
    else:
        f, z = preprocessing.readFile(str(DATA / name), instrument=fmt)
    np.testing.assert_allclose(spec.frequency_Hz, f)
    np.testing.assert_allclose(spec.z_ohm, z)


def test_biologic_example_fit_flags_what_the_data_do_not_fix():
    """impedance.py's BioLogic example with the seed-002 circuit: the fit converges, but
    the data hold one clear arc, so the Warburg sits at a bound and Rct (3 ohm) comes with
    a standard error above its value: both are flagged, in the result and a warning."""
    from sianode.experiments.eis import EISFit, EISFitWarning

    spec = read_impedance(DATA / "imp_exampleDataBioLogic.mpt")
    with pytest.warns(EISFitWarning, match="uncertain by 100 % or more"):
        fit = EISFit("Rs-p(Rsei,CPEsei)-p(Rct,CPEct)-W1").fit(spec)
    s = fit.summary()
    assert s["converged"] is True
    assert "Rct" in s["poorly_determined"]
    assert fit.uncertainties_["Rct"] >= fit.parameters_["Rct"]
    assert "W1" in s["at_bounds"]
    assert not set(s["at_bounds"]) & set(s["poorly_determined"])
    assert s["arcs_resolved"] is False
    # the high-frequency intercept is well fixed: Rs ~ 63.5 ohm to within 1 %
    assert fit.parameters_["Rs"] == pytest.approx(63.5, rel=0.01)
    assert "Rs" not in s["poorly_determined"]


def test_cycle_capacities_alone_never_calls_a_pulse_only_cycle_complete():
    """navani's test.nda as a half cell: cycle 0's only lithiation is a 6.5e-5 mAh pulse
    (CE 1071 %). cycle_capacities called directly marks it incomplete, as analyze_cycling
    does, so no caller averages that CE in."""
    from sianode.experiments.cycling import complete_cycles, cycle_capacities

    caps = cycle_capacities(read_cycler(DATA / "navani_test.nda"), "half")
    first = caps.iloc[0]
    assert first["coulombic_efficiency"] > 10  # the pulse's "CE"
    assert not first["complete"]
    assert "short pulses" in first["status"]
    assert complete_cycles(caps).empty
