"""Sittings: when each body sits (the calendar of its slots)."""
