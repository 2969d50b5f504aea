"""Equivalent-circuit fitting of impedance spectra, estimator style.

The optimiser is scipy's ``least_squares`` (trust-region reflective) on the natural
logarithms of the parameters, so every parameter stays positive and ``alpha <= 1``; the
residual vector stacks real and imaginary misfits, divided by ``|Z|`` (``weighting =
"modulus"``, the default) or not (``"unit"``). Parameter standard errors come from the
Jacobian at the optimum, ``cov = s^2 (J^T J)^-1`` with ``s^2 = SSR / (2N - p)``, carried
from log to linear parameters by ``sigma_p = p sigma_ln p``; this is what
``scipy.optimize.curve_fit`` (and so impedance.py) reports with ``absolute_sigma=False``.

Which arc is which (the documented rule): every parallel ``R || CPE`` (or ``R || C``) block
gets a characteristic frequency ``f_c = 1 / (2 pi (R Q)^(1/alpha))`` and an effective
capacitance ``C_eff = Q^(1/alpha) R^((1-alpha)/alpha)`` (Hsu & Mansfeld). The block with the
highest ``f_c`` is the SEI (ion transport through a thin surface film: small capacitance),
the block with the lowest ``f_c`` is charge transfer (double-layer capacitance, larger),
blocks in between are left ``"unassigned"``; a single block is charge transfer. Top-level
series resistors sum to ``Rs``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from sianode.errors import ComputationError, InputError, ParameterError, UnknownNameError
from sianode.experiments.eis._circuit import Circuit, parse_circuit
from sianode.experiments.io.impedance_files import ImpedanceSpectrum

__all__ = ["EISFit", "fit_spectra", "WEIGHTINGS"]

WEIGHTINGS = ("modulus", "unit")


def _as_spectrum(data: Any) -> ImpedanceSpectrum:
    if isinstance(data, ImpedanceSpectrum):
        return data
    try:
        f, z = data
    except (TypeError, ValueError):
        raise InputError("data must be an ImpedanceSpectrum or a (frequency_Hz, Z) pair") from None
    return ImpedanceSpectrum.from_complex(np.asarray(f, dtype=float), np.asarray(z))


class EISFit:
    """Fit an equivalent circuit to one impedance spectrum.

    Parameters
    ----------
    circuit : str or Circuit
        E.g. ``"R0-p(R1,CPE1)-p(R2,CPE2)-W1"`` (syntax in :func:`parse_circuit`).
    initial_guess : mapping or sequence, optional
        Starting values by parameter name (or in :attr:`Circuit.parameter_names` order);
        missing ones are estimated from the spectrum.
    constants : mapping, optional
        Parameters held fixed (name -> value).
    weighting : {"modulus", "unit"}
        Residuals divided by ``|Z|`` (default) or unweighted.
    n_starts : int
        Most starting points tried: the estimate from the spectrum (or ``initial_guess``)
        first, then random perturbations of it; the best optimum is kept, and the search
        stops as soon as two starts reach the same best cost (relative 1e-6).
    random_state : int
        Seed for the perturbed starts.

    Attributes
    ----------
    parameters_ : dict[str, float]
        Fitted values (constants included) [units in :attr:`units_`].
    uncertainties_ : dict[str, float]
        One standard error per parameter (0 for constants, inf if not identifiable).
    covariance_ : ndarray
        Covariance of the free parameters (linear scale).
    chi2_ : float
        Weighted sum of squared residuals per degree of freedom (``s^2``).
    z_fit_ : ndarray
        Model impedance at the data frequencies [ohm].
    arcs_ : list of dict
        One entry per ``R || CPE`` block: ``r_name``, ``R_ohm``, ``f_c_Hz``, ``C_eff_F``,
        ``role`` (``"sei"``, ``"charge_transfer"`` or ``"unassigned"``) and
        ``f_c_in_measured_range``: an arc whose apex lies outside the measured band (e.g.
        an SEI arc above 100 kHz) is not resolved; its R then trades off against ``Rs``
        and carries a large uncertainty.

    References
    ----------
    Seed 002 Fig. 3d, Supplementary Fig. 8 and 18 (Rs + Rsei + Rct + W fits);
    Hsu & Mansfeld, Corrosion 57, 747 (2001) (C_eff of an R||CPE arc);
    Murbach et al., JOSS 5, 2349 (2020) (impedance.py, the peer fit).

    Examples
    --------
    >>> import numpy as np
    >>> f = np.logspace(5, -1, 40)
    >>> truth = EISFit("R0-p(R1,C1)").set_parameters({"R0": 10, "R1": 20, "C1": 1e-5})
    >>> fit = EISFit("R0-p(R1,C1)").fit((f, truth.predict(f)))
    >>> round(fit.parameters_["R1"], 6)
    20.0
    """

    def __init__(
        self,
        circuit: str | Circuit,
        initial_guess: Mapping[str, float] | Sequence[float] | None = None,
        *,
        constants: Mapping[str, float] | None = None,
        weighting: str = "modulus",
        n_starts: int = 8,
        random_state: int = 0,
    ) -> None:
        self.circuit = circuit if isinstance(circuit, Circuit) else parse_circuit(circuit)
        names = self.circuit.parameter_names
        if weighting not in WEIGHTINGS:
            raise UnknownNameError("EIS weighting", weighting, WEIGHTINGS)
        if n_starts < 1:
            raise ParameterError("n_starts", n_starts, "an integer >= 1")
        self.weighting, self.n_starts, self.random_state = weighting, int(n_starts), random_state
        self.constants = self._named(constants or {}, "constants")
        if initial_guess is not None and not isinstance(initial_guess, Mapping):
            seq = list(initial_guess)
            if len(seq) != len(names):
                raise ParameterError("initial_guess", seq, f"{len(names)} values for {names}")
            initial_guess = dict(zip(names, seq))
        self.initial_guess = self._named(initial_guess or {}, "initial_guess")

    def _named(self, values: Mapping[str, float], what: str) -> dict[str, float]:
        out = {}
        for k, v in values.items():
            if k not in self.circuit.parameter_names:
                raise UnknownNameError(f"parameter in {what}", k, self.circuit.parameter_names)
            i = self.circuit.parameter_names.index(k)
            lo, hi = self.circuit.bounds[i]
            if not (isinstance(v, int | float | np.floating) and math.isfinite(v) and lo < v <= hi):
                raise ParameterError(f"{what}[{k}]", v, f"a finite number in ({lo:g}, {hi:g}]")
            out[k] = float(v)
        return out

    @property
    def units_(self) -> dict[str, str]:
        return dict(zip(self.circuit.parameter_names, self.circuit.parameter_units))

    def set_parameters(self, parameters: Mapping[str, float]) -> EISFit:
        """Set ``parameters_`` directly (to simulate a spectrum); returns self."""
        values = self._named(parameters, "parameters")
        missing = [n for n in self.circuit.parameter_names if n not in values]
        if missing:
            raise ParameterError("parameters", sorted(values), f"values for {missing} too")
        self.parameters_ = {n: values[n] for n in self.circuit.parameter_names}
        self.uncertainties_ = dict.fromkeys(self.parameters_, 0.0)
        return self

    def predict(self, frequency_Hz: Any) -> np.ndarray:
        """Model impedance [ohm] at ``frequency_Hz`` [Hz] with the fitted parameters."""
        if not hasattr(self, "parameters_"):
            raise ComputationError("EISFit.predict called before fit() or set_parameters()")
        p = [self.parameters_[n] for n in self.circuit.parameter_names]
        return self.circuit.impedance(p, np.asarray(frequency_Hz, dtype=float))

    # ---- starting values -------------------------------------------------------------
    def _auto_guess(self, s: ImpedanceSpectrum, rng: np.random.Generator, k: int
                    ) -> dict[str, float]:
        f, z = s.frequency_Hz, s.z_ohm
        order = np.argsort(f)[::-1]
        f, z = f[order], z[order]
        r_hf = max(float(np.min(z.real)), 1e-3 * float(np.max(np.abs(z))))
        series_r = set(self.circuit.series_resistors())
        blocks = self.circuit.rc_blocks()
        span = max(float(np.max(z.real)) - r_hf, 1e-3 * float(np.max(np.abs(z))))
        nb = max(len(blocks), 1)
        jitter = (lambda: 1.0) if k == 0 else (lambda: float(np.exp(rng.normal(0, 1.0))))
        fr = np.array([jitter() for _ in range(nb)])
        fr = fr / fr.sum() * (0.7 if k % 2 else 0.9)
        fmax, fmin = float(f[0]), float(f[-1])
        fcs = np.geomspace(fmax / 10, fmin * 10, nb) if nb > 1 else [math.sqrt(fmax * fmin)]
        fcs = [fc * jitter() for fc in fcs]
        g: dict[str, float] = {}
        r_of = {}
        for b, (rn, cn, _ctype) in enumerate(blocks):
            r = span * fr[b]
            r_of[cn] = (r, fcs[b])
            g[rn] = r
        w_min = 2 * np.pi * fmin
        for name, etype in self.circuit.elements:
            if etype == "R" and name not in g:
                g[name] = r_hf / max(len(series_r), 1) if name in series_r else span / nb
            elif etype == "CPE":
                r, fc = r_of.get(name, (span / nb, math.sqrt(fmax * fmin)))
                alpha = 0.85
                g[f"{name}_Q"] = 1.0 / (r * (2 * np.pi * fc) ** alpha)
                g[f"{name}_alpha"] = alpha
            elif etype == "C":
                r, fc = r_of.get(name, (span / nb, math.sqrt(fmax * fmin)))
                g[name] = 1.0 / (r * 2 * np.pi * fc)
            elif etype == "L":
                g[name] = 1e-7
            elif etype == "W":
                g[name] = max(abs(float(z[-1].imag)), 1e-3 * span) * math.sqrt(w_min) * 0.5 * jitter()
            elif etype in ("Wo", "Ws"):
                g[f"{name}_Z0"] = 0.3 * span * jitter()
                g[f"{name}_tau"] = 1.0 / w_min * jitter()
        return g

    # ---- fitting ---------------------------------------------------------------------
    def fit(self, data: ImpedanceSpectrum | tuple[Any, Any]) -> EISFit:
        """Fit the circuit to ``data`` (an :class:`ImpedanceSpectrum` or ``(f, Z)``).

        Raises
        ------
        InputError
            Fewer data values (2 per frequency) than free parameters.
        ComputationError
            No start converged to a finite optimum.
        """
        from scipy.optimize import least_squares

        s = _as_spectrum(data)
        names = self.circuit.parameter_names
        free = [n for n in names if n not in self.constants]
        if 2 * len(s) <= len(free):
            raise InputError(f"{len(s)} frequencies give {2 * len(s)} values, fewer than the "
                             f"{len(free)} free parameters of {self.circuit.string!r}")
        f, z = s.frequency_Hz, s.z_ohm
        w = np.abs(z) if self.weighting == "modulus" else np.ones_like(f)
        w = np.where(w > 0, w, 1.0)
        idx = [names.index(n) for n in free]
        lo = np.array([math.log(self.circuit.bounds[i][0]) if self.circuit.bounds[i][0] > 0
                       else -np.inf for i in idx])
        hi = np.array([math.log(self.circuit.bounds[i][1]) for i in idx])
        full = np.array([self.constants.get(n, np.nan) for n in names])

        def resid(x: np.ndarray) -> np.ndarray:
            p = full.copy()
            p[idx] = np.exp(x)
            d = (z - self.circuit.impedance(p, f)) / w
            out = np.concatenate([d.real, d.imag])
            return np.where(np.isfinite(out), out, 1e10)

        rng = np.random.default_rng(self.random_state)
        best, costs = None, []
        for k in range(self.n_starts):
            guess = self._auto_guess(s, rng, k)
            guess.update(self.initial_guess if k == 0 else {})
            if k > 0:
                guess.update({n: v * float(np.exp(rng.normal(0, 0.3)))
                              for n, v in self.initial_guess.items()})
            x0 = np.log([guess[n] for n in free])
            x0 = np.clip(x0, lo + 1e-9, hi - 1e-9)
            try:
                res = least_squares(resid, x0, bounds=(lo, hi), method="trf",
                                    x_scale=1.0, max_nfev=400 * (len(free) + 1))
            except (ValueError, FloatingPointError):
                continue
            if not np.isfinite(res.cost):
                continue
            costs.append(res.cost)
            if best is None or res.cost < best.cost:
                best = res
            # stop early once two starts agree on the best optimum found so far
            if sum(c <= best.cost * (1 + 1e-6) + 1e-300 for c in costs) >= 2:
                break
        if best is None:
            raise ComputationError(f"fit of {self.circuit.string!r} failed from every start")
        p = full.copy()
        p[idx] = np.exp(best.x)
        dof = max(2 * len(s) - len(free), 1)
        s2 = 2 * best.cost / dof
        jtj = best.jac.T @ best.jac
        try:
            cov_ln = np.linalg.inv(jtj) * s2
        except np.linalg.LinAlgError:
            cov_ln = np.full_like(jtj, np.inf)
        pf = np.exp(best.x)
        cov = cov_ln * np.outer(pf, pf)
        sig = np.sqrt(np.clip(np.diag(cov), 0, None))
        sig = np.where(np.isfinite(sig), sig, np.inf)
        self.parameters_ = {n: float(v) for n, v in zip(names, p)}
        self.uncertainties_ = dict.fromkeys(names, 0.0)
        self.uncertainties_.update({n: float(v) for n, v in zip(free, sig)})
        self.covariance_ = cov
        self.free_parameters_ = tuple(free)
        self.chi2_ = float(s2)
        self.z_fit_ = self.circuit.impedance(p, f)
        self.spectrum_ = s
        self.success_ = bool(best.success)
        return self

    @property
    def arcs_(self) -> list[dict[str, Any]]:
        """Arc assignment by characteristic frequency (rule in the module docstring)."""
        if not hasattr(self, "parameters_"):
            raise ComputationError("arcs_ needs fit() first")
        p, arcs = self.parameters_, []
        for rn, cn, ctype in self.circuit.rc_blocks():
            r = p[rn]
            q, a = (p[f"{cn}_Q"], p[f"{cn}_alpha"]) if ctype == "CPE" else (p[cn], 1.0)
            fc = 1.0 / (2 * np.pi * (r * q) ** (1.0 / a))
            ceff = q ** (1.0 / a) * r ** ((1.0 - a) / a)
            spec = getattr(self, "spectrum_", None)
            inside = None if spec is None else bool(
                spec.frequency_Hz.min() <= fc <= spec.frequency_Hz.max())
            arcs.append({"r_name": rn, "c_name": cn, "R_ohm": r, "R_err_ohm":
                         self.uncertainties_[rn], "f_c_Hz": fc, "C_eff_F": ceff,
                         "role": "unassigned", "f_c_in_measured_range": inside})
        arcs.sort(key=lambda a: -a["f_c_Hz"])
        if arcs:
            arcs[-1]["role"] = "charge_transfer"
        if len(arcs) >= 2:
            arcs[0]["role"] = "sei"
        return arcs

    def summary(self) -> dict[str, Any]:
        """JSON-ready result: parameters, errors, units, Rs/Rsei/Rct and the arcs."""
        arcs = self.arcs_
        rs = self.circuit.series_resistors()
        out: dict[str, Any] = {
            "circuit": self.circuit.string,
            "parameters": self.parameters_,
            "uncertainties": self.uncertainties_,
            "units": self.units_,
            "chi2": getattr(self, "chi2_", None),
            "weighting": self.weighting,
            "Rs_ohm": sum(self.parameters_[n] for n in rs) if rs else None,
            "arcs": arcs,
        }
        for role, key in (("sei", "Rsei_ohm"), ("charge_transfer", "Rct_ohm")):
            hit = [a["R_ohm"] for a in arcs if a["role"] == role]
            out[key] = hit[0] if hit else None
        return out


def fit_spectra(
    spectra: Iterable[ImpedanceSpectrum],
    circuit: str | Circuit,
    initial_guess: Mapping[str, float] | Sequence[float] | None = None,
    *,
    warm_start: bool = True,
    progress: bool = False,
    **kwargs: Any,
) -> list[EISFit]:
    """Fit one circuit to many spectra (e.g. EIS after every cycle).

    Parameters
    ----------
    spectra : iterable of ImpedanceSpectrum
    circuit, initial_guess, **kwargs
        As :class:`EISFit`.
    warm_start : bool
        Start each fit from the previous fitted parameters as well (spectra that change
        slowly converge faster and to the same branch of solutions).
    progress : bool
        Show a tqdm bar on stderr.

    Returns
    -------
    list of EISFit

    Raises
    ------
    ComputationError
        A fit failed; the message names the spectrum (index and source file).

    References
    ----------
    Seed 002 Supplementary Fig. 18 (spectra before and after cycling fitted with one circuit).
    """
    spectra = list(spectra)
    circ = circuit if isinstance(circuit, Circuit) else parse_circuit(circuit)
    it: Iterable[ImpedanceSpectrum] = spectra
    if progress:
        from tqdm import tqdm

        it = tqdm(spectra, desc="EIS fits", unit="spectrum")
    fits, guess = [], initial_guess
    for i, s in enumerate(it):
        try:
            fit = EISFit(circ, guess, **kwargs).fit(s)
        except ComputationError as exc:
            raise ComputationError(f"spectrum {i} ({s.source or 'in memory'}): {exc}") from exc
        fits.append(fit)
        if warm_start:
            guess = {n: v for n, v in fit.parameters_.items() if n not in fit.constants}
    return fits
