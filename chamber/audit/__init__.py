"""The audit log: one hash chain of everything the chamber decides (votes, proxies, divisions,
rotas, counts, draws), so that any later change to a stored record can be detected."""
