"""Rotas: who sits in each seat in each sitting, solved by `rota`, published, and changed only
by swaps between sharers of a seat."""
