"""Rebuild sianode's built-in Li-X reference set from nothing but sianode and its dependencies.

Stages (each resumable: results are appended to ``build/builtin/<stage>.jsonl`` and ids
already there are skipped):

- ``elements``: Li, every element X of the catalogue and the O2 molecule;
- ``catalogue``: every experimentally reported Li-X phase of the catalogue that the default set
  holds (:attr:`sianode.materials.catalogue.CatalogueRow.in_default`);
- ``hosts``: the non-binary hosts of seed 001 (Mg2Si, SiO2, Al2O3, ...);
- ``superseded``: superseded catalogue reports that have a structure (Li22Si5, Li21Si5) - opt-in;
- ``prototypes``: hypothetical Li-X binaries on generic prototypes - opt-in.

``--assemble`` then writes ``src/sianode/data/builtin/entries.json.gz`` (the default set:
elements, catalogue phases, hosts; every entry ``data["experimental"] = True``),
``exploratory.json.gz`` (superseded + prototypes, ``data["experimental"] = False``),
``provenance.json`` and ``validation.json`` (catalogued phases on/off the computed hull,
relaxed vs literature volumes) and, from the entry files, the columnar ``entries.table.json``
and ``exploratory.table.json`` the thermo engine reads without pymatgen
(``python -m sianode.materials.table build``).

Usage::

    OMP_NUM_THREADS=1 python scripts/build_builtin_data.py \\
        --stage elements catalogue hosts superseded prototypes --assemble
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sianode.materials.relax import read_entries_file, relax_many

WORK = ROOT / "build" / "builtin"
DATA = ROOT / "src" / "sianode" / "data" / "builtin"
STAGES = ("elements", "catalogue", "hosts", "superseded", "prototypes")
DEFAULT_STAGES = ("elements", "catalogue", "hosts")
EXPLORATORY_STAGES = ("superseded", "prototypes")
#: fmax per stage [eV/Å] unless --fmax is given (the generic prototypes are screening data)
STAGE_FMAX = {"prototypes": 0.05}
HULL_TOL_EV = 0.025
NON_BINARY_HOSTS = ("Mg2Si", "Li2MgSi", "SiO2", "Al2O3", "LiAlO2")


def entry_id_for(formula: str, label: str) -> str:
    """``sianode-<reduced formula>-<space group or prototype label>`` (no slashes)."""
    return f"sianode-{formula}-{label}".replace("/", "_").replace(" ", "")


def _primitive(conv, molecule: bool = False):
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    if molecule:
        return conv, "molecule"
    sga = SpacegroupAnalyzer(conv, symprec=1e-3)
    return sga.get_primitive_standard_structure(), sga.get_space_group_symbol()


def element_jobs() -> tuple[dict, dict]:
    from sianode.materials.catalogue import catalogue_elements
    from sianode.materials.prototypes import element_structure
    from sianode.materials.structures_lisi import ALL_PHASES, build_structure

    named = {"Li": "Li", "Si": "Si", "Ag": "Ag", "Al": "Al", "Cu": "Cu", "Mg": "Mg", "Zn": "Zn",
             "Ti": "Ti", "Ge": "Ge", "In": "In", "O": "O2"}
    structs, meta = {}, {}
    for el in ["Li", *catalogue_elements(), "Sn-beta"]:
        if el == "Sn":
            el = "Sn-alpha"
        name = named.get(el, el)
        if name in ALL_PHASES:
            rec = ALL_PHASES[name]
            conv, source, origin = build_structure(rec), rec.citation, "published"
            proto = rec.note or ""
            molecule = "molecule" in rec.tags
        else:
            proto, conv = element_structure(el)
            source = (f"elemental {proto} structure type (lattice from the molar volume, relaxed); "
                      "Mehl et al., Comput. Mater. Sci. 136, S1 (2017)")
            origin, molecule = "element-structure-type", False
        prim, symbol = _primitive(conv, molecule)
        eid = entry_id_for(prim.composition.reduced_formula, symbol)
        if name.startswith("Sn-"):
            eid = entry_id_for("Sn", f"{symbol}-{name.split('-')[1]}")
        structs[eid] = prim
        meta[eid] = {"name": name, "source": source, "spacegroup": symbol, "prototype": proto or symbol,
                     "set": "elements", "molecule": molecule, "experimental": True,
                     "structure_origin": origin, "catalogue_id": None}
    return structs, meta


def catalogue_jobs(superseded: bool) -> tuple[dict, dict]:
    from sianode.materials.catalogue import load_catalogue, row_structure

    structs, meta = {}, {}
    for row in load_catalogue():
        if not row.built or (row.status == "superseded") != superseded:
            continue
        prim, symbol = _primitive(row_structure(row))
        eid = entry_id_for(prim.composition.reduced_formula, symbol)
        structs[eid] = prim
        meta[eid] = {
            "name": row.id, "catalogue_id": row.id, "experimental": not superseded,
            "structure_origin": row.structure_origin, "coordinates_of": row.coordinates_of,
            "source": f"{row.phase_diagram_source}; coordinates: {row.coordinates_source}",
            "spacegroup": symbol, "spacegroup_number": row.spacegroup_number,
            "prototype": row.structure_type, "status": row.status,
            "superseded_by": row.superseded_by, "kind": row.kind,
            "set": "superseded" if superseded else "catalogue",
        }
    return structs, meta


def host_jobs() -> tuple[dict, dict]:
    from sianode.materials.structures_lisi import HOST_PHASES, build_structure

    structs, meta = {}, {}
    for name in NON_BINARY_HOSTS:
        rec = HOST_PHASES[name]
        prim, symbol = _primitive(build_structure(rec))
        eid = entry_id_for(prim.composition.reduced_formula, symbol)
        structs[eid] = prim
        meta[eid] = {"name": name, "source": rec.citation, "spacegroup": symbol,
                     "spacegroup_number": rec.spacegroup, "prototype": rec.note or symbol,
                     "set": "hosts", "experimental": True, "catalogue_id": None,
                     "structure_origin": "isotypic-model" if "guess" in rec.note else "published"}
    return structs, meta


def prototype_jobs() -> tuple[dict, dict]:
    from sianode.materials.prototypes import prototype_population

    structs, meta = {}, {}
    for rec in prototype_population():
        if rec["structure"].composition.is_element:
            continue  # terminals come from the elements stage
        prim, symbol = _primitive(rec["structure"])
        eid = entry_id_for(prim.composition.reduced_formula, rec["prototype"])
        structs[eid] = prim
        meta[eid] = {k: v for k, v in rec.items() if k != "structure"} | {
            "set": "prototypes", "spacegroup": symbol, "spacegroup_number": rec["spacegroup"],
            "experimental": False, "structure_origin": "hypothetical-prototype",
            "catalogue_id": None}
    return structs, meta


def jobs_for(stage: str) -> tuple[dict, dict]:
    return {
        "elements": element_jobs,
        "catalogue": lambda: catalogue_jobs(False),
        "hosts": host_jobs,
        "superseded": lambda: catalogue_jobs(True),
        "prototypes": prototype_jobs,
    }[stage]()


def run_stage(stage: str, potential: str, fmax: float | None, max_steps: int,
              skip: set[str]) -> float:
    structs, meta = jobs_for(stage)
    known = set()  # (formula, space group) a reported phase already covers (B32 LiAl, B2 LiAg)
    if stage == "prototypes":
        for other in STAGES:
            if other != stage:
                for e in read_entries_file(WORK / f"{other}.jsonl"):
                    known.add((e.composition.reduced_formula, e.data.get("spacegroup_number")))
    structs = {k: v for k, v in structs.items() if k not in skip
               and (v.composition.reduced_formula, meta[k].get("spacegroup_number")) not in known}
    done = {e.entry_id for e in read_entries_file(WORK / f"{stage}.jsonl")}
    structs = {k: v for k, v in structs.items() if k not in done}  # resume: only what is missing
    order = sorted(structs, key=lambda k: len(structs[k]))  # small cells first
    fmax = fmax if fmax is not None else STAGE_FMAX.get(stage, 0.02)
    t0 = time.perf_counter()
    molecules = [k for k in order if meta[k].get("molecule")]
    crystals = [k for k in order if k not in molecules]
    out = WORK / f"{stage}.jsonl"
    relax_many([(k, structs[k]) for k in crystals], out, potential, data=meta, fmax=fmax,
               max_steps=max_steps)
    if molecules:  # fixed box, positions only
        relax_many([(k, structs[k]) for k in molecules], out, potential, data=meta, fmax=fmax,
                   max_steps=max_steps, relax_cell=False, fix_symmetry=False)
    wall = time.perf_counter() - t0
    print(f"{stage}: {len(structs)} structures, {wall:.0f} s", file=sys.stderr)
    return wall


def _unique(stages) -> list:
    seen, out = set(), []
    for stage in stages:
        for e in read_entries_file(WORK / f"{stage}.jsonl"):
            if e.entry_id not in seen:
                seen.add(e.entry_id)
                out.append(e)
    return out


def _e_above_hull_meV(pd, entry) -> float:
    _, e = pd.get_decomp_and_e_above_hull(entry, allow_negative=True)
    return round(1000.0 * float(e), 1)


def validation_report(default: list, exploratory: list) -> dict:
    """Per Li-X system: catalogued phases on/off the computed hull, not built, superseded."""
    from pymatgen.analysis.phase_diagram import PhaseDiagram

    from sianode.materials.catalogue import load_catalogue, row_structure

    by_cat = {e.data.get("catalogue_id"): e for e in default + exploratory
              if e.data.get("catalogue_id")}
    systems: dict[str, dict] = {}
    volumes = []
    n_built = n_on = 0
    off_all = []
    for row in load_catalogue():
        sysd = systems.setdefault(row.system, {"on_hull": [], "off_hull": [], "not_built": [],
                                               "superseded": [], "no_compound": False})
        if row.kind == "none":
            sysd["no_compound"] = True
            continue
        entry = by_cat.get(row.id)
        if entry is None:
            sysd["not_built"].append({"catalogue_id": row.id, "formula": row.formula,
                                      "status": row.status, "reason": row.notes})
            continue
        els = {"Li", row.element}
        pd = PhaseDiagram([e for e in default if {x.symbol for x in e.composition} <= els])
        e_hull = _e_above_hull_meV(pd, entry)
        rec = {"catalogue_id": row.id, "entry_id": entry.entry_id,
               "formula": entry.composition.reduced_formula, "kind": row.kind,
               "status": row.status, "structure_origin": row.structure_origin,
               "e_above_hull_meV_atom": e_hull}
        if row.status == "superseded":
            rec["superseded_by"] = row.superseded_by
            sysd["superseded"].append(rec)
        else:
            n_built += 1
            if e_hull <= 1000 * HULL_TOL_EV:
                n_on += 1
                sysd["on_hull"].append(rec)
            else:
                sysd["off_hull"].append(rec)
                off_all.append(rec)
        conv = row_structure(row)
        lit = (conv.volume / len(conv)
               if row.lattice is not None and not row.lattice_estimated else None)
        relaxed = entry.structure.volume / len(entry.structure)
        volumes.append({
            "catalogue_id": row.id, "formula": entry.composition.reduced_formula,
            "lattice_checked": row.lattice_checked, "lattice_estimated": row.lattice_estimated,
            "structure_origin": row.structure_origin,
            "literature_A3_atom": None if lit is None else round(lit, 3),
            "relaxed_A3_atom": round(relaxed, 3),
            "deviation": None if lit is None else round(relaxed / lit - 1.0, 4),
        })
    return {
        "description": "Catalogued Li-X phases (sianode/data/catalogue/li_binaries.json) against "
        "the hull of the default built-in set, per Li-X system. on_hull: within "
        f"{HULL_TOL_EV * 1000:.0f} meV/atom of the hull; off_hull: above it (kept in the set, "
        "never dropped); not_built: catalogued without a structure; superseded: opt-in entries "
        "measured against the default hull. volumes: relaxed vs literature volume per atom "
        "(no literature volume where the catalogue lattice is estimated or a DFT cell).",
        "tolerance_meV_atom": HULL_TOL_EV * 1000,
        "n_catalogued_built": n_built,
        "n_on_hull": n_on,
        "fraction_on_hull": round(n_on / n_built, 4) if n_built else None,
        "off_hull": off_all,
        "systems": systems,
        "volumes": volumes,
    }


def _write_gz(path: Path, entries: list) -> None:
    from sianode.atomic import atomic_path

    with atomic_path(path) as tmp, gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump([e.as_dict() for e in entries], fh, separators=(",", ":"))


def _prov_entries(entries: list) -> dict:
    return {e.entry_id: {
        "formula": e.composition.reduced_formula, "source": e.data.get("source", ""),
        "prototype": e.data.get("prototype", ""), "set": e.data.get("set"),
        "experimental": e.data.get("experimental"), "catalogue_id": e.data.get("catalogue_id"),
        "structure_origin": e.data.get("structure_origin"), "fmax_eV_A": e.data.get("fmax_eV_A"),
        "converged": e.data.get("converged"), "relax_steps": e.data.get("relax_steps"),
        "relax_seconds": e.data.get("relax_seconds")} for e in entries}


def assemble(potential: str, walls: dict[str, float]) -> None:
    import importlib.metadata as md

    from sianode.materials.calculators import potential_info

    default = _unique(DEFAULT_STAGES)
    exploratory = [e for e in _unique(EXPLORATORY_STAGES)
                   if e.entry_id not in {d.entry_id for d in default}]
    elements = {e.composition.elements[0].symbol for e in default if e.composition.is_element}
    for e in default + exploratory:
        missing = {el.symbol for el in e.composition} - elements
        if missing:
            raise SystemExit(f"{e.entry_id}: no elemental terminal for {sorted(missing)}")
    assert all(e.data.get("experimental") is True for e in default)
    assert all(e.data.get("experimental") is False for e in exploratory)
    DATA.mkdir(parents=True, exist_ok=True)
    _write_gz(DATA / "entries.json.gz", default)
    _write_gz(DATA / "exploratory.json.gz", exploratory)
    info = potential_info(potential)
    all_sets = STAGES
    prov = {
        "description": "sianode built-in Li-X reference set: relaxed ComputedStructureEntry "
        "objects made by scripts/build_builtin_data.py. entries.json.gz (default): elements, the "
        "experimentally reported Li-X phases of sianode/data/catalogue/li_binaries.json and the "
        "non-binary hosts of seed 001. exploratory.json.gz (opt-in, source "
        "'builtin+hypothetical'): superseded reports and hypothetical prototypes.",
        "built_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "potential": info.as_dict(),
        "versions": {p: md.version(p) for p in ("sevenn", "chgnet", "torch", "ase", "pymatgen")},
        "python": platform.python_version(),
        "relaxation": {
            "method": "ASE FIRE on FrechetCellFilter, FixSymmetry(symprec=1e-3), primitive "
            "standard cell (O2: molecule in a fixed 9.9 Å box; the shipped O2 entry was relaxed in a 10 Å "
            "box before the 500 Å³/atom sanity bound existed); fmax per entry below",
            "fmax_eV_A_by_set": {st: sorted({e.data.get("fmax_eV_A") for e in default + exploratory
                                             if e.data.get("set") == st}) for st in all_sets},
            "relax_seconds_by_set": {st: round(sum(e.data.get("relax_seconds", 0.0)
                                                   for e in default + exploratory
                                                   if e.data.get("set") == st), 1)
                                     for st in all_sets},
            "stage_wall_seconds_last_run": walls,
            "not_converged": sorted(e.entry_id for e in default + exploratory
                                    if not e.data.get("converged")),
            "carried_over": sorted(e.entry_id for e in default + exploratory
                                   if e.data.get("carried_over_from")),
            "machine": "shared 2-core CPU, one torch thread",
        },
        "energy_scale": (
            "SevenNet-0 predicts raw PBE (GGA) energies; each entry was processed by pymatgen "
            "MaterialsProject2020Compatibility(check_potcar=False) with run_type GGA, which "
            "adds MP2020 anion corrections (Si in silicides +0.071 eV/Si, oxide -0.687 eV/O); "
            "Li-metal intermetallics and elements get none. No GGA+U mixing."
            if info.energy_scale == "GGA" else "CHGNet energies are MP2020-compatible as is."
        ),
        "n_entries": len(default),
        "n_exploratory": len(exploratory),
        "entries": _prov_entries(default),
        "exploratory_entries": _prov_entries(exploratory),
    }
    from sianode.atomic import write_text

    write_text(DATA / "provenance.json", json.dumps(prov, indent=1) + "\n")
    report = validation_report(default, exploratory)
    write_text(DATA / "validation.json", json.dumps(report, indent=1) + "\n")
    # the columnar tables the thermo engine reads without pymatgen (must match the .json.gz)
    from sianode.materials.table import main as build_tables

    build_tables(["build"])
    print(f"assembled {len(default)} default + {len(exploratory)} exploratory entries into {DATA}; "
          f"{report['n_on_hull']}/{report['n_catalogued_built']} catalogued phases on the hull",
          file=sys.stderr)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stage", nargs="*", choices=STAGES, default=[], help="stages to run")
    from sianode.materials.calculators import DEFAULT_POTENTIAL

    p.add_argument("--potential", default=DEFAULT_POTENTIAL, help="registered ML potential")
    p.add_argument("--fmax", type=float, default=None,
                   help="force convergence [eV/Å]; default 0.02 (prototypes 0.05)")
    p.add_argument("--max-steps", type=int, default=500, help="optimizer step cap")
    p.add_argument("--skip", nargs="*", default=[], help="entry ids to leave out")
    p.add_argument("--assemble", action="store_true", help="write the package data files")
    args = p.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    walls = {}
    for stage in args.stage:
        walls[stage] = round(run_stage(stage, args.potential, args.fmax, args.max_steps,
                                       set(args.skip)), 1)
    if args.assemble:
        assemble(args.potential, walls)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
