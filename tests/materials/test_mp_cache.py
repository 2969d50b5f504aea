"""Materials Project loading with a recorded response: cache hit, key never stored."""

import pytest
from pymatgen.core import Lattice, Structure
from pymatgen.entries.computed_entries import ComputedStructureEntry

from sianode.errors import DataSourceError
from sianode.materials.mp import cache_path, load_mp_entries

KEY = "SECRET-KEY-123456789"


def _recorded():
    si = Structure(Lattice.cubic(5.47), ["Si"] * 8, [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5],
                   [0, 0.5, 0.5], [0.25, 0.25, 0.25], [0.75, 0.75, 0.25], [0.75, 0.25, 0.75],
                   [0.25, 0.75, 0.75]])
    li = Structure(Lattice.cubic(3.44), ["Li"] * 2, [[0, 0, 0], [0.5, 0.5, 0.5]])
    return [ComputedStructureEntry(si, -43.3, entry_id="mp-149"),
            ComputedStructureEntry(li, -3.8, entry_id="mp-135")]


class Recorder:
    calls = 0

    def __init__(self, key):
        assert key == KEY
        self.key = key

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def get_entries_in_chemsys(self, elements, compatible_only=True):
        Recorder.calls += 1
        assert elements == ["Li", "Si"]
        assert compatible_only
        return _recorded()


def test_fetch_then_cache_hit(tmp_path, monkeypatch):
    monkeypatch.setenv("MP_API_KEY", KEY)
    Recorder.calls = 0
    a = load_mp_entries(["Si", "Li"], cache_dir=tmp_path, client_factory=Recorder)
    b = load_mp_entries(["Li", "Si"], cache_dir=tmp_path, client_factory=Recorder)
    assert Recorder.calls == 1
    assert [e.entry_id for e in a] == [e.entry_id for e in b] == ["mp-149", "mp-135"]
    assert b[0].structure.volume == pytest.approx(5.47**3)
    raw = cache_path(["Li", "Si"], tmp_path).read_bytes()
    import gzip

    assert KEY.encode() not in gzip.decompress(raw)


def test_no_key_no_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("MP_API_KEY", raising=False)
    with pytest.raises(DataSourceError, match="MP_API_KEY"):
        load_mp_entries(["Li", "Si"], cache_dir=tmp_path)


def test_request_failure_hides_key(tmp_path):
    class Failing(Recorder):
        def get_entries_in_chemsys(self, elements, compatible_only=True):
            raise RuntimeError(f"401 unauthorized for key {self.key}")

    with pytest.raises(DataSourceError) as info:
        load_mp_entries(["Li", "Si"], api_key=KEY, cache_dir=tmp_path, client_factory=Failing)
    assert KEY not in str(info.value)
    assert "***" in str(info.value)
