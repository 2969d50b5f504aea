"""Strain states on a Dask cluster (sianode.parallel): one task per state, same barriers."""

import pytest

pytest.importorskip("distributed")
parallel = pytest.importorskip("sianode.parallel")

from sianode.kinetics.diffusion import strain_scan  # noqa: E402
from sianode.kinetics.toy import ToyHopCalculator  # noqa: E402


def test_strain_states_on_dask_workers_give_the_in_process_barriers(si_cell, toy_kw,
                                                                     dask_client):
    opts = {**toy_kw, "supercell": (1, 1, 1), "fmax": 0.02, "method": "saddle"}
    kw = {"shear_deg": 80.0, "calculator": ToyHopCalculator(), "progress": False, **opts}
    here = strain_scan(si_cell, [0.0, 0.03], **kw)
    with parallel.open_backend(scheduler=dask_client) as backend:
        there = strain_scan(si_cell, [0.0, 0.03], backend=backend, **kw)
    assert there["jobs"] == 2  # the cluster's two workers, one state each at a time
    assert [p["method"] for p in there["points"]] == ["saddle", "saddle", "neb"]
    assert [p["barrier_eV"] for p in there["points"]] == pytest.approx(
        [p["barrier_eV"] for p in here["points"]], abs=1e-6)
    assert there["points"][1]["barrier_eV"] > there["points"][0]["barrier_eV"]
    assert there["force_calls"] == sum(p["force_calls"] for p in there["points"])
