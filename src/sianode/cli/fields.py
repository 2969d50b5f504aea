"""``sianode fields interlayer|particle``: current, lithiation-front and stress fields.

Seed 002's COMSOL models (Fig. 2i,j; Fig. 4c,d) with scikit-fem. Stresses are linear-elastic:
LixSi yields near 0.5-1.5 GPa, so values above that are upper bounds.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

COMMAND = "fields"
HELP = "current, lithiation-front and stress fields of layered anodes and particles (seed 002)"

_MATERIAL_FIELDS = ("conductivity_S_cm", "youngs_modulus_GPa", "poisson_ratio")

EXAMPLES = """\
examples:
  sianode fields interlayer --design si,li21si5,sse --thickness-um 8 2 4 --plot figs/
  sianode fields particle --mode point --refine 4 --json
"""
_INTERLAYER_EXAMPLES = """\
examples:
  sianode fields interlayer --design si,li21si5,sse --thickness-um 8 2 4 --plot figs/
  sianode fields interlayer --design si,sse --thickness-um 8 4 --h-um 0.5 --json
"""
_PARTICLE_EXAMPLES = """\
examples:
  sianode fields particle --mode point --plot figs/
  sianode fields particle --mode shell --lithiated-fraction 0.5 --refine 4 --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="model", metavar="MODEL")
    p = sub.add_parser("interlayer", help="layered anode | SSE cell: flux uniformity and stress",
                       description="Periodic layered cell (seed 002 Fig. 2i,j): Ohm's-law "
                       "current,\nlithiation front, plane-strain stress.",
                       epilog=_INTERLAYER_EXAMPLES)
    p.add_argument("--design", default="si,li21si5,sse",
                   help="layers bottom (current collector) to top (electrolyte), from si, "
                        "li21si5, sse, lixsi, e.g. si,sse")
    p.add_argument("--thickness-um", nargs="+", default=None,
                   help="one thickness per layer [µm] (commas or spaces; if not given: si 8, "
                        "li21si5 2, sse 4)")
    p.add_argument("--width-um", type=float, default=10.0,
                   help="period of the periodic cell, up to 1000 [µm]")
    p.add_argument("--contact-fraction", type=float, default=0.5,
                   help="fraction of the width where the SSE touches the layer below [-]")
    p.add_argument("--void-depth-um", type=float, default=1.0,
                   help="pore depth at the bottom of the SSE [µm]")
    p.add_argument("--h-um", type=float, default=0.25,
                   help="element size of the mesh, at most the thinnest layer and at least "
                        "what gives 200,000 nodes [µm]")
    p.add_argument("--capacity-mAh-cm2", type=float, default=1.0,
                   help="areal charge passed, at most what the Si layers take [mAh/cm²]")
    p.add_argument("--current-mA-cm2", type=float, default=1.0,
                   help="mean applied current density, in (0, 1000] [mA/cm²]")
    p.add_argument("--method", choices=("level_set", "phase_field"), default="level_set",
                   help="front-tracking scheme of the lithiation front (seed 002 eq. 2)")
    _common(p)
    q = sub.add_parser("particle", help="axisymmetric Si particle: point contact vs Li-Si shell",
                       description="Axisymmetric particle (seed 002 Fig. 4c,d) lithiated from "
                       "a point contact or a uniform shell.\nThe output includes the check of "
                       "the mesh against the closed-form (Lamé) core-shell solution.",
                       epilog=_PARTICLE_EXAMPLES)
    q.add_argument("--mode", choices=("point", "shell"), default="point",
                   help="lithiation from a point contact at the south pole, or a uniform shell")
    q.add_argument("--radius-um", type=float, default=1.0,
                   help="particle radius, in (0, 1000] [µm] (stresses do not depend on it)")
    q.add_argument("--lithiated-fraction", type=float, default=0.3,
                   help="lithiated volume fraction of the particle, in [0.01, 0.99] [-]")
    q.add_argument("--front-width-um", type=float, default=None,
                   help="width of the diffuse LixSi | Si front, at most radius/4 [µm] (if not "
                        "given: radius/20)")
    q.add_argument("--refine", type=int, default=5,
                   help="mesh refinements, 1 to 7 (4: ~2k, 5: ~8k, 6: ~33k, 7: ~130k DOFs) "
                        "[count]")
    _common(q)
    parser.set_defaults(_fields_parser=parser)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", default=[], metavar="MAT.FIELD=VALUE",
                   help=f"override a material value, FIELD in {', '.join(_MATERIAL_FIELDS)} "
                   "(e.g. si.conductivity_S_cm=1e-4)")
    p.add_argument("--product", default="Li15Si4",
                   help="Li-Si lithiation product setting the eigenstrain (Li15Si4, Li21Si5)")
    p.add_argument("--json", action="store_true", help="print metrics as JSON")
    p.add_argument("--plot", metavar="DIR", default=None,
                   help="write the current, front and stress maps (PNG, 300 dpi) into DIR")


def _overrides(items):
    from sianode.electrode.fields import get_material
    from sianode.errors import ParameterError
    from sianode.validation import OneOf, check_params

    mats: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        name, dot, fld = key.partition(".")
        if not sep or not dot:
            raise ParameterError("--set", item, "MATERIAL.FIELD=VALUE")
        check_params({"--set field": fld}, {"--set field": OneOf("material field",
                                                                   _MATERIAL_FIELDS)})
        try:
            val = float(value)
        except ValueError:
            raise ParameterError(f"--set {key}", value, "a number") from None
        base = mats.get(name.lower()) or get_material(name)
        try:
            mats[name.lower()] = replace(base, **{fld: val})
        except ParameterError as exc:
            raise ParameterError(f"{name}.{fld}", val, exc.expected) from None
    return mats


def _thicknesses(values):
    if values is None:
        return None
    from sianode.errors import ParameterError

    out = []
    for v in values:
        for part in v.replace(",", " ").split():
            try:
                out.append(float(part))
            except ValueError:
                raise ParameterError("--thickness-um", part, "numbers [µm]") from None
    return out


def _print_table(metrics: dict, keys) -> None:
    for k in keys:
        if k in metrics:
            v = metrics[k]
            print(f"{k:36s} {v:.4g}" if isinstance(v, float) else f"{k:36s} {v}")
    print("stresses are linear-elastic; LixSi yields near 0.5-1.5 GPa (values above are bounds);")
    print(f"fraction_above_yield: volume fraction with von Mises > {metrics['yield_stress_GPa']:g} "
          "GPa; hydrostatic = mean normal stress, tension > 0")


def run(args: argparse.Namespace) -> int:
    from sianode.errors import ParameterError

    model = getattr(args, "model", None)
    if model is None:
        args._fields_parser.print_help()
        return 1
    from sianode.cli._common import check_output

    check_output(args.plot, "--plot", kind="dir")
    try:
        return _run(args, model)
    except ParameterError as exc:  # name the option the user typed, not the Python argument
        name = _OPTIONS.get(exc.name.split("[")[0])
        if name is None:
            raise
        raise ParameterError(name + exc.name[len(exc.name.split("[")[0]):], exc.value,
                             exc.expected) from None


#: Library parameter -> the option that sets it (for error messages).
_OPTIONS = {"thickness_um": "--thickness-um", "width_um": "--width-um",
            "contact_fraction": "--contact-fraction", "void_depth_um": "--void-depth-um",
            "h_um": "--h-um", "capacity_mAh_cm2": "--capacity-mAh-cm2",
            "current_density_mA_cm2": "--current-mA-cm2", "design": "--design",
            "radius_um": "--radius-um", "lithiated_fraction": "--lithiated-fraction",
            "front_width_um": "--front-width-um", "refine": "--refine", "mode": "--mode"}


def _run(args: argparse.Namespace, model: str) -> int:
    from sianode.cli._common import print_json

    mats = _overrides(args.set)
    if model == "interlayer":
        from sianode.electrode.fields import simulate_interlayer

        res = simulate_interlayer(
            args.design, _thicknesses(args.thickness_um), width_um=args.width_um,
            contact_fraction=args.contact_fraction, void_depth_um=args.void_depth_um,
            h_um=args.h_um, capacity_mAh_cm2=args.capacity_mAh_cm2,
            current_density_mA_cm2=args.current_mA_cm2, method=args.method,
            materials=mats or None, product=args.product, progress=None,
        )
        metrics = res.metrics()
        if args.plot:
            metrics["plots"] = _plot_interlayer(res, args.plot)
        keys = ("design", "sse_flux_cv", "anode_flux_cv", "final_sse_flux_cv",
                "final_anode_flux_cv", "si_von_mises_p99_GPa", "si_von_mises_max_GPa",
                "sse_interface_von_mises_mean_GPa", "sse_interface_von_mises_p99_GPa",
                "hydrostatic_max_GPa", "fraction_above_yield", "yield_stress_GPa",
                "charge_balance", "n_dofs", "n_dofs_elasticity")
    else:
        from sianode.electrode.fields import solve_particle

        res = solve_particle(args.mode, radius_um=args.radius_um,
                             lithiated_fraction=args.lithiated_fraction,
                             front_width_um=args.front_width_um, refine=args.refine,
                             materials=mats or None, product=args.product, progress=None)
        metrics = res.metrics()
        if args.plot:
            metrics["plots"] = _plot_particle(res, args.plot)
        keys = ("mode", "von_mises_max_GPa", "von_mises_p99_GPa", "si_von_mises_p99_GPa",
                "si_von_mises_mean_GPa", "hydrostatic_max_GPa", "hydrostatic_p99_GPa",
                "front_von_mises_mean_GPa", "fraction_above_yield", "yield_stress_GPa",
                "lame_core_hydrostatic_GPa", "fe_core_hydrostatic_GPa", "lame_check_rel_error",
                "n_dofs")
    from sianode.electrode.fields import YIELD_STRENGTH_LIXSI_GPA

    metrics["yield_stress_GPa"] = YIELD_STRENGTH_LIXSI_GPA[1]
    metrics["note"] = ("linear elasticity: LixSi yields near 0.5-1.5 GPa; stresses above "
                       "that are upper bounds; fraction_above_yield = volume fraction with "
                       f"von Mises > yield_stress_GPa ({YIELD_STRENGTH_LIXSI_GPA[1]:g} GPa); "
                       "hydrostatic stress = mean normal stress, tension > 0")
    if args.json:
        print_json(metrics)
    else:
        _print_table(metrics, keys)
        for path in metrics.get("plots", []):
            print(f"wrote {path}")
    return 0


def _plot_interlayer(res, outdir: str) -> list[str]:
    from pathlib import Path

    from sianode.plots.fields import interlayer_figures
    from sianode.plots.style import save

    tag = "_".join(res.design)
    return [str(save(fig, Path(outdir) / f"{tag}_{name}.png"))
            for name, fig in interlayer_figures(res).items()]


def _plot_particle(res, outdir: str) -> list[str]:
    from pathlib import Path

    from sianode.plots.fields import particle_figures
    from sianode.plots.style import save

    return [str(save(fig, Path(outdir) / f"particle_{res.mode}_{name}.png"))
            for name, fig in particle_figures(res).items()]
