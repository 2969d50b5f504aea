"""sianode: silicon-family anodes for all-solid-state lithium batteries, from atoms to cells.

Layers (lower never import upper):

0. :mod:`sianode.errors`, :mod:`sianode.units`, :mod:`sianode.validation`
1. :mod:`sianode.materials` - entries from files, Materials Project, ML potentials, built-in data
2. :mod:`sianode.thermo` - lithiation at 0 V, critical modulus, constrained profiles, screening;
   :mod:`sianode.kinetics` - strain-dependent Li migration barriers
3. :mod:`sianode.electrode` - capacities, blends, porosity/thickness, field models
4. :mod:`sianode.cell` - stacks, energy density, cell simulation
5. :mod:`sianode.experiments` - instrument readers and analyses
6. :mod:`sianode.plots`, :mod:`sianode.cli`

``import sianode`` stays light: heavy dependencies are imported inside the functions that need them.
"""

from sianode.errors import SianodeError

__version__ = "0.1.0"
__all__ = ["SianodeError", "__version__"]
