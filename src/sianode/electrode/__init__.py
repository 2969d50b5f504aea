"""sianode.electrode layer (see DESIGN.md)."""
