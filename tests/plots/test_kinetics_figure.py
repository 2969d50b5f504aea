"""The Li-migration path plot (seed 001 Fig. 3b style) is drawn in the package style."""

from __future__ import annotations

import matplotlib as mpl

from sianode.plots.kinetics import plot_migration_paths
from sianode.plots.style import SINGLE_COLUMN_IN, plain_text

POINTS = [{"strain": 0.0, "shear_deg": None, "barrier_eV": 0.46,
           "path_distance_A": [0.0, 1.2, 2.4], "path_energies_eV": [0.0, 0.46, 0.0]},
          {"strain": 0.05, "shear_deg": 80.0, "barrier_eV": 0.82,
           "path_distance_A": [0.0, 1.2, 2.4], "path_energies_eV": [0.0, 0.82, 0.0]}]


def test_migration_paths_single_column_units_and_legend():
    before = dict(mpl.rcParams)
    ax = plot_migration_paths(POINTS)
    assert dict(mpl.rcParams) == before  # nothing global changed
    w, _ = ax.figure.get_size_inches()
    assert w == SINGLE_COLUMN_IN
    assert plain_text(ax.get_xlabel()) == "path length, all atoms [Å]"
    assert plain_text(ax.get_ylabel()) == "energy [eV]"
    leg = ax.get_legend()
    assert [t.get_text() for t in leg.get_texts()] == [
        "0 % compression: 0.46 eV", "5 % compression, γ = 80°: 0.82 eV"]
    assert leg.get_title().get_text() == "strain: barrier"
    assert [max(ln.get_ydata()) for ln in ax.lines] == [0.46, 0.82]
