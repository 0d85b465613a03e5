"""Pure rota solver: who sits in which seat in which slot (see issue 5)."""
