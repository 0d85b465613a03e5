"""The web layer: pages and JSON API over chamber services (see issue 7)."""
