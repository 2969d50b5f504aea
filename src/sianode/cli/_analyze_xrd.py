"""``sianode analyze xrd FILE``: peak FWHM, Scherrer size and Williamson-Hall strain/size.

FILE is either a pattern (CSV columns ``two_theta_deg``, ``intensity``), whose peaks near
``--peaks`` (or the Si reflections with ``--si``) are fitted with pseudo-Voigt profiles,
or a peak list (``two_theta_deg``, ``fwhm_deg`` and optionally ``instrument_fwhm_deg``).
"""

from __future__ import annotations

import argparse

NAME = "xrd"
HELP = "XRD broadening: pseudo-Voigt FWHM, Scherrer, Williamson-Hall (seed 001 Fig. 3c,d)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="pattern CSV or peak-list CSV")
    p.add_argument("--peaks", nargs="+", type=float, metavar="2THETA",
                   help="approximate peak positions to fit in a pattern [deg]")
    p.add_argument("--si", action="store_true", help="fit the Si reflections in range")
    p.add_argument("--window-deg", type=float, default=1.5, help="half-width fitted [deg]")
    p.add_argument("--instrument-fwhm-deg", type=float, default=0.0,
                   help="instrument FWHM (pristine/standard sample) [deg]")
    p.add_argument("--correction", choices=("linear", "quadratic"), default="linear")
    p.add_argument("--wavelength-A", type=float, default=None, help="default Cu K-alpha1")
    p.add_argument("--shape-factor", type=float, default=0.9)
    p.add_argument("--form", choices=("broadening", "classic"), default="broadening")
    p.add_argument("--plot", metavar="PNG", help="write the Williamson-Hall plot")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from sianode.cli._common import print_json
    from sianode.errors import InputError
    from sianode.experiments import diffraction as xrd
    from sianode.experiments.io.columns_csv import (
        XRD_PATTERN_COLUMNS,
        XRD_PEAK_COLUMNS,
        read_columns_csv,
    )
    from sianode.units import CU_KALPHA1_WAVELENGTH_A

    lam = args.wavelength_A or CU_KALPHA1_WAVELENGTH_A
    with open(args.file, encoding="utf-8-sig", errors="replace") as fh:
        head = fh.readline().lower()
    peaks = []
    if "fwhm" in head:
        d = read_columns_csv(args.file, XRD_PEAK_COLUMNS,
                             optional={"instrument_fwhm_deg": ("instrument_fwhm",)})
        tt, fw = d["two_theta_deg"], d["fwhm_deg"]
        inst = d.get("instrument_fwhm_deg", args.instrument_fwhm_deg)
    else:
        d = read_columns_csv(args.file, XRD_PATTERN_COLUMNS)
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
