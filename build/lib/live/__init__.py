"""Live conference-day facilitation: one server keeps every screen of the hall in sync."""
