"""Equivalent-circuit fitting of impedance spectra, estimator style.

The optimiser is scipy's ``least_squares`` (trust-region reflective) on the natural
logarithms of the parameters with the circuit's exact Jacobian, inside bounds read from the
spectrum (:func:`sianode.experiments.eis._guess.parameter_bounds`), so every parameter stays
positive, finite and ``alpha <= 1``; the residual vector stacks real and imaginary misfits,
divided by ``|Z|`` (``weighting = "modulus"``, the default) or not (``"unit"``).

Starts: the user's ``initial_guess`` (if any), then starting values read from the spectrum
(high-frequency intercept, arc apex frequencies and diameters, low-frequency slope; a batched
linear solve over arc time constants, :func:`~sianode.experiments.eis._guess.grid_starts`);
the best optimum is kept and the search stops once two starts agree. A fit never returns
non-finite parameters (:class:`~sianode.errors.ComputationError` instead); one that stops
without converging, with a parameter pinned at a bound, or with a parameter whose standard
error reaches its value, is flagged (``converged_``, ``at_bounds_``,
``poorly_determined_``) with its residual (``residual_rms_``) and a warning. Parameter
standard errors come from the Jacobian at the optimum, ``cov = s^2 (J^T J)^-1`` with
``s^2 = SSR / (2N - p)``, carried from log to linear parameters by
``sigma_p = p sigma_ln p``; this is what
``scipy.optimize.curve_fit`` (and so impedance.py) reports with ``absolute_sigma=False``.

Which arc is which (the documented rule): every parallel ``R || CPE`` (or ``R || C``) block
gets a characteristic frequency ``f_c = 1 / (2 pi (R Q)^(1/alpha))`` and an effective
capacitance ``C_eff = Q^(1/alpha) R^((1-alpha)/alpha)`` (Hsu & Mansfeld). The block with the
highest ``f_c`` is the SEI (ion transport through a thin surface film: small capacitance),
the block with the lowest ``f_c`` is charge transfer (double-layer capacitance, larger),
blocks in between are left ``"unassigned"``; a single block is charge transfer. Top-level
series resistors sum to ``Rs``. An arc is ``resolved`` only if its apex lies inside the
measured band, at least a decade from its neighbours' apexes, its diameter is at least 5 % of
``|Z|`` at its apex, its R is known to 25 % and its CPE exponent is at least 0.5
(:data:`ALPHA_MIN_RESOLVED`: a flatter "arc" cannot be told from a Warburg); otherwise the
data do not fix which arc is which (``unresolved_because`` says why) and ``summary()["arcs_resolved"]`` is False.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sianode.errors import ComputationError, InputError, ParameterError, UnknownNameError
from sianode.experiments.eis._circuit import Circuit, parse_circuit
from sianode.experiments.eis._guess import feature_start, grid_starts, parameter_bounds
from sianode.experiments.eis._model import jacobian_model
from sianode.experiments.io.impedance_files import ImpedanceSpectrum

__all__ = ["EISFit", "WEIGHTINGS", "EISFitWarning"]

WEIGHTINGS = ("modulus", "unit")


#: An arc whose CPE exponent is below this is not resolved: its phase stays under 45°, the
#: Warburg's, so the data cannot tell it from diffusion (real SEI and charge-transfer arcs
#: have 0.6-1).
ALPHA_MIN_RESOLVED = 0.5


class EISFitWarning(RuntimeWarning):
    """A fit stopped without converging or with a parameter at a bound (see its flags)."""


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
        Most starting points tried: ``initial_guess`` (if given), then the starts read from
        the spectrum, then random perturbations of the best; the best optimum is kept, and
        the search stops as soon as two starts reach the same best cost (relative 1e-6).
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
    converged_ : bool
        The optimiser met its tolerance (not stopped by the evaluation limit).
    at_bounds_ : tuple of str
        Free parameters at a bound of :func:`parameter_bounds` (``alpha = 1`` excepted): the
        data do not fix them (an arc that vanishes, a Warburg outside the band).
    poorly_determined_ : tuple of str
        Other free parameters whose standard error is at least their value (or infinite):
        flagged with a warning, like ``at_bounds_``.
    residual_rms_ : float
        Root-mean-square weighted residual (relative misfit for ``"modulus"`` weighting).
    n_starts_used_ : int
        Local fits run.

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

    # ---- fitting ---------------------------------------------------------------------
    def fit(self, data: ImpedanceSpectrum | tuple[Any, Any]) -> EISFit:
        """Fit the circuit to ``data`` (an :class:`ImpedanceSpectrum` or ``(f, Z)``).

        Raises
        ------
        InputError
            Fewer data values (2 per frequency) than free parameters.
        ComputationError
            No start reached a finite optimum (never a silent non-finite result).

        Warns
        -----
        EISFitWarning
            The best optimum did not converge or has parameters at a bound (flags set).
        """
        from scipy.optimize import least_squares

        s = _as_spectrum(data)
        circ = self.circuit
        names = circ.parameter_names
        free = [n for n in names if n not in self.constants]
        if 2 * len(s) <= len(free):
            raise InputError(f"{len(s)} frequencies give {2 * len(s)} values, fewer than the "
                             f"{len(free)} free parameters of {circ.string!r}")
        f, z = s.frequency_Hz, s.z_ohm
        w = np.abs(z) if self.weighting == "modulus" else np.ones_like(f)
        w = np.where(w > 0, w, max(float(np.max(w)), 1e-300))
        idx = np.array([names.index(n) for n in free], dtype=np.int64)
        blo, bhi = parameter_bounds(circ, f, z)
        for n, v in self.initial_guess.items():  # a user's guess widens the bounds
            k = names.index(n)
            blo[k], bhi[k] = min(blo[k], v / 10), max(bhi[k], v * 10)
        for k, (a, b) in enumerate(circ.bounds):  # and the physical ones (alpha <= 1) hold
            blo[k], bhi[k] = max(blo[k], a), min(bhi[k], b)
        lo, hi = np.log(blo[idx]), np.log(bhi[idx])
        full = np.array([self.constants.get(n, np.nan) for n in names])
        evaluate = jacobian_model(circ, f)
        span = hi - lo
        cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

        def model(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Residuals and their Jacobian in ln(parameter)."""
            key = x.tobytes()
            if key not in cache:
                cache.clear()
                p = full.copy()
                p[idx] = np.exp(x)
                zm, jac = evaluate(p)
                d = (z - zm) / w
                r = np.concatenate([d.real, d.imag])
                dj = -(jac[:, idx] * p[idx]) / w[:, None]
                j = np.concatenate([dj.real, dj.imag])
                cache[key] = (np.where(np.isfinite(r), r, 1e10),
                              np.where(np.isfinite(j), j, 0.0))
            return cache[key]

        # bounds by a smooth map u -> x = lo + span * sigmoid(u), so MINPACK's
        # Levenberg-Marquardt (fast, no bound handling) can run
        def x_of(u: np.ndarray) -> np.ndarray:
            return lo + span / (1.0 + np.exp(-np.clip(u, -40, 40)))

        def fun(u: np.ndarray) -> np.ndarray:
            return model(x_of(u))[0]

        def jac(u: np.ndarray) -> np.ndarray:
            sg = 1.0 / (1.0 + np.exp(-np.clip(u, -40, 40)))
            return model(x_of(u))[1] * (span * sg * (1 - sg))[None, :]

        def local(x0: np.ndarray, budget: int) -> Any:
            t0 = np.clip((x0 - lo) / span, 1e-6, 1 - 1e-6)
            try:
                res = least_squares(fun, np.log(t0 / (1 - t0)), jac=jac, method="lm",
                                    x_scale="jac", max_nfev=budget)
            except (ValueError, FloatingPointError, np.linalg.LinAlgError):
                return None
            if not (np.isfinite(res.cost) and np.all(np.isfinite(res.x))):
                return None
            res.x = x_of(res.x)
            res.jac = model(res.x)[1]
            return res

        # phase 1: a short run from every start; phase 2: the best ones to convergence,
        # until two agree (or n_starts local fits have run)
        rng = np.random.default_rng(self.random_state)
        starts = self._starts(circ, f, z, w)
        while len(starts) < self.n_starts:  # random perturbations of the first start
            starts.append({n: v * float(np.exp(rng.normal(0, 0.7)))
                           for n, v in starts[0].items()})
        x0s = [np.clip(np.log([max(g.get(n, 1.0), 1e-300) for n in free]), lo, hi)
               for g in starts[: self.n_starts]]
        n_free = len(free)
        if len(x0s) > 1:
            scouts = [local(x, 10 * (n_free + 1)) for x in x0s]
            order = sorted(range(len(x0s)), key=lambda i: np.inf if scouts[i] is None
                           else scouts[i].cost)
        else:
            scouts, order = [None], [0]
        best, costs, n_used = None, [], 0
        for i in order:
            start = scouts[i].x if scouts[i] is not None else x0s[i]
            res = local(start, 60 * (n_free + 1))
            n_used += 1
            if res is None:
                continue
            costs.append(res.cost)
            if best is None or res.cost < best.cost:
                best = res
            if sum(c <= best.cost * (1 + 1e-6) + 1e-300 for c in costs) >= 2:
                break
        if best is None:
            raise ComputationError(f"fit of {circ.string!r} failed from every start")
        self._store(best, full, idx, names, free, s, lo, hi, n_used)
        return self

    def _starts(self, circ: Circuit, f: np.ndarray, z: np.ndarray, w: np.ndarray
                ) -> list[dict[str, float]]:
        spectrum = grid_starts(circ, f, z, w, n_best=max(self.n_starts - 1, 1)) or \
            [feature_start(circ, f, z)]
        starts = []
        if self.initial_guess:
            starts.append({**spectrum[0], **self.initial_guess})
        starts += spectrum
        return [{**g, **self.constants} for g in starts]

    def _store(self, best: Any, full: np.ndarray, idx: np.ndarray, names: Sequence[str],
               free: Sequence[str], s: ImpedanceSpectrum, lo: np.ndarray, hi: np.ndarray,
               n_used: int) -> None:
        p = full.copy()
        p[idx] = np.exp(best.x)
        z_fit = self.circuit.impedance(p, s.frequency_Hz)
        if not (np.all(np.isfinite(p)) and np.all(np.isfinite(z_fit))):
            raise ComputationError(f"fit of {self.circuit.string!r} reached non-finite "
                                   "parameters or impedance")
        n_res = 2 * len(s)
        dof = max(n_res - len(free), 1)
        s2 = 2 * best.cost / dof
        jtj = best.jac.T @ best.jac
        try:
            cov_ln = np.linalg.inv(jtj) * s2
        except np.linalg.LinAlgError:
            cov_ln = np.full_like(jtj, np.inf)
        pf = np.exp(best.x)
        with np.errstate(invalid="ignore", over="ignore"):
            cov = cov_ln * np.outer(pf, pf)
            sig = np.sqrt(np.clip(np.diag(cov), 0, None))
        sig = np.where(np.isfinite(sig), sig, np.inf)
        self.parameters_ = {n: float(v) for n, v in zip(names, p, strict=True)}
        self.uncertainties_ = dict.fromkeys(names, 0.0)
        self.uncertainties_.update({n: float(v) for n, v in zip(free, sig, strict=True)})
        self.covariance_ = cov
        self.free_parameters_ = tuple(free)
        self.chi2_ = float(s2)
        self.z_fit_ = z_fit
        self.spectrum_ = s
        self.converged_ = bool(best.status > 0)
        self.success_ = self.converged_
        tol = 1e-6 * np.maximum(hi - lo, 1.0)
        pinned = [n for n, x, a, b, t in zip(free, best.x, lo, hi, tol, strict=True)
                  if (x - a < t or b - x < t)
                  and not (n.endswith("_alpha") and b - x < t and abs(b) < 1e-12)]
        self.at_bounds_ = tuple(pinned)
        self.poorly_determined_ = tuple(
            n for n, v, e in zip(free, pf, sig, strict=True)
            if n not in pinned and not e < abs(v))
        self.residual_rms_ = float(math.sqrt(2 * best.cost / n_res))
        self.n_starts_used_ = int(n_used)
        if not self.converged_ or self.at_bounds_ or self.poorly_determined_:
            why = ("did not converge" if not self.converged_ else "; ".join(filter(None, (
                self.at_bounds_ and f"has {', '.join(self.at_bounds_)} at a bound (not "
                                    "fixed by the data)",
                self.poorly_determined_ and f"has {', '.join(self.poorly_determined_)} "
                                            "uncertain by 100 % or more"))))
            warnings.warn(f"fit of {self.circuit.string!r} to {s.source or 'the spectrum'} "
                          f"{why}; residual rms {self.residual_rms_:.3g}", EISFitWarning,
                          stacklevel=3)

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
                         "alpha": float(a), "role": "unassigned",
                         "f_c_in_measured_range": inside})
        arcs.sort(key=lambda a: -a["f_c_Hz"])
        if arcs:
            arcs[-1]["role"] = "charge_transfer"
        if len(arcs) >= 2:
            arcs[0]["role"] = "sei"
        spec = getattr(self, "spectrum_", None)
        for k, arc in enumerate(arcs):
            why = []
            if spec is not None and not arc["f_c_in_measured_range"]:
                why.append("apex outside the measured band")
            near = [arcs[j]["f_c_Hz"] for j in (k - 1, k + 1) if 0 <= j < len(arcs)]
            if any(max(fc, arc["f_c_Hz"]) / min(fc, arc["f_c_Hz"]) < 10 for fc in near):
                why.append("within a decade of another arc")
            if spec is not None:
                z_apex = abs(complex(self.predict([arc["f_c_Hz"]])[0]))
                if arc["R_ohm"] < 0.05 * z_apex:
                    why.append("diameter below 5 % of |Z| at its apex")
            if not arc["R_err_ohm"] <= 0.25 * arc["R_ohm"]:
                why.append("R uncertain by more than 25 %")
            if arc["alpha"] < ALPHA_MIN_RESOLVED:
                why.append(f"CPE exponent {arc['alpha']:.2f} below {ALPHA_MIN_RESOLVED:g} "
                           "(flatter than a Warburg: not told apart from diffusion)")
            arc["resolved"] = not why
            arc["unresolved_because"] = "; ".join(why)
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
            "residual_rms": getattr(self, "residual_rms_", None),
            "converged": getattr(self, "converged_", None),
            "at_bounds": list(getattr(self, "at_bounds_", ())),
            "poorly_determined": list(getattr(self, "poorly_determined_", ())),
            "arcs_resolved": all(a["resolved"] for a in arcs),
            "weighting": self.weighting,
            "Rs_ohm": sum(self.parameters_[n] for n in rs) if rs else None,
            "arcs": arcs,
        }
        for role, key in (("sei", "Rsei_ohm"), ("charge_transfer", "Rct_ohm")):
            hit = [a["R_ohm"] for a in arcs if a["role"] == role]
            out[key] = hit[0] if hit else None
        return out
