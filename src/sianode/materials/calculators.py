"""One factory for the universal ML potentials that run offline.

Every energy/force source in sianode is an :class:`ase.calculators.calculator.Calculator`;
this module only turns a registered name into one. Only potentials whose weights ship inside
their PyPI wheel are registered (nothing downloads at run time): SevenNet (``sevenn==0.13.0``:
7net-0, 7net-l3i5) and CHGNet (``chgnet==0.4.2``). Measured on one CPU core: a 64-atom Si cell
takes ~0.1 s (CHGNet) and ~0.3 s (7net-0) per energy+force call.

Energy scales (what :mod:`sianode.materials.relax` does with them):

- SevenNet-0 was trained on raw PBE (MPtrj) energies: MP2020 corrections must be applied
  afterwards (``energy_scale="GGA"``).
- CHGNet was trained on MP2020-corrected energies: its energies are already on the
  MP2020-compatible scale (``energy_scale="MP2020"``); correcting again would double count.

References
----------
Park et al., J. Chem. Theory Comput. 20, 4857 (2024), doi:10.1021/acs.jctc.4c00190 (SevenNet).
Deng et al., Nat. Mach. Intell. 5, 1031 (2023), doi:10.1038/s42256-023-00716-3 (CHGNet).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sianode.errors import DependencyError, ParameterError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    from ase.calculators.calculator import Calculator

__all__ = ["PotentialInfo", "POTENTIALS", "DEFAULT_POTENTIAL", "get_calculator", "potential_info"]


@dataclass(frozen=True)
class PotentialInfo:
    """A registered potential: how to build it and what scale its energies are on.

    Attributes
    ----------
    name : str
        Registry key (``"7net-0"``).
    package : str
        PyPI distribution that ships the weights.
    model : str
        Model name inside that package.
    energy_scale : str
        ``"GGA"`` (raw PBE; apply MP2020 yourself) or ``"MP2020"`` (already corrected).
    citation : str
        Reference to cite when the potential is used.
    """

    name: str
    package: str
    model: str
    energy_scale: str
    citation: str

    def as_dict(self) -> dict[str, str]:
        """Plain-dict form (for provenance records)."""
        return dict(self.__dict__)


_SEVENNET = "Park et al., J. Chem. Theory Comput. 20, 4857 (2024), doi:10.1021/acs.jctc.4c00190"
_CHGNET = "Deng et al., Nat. Mach. Intell. 5, 1031 (2023), doi:10.1038/s42256-023-00716-3"

#: Registered potentials (all load offline from their wheels).
POTENTIALS: dict[str, PotentialInfo] = {
    "7net-0": PotentialInfo("7net-0", "sevenn", "7net-0", "GGA", _SEVENNET),
    "7net-l3i5": PotentialInfo("7net-l3i5", "sevenn", "7net-l3i5", "GGA", _SEVENNET),
    "chgnet": PotentialInfo("chgnet", "chgnet", "0.3.0", "MP2020", _CHGNET),
}
#: The default for data and barriers (see the issue-3 note: closest to DFT barriers/energies).
DEFAULT_POTENTIAL = "7net-0"

_DEVICES = ("cpu", "cuda")


def potential_info(name: str) -> PotentialInfo:
    """Return the registry record of ``name``.

    Raises
    ------
    UnknownNameError
        If ``name`` is not registered.
    """
    try:
        return POTENTIALS[name]
    except KeyError:
        raise UnknownNameError("potential", name, POTENTIALS) from None


def _one_torch_thread() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)


def get_calculator(name: str = DEFAULT_POTENTIAL, device: str = "cpu") -> Calculator:
    """Build the ASE calculator of a registered universal potential.

    Parameters
    ----------
    name : str
        One of :data:`POTENTIALS` (``"7net-0"``, ``"7net-l3i5"``, ``"chgnet"``).
    device : str
        ``"cpu"`` or ``"cuda"``. On CPU torch is limited to one thread (two threads were
        5-15x slower on the shared 2-core build machine).

    Returns
    -------
    ase.calculators.calculator.Calculator
        Energies in eV, forces in eV/Å, stress in eV/Å³. The calculator object carries
        ``sianode_potential`` (the :class:`PotentialInfo`) and ``sianode_version``.

    Raises
    ------
    UnknownNameError
        Unknown potential name.
    ParameterError
        Unknown device.
    DependencyError
        The package of the potential is not installed (extra ``ml``).

    References
    ----------
    See :data:`POTENTIALS` for each potential's citation.

    Examples
    --------
    >>> calc = get_calculator("chgnet")  # doctest: +SKIP
    """
    info = potential_info(name)
    if device not in _DEVICES:
        raise ParameterError("device", device, f"one of {', '.join(_DEVICES)}")
    try:
        _one_torch_thread()
    except ImportError as exc:
        raise DependencyError("torch", "ml", f"the {name} potential") from exc
    from importlib.metadata import PackageNotFoundError, version

    try:
        pkg_version = version(info.package)
    except PackageNotFoundError as exc:
        raise DependencyError(info.package, "ml", f"the {name} potential") from exc
    import contextlib
    import sys

    calc: Any
    with contextlib.redirect_stdout(sys.stderr):  # keep stdout clean for --json output
        calc = _build(info, device)
    calc.sianode_potential = info
    calc.sianode_version = f"{info.package}=={pkg_version}:{info.model}"
    return calc


def _build(info: PotentialInfo, device: str) -> Any:
    calc: Any
    if info.package == "sevenn":
        import warnings

        from sevenn.calculator import SevenNetCalculator

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            calc = SevenNetCalculator(info.model, device=device)
    else:
        from chgnet.model import CHGNet
        from chgnet.model.dynamics import CHGNetCalculator

        model = CHGNet.load(model_name=info.model, verbose=False, use_device=device)
        calc = CHGNetCalculator(model=model, use_device=device)
    return calc
