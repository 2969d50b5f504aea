"""Fuzz every text reader: whatever the bytes, only a SianodeError may escape.

Valid golden files (Arbin CSV, LAND CSV, EC-Lab .mpt, BDF CSV) are mutated (truncated,
spliced, cells replaced by junk) or replaced by arbitrary text; 2,100 cases in all.
"""

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sianode.errors import SianodeError
from sianode.experiments.io import read_arbin, read_cycler, read_land, read_mpt, read_table
from sianode.experiments.io.layouts import land_frame, write_arbin_csv, write_mpt
from sianode.experiments.synthetic import synthetic_cycling

_RECORDS = synthetic_cycling([0.01], [0.009], 1e-3, "half", dt_s=4.0, rest_s=8.0).iloc[:12]
_DIR = Path(tempfile.mkdtemp(prefix="sianode_fuzz_"))


def _golden(name, writer) -> bytes:
    f = _DIR / name
    writer(f)
    return f.read_bytes()


GOLDEN = {
    "arbin": (_golden("a.csv", lambda f: write_arbin_csv(_RECORDS, f)), read_arbin, ".csv"),
    "land": (_golden("l.csv", lambda f: land_frame(_RECORDS, "state").to_csv(f, index=False)),
             read_land, ".csv"),
    "mpt": (_golden("b.mpt", lambda f: write_mpt(_RECORDS, f)), read_mpt, ".mpt"),
    "bdf": (_golden("g.csv", lambda f: _RECORDS.to_csv(f, index=False)), read_table, ".csv"),
}
JUNK = st.text(alphabet=",;\t\r\n 0123456789.-+eEnaNinf:/()abcµ\x00\"'", max_size=12)


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["truncate", "delete", "insert", "replace_line", "dup_line"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "truncate":
            del data[pos:]
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        elif op == "insert":
            data[pos:pos] = draw(JUNK).encode("utf-8")
        else:
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            if op == "replace_line":
                lines[k] = draw(JUNK).encode("utf-8")
            else:
                lines.insert(k, lines[k])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def _check(reader, payload: bytes, suffix: str) -> None:
    f = _DIR / f"case{suffix}"
    f.write_bytes(payload)
    with contextlib.suppress(SianodeError):
        reader(f)


FUZZ = settings(max_examples=400, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("kind", sorted(GOLDEN))
def test_golden_bases_are_valid(kind):
    base, reader, suffix = GOLDEN[kind]
    f = _DIR / f"ok{suffix}"
    f.write_bytes(base)
    assert len(reader(f)) == len(_RECORDS)


@pytest.mark.parametrize("kind", sorted(GOLDEN))
def test_mutated_exports_raise_only_sianode_errors(kind):
    base, reader, suffix = GOLDEN[kind]

    @FUZZ
    @given(payload=mutated(base))
    def run(payload):
        _check(reader, payload, suffix)

    run()


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(payload=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       suffix=st.sampled_from([".csv", ".mpt", ".txt"]))
def test_arbitrary_bytes_through_auto_detection(payload, suffix):
    _check(read_cycler, payload, suffix)
