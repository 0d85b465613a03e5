"""The chamber: the institution, its storage and its command line (domain services grow here)."""
