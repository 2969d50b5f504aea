"""sianode.materials layer (see DESIGN.md)."""
