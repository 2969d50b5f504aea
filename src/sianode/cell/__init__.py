"""sianode.cell layer (see DESIGN.md): layer stacks -> areal capacity, energy, mass, Wh/kg, Wh/L."""

from sianode.cell.energy import LayerBreakdown, StackReport, evaluate_stack
from sianode.cell.stack import LAYER_KINDS, Layer, Stack, load_stack

__all__ = ["LAYER_KINDS", "Layer", "Stack", "load_stack", "LayerBreakdown", "StackReport",
           "evaluate_stack"]
