"""The one exception of the rota package."""

from __future__ import annotations


class RotaError(ValueError):
    """A rota cannot be built or changed as asked; the message says why and what would fix it."""
