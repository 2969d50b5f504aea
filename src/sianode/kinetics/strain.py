"""Strain and shear of a host cell, and detection of a collapsed or changed host.

Conventions (seed 001 Fig. 3b): ``strain`` is a *compressive* strain, positive when the
cell shrinks. ``kind="linear"`` reduces every lattice parameter by the factor ``1 - strain``
(the paper's "lattice parameters reduced by 5-10 %"); ``kind="volume"`` reduces the volume
by ``1 - strain`` (each length by ``(1 - strain)**(1/3)``). ``shear_deg`` sets the angle
gamma between the first two cell vectors (90 deg = no shear; the paper's gamma = 80 deg),
keeping their lengths; atoms keep their fractional coordinates.

References
----------
Seed 001, Fig. 3b and Methods (strained Li migration in Si).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sianode.validation import Interval, OneOf, check_params

if TYPE_CHECKING:  # pragma: no cover
    from ase import Atoms

__all__ = ["STRAIN_KINDS", "apply_strain", "HostChange", "compare_hosts"]

STRAIN_KINDS = ("linear", "volume")
_CONSTRAINTS = {
    "strain": Interval(-0.5, 0.5, left_closed=False, right_closed=False, allow_array=False),
    "kind": OneOf("strain kind", STRAIN_KINDS),
    "shear_deg": Interval(30.0, 150.0, allow_array=False),
}


def apply_strain(
    atoms: Atoms, strain: float = 0.0, *, kind: str = "linear", shear_deg: float | None = None
) -> Atoms:
    """Return a compressed and/or sheared copy of ``atoms`` (fractional coordinates kept).

    Parameters
    ----------
    atoms : ase.Atoms
        Periodic host (or host + interstitial) cell.
    strain : float
        Compressive strain, dimensionless (0.05 = 5 % compression); negative = tension.
    kind : str
        ``"linear"`` (each lattice parameter x (1 - strain)) or ``"volume"``
        (volume x (1 - strain)).
    shear_deg : float, optional
        New angle gamma [deg] between cell vectors a and b (lengths kept); None keeps it.

    Returns
    -------
    ase.Atoms
        New Atoms with the strained cell; no calculator attached.

    Raises
    ------
    ParameterError
        ``strain`` outside (-0.5, 0.5), ``shear_deg`` outside [30, 150].
    UnknownNameError
        Unknown ``kind``.

    References
    ----------
    Seed 001, Fig. 3b.

    Examples
    --------
    >>> from ase.build import bulk
    >>> round(apply_strain(bulk("Si", cubic=True), 0.05).cell.lengths()[0], 4)
    5.1585
    """
    import numpy as np
    from ase.geometry import cellpar_to_cell

    check_params({"strain": strain, "kind": kind, "shear_deg": shear_deg}, _CONSTRAINTS)
    factor = 1.0 - strain if kind == "linear" else (1.0 - strain) ** (1.0 / 3.0)
    out = atoms.copy()
    out.calc = None
    frac = out.get_scaled_positions(wrap=False)
    par = out.cell.cellpar()
    par[:3] *= factor
    if shear_deg is not None:
        par[5] = shear_deg
        new_cell = cellpar_to_cell(par)
    else:
        new_cell = np.asarray(out.cell) * factor
    out.set_cell(new_cell, scale_atoms=False)
    out.set_scaled_positions(frac)
    return out


@dataclass(frozen=True)
class HostChange:
    """How far a relaxed host moved away from its starting arrangement.

    Attributes
    ----------
    max_displacement_A : float
        Largest atomic displacement on relaxation [Å] (minimum image).
    coordination_before, coordination_after : float
        Mean number of neighbours within ``cutoff_A``.
    cutoff_A : float
        Neighbour cutoff [Å] (1.2 x the shortest starting distance).
    changed : bool
        True when the host collapsed or transformed (see :func:`compare_hosts`).
    """

    max_displacement_A: float
    coordination_before: float
    coordination_after: float
    cutoff_A: float
    changed: bool

    def as_dict(self) -> dict[str, float | bool]:
        """Plain-dict form (JSON output)."""
        return dict(self.__dict__)


def _mean_coordination(atoms: Atoms, cutoff: float) -> float:
    import numpy as np

    d = atoms.get_all_distances(mic=True)
    np.fill_diagonal(d, np.inf)
    return float((d < cutoff).sum(axis=1).mean())


def compare_hosts(
    before: Atoms, after: Atoms, *, max_displacement_A: float = 0.6
) -> HostChange:
    """Decide whether a relaxed host collapsed or changed structure.

    Parameters
    ----------
    before, after : ase.Atoms
        The same atoms (same order, same cell) before and after a fixed-cell relaxation.
    max_displacement_A : float
        Displacement above which the host counts as changed [Å].

    Returns
    -------
    HostChange
        ``changed`` is True when an atom moved more than ``max_displacement_A`` or the
        mean coordination within 1.2 x the shortest starting distance changed by > 0.5
        (e.g. diamond Si, 4-fold, going beta-Sn-like/6-fold under ~10 % compression).

    References
    ----------
    Seed 001 Fig. 3b (why a barrier in a collapsed host is meaningless).
    """
    import numpy as np
    from ase.geometry import find_mic

    d0 = before.get_all_distances(mic=True)
    np.fill_diagonal(d0, np.inf)
    cutoff = 1.2 * float(d0.min())
    disp, _ = find_mic(after.positions - before.positions, before.cell, pbc=True)
    max_disp = float(np.linalg.norm(disp, axis=1).max())
    c0, c1 = _mean_coordination(before, cutoff), _mean_coordination(after, cutoff)
    changed = max_disp > max_displacement_A or abs(c1 - c0) > 0.5
    return HostChange(max_disp, c0, c1, cutoff, changed)
