"""Meshes of the field models: a layered periodic anode|SSE cell and an axisymmetric particle.

Built with scikit-fem's own generators (no gmsh needed). Lengths are in micrometres.

The layered cell (seed 002, Fig. 2i,j: "a periodicity simplified 2D structure") is one period
of width ``width_um``; layers stack from the current collector (y = 0, first layer) to the
counter side (top of the last layer). The last layer is the electrolyte: it touches the layer
beneath only over a centred strip of ``contact_fraction`` of the width; elsewhere its lowest
``void_depth_um`` is a pore. The cell is mirror-symmetric, so zero-flux / roller sides are the
periodic conditions of the repeated structure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sianode.errors import DependencyError, ParameterError
from sianode.validation import POSITIVE, Interval, check_params

__all__ = ["Layer", "LayeredCell", "LayeredMesh", "MAX_MESH_NODES", "MAX_PARTICLE_REFINE",
           "check_mesh_size", "parse_design", "layered_mesh", "mesh_nodes_estimate",
           "particle_mesh"]

#: Largest layered mesh built [nodes]: P1 conduction on 200k nodes takes ~2.5 s per front
#: step on one core, and the front needs hundreds of steps.
MAX_MESH_NODES = 200_000
#: Largest particle refinement: 7 gives ~130k elasticity DOFs (each level x4).
MAX_PARTICLE_REFINE = 7
#: Lengths of the field models [µm]: above 1 mm a continuum "layer" is a whole cell.
_LENGTH_UM = Interval(0.0, 1000.0, left_closed=False, reason="length of a field model [µm]")


def _skfem():
    try:
        import skfem
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise DependencyError("scikit-fem", "fields", "finite-element field models") from exc
    return skfem


@dataclass(frozen=True)
class Layer:
    """One layer of the stack: a material key and a thickness [µm] (> 0)."""

    material: str
    thickness_um: float

    def __post_init__(self) -> None:
        check_params({"thickness_um": self.thickness_um}, {"thickness_um": _LENGTH_UM})


@dataclass(frozen=True)
class LayeredCell:
    """Geometry of one period of a layered anode | electrolyte cell.

    Parameters
    ----------
    layers : sequence of Layer
        Bottom (current collector) to top (electrolyte, counter side); at least two.
    width_um : float
        Period [µm].
    contact_fraction : float
        Fraction of the width where the electrolyte touches the layer below, in (0, 1].
    void_depth_um : float
        Depth of the pores at the bottom of the electrolyte [µm]; < its thickness.

    References
    ----------
    seed 002, Fig. 2i,j and "Modeling and simulation" (periodic 2D model).
    """

    layers: tuple[Layer, ...]
    width_um: float = 10.0
    contact_fraction: float = 0.5
    void_depth_um: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", tuple(self.layers))
        if len(self.layers) < 2:
            raise ParameterError(
                "layers", [ly.material for ly in self.layers],
                "at least two layers (anode ... electrolyte)",
            )
        check_params(
            {"width_um": self.width_um, "contact_fraction": self.contact_fraction,
             "void_depth_um": self.void_depth_um},
            {"width_um": _LENGTH_UM, "contact_fraction": Interval(0, 1, left_closed=False),
             "void_depth_um": _LENGTH_UM},
        )
        top = self.layers[-1].thickness_um
        if self.contact_fraction < 1 and self.void_depth_um >= top:
            raise ParameterError("void_depth_um", self.void_depth_um,
                                 f"< the electrolyte thickness ({top:g} µm)")

    @property
    def interfaces_um(self) -> tuple[float, ...]:
        """Heights of the internal interfaces [µm], bottom to top."""
        return tuple(np.cumsum([ly.thickness_um for ly in self.layers])[:-1].tolist())

    @property
    def height_um(self) -> float:
        """Total height [µm]."""
        return float(sum(ly.thickness_um for ly in self.layers))

    @property
    def contact_um(self) -> tuple[float, float]:
        """x-range of the electrolyte contact strip [µm]."""
        f, w = self.contact_fraction, self.width_um
        return (0.5 * w * (1 - f), 0.5 * w * (1 + f))


def parse_design(
    design: str | Sequence[str], thickness_um: Sequence[float] | None = None
) -> tuple[Layer, ...]:
    """Turn ``"si,li21si5,sse"`` and thicknesses into layers.

    Parameters
    ----------
    design : str or sequence of str
        Comma-separated material keys, bottom to top.
    thickness_um : sequence of float, optional
        One thickness per layer [µm]; defaults: si 8, li21si5 2, sse 4, other 2.

    Raises
    ------
    ParameterError
        Empty design, a count mismatch, or a non-positive thickness.

    References
    ----------
    seed 002, Fig. 2i,j (Si|SSE and Si|Li21Si5|SSE).
    """
    names = [s.strip().lower() for s in (design.split(",") if isinstance(design, str)
                                         else design) if s.strip()]
    if not names:
        raise ParameterError("design", design, "a non-empty comma-separated layer list")
    defaults = {"si": 8.0, "li21si5": 2.0, "sse": 4.0}
    if thickness_um is None:
        thickness_um = [defaults.get(n, 2.0) for n in names]
    if len(thickness_um) != len(names):
        raise ParameterError("thickness_um", list(thickness_um),
                             f"{len(names)} values, one per layer of {names}")
    layers = []
    for i, (n, t) in enumerate(zip(names, thickness_um)):
        try:
            layers.append(Layer(n, float(t)))
        except ParameterError as exc:
            raise ParameterError(f"thickness_um[{i}]", t, exc.expected) from None
    return tuple(layers)


@dataclass(frozen=True)
class LayeredMesh:
    """A triangulated layered cell.

    Attributes
    ----------
    mesh : skfem.MeshTri
        Coordinates in µm.
    layer_index : ndarray of int
        Layer of each element (index into ``cell.layers``).
    cell : LayeredCell
    h_um : float
        Target element size [µm].
    """

    mesh: object
    layer_index: np.ndarray
    cell: LayeredCell
    h_um: float

    @property
    def materials(self) -> tuple[str, ...]:
        return tuple(ly.material for ly in self.cell.layers)


def _breaks(points: Sequence[float], h: float) -> np.ndarray:
    pts = sorted(set(round(p, 12) for p in points))
    out = [pts[0]]
    for a, b in zip(pts[:-1], pts[1:]):
        n = max(1, math.ceil((b - a) / h - 1e-9))
        out.extend(np.linspace(a, b, n + 1)[1:].tolist())
    return np.asarray(out)


def mesh_nodes_estimate(cell: LayeredCell, h_um: float) -> float:
    """Number of nodes [-] :func:`layered_mesh` would build (from the break points alone).

    Returns a float (``inf`` for absurdly small ``h_um``) so that it can be compared with
    :data:`MAX_MESH_NODES` before any array is allocated.
    """
    check_params({"h_um": h_um}, {"h_um": POSITIVE})
    x0, x1 = cell.contact_um
    ys = [0.0, *cell.interfaces_um, cell.height_um]
    xb = sorted({0.0, cell.width_um} | ({x0, x1} if cell.contact_fraction < 1 else set()))
    yb = sorted(set(ys) | ({ys[-2] + cell.void_depth_um} if cell.contact_fraction < 1 else set()))

    def count(points: list[float]) -> float:
        return 1.0 + sum(max(1.0, math.ceil(min((b - a) / h_um, 1e300)))
                         for a, b in zip(points[:-1], points[1:]))

    return count(xb) * count(yb)


def check_mesh_size(cell: LayeredCell, h_um: float, name: str = "h_um") -> None:
    """Refuse an element size coarser than the thinnest layer, or so fine that the mesh would
    have more than :data:`MAX_MESH_NODES` nodes.

    Raises
    ------
    ParameterError
        Names ``name``, the node count and the element sizes allowed.
    """
    thinnest = min(ly.thickness_um for ly in cell.layers)
    if math.isfinite(h_um) and h_um > thinnest:
        raise ParameterError(name, h_um, f"<= {thinnest:g} µm, the thinnest layer (at least "
                             "one element across every layer)")
    n = mesh_nodes_estimate(cell, h_um)
    if n > MAX_MESH_NODES:
        area = cell.width_um * cell.height_um
        h_min = math.sqrt(area / MAX_MESH_NODES)
        raise ParameterError(name, h_um, f">= about {h_min:.3g} µm for this cell: it would mesh "
                             f"{n:.3g} nodes, more than the {MAX_MESH_NODES:,} allowed")


def layered_mesh(cell: LayeredCell, h_um: float = 0.25) -> LayeredMesh:
    """Structured triangle mesh of ``cell`` with element size about ``h_um``.

    Interfaces, pore depth and contact edges lie on mesh lines. Pore elements are removed.

    Parameters
    ----------
    cell : LayeredCell
    h_um : float
        Element size [µm] (> 0).

    Returns
    -------
    LayeredMesh

    References
    ----------
    seed 002, Fig. 2i,j (periodic 2D cell).
    """
    check_mesh_size(cell, h_um)
    skfem = _skfem()
    x0, x1 = cell.contact_um
    ys = [0.0, *cell.interfaces_um, cell.height_um]
    y_void = ys[-2] + cell.void_depth_um
    xb = [0.0, cell.width_um] + ([x0, x1] if cell.contact_fraction < 1 else [])
    yb = ys + ([y_void] if cell.contact_fraction < 1 else [])
    mesh = skfem.MeshTri.init_tensor(_breaks(xb, h_um), _breaks(yb, h_um))
    cx, cy = mesh.p[:, mesh.t].mean(axis=1)
    layer = np.searchsorted(np.asarray(ys[1:-1]), cy, side="right")
    if cell.contact_fraction < 1:
        void = (cy > ys[-2]) & (cy < y_void) & ((cx < x0) | (cx > x1))
        mesh = mesh.remove_elements(np.nonzero(void)[0]).remove_unused_nodes()
        layer = layer[~void]
    return LayeredMesh(mesh, layer.astype(int), cell, float(h_um))


def particle_mesh(radius_um: float = 1.0, refine: int = 4):
    """Axisymmetric half-disk mesh (r >= 0, z) of a sphere of ``radius_um`` [µm].

    Parameters
    ----------
    radius_um : float
        Particle radius [µm].
    refine : int
        Refinements of scikit-fem's disk mesh (each halves the element size).

    Returns
    -------
    skfem.MeshTri
        x = r (axis at r = 0), y = z; the centre is a node.

    References
    ----------
    seed 002, Fig. 4c,d (axisymmetric particle model).
    """
    check_params({"radius_um": radius_um, "refine": refine},
                 {"radius_um": _LENGTH_UM,
                  "refine": Interval(1, MAX_PARTICLE_REFINE, integer=True,
                                     reason="mesh refinements; 7 is ~130k DOFs")})
    skfem = _skfem()
    disk = skfem.MeshTri.init_circle(int(refine))
    cx = disk.p[0, disk.t].mean(axis=0)
    half = disk.remove_elements(np.nonzero(cx < 0)[0]).remove_unused_nodes()
    p = half.p.copy()
    p[0, np.abs(p[0]) < 1e-12] = 0.0
    return skfem.MeshTri(p * radius_um, half.t)
