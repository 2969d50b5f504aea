"""One example of every figure sianode draws, written into one folder with an index page.

Inputs are small and offline: the built-in Li-X entries (thermo, screening, cell
simulation), coarse meshes (field models), the seed 001 pouch-cell stack, and synthetic
cycler, impedance, diffraction and NEB data whose numbers are stated in the captions. A
reviewer opens ``index.html`` in a browser and sees every figure in the package's one style.

``sianode gallery DIR`` calls :func:`write_gallery`; a section whose optional dependency is
missing (PyBaMM, scikit-fem, plotly) is listed as skipped, with the extra to install.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sianode.errors import DependencyError

__all__ = ["GalleryItem", "SECTIONS", "write_gallery"]


@dataclass(frozen=True)
class GalleryItem:
    """One file of the gallery: its name, section, caption and (if not written) why."""

    file: str
    section: str
    caption: str
    skipped: str = ""


# -- sections: each yields (file name, caption, Figure | writer(path) -> Path) ----------------

_Out = Iterator[tuple[str, str, Any]]


def _entries(ctx: dict[str, Any]) -> list[Any]:
    if "entries" not in ctx:
        from sianode.materials import load_entries

        ctx["entries"] = load_entries("builtin")
    return ctx["entries"]


def _thermo(ctx: dict[str, Any]) -> _Out:
    from sianode.plots.thermo import plot_capacity_vs_k, plot_constrained_profiles
    from sianode.thermo import LithiationEngine

    si = [e for e in _entries(ctx)
          if set(map(str, e.composition.elements)) <= {"Li", "Si"}]
    eng = LithiationEngine(si)
    res = eng.lithiate("Si", steps=False)
    profiles = [eng.profile("Si", k) for k in (0, 1, 2, 3, 4, 5)]
    yield ("thermo_constrained_profiles.png",
           "Seed 001 Fig. 3e: Si voltage-capacity curves at K_eff = 0-5 GPa (built-in Li-Si "
           "data); `sianode constrain Si --plot`.",
           plot_constrained_profiles(profiles).figure)
    ks = np.linspace(0.0, 1.2 * (res.k_stop_GPa or 5.0), 121)
    yield ("thermo_capacity_vs_k.png",
           "Si capacity above 0 V vs K_eff with the stop modulus; "
           "`sianode constrain Si --plot-capacity`.",
           plot_capacity_vs_k(ks, eng.capacity_vs_k("Si", ks), res.host,
                              k_stop_GPa=res.k_stop_GPa).figure)


def _screen(ctx: dict[str, Any]) -> _Out:
    from sianode.cli.screen import HIGHLIGHT
    from sianode.plots.thermo import (
        plot_element_frequencies,
        plot_pair_cooccurrence,
        plot_screen_map,
        screen_label_offsets,
        screen_map_html,
        screen_map_rows,
    )
    from sianode.thermo.boundary import ScreenFilter, boundary_summary
    from sianode.thermo.screen import screen

    region = (0.2, 0.55)  # wider than the paper's, so the small built-in set fills the inset
    df = screen(_entries(ctx))
    flt = ScreenFilter((0.0, 1.0), (0.0, 10000.0), None)
    summary = boundary_summary(df, flt, region)
    ctx["screen"] = (df, summary, region)
    sel = screen_map_rows(df, flt, HIGHLIGHT)  # + Cu, Ti: named under the map (no Li)
    c = summary["boundary_c_eV_per_GPa"]
    ax = plot_screen_map(sel, region, c, HIGHLIGHT)
    offsets = screen_label_offsets(ax)
    yield ("screen_map.png",
           "Seed 001 Fig. 3f over the built-in set (0-1 V), region lines at 0.2 and 0.55 "
           "eV/GPa; `sianode screen --source builtin --out DIR --region 0.2 0.55`.",
           ax.figure)
    yield ("screen_map.html",
           "The same map, interactive (hover: formula, id, products, K_crit); same title, "
           "axis labels, ranges and legend names as the PNG.",
           lambda p: screen_map_html(sel, p, region, c, HIGHLIGHT, offsets))
    yield ("screen_region_elements.png", "Fig. 3f inset: elements of the hosts in the region.",
           plot_element_frequencies(summary["top_elements"], region=region,
                                    n_hosts=summary["n_in_region"]).figure)
    yield ("screen_region_pairs.png",
           "Extended Data Fig. 6g: element pairs of the region's hosts (band gap < 1.5 eV).",
           plot_pair_cooccurrence(summary["top_pairs"], max_band_gap_eV=1.5).figure)


def _simulate(ctx: dict[str, Any]) -> _Out:
    from sianode.cell.simulate import alloy_ocv_from_thermo, simulate
    from sianode.plots.simulate import (
        plot_asymmetric_profile,
        plot_capacity_vs_k_eff,
        plot_current_split,
        plot_voltage_capacity,
    )

    ocv = alloy_ocv_from_thermo("Si", _entries(ctx))
    full = [simulate(ocv, k, cell="full") for k in (0.0, 3.0, 5.5)]
    asym = simulate(ocv, 3.0, cell="asymmetric")
    yield ("simulate_voltage_capacity.png",
           "Full cell (NMC, N/P 1.5, C/2): cell voltage and anode potential at three K_eff; "
           "`sianode simulate --k-eff 0 3 5.5 --plot DIR`.",
           plot_voltage_capacity(full).figure)
    yield ("simulate_capacity_vs_k_eff.png",
           "Simulated alloy capacity vs K_eff against the thermodynamic capacity above 0 V.",
           plot_capacity_vs_k_eff(full, ocv=ocv).figure)
    yield ("simulate_current_split.png",
           "Alloying and Li plating currents of the K_eff = 5.5 GPa full cell.",
           plot_current_split(full[-1]).figure)
    yield ("simulate_asymmetric_profile.png",
           "Seed 001 Fig. 1a style: asymmetric Si | SE | Li cell at K_eff = 3 GPa; title numbers "
           "are the table's; `sianode simulate --cell asymmetric --k-eff 3 --plot DIR`.",
           plot_asymmetric_profile(asym).figure)


def _fields(ctx: dict[str, Any]) -> _Out:
    from sianode.electrode.fields import simulate_interlayer, solve_particle
    from sianode.plots.fields import interlayer_figures, particle_figures

    res = simulate_interlayer("si,li21si5,sse", (8.0, 2.0, 4.0), h_um=0.5)
    captions = {
        "current": "Seed 002 Fig. 2i,j: |J| map of Si | Li21Si5 | SSE (h = 0.5 µm) and the "
                   "current density across its interfaces, with CVs.",
        "front": "Lithiation front (s = 0.5) every 15 min while 1 mAh/cm² passes.",
        "von_mises": "von Mises stress after lithiation; fraction above the 1.5 GPa LixSi "
                     "yield stress in the title, the yield contour in blue.",
        "hydrostatic": "Hydrostatic (mean normal) stress, tension positive.",
    }
    for name, fig in interlayer_figures(res).items():
        yield (f"fields_interlayer_{name}.png",
               captions[name] + " `sianode fields interlayer --plot DIR`.", fig)
    part = solve_particle("point", refine=4, lame_check=False)
    for name, fig in particle_figures(part).items():
        yield (f"fields_particle_{name}.png",
               f"Seed 002 Fig. 4c: point-contact particle, 30 % lithiated, {name.replace('_', ' ')}"
               " stress; `sianode fields particle --plot DIR`.", fig)


_POUCH = {  # examples/stacks/ye2024_pouch.toml (seed 001 Extended Data Table 1)
    "name": "Ye 2024 Li-SiG-SEs-NMC83 pouch cell",
    "layers": [
        {"name": "cathode composite (NMC83 + LPSCl + binder)", "kind": "cathode",
         "active_loading_mg_cm2": 15.0, "active_fraction": 0.682,
         "specific_capacity_mAh_g": 200.0, "average_voltage_V": 3.6, "thickness_um": 77.5},
        {"name": "separator (LPSCl/LSnPS/LPSCl)", "kind": "separator", "thickness_um": 75.0,
         "density_g_cm3": 1.64},
        {"name": "SiG anode composite (Si + graphite + binder)", "kind": "anode",
         "active_loading_mg_cm2": 1.5, "active_fraction": 0.4875,
         "specific_capacity_mAh_g": 3000.0, "thickness_um": 27.5},
        {"name": "Al current collector", "kind": "current_collector", "thickness_um": 12.0,
         "density_g_cm3": 2.70},
        {"name": "Cu current collector", "kind": "current_collector", "thickness_um": 10.0,
         "density_g_cm3": 8.96},
    ],
}


def _cell(ctx: dict[str, Any]) -> _Out:
    from sianode.cell import evaluate_stack
    from sianode.cell.stack import Stack
    from sianode.plots.cell import plot_stack_breakdown

    report = evaluate_stack(Stack.from_dict(_POUCH))
    for kind in ("bar", "pie"):
        yield (f"cell_breakdown_{kind}.png",
               "Seed 001 Extended Data Table 1 pouch cell: counted areal masses; "
               f"`sianode cell STACK.toml --plot FILE --plot-kind {kind}`.",
               plot_stack_breakdown(report, kind=kind).figure)


def _cycling(ctx: dict[str, Any]) -> _Out:
    from sianode.experiments.cycling import cycle_capacities, rate_capability
    from sianode.experiments.dqdv import dqdv
    from sianode.experiments.schema import VOLTAGE
    from sianode.experiments.synthetic import synthetic_cycling
    from sianode.plots.cycling import (
        plot_capacity_ce,
        plot_dqdv,
        plot_rate_capability,
        plot_voltage_profiles,
    )

    lith = [1.00, 0.96, 0.95, 0.92, 0.90, 0.89, 0.80, 0.79, 0.78]
    deli = [0.90, 0.94, 0.93, 0.90, 0.88, 0.87, 0.78, 0.77, 0.76]
    cur = [1e-3] * 3 + [2e-3] * 3 + [4e-3] * 3
    df = synthetic_cycling(lith, deli, cur, "half", dt_s=3.6)
    # the synthetic ramps are linear; bend them (monotonically) into two plateaus per half
    v = df[VOLTAGE].to_numpy()
    lo, hi = float(v.min()), float(v.max())
    u = (v - lo) / (hi - lo)
    df[VOLTAGE] = lo + (hi - lo) * (u - 0.9 * np.sin(4 * np.pi * u) / (4 * np.pi))
    summary = cycle_capacities(df, "half", mass_mg=0.5)
    yield ("cycling_capacity_ce.png",
           "Synthetic half cell (9 cycles, 0.5 mg): delithiation capacity and CE per cycle; "
           "`sianode analyze cycling FILE --plot FILE`.",
           plot_capacity_ce(summary, capacity="delithiation_capacity_mAh_g").figure)
    yield ("cycling_voltage_profiles.png",
           "Voltage profiles of cycles 1-3 (synthetic, two plateaus per half).",
           plot_voltage_profiles(df, "half", cycles=[1, 2, 3], mass_mg=0.5).figure)
    yield ("cycling_dqdv.png", "dQ/dV of cycles 1-3 of the same synthetic cell; "
           "`sianode analyze dqdv FILE --plot FILE`.",
           plot_dqdv(dqdv(df, "half", cycles=[1, 2, 3], mass_mg=0.5)).figure)
    yield ("cycling_rate_capability.png",
           "Rate capability: mean delithiation capacity at 1, 2 and 4 mA (synthetic).",
           plot_rate_capability(rate_capability(summary)).figure)


def _eis(ctx: dict[str, Any]) -> _Out:
    from sianode.experiments.eis import EISFit
    from sianode.experiments.io.impedance_files import ImpedanceSpectrum
    from sianode.plots.eis import plot_bode, plot_nyquist

    f = np.logspace(5, -1, 41)
    fit = EISFit("R0-p(R1,CPE1)-p(R2,CPE2)").set_parameters(
        {"R0": 10, "R1": 5, "CPE1_Q": 2e-6, "CPE1_alpha": 0.9, "R2": 13, "CPE2_Q": 5e-4,
         "CPE2_alpha": 0.8})
    z = fit.predict(f)
    rng = np.random.default_rng(0)
    z = z * (1 + 0.01 * rng.standard_normal(z.size))
    spectrum = ImpedanceSpectrum.from_complex(f, z)
    fitted = EISFit("R0-p(R1,CPE1)-p(R2,CPE2)").fit(spectrum)
    yield ("eis_nyquist.png",
           "Synthetic spectrum (R0 10 Ω, R1 5 Ω, R2 13 Ω, 1 % noise) and its fit; "
           "`sianode analyze eis FILE --plot FILE`.", plot_nyquist(spectrum, fitted).figure)
    yield ("eis_bode.png", "Bode plot of the same spectrum and fit.",
           plot_bode(spectrum, fitted)[0].figure)


def _xrd(ctx: dict[str, Any]) -> _Out:
    from sianode.experiments.diffraction import fit_pseudo_voigt, pseudo_voigt, williamson_hall
    from sianode.plots.diffraction import plot_peak_fit, plot_williamson_hall

    x = np.arange(27.5, 29.5, 0.01)
    y = pseudo_voigt(x, 28.44, 0.3, 100, 0.5) + 5
    yield ("xrd_peak_fit.png", "Synthetic Si (111) peak, FWHM 0.30°, and its pseudo-Voigt fit.",
           plot_peak_fit(x, y, fit_pseudo_voigt(x, y)).figure)
    tt, fw = [28.44, 47.3, 56.1, 69.1, 76.4], [0.30, 0.35, 0.40, 0.47, 0.52]
    wh = williamson_hall(tt, fw, instrument_fwhm_deg=0.07)
    yield ("xrd_williamson_hall.png",
           "Seed 001 Fig. 3c,d style: Williamson-Hall separation of strain and size "
           "broadening (synthetic FWHMs); `sianode analyze xrd ... --plot FILE`.",
           plot_williamson_hall(tt, fw, wh, instrument_fwhm_deg=0.07).figure)


def _kinetics(ctx: dict[str, Any]) -> _Out:
    from sianode.plots.kinetics import plot_migration_paths

    points = []
    for strain, ea in ((0.0, 0.46), (0.05, 0.82)):
        d = np.linspace(0.0, 2.35, 7)
        points.append({"strain": strain, "shear_deg": None, "barrier_eV": ea,
                       "path_distance_A": d.tolist(),
                       "path_energies_eV": (ea * np.sin(np.pi * d / d[-1]) ** 2).tolist()})
    yield ("kinetics_migration_paths.png",
           "Seed 001 Fig. 3b style: Li hop Td -> Hex -> Td in Si, 0 and 5 % compression "
           "(schematic paths with the 7net-0 barriers 0.46 and 0.82 eV); "
           "`sianode diffusion Si --plot FILE`.", plot_migration_paths(points).figure)


_K_GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)  # GPa, the explore/design CLI default


def _explorer(ctx: dict[str, Any]) -> _Out:
    from sianode.cli.screen import HIGHLIGHT
    from sianode.plots.explorer import (
        choose_curve_hosts,
        experimental_flags,
        precompute_curves,
        write_explorer,
    )
    from sianode.thermo import LithiationEngine

    if "screen" not in ctx:
        list(_screen(ctx))
    df, summary, region = ctx["screen"]
    rows, note = choose_curve_hosts(df, region)
    curves = precompute_curves(LithiationEngine(_entries(ctx)), df, rows, _K_GRID)
    flags, exp_note = experimental_flags(df, _entries(ctx))
    yield ("explorer.html",
           "Explorer of the built-in screen: one offline page with the Fig. 3f map "
           "(editable region lines), filters, hover, Fig. 3e curves on click (K_eff = 0-6 "
           "GPa), element and pair statistics and a sortable table; "
           "`sianode explore SCREEN_DIR`.",
           lambda p: write_explorer(
               df, p, curves=curves, k_eff_GPa=_K_GRID, region_eV_per_GPa=region,
               boundary_c_eV_per_GPa=summary["boundary_c_eV_per_GPa"], experimental=flags,
               notes=[note, exp_note], highlight=HIGHLIGHT, source="--source builtin",
               title="sianode explorer: built-in screen"))


def _design(ctx: dict[str, Any]) -> _Out:
    from sianode.cell.design import design_hosts
    from sianode.cell.stack import Stack
    from sianode.plots.design import plot_design_vs_k

    hosts = ["Si", "Ag", "Mg2Si", "Sn", "Cu"]
    res = design_hosts(Stack.from_dict(_POUCH), hosts, _K_GRID, _entries(ctx))
    cmd = ("`sianode design --stack examples/stacks/ye2024_pouch.toml --hosts Si Ag Mg2Si Sn "
           "Cu --k-eff 0 1 2 3 4 5 6 --plot DIR`")
    for col, name, what in (
            ("specific_energy_Wh_kg", "design_wh_kg.png",
             "cell specific energy vs K_eff, one line per host, stop moduli dotted"),
            ("plated_share", "design_plated_share.png",
             "share of the anode's charge plated as Li metal vs K_eff"),
            ("anode_thickness_change_um", "design_thickness.png",
             "anode thickness change when charged (alloy expansion + plated Li)")):
        yield (name, f"Design loop on the seed 001 Extended Data Table 1 pouch cell: {what} "
               f"(built-in data); {cmd}.", plot_design_vs_k(res, col).figure)


#: Gallery sections in page order: (title, builder, what a DependencyError means).
SECTIONS: list[tuple[str, Callable[[dict[str, Any]], _Out]]] = [
    ("Thermodynamics under constriction (seed 001 Fig. 3e)", _thermo),
    ("High-throughput screening (seed 001 Fig. 3f)", _screen),
    ("Interactive explorer of the screen (seed 001 Fig. 3e,f)", _explorer),
    ("Cell simulation: alloying vs plating", _simulate),
    ("Field models (seed 002 Fig. 2i,j and 4c,d)", _fields),
    ("Cell stacks", _cell),
    ("Design loop: host and K_eff to cell (seed 001 Ext. Data Table 1)", _design),
    ("Cycling", _cycling),
    ("Impedance", _eis),
    ("Diffraction", _xrd),
    ("Li migration under strain", _kinetics),
]


def _write(item: Any, path: Path) -> None:
    from sianode.plots.style import save

    if callable(item):
        item(path)
    else:
        save(item, path)


def write_gallery(out_dir: str | Path, *, progress: Callable[[str], None] | None = None
                  ) -> list[GalleryItem]:
    """Draw every figure into ``out_dir`` and write ``index.html`` showing them all.

    Parameters
    ----------
    out_dir : str or Path
        Folder (created); existing gallery files are overwritten.
    progress : callable, optional
        Called with each section title before it is drawn.

    Returns
    -------
    list of GalleryItem
        One per file (skipped sections carry the reason), in page order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx: dict[str, Any] = {}
    items: list[GalleryItem] = []
    timings: dict[str, float] = {}
    for title, build in SECTIONS:
        if progress:
            progress(title)
        t0 = time.perf_counter()
        try:
            for name, caption, fig in build(ctx):
                _write(fig, out / name)
                items.append(GalleryItem(name, title, caption))
        except DependencyError as exc:
            items.append(GalleryItem("", title, "", skipped=str(exc)))
        timings[title] = time.perf_counter() - t0
    from sianode.plots.gallery_page import write_index

    write_index(out, items, timings)
    return items
