"""Fitting one circuit to many spectra, on all cores (contiguous chunks, warm starts)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from sianode.errors import ComputationError, ParameterError
from sianode.experiments.eis._circuit import Circuit, parse_circuit
from sianode.experiments.eis._fit import EISFit, EISFitWarning
from sianode.experiments.io.impedance_files import ImpedanceSpectrum

__all__ = ["fit_spectra"]


def fit_spectra(
    spectra: Iterable[ImpedanceSpectrum],
    circuit: str | Circuit,
    initial_guess: Mapping[str, float] | Sequence[float] | None = None,
    *,
    warm_start: bool = True,
    progress: bool | None = False,
    n_jobs: int | None = None,
    guesses: Sequence[Mapping[str, float] | Sequence[float] | None] | None = None,
    **kwargs: Any,
) -> list[EISFit]:
    """Fit one circuit to many spectra (e.g. EIS after every cycle), on all cores.

    Parameters
    ----------
    spectra : iterable of ImpedanceSpectrum
    circuit, initial_guess, **kwargs
        As :class:`EISFit`.
    warm_start : bool
        Start each fit from the previous fitted parameters as well (spectra that change
        slowly converge faster and to the same branch of solutions); with several processes
        the warm start runs within each contiguous chunk of spectra.
    progress : bool or None
        Progress and time left on stderr (:mod:`sianode.progress`; ``None``: if a terminal).
    n_jobs : int, optional
        Worker processes; default one per CPU core, in contiguous chunks of at least 4
        spectra (fewer spectra run in this process).
    guesses : sequence, optional
        One starting guess per spectrum (as ``initial_guess``; ``None`` entries allowed);
        takes the place of ``initial_guess`` and of the warm start.

    Returns
    -------
    list of EISFit
        In the order of ``spectra``; non-converged fits are flagged (``converged_``).

    Raises
    ------
    ComputationError
        A fit failed; the message names the spectrum (index and source file).

    References
    ----------
    Seed 002 Supplementary Fig. 18 (spectra before and after cycling fitted with one circuit).
    """
    from sianode.progress import Progress

    spectra = list(spectra)
    circ = circuit if isinstance(circuit, Circuit) else parse_circuit(circuit)
    if guesses is not None:
        guesses = list(guesses)
        if len(guesses) != len(spectra):
            raise ParameterError("guesses", f"{len(guesses)} guesses",
                                 f"one per spectrum ({len(spectra)})")
        warm_start = False
    jobs = (os.cpu_count() or 1) if n_jobs is None else int(n_jobs)
    if jobs < 1:
        raise ParameterError("n_jobs", n_jobs, "an integer >= 1")
    jobs = max(1, min(jobs, len(spectra) // 4))
    n_chunks = 1 if jobs == 1 else min(len(spectra), jobs * 8)
    bounds = np.linspace(0, len(spectra), n_chunks + 1).astype(int)
    per = guesses if guesses is not None else [initial_guess] * len(spectra)
    tasks = [(circ, spectra[a:b], a, per[a:b], warm_start, kwargs)
             for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    bar = Progress(len(spectra), "EIS fits", unit="spectrum", enabled=None if progress is None else bool(progress))
    fits: list[EISFit] = []
    with bar:
        if jobs == 1:
            for t in tasks:
                fits += _fit_chunk(t, bar)
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                for chunk in pool.map(_fit_chunk, tasks):
                    fits += chunk
                    bar.update(len(chunk))
    return fits


def _fit_chunk(task: tuple, bar: Any = None) -> list[EISFit]:
    circ, spectra, start, guesses, warm_start, kwargs = task
    out: list[EISFit] = []
    with warnings.catch_warnings():
        if bar is None:  # in a worker: flags travel with the results
            warnings.simplefilter("ignore", EISFitWarning)
        for i, s in enumerate(spectra, start=start):
            g = guesses[i - start]
            if warm_start and out:
                g = {n: v for n, v in out[-1].parameters_.items() if n not in out[-1].constants}
            try:
                fit = EISFit(circ, g, **kwargs).fit(s)
            except ComputationError as exc:
                raise ComputationError(f"spectrum {i} ({s.source or 'in memory'}): {exc}"
                                       ) from exc
            out.append(fit)
            if bar is not None:
                bar.update()
    return out
