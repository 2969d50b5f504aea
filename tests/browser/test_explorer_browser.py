"""The explorer page in a real headless Chromium: loads cleanly, filters count what Python
counts, a click on Si shows Si's constrained voltage steps, the table and CSV agree."""

import contextlib
import io

import numpy as np
import pandas as pd
import pytest
from pymatgen.core import Composition
from pymatgen.entries.computed_entries import ComputedEntry

from sianode.plots.explorer import (
    choose_curve_hosts,
    experimental_flags,
    precompute_curves,
    select_hosts,
    write_explorer,
)
from sianode.testing import random_entries, toy_lisi_entries
from sianode.thermo import LithiationEngine
from sianode.thermo.boundary import element_frequencies, pair_cooccurrence
from sianode.thermo.screen import screen

GPA = 160.21766339999998  # 1 eV/Å³ in GPa


def _entries():
    """Toy Li-Si (hand-checkable, seed 001 Fig. 3e shape) + Cu + random Li-X systems.

    The random systems keep no Si and no Li reference of their own, so Si's numbers stay
    the toy's: 0.4 V to 954 mAh/g and 0.1 V to 1909 mAh/g at K = 0, each falling 15 K.
    """
    toy = toy_lisi_entries()
    for e in toy:
        e.data["experimental"] = e.entry_id != "toy-LiSi"
    out = [*toy, ComputedEntry(Composition("Cu"), -4.1, entry_id="toy-Cu",
                               data={"volume_A3": 11.8, "experimental": True})]
    for k, e in enumerate(random_entries(60, seed=11)):
        els = {el.symbol for el in e.composition.elements}
        if "Si" in els or e.entry_id.startswith("rnd-Li") or "Cu" in els:
            continue
        if k % 3 < 2:
            e.data["experimental"] = k % 3 == 0  # the rest: unknown
        out.append(e)
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    entries = _entries()
    df = screen(entries)
    eng = LithiationEngine(entries)
    rows, note = choose_curve_hosts(df, all_below=0, top=12, max_hosts=20)
    for host in ("toy-Si", "toy-LiSi"):
        r = int(np.flatnonzero(df["id"] == host)[0])
        if r not in rows:
            rows.append(r)
    ks = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    curves = precompute_curves(eng, df, rows, ks)
    flags, exp_note = experimental_flags(df, entries)
    path = write_explorer(df, tmp_path_factory.mktemp("explorer") / "explorer.html",
                          curves=curves, k_eff_GPa=ks, boundary_c_eV_per_GPa=0.3,
                          experimental=flags, notes=[note, exp_note],
                          highlight=["Si", "Cu", "LiSi"], source="test entries")
    return {"path": path, "df": df, "flags": flags}


@pytest.fixture(scope="module")
def loaded(browser, page):
    browser.get(page["path"].as_uri())
    state = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.sianodeExplorer.ready.then(() => done('ok'), (e) => done('error: ' + e));")
    assert state == "ok"
    return browser


def _severe(driver):
    return [m for m in driver.get_log("browser") if m["level"] == "SEVERE"]


def _count(driver):
    return int(driver.find_element("id", "count").get_attribute("data-count"))


def _wait_count(driver, expected, timeout=30.0):  # generous: shared, loaded CI machines
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    with contextlib.suppress(TimeoutException):  # the caller's assert shows the count
        WebDriverWait(driver, timeout).until(lambda d: _count(d) == expected)
    return _count(driver)


def _settled_xy(driver, row, timeout=30.0):
    """Screen position of ``row`` once the map has stopped redrawing (two equal reads, each
    after two animation frames): a redraw queued by a filter can still move the points."""
    import time

    script = ("const done = arguments[arguments.length - 1];"
              "requestAnimationFrame(() => requestAnimationFrame(() =>"
              " done(sianodeExplorer.screenXY(arguments[0]))));")
    last, end = None, time.monotonic() + timeout
    while time.monotonic() < end:
        xy = driver.execute_async_script(script, row)
        if last is not None and xy == last:
            return xy
        last = xy
        time.sleep(0.2)
    return last


def _wait_js(driver, script, expected, timeout=30.0):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    with contextlib.suppress(TimeoutException):  # the caller's assert shows the value
        WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script) == expected)
    return driver.execute_script(script)


def _type(driver, element_id, text):
    from selenium.webdriver.common.keys import Keys

    el = driver.find_element("id", element_id)
    el.clear()
    el.send_keys(text, Keys.TAB)  # TAB: the change event applies the filter at once


def _reset(driver):
    driver.find_element("id", "b-reset").click()


def test_page_loads_without_console_errors(loaded, page):
    assert loaded.find_element("tag name", "body").get_attribute("data-ready") == "1"
    assert _count(loaded) == len(page["df"])
    assert "hosts from test entries" in loaded.find_element("id", "status").text
    assert _severe(loaded) == []


def test_element_filter_count_matches_python(loaded, page):
    df = page["df"]
    _reset(loaded)
    _type(loaded, "f-contain", "Si")
    expected = int(select_hosts(df, contain=["Si"]).sum())
    assert expected == 3  # Si, LiSi, Li2Si
    assert _wait_count(loaded, expected) == expected
    _type(loaded, "f-contain", "Li")
    _type(loaded, "f-exclude", "O, F")
    _type(loaded, "f-vmin", "0.05")
    _type(loaded, "f-vmax", "1")
    expected = int(select_hosts(df, contain=["Li"], exclude=["O", "F"],
                                voltage_V=(0.05, 1.0)).sum())
    assert 0 < expected < len(df)
    assert _wait_count(loaded, expected) == expected
    mask = select_hosts(df, contain=["Li"], exclude=["O", "F"], voltage_V=(0.05, 1.0))
    rows = loaded.execute_script("return sianodeExplorer.selectedRows()")
    assert set(rows) == set(np.flatnonzero(mask))
    # Fig. 3f inset and Ext. Data Fig. 6g of the selection = thermo.boundary's counts (Li,
    # in every host here, is left out by default; pairs: every host, no band-gap cut)
    elements = element_frequencies(df.loc[mask, "formula"])
    del elements["Li"]
    assert loaded.execute_script("return sianodeExplorer.elementCounts()") == dict(elements)
    pairs = {"-".join(p): n for p, n in pair_cooccurrence(df.loc[mask, "formula"]).items()
             if "Li" not in p}
    assert loaded.execute_script("return sianodeExplorer.pairCounts()") == pairs
    _type(loaded, "f-pairgap", "1.5")  # Ext. Data Fig. 6g: band gap < 1.5 eV (unknown counts)
    gap = df.loc[mask, "band_gap_eV"].to_numpy(float)
    keep = df.loc[mask, "formula"][~(gap >= 1.5)]
    pairs = {"-".join(p): n for p, n in pair_cooccurrence(keep).items() if "Li" not in p}
    assert pairs != {}
    assert _wait_js(loaded, "return sianodeExplorer.pairCounts()", pairs) == pairs


def test_region_and_experimental_filters_match_python(loaded, page):
    df, flags = page["df"], page["flags"]
    _reset(loaded)
    _type(loaded, "f-rlo", "0.1")
    _type(loaded, "f-rhi", "0.4")
    loaded.find_element("id", "f-region").click()
    expected = int(select_hosts(df, region_eV_per_GPa=(0.1, 0.4)).sum())
    assert 0 < expected < len(df)
    assert _wait_count(loaded, expected) == expected
    loaded.find_element("id", "f-exp").click()
    expected = int(select_hosts(df, region_eV_per_GPa=(0.1, 0.4), experimental_only=True,
                                experimental=flags).sum())
    assert _wait_count(loaded, expected) == expected
    _reset(loaded)
    _type(loaded, "f-contain", "Xx")  # no host has it: nothing matches, and the page says so
    assert _wait_count(loaded, 0) == 0
    assert "Xx" in loaded.find_element("id", "filter-msg").text


def test_hover_and_click_si_shows_its_voltage_steps(loaded):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    _reset(loaded)
    _type(loaded, "f-contain", "Si")
    _wait_count(loaded, 3)
    row = loaded.execute_script("return sianodeExplorer.rowOf('toy-Si')")
    x, y = _settled_xy(loaded, row)
    canvas = loaded.find_element("id", "map")
    w, h = canvas.size["width"], canvas.size["height"]
    dx, dy = round(x - w / 2), round(y - h / 2)  # selenium 4 offsets are from the centre
    ActionChains(loaded).move_to_element_with_offset(canvas, dx, dy).perform()
    tip = loaded.find_element("id", "tip")
    try:
        WebDriverWait(loaded, 30).until(lambda d: tip.is_displayed())
    except TimeoutException:
        state = loaded.execute_script(
            "return [sianodeExplorer.count(), sianodeExplorer.hover(), document.visibilityState]")
        pytest.fail(f"no tooltip after moving to Si at ({x:.1f}, {y:.1f}) of a {w}x{h} map; "
                    f"count, hovered row, visibility = {state}; Si is row {row}")
    assert tip.text.startswith("Si (toy-Si)")
    assert "K_crit: 2.67 GPa" in tip.text
    assert "stop modulus: 4.272 GPa" in tip.text
    assert "products: Li2Si" in tip.text
    assert "voltage: 0.25 V" in tip.text
    ActionChains(loaded).move_to_element_with_offset(canvas, dx, dy).click().perform()
    steps = loaded.find_element("id", "curve-steps")
    WebDriverWait(loaded, 30).until(lambda d: steps.get_attribute("data-host") == "Si")
    text = steps.text
    # K = 0: 0.4 V to 954 mAh/g, 0.1 V to 1909 mAh/g; each plateau falls by 15 K [eV/Å³]
    assert "0.400 V to 954, 0.100 V to 1909" in text
    assert f"{0.4 - 15 / GPA:.3f} V to 954, {0.1 - 15 / GPA:.3f} V to 1909" in text
    assert f"{0.4 - 30 / GPA:.3f} V to 954" in text  # 2 GPa: the 0.1 V step is gone
    assert "lithiation stops at 4.272 GPa" in text
    assert "Si (toy-Si)" in loaded.find_element("id", "curve-title").text


def test_table_sort_and_csv_match_python(loaded, page):
    df = page["df"]
    _reset(loaded)
    _type(loaded, "f-contain", "Li")
    mask = select_hosts(df, contain=["Li"])
    _wait_count(loaded, int(mask.sum()))
    header = [th for th in loaded.find_elements("css selector", "#table thead th")
              if th.text.startswith("voltage")][0]
    header.click()  # numbers sort largest first
    first = loaded.find_element("css selector", "#table tbody tr")
    v = df.loc[mask, "voltage_V"].to_numpy(float)
    top = df.loc[mask].iloc[int(np.nanargmax(v))]
    assert first.find_elements("tag name", "td")[1].text == top["id"]
    csv = pd.read_csv(io.StringIO(loaded.execute_script("return sianodeExplorer.selectionCsv()")))
    assert len(csv) == int(mask.sum())
    assert set(csv["id"]) == set(df.loc[mask, "id"])
    u = csv["voltage_V"].to_numpy(float)
    assert np.all(np.diff(u[np.isfinite(u)]) <= 0)
    by_id = df.set_index("id")
    np.testing.assert_allclose(csv["capacity_mAh_g"], by_id.loc[csv["id"], "capacity_mAh_g"],
                               rtol=1e-6)


def test_screenshot_artifact(loaded, artifacts_dir):
    _reset(loaded)
    row = loaded.execute_script("return sianodeExplorer.rowOf('toy-Si')")
    loaded.execute_script("sianodeExplorer.pick(arguments[0])", row)
    path = artifacts_dir / "explorer_toy.png"
    assert loaded.save_screenshot(str(path))
    assert path.stat().st_size > 20_000


def test_no_console_errors_after_interaction(loaded):
    assert _severe(loaded) == []
