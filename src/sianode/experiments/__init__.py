"""sianode.experiments layer (see DESIGN.md)."""
