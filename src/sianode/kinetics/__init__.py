"""sianode.kinetics layer (see DESIGN.md)."""
