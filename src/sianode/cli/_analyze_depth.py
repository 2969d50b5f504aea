"""``sianode analyze depth xps|eels``: XPS sputter depth and EELS log-ratio thickness."""

from __future__ import annotations

import argparse

NAME = "depth"
EXAMPLES = """\
sianode analyze depth xps --etch-time-s 0 60 120 --rate SiO2
sianode analyze depth eels --log-ratio 0.8 --collection-mrad 10 --composition Li15Si4"""
HELP = "XPS etch time -> depth (sputter rate) and EELS t/lambda -> thickness"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("mode", choices=("xps", "eels"),
                   help="xps: sputter depth from etch time; eels: log-ratio thickness")
    p.add_argument("--etch-time-s", type=float, nargs="+", help="xps: etch (milling) times [s]")
    p.add_argument("--rate", help="xps: sputter rate [nm/s] or reference (SiO2, Si)")
    p.add_argument("--log-ratio", type=float, help="eels: log ratio ln(I_t/I_0) [dimensionless]")
    p.add_argument("--mean-free-path-nm", type=float, help="eels: lambda, if known [nm]")
    p.add_argument("--beam-keV", type=float, default=200.0, help="eels: beam energy [keV]")
    p.add_argument("--collection-mrad", type=float, help="eels: collection semi-angle beta [mrad]")
    p.add_argument("--convergence-mrad", type=float, default=0.0,
                   help="eels: convergence semi-angle alpha, Iakoubovskii only [mrad]")
    p.add_argument("--composition", help="eels: formula for the Malis Z_eff (e.g. Li15Si4)")
    p.add_argument("--density-g-cm3", type=float, help="eels: density for Iakoubovskii [g/cm³]")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._analyze_common import check_numbers
    from sianode.cli._common import print_json
    from sianode.errors import MissingMetadataError
    from sianode.experiments import depth
    from sianode.validation import DENSITY_G_CM3, Interval

    semi_angle = "semi-angle [mrad], below π/2 = 1571 mrad"
    check_numbers({"--etch-time-s": args.etch_time_s, "--log-ratio": args.log_ratio,
                   "--mean-free-path-nm": args.mean_free_path_nm, "--beam-keV": args.beam_keV,
                   "--collection-mrad": args.collection_mrad,
                   "--convergence-mrad": args.convergence_mrad,
                   "--density-g-cm3": args.density_g_cm3},
                  {"--etch-time-s": Interval(0.0, 1e6, reason="sputter time [s]"),
                   "--log-ratio": Interval(None, 20.0, reason=(
                       "ln(I_t/I_0) = t/λ: EELS spectra are unusable beyond a few λ")),
                   "--mean-free-path-nm": Interval(0.0, 1e4, left_closed=False,
                                                   reason="inelastic mean free path [nm]"),
                   "--beam-keV": Interval(0.0, 3000.0, left_closed=False, reason=(
                       "TEM beam energy [keV]: 60-300 keV, high-voltage TEMs up to 3 MeV")),
                   "--collection-mrad": Interval(0.0, 1571.0, left_closed=False,
                                                 reason="collection " + semi_angle),
                   "--convergence-mrad": Interval(0.0, 1571.0,
                                                  reason="convergence " + semi_angle),
                   "--density-g-cm3": DENSITY_G_CM3})
    if args.mode == "xps":
        if not args.etch_time_s or args.rate is None:
            raise MissingMetadataError("xps depth needs --etch-time-s and --rate (nm/s or "
                                       f"one of {sorted(depth.SPUTTER_RATES_NM_S)})")
        try:
            rate: float | str = float(args.rate)
        except ValueError:
            rate = args.rate
        depths = depth.sputter_depth_nm(args.etch_time_s, rate)
        out = {"mode": "xps", "rate": rate,
               "rows": [{"etch_time_s": t, "depth_nm": float(d)}
                        for t, d in zip(args.etch_time_s, depths)]}
        if args.json:
            print_json(out)
        else:
            for r in out["rows"]:
                print(f"  {r['etch_time_s']:10.1f} s  ->  {r['depth_nm']:10.2f} nm")
        return 0
    if args.log_ratio is None:
        raise MissingMetadataError("eels thickness needs --log-ratio (ln(I_t/I_0))")
    methods = {}
    if args.mean_free_path_nm is not None:
        methods["given"] = args.mean_free_path_nm
    if args.composition and args.collection_mrad:
        z = depth.malis_effective_z(args.composition)
        methods["malis"] = depth.malis_mean_free_path_nm(args.beam_keV, args.collection_mrad, z)
    if args.density_g_cm3 and args.collection_mrad:
        methods["iakoubovskii"] = depth.iakoubovskii_mean_free_path_nm(
            args.beam_keV, args.density_g_cm3, args.collection_mrad, args.convergence_mrad)
    if not methods:
        raise MissingMetadataError("eels thickness needs --mean-free-path-nm, or "
                                   "--collection-mrad with --composition (Malis) or "
                                   "--density-g-cm3 (Iakoubovskii)")
    rows = [{"mean_free_path_method": k, "mean_free_path_nm": lam,
             "thickness_nm": depth.eels_thickness_nm(args.log_ratio, mean_free_path_nm=lam)}
            for k, lam in methods.items()]
    out = {"mode": "eels", "log_ratio": args.log_ratio, "beam_keV": args.beam_keV, "rows": rows}
    if args.json:
        print_json(out)
    else:
        for r in rows:
            print(f"  {r['mean_free_path_method']:13s} lambda = {r['mean_free_path_nm']:7.1f} nm"
                  f"  ->  t = {r['thickness_nm']:6.1f} nm")
    return 0
