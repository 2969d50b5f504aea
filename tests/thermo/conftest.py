"""The pymatgen route to constrained profiles, kept as the cross-check of the engine's hull."""

import pytest

from sianode import units


@pytest.fixture
def pymatgen_profile():
    return _pymatgen_profile


def _pymatgen_profile(entries, host_id, k_eff_GPa):
    """[(voltage_V, li_start, li_end, products)] per host formula unit from one pymatgen
    ``PhaseDiagram`` of the penalised entries and ``get_element_profile(Li, host)``."""
    from pymatgen.analysis.phase_diagram import PhaseDiagram
    from pymatgen.core import Element
    from pymatgen.entries.computed_entries import ComputedEntry

    from sianode.materials.entries import entry_volume_A3

    host = next(e for e in entries if e.entry_id == host_id)
    els = {e.symbol for e in host.composition.elements} | {"Li"}
    k_ev = float(units.gpa_to_ev_per_a3(k_eff_GPa))
    pen = []
    for e in entries:
        sym = {x.symbol for x in e.composition.elements}
        if not sym <= els:
            continue
        extra = 0.0 if sym == {"Li"} else k_ev * entry_volume_A3(e)
        pen.append(ComputedEntry(e.composition, float(e.energy) + extra, entry_id=e.entry_id))
    pd = PhaseDiagram(pen)
    li = Element("Li")
    mu_ref = pd.el_refs[li].energy_per_atom
    comp = host.composition.reduced_composition
    prof = sorted(pd.get_element_profile(li, comp), key=lambda a: a["evolution"])
    out = []
    for a, b in zip(prof[:-1], prof[1:], strict=True):
        v = mu_ref - a["chempot"]
        lo, hi = max(a["evolution"], 0.0) + 0.0, b["evolution"]
        if v <= 1e-9 or hi - lo <= 1e-6:
            continue
        prods = tuple(sorted({x.composition.reduced_formula for x in b["entries"]}))
        out.append((float(v), float(lo), float(hi), prods))
    return out
