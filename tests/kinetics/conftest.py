"""Fixtures of the kinetics tests: the analytic toy hop potential on a diamond host."""

import pytest
from ase.build import bulk

from sianode.kinetics.hosts import DIAMOND_TD_SITES
from sianode.kinetics.toy import ToyHopCalculator


@pytest.fixture
def toy():
    return ToyHopCalculator()


@pytest.fixture
def si_cell():
    return bulk("Si", "diamond", a=5.43, cubic=True)


@pytest.fixture
def toy_kw(si_cell):
    """Arguments of li_migration_barrier for a fast toy hop in a 65-atom cell."""
    return {"sites": DIAMOND_TD_SITES, "supercell": (2, 2, 2), "host_cell": si_cell}
