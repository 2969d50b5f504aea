"""Every bad input to every subcommand: exit 2, one stderr line naming it, no traceback, fast.

Each case runs ``sianode.cli.main.main([...])`` in-process with the expensive entry points
(ML potential, finite-element meshes, PyBaMM runs, the screening engine) replaced by a trap:
a case that reaches one has started work before refusing, and fails. Stdout must stay empty.
The refusal time of every case is measured; the assertion bound is generous
(``SIANODE_REFUSAL_BOUND_S``, default 10 s, because CI machines are shared) and
``test_refusal_times_summary`` prints the measured maximum. A handful of cases also run as
real subprocesses (import time included, and the NaN-cell CIF that used to segfault).

Cases owned by commands that other branches fix are marked ``xfail(strict=True)`` with the
branch named: when that branch merges they XPASS, which fails, and the marker must go.

Categories: missing, empty, binary and wrong-format files; a folder instead of a file;
NaN, inf, negative, zero and 1e300 numbers; unknown elements; a pure-Li host; unwritable,
wrong-kind and unknown-extension output paths; non-physical entries and structures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from sianode.cli.main import main
from sianode.testing import two_atom_cif

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "examples" / "stacks" / "ye2024_pouch.toml"
BOUND_S = float(os.environ.get("SIANODE_REFUSAL_BOUND_S", "10"))
TIMES: dict[str, tuple[float, float]] = {}  # case -> (wall, CPU) seconds


class Case(NamedTuple):
    id: str
    argv: tuple[str, ...]
    needle: str  # the message must name this (option, parameter or file)
    also: tuple[str, ...] = ()  # ... and say one of these (what is wrong)


def C(id_: str, argv: str, needle: str, also: tuple[str, ...] = ()) -> Case:
    return Case(id_, tuple(argv.split()), needle, also)


NUMS = ("nan", "inf", "-1", "0", "1e300")

# --- files -----------------------------------------------------------------------------------



def _entries_csvs(folder: Path, changes: dict[str, tuple[str, str, float]]) -> None:
    """The built-in Li-Si entries as tables ``entries_<tag>.csv``, each with one entry's
    energy or volume per atom replaced: ``tag -> (entry id, column, value per atom)`` with
    ``column`` ``energy_eV`` or ``volume_A3`` (totals of the row's formula)."""
    from pymatgen.core import Composition

    from sianode.materials import load_entries
    from sianode.materials.entries import entries_to_table

    base = entries_to_table(load_entries("builtin", chemsys=["Li", "Si"]))
    for tag, (entry_id, column, per_atom) in changes.items():
        df = base.copy()
        rows = df["id"] == entry_id
        assert rows.sum() == 1, entry_id
        df.loc[rows, column] = per_atom * Composition(df.loc[rows, "formula"].item()).num_atoms
        df.to_csv(folder / f"entries_{tag}.csv", index=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad_input")
    f: dict[str, str] = {"tmp": str(d), "stack": str(STACK)}
    (d / "adir.csv").mkdir()
    f["dir"] = str(d / "adir.csv")
    (d / "afile.txt").write_text("a regular file\n")
    f["file"] = str(d / "afile.txt")
    f["missing"] = str(d / "no_such_file")
    for ext in ("png", "jsonl", "csv"):  # folders named like files
        (d / f"folder.{ext}").mkdir()
    for ext in ("toml", "cif", "csv", "json", "jsonl", "txt", "mpt"):
        (d / f"empty.{ext}").write_bytes(b"")
        (d / f"binary.{ext}").write_bytes(bytes(range(256)) * 8)
        (d / f"wrong.{ext}").write_text("this is not the expected format { [ ,,\n1;2;3\n")
    stack = STACK.read_text(encoding="utf-8")
    for name, value in zip(("nan", "inf", "neg", "zero", "huge"), NUMS):
        (d / f"stack_{name}.toml").write_text(
            stack.replace("thickness_um = 12.0", f"thickness_um = {value}", 1), encoding="utf-8")
    (d / "si.cif").write_text(two_atom_cif())
    (d / "xx.cif").write_text(two_atom_cif(element="Xx"))
    (d / "nan.cif").write_text(two_atom_cif(a="nan"))
    (d / "close.cif").write_text(two_atom_cif(second_site="0.01 0 0"))
    (d / "huge.cif").write_text(two_atom_cif().replace("5.431", "1e300"))
    (d / "corrupt_out.jsonl").write_bytes(bytes(range(256)))
    si, li = "sianode-Si-Fd-3m", "sianode-Li-Im-3m"
    _entries_csvs(d, {"si_1e300": (si, "energy_eV", 1e300), "li_plus5": (li, "energy_eV", 5.0),
                      "si_vol0": (si, "volume_A3", 0.0),
                      "si_nan": (si, "energy_eV", float("nan"))})
    # instrument files (valid), for the analyses' numeric cases
    from sianode.experiments.io.layouts import write_arbin_csv
    from sianode.experiments.synthetic import synthetic_cycling

    write_arbin_csv(synthetic_cycling([1.0, 0.95, 0.9], [0.9, 0.9, 0.85], 1e-3, "half",
                                      dt_s=3.6), d / "cycling.csv")
    from sianode.experiments.diffraction import pseudo_voigt, si_reflections_two_theta_deg
    from sianode.experiments.eis import SEED002_CIRCUIT, EISFit

    freq = np.logspace(5, -1, 61)
    z = EISFit(SEED002_CIRCUIT).set_parameters(
        {"Rs": 12.9, "Rsei": 5.3, "CPEsei_Q": 2e-6, "CPEsei_alpha": 0.9, "Rct": 13.3,
         "CPEct_Q": 5e-4, "CPEct_alpha": 0.8, "W1": 8.0}).predict(freq)
    (d / "eis.csv").write_text("frequency_Hz,z_real_ohm,-z_imag_ohm\n" + "\n".join(
        f"{a},{b.real},{-b.imag}" for a, b in zip(freq, z)))
    x = np.arange(20, 80, 0.01)
    y = 50 + np.zeros_like(x)
    for tt in si_reflections_two_theta_deg().values():
        y += pseudo_voigt(x, tt, 0.3, 1000, 0.4)
    (d / "xrd.csv").write_text("two_theta_deg,intensity\n" + "\n".join(
        f"{a:.3f},{b:.4f}" for a, b in zip(x, y)))
    t = np.arange(0.0, 600.0, 1.0)
    (d / "pitt.csv").write_text("time_s,voltage_V,current_A\n" + "\n".join(
        f"{a},{3.9},{1e-4 / np.sqrt(a + 1)}" for a in t))
    (d / "gitt.csv").write_text("test_time_second,voltage_volt,current_ampere\n" + "\n".join(
        f"{a},{3.5 + (0.01 if 10 <= a < 20 else 0)},{1e-4 if 10 <= a < 20 else 0}"
        for a in np.arange(0, 60.0)))
    (d / "screen").mkdir()
    f.update({k: str(d / v) for k, v in {
        "cif": "si.cif", "xx_cif": "xx.cif", "nan_cif": "nan.cif", "close_cif": "close.cif",
        "huge_cif": "huge.cif", "corrupt_out": "corrupt_out.jsonl", "cycling": "cycling.csv",
        "eis": "eis.csv", "xrd": "xrd.csv", "pitt": "pitt.csv", "gitt": "gitt.csv",
        "empty_dir": "screen"}.items()})
    return f


# --- cases -----------------------------------------------------------------------------------


def _file_cases(prefix: str, argv: str, ext: str) -> list[Case]:
    """missing / empty / binary / wrong-format / folder for the ``{F}`` slot of ``argv``."""
    out = []
    for tag, path in (("missing", "{missing}." + ext), ("empty", "{tmp}/empty." + ext),
                      ("binary", "{tmp}/binary." + ext), ("wrong", "{tmp}/wrong." + ext),
                      ("folder", "{dir}")):
        want = {"missing": "no_such_file", "folder": "adir.csv"}.get(tag, f"{tag}.{ext}")
        also = ("folder", "director") if tag == "folder" else ()
        out.append(C(f"{prefix}-file-{tag}", argv.replace("{F}", path), want, also))
    return out


def _num_cases(prefix: str, argv: str, option: str, values=NUMS, skip=()) -> list[Case]:
    """``argv`` with ``{N}`` replaced by each bad number; the message must name ``option``."""
    return [C(f"{prefix}-{option.lstrip('-')}={v}", argv.replace("{N}", v), option)
            for v in values if v not in skip]


def _out_cases(prefix: str, argv: str, option: str, kind: str, good_ext: str) -> list[Case]:
    """Unwritable, wrong-kind and (files) unknown-extension output paths in ``{O}``."""
    name = option.lstrip("-")
    cases = [C(f"{prefix}-{name}-unwritable", argv.replace("{O}", "{file}/sub/out" + good_ext),
               option)]
    if kind == "file":
        cases += [C(f"{prefix}-{name}-is-folder",
                    argv.replace("{O}", "{tmp}/folder" + (good_ext or ".png")), option,
                    ("folder", "director")),
                  C(f"{prefix}-{name}-bad-ext", argv.replace("{O}", "{tmp}/out.xyz"), option,
                    ("extension", "format", ".xyz"))]
    else:
        cases += [C(f"{prefix}-{name}-is-file", argv.replace("{O}", "{file}"), option,
                    ("file", "folder", "director"))]
    return cases


CASES: list[Case] = [
    # ---- cell -----------------------------------------------------------------------------
    *_file_cases("cell", "cell {F}", "toml"),
    *[C(f"cell-layer-thickness={n}", f"cell {{tmp}}/stack_{n}.toml", "thickness_um")
      for n in ("nan", "inf", "neg", "zero", "huge")],
    *_out_cases("cell", "cell {stack} --plot {O}", "--plot", "file", ".png"),
    # ---- compute-entries --------------------------------------------------------------------
    *_file_cases("compute-entries", "compute-entries {F} --out {tmp}/e.jsonl", "cif"),
    C("compute-entries-unknown-element", "compute-entries {xx_cif} --out {tmp}/e.jsonl",
      "'Xx' is not a chemical element"),
    C("compute-entries-nan-cell", "compute-entries {nan_cif} --out {tmp}/e.jsonl", "nan.cif"),
    C("compute-entries-overlapping-atoms", "compute-entries {close_cif} --out {tmp}/e.jsonl",
      "close.cif"),
    C("compute-entries-huge-cell", "compute-entries {huge_cif} --out {tmp}/e.jsonl",
      "huge.cif"),
    *_num_cases("compute-entries", "compute-entries {cif} --out {tmp}/e.jsonl --fmax {N}",
                "--fmax"),
    C("compute-entries-max-steps=-1",
      "compute-entries {cif} --out {tmp}/e.jsonl --max-steps -1", "--max-steps"),
    C("compute-entries-workers=0", "compute-entries {cif} --out {tmp}/e.jsonl --workers 0",
      "--workers"),
    C("compute-entries-workers=-2", "compute-entries {cif} --out {tmp}/e.jsonl --workers -2",
      "--workers"),
    C("compute-entries-dask=0", "compute-entries {cif} --out {tmp}/e.jsonl --dask 0", "--dask"),
    C("compute-entries-potential", "compute-entries {cif} --out {tmp}/e.jsonl --potential x",
      "potential"),
    C("compute-entries-device", "compute-entries {cif} --out {tmp}/e.jsonl --device tpu",
      "device"),
    *_out_cases("compute-entries", "compute-entries {cif} --out {O}", "--out", "file", ".jsonl"),
    C("compute-entries-out-corrupt", "compute-entries {cif} --out {corrupt_out}",
      "corrupt_out.jsonl"),
    # ---- electrode ---------------------------------------------------------------------------
    *_num_cases("electrode-capacity", "electrode capacity --li-per-host {N}", "--li-per-host",
                skip=("-0", "0")),
    C("electrode-capacity-li-per-host=100", "electrode capacity --li-per-host 100",
      "--li-per-host"),
    *_num_cases("electrode-capacity", "electrode capacity --capacity-mAh-g {N}",
                "--capacity-mAh-g", skip=("0",)),
    C("electrode-capacity-host-Li", "electrode capacity --li-per-host 1 --host Li", "--host"),
    C("electrode-capacity-host-Xx", "electrode capacity --li-per-host 1 --host Xx", "'Xx'"),
    C("electrode-capacity-formula-Li100Si", "electrode capacity --formula Li100Si", "--formula"),
    C("electrode-capacity-formula-Xx", "electrode capacity --formula LiXx", "Xx"),
    C("electrode-capacity-formula-Li", "electrode capacity --formula Li", "formula"),
    C("electrode-phase-unknown", "electrode phase Li99Si", "Li99Si"),
    *_num_cases("electrode-porosity",
                "electrode porosity --component Si:1:2.33 --area-cm2 1 --thickness-um {N}",
                "--thickness-um"),
    *_num_cases("electrode-porosity",
                "electrode porosity --component Si:1:2.33 --area-cm2 {N} --thickness-um 10",
                "--area-cm2"),
    C("electrode-porosity-component-nan",
      "electrode porosity --component Si:nan:2.33 --area-cm2 1 --thickness-um 10", "Si.mass_mg"),
    C("electrode-porosity-density-1e300",
      "electrode porosity --component Si:1:1e300 --area-cm2 1 --thickness-um 10",
      "Si.density_g_cm3"),
    *_num_cases("electrode-np-ratio",
                "electrode np-ratio --anode-loading-mg-cm2 1.5 --anode-capacity-mAh-g 3000 "
                "--cathode-loading-mg-cm2 {N} --cathode-capacity-mAh-g 200",
                "--cathode-loading-mg-cm2"),
    C("electrode-np-ratio-fraction=1.5",
      "electrode np-ratio --anode-loading-mg-cm2 1.5 --anode-capacity-mAh-g 3000 "
      "--cathode-loading-mg-cm2 15 --cathode-capacity-mAh-g 200 --anode-active-fraction 1.5",
      "--anode-active-fraction"),
    *_num_cases("electrode-blend", "electrode blend --si-mass-mg 5 --phase-mass-mg 15 "
                "--area-cm2 {N}", "--area-cm2"),
    C("electrode-blend-layer-1e300", "electrode blend --layer 1e300:0.5 --area-cm2 1",
      "mass_mg"),
    C("electrode-prelithiation-target=99",
      "electrode prelithiation --si-loading-mg-cm2 0.189 --target 99", "--target"),
    C("electrode-prelithiation-target=nan",
      "electrode prelithiation --si-loading-mg-cm2 0.189 --target nan", "--target"),
    C("electrode-prelithiation-target=-1",
      "electrode prelithiation --si-loading-mg-cm2 0.189 --target -1", "--target"),
    C("electrode-prelithiation-target-name",
      "electrode prelithiation --si-loading-mg-cm2 0.189 --target Li99Si", "Li99Si"),
    *_num_cases("electrode-prelithiation", "electrode prelithiation --si-loading-mg-cm2 {N}",
                "--si-loading-mg-cm2"),
    C("electrode-prelithiation-foil=-1",
      "electrode prelithiation --si-loading-mg-cm2 0.189 --foil-um -1", "--foil-um"),
    C("electrode-prelithiation-initial=5",
      "electrode prelithiation --si-loading-mg-cm2 0.189 --initial-li-per-si 5",
      "--initial-li-per-si"),
    *_num_cases("electrode-thickness", "electrode thickness --si-loading-mg-cm2 3.8 "
                "--pristine-um 27 --li-per-si {N}", "--li-per-si", skip=("0",)),
    C("electrode-thickness-li-per-si=99", "electrode thickness --si-loading-mg-cm2 3.8 "
      "--pristine-um 27 --li-per-si 99", "--li-per-si"),
    C("electrode-thickness-areal-strain=-1", "electrode thickness --si-loading-mg-cm2 3.8 "
      "--pristine-um 27 --li-per-si 1 --areal-strain -1", "--areal-strain"),
    *_num_cases("electrode-expansion", "electrode expansion --before-um {N} --after-um 120",
                "--before-um"),
    # ---- fields ------------------------------------------------------------------------------
    *_num_cases("fields-interlayer", "fields interlayer --capacity-mAh-cm2 {N}",
                "--capacity-mAh-cm2"),
    *_num_cases("fields-interlayer", "fields interlayer --current-mA-cm2 {N}",
                "--current-mA-cm2"),
    *_num_cases("fields-interlayer", "fields interlayer --h-um {N}", "--h-um"),
    C("fields-interlayer-h-um=1e-9", "fields interlayer --h-um 1e-9", "--h-um"),
    *_num_cases("fields-interlayer", "fields interlayer --width-um {N}", "--width-um"),
    C("fields-interlayer-thickness-nan", "fields interlayer --thickness-um nan 2 4",
      "--thickness-um"),
    C("fields-interlayer-thickness-1e300", "fields interlayer --thickness-um 1e300 2 4",
      "--thickness-um"),
    C("fields-interlayer-contact=1.5", "fields interlayer --contact-fraction 1.5",
      "--contact-fraction"),
    C("fields-interlayer-no-si", "fields interlayer --design sse,sse", "--design"),
    C("fields-interlayer-unknown-material", "fields interlayer --design si,xx,sse", "'xx'"),
    C("fields-interlayer-set-nan", "fields interlayer --set si.conductivity_S_cm=nan",
      "si.conductivity_S_cm"),
    C("fields-interlayer-set-1e300", "fields interlayer --set si.youngs_modulus_GPa=1e300",
      "si.youngs_modulus_GPa"),
    C("fields-interlayer-product", "fields interlayer --product Li99Si", "Li99Si"),
    *_out_cases("fields-interlayer", "fields interlayer --plot {O}", "--plot", "dir", ""),
    *_num_cases("fields-particle", "fields particle --radius-um {N}", "--radius-um"),
    *_num_cases("fields-particle", "fields particle --lithiated-fraction {N}",
                "--lithiated-fraction"),
    *_num_cases("fields-particle", "fields particle --front-width-um {N}", "--front-width-um"),
    C("fields-particle-refine=0", "fields particle --refine 0", "--refine"),
    C("fields-particle-refine=9", "fields particle --refine 9", "--refine"),
    C("fields-particle-refine=-1", "fields particle --refine -1", "--refine"),
    *_out_cases("fields-particle", "fields particle --plot {O}", "--plot", "dir", ""),
    # ---- simulate ----------------------------------------------------------------------------
    *_num_cases("simulate", "simulate --k-eff {N}", "--k-eff", skip=("0",)),
    *_num_cases("simulate", "simulate --c-rate {N}", "--c-rate"),
    *_num_cases("simulate", "simulate --current-density {N}", "--current-density"),
    *_num_cases("simulate", "simulate --np {N}", "--np"),
    *_num_cases("simulate", "simulate --cell asymmetric --host-loading {N}", "--host-loading"),
    *_num_cases("simulate", "simulate --capacity-limit {N}", "--capacity-limit"),
    C("simulate-host-Li", "simulate --host Li", "--host"),
    C("simulate-host-Xx", "simulate --host Xx", "'Xx'"),
    *_file_cases("simulate-source", "simulate --source {F}", "csv"),
    *_out_cases("simulate", "simulate --plot {O}", "--plot", "dir", ""),
    # ---- lithiate / constrain / screen (issue 13) --------------------------------------------
    C("lithiate-host-Xx", "lithiate Xx", "Xx"),
    C("lithiate-host-Li", "lithiate Li", "Li"),
    *_file_cases("lithiate-source", "lithiate Si --source {F}", "csv"),
    C("lithiate-entry-energy-1e300", "lithiate Si --source {tmp}/entries_si_1e300.csv",
      "energy"),
    C("lithiate-entry-energy-nan", "lithiate Si --source {tmp}/entries_si_nan.csv", "energy"),
    C("lithiate-entry-li-plus5", "lithiate Si --source {tmp}/entries_li_plus5.csv", "energy"),
    C("lithiate-entry-volume-0", "lithiate Si --source {tmp}/entries_si_vol0.csv", "volume"),
    C("constrain-host-Xx", "constrain Xx", "Xx"),
    *_num_cases("constrain", "constrain Si --k-eff {N}", "--k-eff", skip=("0",)),
    *_out_cases("constrain", "constrain Si --plot {O}", "--plot", "file", ".png"),
    C("constrain-plot-capacity-bad-ext", "constrain Si --plot-capacity {tmp}/c.xyz",
      "--plot-capacity"),
    C("constrain-entry-energy-1e300", "constrain Si --source {tmp}/entries_si_1e300.csv",
      "energy"),
    *_file_cases("constrain-source", "constrain Si --source {F}", "csv"),
    *_out_cases("screen", "screen --out {O}", "--out", "dir", ""),
    C("screen-dask=0", "screen --out {tmp}/s9 --dask 0", "--dask"),  # issue 14
    C("screen-all-without-mp", "screen --out {tmp}/s10 --all", "--all"),  # issue 14
    *_num_cases("screen", "screen --out {tmp}/s1 --jobs {N}", "--jobs",
                values=("0", "-1")),
    *_num_cases("screen", "screen --out {tmp}/s2 --batch-hosts {N}", "--batch-hosts",
                values=("0", "-1")),
    *_num_cases("screen", "screen --out {tmp}/s3 --voltage-window {N} 1", "--voltage-window",
                values=("nan", "inf", "1e300")),
    C("screen-voltage-window-reversed", "screen --out {tmp}/s4 --voltage-window 1 0",
      "--voltage-window"),
    *_num_cases("screen", "screen --out {tmp}/s5 --max-band-gap {N}", "--max-band-gap",
                values=("nan", "-1", "1e300")),
    *_num_cases("screen", "screen --out {tmp}/s6 --region {N} 0.55", "--region",
                values=("nan", "-1", "1e300")),
    *_file_cases("screen-source", "screen --out {tmp}/s7 --source {F}", "csv"),
    C("screen-entry-energy-1e300", "screen --out {tmp}/s8 --source {tmp}/entries_si_1e300.csv",
      "energy"),
    # ---- diffusion (issue 16) ----------------------------------------------------------------
    *_num_cases("diffusion", "diffusion Si --strain 0 {N}", "--strain", skip=("0", "-1")),
    C("diffusion-strain=1.5", "diffusion Si --strain 0 1.5", "--strain"),
    *_num_cases("diffusion", "diffusion Si --images {N}", "--images", values=("0", "-1")),
    *_num_cases("diffusion", "diffusion Si --fmax {N}", "--fmax"),
    C("diffusion-max-steps=-1", "diffusion Si --max-steps -1", "--max-steps"),
    *_num_cases("diffusion", "diffusion Si --temperature-K {N}", "--temperature-K"),
    C("diffusion-supercell-0", "diffusion Si --supercell 0 1 1", "--supercell"),
    C("diffusion-shear-nan", "diffusion Si --shear-deg nan", "--shear-deg"),
    C("diffusion-sites-nan", "diffusion Si --sites nan 0 0 0.5 0.5 0.5", "--sites"),
    C("diffusion-host-unknown", "diffusion Xx", "Xx"),
    C("diffusion-host-nan-cif", "diffusion {nan_cif}", "nan.cif"),
    C("diffusion-host-folder", "diffusion {dir}", "adir.csv", ("folder", "director")),
    C("diffusion-potential", "diffusion Si --potential nope", "potential"),
    *_out_cases("diffusion", "diffusion Si --plot {O}", "--plot", "file", ".png"),
    # ---- analyze (issue 11) ------------------------------------------------------------------
    *_file_cases("analyze-cycling", "analyze cycling {F} --cell half --mass-mg 1", "csv"),
    *_num_cases("analyze-cycling", "analyze cycling {cycling} --cell half --mass-mg {N}",
                "--mass-mg"),
    *_num_cases("analyze-cycling", "analyze cycling {cycling} --cell half --area-cm2 {N}",
                "--area-cm2"),
    *_num_cases("analyze-cycling", "analyze cycling {cycling} --cell half --threshold {N}",
                "--threshold"),
    *_out_cases("analyze-cycling", "analyze cycling {cycling} --cell half --plot {O}", "--plot",
                "file", ".png"),
    *_file_cases("analyze-eis", "analyze eis {F}", "csv"),
    *_out_cases("analyze-eis", "analyze eis {eis} --plot {O}", "--plot", "file", ".png"),
    C("analyze-eis-initial-nan", "analyze eis {eis} --initial R0=nan", "R0"),
    *_file_cases("analyze-xrd", "analyze xrd {F} --si", "csv"),
    *_num_cases("analyze-xrd", "analyze xrd {xrd} --si --wavelength-A {N}", "--wavelength-A"),
    C("analyze-xrd-peaks-nan", "analyze xrd {xrd} --peaks nan", "--peaks"),
    *_num_cases("analyze-xrd", "analyze xrd {xrd} --si --window-deg {N}", "--window-deg"),
    *_num_cases("analyze-xrd", "analyze xrd {xrd} --si --shape-factor {N}", "--shape-factor"),
    *_out_cases("analyze-xrd", "analyze xrd {xrd} --si --plot {O}", "--plot", "file", ".png"),
    *_file_cases("analyze-pitt", "analyze pitt {F} --length-um 250", "csv"),
    *_num_cases("analyze-pitt", "analyze pitt {pitt} --length-um {N}", "--length-um"),
    *_file_cases("analyze-gitt", "analyze gitt {F} --length-um 2", "csv"),
    *_num_cases("analyze-gitt", "analyze gitt {gitt} --length-um {N}", "--length-um"),
    *_num_cases("analyze-depth", "analyze depth xps --etch-time-s {N} --rate 0.1",
                "--etch-time-s", skip=("0",)),
    *_num_cases("analyze-depth", "analyze depth eels --log-ratio {N} --mean-free-path-nm 100",
                "--log-ratio", skip=("0",)),
    *_file_cases("analyze-plating", "analyze plating {F} --cell asymmetric", "csv"),
    *_num_cases("analyze-plating", "analyze plating {cycling} --cell asymmetric --area-cm2 {N}",
                "--area-cm2"),
    *_num_cases("analyze-titration", "analyze titration --lithiation-mAh {N} "
                "--delithiation-mAh 0.9 --h2-umol 1", "--lithiation-mAh"),
    *_num_cases("analyze-titration", "analyze titration --lithiation-mAh 1 "
                "--delithiation-mAh 0.9 --h2-umol {N}", "--h2-umol", skip=("0",)),
    *_file_cases("analyze-titration", "analyze titration --file {F} --h2-umol 1", "csv"),
    *_file_cases("analyze-dqdv", "analyze dqdv {F} --cell half", "csv"),
    *_num_cases("analyze-dqdv", "analyze dqdv {cycling} --cell half --mass-mg {N}", "--mass-mg"),
    *_num_cases("analyze-dqdv", "analyze dqdv {cycling} --cell half --points {N}", "--points",
                values=("0", "-1")),
    *_num_cases("analyze-dqdv", "analyze dqdv {cycling} --cell half --window {N}", "--window",
                values=("0", "-1", "4")),
    *_out_cases("analyze-dqdv", "analyze dqdv {cycling} --cell half --plot {O}", "--plot",
                "file", ".png"),
    *_out_cases("analyze-dqdv", "analyze dqdv {cycling} --cell half --out {O}", "--out",
                "file", ".csv"),
    # ---- gallery -----------------------------------------------------------------------------
    C("gallery-dir-unwritable", "gallery {file}/sub", "afile.txt"),
    C("gallery-dir-is-file", "gallery {file}", "afile.txt", ("file", "folder", "director")),
    # ---- explore / design (issue 15: new commands) -------------------------------------------
    C("explore-missing", "explore {missing}", "no_such_file"),
    C("explore-file", "explore {file}", "afile.txt"),
    C("explore-empty-folder", "explore {empty_dir}", "screen"),
    C("design-stack-missing", "design --stack {missing}.toml --hosts Si", "no_such_file"),
    C("design-stack-binary", "design --stack {tmp}/binary.toml --hosts Si", "binary.toml"),
    C("design-host-Xx", "design --stack {stack} --hosts Xx", "Xx"),
    C("design-k-eff-nan", "design --stack {stack} --hosts Si --k-eff nan", "--k-eff"),
    C("design-plot-unwritable", "design --stack {stack} --hosts Si --plot {file}/sub",
      "--plot"),
    # found by the polish battery: named after the wrong parameter, or accepted
    C("design-host-loading=1e300", "design --stack {stack} --hosts Si --host-loading 1e300",
      "--host-loading"),
    C("design-target-np=1e300", "design --stack {stack} --hosts Si --target-np 1e300",
      "--target-np"),
    C("design-k-eff=1e300", "design --stack {stack} --hosts Si --k-eff 1e300", "--k-eff"),
    C("explore-k-eff=1e300", "explore {empty_dir} --k-eff 1e300", "--k-eff"),
    *_num_cases("analyze-depth", "analyze depth eels --log-ratio 1 --collection-mrad 10 "
                "--composition Si --beam-keV {N}", "--beam-keV"),
    *_num_cases("analyze-depth", "analyze depth eels --log-ratio 1 --composition Si "
                "--collection-mrad {N}", "--collection-mrad"),
    *_num_cases("analyze-depth", "analyze depth eels --log-ratio 1 --collection-mrad 10 "
                "--density-g-cm3 2.3 --convergence-mrad {N}", "--convergence-mrad", skip=("0",)),
    *_num_cases("analyze-depth", "analyze depth eels --log-ratio 1 --collection-mrad 10 "
                "--density-g-cm3 {N}", "--density-g-cm3"),
    *_num_cases("analyze-depth", "analyze depth eels --log-ratio 1 --mean-free-path-nm {N}",
                "--mean-free-path-nm"),
    C("analyze-cycling-theoretical=1e300",
      "analyze cycling {cycling} --cell half --theoretical-mAh-g 1e300", "--theoretical-mAh-g"),
]

#: Which branch owns each command's validation (this branch: issue12).
OWNERS = {"lithiate": "issue13", "constrain": "issue13",
          "screen": "issue13", "diffusion": "issue16", "explore": "issue15",
          "design": "issue15"}

#: Cases that fail on this branch and are fixed on the owner's branch (the report's list).
PENDING: set[str] = set()  # every owner branch has landed; none pending


def _owner(case: Case) -> str:
    return OWNERS.get(case.argv[0], "issue12")


def _params():
    out = []
    for case in CASES:
        marks = []
        if case.id in PENDING:
            marks.append(pytest.mark.xfail(strict=True, reason=f"fixed on branch {_owner(case)}"))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


class WorkStarted(Exception):
    """Raised by the trapped entry points: the command started work before refusing."""


@pytest.fixture
def no_work(monkeypatch):
    """Replace every expensive entry point by a trap."""

    def trap(*args, **kwargs):
        raise WorkStarted("work started before the input was refused")

    import sianode.cell.simulate
    import sianode.electrode.fields.interlayer
    import sianode.electrode.fields.particle
    import sianode.kinetics.scan
    import sianode.materials.calculators
    import sianode.thermo.screen

    monkeypatch.setattr(sianode.materials.calculators, "get_calculator", trap)
    monkeypatch.setattr(sianode.electrode.fields.interlayer, "layered_mesh", trap)
    monkeypatch.setattr(sianode.electrode.fields.particle, "particle_mesh", trap)
    monkeypatch.setattr(sianode.cell.simulate, "simulate", trap)
    monkeypatch.setattr(sianode.thermo.screen, "screen", trap)
    monkeypatch.setattr(sianode.kinetics.scan, "run_scan", trap)  # its workers are spawned
    monkeypatch.delenv("SIANODE_DEBUG", raising=False)
    monkeypatch.delenv("MP_API_KEY", raising=False)


def _run_in_process(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse
        return int(exc.code or 0)


def _format(argv: tuple[str, ...], files: dict[str, str]) -> list[str]:
    return [a.format(**files) for a in argv]


def _names(needle: str) -> tuple[str, ...]:
    """An option may be named as typed (``--mass-mg``) or as its parameter (``mass_mg``)."""
    if needle.startswith("--"):
        return needle, needle[2:].replace("-", "_")
    return (needle,)


def check_refusal(rc: int, out: str, err: str, needle: str, also: tuple[str, ...] = ()) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err, err
    assert rc == 2, f"exit {rc}; stderr: {err!r}"
    assert len(lines) == 1, f"{len(lines)} stderr lines: {err!r}"
    assert lines[0].startswith("sianode "), lines[0]
    assert any(n in lines[0] for n in _names(needle)), f"{needle!r} not named in {lines[0]!r}"
    message = lines[0].replace(needle, "")
    assert not also or any(a in message.lower() for a in also), f"none of {also} in {lines[0]!r}"
    assert out == "", f"stdout not empty: {out[:200]!r}"


@pytest.mark.parametrize("case", _params())
def test_bad_input_is_refused(case, files, no_work, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written beside the sources
    argv = _format(case.argv, files)
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings(record=True) as caught:  # a CLI prints these on stderr
        warnings.simplefilter("always")
        try:
            rc = _run_in_process(argv)
        except WorkStarted:
            pytest.fail("work started before the input was refused")
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    captured = capsys.readouterr()
    err = captured.err + "".join(f"{w.category.__name__}: {w.message}\n" for w in caught
                                 if not issubclass(w.category, DeprecationWarning))
    check_refusal(rc, captured.out, err, case.needle.format(**files), case.also)
    TIMES[case.id] = (elapsed, cpu)
    assert elapsed < BOUND_S, f"refused after {elapsed:.2f} s"
    assert not list(tmp_path.iterdir()), "a refused command wrote files"


def test_case_table_covers_every_command_and_category():
    from sianode.cli.main import _command_modules

    commands = {m.COMMAND for m in _command_modules()} | {"explore", "design"}
    first = {c.argv[0] for c in CASES}
    assert commands <= first, commands - first
    actions = {c.argv[1] for c in CASES if c.argv[0] in ("electrode", "fields", "analyze")}
    assert {"capacity", "porosity", "np-ratio", "blend", "prelithiation", "thickness",
            "expansion", "phase", "interlayer", "particle", "cycling", "eis", "xrd", "pitt",
            "gitt", "depth", "plating", "titration", "dqdv"} <= actions
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    text = " ".join(" ".join(c.argv) for c in CASES)
    for token in ("nan", "inf", "-1", " 0", "1e300", "{missing}", "{tmp}/empty",
                  "{tmp}/binary", "{tmp}/wrong", "{dir}", "{file}/sub", "out.xyz", "Xx",
                  "--host Li"):
        assert token in text, token
    assert len(CASES) >= 300
    assert set(ids) >= PENDING, PENDING - set(ids)
    assert all(_owner(c) != "issue12" for c in CASES if c.id in PENDING), "own cases must pass"


def test_refusal_times_summary(capsys):
    """Print the refusal times of the cases that passed in this session (run after them)."""
    if not TIMES:
        pytest.skip("no case ran before this test")
    wall = sorted(((v[0], k) for k, v in TIMES.items()), reverse=True)
    cpu = sorted(((v[1], k) for k, v in TIMES.items()), reverse=True)
    with capsys.disabled():
        print(f"\n{len(TIMES)} bad-input cases refused in-process: wall max {wall[0][0]:.3f} s "
              f"({wall[0][1]}), median {float(np.median([w for w, _ in wall])):.3f} s; CPU max "
              f"{cpu[0][0]:.3f} s ({cpu[0][1]}); slowest wall: "
              + ", ".join(f"{k} {v:.2f} s" for v, k in wall[:5]))
    assert wall[0][0] < BOUND_S


# --- a handful as real processes --------------------------------------------------------------

SUBPROCESS_CASES = [
    C("sub-cell-binary", "cell {tmp}/binary.toml", "binary.toml"),
    C("sub-compute-entries-nan-cell", "compute-entries {nan_cif} --out {tmp}/e.jsonl",
      "nan.cif"),
    C("sub-compute-entries-fmax-nan", "compute-entries {cif} --out {tmp}/e.jsonl --fmax nan",
      "--fmax"),
    C("sub-electrode-li-per-host-100", "electrode capacity --li-per-host 100", "--li-per-host"),
    C("sub-fields-capacity-1e300", "fields interlayer --capacity-mAh-cm2 1e300",
      "--capacity-mAh-cm2"),
    C("sub-simulate-plot-unwritable", "simulate --plot {file}/sub", "--plot"),
]


@pytest.mark.parametrize("case", SUBPROCESS_CASES, ids=[c.id for c in SUBPROCESS_CASES])
def test_bad_input_refused_by_the_real_command(case, files, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1",
           "MPLBACKEND": "Agg", "PYBAMM_DISABLE_TELEMETRY": "true"}
    env.pop("SIANODE_DEBUG", None)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "sianode.cli.main",
                           *_format(case.argv, files)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    elapsed = time.perf_counter() - t0
    check_refusal(proc.returncode, proc.stdout, proc.stderr, case.needle.format(**files),
                  case.also)
    assert elapsed < max(BOUND_S, 30), f"refused after {elapsed:.1f} s (imports included)"


def test_unwritable_folder_is_refused_for_non_root(tmp_path, files, capsys, no_work):
    """A read-only folder (skipped as root: root writes anywhere)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can write into read-only folders")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        rc = _run_in_process(["cell", files["stack"], "--plot", str(ro / "x.png")])
        captured = capsys.readouterr()
        check_refusal(rc, captured.out, captured.err, "not writable")
    finally:
        ro.chmod(0o700)
        shutil.rmtree(ro)
