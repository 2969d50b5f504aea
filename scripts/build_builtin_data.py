"""Rebuild sianode's built-in Li-X reference set from nothing but sianode and its dependencies.

Stages (each resumable: results are appended to ``build/builtin/<stage>.jsonl`` and ids
already there are skipped):

- ``lisi``: the Li-Si phases of :data:`sianode.materials.structures_lisi.LISI_PHASES`;
- ``hosts``: the other hosts of seed 001 and their known Li compounds (``HOST_PHASES``);
- ``prototypes``: Li-X binaries on common intermetallic prototypes
  (:mod:`sianode.materials.prototypes`) plus the elemental references.

``--assemble`` then writes ``src/sianode/data/builtin/entries.json.gz`` (every stage's
entries), ``provenance.json`` (potential, versions, settings, date, source per entry) and,
from them, the columnar ``entries.table.json`` (``python -m sianode.materials.table build``).

Usage::

    OMP_NUM_THREADS=1 python scripts/build_builtin_data.py --stage lisi hosts --assemble
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
STAGES = ("lisi", "hosts", "prototypes")


def entry_id_for(formula: str, label: str) -> str:
    """``sianode-<reduced formula>-<space group or prototype label>`` (no slashes)."""
    return f"sianode-{formula}-{label}".replace("/", "_").replace(" ", "")


def named_jobs(stage: str) -> tuple[dict, dict]:
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    from sianode.materials.structures_lisi import HOST_PHASES, LISI_PHASES, build_structure

    table = LISI_PHASES if stage == "lisi" else HOST_PHASES
    structs, meta = {}, {}
    for name, rec in table.items():
        conv = build_structure(rec)
        sga = SpacegroupAnalyzer(conv, symprec=1e-3)
        molecule = "molecule" in rec.tags
        prim = conv if molecule else sga.get_primitive_standard_structure()
        symbol = "molecule" if molecule else sga.get_space_group_symbol()
        eid = entry_id_for(prim.composition.reduced_formula, symbol)
        if name in ("Sn-alpha", "Sn-beta"):
            eid = entry_id_for("Sn", f"{symbol}-{name.split('-')[1]}")
        structs[eid] = prim
        meta[eid] = {
            "name": name,
            "source": rec.citation,
            "spacegroup": symbol,
            "spacegroup_number": rec.spacegroup,
            "prototype": rec.note or symbol,
            "set": stage,
            "molecule": molecule,
        }
    return structs, meta


def prototype_jobs() -> tuple[dict, dict]:
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    from sianode.materials.prototypes import prototype_population

    structs, meta = {}, {}
    for rec in prototype_population():
        sga = SpacegroupAnalyzer(rec["structure"], symprec=1e-3)
        prim = sga.get_primitive_standard_structure()
        formula = prim.composition.reduced_formula
        symbol = sga.get_space_group_symbol()
        label = symbol if prim.composition.is_element else rec["prototype"]
        eid = entry_id_for(formula, label)
        structs[eid] = prim
        meta[eid] = {k: v for k, v in rec.items() if k != "structure"} | {
            "set": "prototypes", "spacegroup": symbol, "spacegroup_number": rec["spacegroup"]}
    return structs, meta


def run_stage(stage: str, potential: str, fmax: float, max_steps: int, skip: set[str]) -> None:
    structs, meta = prototype_jobs() if stage == "prototypes" else named_jobs(stage)
    known = set()  # (formula, space group) another stage already computed (fcc Ag, B32 LiAl)
    for other in STAGES:
        if other != stage:
            for e in read_entries_file(WORK / f"{other}.jsonl"):
                skip.add(e.entry_id)
                known.add((e.composition.reduced_formula, e.data.get("spacegroup_number")))
    structs = {
        k: v for k, v in structs.items()
        if k not in skip
        and (v.composition.reduced_formula, meta[k]["spacegroup_number"]) not in known
    }
    # elemental terminals first, then small cells, so an interrupted build is still usable
    order = sorted(structs, key=lambda k: (not structs[k].composition.is_element, len(structs[k])))
    t0 = time.perf_counter()
    molecules = [k for k in order if meta[k].get("molecule")]
    crystals = [k for k in order if k not in molecules]
    relax_many(
        [(k, structs[k]) for k in crystals], WORK / f"{stage}.jsonl", potential,
        data=meta, fmax=fmax, max_steps=max_steps,
    )
    if molecules:  # fixed box, positions only
        relax_many([(k, structs[k]) for k in molecules], WORK / f"{stage}.jsonl", potential,
                   data=meta, fmax=fmax, max_steps=max_steps, relax_cell=False,
                   fix_symmetry=False)
    print(f"{stage}: {len(structs)} structures, {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def assemble(potential: str, fmax: float, max_steps: int) -> None:
    import importlib.metadata as md

    from sianode.materials.calculators import potential_info

    entries = []
    for stage in STAGES:
        entries += read_entries_file(WORK / f"{stage}.jsonl")
    seen: set[str] = set()
    unique = []
    for e in entries:
        if e.entry_id not in seen:
            seen.add(e.entry_id)
            unique.append(e)
    # keep only entries whose chemical system has all its elemental terminals
    elements = {e.composition.elements[0].symbol for e in unique if e.composition.is_element}
    dropped = [e.entry_id for e in unique if not {el.symbol for el in e.composition} <= elements]
    unique = [e for e in unique if e.entry_id not in dropped]
    if dropped:
        print(f"dropped (missing terminals): {', '.join(dropped)}", file=sys.stderr)
    DATA.mkdir(parents=True, exist_ok=True)
    with gzip.open(DATA / "entries.json.gz", "wt", encoding="utf-8") as fh:
        json.dump([e.as_dict() for e in unique], fh, separators=(",", ":"))
    info = potential_info(potential)
    prov = {
        "description": "sianode built-in Li-X reference set: relaxed ComputedStructureEntry "
        "objects made by scripts/build_builtin_data.py from published crystal structures "
        "and intermetallic prototypes.",
        "built_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "potential": info.as_dict(),
        "versions": {p: md.version(p) for p in ("sevenn", "chgnet", "torch", "ase", "pymatgen")},
        "python": platform.python_version(),
        "relaxation": {
            "method": "ASE FIRE on FrechetCellFilter, FixSymmetry(symprec=1e-3), primitive "
            "standard cell (O2: molecule in a fixed 10 Å box); fmax per entry below",
            "fmax_eV_A_by_set": {
                st: sorted({e.data.get("fmax_eV_A") for e in unique if e.data.get("set") == st})
                for st in STAGES
            },
            "relax_seconds_by_set": {
                st: round(sum(e.data.get("relax_seconds", 0.0) for e in unique
                              if e.data.get("set") == st), 1)
                for st in STAGES
            },
            "machine": "shared 2-core CPU, one torch thread",
        },
        "energy_scale": (
            "SevenNet-0 predicts raw PBE (GGA) energies; each entry was processed by pymatgen "
            "MaterialsProject2020Compatibility(check_potcar=False) with run_type GGA, which "
            "adds MP2020 anion corrections (Si in silicides +0.071 eV/Si, oxide -0.687 eV/O); "
            "Li-metal intermetallics and elements get none. No GGA+U mixing."
            if info.energy_scale == "GGA" else "CHGNet energies are MP2020-compatible as is."
        ),
        "n_entries": len(unique),
        "entries": {
            e.entry_id: {
                "formula": e.composition.reduced_formula,
                "source": e.data.get("source", ""),
                "prototype": e.data.get("prototype", ""),
                "set": e.data.get("set"),
                "fmax_eV_A": e.data.get("fmax_eV_A"),
                "converged": e.data.get("converged"),
                "relax_steps": e.data.get("relax_steps"),
                "relax_seconds": e.data.get("relax_seconds"),
            }
            for e in unique
        },
    }
    (DATA / "provenance.json").write_text(json.dumps(prov, indent=1) + "\n")
    # the columnar table the thermo engine reads without pymatgen (must match entries.json.gz)
    from sianode.materials.table import main as build_tables

    build_tables(["build"])
    print(f"assembled {len(unique)} entries into {DATA}", file=sys.stderr)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stage", nargs="*", choices=STAGES, default=[])
    p.add_argument("--potential", default="7net-0")
    p.add_argument("--fmax", type=float, default=0.02)
    p.add_argument("--max-steps", type=int, default=300)
    p.add_argument("--skip", nargs="*", default=[], help="entry ids to leave out")
    p.add_argument("--assemble", action="store_true")
    args = p.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    for stage in args.stage:
        run_stage(stage, args.potential, args.fmax, args.max_steps, set(args.skip))
    if args.assemble:
        assemble(args.potential, args.fmax, args.max_steps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
