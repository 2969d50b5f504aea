"""sianode.plots layer (see DESIGN.md)."""
