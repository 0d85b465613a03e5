"""Membership: who shares each seat, their group and role, and when they cannot sit."""
