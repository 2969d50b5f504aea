"""sianode.thermo layer (see DESIGN.md)."""
