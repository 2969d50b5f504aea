"""Strain scan of the Li hop in Si two ways, side by side: the wave-1 route and the new one.

Scan (seed 001 Fig. 3b): Si, compressive strain 0 and 0.05, the 0.05 state also with
gamma = 80 deg shear; SevenNet-0; 2x2x2 supercell (65 atoms); fmax 0.05 eV/Å; 5 images.

- **wave-1 route** (main before issue 16, copied verbatim below as the peer): host cell
  relaxed once, then per strain state an empty-host collapse probe, two end-point
  relaxations, IDPP band and CI-NEB with ASE FIRE, one state after another.
- **new route** (:func:`sianode.kinetics.diffusion.strain_scan`): one rattled start-point
  relaxation per state (doubles as the collapse probe), end point by inversion symmetry,
  band seeded through the relaxed Hex saddle or warm-started from the nearest finished
  state, tuned optimiser, end points frozen, states on ``--jobs`` processes.
  ``--method saddle`` adds the symmetric-saddle shortcut for the unsheared states.

Prints force calls (energy+force evaluations of the potential), wall and CPU time, the
ratios, and the barrier differences (target: >= 4x fewer calls, |dEa| <= 10 meV).

Other sections: ``--optimizers`` (force calls of each band optimiser on one state),
``--batch`` (batched vs per-image SevenNet calls), ``--supercells`` (barrier vs cell size).

Usage::

    OMP_NUM_THREADS=1 python benchmarks/neb_scan.py [--routes wave1 new saddle] [--jobs 2]
        [--cache results.json] [--optimizers] [--batch] [--supercells 1 2 3]

``--cache DIR`` stores each finished route as one JSON file and reuses it on the next run,
so a long comparison can be resumed (or its routes run as separate processes and printed
together); delete the files to recompute.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

STRAINS = (0.0, 0.05)
SHEAR_DEG = 80.0
#: Wave-1 barriers measured on main (issue 16 text), SevenNet-0, 65-atom cell [eV].
WAVE1_REFERENCE = {(0.0, None): 0.461, (0.05, None): 0.828, (0.05, 80.0): 0.888}


# --- the peer: wave-1 route, as on main before issue 16 -----------------------------------

def wave1_barrier(host, calculator, *, strain, shear_deg, host_cell, supercell=(2, 2, 2),
                  n_images=5, fmax=0.05, max_steps=200, sites=((0.5,) * 3, (0.75,) * 3)):
    """main's ``li_migration_barrier`` (commit 08fcc8e), trimmed to what the scan uses."""
    import numpy as np
    from ase import Atom
    from ase.geometry import find_mic
    from ase.mep import NEB
    from ase.optimize import BFGS, FIRE

    from sianode.kinetics.strain import apply_strain, compare_hosts

    def relax(a):
        BFGS(a, logfile=None).run(fmax=fmax, steps=max_steps)

    reps = np.array(supercell, dtype=float)
    ideal = apply_strain(host_cell.repeat(supercell), strain, shear_deg=shear_deg)
    n_host = len(ideal)
    probe = ideal.copy()
    probe.rattle(0.03, seed=7)
    probe.calc = calculator
    relax(probe)
    if compare_hosts(ideal, probe).changed:
        return None, "host changed", 0

    def endpoint(frac):
        a = ideal.copy()
        a.append(Atom("Li", np.asarray(frac) / reps @ np.asarray(a.cell)))
        a.calc = calculator
        relax(a)
        return a

    start, end = endpoint(sites[0]), endpoint(sites[1])
    for a, frac in ((start, sites[0]), (end, sites[1])):
        target = np.asarray(frac) / reps @ np.asarray(a.cell)
        delta, _ = find_mic(a.positions[-1] - target, a.cell, pbc=True)
        if np.linalg.norm(delta) > 0.6 or compare_hosts(ideal, a[:n_host]).changed:
            return None, "host changed", 0
    images = [start] + [start.copy() for _ in range(n_images)] + [end]
    for im in images:
        im.calc = calculator
    band = NEB(images, climb=True, allow_shared_calculator=True, method="improvedtangent")
    band.interpolate("idpp", mic=True)
    opt = FIRE(band, logfile=None)
    converged = bool(opt.run(fmax=fmax, steps=max_steps))
    energies = np.array([im.get_potential_energy() for im in images])
    return float((energies - energies[0]).max()), "ok" if converged else "not converged", \
        int(opt.nsteps)


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_wave1(potential: str, supercell: int, only: int | None = None) -> dict:
    """The wave-1 scan, one state after another (``only``: just that state)."""
    from sianode.kinetics.band import CountingCalculator
    from sianode.kinetics.diffusion import scan_points
    from sianode.kinetics.hosts import prepare_host
    from sianode.materials.calculators import get_calculator

    t0, c0 = time.perf_counter(), _cpu_s()
    calc = CountingCalculator(get_calculator(potential))
    load_s = time.perf_counter() - t0
    cell = prepare_host("Si", calc)
    host_calls = calc.calls
    points = []
    for i, (s, g) in enumerate(scan_points(STRAINS, SHEAR_DEG)):
        if only is not None and i != only:
            continue
        before, tp, cp = calc.calls, time.perf_counter(), _cpu_s()
        ea, status, steps = wave1_barrier("Si", calc, strain=s, shear_deg=g, host_cell=cell,
                                          supercell=(supercell,) * 3)
        points.append({"strain": s, "shear_deg": g, "barrier_eV": ea, "status": status,
                       "neb_steps": steps, "force_calls": calc.calls - before,
                       "wall_s": time.perf_counter() - tp, "cpu_s": _cpu_s() - cp})
        print(f"  wave-1 {s:.2f} {g}: Ea {ea} eV, {calc.calls - before} calls, "
              f"{steps} FIRE steps, {time.perf_counter() - tp:.0f} s", flush=True)
    return {"route": "wave1", "points": points, "force_calls": calc.calls,
            "host_calls": host_calls, "wall_s": time.perf_counter() - t0,
            "cpu_s": _cpu_s() - c0, "load_s": load_s}


def _join_wave1_points(parts: list[dict]) -> dict:
    """One wave-1 route from states run as separate processes (``--wave1-point``): calls
    and times add up as if run one after another; the host cell is relaxed once."""
    host = parts[0]["host_calls"]
    return {"route": "wave1", "points": [p["points"][0] for p in parts],
            "force_calls": host + sum(p["force_calls"] - p["host_calls"] for p in parts),
            "host_calls": host,
            "wall_s": sum(p["points"][0]["wall_s"] for p in parts) + parts[0]["load_s"],
            "cpu_s": sum(p["points"][0]["cpu_s"] for p in parts),
            "joined_from_separate_processes": True}


def run_new(potential: str, supercell: int, jobs: int, method: str) -> dict:
    from sianode.kinetics.diffusion import strain_scan

    t0, c0 = time.perf_counter(), _cpu_s()
    res = strain_scan("Si", STRAINS, shear_deg=SHEAR_DEG, calculator=potential, jobs=jobs,
                      method=method, supercell=(supercell,) * 3, progress=True)
    keys = ("strain", "shear_deg", "barrier_eV", "status", "method", "neb_steps",
            "force_calls", "wall_s", "extra")
    points = [{k: p[k] for k in keys} for p in res["points"]]
    for p in points:
        print(f"  {method} {p['strain']:.2f} {p['shear_deg']}: Ea {p['barrier_eV']} eV "
              f"({p['method']}), {p['force_calls']} calls, {p['neb_steps']} steps, "
              f"init {p['extra'].get('init')}, {p['wall_s']:.0f} s", flush=True)
    return {"route": f"new-{method}", "points": points, "force_calls": res["force_calls"],
            "wall_s": time.perf_counter() - t0, "cpu_s": _cpu_s() - c0, "jobs": jobs}


def _cached(folder: str | None, key: str) -> dict | None:
    path = Path(folder, key.replace(":", "_") + ".json") if folder else None
    return json.loads(path.read_text()) if path and path.is_file() else None


def _store(folder: str | None, key: str, value: dict) -> None:
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = Path(folder, key.replace(":", "_") + ".json")
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value, indent=1))
        os.replace(tmp, path)


def compare(routes: list[dict]) -> None:
    base = next((r for r in routes if r["route"] == "wave1"), None)
    print("\n== scan Si, strain 0 / 0.05 / 0.05 + 80 deg shear ==")
    print(f"{'route':13s} {'calls':>6s} {'wall s':>8s} {'CPU s':>8s} "
          f"{'Ea(0)':>7s} {'Ea(5%)':>7s} {'Ea(5%,80)':>9s}")
    for r in routes:
        ea = [p["barrier_eV"] for p in r["points"]]
        print(f"{r['route']:13s} {r['force_calls']:6d} {r['wall_s']:8.0f} {r['cpu_s']:8.0f} "
              + " ".join(f"{e:7.3f}" if e is not None else "   None" for e in ea))
    if base is None:
        return
    for r in routes:
        if r is base:
            continue
        d = [1000 * (p["barrier_eV"] - q["barrier_eV"]) for p, q in zip(r["points"],
                                                                         base["points"])
             if p["barrier_eV"] is not None and q["barrier_eV"] is not None]
        print(f"{r['route']}: {base['force_calls'] / r['force_calls']:.1f}x fewer force "
              f"calls, wall {base['wall_s'] / r['wall_s']:.1f}x, CPU "
              f"{base['cpu_s'] / r['cpu_s']:.1f}x; dEa vs wave-1 [meV]: "
              + ", ".join(f"{x:+.1f}" for x in d))



# --- batched vs per-image calls of SevenNet ------------------------------------------------

def run_batch(potential: str, supercell: int, n_images: int = 5, repeats: int = 3) -> dict:
    """CPU time of one band evaluation: n_images calls vs one batched SevenNet call."""
    import numpy as np
    from ase import Atom
    from sevenn.atom_graph_data import AtomGraphData
    from sevenn.train.dataload import unlabeled_atoms_to_graph
    from torch_geometric.loader.dataloader import Collater

    from sianode.kinetics.hosts import prepare_host
    from sianode.materials.calculators import get_calculator

    calc = get_calculator(potential)
    cell = prepare_host("Si", calc)
    host = cell.repeat((supercell,) * 3)
    host.append(Atom("Li", 0.5 / supercell * np.asarray(host.cell).sum(axis=0)))
    images = []
    for k in range(n_images):
        im = host.copy()
        im.rattle(0.02, seed=k)
        images.append(im)

    def per_image():
        out = []
        for im in images:
            calc.calculate(im, ["energy", "forces"])
            out.append(calc.results["energy"])
        return np.array(out)

    def batched():
        graphs = [AtomGraphData.from_numpy_dict(unlabeled_atoms_to_graph(im, calc.cutoff))
                  for im in images]
        batch = Collater([], follow_batch=None, exclude_keys=None)(graphs)
        calc.model.set_is_batch_data(True)
        try:
            out = calc.model(batch)
        finally:
            calc.model.set_is_batch_data(False)
        return out["inferred_total_energy"].detach().numpy()

    e1, e2 = per_image(), batched()  # warm up, and check they agree
    times = {"per_image": [], "batched": []}
    for _ in range(repeats):  # interleaved, CPU time: robust to the machine's load
        for name, fn in (("per_image", per_image), ("batched", batched)):
            c0 = time.process_time()
            fn()
            times[name].append(time.process_time() - c0)
    med = {k: float(np.median(v)) for k, v in times.items()}
    print(f"== batch, {len(host)} atoms x {n_images} images: per-image "
          f"{med['per_image']:.2f} s CPU, batched {med['batched']:.2f} s CPU, ratio "
          f"{med['per_image'] / med['batched']:.2f} (>1: batching wins); max |dE| "
          f"{float(np.abs(e1 - e2).max()):.1e} eV", flush=True)
    return {"n_atoms": len(host), "n_images": n_images, "cpu_s_median": med,
            "max_dE_eV": float(np.abs(e1 - e2).max())}


# --- barrier vs supercell size --------------------------------------------------------------

def run_supercells(potential: str, sizes: list[int], neb_sizes: list[int],
                   strains: tuple[float, ...] = STRAINS) -> dict:
    """Saddle-method barrier (and CI-NEB where asked) at 0 and 5 % for each cell size."""
    from sianode.kinetics.band import CountingCalculator
    from sianode.kinetics.hosts import prepare_host
    from sianode.kinetics.neb import li_migration_barrier
    from sianode.materials.calculators import get_calculator

    calc = get_calculator(potential)
    cell = prepare_host("Si", calc)
    rows = []
    for n in sizes:
        for strain in strains:
            for method in ("saddle", "neb") if n in neb_sizes else ("saddle",):
                t0, c0 = time.perf_counter(), _cpu_s()
                r = li_migration_barrier("Si", CountingCalculator(calc), strain=strain,
                                         supercell=(n,) * 3, host_cell=cell, method=method)
                rows.append({"supercell": n, "n_atoms": r.n_atoms, "strain": strain,
                             "method": method, "barrier_eV": r.barrier_eV,
                             "status": r.status, "force_calls": r.force_calls,
                             "wall_s": time.perf_counter() - t0, "cpu_s": _cpu_s() - c0})
                print(f"  {r.n_atoms:4d} atoms, strain {strain:.2f}, {method:6s}: "
                      f"Ea {r.barrier_eV} eV [{r.status}], {r.force_calls} calls, "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
    return {"rows": rows}


def _fmt(r: dict | None) -> str:
    return f"{r['barrier_eV']:9.3f}" if r and r["barrier_eV"] is not None else f"{'-':>9s}"


def print_supercells(rows: list[dict]) -> None:
    print("\n== barrier vs supercell (SevenNet-0, fmax 0.05 eV/Å) ==")
    print(f"{'atoms':>5s} {'strain':>6s} {'saddle eV':>9s} {'CI-NEB eV':>9s} {'calls':>11s}")
    keys = sorted({(r["n_atoms"], r["strain"]) for r in rows})
    for n, s in keys:
        got = {r["method"]: r for r in rows if (r["n_atoms"], r["strain"]) == (n, s)}
        sad, neb = got.get("saddle"), got.get("neb")
        calls = "/".join(str(r["force_calls"]) for r in (sad, neb) if r)
        print(f"{n:5d} {s:6.2f} {_fmt(sad)} {_fmt(neb)} {calls:>11s}")
    for s in sorted({r["strain"] for r in rows}):
        sad = {r["n_atoms"]: r["barrier_eV"] for r in rows
               if r["strain"] == s and r["method"] == "saddle" and r["barrier_eV"] is not None}
        if sad:
            big = sad[max(sad)]
            ok = [n for n in sorted(sad) if abs(sad[n] - big) <= 0.020]
            print(f"strain {s:.2f}: smallest cell within 20 meV of the {max(sad)}-atom "
                  f"barrier: {ok[0]} atoms")

def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--routes", nargs="*", default=["wave1", "new", "saddle"],
                   choices=["wave1", "new", "saddle"])
    p.add_argument("--potential", default="7net-0")
    p.add_argument("--supercell", type=int, default=2)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--wave1-point", type=int, default=None,
                   help="run only this state of the wave-1 route (0, 1, 2) and cache it; "
                        "states run as separate processes are joined in the table")
    p.add_argument("--batch", action="store_true", help="time batched vs per-image calls")
    p.add_argument("--supercells", type=int, nargs="*", default=None,
                   help="barrier vs cell size for these repetitions (1 2 3 = 9/65/217 atoms)")
    p.add_argument("--supercell-neb", type=int, nargs="*", default=[1, 2],
                   help="repetitions at which CI-NEB also runs in --supercells")
    p.add_argument("--supercell-strains", type=float, nargs="*", default=list(STRAINS),
                   help="strains of --supercells")
    p.add_argument("--cache", default=None,
                   help="folder of finished routes, one JSON each (resume, merge runs)")
    args = p.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    if args.batch:
        for n in (1, 2, 3):
            key = f"batch:{args.potential}:{n}"
            if _cached(args.cache, key) is None:
                _store(args.cache, key, run_batch(args.potential, n))
    if args.supercells:
        rows = []
        for n in args.supercells:
            key = f"supercell:{args.potential}:{n}:neb{int(n in args.supercell_neb)}"
            if tuple(args.supercell_strains) != STRAINS:
                key += ":" + "_".join(f"{x:g}" for x in args.supercell_strains)
            value = _cached(args.cache, key)
            if value is None:
                value = run_supercells(args.potential, [n], args.supercell_neb,
                                       tuple(args.supercell_strains))
                _store(args.cache, key, value)
            rows += value["rows"]
        print_supercells(rows)
    routes = []
    for route in args.routes:
        key = f"{route}:{args.potential}:{args.supercell}"
        key += "" if route == "wave1" else f":jobs{args.jobs}"
        value = _cached(args.cache, key)
        if value is None and route == "wave1":
            n = len(WAVE1_REFERENCE)
            keys = [f"{key}:p{i}" for i in range(n)]
            if args.wave1_point is not None:
                print(f"== running wave1 state {args.wave1_point} only ==", flush=True)
                part = run_wave1(args.potential, args.supercell, only=args.wave1_point)
                _store(args.cache, keys[args.wave1_point], part)
                continue
            parts = [_cached(args.cache, k) for k in keys]
            if all(parts):
                value = _join_wave1_points(parts)
        if value is None:
            print(f"== running {route} ==", flush=True)
            if route == "wave1":
                value = run_wave1(args.potential, args.supercell)
            else:
                value = run_new(args.potential, args.supercell, args.jobs,
                                "neb" if route == "new" else "saddle")
            value["load_avg_end"] = os.getloadavg()
            _store(args.cache, key, value)
        else:
            print(f"== {route}: from {args.cache} ==")
        routes.append(value)
    if routes:
        compare(routes)
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
