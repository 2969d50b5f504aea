"""Starting values and bounds of an equivalent-circuit fit, read from the spectrum itself.

**Bounds** (:func:`parameter_bounds`) follow from the measured range: resistances between
1e-6 and 1e3 x the largest ``|Z|``; capacitances, CPE ``Q`` and Warburg time constants such
that the element's characteristic frequency lies within three decades of the measured band;
CPE ``alpha`` in [0.3, 1]. No fitted parameter can run off to 0 or infinity.

**Starts** (:func:`grid_starts`): a circuit that is a series of resistors, inductors,
capacitors, Warburg elements, finite Warburgs and ``R || CPE`` / ``R || C`` arcs is *linear*
in its resistances, ``sigma``, ``L``, ``1/C`` and ``Z0`` once each arc's characteristic
frequency ``f_c`` and exponent ``alpha`` (and each finite Warburg's ``tau``) are fixed:

    Z(f) = Rs + sum_k R_k / (1 + (j f / f_c,k)^alpha_k) + sigma (1 - j) / sqrt(w) + ...

So every combination of ``f_c`` on a log grid (4 per decade, one decade beyond each end of the
measured band) and ``alpha`` in {0.7, 0.85, 1} is solved by weighted linear least squares at
once (normal equations, batched), negative amplitudes clipped to zero; the best few
combinations that differ by at least a decade in some ``f_c`` become the starts of the
nonlinear fit. This finds the high-frequency intercept, the arcs' apex frequencies and
diameters and the low-frequency slope in one step, and it cannot miss an arc that a single
local start would merge with its neighbour. Circuits of another shape (nested elements) start
from :func:`feature_start`: the high-frequency intercept, apex frequencies of ``-Im Z`` and
the low-frequency Warburg slope.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from sianode.experiments.eis._circuit import Circuit, _Node

__all__ = ["parameter_bounds", "grid_starts", "feature_start"]

_ALPHAS = (0.7, 0.85, 1.0)
_MAX_COMBOS = 40_000


def _scales(f: np.ndarray, z: np.ndarray) -> tuple[float, float, float]:
    zmax = float(np.max(np.abs(z)))
    return max(zmax, 1e-12), 2 * math.pi * float(np.min(f)), 2 * math.pi * float(np.max(f))


def parameter_bounds(circuit: Circuit, f: np.ndarray, z: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) of every parameter of ``circuit`` for this spectrum (see module doc)."""
    zmax, wmin, wmax = _scales(f, z)
    r = (1e-6 * zmax, 1e3 * zmax)
    w_lo, w_hi = wmin * 1e-3, wmax * 1e3  # characteristic angular frequencies allowed
    per_type = {
        "R": {"R": r},
        "C": {"C": (1.0 / (r[1] * w_hi), 1.0 / (r[0] * w_lo))},
        "L": {"L": (1e-6 * zmax / wmax, 1e3 * zmax / wmin)},
        "CPE": {"Q": (1.0 / (r[1] * w_hi), 1.0 / (r[0] * w_lo ** 0.3)), "alpha": (0.3, 1.0)},
        "W": {"sigma": (1e-6 * zmax * math.sqrt(wmin), 1e3 * zmax * math.sqrt(wmax))},
        "Wo": {"Z0": r, "tau": (1.0 / w_hi, 1.0 / w_lo)},
        "Ws": {"Z0": r, "tau": (1.0 / w_hi, 1.0 / w_lo)},
    }
    lo, hi = [], []
    for name in circuit.parameter_names:
        el, _, pname = name.partition("_")
        etype = dict(circuit.elements)[el]
        from sianode.experiments.eis._circuit import ELEMENT_TYPES

        pname = pname or ELEMENT_TYPES[etype].params[0]
        a, b = per_type[etype][pname]
        lo.append(a)
        hi.append(b)
    return np.asarray(lo), np.asarray(hi)


@dataclass
class _Term:
    """A top-level series term: linear columns, or a family of basis shapes (a block)."""

    kind: str  # "R", "L", "C", "W", "arc", "Wo", "Ws"
    names: tuple[str, ...]  # element names (arc: R name, C/CPE name)
    ctype: str = ""  # arc: "C" or "CPE"


def _terms(circuit: Circuit) -> list[_Term] | None:
    tops = circuit.root.children if circuit.root.kind == "series" else (circuit.root,)
    out = []
    for node in tops:
        if node.kind == "element" and node.etype in ("R", "L", "C", "W", "Wo", "Ws"):
            out.append(_Term(node.etype, (node.name,)))
        elif node.kind == "parallel" and _is_arc(node):
            types = {c.etype: c.name for c in node.children}
            cap = "CPE" if "CPE" in types else "C"
            out.append(_Term("arc", (types["R"], types[cap]), cap))
        else:
            return None
    return out


def _is_arc(node: _Node) -> bool:
    if len(node.children) != 2 or not all(c.kind == "element" for c in node.children):
        return False
    types = sorted(c.etype for c in node.children)
    return types in (["C", "R"], ["CPE", "R"])


def grid_starts(circuit: Circuit, f: np.ndarray, z: np.ndarray, weight: np.ndarray,
                n_best: int = 3, per_decade: int = 4) -> list[dict[str, float]] | None:
    """Starting values from the batched linear solve over time-constant grids.

    Returns ``None`` when the circuit is not a series of the supported terms.
    """
    terms = _terms(circuit)
    if terms is None:
        return None
    zmax, wmin, wmax = _scales(f, z)
    w = 2 * np.pi * f
    jw = 1j * w
    lin = [t for t in terms if t.kind in ("R", "L", "C", "W")]
    blocks = [t for t in terms if t.kind in ("arc", "Wo", "Ws")]
    lin_cols = []
    for t in lin:
        lin_cols.append({"R": np.ones_like(jw), "L": jw, "C": 1.0 / jw,
                         "W": (1 - 1j) / np.sqrt(w)}[t.kind])
    # grids per block, coarsened until the number of combinations is manageable
    decades = math.log10(wmax / wmin) + 3  # 1.5 decades beyond each end
    for d, alphas in ((per_decade, _ALPHAS), (3, _ALPHAS), (2, (0.75, 0.95)), (2, (0.85,)),
                      (1, (0.85,))):
        wc = np.geomspace(wmin / 30, wmax * 30, max(int(round(decades * d)) + 1, 2))
        params = [_grid(t, wc, alphas) for t in blocks]
        combos = _combos(blocks, params)
        if len(combos) <= _MAX_COMBOS:
            break
    if len(combos) > _MAX_COMBOS:
        return None
    shapes = [_shape_columns(t, prm, jw) for t, prm in zip(blocks, params, strict=True)]
    y = np.concatenate([(z / weight).real, (z / weight).imag])

    def real(col: np.ndarray) -> np.ndarray:
        c = col / weight
        return np.concatenate([c.real, c.imag])

    a_lin = np.array([real(c) for c in lin_cols]).reshape(len(lin_cols), -1)  # (L, 2n)
    bases = [np.array([real(col) for col in sh]).reshape(len(sh), -1) for sh in shapes]
    if len(combos) == 0:
        return None
    n_l, n_b = len(lin_cols), len(blocks)
    k = n_l + n_b
    allb = np.concatenate([a_lin, *bases]) if n_b else a_lin  # (L + sum m_b, 2n)
    offsets = np.cumsum([n_l] + [len(b) for b in bases])[:-1] if n_b else np.array([], int)
    gram = allb @ allb.T
    rhs_all = allb @ y
    cols = np.concatenate([np.tile(np.arange(n_l), (len(combos), 1)),
                           combos + offsets[None, :]], axis=1)
    m = gram[cols[:, :, None], cols[:, None, :]]  # (C, k, k)
    rhs = rhs_all[cols]  # (C, k)
    ridge = 1e-12 * np.trace(m, axis1=1, axis2=2)[:, None, None] * np.eye(k)
    try:
        coef = np.linalg.solve(m + ridge, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        coef = np.einsum("cij,cj->ci", np.linalg.pinv(m + ridge), rhs)
    coef = np.where(np.isfinite(coef), np.maximum(coef, 0.0), 0.0)
    cost = float(y @ y) - 2 * np.einsum("ci,ci->c", coef, rhs) + np.einsum(
        "ci,cij,cj->c", coef, m, coef)
    order = np.argsort(cost)
    chosen: list[int] = []
    for c in order:
        if len(chosen) >= n_best:
            break
        pos = np.log10([params[b][i][0] for b, i in enumerate(combos[c])]) * d
        if all(np.max(np.abs(pos - np.log10([params[b][i][0] for b, i in enumerate(combos[o])])
                             * d), initial=0.0) >= d for o in chosen):
            chosen.append(int(c))
    out = []
    for c in chosen:
        g: dict[str, float] = {}
        floor = 1e-4 * zmax
        for t, val in zip(lin, coef[c, :n_l], strict=True):
            name = t.names[0]
            if t.kind == "R":
                g[name] = max(val, floor)
            elif t.kind == "L":
                g[name] = max(val, 1e-4 * zmax / wmax)
            elif t.kind == "C":
                g[name] = 1.0 / max(val, floor * wmin)
            else:
                g[name] = max(val, floor * math.sqrt(wmin))
        for b, (t, val) in enumerate(zip(blocks, coef[c, n_l:], strict=True)):
            wcb, alpha = params[b][combos[c, b]]
            amp = max(val, floor)
            if t.kind == "arc":
                rn, cn = t.names
                g[rn] = amp
                if t.ctype == "CPE":
                    g[f"{cn}_Q"] = 1.0 / (amp * wcb**alpha)
                    g[f"{cn}_alpha"] = alpha
                else:
                    g[cn] = 1.0 / (amp * wcb)
            else:
                g[f"{t.names[0]}_Z0"] = amp
                g[f"{t.names[0]}_tau"] = 1.0 / wcb
        out.append(g)
    return out


def _grid(t: _Term, wc: np.ndarray, alphas: tuple[float, ...]) -> list[tuple[float, float]]:
    """(w_c, alpha) of every basis shape of one block."""
    al = alphas if (t.kind == "arc" and t.ctype == "CPE") else (1.0,)
    return [(float(x), float(a)) for a in al for x in wc]


def _shape_columns(t: _Term, params: list[tuple[float, float]], jw: np.ndarray
                   ) -> list[np.ndarray]:
    """Unit-amplitude impedance of each basis shape."""
    out = []
    with np.errstate(all="ignore"):
        for wc, a in params:
            if t.kind == "arc":
                out.append(1.0 / (1.0 + (jw / wc) ** a))
            else:
                s = np.sqrt(jw / wc)
                out.append(1.0 / (s * np.tanh(s)) if t.kind == "Wo" else np.tanh(s) / s)
    return out


def _combos(blocks: list[_Term], params: list[list[tuple[float, float]]]) -> np.ndarray:
    """Index combinations; blocks of one kind are ordered by decreasing w_c (no permutations)."""
    if not blocks:
        return np.zeros((1, 0), dtype=np.int64)
    sizes = [len(p) for p in params]
    if math.prod(sizes) > 50 * _MAX_COMBOS:
        return np.zeros((50 * _MAX_COMBOS + 1, len(blocks)), dtype=np.int64)  # too many
    grid = np.indices(sizes).reshape(len(blocks), -1).T
    wcs = [np.array([w for w, _ in p]) for p in params]
    keep = np.ones(len(grid), dtype=bool)
    kinds = [(t.kind, t.ctype) for t in blocks]
    for i, j in itertools.combinations(range(len(blocks)), 2):
        if kinds[i] == kinds[j]:
            keep &= wcs[i][grid[:, i]] > wcs[j][grid[:, j]]
    return grid[keep]


def feature_start(circuit: Circuit, f: np.ndarray, z: np.ndarray) -> dict[str, float]:
    """Starting values from spectrum features, for circuits :func:`grid_starts` cannot take.

    High-frequency intercept -> series resistance; the spread of ``Re Z`` -> arc
    resistances; apex frequencies of ``-Im Z`` (or a log-spread) -> arc time constants;
    ``-Im Z sqrt(w)`` at the lowest frequencies -> Warburg ``sigma``.
    """
    order = np.argsort(f)[::-1]
    f, z = f[order], z[order]
    zmax, wmin, wmax = _scales(f, z)
    r_hf = max(float(np.min(z.real[: max(3, len(z) // 10)])), 1e-3 * zmax)
    span = max(float(np.max(z.real)) - r_hf, 1e-3 * zmax)
    blocks = circuit.rc_blocks()
    nb = max(len(blocks), 1)
    y = -z.imag
    peaks = [i for i in range(1, len(y) - 1) if y[i] >= y[i - 1] and y[i] >= y[i + 1]
             and y[i] > 0.05 * np.max(np.abs(y))]
    fcs = sorted((float(f[i]) for i in peaks), reverse=True)[:nb]
    spread = list(np.geomspace(float(f[0]) / 10, float(f[-1]) * 10, nb + 2)[1:-1])
    while len(fcs) < nb:
        fcs.append(spread[len(fcs)])
    fcs.sort(reverse=True)
    series_r = set(circuit.series_resistors())
    g: dict[str, float] = {}
    cap_of = {}
    for b, (rn, cn, _ctype) in enumerate(blocks):
        g[rn] = span / nb
        cap_of[cn] = (span / nb, 2 * np.pi * fcs[b])
    sqrtw = np.sqrt(2 * np.pi * f[-3:])
    for name, etype in circuit.elements:
        if etype == "R" and name not in g:
            g[name] = r_hf / max(len(series_r), 1) if name in series_r else span / nb
        elif etype == "CPE":
            r, wc = cap_of.get(name, (span / nb, math.sqrt(wmin * wmax)))
            g[f"{name}_Q"] = 1.0 / (r * wc**0.85)
            g[f"{name}_alpha"] = 0.85
        elif etype == "C":
            r, wc = cap_of.get(name, (span / nb, math.sqrt(wmin * wmax)))
            g[name] = 1.0 / (r * wc)
        elif etype == "L":
            g[name] = 1e-3 * zmax / wmax
        elif etype == "W":
            g[name] = max(float(np.median(np.abs(z[-3:].imag) * sqrtw)), 1e-3 * span)
        elif etype in ("Wo", "Ws"):
            g[f"{name}_Z0"] = 0.3 * span
            g[f"{name}_tau"] = 1.0 / wmin
    return g
