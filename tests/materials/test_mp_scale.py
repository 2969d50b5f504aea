"""The whole Materials Project in pages (load_mp_table), with a fake of the mp-api client.

The fake answers ``materials.summary.search`` / ``materials.thermo.search`` /
``get_database_version`` from a fixed set of documents and checks every call against the
real mp-api signatures (``inspect.signature(...).bind``), the real emmet document fields and
mp-api's own thermo-type check, so a call the real client would refuse fails here too. It
pages like the server: ``_page`` is 1-based, ``chunk_size`` is the page length.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import pytest

from sianode.errors import DataSourceError
from sianode.materials.mp import MP_TABLE_COLUMNS, load_mp_table, usable_rows

pytest.importorskip("mp_api")

KEY = "SECRET-MP-KEY-0123456789abcdef"


def _documents(n_systems=40):
    """Summary and thermo documents (mp-api field names) of a reproducible random set."""
    from sianode.testing import random_entries

    summary, thermo = [], []
    for k, e in enumerate(random_entries(n_systems=n_systems, seed=7)):
        mid = f"mp-{1000 + k}"
        n = e.composition.num_atoms
        gap = (e.data or {}).get("band_gap")
        summary.append({"material_id": mid, "formula_pretty": e.composition.reduced_formula,
                        "nsites": int(n), "volume": e.data["volume_A3"],
                        "band_gap": None if k % 5 == 0 else gap})
        if k % 17 != 3:  # a few materials have no GGA/GGA+U thermo document
            thermo.append({"material_id": mid, "energy_per_atom": e.energy / n,
                           "uncorrected_energy_per_atom": e.energy / n - 0.01})
    summary.sort(key=lambda d: d["material_id"])
    return summary, thermo


SUMMARY, THERMO = _documents()


class _Summary:
    def __init__(self, owner):
        self.owner = owner

    def search(self, **kw):
        from emmet.core.summary import SummaryDoc
        from mp_api.client.routes.materials.summary import SummaryRester

        inspect.signature(SummaryRester.search).bind(None, **kw)  # the real signature
        assert set(kw["fields"]) <= set(SummaryDoc.model_fields)
        assert kw["deprecated"] is False
        assert kw["_sort_fields"] == "material_id"
        page, size = kw["_page"], kw["chunk_size"]
        self.owner.pages.append(page)
        if page in self.owner.fail_pages:
            self.owner.fail_pages.remove(page)
            raise ConnectionError(f"connection reset while fetching page {page} with "
                                  f"X-API-KEY {self.owner.key}")
        return [{f: d[f] for f in kw["fields"]}
                for d in SUMMARY[(page - 1) * size: page * size]]


class _Thermo:
    def __init__(self, owner):
        self.owner = owner

    def search(self, **kw):
        from emmet.core.thermo import ThermoDoc
        from mp_api.client.routes.materials.thermo import ThermoRester

        inspect.signature(ThermoRester.search).bind(None, **kw)
        assert ThermoRester._check_thermo_types(kw["thermo_types"]) == {"GGA_GGA+U"}
        assert set(kw["fields"]) <= set(ThermoDoc.model_fields)
        want = set(kw["material_ids"])
        return [d for d in THERMO if d["material_id"] in want]


class FakeMPRester:
    """Stands in for ``mp_api.client.MPRester(api_key)``."""

    instances: list[FakeMPRester] = []
    version = "2025.09.25"

    def __init__(self, key, fail_pages=()):
        assert key == KEY
        self.key = key
        self.pages: list[int] = []
        self.fail_pages = set(fail_pages)
        self.materials = type("Materials", (), {})()
        self.materials.summary = _Summary(self)
        self.materials.thermo = _Thermo(self)
        FakeMPRester.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get_database_version(self):
        return self.version


def _all_bytes(root):
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_full_download_matches_the_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("MP_API_KEY", KEY)
    df = load_mp_table(cache_dir=tmp_path, client_factory=FakeMPRester, page_size=100)
    assert list(df.columns) == list(MP_TABLE_COLUMNS)
    assert df["id"].tolist() == [d["material_id"] for d in SUMMARY]  # all, in order, once
    row = df.set_index("id").loc["mp-1001"]
    doc = next(d for d in SUMMARY if d["material_id"] == "mp-1001")
    th = next(d for d in THERMO if d["material_id"] == "mp-1001")
    assert row["volume_per_atom_A3"] == pytest.approx(doc["volume"] / doc["nsites"])
    assert row["energy_per_atom_eV"] == pytest.approx(th["energy_per_atom"])
    assert math.isnan(df.set_index("id").loc["mp-1000", "band_gap_eV"])  # unknown gap
    ok, n_out = usable_rows(df)
    assert n_out == len(SUMMARY) - len(THERMO) > 0
    assert np.isfinite(ok["energy_per_atom_eV"]).all()
    assert KEY.encode() not in _all_bytes(tmp_path)
    assert (tmp_path / "mp-all" / "mp_all.parquet").is_file()


def test_interrupted_download_resumes_without_refetching(tmp_path, monkeypatch):
    monkeypatch.setenv("MP_API_KEY", KEY)
    n_pages = math.ceil(len(SUMMARY) / 100)
    assert n_pages >= 4
    FakeMPRester.instances.clear()
    with pytest.raises(DataSourceError, match="page 3") as info:
        load_mp_table(cache_dir=tmp_path,
                      client_factory=lambda k: FakeMPRester(k, fail_pages={3}), page_size=100)
    assert KEY not in str(info.value)
    assert "***" in str(info.value)
    assert "2 finished pages" in str(info.value)
    assert FakeMPRester.instances[-1].pages == [1, 2, 3]
    assert not (tmp_path / "mp-all" / "mp_all.parquet").exists()

    df = load_mp_table(cache_dir=tmp_path, client_factory=FakeMPRester, page_size=100)
    assert FakeMPRester.instances[-1].pages == list(range(3, n_pages + 1))  # 1-2 not again
    fresh = load_mp_table(cache_dir=tmp_path / "fresh", client_factory=FakeMPRester,
                          page_size=100)
    pd.testing.assert_frame_equal(df, fresh)  # 0 rows lost or duplicated
    assert df["id"].is_unique
    assert KEY.encode() not in _all_bytes(tmp_path)


def test_complete_cache_needs_no_key_and_no_request(tmp_path, monkeypatch):
    monkeypatch.setenv("MP_API_KEY", KEY)
    a = load_mp_table(cache_dir=tmp_path, client_factory=FakeMPRester, page_size=250)
    monkeypatch.delenv("MP_API_KEY")

    def no_client(key):
        raise AssertionError("no request expected")

    b = load_mp_table(cache_dir=tmp_path, client_factory=no_client)
    pd.testing.assert_frame_equal(a, b)


def test_new_database_version_discards_old_pages(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MP_API_KEY", KEY)
    with pytest.raises(DataSourceError):
        load_mp_table(cache_dir=tmp_path, page_size=100,
                      client_factory=lambda k: FakeMPRester(k, fail_pages={2}))
    monkeypatch.setattr(FakeMPRester, "version", "2026.01.01")
    FakeMPRester.instances.clear()
    df = load_mp_table(cache_dir=tmp_path, client_factory=FakeMPRester, page_size=100)
    assert FakeMPRester.instances[-1].pages[0] == 1  # page 1 of the old version not reused
    assert "another database version" in capsys.readouterr().err
    assert len(df) == len(SUMMARY)


def test_no_key_no_cache_and_bad_page_size(tmp_path, monkeypatch):
    monkeypatch.delenv("MP_API_KEY", raising=False)
    with pytest.raises(DataSourceError, match="MP_API_KEY"):
        load_mp_table(cache_dir=tmp_path)
    from sianode.errors import ParameterError

    with pytest.raises(ParameterError, match="page_size"):
        load_mp_table(cache_dir=tmp_path, page_size=0)


def test_cli_screen_all_mp(tmp_path, monkeypatch, capsys):
    """``sianode screen --source mp --all``: every usable material screened, key nowhere."""
    import sianode.materials.mp as mp
    from sianode.cli.main import main

    monkeypatch.setenv("MP_API_KEY", KEY)
    monkeypatch.setattr(mp, "_default_client", FakeMPRester)
    out, cache = tmp_path / "out", tmp_path / "cache"
    rc = main(["screen", "--source", "mp", "--all", "--mp-cache", str(cache), "--out", str(out),
               "--no-progress", "--json"])
    assert rc == 0
    screened = pd.read_parquet(out / "screen.parquet")
    ok, n_out = usable_rows(pd.read_parquet(cache / "mp-all" / "mp_all.parquet"))
    hosts = ok[ok["formula"] != "Li"]
    assert sorted(screened["id"]) == sorted(hosts["id"])
    assert (screened["status"] == "ok").sum() > 10
    err = capsys.readouterr().err
    assert f"{n_out} Materials Project materials have no GGA/GGA+U energy" in err
    assert KEY.encode() not in _all_bytes(tmp_path)
    assert main(["screen", "--source", "builtin", "--all", "--out", str(out)]) == 2
