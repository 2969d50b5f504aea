"""``sianode analyze eis FILE... --circuit STR``: equivalent-circuit fit of impedance spectra.

Input: CHI660E A.C. Impedance text exports, BioLogic PEIS/GEIS ``.mpt``, Gamry ``.DTA``, or
a CSV with columns ``frequency_Hz, z_real_ohm, z_imag_ohm`` (``z_imag_ohm`` = Im Z; or
``-z_imag_ohm``) or without a header (frequency, Re Z, Im Z as impedance.py reads it), see
:func:`sianode.experiments.io.impedance_files.read_impedance`. Several files are fitted in
order, each warm-started from the previous fit.
"""

from __future__ import annotations

import argparse

NAME = "eis"
EXAMPLES = """\
sianode analyze eis spectrum.mpt --plot nyquist.png
sianode analyze eis eis_*.txt --circuit "R0-p(R1,CPE1)-W1" --json"""
HELP = "fit an equivalent circuit (Rs + Rsei||CPE + Rct||CPE + W, or any string) to EIS files"


def _pairs(items: list[str] | None, flag: str) -> dict[str, float]:
    from sianode.errors import ParameterError

    out = {}
    for it in items or []:
        name, sep, value = it.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise ParameterError(flag, it, "NAME=VALUE with a number, e.g. Rs=10")
    return out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="impedance file(s): CHI text, BioLogic PEIS .mpt, Gamry .DTA or CSV")
    p.add_argument("--circuit", default="Rs-p(Rsei,CPEsei)-p(Rct,CPEct)-W1",
                   help="equivalent circuit in impedance.py syntax; the default is seed 002's")
    p.add_argument("--format", choices=("auto", "chi", "csv", "biologic", "gamry"),
                   default="auto", help="file format; auto detects it from the content")
    p.add_argument("--map", action="append", default=[], metavar="NAME=HEADER",
                   help="CSV column for frequency_Hz, z_real_ohm or z_imag_ohm (a header "
                   "starting with '-' holds -Im Z); repeat")
    p.add_argument("--imag-convention", choices=("auto", "im", "minus_im"), default="auto",
                   help="CSV imaginary column holds Im Z (im) or -Im Z (minus_im)")
    p.add_argument("--delimiter", default=None,
                   help="CSV delimiter (one character); default sniffed among , TAB ;")
    p.add_argument("--weighting", choices=("modulus", "unit"), default="modulus",
                   help="residual weights: 1/|Z| (modulus) or 1 (unit)")
    p.add_argument("--initial", nargs="*", metavar="NAME=VALUE",
                   help="starting values of circuit parameters [ohm, F, s^n/ohm...]")
    p.add_argument("--constant", nargs="*", metavar="NAME=VALUE",
                   help="parameters held fixed [units of the parameter]")
    p.add_argument("--plot", metavar="FILE",
                   help="write Nyquist + Bode plot of the first file (.png, .pdf, .svg)")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from sianode.cli._analyze_common import check_output_path, parse_pairs
    from sianode.cli._common import print_json
    from sianode.experiments.eis import fit_spectra, parse_circuit
    from sianode.experiments.io.impedance_files import read_impedance

    circuit = parse_circuit(args.circuit)  # argument errors before any file is read
    initial = _pairs(args.initial, "--initial") or None
    constants = _pairs(args.constant, "--constant")
    check_output_path(args.plot, "--plot")
    mapping = parse_pairs(args.map, "--map", str)
    fmt = None if args.format == "auto" else args.format
    if mapping and fmt is None:
        fmt = "csv"
    kw = {"imag_convention": args.imag_convention, "delimiter": args.delimiter}
    if mapping:
        kw["column_map"] = mapping
    spectra = [read_impedance(f, fmt, **(kw if fmt in (None, "csv") else {}))
               for f in args.files]
    fits = fit_spectra(spectra, circuit, initial, constants=constants, weighting=args.weighting,
                       progress=len(spectra) > 1)
    results = [{"file": f, **fit.summary()} for f, fit in zip(args.files, fits)]
    if args.plot:
        from sianode.plots.eis import plot_eis_summary
        from sianode.plots.style import save

        save(plot_eis_summary(spectra[0], fits[0]), args.plot)
    if args.json:
        print_json(results if len(results) > 1 else results[0])
        return 0
    for r in results:
        print(f"{r['file']}: {r['circuit']}  (chi2/dof {r['chi2']:.3g}, {r['weighting']} weights)")
        for n, v in r["parameters"].items():
            print(f"  {n:14s} {v:12.5g} ± {r['uncertainties'][n]:.2g} {r['units'][n]}")
        for key in ("Rs_ohm", "Rsei_ohm", "Rct_ohm"):
            if r[key] is not None:
                print(f"  {key:14s} {r[key]:12.5g}")
        for a in r["arcs"]:
            print(f"  arc {a['r_name']}: {a['role']}, f_c = {a['f_c_Hz']:.3g} Hz, "
                  f"C_eff = {a['C_eff_F']:.3g} F")
    return 0
