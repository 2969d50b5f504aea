"""``sianode analyze xrd FILE``: peak FWHM, Scherrer size and Williamson-Hall strain/size.

FILE is either a pattern (CSV columns ``two_theta_deg``, ``intensity``, or a whitespace
``.xy`` file with or without a header), whose peaks near ``--peaks`` (or the Si reflections
with ``--si``) are fitted with pseudo-Voigt profiles, or a peak list (``two_theta_deg``,
``fwhm_deg`` and optionally ``instrument_fwhm_deg``).
"""

from __future__ import annotations

import argparse

NAME = "xrd"
EXAMPLES = """\
sianode analyze xrd pattern.xy --si --instrument-fwhm-deg 0.08 --plot wh.png
sianode analyze xrd peaks.csv --wavelength-A 0.7093 --json"""
HELP = "XRD broadening: pseudo-Voigt FWHM, Scherrer, Williamson-Hall (seed 001 Fig. 3c,d)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE",
                   help="pattern (CSV or whitespace .xy: 2theta, intensity) or peak list "
                   "(two_theta_deg, fwhm_deg)")
    p.add_argument("--format", choices=("auto", "pattern", "peaks"), default="auto",
                   help="what FILE holds; auto: a peak list if its header names fwhm")
    p.add_argument("--map", action="append", default=[], metavar="NAME=HEADER",
                   help="column of the file for two_theta_deg, intensity or fwhm_deg; repeat")
    p.add_argument("--peaks", nargs="+", type=float, metavar="2THETA",
                   help="approximate peak positions to fit in a pattern [deg 2θ]")
    p.add_argument("--si", action="store_true", help="fit the Si reflections in range")
    p.add_argument("--window-deg", type=float, default=1.5,
                   help="half-width of the fitted window around each peak [deg 2θ]")
    p.add_argument("--instrument-fwhm-deg", type=float, default=0.0,
                   help="instrument FWHM from a pristine/standard sample [deg 2θ]")
    p.add_argument("--correction", choices=("linear", "quadratic"), default="linear",
                   help="instrument-broadening subtraction: linear (Lorentzian) or quadratic")
    p.add_argument("--wavelength-A", type=float, default=None,
                   help="X-ray wavelength [Å]; default Cu Kα1 1.5406")
    p.add_argument("--shape-factor", type=float, default=0.9, help="Scherrer constant K")
    p.add_argument("--form", choices=("broadening", "classic"), default="broadening",
                   help="Williamson-Hall form (module docs of sianode.experiments.diffraction)")
    p.add_argument("--plot", metavar="FILE",
                   help="write the Williamson-Hall plot (.png, .pdf, .svg)")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from sianode.cli._analyze_common import check_numbers, check_output_path, parse_pairs
    from sianode.cli._common import print_json
    from sianode.errors import InputError
    from sianode.experiments import diffraction as xrd
    from sianode.experiments.io import open_source
    from sianode.experiments.io.columns_csv import (
        XRD_PATTERN_COLUMNS,
        XRD_PEAK_COLUMNS,
        read_columns_csv,
    )
    from sianode.units import CU_KALPHA1_WAVELENGTH_A
    from sianode.validation import NON_NEGATIVE, Interval

    pos = Interval(0, 1e6, left_closed=False)
    check_numbers({"--wavelength-A": args.wavelength_A, "--peaks": args.peaks,
                   "--window-deg": args.window_deg,
                   "--instrument-fwhm-deg": args.instrument_fwhm_deg,
                   "--shape-factor": args.shape_factor},
                  {"--wavelength-A": Interval(0, 100, left_closed=False),
                   "--peaks": Interval(0, 180, left_closed=False, right_closed=False),
                   "--window-deg": Interval(0, 90, left_closed=False),
                   "--instrument-fwhm-deg": NON_NEGATIVE, "--shape-factor": pos})
    check_output_path(args.plot, "--plot")
    mapping = parse_pairs(args.map, "--map", str)
    lam = CU_KALPHA1_WAVELENGTH_A if args.wavelength_A is None else args.wavelength_A
    src = open_source(args.file)
    head = " ".join(src.head_lines(5)).lower()
    peaks = []
    is_peaks = args.format == "peaks" or (args.format == "auto" and (
        "fwhm" in head or "fwhm_deg" in mapping))
    if is_peaks:
        d = read_columns_csv(src, XRD_PEAK_COLUMNS, column_map=mapping,
                             optional={"instrument_fwhm_deg": ("instrument_fwhm",)})
        tt, fw = d["two_theta_deg"], d["fwhm_deg"]
        inst = d.get("instrument_fwhm_deg", args.instrument_fwhm_deg)
    else:
        d = read_columns_csv(src, XRD_PATTERN_COLUMNS, column_map=mapping)
        x, y = d["two_theta_deg"], d["intensity"]
        centres = list(args.peaks or [])
        if args.si:
            centres += [c for c in xrd.si_reflections_two_theta_deg(lam).values()
                        if x.min() + args.window_deg <= c <= x.max() - args.window_deg]
        if not centres:
            raise InputError("a pattern needs --peaks 2THETA ... or --si to say which peaks")
        for c in sorted(centres):
            pk = xrd.fit_pseudo_voigt(x, y, window_deg=(c - args.window_deg, c + args.window_deg))
            peaks.append(pk.as_dict())
        tt = np.array([p["center_deg"] for p in peaks])
        fw = np.array([p["fwhm_deg"] for p in peaks])
        inst = args.instrument_fwhm_deg
    common = {"instrument_fwhm_deg": inst, "wavelength_A": lam,
              "shape_factor": args.shape_factor, "correction": args.correction}
    out = {"file": args.file, "wavelength_A": lam, "correction": args.correction,
           "peaks": peaks or [{"center_deg": a, "fwhm_deg": b} for a, b in zip(tt, fw)],
           "sample_fwhm_deg": np.atleast_1d(xrd.sample_fwhm_deg(fw, inst, args.correction)),
           "scherrer_size_nm": np.atleast_1d(xrd.scherrer_size_nm(tt, fw, **common))}
    wh = None
    if np.unique(tt).size >= 2:
        wh = xrd.williamson_hall(tt, fw, form=args.form, **common)
        out["williamson_hall"] = wh.as_dict()
    if args.plot and wh is not None:
        from sianode.plots.diffraction import plot_williamson_hall
        from sianode.plots.style import save

        save(plot_williamson_hall(tt, fw, wh, instrument_fwhm_deg=inst,
                                  correction=args.correction).figure, args.plot)
    if args.json:
        print_json(out)
        return 0
    print(f"{args.file}: {len(tt)} peaks, lambda = {lam} A, {args.correction} correction")
    for a, b, s, dd in zip(tt, fw, out["sample_fwhm_deg"], out["scherrer_size_nm"]):
        print(f"  2theta {a:8.3f}  FWHM {b:.4f}  sample {s:.4f} deg  Scherrer {dd:8.1f} nm")
    if wh is not None:
        print(f"  Williamson-Hall ({wh.form}): D = {wh.size_nm:.4g} ± {wh.size_err_nm:.2g} nm, "
              f"strain = {wh.strain:.3e} ± {wh.strain_err:.1e}, R2 = {wh.r_squared:.4f}")
    return 0
