"""``sianode electrode ACTION ...``: electrode design calculators (thin wrappers).

Actions: ``phase``, ``capacity``, ``porosity``, ``np-ratio``, ``blend``, ``prelithiation``,
``thickness``, ``expansion``. Every action prints a table, or JSON with ``--json``.
"""

from __future__ import annotations

import argparse
from typing import Any

COMMAND = "electrode"
HELP = "electrode calculators: phases, porosity, N/P, blends, prelithiation, thickness"

EXAMPLES = """\
actions:
  phase NAME             Li per Si, volume, density and capacities of a Li-Si phase
  capacity               Li per host atom <-> capacity per gram of host or lithiated phase
  porosity               1 - sum(m_i/rho_i)/(A t)     (seed 004 Table S1)
  np-ratio               N/P from loadings and practical capacities, or loading for a target
  blend                  Si + Li21Si5 blend: Li content, uptake/reversible areal capacity (seed 002)
  prelithiation          Li foil (um) or cathode capacity to lithiate Si to LixSi (seed 004)
  thickness              thickness/porosity through lithiation to LixSi (seed 003)
  expansion              thickness expansion rate (seed 002)

examples:
  sianode electrode porosity --component Si:0.135:2.33 --component C:0.015:2.1 \\
      --area-cm2 0.785 --thickness-um 2 --json
  sianode electrode porosity --loading-mg-cm2 3.8 --mass-fraction 0.999:2.33 \\
      --mass-fraction 0.001:1.78 --thickness-um 27
  sianode electrode np-ratio --anode-loading-mg-cm2 1.5 --anode-capacity-mAh-g 3000 \\
      --cathode-loading-mg-cm2 15 --cathode-capacity-mAh-g 200
  sianode electrode blend --layer 10:0.5 --layer 10:1.0 --area-cm2 0.785398
  sianode electrode prelithiation --si-loading-mg-cm2 0.189 --target Li15Si4 --foil-um 30
  sianode electrode thickness --si-loading-mg-cm2 3.796 --pristine-um 27 --li-per-si 3.35
  sianode electrode expansion --before-um 105 --after-um 121.4
"""


def _bounds() -> dict:
    """Option dest -> allowed range, checked for every action before any computation."""
    from sianode.validation import (
        AREA_CM2,
        LI_PER_HOST,
        LOADING_MG_CM2,
        MASS_MG,
        SPECIFIC_CAPACITY_MAH_G,
        THICKNESS_UM,
        Interval,
    )

    fraction = Interval(0.0, 1.0, left_closed=False)
    return {
        "li_per_host": LI_PER_HOST,
        "capacity_mAh_g": Interval(0.0, SPECIFIC_CAPACITY_MAH_G.high,
                                   reason=SPECIFIC_CAPACITY_MAH_G.reason),
        "loading_mg_cm2": LOADING_MG_CM2,
        "area_cm2": AREA_CM2,
        "thickness_um": THICKNESS_UM,
        "anode_loading_mg_cm2": LOADING_MG_CM2,
        "anode_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
        "anode_active_fraction": fraction,
        "cathode_loading_mg_cm2": LOADING_MG_CM2,
        "cathode_capacity_mAh_g": SPECIFIC_CAPACITY_MAH_G,
        "cathode_active_fraction": fraction,
        "target_np": Interval(0.0, 1000.0, left_closed=False, reason="N/P ratio"),
        "si_mass_mg": Interval(0.0, MASS_MG.high, reason=MASS_MG.reason),
        "phase_mass_mg": Interval(0.0, MASS_MG.high, reason=MASS_MG.reason),
        "si_loading_mg_cm2": LOADING_MG_CM2,
        "initial_li_per_si": LI_PER_HOST,
        "foil_um": THICKNESS_UM,
        "pristine_um": THICKNESS_UM,
        "li_per_si": LI_PER_HOST,
        "other_solids_um": Interval(0.0, THICKNESS_UM.high, reason=THICKNESS_UM.reason),
        "areal_strain": Interval(-0.5, 10.0, left_closed=False,
                                 reason="in-plane areal strain dA/A0"),
        "measured_um": THICKNESS_UM,
        "before_um": THICKNESS_UM,
        "after_um": THICKNESS_UM,
    }


def _check_options(args: argparse.Namespace) -> None:
    """Refuse non-finite, absurd or impossible option values before computing anything."""
    from sianode.errors import ParameterError
    from sianode.validation import LI_PER_HOST, check_params

    bounds = {k: v for k, v in _bounds().items() if hasattr(args, k)}
    check_params({f"--{k.replace('_', '-')}": getattr(args, k) for k in bounds},
                 {f"--{k.replace('_', '-')}": v for k, v in bounds.items()})
    if getattr(args, "host", None) == "Li":
        raise ParameterError("--host", "Li", "an element other than Li (Li metal is the Li "
                             "source, not a host)")
    if getattr(args, "formula", None) is not None:
        import sianode.electrode as el

        _, x = el.li_per_host_of_formula(args.formula)
        check_params({"--formula (Li per host atom)": x},
                     {"--formula (Li per host atom)": LI_PER_HOST})
    target = getattr(args, "target", None)
    if args.action == "prelithiation" and target is not None:
        try:
            x = float(target)
        except ValueError:
            return
        check_params({"--target": x}, {"--target": LI_PER_HOST})


def _pair(text: str, option: str, n: int, what: str) -> list[str]:
    from sianode.errors import ParameterError

    parts = text.split(":")
    if len(parts) != n:
        raise ParameterError(option, text, what)
    return parts


def _num(text: str, option: str, what: str) -> float:
    from sianode.errors import ParameterError

    try:
        return float(text)
    except ValueError:
        raise ParameterError(option, text, what) from None


_ACTION_EXAMPLES = {
    "phase": "sianode electrode phase Li21Si5",
    "capacity": "sianode electrode capacity --formula Li15Si4",
    "porosity": "sianode electrode porosity --component Si:0.135:2.33 --component C:0.015:2.1 "
                "--area-cm2 0.785 --thickness-um 2 --json",
    "np-ratio": "sianode electrode np-ratio --anode-loading-mg-cm2 1.5 "
                "--anode-capacity-mAh-g 3000 --cathode-loading-mg-cm2 15 "
                "--cathode-capacity-mAh-g 200",
    "blend": "sianode electrode blend --layer 10:0.5 --layer 10:1.0 --area-cm2 0.785398",
    "prelithiation": "sianode electrode prelithiation --si-loading-mg-cm2 0.189 "
                     "--target Li15Si4 --foil-um 30",
    "thickness": "sianode electrode thickness --si-loading-mg-cm2 3.796 --pristine-um 27 "
                 "--li-per-si 3.35",
    "expansion": "sianode electrode expansion --before-um 105 --after-um 121.4",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_,
                           epilog=f"example:\n  {_ACTION_EXAMPLES[name]}")
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        return p

    p = add("phase", "Li per Si, volume per Si, density and capacities of a named Li-Si phase")
    p.add_argument("name", nargs="?", help="phase name (e.g. Li21Si5); omit to list all")

    p = add("capacity", "Li per host atom <-> capacity [mAh/g] per gram of host or lithiated phase")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--li-per-host", type=float,
                   help="x in Li_xM, 0 to 4.4 (Li22Si5) [Li per host atom]")
    g.add_argument("--capacity-mAh-g", type=float, help="specific capacity [mAh/g]")
    g.add_argument("--formula", help="a binary Li_xM formula (Li3Sb, LiAl, Li21Si5)")
    p.add_argument("--host", default="Si", help="host element symbol, not Li")
    p.add_argument("--basis", default="host", choices=("host", "lithiated"),
                   help="capacity per gram of host or of lithiated phase (with --capacity-mAh-g)")

    p = add("porosity", "porosity = 1 - sum(m_i/rho_i)/(A t) of an electrode")
    p.add_argument("--component", action="append", default=[], metavar="NAME:MASS_MG:RHO_G_CM3",
                   help="a solid: name, mass [mg], true density [g/cm³] (repeat)")
    p.add_argument("--component-volume", action="append", default=[], metavar="NAME:VOLUME_CM3",
                   help="a solid given by its volume [cm³] (repeat)")
    p.add_argument("--loading-mg-cm2", type=float,
                   help="instead of components: total areal loading [mg/cm²] ...")
    p.add_argument("--mass-fraction", action="append", default=[],
                   metavar="FRACTION:RHO_G_CM3",
                   help="... with each component's weight fraction [-] and true density "
                        "[g/cm³] (repeat)")
    p.add_argument("--area-cm2", type=float, help="electrode area [cm²] (with --component)")
    p.add_argument("--thickness-um", type=float, required=True, help="electrode thickness [µm]")

    p = add("np-ratio", "N/P ratio from loadings, or the loading for a target N/P")
    p.add_argument("--anode-loading-mg-cm2", type=float, help="anode active loading [mg/cm²]")
    p.add_argument("--anode-capacity-mAh-g", type=float, required=True,
                   help="anode practical capacity [mAh/g] (seed 001: Si 3000; seed 003: 3500)")
    p.add_argument("--anode-active-fraction", type=float, default=1.0,
                   help="active mass fraction of the anode loading [-]")
    p.add_argument("--cathode-loading-mg-cm2", type=float, required=True,
                   help="cathode active loading [mg/cm²]")
    p.add_argument("--cathode-capacity-mAh-g", type=float, required=True,
                   help="cathode practical capacity [mAh/g] (NMC 200)")
    p.add_argument("--cathode-active-fraction", type=float, default=1.0,
                   help="active mass fraction of the cathode loading [-]")
    p.add_argument("--target-np", type=float,
                   help="give the anode loading for this N/P instead [-]")

    p = add("blend", "Si + lithiated Li-Si phase blend after self-discharge equilibration")
    p.add_argument("--si-mass-mg", type=float, default=0.0, help="pristine Si mass [mg]")
    p.add_argument("--phase-mass-mg", type=float, default=0.0, help="lithiated phase mass [mg]")
    p.add_argument("--layer", action="append", default=[], metavar="MASS_MG:PHASE_FRACTION",
                   help="a powder layer: mass [mg] and phase weight fraction [-] (repeat)")
    p.add_argument("--area-cm2", type=float, required=True, help="electrode area [cm²]")
    p.add_argument("--phase", default="Li21Si5", help="lithiated phase in the blend")
    p.add_argument("--target-phase", default="Li15Si4", help="phase at the end of lithiation")

    p = add("prelithiation", "Li foil thickness or cathode capacity to lithiate Si to Li_xSi")
    p.add_argument("--si-loading-mg-cm2", type=float, required=True, help="Si per area [mg/cm²]")
    p.add_argument("--target", default="Li15Si4",
                   help="target phase name or Li per Si, 0 to 4.4 [Li per Si atom]")
    p.add_argument("--initial-li-per-si", type=float, default=0.0,
                   help="Li already in the Si, 0 to 4.4 [Li per Si atom]")
    p.add_argument("--foil-um", type=float, help="Li foil supplied [µm]")

    p = add("thickness", "thickness and porosity through lithiation (pore-filling or constant)")
    p.add_argument("--si-loading-mg-cm2", type=float, required=True, help="Si per area [mg/cm²]")
    p.add_argument("--pristine-um", type=float, required=True, help="pristine thickness [µm]")
    p.add_argument("--li-per-si", type=float, action="append", required=True,
                   help="lithiation state x [Li per Si atom] (repeat)")
    p.add_argument("--mode", default="pore-filling",
                   choices=("pore-filling", "constant-porosity"),
                   help="swelling fills pores first, or keeps the porosity constant")
    p.add_argument("--other-solids-um", type=float, default=0.0,
                   help="pore-free thickness of non-Si solids [µm]")
    p.add_argument("--areal-strain", type=float, default=0.0,
                   help="in-plane areal strain dA/A0 [-] (0 = constrained in-plane)")
    p.add_argument("--measured-um", type=float,
                   help="also give the porosity implied by this thickness at the last x [µm]")

    p = add("expansion", "thickness expansion rate (t_after - t_before) / t_before")
    p.add_argument("--before-um", type=float, required=True,
                   help="electrode thickness before cycling [µm]")
    p.add_argument("--after-um", type=float, required=True,
                   help="electrode thickness after cycling [µm]")

    parser.set_defaults(_electrode_parser=parser)


def _compute(args: argparse.Namespace) -> dict[str, Any]:
    import sianode.electrode as el

    a = args.action
    if a == "phase":
        names = [args.name] if args.name else el.phase_names()
        rows = []
        for n in names:
            ph = el.get_phase(n)
            rows.append({"name": ph.name, "li_per_si": ph.li_per_host,
                         "volume_per_si_A3": ph.volume_per_host_A3,
                         "density_g_cm3": ph.density_g_cm3,
                         "capacity_mAh_g_si": ph.capacity_host_mAh_g,
                         "capacity_mAh_g_phase": ph.capacity_lithiated_mAh_g,
                         "reference": ph.reference})
        return rows[0] if args.name else {"phases": rows}
    if a == "capacity":
        if args.formula is not None:
            args.host, x = el.li_per_host_of_formula(args.formula)
        elif args.li_per_host is not None:
            x = args.li_per_host
        else:
            x = el.li_per_host_from_capacity(args.capacity_mAh_g, args.host, args.basis)
        return {"host": args.host, "li_per_host": x,
                "capacity_mAh_g_host": el.capacity_per_gram_host_mAh_g(x, args.host),
                "capacity_mAh_g_lithiated": el.capacity_per_gram_lithiated_mAh_g(x, args.host)}
    if a == "porosity":
        if args.loading_mg_cm2 is not None:
            fr, rho = [], []
            for text in args.mass_fraction:
                f, d = _pair(text, "--mass-fraction", 2, "FRACTION:RHO_G_CM3")
                fr.append(_num(f, "--mass-fraction", "a fraction in [0, 1]"))
                rho.append(_num(d, "--mass-fraction", "a density [g/cm3]"))
            phi = el.porosity_from_loading(args.loading_mg_cm2, fr, rho, args.thickness_um)
            return {"porosity": phi, "porosity_percent": 100 * phi}
        if args.area_cm2 is None:
            from sianode.errors import MissingMetadataError

            raise MissingMetadataError("porosity with --component needs --area-cm2 [cm2]")
        comps = []
        for text in args.component:
            name, m, rho = _pair(text, "--component", 3, "NAME:MASS_MG:RHO_G_CM3")
            comps.append(el.Component(name, _num(m, "--component", "a mass [mg]"),
                                      _num(rho, "--component", "a density [g/cm3]")))
        for text in args.component_volume:
            name, v = _pair(text, "--component-volume", 2, "NAME:VOLUME_CM3")
            comps.append(el.Component(name, volume_cm3=_num(v, "--component-volume",
                                                            "a volume [cm3]")))
        phi = el.porosity(comps, args.area_cm2, args.thickness_um)
        return {"porosity": phi, "porosity_percent": 100 * phi,
                "solid_volume_cm3": el.solid_volume_cm3(comps),
                "dense_thickness_um": el.dense_thickness_um(comps, args.area_cm2),
                "components": [c.as_dict() for c in comps]}
    if a == "np-ratio":
        cath = el.areal_capacity_mAh_cm2(args.cathode_loading_mg_cm2,
                                         args.cathode_capacity_mAh_g,
                                         args.cathode_active_fraction)
        if args.target_np is not None:
            load = el.anode_loading_for_np_mg_cm2(args.target_np, cath,
                                                  args.anode_capacity_mAh_g,
                                                  args.anode_active_fraction)
            return {"target_np": args.target_np, "cathode_mAh_cm2": cath,
                    "anode_loading_mg_cm2": load, "anode_mAh_cm2": args.target_np * cath}
        if args.anode_loading_mg_cm2 is None:
            from sianode.errors import MissingMetadataError

            raise MissingMetadataError("np-ratio needs --anode-loading-mg-cm2 or --target-np")
        an = el.areal_capacity_mAh_cm2(args.anode_loading_mg_cm2, args.anode_capacity_mAh_g,
                                       args.anode_active_fraction)
        return {"np_ratio": el.np_ratio(an, cath), "anode_mAh_cm2": an, "cathode_mAh_cm2": cath}
    if a == "blend":
        if args.layer:
            layers = []
            for text in args.layer:
                m, f = _pair(text, "--layer", 2, "MASS_MG:PHASE_FRACTION")
                layers.append((_num(m, "--layer", "a mass [mg]"),
                               _num(f, "--layer", "a fraction in [0, 1]")))
            r = el.si_blend_from_powders(layers, args.area_cm2, args.phase, args.target_phase)
        else:
            r = el.si_blend(args.si_mass_mg, args.phase_mass_mg, args.area_cm2, args.phase,
                            args.target_phase)
        return r.as_dict()
    if a == "prelithiation":
        try:
            target: str | float = float(args.target)
        except ValueError:
            target = args.target
        return el.prelithiation_budget(args.si_loading_mg_cm2, target,
                                       initial_li_per_si=args.initial_li_per_si,
                                       foil_thickness_um=args.foil_um).as_dict()
    if a == "thickness":
        states = el.thickness_through_lithiation(
            args.si_loading_mg_cm2, args.pristine_um, args.li_per_si, mode=args.mode,
            other_solids_um=args.other_solids_um, areal_strain=args.areal_strain)
        out: dict[str, Any] = {"mode": args.mode, "states": [s.as_dict() for s in states]}
        if args.measured_um is not None:
            out["measured_um"] = args.measured_um
            out["porosity_at_measured"] = el.porosity_at_thickness(
                args.si_loading_mg_cm2, args.li_per_si[-1], args.measured_um,
                other_solids_um=args.other_solids_um, areal_strain=args.areal_strain)
        return out
    rate = el.expansion_rate(args.before_um, args.after_um)
    return {"expansion_rate": rate, "expansion_percent": 100 * rate}


def _print_table(result: dict[str, Any], indent: str = "") -> None:
    for key, value in result.items():
        if isinstance(value, list):
            print(f"{indent}{key}:")
            for item in value:
                if isinstance(item, dict):
                    print(indent + "  - " + ", ".join(f"{k}={_fmt(v)}" for k, v in item.items()))
                else:
                    print(f"{indent}  - {_fmt(item)}")
        else:
            print(f"{indent}{key:<36s} {_fmt(value)}")


def _fmt(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "action", None):
        args._electrode_parser.print_help()
        return 1
    _check_options(args)
    result = _compute(args)
    if args.json:
        from sianode.cli._common import print_json

        print_json(result)
    else:
        _print_table(result)
    return 0
