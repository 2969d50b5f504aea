"""sianode.cell layer (see DESIGN.md)."""
